//! Disk -> typed sources: walks `content/` in sorted order, reads each file (size and encoding
//! checked), splits Markdown front matter and parses YAML into the record types. Reports located
//! problems; never applies cross-file rules and never writes anything.

mod cache;
pub mod chars;
mod guard;
mod plain;
mod plain_de;
mod positions;
mod recover;
pub mod yaml;

use crate::config::Config;
use crate::diagnostics::{at, Diagnostics, Pos};
use crate::error::Result;
use crate::model::calendar::CalendarYear;
use crate::model::common::Body;
use crate::model::org::Org;
use crate::model::records::{Comments, Disclosure, Page, Rectifications, Report, Targets};
pub use cache::{Changes, LoadCache};
pub use positions::{LazyPositions, Positions};
use serde::de::DeserializeOwned;
use std::path::Path;
use std::sync::Arc;

/// Largest content file read; a larger one is an error, not a hang.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// A parsed file with what rules need to point back into it.
#[derive(Debug, Clone)]
pub struct Located<T> {
    /// Shared, so that `serve` hands out the parses it keeps without copying them.
    pub value: Arc<T>,
    /// Path relative to the site root, `/`-separated (e.g. `content/reports/2024/hexing.md`).
    pub path: String,
    /// Where its keys and values sit in `text`: see [`Located::positions`].
    positions: LazyPositions,
    /// `<year>`, `<org>` and `<slug>` as the file's path names them.
    pub path_year: Option<i32>,
    pub path_org: Option<String>,
    pub slug: Option<String>,
    /// The normalised source text (LF line ends, no BOM): what releases digest and keep.
    pub text: Arc<str>,
    /// SHA-256 of `text`, hex: computed once when the file is parsed, so that `serve` does not
    /// digest every unchanged file again on each rebuild.
    pub digest: String,
}

impl<T> Located<T> {
    /// The value to change, copied first if anything else holds it.
    pub fn value_mut(&mut self) -> &mut T
    where
        T: Clone,
    {
        Arc::make_mut(&mut self.value)
    }

    /// Where the file's keys and values sit, mapped from `text` the first time a rule asks: only a
    /// diagnostic needs a position, so most files never pay for the map.
    pub fn positions(&self) -> &Positions {
        self.positions.get(&self.text)
    }
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Option<Located<Config>>,
    pub orgs: Option<Located<Vec<Org>>>,
    pub calendars: Vec<Located<CalendarYear>>,
    pub targets: Vec<Located<Targets>>,
    pub reports: Vec<Located<Report>>,
    pub rectifications: Vec<Located<Rectifications>>,
    pub disclosures: Vec<Located<Disclosure>>,
    pub comments: Vec<Located<Comments>>,
    pub pages: Vec<Located<Page>>,
    /// Files under content/attachments/, relative to that folder.
    pub attachments: Vec<String>,
    /// Content files that could not be read or parsed (already reported).
    pub unparsed: Vec<String>,
}

impl Loaded {
    /// Whether every file under `content/<folder>/` was parsed: rules that look across files must not
    /// take the records of a broken file for missing ones.
    pub fn all_parsed(&self, folder: &str) -> bool {
        let prefix = format!("content/{folder}/");
        !self.unparsed.iter().any(|p| p.starts_with(&prefix))
    }
}

/// What a file under content/ is, by its path.
#[derive(Debug, Clone, PartialEq)]
enum FileKind {
    Site,
    Orgs,
    Calendar,
    Targets { year: String, org: String },
    Report { year: String, org: String },
    Rectifications { org: String },
    Disclosure { year: String, org: String, slug: String },
    Comments { year: String, org: String },
    Page { slug: String },
    Attachment,
    Ledger,
    Ignored,
    Unknown,
}

