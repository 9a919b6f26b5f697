//! Model -> `Output` (root-relative path -> bytes), entirely in memory: pages through Tera, open
//! data, feeds, static files, attachments. Never touches `public/` (write does) and never makes a
//! URL outside `routes`.

pub mod boards;
pub mod charts;
pub mod chrome;
pub mod data;
pub mod deps;
mod escape;
pub mod feed;
pub mod history;
mod incremental;
pub mod markdown;
pub mod pages;
pub mod qr;
pub mod routes;
pub mod search;
pub mod theme;
pub mod views;

use crate::error::{Error, Result};
use crate::model::common::Date;
use crate::model::Site;
use crate::timings::stage;
pub use incremental::{render_changed, Bytes, Delta, RenderCache};
use rayon::prelude::*;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use tera::{Tera, Value};
pub use theme::Theme;

/// The rendered site: output path (relative to the output folder) -> file contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    pub fn insert(&mut self, path: String, bytes: Vec<u8>) {
        self.files.insert(path, bytes);
    }
    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }
}

/// Facts of this build that every page shows.
#[derive(Debug, Clone, Serialize)]
pub struct BuildInfo {
    /// The build date in Chinese form.
    pub date: String,
    /// 第N版 and its date when the content equals the latest release.
    pub release: Option<ReleaseBadge>,
    /// Content differs from the latest release (or there is none yet).
    pub preview: bool,
    /// The party-internal edition (党内公开 · 注意保密 banner).
    pub party: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleaseBadge {
    pub number: u32,
    pub date: String,
}

/// A page to render: where it goes, with which template, with what data.
pub struct PageJob {
    pub path: String,
    pub template: &'static str,
    pub title: String,
    pub context: tera::Context,
    /// A notice's page also gives its body's plain text, made by the parse that made the body's
    /// HTML, for the search index: (the notice's index in `Site::disclosures`, the text).
    pub body_text: Option<(usize, String)>,
}

impl PageJob {
    /// A page at `path` rendered through `template` with `context`.
    pub fn new(path: String, template: &'static str, title: &str, context: tera::Context) -> PageJob {
        PageJob { path, template, title: title.to_string(), context, body_text: None }
    }
}

/// A page to render: its path, what its data is made from ([`deps::Deps`]) and the recipe for the
/// data. The data is gathered only when the page's turn to render comes (in parallel, without a
/// big site ever holding every page's data at once), and not at all when `serve` finds the page's
/// inputs unchanged.
pub struct Job<'a> {
    pub path: String,
    /// Fingerprint of the page's inputs (0 when nothing is tracked).
    pub deps: u64,
    build: Box<dyn FnOnce() -> PageJob + Send + 'a>,
}

impl<'a> Job<'a> {
    /// A page at `path` made from `deps`, its data built by `build` when it is rendered.
    pub fn later(path: String, deps: deps::Deps, build: impl FnOnce() -> PageJob + Send + 'a) -> Job<'a> {
        Job { path, deps: deps.finish(), build: Box::new(build) }
    }

    /// A page whose data is already built.
    pub fn ready(page: PageJob, deps: deps::Deps) -> Job<'a> {
        Job { path: page.path.clone(), deps: deps.finish(), build: Box::new(move || page) }
    }

    fn into_page(self) -> Result<PageJob> {
        let page = (self.build)();
        if page.path != self.path {
            return Err(Error::Other(format!("网页路径不一致：{} 与 {}", self.path, page.path)));
        }
        Ok(page)
    }
}

