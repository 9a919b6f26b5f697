//! One editing session: the caches that make rebuilds incremental, and what is needed to build the
//! files made from the whole site after the pages. Knows nothing of threads or HTTP; `serve` and the
//! tests drive it the same way.

use crate::diagnostics::Severity;
use crate::error::Result;
use crate::load::Changes;
use crate::model::Site;
use crate::pipeline::{self, Caches, Options};
use crate::release::verify;
use crate::render::{self, Bytes, Delta, Output};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// The caches of one `serve` run and the last good site.
pub struct Session {
    opts: Options,
    caches: Caches,
    /// Paths the watcher reported that did not call for a rebuild (editor files): read with the
    /// next rebuild, so the cache always matches the disk.
    deferred: Vec<PathBuf>,
    /// The last good site, and its manifest when it is a published version.
    site: Option<Arc<Site>>,
    manifest: Option<Vec<u8>>,
}

/// The result of one rebuild.
pub enum Rebuilt {
    Site { pages: usize, warnings: usize, rendered: usize },
    Failed { errors: Vec<String> },
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session::with(opts, Caches::keeping())
    }

    /// A session that proves every reused page unchanged ([`Session::stale`]): for tests.
    pub fn checking(opts: Options) -> Session {
        Session::with(opts, Caches::checking())
    }

    fn with(opts: Options, caches: Caches) -> Session {
        Session { opts, caches, deferred: Vec::new(), site: None, manifest: None }
    }

    /// Remembers paths that changed without calling for a rebuild.
    pub fn defer(&mut self, paths: impl IntoIterator<Item = PathBuf>) {
        self.deferred.extend(paths);
    }

    /// Rebuilds after `changes`, handing the changed files to `publish` step by step (see
    /// `render::render_changed`): the pages of the edited records first, then which other pages
    /// changed, then those pages. Nothing is published when the content has errors.
    pub fn rebuild(&mut self, changes: Changes, publish: &mut dyn FnMut(Delta)) -> Result<Rebuilt> {
        let changes = match changes {
            Changes::Paths(mut paths) => {
                paths.append(&mut self.deferred);
                Changes::Paths(paths)
            }
            Changes::All => {
                self.deferred.clear();
                Changes::All
            }
        };
        let edited = edited_files(&self.opts.root, &changes);
        let folders: Vec<String> = edited.iter().map(|e| format!("{e}/")).collect();
        let first = |source: &str| edited.iter().any(|e| source == e) || folders.iter().any(|f| source.starts_with(f));
        match pipeline::rebuild(&self.opts, &mut self.caches, &changes, &first, publish)? {
            Ok(done) => {
                self.site = Some(done.site);
                self.manifest = done.manifest;
                let pages = self.caches.render.page_and_static_paths().filter(|p| p.ends_with(".html")).count();
                let rendered = self.caches.render.rendered;
                Ok(Rebuilt::Site { pages, warnings: done.diags.warning_count(), rendered })
            }
            Err(diags) => Ok(Rebuilt::Failed {
                errors: diags
                    .sorted()
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.to_string())
                    .collect(),
            }),
        }
    }

    /// The build of the files made from the whole site for the current site, to run anywhere.
    pub fn aggregates(&self) -> Option<Aggregates> {
        let site = self.site.clone()?;
        let files = self.caches.render.files().map(|(k, b)| (k.to_string(), b.clone())).collect();
        let paths = self.caches.render.page_and_static_paths().map(str::to_string).collect();
        Some(Aggregates { site, files, paths, manifest: self.manifest.clone() })
    }

    /// With [`Session::checking`]: the pages the last rebuild reused although their data changed.
    pub fn stale(&self) -> &[String] {
        &self.caches.render.stale
    }

    /// The whole site as served once everything is current, the files made from the whole site and
    /// the manifest included: what a one-shot build of the same content gives.
    pub fn output(&self) -> Result<Output> {
        let mut out = Output::default();
        for (path, bytes) in self.caches.render.files() {
            out.insert(path.to_string(), bytes.as_ref().clone());
        }
        if let Some(job) = self.aggregates() {
            for (path, bytes) in job.run(&mut DigestMemo::default())? {
                out.insert(path, bytes.as_ref().clone());
            }
        }
        Ok(out)
    }
}

/// The content files `changes` names, as paths relative to the root (`content/…`).
fn edited_files(root: &std::path::Path, changes: &Changes) -> Vec<String> {
    let Changes::Paths(paths) = changes else { return Vec::new() };
    paths
        .iter()
        .filter_map(|p| p.strip_prefix(root).ok())
        .map(|rel| rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
        .collect()
}

/// Digests of files already digested, by path, kept with the bytes they were computed from.
#[derive(Default)]
pub struct DigestMemo(HashMap<String, (Bytes, String)>);

impl DigestMemo {
    fn digest(&self, path: &str, bytes: &Bytes) -> String {
        match self.0.get(path) {
            Some((kept, digest)) if Arc::ptr_eq(kept, bytes) => digest.clone(),
            _ => crate::validate::digest_hex(bytes),
        }
    }
}

/// What builds the open data, search index, feed, sitemap and manifest of one site.
pub struct Aggregates {
    site: Arc<Site>,
    /// Every other file (pages, static files, attachments): the manifest lists their digests.
    files: Vec<(String, Bytes)>,
    /// Paths of the pages and static files, for the sitemap.
    paths: Vec<String>,
    manifest: Option<Vec<u8>>,
}

impl Aggregates {
    /// Builds the files; a preview's manifest digests only files it has not digested before.
    pub fn run(self, memo: &mut DigestMemo) -> Result<Vec<(String, Bytes)>> {
        let out = render::aggregates(&self.site, self.paths.iter().map(String::as_str).collect())?;
        let made: Vec<(String, Bytes)> = out.files.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        let manifest = match self.manifest {
            Some(m) => m,
            None => {
                use rayon::prelude::*;
                let all: Vec<&(String, Bytes)> = self.files.iter().chain(&made).collect();
                let digests: Vec<String> = all.par_iter().map(|(k, b)| memo.digest(k, b)).collect();
                let mut kept = HashMap::with_capacity(all.len());
                let mut listed = BTreeMap::new();
                for ((path, bytes), digest) in all.into_iter().zip(digests) {
                    kept.insert(path.clone(), (bytes.clone(), digest.clone()));
                    listed.insert(path.clone(), digest);
                }
                memo.0 = kept;
                pipeline::preview_manifest_of(&self.site, listed)
            }
        };
        let mut files = made;
        files.push((verify::MANIFEST.to_string(), Arc::new(manifest)));
        Ok(files)
    }
}
