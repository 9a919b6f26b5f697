//! `serve`'s rendering: the pages, static files and attachments of the last render are kept, and a
//! render builds and renders only the pages whose inputs changed ([`super::deps`]), the pages of
//! the edited files first. What changed is handed out as [`Delta`]s, so the server swaps in pages
//! without copying the site. The files made from the whole site at once are not built here
//! (`super::aggregates`). Never writes files.

use super::{all_jobs, chrome, deps, page_data, pages, render_page, routes, templates, BuildInfo, Job, Theme};
use crate::error::{Error, Result};
use crate::model::Site;
use crate::timings::stage;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::Arc;
use std::time::SystemTime;

/// Bytes shared between the cache and the server.
pub type Bytes = Arc<Vec<u8>>;

/// Files that changed in one step of a render.
#[derive(Debug, Default)]
pub struct Delta {
    /// New or changed files (pages, static files, attachments), by output path.
    pub files: Vec<(String, Bytes)>,
    /// Output paths that are no longer part of the site.
    pub removed: Vec<String>,
    /// Pages whose inputs changed but that are not rendered yet: a later delta brings them.
    pub pending: Vec<String>,
    /// Every page not in this delta may have changed too: hold them until the next delta, which
    /// says which ones did.
    pub hold: bool,
}

/// One kept page.
struct Kept {
    deps: u64,
    /// The data's fingerprint, only when checking.
    data: u64,
    bytes: Bytes,
}

/// What `serve` keeps between renders. Keyed by the theme: a theme change renders everything.
#[derive(Default)]
pub struct RenderCache {
    theme: u64,
    tera: Option<tera::Tera>,
    pages: HashMap<String, Kept>,
    statics: BTreeMap<String, Bytes>,
    /// Output path of each published attachment -> (its size and modification time when read, bytes).
    attachments: HashMap<String, ((u64, Option<SystemTime>), Bytes)>,
    /// Rebuild the data of every reused page and compare it with the data it was rendered from.
    check: bool,
    /// Pages rendered by the last render (the rest were reused).
    pub rendered: usize,
    /// With `checking`: pages reused although their data changed (a dependency not declared).
    pub stale: Vec<String>,
}

impl RenderCache {
    /// A cache that also proves each reuse right: for tests of the dependency declarations.
    pub fn checking() -> RenderCache {
        RenderCache { check: true, ..RenderCache::default() }
    }

    /// Every file the cache holds: pages, static files, attachments.
    pub fn files(&self) -> impl Iterator<Item = (&str, &Bytes)> {
        let pages = self.pages.iter().map(|(k, p)| (k.as_str(), &p.bytes));
        let statics = self.statics.iter().map(|(k, b)| (k.as_str(), b));
        pages.chain(statics).chain(self.attachments.iter().map(|(k, (_, b))| (k.as_str(), b)))
    }

    /// The paths of the pages and static files (what the sitemap is made from).
    pub fn page_and_static_paths(&self) -> impl Iterator<Item = &str> {
        self.pages.keys().chain(self.statics.keys()).map(String::as_str)
    }

    /// Compiles the templates again when the theme changed. The kept pages stay: the theme is
    /// among every page's inputs, so they all render again, and the ones gone are still known.
    fn reset_for(&mut self, theme: &Theme) -> Result<()> {
        let print = theme_print(theme);
        if self.tera.is_none() || self.theme != print {
            self.tera = Some(templates(theme)?);
            self.theme = print;
        }
        Ok(())
    }
}

fn theme_print(theme: &Theme) -> u64 {
    let mut h = DefaultHasher::new();
    theme.files.hash(&mut h);
    h.finish()
}

/// Renders the pages whose inputs changed since the last render, handing each step's files to
/// `publish` as a [`Delta`]: first the pages of the records whose files `edited` names (made before
/// anything else is known, so every other page is held until the next delta), then the list of
/// the other pages whose inputs changed (pending) with the static files and attachments that
/// changed, then those pages.
pub fn render_changed(
    site: &Site,
    theme: &Theme,
    build: &BuildInfo,
    attachments_dir: &Path,
    cache: &mut RenderCache,
    edited: &dyn Fn(&str) -> bool,
    publish: &mut dyn FnMut(Delta),
) -> Result<()> {
    cache.reset_for(theme)?;
    cache.rendered = 0;
    let common = chrome::Common::new(site, build);
    let tera = cache.tera.take().expect("set by reset_for");
    let result = steps(site, theme, attachments_dir, cache, edited, publish, &tera, &common);
    cache.tera = Some(tera);
    result
}

