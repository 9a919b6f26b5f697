//! The command line (clap derive): commands, flags and their defaults. Never does the work itself.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gongshi",
    version,
    about = "基层党建公开网站生成器：把 YAML/Markdown 记录生成可离线浏览、可打印公示的静态网站"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AudienceArg {
    /// 向社会公开（默认）
    Public,
    /// 党内公开版
    Party,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// 人读的文字
    #[default]
    Text,
    /// 机器读的 JSON（每行一条）
    Json,
}

#[derive(Debug, clap::Args, Clone)]
pub struct SiteArgs {
    /// 站点根目录（包含 content/ 和 themes/），默认当前目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// 输出目录，默认 <root>/public（党内版为 <root>/public-party）
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// 把“今天”固定为某日（YYYY-MM-DD），用于可重复的生成；默认今天（或 SOURCE_DATE_EPOCH）
    #[arg(long)]
    pub date: Option<String>,
    /// 生成哪个版本：public（向社会公开）或 party（党内公开）
    #[arg(long, value_enum, default_value = "public")]
    pub audience: AudienceArg,
    /// 只输出错误
    #[arg(long, short)]
    pub quiet: bool,
    /// 诊断信息的格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查全部内容，生成网站到暂存目录，成功后替换输出目录
    Build(SiteArgs),
    /// 检查内容和生成结果中的每个站内链接，不写任何文件
    Check(SiteArgs),
}
