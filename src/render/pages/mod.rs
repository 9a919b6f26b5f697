//! Which pages the site has and what data each gets: one `PageJob` per page of site.md, built from
//! the validated `Site`. This module orders them and holds what several page kinds share (list lines,
//! year links, publication facts); `home` has the home page, the org tree and org pages,
//! `evaluation` targets, reports and rectifications, `notices` disclosures and the comments column.
//! Never renders templates and never writes files.

mod evaluation;
mod home;
mod notices;

use super::deps::Tracker;
use super::views::{org_ref_by_id, period_view, OrgRef, PeriodView};
use super::{markdown, routes, Job, PageJob};
use crate::model::common::{Approval, Contact, Correction, Date, Published, Withdrawal};
use crate::model::records::Disclosure;
use crate::model::{Record, Site};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeSet;
use tera::Context;

/// Every page job but the search page's, each with the inputs it declares (see `render::deps`).
pub fn jobs<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    // Jobs are cheap to make (a path and a fingerprint); the data is built when a page renders.
    // Pages are keyed by path, so the order is free: the costly pages (notice boards, history)
    // come first and the notices' kind last (its listings, then 8,000 small pages at 10,000
    // records), so that the two cores run out of work together instead of one finishing the
    // last boards alone.
    let kinds: [fn(&'a Site, &'a Tracker) -> Vec<Job<'a>>; 10] = [
        |site, t| vec![home::home(site, t), home::org_tree(site, t)],
        |site, t| super::boards::jobs(site, t),
        |site, t| super::history::jobs(site, t),
        |site, t| home::org_pages(site, t),
        |site, t| evaluation::targets_pages(site, t),
        |site, t| evaluation::report_pages(site, t),
        |site, t| evaluation::rectification_pages(site, t),
        |site, t| notices::comment_pages(site, t),
        |site, t| free_pages(site, t),
        |site, t| notices::disclosure_pages(site, t),
    ];
    kinds.par_iter().flat_map_iter(|kind| kind(site, t)).collect()
}

/// The page of each record whose file `edited` names: what an editor looks at after saving it,
/// made the same way as in [`jobs`] (whose fingerprints it does not compute: `t` may be off).
pub fn record_jobs<'a>(site: &'a Site, t: &Tracker, edited: &dyn Fn(&str) -> bool) -> Vec<Job<'a>> {
    fn matching<T>(recs: &[crate::model::Record<T>], edited: &dyn Fn(&str) -> bool) -> Vec<usize> {
        (0..recs.len()).filter(|&i| edited(&recs[i].path)).collect()
    }
    let mut jobs = Vec::new();
    jobs.extend(matching(&site.targets, edited).into_iter().map(|i| evaluation::target_job(site, t, i)));
    jobs.extend(matching(&site.reports, edited).into_iter().map(|i| evaluation::report_job(site, t, i)));
    jobs.extend(matching(&site.rectifications, edited).into_iter().map(|i| evaluation::rectification_job(site, t, i)));
    jobs.extend(matching(&site.disclosures, edited).into_iter().map(|i| notices::disclosure_job(site, t, i)));
    jobs.extend(matching(&site.comments, edited).into_iter().map(|i| notices::comments_job(site, t, i)));
    jobs.extend(matching(&site.pages, edited).into_iter().map(|i| free_page_job(site, t, i)));
    jobs
}

fn free_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    (0..site.pages.len()).map(|i| free_page_job(site, t, i)).collect()
}

fn free_page_job<'a>(site: &'a Site, t: &Tracker, i: usize) -> Job<'a> {
    let p = &site.pages[i];
    Job::later(routes::page(&p.value.slug), t.deps().page(i), move || {
        let mut ctx = Context::new();
        ctx.insert("body_html", &markdown::render(&p.value.body));
        ctx.insert("check_code", p.check_code());
        PageJob::new(routes::page(&p.value.slug), "page.html", &p.value.title, ctx)
    })
}

/// An org's short name for labels, empty when the org is unknown.
pub(super) fn short_name(org: &Option<OrgRef>) -> String {
    org.as_ref().map(|o| o.short_name.clone()).unwrap_or_default()
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

/// A line of a list of disclosures (`partials/listed.html`): flat and already formatted. A listing
/// page holds thousands of lines, and in a template every dotted lookup and every filter allocates,
/// so a line is a handful of plain keys rather than a [`Listed`] with an org and a period inside.
#[derive(Serialize)]
pub struct Line<'a> {
    title: &'a str,
    url: String,
    /// The org's short name.
    org: Option<&'a str>,
    category: &'a str,
    /// The publication date in Chinese form.
    date: Option<String>,
    /// 公示期 state (公示中 / 已结束 / 未开始), when there is a 公示期.
    state: Option<&'static str>,
    active: bool,
    withdrawn: bool,
}

pub(super) fn line<'a>(site: &'a Site, d: &'a Record<Disclosure>) -> Line<'a> {
    let v = &d.value;
    let period = period_view(v.period.as_ref(), site.today);
    Line {
        title: &v.title,
        url: routes::disclosure(v.year, v.org.as_str(), &v.slug),
        org: site.orgs.get(v.org.as_str()).map(|o| o.display_name()),
        category: &v.category,
        date: v.published_on.map(Date::chinese),
        state: period.as_ref().map(|p| p.state),
        active: period.is_some_and(|p| p.active),
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

/// Publication facts every record page shows (`record` in the templates).
#[derive(Serialize)]
pub(super) struct RecordMeta<'a> {
    scope: &'static str,
    published_on: Option<Date>,
    period: Option<PeriodView>,
    approval: Option<&'a Approval>,
    contact: Option<&'a Contact>,
    corrections: &'a [Correction],
    withdrawn: Option<&'a Withdrawal>,
    check_code: &'a str,
    version: Option<super::history::VersionBadge>,
}

pub(super) fn record_meta<'a, T: Published>(site: &Site, rec: &'a Record<T>) -> RecordMeta<'a> {
    let p = rec.value.publication();
    RecordMeta {
        scope: p.scope.label(),
        published_on: p.published_on,
        period: period_view(p.period, site.today),
        approval: p.approval,
        contact: p.contact,
        corrections: p.corrections,
        withdrawn: p.withdrawn,
        check_code: rec.check_code(),
        version: super::history::version_badge(site, &rec.key()),
    }
}