#[allow(clippy::too_many_arguments)]
fn steps(
    site: &Site,
    theme: &Theme,
    attachments_dir: &Path,
    cache: &mut RenderCache,
    edited: &dyn Fn(&str) -> bool,
    publish: &mut dyn FnMut(Delta),
    tera: &tera::Tera,
    common: &chrome::Common,
) -> Result<()> {
    // The edited records' own pages, rendered before the fingerprints of every page are made.
    let untracked = deps::Tracker::off();
    let first = pages::record_jobs(site, &untracked, edited);
    let files = stage("render/first", || render_into(first, tera, common, cache))?;
    let fresh: HashSet<String> = files.iter().map(|(path, _)| path.clone()).collect();
    publish(Delta { files, hold: true, ..Delta::default() });

    let tracker = stage("render/deps", || deps::Tracker::new(site, shared_print(cache.theme, common)));
    let jobs = stage("render/jobs", || all_jobs(site, &tracker));
    let mut delta = Delta::default();
    let paths: HashSet<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
    cache.pages.retain(|path, _| {
        let keep = paths.contains(path.as_str());
        if !keep {
            delta.removed.push(path.clone());
        }
        keep
    });
    let (mut later, mut reused) = (Vec::new(), Vec::new());
    for job in jobs {
        match cache.pages.get_mut(&job.path) {
            // Rendered above from this very site: only its fingerprint was missing.
            Some(kept) if fresh.contains(&job.path) => {
                kept.deps = job.deps;
                reused.push(job);
            }
            Some(kept) if kept.deps == job.deps => reused.push(job),
            _ => later.push(job),
        }
    }
    statics(theme, cache, &mut delta);
    attachments(site, attachments_dir, cache, &mut delta)?;
    delta.pending = later.iter().map(|j| j.path.clone()).collect();
    publish(delta);
    let files = stage("render/rest", || render_into(later, tera, common, cache))?;
    publish(Delta { files, ..Delta::default() });
    if cache.check {
        cache.stale = stale(reused, tera, common, cache)?;
    }
    Ok(())
}

/// Fingerprint of what every page shows besides the site's settings: the theme, and the shared
/// header, footer and navigation.
fn shared_print(theme: u64, common: &chrome::Common) -> u64 {
    let mut h = DefaultHasher::new();
    theme.hash(&mut h);
    common.fingerprint().hash(&mut h);
    h.finish()
}

/// Renders the jobs in parallel, keeps them, and returns their paths and bytes. A page that fails
/// leaves the cache without it, so the next render tries it again.
fn render_into(
    jobs: Vec<Job>,
    tera: &tera::Tera,
    common: &chrome::Common,
    cache: &mut RenderCache,
) -> Result<Vec<(String, Bytes)>> {
    let check = cache.check;
    let deps: Vec<(String, u64)> = jobs.iter().map(|j| (j.path.clone(), j.deps)).collect();
    let rendered: Vec<Result<super::Rendered>> =
        jobs.into_par_iter().map(|job| render_page(job, tera, common, check)).collect();
    let mut out = Vec::with_capacity(rendered.len());
    let mut failed = None;
    for ((path, deps), r) in deps.into_iter().zip(rendered) {
        match r {
            Ok(page) => {
                let bytes = Arc::new(page.html);
                cache.pages.insert(path.clone(), Kept { deps, data: page.data, bytes: bytes.clone() });
                out.push((path, bytes));
            }
            Err(e) => {
                cache.pages.remove(&path);
                failed.get_or_insert(e);
            }
        }
    }
    cache.rendered += out.len();
    match failed {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// With checking: builds the data of every reused page and names those whose data differs from
/// the data their kept bytes were rendered from.
fn stale(jobs: Vec<Job>, tera: &tera::Tera, common: &chrome::Common, cache: &RenderCache) -> Result<Vec<String>> {
    let checked: Vec<Result<Option<String>>> = jobs
        .into_par_iter()
        .map(|job| {
            let kept = cache.pages.get(&job.path).map(|k| k.data);
            let (page, data) = page_data(job, tera, common, true)?;
            Ok((kept != Some(data)).then_some(page.path))
        })
        .collect();
    let mut out: Vec<String> = checked.into_iter().filter_map(Result::transpose).collect::<Result<_>>()?;
    out.sort();
    Ok(out)
}

/// For `retain`: whether a kept file is still wanted; one that is not is listed as removed.
fn still_there(wanted: bool, path: &str, removed: &mut Vec<String>) -> bool {
    if !wanted {
        removed.push(path.to_string());
    }
    wanted
}

/// The theme's static files that changed or went away.
fn statics(theme: &Theme, cache: &mut RenderCache, delta: &mut Delta) {
    let now: BTreeMap<String, &[u8]> = theme.statics().map(|(name, bytes)| (routes::asset(name), bytes)).collect();
    cache.statics.retain(|path, _| still_there(now.contains_key(path), path, &mut delta.removed));
    for (path, bytes) in now {
        if cache.statics.get(&path).is_none_or(|kept| kept.as_slice() != bytes) {
            let bytes = Arc::new(bytes.to_vec());
            cache.statics.insert(path.clone(), bytes.clone());
            delta.files.push((path, bytes));
        }
    }
}

/// The published attachments that are new, changed on disk (size or modification time) or gone.
fn attachments(site: &Site, dir: &Path, cache: &mut RenderCache, delta: &mut Delta) -> Result<()> {
    let wanted: HashMap<String, &String> = site.attachments.iter().map(|k| (routes::attachment(k), k)).collect();
    cache.attachments.retain(|path, _| still_there(wanted.contains_key(path), path, &mut delta.removed));
    for (path, key) in wanted {
        let file = dir.join(key);
        let meta = std::fs::metadata(&file).map_err(|e| Error::read(&file, e))?;
        let stamp = (meta.len(), meta.modified().ok());
        if cache.attachments.get(&path).is_some_and(|(kept, _)| *kept == stamp && stamp.1.is_some()) {
            continue;
        }
        let bytes = Arc::new(std::fs::read(&file).map_err(|e| Error::read(&file, e))?);
        cache.attachments.insert(path.clone(), (stamp, bytes.clone()));
        delta.files.push((path, bytes));
    }
    Ok(())
}
