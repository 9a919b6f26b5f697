//! Party-affairs disclosures (every listing and each notice) and the comments column.

use super::record_meta;
use super::{line, listed_disclosure, newest_first, short_name, year_links};
use crate::model::common::Scalar;
use crate::model::figures::CommentStats;
use crate::model::records::Disclosure;
use crate::model::{Record, Site};
use crate::render::deps::Tracker;
use crate::render::views::{comment_views, org_ref_by_id, OrgRef};
use crate::render::{charts, markdown, routes, Job, PageJob};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tera::Context;

/// Every listing of disclosures (all, by year, by category, by org), then each notice's page.
pub(super) fn disclosure_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    let all = newest_first(site.disclosures.iter());
    // Every listing shows the same year and category links: computed once, not once per listing.
    let years: BTreeSet<i32> = site.disclosures.iter().map(|d| d.value.year).collect();
    let used: BTreeSet<&str> = site.disclosures.iter().map(|d| d.value.category.as_str()).collect();
    let cats: Vec<serde_json::Value> = site
        .config
        .disclosure_categories
        .iter()
        .enumerate()
        .filter(|(_, c)| used.contains(c.as_str()))
        .map(
            |(i, c)| serde_json::json!({"title": c, "url": routes::disclosures_category(&routes::category_slug(c, i))}),
        )
        .collect();
    let year_links = year_links(&years, routes::disclosures_year);
    // (path, title, items, heading) of every listing: the whole list, by year, category and org.
    let mut listings: Vec<(String, String, Vec<&Record<Disclosure>>, String)> =
        vec![(routes::disclosures(), "党务公开".into(), all.clone(), "全部公开事项".into())];
    for &y in &years {
        let items = all.iter().copied().filter(|d| d.value.year == y).collect();
        listings.push((routes::disclosures_year(y), format!("{y}年党务公开"), items, format!("{y}年")));
    }
    for (i, cat) in site.config.disclosure_categories.iter().enumerate() {
        let items: Vec<_> = all.iter().copied().filter(|d| &d.value.category == cat).collect();
        if !items.is_empty() {
            let path = routes::disclosures_category(&routes::category_slug(cat, i));
            listings.push((path, format!("党务公开·{cat}"), items, cat.clone()));
        }
    }
    let orgs: BTreeMap<&str, Vec<&Record<Disclosure>>> = all.iter().fold(BTreeMap::new(), |mut m, d| {
        m.entry(d.value.org.as_str()).or_default().push(*d);
        m
    });
    for (org, items) in orgs {
        let name = org_ref_by_id(site, org).map(|o| o.short_name).unwrap_or_default();
        listings.push((routes::disclosures_org(org), format!("{name}党务公开"), items, name));
    }
    let links = Arc::new((year_links, cats));
    let links_print = t.deps().value(&*links).finish();
    let mut jobs: Vec<Job> = listings
        .into_iter()
        .map(|(path, title, items, heading)| {
            let links = links.clone();
            let deps = t.deps().disclosure_refs(&site.disclosures, items.iter().copied()).value(&(
                links_print,
                &title,
                &heading,
            ));
            Job::later(path.clone(), deps, move || {
                let mut ctx = Context::new();
                ctx.insert("items", &items.iter().map(|d| line(site, d)).collect::<Vec<_>>());
                ctx.insert("heading", &heading);
                ctx.insert("years", &links.0);
                ctx.insert("categories", &links.1);
                PageJob::new(path, "disclosures/list.html", &title, ctx)
            })
        })
        .collect();
    jobs.extend((0..site.disclosures.len()).map(|i| disclosure_job(site, t, i)));
    jobs
}

/// The page of disclosure `i`.
pub(super) fn disclosure_job<'a>(site: &'a Site, t: &Tracker, i: usize) -> Job<'a> {
    let d = &site.disclosures[i];
    let v = &d.value;
    let url = routes::disclosure(v.year, v.org.as_str(), &v.slug);
    Job::later(url, t.deps().disclosure(i), move || disclosure_page(site, i, d))
}

