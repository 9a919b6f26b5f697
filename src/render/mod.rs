//! Model -> `Output` (root-relative path -> bytes), entirely in memory: pages through Tera, open
//! data, feeds, static files, attachments. Never touches `public/` (write does) and never makes a
//! URL outside `routes`.

pub mod data;
pub mod feed;
pub mod markdown;
pub mod pages;
pub mod routes;
pub mod theme;
pub mod views;

use crate::error::{Error, Result};
use crate::model::common::Date;
use crate::model::Site;
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

/// Renders the whole site into memory.
pub fn render(site: &Site, theme: &Theme, build: &BuildInfo, attachments_dir: &Path) -> Result<Output> {
    let tera = templates(theme)?;
    let common = views::Common::new(site, build);
    let jobs = pages::jobs(site);
    let rendered: Vec<Result<(String, Vec<u8>)>> = jobs
        .into_par_iter()
        .map(|job| {
            let mut ctx = job.context;
            common.fill(&mut ctx, &job.path, &job.title);
            let html = tera.render(job.template, &ctx).map_err(Error::from)?;
            Ok((job.path, html.into_bytes()))
        })
        .collect();
    let mut out = Output::default();
    for r in rendered {
        let (path, bytes) = r?;
        out.insert(path, bytes);
    }
    for (name, bytes) in theme.statics() {
        out.insert(routes::asset(name), bytes.to_vec());
    }
    data::write_all(site, &mut out)?;
    feed::write_all(site, &mut out);
    copy_attachments(site, attachments_dir, &mut out)?;
    Ok(out)
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
