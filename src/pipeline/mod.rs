//! The only place that knows the stage order: load -> validate -> history -> render -> (check links)
//! -> write -> release. `build` writes each file into the staging folder as it renders (checking its
//! links meanwhile) and swaps the folder into place at the end; `check` stops before writing;
//! `release` appends to the ledger first. Prints diagnostics; never exits.

use crate::cli::Format;
use crate::config::Paper;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::error::{Error, Result};
use crate::model::common::{Audience, Date};
use crate::model::Site;
use crate::release::ledger::{Entry, Ledger};
use crate::release::{self, verify};
use crate::render::{self, BuildInfo, Output, ReleaseBadge, Theme};
use crate::timings::stage;
use crate::{links, load, validate, write};
use chrono::{FixedOffset, Utc};
use std::io::Write;
use std::time::Instant;

mod options;
mod publish;
use options::today;
pub use options::{options, Options};

/// How a run ended when nothing operational failed.
#[derive(Debug)]
pub enum Outcome {
    Done(Summary),
    /// Content errors were printed; nothing was written.
    ContentErrors,
}

#[derive(Debug)]
pub struct Summary {
    pub line: String,
    pub quiet: bool,
}

/// A validated site with its release history, ready to render.
pub struct Prepared {
    pub site: Site,
    pub diags: Diagnostics,
    pub ledger: Ledger,
}

/// load -> validate, then the release history. `Err(diags)` when content has errors.
///
/// Content identical to the latest release is rendered as of that release's date unless `--date`
/// says otherwise, so a clean checkout rebuilds the published version byte for byte.
pub fn prepare(opts: &Options) -> Result<std::result::Result<Prepared, Diagnostics>> {
    prepare_with(opts, &mut Caches::default(), &load::Changes::All)
}

/// [`prepare`] through `serve`'s caches: re-reading only what `changes` names, re-scanning only
/// files whose text changed.
fn prepare_with(
    opts: &Options,
    caches: &mut Caches,
    changes: &load::Changes,
) -> Result<std::result::Result<Prepared, Diagnostics>> {
    let ledger = stage("ledger", || Ledger::open(&opts.root))?;
    let mut today = opts.today;
    // Loading again as of the latest release's date (below) should not parse everything twice; a
    // one-shot build keeps its parses only when that can happen.
    let may_reload = !opts.date_given && ledger.latest().is_some_and(|l| l.date != today);
    let mut local = load::LoadCache::keeping();
    let cache = if may_reload && !caches.load.keeps() { &mut local } else { &mut caches.load };
    let mut changes = changes.clone();
    loop {
        let (loaded, mut diags) = stage("load", || load::load_changes(&opts.root, cache, &changes))?;
        let (site, more) =
            stage("validate", || validate::validate_cached(loaded, today, opts.audience, &mut caches.validate));
        diags.extend(more);
        let Some(mut site) = site.filter(|_| !diags.has_errors()) else {
            return Ok(Err(diags));
        };
        let current = release::current_records(&site);
        let latest = ledger.latest();
        if let Some(latest) =
            latest.filter(|l| !opts.date_given && l.date != today && release::matches(Some(l), &current))
        {
            today = latest.date;
            // Nothing changed on disk since the load above.
            changes = load::Changes::Paths(Vec::new());
            continue;
        }
        site.history = stage("history", || {
            // Old versions' sources come from the working copy when it still holds them; without
            // any release there are none to look up.
            let working = if ledger.entries.is_empty() { Default::default() } else { release::working_sources(&site) };
            release::history(site.today, &ledger, None, &current, &working)
        })?;
        if let Some(paper) = opts.paper {
            site.config.paper = paper;
        }
        return Ok(Ok(Prepared { site, diags, ledger }));
    }
}

