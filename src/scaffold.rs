//! `gongshi init` and `gongshi new`: write a new content root, or one new record file at the path the
//! content format wants, with every required field present and commented. Placeholders read
//! 「请填写…」 and the personal-data scan refuses to publish them. Never overwrites a file.

use crate::error::{Error, Result};
use crate::model::common::Date;
use std::path::{Path, PathBuf};

/// The marker every placeholder starts with; validation refuses published text that still has it.
pub const PLACEHOLDER: &str = "「请填写";

/// The record kinds `new` can create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NewKind {
    /// 年度党建目标
    Targets,
    /// 书记述职报告及评议
    Report,
    /// 整改清单
    Rectifications,
    /// 党务公开
    Disclosure,
    /// 群众评说
    Comments,
    /// 自由页面
    Page,
}

/// What to fill in: the org, the year, a title, a slug for disclosures and pages, today.
#[derive(Debug, Clone)]
pub struct Fill {
    pub org: String,
    pub year: i32,
    pub title: Option<String>,
    pub slug: String,
    pub today: Date,
}

/// The path of a new record, relative to `content/`.
pub fn path_of(kind: NewKind, f: &Fill) -> String {
    match kind {
        NewKind::Targets => format!("targets/{}/{}.yaml", f.year, f.org),
        NewKind::Report => format!("reports/{}/{}.md", f.year, f.org),
        NewKind::Rectifications => format!("rectifications/{}.yaml", f.org),
        NewKind::Disclosure => format!("disclosures/{}/{}/{}.md", f.today.year(), f.org, f.slug),
        NewKind::Comments => format!("comments/{}/{}.yaml", f.year, f.org),
        NewKind::Page => format!("pages/{}.md", f.slug),
    }
}

/// The text of a new record of `kind`.
pub fn text_of(kind: NewKind, f: &Fill) -> String {
    let title = |default: &str| f.title.clone().unwrap_or_else(|| format!("{PLACEHOLDER}{default}」"));
    let t = TEMPLATES[kind as usize];
    t.replace("{org}", &f.org)
        .replace("{year}", &f.year.to_string())
        .replace("{next}", &(f.year + 1).to_string())
        .replace("{today}", &f.today.to_string())
        .replace("{until}", &Date(f.today.0 + chrono::Days::new(13)).to_string())
        .replace("{title}", &title("标题"))
}

/// Writes one new record under `root/content/`; refuses to overwrite.
pub fn new_record(root: &Path, kind: NewKind, f: &Fill) -> Result<PathBuf> {
    let path = root.join("content").join(path_of(kind, f));
    write_new(&path, &text_of(kind, f))?;
    Ok(path)
}

/// A new content root at `dir`: site.yaml, orgs.yaml, calendars and one example of each kind.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>> {
    let content = dir.join("content");
    if content.exists() {
        return Err(Error::Usage(format!("{} 已存在，不会覆盖", content.display())));
    }
    let mut written = Vec::new();
    let mut put = |rel: &str, text: &str| -> Result<()> {
        let p = content.join(rel);
        write_new(&p, text)?;
        written.push(p);
        Ok(())
    };
    put("site.yaml", SITE)?;
    put("orgs.yaml", ORGS)?;
    for (year, text) in CALENDARS {
        put(&format!("calendar/{year}.yaml"), text)?;
    }
    let year = today.year();
    let example = |org: &str, y: i32, slug: &str, title: &str| Fill {
        org: org.into(),
        year: y,
        title: Some(title.into()),
        slug: slug.into(),
        today,
    };
    let examples = [
        (NewKind::Targets, example("zhen", year, "", &format!("示范镇党委{year}年度基层党建工作目标公开承诺"))),
        (
            NewKind::Report,
            example("cun", year - 1, "", &format!("示范村党支部书记{}年度抓基层党建工作述职报告", year - 1)),
        ),
        (NewKind::Rectifications, example("cun", year, "", "")),
        (NewKind::Disclosure, example("cun", year, "zuzhi-shenghuo", "示范村党支部关于主题党日活动情况的公开")),
        (NewKind::Comments, example("cun", year, "", "")),
        (NewKind::Page, example("", year, "about", "关于本站")),
    ];
    for (kind, f) in examples {
        let text = fill_example(&text_of(kind, &f));
        put(&path_of(kind, &f), &text)?;
    }
    Ok(written)
}

/// Turns the placeholders of a template into plausible example values, for `init`.
fn fill_example(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(PLACEHOLDER) {
        out.push_str(&rest[..start]);
        let after = &rest[start + PLACEHOLDER.len()..];
        let end = after.find('」').unwrap_or(after.len());
        out.push_str(&format!("示例{}", &after[..end]));
        rest = after.get(end + '」'.len_utf8()..).unwrap_or("");
    }
    out.push_str(rest);
    out
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if path.exists() {
        return Err(Error::Usage(format!("{} 已存在，不会覆盖", path.display())));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
    std::fs::write(path, text).map_err(|e| Error::write(path, e))
}

const SITE: &str = include_str!("scaffold/site.yaml");
const ORGS: &str = include_str!("scaffold/orgs.yaml");
const CALENDARS: [(i32, &str); 3] = [
    (2024, include_str!("../content/calendar/2024.yaml")),
    (2025, include_str!("../content/calendar/2025.yaml")),
    (2026, include_str!("../content/calendar/2026.yaml")),
];
/// In `NewKind` order.
const TEMPLATES: [&str; 6] = [
    include_str!("scaffold/targets.yaml"),
    include_str!("scaffold/report.md"),
    include_str!("scaffold/rectifications.yaml"),
    include_str!("scaffold/disclosure.md"),
    include_str!("scaffold/comments.yaml"),
    include_str!("scaffold/page.md"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn fill() -> Fill {
        Fill {
            org: "hexing".into(),
            year: 2025,
            title: None,
            slug: "x".into(),
            today: Date::parse("2026-03-31").unwrap(),
        }
    }

    #[test]
    fn paths_follow_the_content_format() {
        assert_eq!(path_of(NewKind::Report, &fill()), "reports/2025/hexing.md");
        assert_eq!(path_of(NewKind::Disclosure, &fill()), "disclosures/2026/hexing/x.md");
        assert_eq!(path_of(NewKind::Page, &fill()), "pages/x.md");
    }

    #[test]
    fn templates_are_filled_and_keep_placeholders() {
        let t = text_of(NewKind::Targets, &fill());
        assert!(t.contains("org: hexing") && t.contains("year: 2025"));
        assert!(t.contains(PLACEHOLDER));
        assert!(!fill_example(&t).contains(PLACEHOLDER));
    }
}