fn classify(rel: &[&str]) -> FileKind {
    let stem = |name: &str, ext: &str| name.strip_suffix(ext).map(str::to_string);
    match rel {
        ["site.yaml"] => FileKind::Site,
        ["orgs.yaml"] => FileKind::Orgs,
        [name, ..] if name.starts_with('.') => FileKind::Ignored,
        [.., name] if name.starts_with('.') => FileKind::Ignored,
        ["calendar", f] if f.ends_with(".yaml") => FileKind::Calendar,
        ["targets", y, f] if f.ends_with(".yaml") => {
            FileKind::Targets { year: y.to_string(), org: stem(f, ".yaml").unwrap() }
        }
        ["reports", y, f] if f.ends_with(".md") => {
            FileKind::Report { year: y.to_string(), org: stem(f, ".md").unwrap() }
        }
        ["rectifications", f] if f.ends_with(".yaml") => FileKind::Rectifications { org: stem(f, ".yaml").unwrap() },
        ["disclosures", y, o, f] if f.ends_with(".md") => {
            FileKind::Disclosure { year: y.to_string(), org: o.to_string(), slug: stem(f, ".md").unwrap() }
        }
        ["comments", y, f] if f.ends_with(".yaml") => {
            FileKind::Comments { year: y.to_string(), org: stem(f, ".yaml").unwrap() }
        }
        ["pages", f] if f.ends_with(".md") => FileKind::Page { slug: stem(f, ".md").unwrap() },
        ["attachments", ..] => FileKind::Attachment,
        ["releases", ..] => FileKind::Ledger,
        _ => FileKind::Unknown,
    }
}

/// Reads and parses every content file below `root/content`.
pub fn load(root: &Path) -> Result<(Loaded, Diagnostics)> {
    load_cached(root, &mut LoadCache::default())
}

/// Like [`load`], re-parsing only files whose text differs from the cached one.
pub fn load_cached(root: &Path, cache: &mut LoadCache) -> Result<(Loaded, Diagnostics)> {
    cache.load(root, &Changes::All)
}

/// Like [`load_cached`], re-reading only the paths `changes` names (once the cache is filled).
pub fn load_changes(root: &Path, cache: &mut LoadCache, changes: &Changes) -> Result<(Loaded, Diagnostics)> {
    cache.load(root, changes)
}

/// The files' parses, in walk order, as `Loaded` with their diagnostics and the missing-file errors.
fn assemble<P: Into<String>>(parsed: Vec<(P, Parsed, Diagnostics)>) -> (Loaded, Diagnostics) {
    let mut loaded = Loaded::default();
    loaded.reserve(parsed.iter().map(|(_, item, _)| item));
    let mut diags = Diagnostics::new();
    for (path, item, d) in parsed {
        if matches!(item, Parsed::Nothing) && d.has_errors() {
            loaded.unparsed.push(path.into());
        }
        diags.extend(d);
        loaded.add(item);
    }
    if loaded.config.is_none() {
        diags.push(at("content/site.yaml", Pos::START).error(
            "missing-file",
            "",
            "缺少 content/site.yaml（站点名称、主办单位等）",
        ));
    }
    if loaded.orgs.is_none() {
        diags.push(at("content/orgs.yaml", Pos::START).error("missing-file", "", "缺少 content/orgs.yaml（组织架构）"));
    }
    (loaded, diags)
}

/// An attachment is published as it is, so it must be a plain file inside the root: a symbolic link
/// could publish anything on the editor's machine.
fn attachment_check(abs: &Path, display: &str) -> std::result::Result<String, Diagnostics> {
    match std::fs::symlink_metadata(abs) {
        Ok(m) if m.file_type().is_symlink() => {
            let mut d = Diagnostics::new();
            let msg = "附件不能是符号链接（可能指向本机上的任意文件）：请把文件本身复制到 content/attachments/";
            d.push(at(display, Pos::START).error("unsafe-path", "", msg));
            Err(d)
        }
        _ => Ok(String::new()),
    }
}