/// load -> validate -> render, all in memory, with the manifest. `Err(diags)` when content has errors.
pub fn render_site(opts: &Options) -> Result<std::result::Result<(Site, Output, Diagnostics), Diagnostics>> {
    let Prepared { mut site, diags, ledger } = match prepare(opts)? {
        Ok(p) => p,
        Err(d) => return Ok(Err(d)),
    };
    site.drop_sources();
    let released = prepared_release(&site, &ledger);
    let mut output = render_with(opts, &site, released.map(|e| (e.number, e.date)))?;
    let manifest = match released {
        Some(entry) => entry.to_bytes(),
        None => stage("manifest", || preview_manifest(&site, &output)),
    };
    output.insert(verify::MANIFEST.to_string(), manifest);
    Ok(Ok((site, output, diags)))
}

/// What `serve` keeps between rebuilds so that an edit re-reads and re-scans only the files that
/// changed and re-renders only the pages they reach. The default keeps nothing.
#[derive(Default)]
pub struct Caches {
    pub load: load::LoadCache,
    pub validate: validate::ValidateCache,
    pub render: render::RenderCache,
}

impl Caches {
    pub fn keeping() -> Caches {
        Caches {
            load: load::LoadCache::keeping(),
            validate: validate::ValidateCache::keeping(),
            render: render::RenderCache::default(),
        }
    }

    /// Like [`Caches::keeping`], and every page reused is proven unchanged (for tests).
    pub fn checking() -> Caches {
        Caches { render: render::RenderCache::checking(), ..Caches::keeping() }
    }
}

/// A site `serve` rebuilt: its pages went out through `publish`; the files made from the whole
/// site (`render::aggregates`) and the manifest are left to build after.
pub struct Rebuilt {
    pub site: std::sync::Arc<Site>,
    pub diags: Diagnostics,
    /// The manifest when the content is a published version; `None` for a preview, whose manifest
    /// lists every file's digest ([`preview_manifest_of`]).
    pub manifest: Option<Vec<u8>>,
}

/// `serve`'s rebuild: load (only what `changes` names), validate, history, then the pages whose
/// inputs changed, the pages of the records whose files `edited` names first (see
/// `render::render_changed`).
/// `Err(diags)` when content has errors: nothing is published then.
pub fn rebuild(
    opts: &Options,
    caches: &mut Caches,
    changes: &load::Changes,
    edited: &dyn Fn(&str) -> bool,
    publish: &mut dyn FnMut(render::Delta),
) -> Result<std::result::Result<Rebuilt, Diagnostics>> {
    let Prepared { site, diags, ledger } = match prepare_with(opts, caches, changes)? {
        Ok(p) => p,
        Err(d) => return Ok(Err(d)),
    };
    let released = prepared_release(&site, &ledger);
    let (theme, build) = theme_and_build(opts, &site, released.map(|e| (e.number, e.date)))?;
    let attachments = attachments_dir(opts);
    stage("render", || {
        render::render_changed(&site, &theme, &build, &attachments, &mut caches.render, edited, publish)
    })?;
    Ok(Ok(Rebuilt { manifest: released.map(Entry::to_bytes), site: std::sync::Arc::new(site), diags }))
}

/// The release the content is, when it equals the latest one (not a preview).
fn prepared_release<'l>(site: &Site, ledger: &'l Ledger) -> Option<&'l Entry> {
    (!site.history.preview).then(|| ledger.latest()).flatten()
}

/// Where the content's attachments are.
fn attachments_dir(opts: &Options) -> std::path::PathBuf {
    opts.root.join("content").join("attachments")
}

fn theme_and_build(opts: &Options, site: &Site, release: Option<(u32, Date)>) -> Result<(Theme, BuildInfo)> {
    let theme = Theme::load(&opts.root, &site.config.theme)?;
    let build = BuildInfo {
        date: site.today.chinese(),
        release: release.map(|(number, date)| ReleaseBadge { number, date: date.chinese() }),
        preview: release.is_none() && opts.audience == Audience::Public,
        party: opts.audience == Audience::Party,
    };
    Ok((theme, build))
}

fn render_with(opts: &Options, site: &Site, release: Option<(u32, Date)>) -> Result<Output> {
    let (theme, build) = theme_and_build(opts, site, release)?;
    render::render(site, &theme, &build, &attachments_dir(opts))
}

