//! `gongshi print`: notice boards -> PDFs through headless Chromium, one `<org-id>.pdf` per org.
//! Writes the in-memory site to a temp dir for Chromium to open and runs Chromium once per board.
//! Never renders pages (pipeline and render do) and never touches `public/`.

use crate::error::{Error, Result};
use crate::model::Site;
use crate::render::{routes, Output};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// A board prints in a second or two; a Chromium stuck on a broken profile or display must not hang a run.
const TIMEOUT: Duration = Duration::from_secs(180);

/// The Chromium to run: env `CHROMIUM`, else /usr/bin/chromium. Missing is a usage error (exit 2).
pub fn chromium() -> Result<PathBuf> {
    let path = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(DEFAULT_CHROMIUM));
    if path.is_file() {
        return Ok(path);
    }
    Err(Error::Usage(format!(
        "找不到 Chromium（{}）：把公示栏打印成 PDF 需要无界面的 Chromium 浏览器。\
         请先安装（Debian/Ubuntu：sudo apt-get install chromium fonts-noto-cjk），\
         或用环境变量 CHROMIUM 指定 Chromium 的路径；也可以在浏览器中打开公示栏页面直接打印。",
        path.display()
    )))
}

/// The org ids to print: those asked for (each must exist), else every org in tree order.
pub fn select(site: &Site, asked: &[String]) -> Result<Vec<String>> {
    if asked.is_empty() {
        return Ok(site.orgs.preorder().into_iter().map(|(ix, _)| site.orgs.orgs[ix].id.0.clone()).collect());
    }
    let unknown: Vec<&str> = asked.iter().map(String::as_str).filter(|id| site.orgs.ix(id).is_none()).collect();
    if !unknown.is_empty() {
        return Err(Error::Usage(format!(
            "没有这些 id 的党组织：{}（组织 id 见 content/orgs.yaml）",
            unknown.iter().map(|u| format!("`{u}`")).collect::<Vec<_>>().join("、")
        )));
    }
    let mut ids: Vec<String> = Vec::new();
    for id in asked {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    Ok(ids)
}

/// Prints the boards of `orgs` from the rendered site into `out_dir`; returns the PDFs written.
pub fn boards_to_pdf(chromium: &Path, output: &Output, orgs: &[String], out_dir: &Path) -> Result<Vec<PathBuf>> {
    let tmp = tempfile::Builder::new()
        .prefix("gongshi-print-")
        .tempdir()
        .map_err(|e| Error::write(std::env::temp_dir(), e))?;
    let site_dir = tmp.path().join("site");
    write_tree(output, &site_dir)?;
    std::fs::create_dir_all(out_dir).map_err(|e| Error::write(out_dir, e))?;
    // One Chromium per core: each is a whole browser, and a board is small.
    orgs.par_iter()
        .map(|id| {
            let pdf = out_dir.join(format!("{id}.pdf"));
            let run = Run {
                page: site_dir.join(routes::board(id)),
                pdf: pdf.clone(),
                profile: tmp.path().join(format!("profile-{id}")),
                log: tmp.path().join(format!("chromium-{id}.log")),
            };
            run.print(chromium)?;
            Ok(pdf)
        })
        .collect()
}

/// The whole rendered site, so that a board's styles and links resolve as they do on the web.
fn write_tree(output: &Output, dir: &Path) -> Result<()> {
    for (rel, bytes) in &output.files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| Error::write(&path, e))?;
    }
    Ok(())
}

/// One Chromium run: a board page to one PDF.
struct Run {
    page: PathBuf,
    pdf: PathBuf,
    /// A profile of its own: Chromium locks its profile, and parallel runs must not share one.
    profile: PathBuf,
    log: PathBuf,
}

impl Run {
    fn print(&self, chromium: &Path) -> Result<()> {
        let log = std::fs::File::create(&self.log).map_err(|e| Error::write(&self.log, e))?;
        let log_err = log.try_clone().map_err(|e| Error::write(&self.log, e))?;
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-pdf-header-footer",
            ])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .arg(format!("--print-to-pdf={}", self.pdf.display()))
            .arg(file_url(&self.page))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err)
            .spawn()
            .map_err(|e| Error::Other(format!("无法启动 Chromium（{}）：{e}", chromium.display())))?;
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| Error::Other(format!("等待 Chromium 时出错：{e}")))?
            {
                break status;
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(self.failure(&format!("超过 {} 秒仍未完成", TIMEOUT.as_secs())));
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let written = std::fs::metadata(&self.pdf).map(|m| m.len() > 0).unwrap_or(false);
        if !status.success() || !written {
            return Err(self.failure(&format!("退出状态 {status}")));
        }
        Ok(())
    }

    fn failure(&self, what: &str) -> Error {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
        Error::Other(format!(
            "Chromium 未能把 {} 打印成 {}（{what}）：\n{}",
            self.page.display(),
            self.pdf.display(),
            tail.join("\n")
        ))
    }
}

/// `file://` URL of an absolute path, percent-encoding what a URL cannot hold as is.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(file_url(Path::new("/tmp/a b/公示.html")), "file:///tmp/a%20b/%E5%85%AC%E7%A4%BA.html");
    }
}