fn disclosure_page(site: &Site, i: usize, d: &Record<Disclosure>) -> PageJob {
    let v = &d.value;
    let mut ctx = Context::new();
    let columns: Vec<String> =
        v.table.iter().flat_map(|r| r.0.iter().map(|(k, _)| k.clone())).fold(Vec::new(), |mut cols, k| {
            if !cols.contains(&k) {
                cols.push(k);
            }
            cols
        });
    let rows: Vec<Vec<String>> = v
        .table
        .iter()
        .map(|r| {
            columns
                .iter()
                .map(|c| r.0.iter().find(|(k, _)| k == c).map(|(_, v)| v.clone()).unwrap_or_default())
                .collect()
        })
        .collect();
    let attachments: Vec<serde_json::Value> = v
        .attachments
        .iter()
        .map(|a| serde_json::json!({"title": a.title, "url": routes::attachment(&crate::validate::attachment_key(&a.file))}))
        .collect();
    let item = listed_disclosure(site, d);
    ctx.insert("d", v);
    ctx.insert("taken_down", &v.take_down_on.filter(|t| *t <= site.today));
    ctx.insert("item", &item);
    ctx.insert("columns", &columns);
    ctx.insert("rows", &rows);
    ctx.insert("attachments", &attachments);
    let (body_html, body_text) = markdown::render_with_text(&v.body);
    ctx.insert("body_html", &body_html);
    ctx.insert("feedback", &feedback(site, v));
    ctx.insert(
        "category_url",
        &routes::disclosures_category(&routes::category_slug(
            &v.category,
            site.config.disclosure_categories.iter().position(|c| c == &v.category).unwrap_or(0),
        )),
    );
    ctx.insert("record", &record_meta(site, d));
    PageJob {
        body_text: Some((i, body_text)),
        ..PageJob::new(item.url.clone(), "disclosures/disclosure.html", &v.title, ctx)
    }
}

/// Where to send an opinion during the 公示期 (`feedback` in the template).
#[derive(Serialize)]
struct Feedback<'a> {
    unit: Option<&'a str>,
    phone: Option<&'a Scalar>,
    mailbox: Option<&'a str>,
    email: Option<&'a str>,
    address: Option<&'a str>,
}

/// The feedback channel: the record's own, else the org's phone, else the site's.
fn feedback<'a>(site: &'a Site, d: &'a Disclosure) -> Feedback<'a> {
    if let Some(c) = &d.contact {
        return Feedback {
            unit: c.unit.as_deref(),
            phone: c.phone.as_ref(),
            mailbox: c.mailbox.as_deref(),
            email: c.email.as_deref(),
            address: c.address.as_deref(),
        };
    }
    let org = site.orgs.get(d.org.as_str());
    let contact = &site.config.contact;
    Feedback {
        unit: org.map(|o| o.display_name()),
        phone: org.and_then(|o| o.phone.as_ref()).or(contact.phone.as_ref()),
        mailbox: None,
        email: contact.email.as_deref(),
        address: contact.address.as_deref(),
    }
}

#[derive(Serialize)]
pub(super) struct CommentsLine {
    org: Option<OrgRef>,
    year: i32,
    url: String,
    stats: CommentStats,
}

pub(super) fn comments_line(site: &Site, i: usize, c: &Record<crate::model::records::Comments>) -> CommentsLine {
    CommentsLine {
        org: org_ref_by_id(site, c.value.org.as_str()),
        year: c.value.year,
        url: routes::comments_of(c.value.year, c.value.org.as_str()),
        stats: site.figures.comments[i].1.clone(),
    }
}

/// The comments column (every comments file's figures), then each comments file's page.
pub(super) fn comment_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    let mut jobs = vec![Job::later(routes::comments(), t.deps().all_comments(), move || comments_index(site))];
    jobs.extend((0..site.comments.len()).map(|i| comments_job(site, t, i)));
    jobs
}

/// The page of comments file `i`.
pub(super) fn comments_job<'a>(site: &'a Site, t: &Tracker, i: usize) -> Job<'a> {
    let c = &site.comments[i];
    let url = routes::comments_of(c.value.year, c.value.org.as_str());
    Job::later(url, t.deps().comments(i), move || comments_page(site, i, c))
}

fn comments_index(site: &Site) -> PageJob {
    let mut lines: Vec<CommentsLine> =
        site.comments.iter().enumerate().map(|(i, c)| comments_line(site, i, c)).collect();
    lines.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.url.cmp(&b.url)));
    let mut ctx = Context::new();
    ctx.insert("lines", &lines);
    let bars: Vec<(String, Option<f64>)> =
        lines.iter().map(|l| (format!("{} {}年", short_name(&l.org), l.year), l.stats.median_days_to_reply)).collect();
    ctx.insert("chart", &charts::reply_days(&bars, site.config.rules.comment_reply_days));
    ctx.insert("reply_days", &site.config.rules.comment_reply_days);
    PageJob::new(routes::comments(), "comments/index.html", "群众评说基层党组织", ctx)
}

fn comments_page(site: &Site, i: usize, c: &Record<crate::model::records::Comments>) -> PageJob {
    let (figs, stats) = &site.figures.comments[i];
    let line = comments_line(site, i, c);
    let name = line.org.as_ref().map(|o| o.short_name.clone()).unwrap_or_default();
    let mut views = comment_views(c, figs);
    // Overdue, unanswered comments first: they are what the public should see first.
    views.sort_by_key(|v| !v.overdue);
    let mut ctx = Context::new();
    ctx.insert("line", &line);
    ctx.insert("stats", stats);
    ctx.insert("entries", &views);
    ctx.insert("reply_days", &site.config.rules.comment_reply_days);
    ctx.insert("check_code", c.check_code());
    PageJob::new(line.url.clone(), "comments/org.html", &format!("{}{}年群众评说", name, c.value.year), ctx)
}