/// The manifest of a build that is not a published version: says so, and lists its files.
fn preview_manifest(site: &Site, output: &Output) -> Vec<u8> {
    preview_manifest_of(site, verify::digests(&output.files))
}

/// [`preview_manifest`] from the digest of every file but the manifest (path -> hex digest).
pub fn preview_manifest_of(site: &Site, files: std::collections::BTreeMap<String, String>) -> Vec<u8> {
    /// Its keys in alphabetical order, as a JSON object with sorted keys had them.
    #[derive(serde::Serialize)]
    struct PreviewManifest {
        based_on: Option<u32>,
        date: Date,
        files: std::collections::BTreeMap<String, String>,
        preview: bool,
        records: std::collections::BTreeMap<String, String>,
    }
    let manifest = PreviewManifest {
        based_on: site.history.latest().map(|r| r.number),
        date: site.today,
        files,
        preview: true,
        records: release::current_records(site).into_iter().map(|c| (c.key, c.digest)).collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// `gongshi release`: plan against the ledger, refuse what may not be published silently, then
/// append the entry (with its sources) and write the site it describes.
pub fn release(opts: &Options, message: &str, by: &str) -> Result<Outcome> {
    let started = Instant::now();
    let Prepared { mut site, diags, ledger } = match prepare(opts)? {
        Ok(p) => p,
        Err(d) => return Ok(report_failure(opts, d)),
    };
    let broken = ledger.chain_problems();
    if !broken.is_empty() {
        return Err(Error::Ledger(broken.join("；")));
    }
    let current = release::current_records(&site);
    let number = ledger.latest().map_or(1, |e| e.number + 1);
    let plan = release::plan::plan(ledger.latest(), &current, number);
    if plan.diagnostics.has_errors() {
        let mut all = diags;
        all.extend(plan.diagnostics);
        return Ok(report_failure(opts, all));
    }
    // No record changed: a release is still due when the pages did (a new theme, a later date that
    // changes flags); otherwise there is nothing to publish.
    if let Some(latest) = ledger.latest().filter(|_| plan.changes.is_empty()) {
        let as_published = render_with(opts, &site, Some((latest.number, latest.date)))?;
        if verify::digests(&as_published.files) == latest.files {
            print_diagnostics(opts, diags);
            let line = format!("内容和网页都与第{}版完全相同，无需发布新版本。", latest.number);
            return Ok(Outcome::Done(Summary { line, quiet: opts.quiet }));
        }
    }
    let mut entry = Entry {
        number,
        date: site.today,
        time: release_time(opts, site.today),
        by: by.to_string(),
        message: message.to_string(),
        previous: ledger.entries.last().map(|s| s.digest.clone()),
        changes: plan.changes,
        records: plan.records,
        files: Default::default(),
    };
    let working = release::working_sources(&site);
    let history = release::history(site.today, &ledger, Some(&entry), &current, &working)?;
    // The sources go into the object store once the site has rendered.
    let sources: Vec<(&str, String)> =
        current.iter().map(|c| (c.digest.as_str(), working[c.digest.as_str()].to_string())).collect();
    site.history = history;
    let mut output = render_with(opts, &site, Some((number, site.today)))?;
    entry.files = verify::digests(&output.files);
    output.insert(verify::MANIFEST.to_string(), entry.to_bytes());
    for (digest, source) in &sources {
        ledger.store_object(digest, source)?;
    }
    ledger.append(&entry)?;
    write::write_atomically(&output, &opts.out)?;
    print_diagnostics(opts, diags);
    let c = &entry.changes;
    let line = format!(
        "已发布第{number}版：新增 {}、更正 {}、撤回 {}；网站已生成到 {}，用时 {:.2} 秒",
        c.added.len(),
        c.changed.len(),
        c.withdrawn.len(),
        opts.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Done(Summary { line, quiet: opts.quiet }))
}

/// The release's time of day: the real clock (UTC+8), or midnight of `--date` for reproducible runs.
fn release_time(opts: &Options, day: Date) -> String {
    if opts.date_given {
        return format!("{day}T00:00:00+08:00");
    }
    let china = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    Utc::now().with_timezone(&china).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// `gongshi init DIR`: a new content root that builds as it is.
pub fn init(dir: &std::path::Path) -> Result<Outcome> {
    let written = crate::scaffold::init(dir, today(None)?)?;
    let line = format!(
        "已在 {} 新建站点（{} 个文件）。下一步：gongshi build --root {}",
        dir.display(),
        written.len(),
        dir.display()
    );
    Ok(Outcome::Done(Summary { line, quiet: false }))
}

/// `gongshi new <kind>`: one record file at its place, placeholders to fill.
pub fn new_record(args: &crate::cli::NewArgs) -> Result<Outcome> {
    use crate::scaffold::{Fill, NewKind};
    let today = today(None)?;
    let needs_org = !matches!(args.kind, NewKind::Page);
    if needs_org && args.org.is_empty() {
        return Err(Error::Usage("请用 --org 指定组织 id（见 content/orgs.yaml）".into()));
    }
    let default_year = if args.kind == NewKind::Report { today.year() - 1 } else { today.year() };
    let slug = args.slug.clone().unwrap_or_else(|| format!("gongkai-{}", today.0.format("%Y%m%d")));
    if !crate::validate::is_slug(&slug) || (needs_org && !crate::validate::is_slug(&args.org)) {
        return Err(Error::Usage("--org 和 --slug 只能用小写英文字母、数字和连字符".into()));
    }
    let fill =
        Fill { org: args.org.clone(), year: args.year.unwrap_or(default_year), title: args.title.clone(), slug, today };
    let path = crate::scaffold::new_record(&args.root, args.kind, &fill)?;
    let line = format!("已新建 {}：请把其中「请填写…」的地方换成实际内容，再运行 gongshi build", path.display());
    Ok(Outcome::Done(Summary { line, quiet: false }))
}

/// `gongshi verify [DIR]`: every problem of a built site against its manifest and the ledger.
pub fn verify_site(dir: &std::path::Path, root: &std::path::Path) -> Result<Outcome> {
    let problems = verify::verify(dir, root)?;
    if problems.is_empty() {
        let line = format!("校验通过：{} 与发布账本一致，哈希链完整。", dir.display());
        return Ok(Outcome::Done(Summary { line, quiet: false }));
    }
    for p in &problems {
        eprintln!("{p}");
    }
    eprintln!("校验失败：发现 {} 处问题。", problems.len());
    Ok(Outcome::ContentErrors)
}

/// `gongshi build`: the site goes to disk as it renders (into a staging folder, swapped into place
/// at the end), so a big site is never all in memory at once.
pub fn build(opts: &Options) -> Result<Outcome> {
    let started = Instant::now();
    let Prepared { mut site, mut diags, ledger } = match prepare(opts)? {
        Ok(p) => p,
        Err(d) => return Ok(report_failure(opts, d)),
    };
    site.drop_sources();
    let released = prepared_release(&site, &ledger);
    let (theme, build) = theme_and_build(opts, &site, released.map(|e| (e.number, e.date)))?;
    let staging = write::Staging::begin(&opts.out)?;
    let sink = publish::Publish::new(&staging, released.is_none());
    let attachments = attachments_dir(opts);
    let written = stage("render", || render::render_into(&site, &theme, &build, &attachments, &sink))?;
    let published = stage("links", || publish::Publish::finish(written))?;
    let manifest = match released {
        Some(entry) => entry.to_bytes(),
        None => stage("manifest", || preview_manifest_of(&site, published.digests)),
    };
    staging.put(verify::MANIFEST, &manifest)?;
    stage("write", || staging.publish())?;
    for b in published.links.broken {
        diags.push(broken_link(&b, Severity::Warning));
    }
    print_diagnostics(opts, diags.clone());
    let line = summary(&site, (published.pages, published.files), &diags, started, &opts.out);
    // The process ends next: freeing millions of small allocations one by one would only delay it.
    std::mem::forget(site);
    Ok(Outcome::Done(Summary { line, quiet: opts.quiet }))
}

/// `gongshi print`: render in memory, then the chosen orgs' boards through Chromium into `pdf_dir`.
/// Chromium is looked for first, so a machine without it fails fast with exit 2.
pub fn print(opts: &Options, orgs: &[String], pdf_dir: &std::path::Path) -> Result<Outcome> {
    let started = Instant::now();
    let chromium = crate::print::chromium()?;
    let (site, output, diags) = match render_site(opts)? {
        Ok(done) => done,
        Err(diags) => return Ok(report_failure(opts, diags)),
    };
    let ids = crate::print::select(&site, orgs)?;
    print_diagnostics(opts, diags);
    let pdfs = crate::print::boards_to_pdf(&chromium, &output, &ids, pdf_dir)?;
    let paper = if site.config.paper == Paper::A3 { "A3" } else { "A4" };
    let line = format!(
        "已把 {} 个公示栏打印为 PDF（{paper} 纵向）到 {}，用时 {:.2} 秒",
        pdfs.len(),
        pdf_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(Outcome::Done(Summary { line, quiet: opts.quiet }))
}

pub fn check(opts: &Options) -> Result<Outcome> {
    let started = Instant::now();
    let (site, output, mut diags) = match render_site(opts)? {
        Ok(done) => done,
        Err(diags) => return Ok(report_failure(opts, diags)),
    };
    let report = links::check(&output);
    for b in &report.broken {
        diags.push(broken_link(b, Severity::Error));
    }
    let failed = diags.has_errors();
    print_diagnostics(opts, diags.clone());
    if failed {
        return Ok(Outcome::ContentErrors);
    }
    let line = format!(
        "检查通过：{} 个页面，{} 个站内链接全部有效，{} 个站外链接（未访问）；{} 个警告，用时 {:.2} 秒",
        output.pages(),
        report.checked - report.external.len(),
        report.external.len(),
        diags.warning_count(),
        started.elapsed().as_secs_f64()
    );
    let _ = site;
    Ok(Outcome::Done(Summary { line, quiet: opts.quiet }))
}

fn broken_link(b: &links::BrokenLink, severity: Severity) -> Diagnostic {
    Diagnostic {
        severity,
        path: b.page.clone(),
        line: 1,
        col: 1,
        rule: "broken-link",
        field: String::new(),
        message: format!("站内链接 `{}` 指向的文件不存在", b.target),
        hint: None,
        urgent: false,
    }
}

fn report_failure(opts: &Options, diags: Diagnostics) -> Outcome {
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    print_diagnostics(opts, diags);
    if opts.format == Format::Text {
        eprintln!("发现 {errors} 个错误、{warnings} 个警告；未生成网站，原有的 {} 保持不变。", opts.out.display());
    }
    Outcome::ContentErrors
}

fn print_diagnostics(opts: &Options, diags: Diagnostics) {
    let mut sources: std::collections::BTreeMap<String, Option<String>> = Default::default();
    let mut err = anstream::stderr();
    for d in diags.sorted() {
        if opts.quiet && d.severity == Severity::Warning {
            continue;
        }
        let line = match opts.format {
            Format::Json => serde_json::to_string(&d).unwrap_or_default(),
            Format::Text => {
                let source = sources
                    .entry(d.path.clone())
                    .or_insert_with(|| std::fs::read_to_string(opts.root.join(&d.path)).ok());
                d.render(source.as_deref())
            }
        };
        let _ = writeln!(err, "{line}");
    }
}

/// The closing line of a build; `written` counts its (pages, files).
fn summary(
    site: &Site,
    written: (usize, usize),
    diags: &Diagnostics,
    started: Instant,
    out: &std::path::Path,
) -> String {
    format!(
        "已生成 {}：年度目标 {}、述职评议 {}、整改清单 {}、党务公开 {}、群众评说 {}、页面 {}；共 {} 个网页、{} 个文件；{} 个警告；用时 {:.2} 秒",
        out.display(),
        site.targets.len(),
        site.reports.len(),
        site.rectifications.len(),
        site.disclosures.len(),
        site.comments.len(),
        site.pages.len(),
        written.0,
        written.1,
        diags.warning_count(),
        started.elapsed().as_secs_f64()
    )
}
