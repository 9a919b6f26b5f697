//! Which pages the site has and what data each gets: one `PageJob` per page of site.md, built from
//! the validated `Site`. This module orders them and holds what several page kinds share (list lines,
//! year links, publication facts); `home` has the home page, the org tree and org pages,
//! `evaluation` targets, reports and rectifications, `notices` disclosures and the comments column.
//! Never renders templates and never writes files.

mod evaluation;
mod home;
mod notices;

use super::views::{org_ref_by_id, period_view, OrgRef, PeriodView};
use super::{markdown, routes, Job, PageJob};
use crate::model::common::Date;
use crate::model::records::Disclosure;
use crate::model::{Record, Site};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use tera::Context;

pub fn jobs(site: &Site) -> Vec<Job<'_>> {
    // Kinds of small pages are built side by side; reports and notices, the heavy pages, are left
    // for the render stage to build as it renders them (see `Job`). Order does not matter: pages
    // are keyed by path.
    let kinds: [fn(&Site) -> Vec<PageJob>; 8] = [
        |site| vec![home::home(site), home::org_tree(site)],
        |site| (0..site.orgs.orgs.len()).into_par_iter().map(|ix| home::org_page(site, ix)).collect(),
        evaluation::targets_pages,
        evaluation::rectification_pages,
        notices::comment_pages,
        super::boards::jobs,
        super::history::jobs,
        free_pages,
    ];
    let mut jobs: Vec<Job> = kinds.par_iter().map(|kind| kind(site)).flatten_iter().map(Job::Ready).collect();
    jobs.extend(evaluation::report_pages(site));
    jobs.extend(notices::disclosure_pages(site));
    jobs
}

fn free_pages(site: &Site) -> Vec<PageJob> {
    site.pages
        .iter()
        .map(|p| {
            let mut ctx = Context::new();
            ctx.insert("body_html", &markdown::render(&p.value.body));
            ctx.insert("check_code", p.check_code());
            job(routes::page(&p.value.slug), "page.html", &p.value.title, ctx)
        })
        .collect()
}

/// An org's short name for labels, empty when the org is unknown.
pub(super) fn short_name(org: &Option<OrgRef>) -> String {
    org.as_ref().map(|o| o.short_name.clone()).unwrap_or_default()
}

pub(super) fn job(path: String, template: &'static str, title: &str, context: Context) -> PageJob {
    PageJob { path, template, title: title.to_string(), context }
}

/// A line in any list of records.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    pub title: String,
    pub url: String,
    pub org: Option<OrgRef>,
    pub kind: &'static str,
    pub category: Option<String>,
    pub published_on: Option<Date>,
    pub period: Option<PeriodView>,
    pub withdrawn: bool,
}

pub(super) fn listed_disclosure(site: &Site, d: &Record<Disclosure>) -> Listed {
    let v = &d.value;
    Listed {
        title: v.title.clone(),
        url: routes::disclosure(v.year, v.org.as_str(), &v.slug),
        org: org_ref_by_id(site, v.org.as_str()),
        kind: "党务公开",
        category: Some(v.category.clone()),
        published_on: v.published_on,
        period: period_view(v.period.as_ref(), site.today),
        withdrawn: v.withdrawn.is_some(),
    }
}

/// Disclosures newest first (then by path, for a stable order).
pub(super) fn newest_first<'a>(items: impl Iterator<Item = &'a Record<Disclosure>>) -> Vec<&'a Record<Disclosure>> {
    let mut v: Vec<_> = items.collect();
    v.sort_by(|a, b| b.value.published_on.cmp(&a.value.published_on).then_with(|| a.path.cmp(&b.path)));
    v
}

#[derive(Serialize)]
pub(super) struct YearLink {
    year: i32,
    url: String,
}

pub(super) fn year_links(years: &BTreeSet<i32>, url: fn(i32) -> String) -> Vec<YearLink> {
    years.iter().rev().map(|&year| YearLink { year, url: url(year) }).collect()
}

/// Publication facts every record page shows.
pub(super) fn record_meta<T: crate::model::common::Published>(site: &Site, rec: &Record<T>) -> serde_json::Value {
    let p = rec.value.publication();
    let contact = p.contact.cloned();
    serde_json::json!({
        "scope": p.scope.label(),
        "published_on": p.published_on,
        "period": period_view(p.period, site.today),
        "approval": p.approval,
        "contact": contact,
        "corrections": p.corrections,
        "withdrawn": p.withdrawn,
        "check_code": rec.check_code(),
        "version": super::history::version_badge(site, &rec.key()),
    })
}