/// Reads a content file as UTF-8 text: size-limited, BOM stripped, CRLF folded to LF.
pub fn read_text(abs: &Path, display: &str) -> std::result::Result<String, Diagnostics> {
    let mut diags = Diagnostics::new();
    let fail = |diags: &mut Diagnostics, rule, msg: String, pos| {
        diags.push(at(display, pos).error(rule, "", msg));
        Err(diags.clone())
    };
    let (file, len) = match open_no_follow(abs) {
        Ok(opened) => opened,
        Err(e) if is_link_refused(&e) => {
            return fail(&mut diags, "unsafe-path", "内容文件不能是符号链接".into(), Pos::START);
        }
        Err(e) => return fail(&mut diags, "unreadable", format!("无法读取文件：{e}"), Pos::START),
    };
    if len > MAX_FILE_BYTES {
        let msg = format!("文件有 {len} 字节，超过上限 {MAX_FILE_BYTES} 字节（1 MiB）；请拆分或检查是否放错了文件");
        return fail(&mut diags, "file-too-large", msg, Pos::START);
    }
    let bytes = match read_sized(file, len) {
        Ok(b) => b,
        Err(e) => return fail(&mut diags, "unreadable", format!("无法读取文件：{e}"), Pos::START),
    };
    match utf8(bytes) {
        Ok(s) => Ok(normalise(s)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let text = String::from_utf8_lossy(good);
            let line = text.matches('\n').count() + 1;
            let col = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let msg = "文件不是 UTF-8 编码（可能是 GBK）；请用“UTF-8”编码另存".to_string();
            fail(&mut diags, "encoding", msg, Pos { line, col })
        }
    }
}

/// Opens the file at `abs` for reading, refusing a symbolic link (`O_NOFOLLOW`: the link is not
/// looked at first and then opened, which would be two lookups and a race), with its length.
fn open_no_follow(abs: &Path) -> std::io::Result<(std::fs::File, u64)> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    #[cfg(not(unix))]
    if std::fs::symlink_metadata(abs)?.file_type().is_symlink() {
        return Err(std::io::Error::other(LINK_REFUSED));
    }
    let file = options.open(abs)?;
    let len = file.metadata()?.len();
    Ok((file, len))
}

#[cfg(not(unix))]
const LINK_REFUSED: &str = "symbolic link";

/// Whether opening failed because the path is a symbolic link.
fn is_link_refused(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error());
    #[cfg(not(unix))]
    return e.to_string() == LINK_REFUSED;
}

/// The bytes of `file`, `len` long as it was just looked at: `std::fs::read` and a plain
/// `read_to_end` would ask the file system for the length and position once more.
fn read_sized(file: std::fs::File, len: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    // One byte more, so that reading to the end needs no larger buffer when the length is right.
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
    // Through `Take`, whose reading to the end takes no size hint from the file system; its limit
    // is far above any length a content file may have.
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// `bytes` as text, checked with SIMD instructions (the standard check takes CJK text one character
/// at a time); a file that is not UTF-8 is checked again the standard way, which says where.
fn utf8(bytes: Vec<u8>) -> std::result::Result<String, std::string::FromUtf8Error> {
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just checked that `bytes` is valid UTF-8.
        return Ok(unsafe { String::from_utf8_unchecked(bytes) });
    }
    String::from_utf8(bytes)
}

fn normalise(s: String) -> String {
    let s = s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s);
    if s.contains('\r') {
        s.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        s
    }
}

/// Splits `---`-delimited front matter: (yaml, its line offset, body).
pub fn split_front_matter(text: &str) -> Option<(&str, usize, &str)> {
    let rest = text.strip_prefix("---\n").or_else(|| text.strip_prefix("---").filter(|r| r.trim().is_empty()))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Some((yaml, 1, body));
        }
        offset += line.len();
    }
    None
}

#[derive(Debug, Clone)]
enum Parsed {
    Config(Located<Config>),
    Orgs(Located<Vec<Org>>),
    Calendar(Located<CalendarYear>),
    Targets(Located<Targets>),
    Report(Located<Report>),
    Rect(Located<Rectifications>),
    Disclosure(Located<Disclosure>),
    Comments(Located<Comments>),
    Page(Located<Page>),
    Attachment(String),
    Nothing,
}

impl Parsed {
    /// The source text the parse holds, if it is a parsed record or settings file.
    fn text(&self) -> Option<&str> {
        Some(match self {
            Parsed::Config(l) => &l.text,
            Parsed::Orgs(l) => &l.text,
            Parsed::Calendar(l) => &l.text,
            Parsed::Targets(l) => &l.text,
            Parsed::Report(l) => &l.text,
            Parsed::Rect(l) => &l.text,
            Parsed::Disclosure(l) => &l.text,
            Parsed::Comments(l) => &l.text,
            Parsed::Page(l) => &l.text,
            Parsed::Attachment(_) | Parsed::Nothing => return None,
        })
    }
}