/// A progress bar on stderr for long renders: hidden at first, shown once the render has taken a
/// second, and only on a terminal.
struct Progress {
    bar: indicatif::ProgressBar,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Progress {
    fn new(len: usize) -> Progress {
        let bar = indicatif::ProgressBar::with_draw_target(Some(len as u64), indicatif::ProgressDrawTarget::hidden());
        if let Ok(style) = indicatif::ProgressStyle::with_template("生成网页 {bar:40} {pos}/{len} {elapsed}") {
            bar.set_style(style);
        }
        Progress { bar, started: std::time::Instant::now(), shown: Default::default() }
    }

    fn inc(&self) {
        use std::io::IsTerminal;
        use std::sync::atomic::Ordering;
        self.bar.inc(1);
        if !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() > std::time::Duration::from_secs(1)
            && !self.shown.swap(true, Ordering::Relaxed)
            && std::io::stderr().is_terminal()
        {
            self.bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }
}

/// Hashes a page's template and data, streaming the data's JSON into the hasher (no copy of the
/// data, no JSON text).
fn fingerprint_data(template: &str, data: &Value) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    template.hash(&mut h);
    deps::json(data, &mut h);
    h.finish()
}

/// Every page job of the site.
fn all_jobs<'a>(site: &'a Site, tracker: &'a deps::Tracker) -> Vec<Job<'a>> {
    let mut jobs = pages::jobs(site, tracker);
    jobs.push(Job::ready(search::page(), tracker.deps()));
    jobs
}

/// Where rendered files go, each as soon as it is made and from whichever thread made it: into
/// memory ([`render`]) or out to disk as the site is built (the pipeline's sink). What `put` returns
/// for a file is kept.
pub trait Sink: Sync {
    type Kept: Send;
    /// The paths known before anything renders (every page, static file and attachment), sorted.
    fn expect(&self, _paths: &[&str]) -> Result<()> {
        Ok(())
    }
    /// One file of the site. Never re-enters the renderer.
    fn put(&self, path: &str, bytes: Cow<'_, [u8]>) -> Result<Self::Kept>;
}

/// Keeps every file in memory.
struct Keep;

impl Sink for Keep {
    type Kept = Vec<u8>;
    fn put(&self, _: &str, bytes: Cow<'_, [u8]>) -> Result<Vec<u8>> {
        Ok(bytes.into_owned())
    }
}

/// Renders the whole site into memory.
pub fn render(site: &Site, theme: &Theme, build: &BuildInfo, attachments_dir: &Path) -> Result<Output> {
    let files = render_into(site, theme, build, attachments_dir, &Keep)?;
    Ok(Output { files: files.into_iter().collect() })
}

/// Renders the whole site into `sink`: what the sink kept of each file, by path, in no set order.
pub fn render_into<S: Sink>(
    site: &Site,
    theme: &Theme,
    build: &BuildInfo,
    attachments_dir: &Path,
    sink: &S,
) -> Result<Vec<(String, S::Kept)>> {
    let common = chrome::Common::new(site, build);
    let tracker = deps::Tracker::off();
    let statics: Vec<(String, &[u8])> = theme.statics().map(|(name, bytes)| (routes::asset(name), bytes)).collect();
    let attachments: Vec<(String, &String)> = site.attachments.iter().map(|k| (routes::attachment(k), k)).collect();
    // The open data does not depend on the pages: built alongside them (and alongside the
    // templates' compiling, which would otherwise keep the other core idle). The search index
    // comes after: it takes the notices' body texts from their pages (one Markdown parse each).
    let texts = search::BodyTexts::new(site);
    let (pages, data) = rayon::join(
        || {
            let tera = templates(theme)?;
            let jobs = stage("render/jobs", || all_jobs(site, &tracker));
            let mut known: Vec<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
            known.extend(statics.iter().map(|(p, _)| p.as_str()));
            known.extend(attachments.iter().map(|(p, _)| p.as_str()));
            known.sort_unstable();
            sink.expect(&known)?;
            drop(known);
            let progress = Progress::new(jobs.len());
            let rendered = stage("render/pages", || {
                jobs.into_par_iter()
                    .inspect(|_| progress.inc())
                    .map(|job| {
                        render_page_with(job, &tera, &common, false, Some(&texts), |path, html, _| {
                            put(sink, path, html)
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            });
            progress.bar.finish_and_clear();
            rendered
        },
        || {
            let mut data = Output::default();
            stage("render/data", || data::write_all(site, &mut data))?;
            put_all(sink, data.files)
        },
    );
    let mut kept = pages?;
    kept.extend(data?);
    let put_index = |path, bytes| put(sink, path, Cow::Owned(bytes));
    let index = stage("render/search", || search::index_with(site, Some(texts), put_index));
    kept.extend(index.into_iter().collect::<Result<Vec<_>>>()?);
    for (path, bytes) in statics {
        kept.push(put(sink, path, Cow::Borrowed(bytes))?);
    }
    // The sitemap lists the pages; attachments are not among them.
    let sitemap = feed::sitemap(site, kept.iter().map(|(p, _)| p.as_str()));
    kept.extend(put_all(sink, feed::feed(site).into_iter().chain(sitemap))?);
    for (path, key) in attachments {
        let file = attachments_dir.join(key);
        let bytes = std::fs::read(&file).map_err(|e| Error::read(&file, e))?;
        kept.push(put(sink, path, Cow::Owned(bytes))?);
    }
    Ok(kept)
}

fn put<S: Sink>(sink: &S, path: String, bytes: Cow<'_, [u8]>) -> Result<(String, S::Kept)> {
    let kept = sink.put(&path, bytes)?;
    Ok((path, kept))
}

/// Puts every file of `files`, in parallel.
fn put_all<S: Sink>(sink: &S, files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Result<Vec<(String, S::Kept)>> {
    let files: Vec<(String, Vec<u8>)> = files.into_iter().collect();
    files.into_par_iter().map(|(path, bytes)| put(sink, path, Cow::Owned(bytes))).collect()
}

/// The files made from the whole site at once (open data, search index, feed and sitemap), for
/// `serve`, which builds them after the pages. `other` are the paths of the pages and static files
/// (the sitemap lists the pages).
pub fn aggregates(site: &Site, other: Vec<&str>) -> Result<Output> {
    let (index, data) = rayon::join(
        || search::index_script(site),
        || {
            let mut data = Output::default();
            data::write_all(site, &mut data).map(|_| data)
        },
    );
    let mut out = data?;
    out.files.extend(index);
    let mut keys = other;
    keys.extend(out.files.keys().map(String::as_str));
    let sitemap = feed::sitemap(site, keys.into_iter());
    out.files.extend(feed::feed(site).into_iter().chain(sitemap));
    Ok(out)
}

/// A rendered page: its HTML and, when asked for, its data's fingerprint.
struct Rendered {
    html: Vec<u8>,
    data: u64,
}

/// Builds a job's data and renders it through its template; `fingerprint` also hashes the data
/// (for `RenderCache::checking`).
fn render_page(job: Job, tera: &Tera, common: &chrome::Common, fingerprint: bool) -> Result<Rendered> {
    render_page_with(job, tera, common, fingerprint, None, |_, html, data| {
        Ok(Rendered { html: html.into_owned(), data })
    })
}

/// Renders a job's page into this thread's reusable buffer and hands it, borrowed, to `done` with
/// its path and data fingerprint: `Tera::render` would grow its own buffer by doubling from 2 KB (a
/// copy at each step, and an allocation up to twice the page's size) and check the bytes as UTF-8
/// once more. The buffer is taken out of the thread while in use, so a `done` that lets rayon run
/// another page on this thread only costs that page a buffer of its own.
fn render_page_with<R>(
    job: Job,
    tera: &Tera,
    common: &chrome::Common,
    fingerprint: bool,
    texts: Option<&search::BodyTexts>,
    done: impl FnOnce(String, Cow<'_, [u8]>, u64) -> Result<R>,
) -> Result<R> {
    use std::cell::Cell;
    thread_local! {
        static BUFFER: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }
    let (mut page, data) = page_data(job, tera, common, fingerprint)?;
    if let (Some(texts), Some((i, text))) = (texts, page.body_text.take()) {
        texts.set(i, text);
    }
    let mut buffer = BUFFER.take();
    buffer.clear();
    buffer.reserve(64 * 1024);
    let rendered = tera.render_to(page.template, &page.context, &mut buffer).map_err(Error::from);
    drop(page.context);
    let result = rendered.and_then(|()| done(page.path, Cow::Borrowed(buffer.as_slice()), data));
    BUFFER.set(buffer);
    result
}

/// A job's data with the shared variables filled in, and its fingerprint when asked for.
fn page_data(job: Job, tera: &Tera, common: &chrome::Common, fingerprint: bool) -> Result<(PageJob, u64)> {
    let mut page = job.into_page()?;
    common.fill(tera, &mut page.context, &page.path, &page.title)?;
    if !fingerprint {
        return Ok((page, 0));
    }
    let data = std::mem::take(&mut page.context).into_json();
    let print = fingerprint_data(page.template, &data);
    page.context = tera::Context::from_value(data)?;
    Ok((page, print))
}

/// Compiles the theme's templates once and registers gongshi's filters.
pub fn templates(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.add_raw_templates(theme.templates().collect::<Vec<_>>())?;
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape::escape_html);
    tera.register_filter("cdate", cdate);
    tera.register_filter("pct", pct);
    tera.register_filter("css_string", boards::css_string);
    Ok(tera)
}

/// `2025-03-06` -> `2025年3月6日`; anything else passes through.
fn cdate(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(match v.as_str().and_then(Date::parse) {
        Some(d) => Value::String(d.chinese()),
        None => v.clone(),
    })
}

/// A percentage to one decimal, half up: `61.111` -> `61.1%`; null stays empty.
fn pct(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(match v.as_f64() {
        Some(x) => Value::String(crate::model::figures::percent(x)),
        None => Value::String("—".into()),
    })
}
