//! Model -> `Output` (root-relative path -> bytes), entirely in memory: pages through Tera, open
//! data, feeds, static files, attachments. Never touches `public/` (write does) and never makes a
//! URL outside `routes`.

pub mod boards;
pub mod charts;
pub mod chrome;
pub mod data;
pub mod feed;
pub mod history;
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
use rayon::prelude::*;
use serde::Serialize;
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
}

/// A page ready to render, or the recipe for one. Heavy pages (a notice with its Markdown body, a
/// long listing) gather their data only when their turn to render comes: in parallel, and without
/// a big site ever holding every page's data at once.
pub enum Job<'a> {
    Ready(PageJob),
    Later(Box<dyn FnOnce() -> PageJob + Send + 'a>),
}

impl<'a> Job<'a> {
    pub fn later(build: impl FnOnce() -> PageJob + Send + 'a) -> Job<'a> {
        Job::Later(Box::new(build))
    }

    fn into_page(self) -> PageJob {
        match self {
            Job::Ready(page) => page,
            Job::Later(build) => build(),
        }
    }
}

/// Pages rendered by an earlier run, for `serve`: a page whose template data did not change is not
/// rendered again. Keyed by the theme, so a theme change renders everything.
#[derive(Default)]
pub struct RenderCache {
    theme: u64,
    tera: Option<Tera>,
    pages: HashMap<String, (u64, std::sync::Arc<Vec<u8>>)>,
    /// Pages actually rendered by the last run (the rest came from the cache).
    pub rendered: usize,
    /// Whether to remember pages at all (a one-shot build has no use for them).
    keep: bool,
}

impl RenderCache {
    /// A cache that remembers rendered pages between runs.
    pub fn keeping() -> RenderCache {
        RenderCache { keep: true, ..RenderCache::default() }
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

fn fingerprint<T: std::hash::Hash>(value: &T) -> u64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut h = DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Hashes a page's template and data, streaming the data's JSON into the hasher (no copy of the
/// data, no JSON text).
fn fingerprint_data(template: &str, data: &Value) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    struct Hashing(DefaultHasher);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(DefaultHasher::new());
    template.hash(&mut h.0);
    let _ = serde_json::to_writer(&mut h, data);
    h.0.finish()
}

/// Renders the whole site into memory.
pub fn render(site: &Site, theme: &Theme, build: &BuildInfo, attachments_dir: &Path) -> Result<Output> {
    render_cached(site, theme, build, attachments_dir, &mut RenderCache::default())
}

/// Like [`render`], rendering only the pages whose inputs (template data and theme) changed.
pub fn render_cached(
    site: &Site,
    theme: &Theme,
    build: &BuildInfo,
    attachments_dir: &Path,
    cache: &mut RenderCache,
) -> Result<Output> {
    let theme_print = fingerprint(&theme.files);
    if cache.tera.is_none() || cache.theme != theme_print {
        *cache = RenderCache {
            theme: theme_print,
            tera: Some(templates(theme)?),
            keep: cache.keep,
            ..RenderCache::default()
        };
    }
    let tera = cache.tera.as_ref().expect("set above");
    let previous = std::mem::take(&mut cache.pages);
    let keep = cache.keep;
    let common = chrome::Common::new(site, build);
    // The search index and the open data do not depend on the pages: built alongside them.
    let (rendered, (index, data)) = rayon::join(
        || {
            let mut jobs = stage("render/jobs", || pages::jobs(site));
            jobs.push(Job::Ready(search::page()));
            let progress = Progress::new(jobs.len());
            let rendered = stage("render/pages", || render_pages(jobs, tera, &common, &previous, keep, &progress));
            progress.bar.finish_and_clear();
            rendered
        },
        || {
            rayon::join(
                || stage("render/search", || search::index_script(site)),
                || {
                    let mut data = Output::default();
                    stage("render/data", || data::write_all(site, &mut data)).map(|_| data)
                },
            )
        },
    );
    let mut out = Output::default();
    cache.rendered = 0;
    for r in rendered {
        let (path, key, bytes, fresh) = r?;
        cache.rendered += usize::from(fresh);
        if keep {
            out.insert(path.clone(), bytes.as_ref().clone());
            cache.pages.insert(path, (key, bytes));
        } else {
            out.insert(path, std::sync::Arc::try_unwrap(bytes).unwrap_or_else(|a| a.as_ref().clone()));
        }
    }
    for (name, bytes) in theme.statics() {
        out.insert(routes::asset(name), bytes.to_vec());
    }
    out.files.extend(data?.files);
    out.files.extend(index);
    feed::write_all(site, &mut out);
    copy_attachments(site, attachments_dir, &mut out)?;
    Ok(out)
}

/// A page as rendered: (path, data fingerprint, bytes, whether it was rendered now or came from the cache).
type Rendered = (String, u64, std::sync::Arc<Vec<u8>>, bool);

/// Renders the jobs in parallel, each page through its template (or from the cache when its data did
/// not change).
fn render_pages(
    jobs: Vec<Job>,
    tera: &Tera,
    common: &chrome::Common,
    previous: &HashMap<String, (u64, std::sync::Arc<Vec<u8>>)>,
    keep: bool,
    progress: &Progress,
) -> Vec<Result<Rendered>> {
    jobs.into_par_iter()
        .inspect(|_| progress.inc())
        .map(|job| {
            let job = job.into_page();
            let mut ctx = job.context;
            common.fill(tera, &mut ctx, &job.path, &job.title)?;
            // Hashing the data costs a serialization; only worth it when pages are kept for next time.
            let (ctx, key) = match keep {
                true => {
                    let data = ctx.into_json();
                    let key = fingerprint_data(job.template, &data);
                    (tera::Context::from_value(data)?, key)
                }
                false => (ctx, 0),
            };
            if let Some((k, bytes)) = previous.get(&job.path).filter(|(k, _)| *k == key) {
                return Ok((job.path, *k, bytes.clone(), false));
            }
            let mut html = tera.render(job.template, &ctx).map_err(Error::from)?.into_bytes();
            // The render buffer grew by doubling: kept as it is, a big site holds a third more.
            html.shrink_to_fit();
            Ok((job.path, key, std::sync::Arc::new(html), true))
        })
        .collect()
}

fn copy_attachments(site: &Site, dir: &Path, out: &mut Output) -> Result<()> {
    for key in &site.attachments {
        let path = dir.join(key);
        let bytes = std::fs::read(&path).map_err(|e| Error::read(&path, e))?;
        out.insert(routes::attachment(key), bytes);
    }
    Ok(())
}

/// Compiles the theme's templates once and registers gongshi's filters.
pub fn templates(theme: &Theme) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.add_raw_templates(theme.templates().collect::<Vec<_>>())?;
    tera.autoescape_on(vec![".html", ".xml"]);
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
