//! Operational failures (I/O with its path, templates, the ledger, usage): rare and fatal, unlike
//! content problems, which are `Diagnostic`s. Never used for a mistake in an editor's content.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("无法读取 {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("无法写入 {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("找不到内容目录 {0}（应包含 site.yaml 和 orgs.yaml）")]
    NoContent(PathBuf),
    #[error("模板错误: {0}")]
    Template(String),
    #[error("发布账本错误：{0}")]
    Ledger(String),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Other(String),
}

impl Error {
    pub fn read(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Read { path: path.into(), source }
    }
    pub fn write(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Write { path: path.into(), source }
    }
}

impl From<tera::Error> for Error {
    fn from(e: tera::Error) -> Self {
        // Tera nests the useful part (which template, which variable) in its source chain.
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        Error::Template(msg)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
