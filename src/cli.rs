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
    /// 输出目录，默认 <root>/public（党内版为 <root>/public-party）；print 命令为 PDF 目录，默认 <root>/boards-pdf
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
    /// 公示栏纸张（A4 或 A3，纵向），默认取 site.yaml 的 paper:
    #[arg(long, value_enum, ignore_case = true)]
    pub paper: Option<PaperArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PaperArg {
    /// A4 纵向（默认）
    #[value(name = "A4")]
    A4,
    /// A3 纵向
    #[value(name = "A3")]
    A3,
}

#[derive(Debug, clap::Args, Clone)]
pub struct PrintArgs {
    /// 只打印这些组织的公示栏（组织 id，见 orgs.yaml）；默认全部
    #[arg(value_name = "ORG")]
    pub orgs: Vec<String>,
    #[command(flatten)]
    pub site: SiteArgs,
}

impl PrintArgs {
    /// Where the PDFs go: `--out`, else `<root>/boards-pdf`.
    pub fn pdf_dir(&self) -> PathBuf {
        self.site.out.clone().unwrap_or_else(|| self.site.root.join("boards-pdf"))
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 检查全部内容，生成网站到暂存目录，成功后替换输出目录
    Build(SiteArgs),
    /// 检查内容和生成结果中的每个站内链接，不写任何文件
    Check(SiteArgs),
    /// 用无界面 Chromium 把公示栏打印成 PDF（每个组织一个 <组织id>.pdf）
    Print(PrintArgs),
    /// 发布新版本：与上一版比对（改动须有更正记录、删除须有撤回记录），写入发布账本，再生成网站
    Release(ReleaseArgs),
    /// 校验生成的网站：每个文件的摘要与 manifest.json 一致，发布账本的哈希链完整
    Verify(VerifyArgs),
    /// 本机预览：在内存中生成网站，修改内容后自动重新生成并刷新浏览器
    Serve(ServeArgs),
    /// 新建一个站点目录：site.yaml、orgs.yaml、节假日日历和每类记录的示例
    Init(InitArgs),
    /// 新建一条记录文件（放在规定的位置，必填项齐全并带说明）
    New(NewArgs),
}

#[derive(Debug, clap::Args, Clone)]
pub struct ReleaseArgs {
    /// 本次发布的说明
    #[arg(short = 'm', long = "message")]
    pub message: String,
    /// 发布人（默认取环境变量 GONGSHI_BY 或 USER）
    #[arg(long)]
    pub by: Option<String>,
    #[command(flatten)]
    pub site: SiteArgs,
}

#[derive(Debug, clap::Args, Clone)]
pub struct VerifyArgs {
    /// 要校验的网站目录，默认 <root>/public
    pub dir: Option<PathBuf>,
    /// 站点根目录（包含 content/releases/ 发布账本），默认当前目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args, Clone)]
pub struct InitArgs {
    /// 新站点的目录（会在其中创建 content/）
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args, Clone)]
pub struct NewArgs {
    /// 记录类别
    #[arg(value_enum)]
    pub kind: crate::scaffold::NewKind,
    /// 组织 id（见 orgs.yaml）
    #[arg(long, default_value = "")]
    pub org: String,
    /// 年度（默认今年；述职报告默认上一年度）
    #[arg(long)]
    pub year: Option<i32>,
    /// 标题
    #[arg(long)]
    pub title: Option<String>,
    /// 党务公开和页面的文件名（小写字母、数字和连字符）
    #[arg(long)]
    pub slug: Option<String>,
    /// 站点根目录，默认当前目录
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args, Clone)]
pub struct ServeArgs {
    /// 端口（默认 1111，被占用时顺延）
    #[arg(long)]
    pub port: Option<u16>,
    /// 监听地址（默认只允许本机访问）
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    #[command(flatten)]
    pub site: SiteArgs,
}