impl Loaded {
    /// Room for exactly the records of `parsed`: at 10,000 files, growing the lists by doubling
    /// touched fresh memory several times over on the one thread that assembles them.
    fn reserve<'p>(&mut self, parsed: impl Iterator<Item = &'p Parsed> + Clone) {
        let count = |kind: fn(&Parsed) -> bool| parsed.clone().filter(|p| kind(p)).count();
        self.calendars.reserve_exact(count(|p| matches!(p, Parsed::Calendar(_))));
        self.targets.reserve_exact(count(|p| matches!(p, Parsed::Targets(_))));
        self.reports.reserve_exact(count(|p| matches!(p, Parsed::Report(_))));
        self.rectifications.reserve_exact(count(|p| matches!(p, Parsed::Rect(_))));
        self.disclosures.reserve_exact(count(|p| matches!(p, Parsed::Disclosure(_))));
        self.comments.reserve_exact(count(|p| matches!(p, Parsed::Comments(_))));
        self.pages.reserve_exact(count(|p| matches!(p, Parsed::Page(_))));
    }

    fn add(&mut self, p: Parsed) {
        match p {
            Parsed::Config(c) => self.config = Some(c),
            Parsed::Orgs(o) => self.orgs = Some(o),
            Parsed::Calendar(c) => self.calendars.push(c),
            Parsed::Targets(t) => self.targets.push(t),
            Parsed::Report(r) => self.reports.push(r),
            Parsed::Rect(r) => self.rectifications.push(r),
            Parsed::Disclosure(d) => self.disclosures.push(d),
            Parsed::Comments(c) => self.comments.push(c),
            Parsed::Page(p) => self.pages.push(p),
            Parsed::Attachment(a) => self.attachments.push(a),
            Parsed::Nothing => {}
        }
    }
}

/// Parses one content file given as bytes, the way `load` would: for fuzzing and tools.
/// `rel` is its path under `content/` (it decides the kind); returns the file's diagnostics.
pub fn check_source(rel: &str, bytes: &[u8]) -> Diagnostics {
    let parts: Vec<&str> = rel.split('/').collect();
    let display = format!("content/{rel}");
    let text = match String::from_utf8(bytes.to_vec()) {
        Ok(s) => Ok(normalise(s)),
        Err(_) => {
            let mut d = Diagnostics::new();
            d.push(at(&display, Pos::START).error("encoding", "", "文件不是 UTF-8 编码"));
            Err(d)
        }
    };
    parse_file(display, classify(&parts), text).1
}

fn parse_file(path: String, kind: FileKind, text: std::result::Result<String, Diagnostics>) -> (Parsed, Diagnostics) {
    let mut diags = Diagnostics::new();
    let text = match text {
        Ok(t) => t,
        Err(d) => return (Parsed::Nothing, d),
    };
    let year = |y: &str| y.parse::<i32>().ok();
    let parsed = match kind {
        FileKind::Site => yaml_file(&path, text, &mut diags).map(Parsed::Config),
        FileKind::Orgs => yaml_file(&path, text, &mut diags).map(Parsed::Orgs),
        FileKind::Calendar => yaml_file(&path, text, &mut diags).map(Parsed::Calendar),
        FileKind::Targets { year: y, org } => yaml_file(&path, text, &mut diags).map(|mut l: Located<Targets>| {
            l.path_year = year(&y);
            l.path_org = Some(org);
            Parsed::Targets(l)
        }),
        FileKind::Report { year: y, org } => {
            md_file(&path, text, &mut diags, |r: &mut Report, b| r.body = b).map(|mut l| {
                l.path_year = year(&y);
                l.path_org = Some(org);
                Parsed::Report(l)
            })
        }
        FileKind::Rectifications { org } => yaml_file(&path, text, &mut diags).map(|mut l: Located<Rectifications>| {
            l.path_org = Some(org);
            Parsed::Rect(l)
        }),
        FileKind::Disclosure { year: y, org, slug } => {
            md_file(&path, text, &mut diags, |d: &mut Disclosure, b| d.body = b).map(|mut l| {
                l.value_mut().slug = slug.clone();
                l.value_mut().year = year(&y).unwrap_or_default();
                l.path_year = year(&y);
                l.path_org = Some(org);
                l.slug = Some(slug);
                Parsed::Disclosure(l)
            })
        }
        FileKind::Comments { year: y, org } => yaml_file(&path, text, &mut diags).map(|mut l: Located<Comments>| {
            l.path_year = year(&y);
            l.path_org = Some(org);
            Parsed::Comments(l)
        }),
        FileKind::Page { slug } => md_file(&path, text, &mut diags, |p: &mut Page, b| p.body = b).map(|mut l| {
            l.value_mut().slug = slug.clone();
            l.slug = Some(slug);
            Parsed::Page(l)
        }),
        FileKind::Attachment => Some(Parsed::Attachment(path.trim_start_matches("content/attachments/").to_string())),
        FileKind::Unknown => {
            let msg = "不认识的文件，已忽略；请对照内容格式检查文件名和所在目录";
            diags.push(at(&path, Pos::START).warning("unknown-file", "", msg));
            None
        }
        FileKind::Ledger | FileKind::Ignored => None,
    };
    (parsed.unwrap_or(Parsed::Nothing), diags)
}

fn located<T>(value: T, path: &str, positions: LazyPositions, text: Arc<str>) -> Located<T> {
    let digest = crate::validate::digest_hex(text.as_bytes());
    Located {
        value: Arc::new(value),
        path: path.to_string(),
        positions,
        path_year: None,
        path_org: None,
        slug: None,
        text,
        digest,
    }
}

fn yaml_file<T: DeserializeOwned>(path: &str, text: String, diags: &mut Diagnostics) -> Option<Located<T>> {
    match yaml::parse::<T>(&text, 0) {
        Ok(v) => {
            let positions = LazyPositions::new(0..text.len(), 0);
            Some(located(v, path, positions, text.into()))
        }
        Err(problems) => {
            problems.into_iter().for_each(|p| diags.push(p.into_diagnostic(path)));
            None
        }
    }
}

fn md_file<T: DeserializeOwned>(
    path: &str,
    text: String,
    diags: &mut Diagnostics,
    set_body: impl FnOnce(&mut T, Body),
) -> Option<Located<T>> {
    let Some((front, offset, body)) = split_front_matter(&text) else {
        let msg = "Markdown 文件要以 `---` 开头的 YAML 头信息开始，并以单独一行 `---` 结束";
        diags.push(at(path, Pos::START).error("front-matter", "", msg));
        return None;
    };
    match yaml::parse::<T>(front, offset) {
        Ok(mut v) => {
            // `front` and `body` are slices of `text`: their offsets there are the distances
            // between their starts.
            let start = front.as_ptr() as usize - text.as_ptr() as usize;
            let body_start = body.as_ptr() as usize - text.as_ptr() as usize;
            let positions = LazyPositions::new(start..start + front.len(), offset);
            let text: Arc<str> = text.into();
            set_body(&mut v, Body::new(text.clone(), body_start));
            Some(located(v, path, positions, text))
        }
        Err(problems) => {
            problems.into_iter().for_each(|p| diags.push(p.into_diagnostic(path)));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_splits_with_offset_and_body() {
        let (yaml, offset, body) = split_front_matter("---\na: 1\n---\n# 正文\n").unwrap();
        assert_eq!((yaml, offset, body), ("a: 1\n", 1, "# 正文\n"));
        assert!(split_front_matter("a: 1\n").is_none());
        assert!(split_front_matter("---\na: 1\n").is_none());
    }

    #[test]
    fn paths_classify_into_kinds() {
        assert_eq!(
            classify(&["disclosures", "2025", "hexing", "x.md"]),
            FileKind::Disclosure { year: "2025".into(), org: "hexing".into(), slug: "x".into() }
        );
        assert_eq!(classify(&["pages", "about.md"]), FileKind::Page { slug: "about".into() });
        assert_eq!(classify(&["notes.txt"]), FileKind::Unknown);
        assert_eq!(classify(&[".DS_Store"]), FileKind::Ignored);
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalise("\u{feff}a: 1\r\nb: 2\r\n".into()), "a: 1\nb: 2\n");
    }

    #[test]
    fn files_are_read_whole_and_links_refused() {
        let dir = tempfile::tempdir().unwrap();
        let text = "---\ntitle: 通知\n---\n".to_string() + &"正文。".repeat(5000);
        std::fs::write(dir.path().join("a.md"), &text).unwrap();
        assert_eq!(read_text(&dir.path().join("a.md"), "a.md").unwrap(), text, "40 KB, read in several reads");
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("a.md"), dir.path().join("b.md")).unwrap();
            let d = read_text(&dir.path().join("b.md"), "b.md").unwrap_err();
            assert_eq!(d.iter().next().unwrap().rule, "unsafe-path");
        }
        let d = read_text(&dir.path().join("none.md"), "none.md").unwrap_err();
        assert_eq!(d.iter().next().unwrap().rule, "unreadable");
        std::fs::write(dir.path().join("big.md"), vec![b'a'; MAX_FILE_BYTES as usize + 1]).unwrap();
        let d = read_text(&dir.path().join("big.md"), "big.md").unwrap_err();
        assert_eq!(d.iter().next().unwrap().rule, "file-too-large");
    }
}

#[cfg(test)]
mod fuzz {
    //! Property tests: no input makes the loaders panic, and every error points inside the file.
    use super::*;
    use crate::model::records::{Comments, Disclosure, Report, Targets};
    use proptest::prelude::*;

    const VALID: &str = "org: hexing\nyear: 2025\nentries:\n  - id: c1\n    received_on: 2025-03-02\n    channel: 意见箱\n    commenter: { name: 李明, contact: \"13800001234\" }\n    text: 村党群服务中心周六无人值班。\n    status: 已办结\n    reply: { on: 2025-03-12, by: 河兴村党支部, text: 已实行周六轮值。 }\n";

    fn check_located<T: serde::de::DeserializeOwned>(text: &str) {
        if let Err(problems) = yaml::parse::<T>(text, 0) {
            let lines = text.split('\n').count().max(1);
            for p in problems {
                assert!(p.pos.line >= 1 && p.pos.line <= lines + 1, "line {} outside 1..={}", p.pos.line, lines + 1);
                assert!(p.pos.col >= 1);
                assert!(!p.message.is_empty());
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            check_located::<Comments>(&text);
            check_located::<Targets>(&text);
            let _ = split_front_matter(&text);
            let _ = normalise(text.clone());
        }

        #[test]
        fn yaml_like_text_never_panics(text in "([a-z_]{1,8}(:|：)[ \\t]?(\\[|\\{|\"|'|-|[0-9]{1,4}|[一-龥]{1,4}|\\*a|&a)?\\n( {0,4}- )?){0,30}") {
            check_located::<Report>(&text);
            check_located::<Disclosure>(&text);
        }

        #[test]
        fn mutated_valid_documents_never_panic(cut in 0usize..400, len in 0usize..20, insert in "\\PC{0,6}") {
            let chars: Vec<char> = VALID.chars().collect();
            let at = cut.min(chars.len());
            let end = (at + len).min(chars.len());
            let mutated: String = chars[..at].iter().collect::<String>() + &insert + &chars[end..].iter().collect::<String>();
            check_located::<Comments>(&mutated);
        }

        #[test]
        fn front_matter_with_any_body_splits_or_not_without_panicking(front in "\\PC{0,80}", body in "\\PC{0,80}") {
            let text = format!("---\n{front}\n---\n{body}");
            if let Some((yaml, offset, rest)) = split_front_matter(&text) {
                prop_assert_eq!(offset, 1);
                prop_assert!(text.len() >= yaml.len() + rest.len());
            }
        }
    }

    #[test]
    fn the_valid_document_parses() {
        assert!(yaml::parse::<Comments>(VALID, 0).is_ok());
    }
}
