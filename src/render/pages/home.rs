//! The home page, the org tree and the org pages: what a reader sees first about an org.

use super::evaluation::{report_row, targets_view};
use super::notices::{comments_line, CommentsLine};
use super::{line, listed_disclosure, newest_first, Line, Listed, YearLink};
use crate::model::figures::{percent, CommentStats};
use crate::model::Site;
use crate::render::deps::Tracker;
use crate::render::views::{org_ref, org_ref_by_id, period_view, OrgRef};
use crate::render::{routes, Job, PageJob};
use serde::Serialize;
use tera::Context;

/// Every record now within its 公示期.
fn notices(site: &Site) -> Vec<Listed> {
    let today = site.today;
    // A target file or report in its 公示期, as a list line.
    let active = |title: &str, url: String, org: &str, kind: &'static str, published_on, period| {
        let period = period_view(period, today).filter(|p| p.active)?;
        let org = org_ref_by_id(site, org);
        Some(Listed {
            title: title.to_string(),
            url,
            org,
            kind,
            category: None,
            published_on,
            period: Some(period),
            withdrawn: false,
        })
    };
    let mut out: Vec<Listed> = Vec::new();
    for t in site.targets.iter().map(|t| &t.value).filter(|t| t.withdrawn.is_none()) {
        let url = routes::targets(t.year, t.org.as_str());
        out.extend(active(&t.title, url, t.org.as_str(), "年度目标", t.published_on, t.period.as_ref()));
    }
    for r in site.reports.iter().map(|r| &r.value).filter(|r| r.withdrawn.is_none()) {
        let url = routes::report(r.year, r.org.as_str());
        out.extend(active(&r.title, url, r.org.as_str(), "述职评议", r.published_on, r.period.as_ref()));
    }
    for d in newest_first(site.disclosures.iter().filter(|d| d.value.withdrawn.is_none())) {
        let l = listed_disclosure(site, d);
        if l.period.as_ref().is_some_and(|p| p.active) {
            out.push(l);
        }
    }
    out
}

#[derive(Serialize)]
struct TreeLine {
    org: OrgRef,
    depth: usize,
    secretary: Option<String>,
}

fn tree_lines(site: &Site) -> Vec<TreeLine> {
    site.orgs
        .preorder()
        .into_iter()
        .map(|(ix, depth)| TreeLine {
            org: org_ref(site, ix),
            depth,
            secretary: site.orgs.orgs[ix].secretary.as_ref().and_then(|s| s.current(site.today)).map(str::to_string),
        })
        .collect()
}

#[derive(Serialize, Default)]
struct KeyFigures {
    targets_year: Option<i32>,
    targets_done: usize,
    targets_total: usize,
    targets_rate: Option<String>,
    reports_year: Option<i32>,
    reports_count: usize,
    average_satisfaction: Option<String>,
    comments_year: Option<i32>,
    comments_received: usize,
    comments_on_time: Option<String>,
}

fn key_figures(site: &Site) -> KeyFigures {
    let mut k = KeyFigures::default();
    let f = &site.figures;
    if let Some(y) = site.targets.iter().map(|t| t.value.year).filter(|y| *y <= site.today.year()).max() {
        let figs: Vec<_> = site
            .targets
            .iter()
            .zip(&f.targets)
            .filter(|(t, _)| t.value.year == y)
            .flat_map(|(_, f)| f.iter())
            .collect();
        k.targets_year = Some(y);
        k.targets_total = figs.len();
        k.targets_done = figs.iter().filter(|f| f.done()).count();
        k.targets_rate = (k.targets_total > 0).then(|| percent(k.targets_done as f64 * 100.0 / k.targets_total as f64));
    }
    if let Some(y) = site.reports.iter().map(|r| r.value.year).max() {
        let sats: Vec<f64> = site
            .reports
            .iter()
            .zip(&f.reports)
            .filter(|(r, _)| r.value.year == y)
            .filter_map(|(_, f)| f.satisfaction)
            .collect();
        k.reports_year = Some(y);
        k.reports_count = sats.len();
        k.average_satisfaction = (!sats.is_empty()).then(|| percent(sats.iter().sum::<f64>() / sats.len() as f64));
    }
    if let Some(y) = site.comments.iter().map(|c| c.value.year).max() {
        let stats: Vec<&CommentStats> =
            site.comments.iter().zip(&f.comments).filter(|(c, _)| c.value.year == y).map(|(_, (_, s))| s).collect();
        let on_time: usize = stats.iter().map(|s| s.answered_on_time).sum();
        let base: usize = stats.iter().map(|s| s.answered + s.overdue).sum();
        k.comments_year = Some(y);
        k.comments_received = stats.iter().map(|s| s.received).sum();
        k.comments_on_time = (base > 0).then(|| percent(on_time as f64 * 100.0 / base as f64));
    }
    k
}

/// The home page shows every kind of record (notices in their 公示期, the latest disclosures, the
/// year's figures).
pub(super) fn home<'a>(site: &'a Site, t: &Tracker) -> Job<'a> {
    let deps = t.deps().all_targets().all_reports().all_disclosures().all_comments();
    Job::later(routes::home(), deps, move || home_page(site))
}

fn home_page(site: &Site) -> PageJob {
    let mut ctx = Context::new();
    ctx.insert("notices", &notices(site));
    let latest: Vec<Line> = newest_first(site.disclosures.iter()).into_iter().take(10).map(|d| line(site, d)).collect();
    ctx.insert("latest", &latest);
    ctx.insert("tree", &tree_lines(site));
    ctx.insert("figures", &key_figures(site));
    PageJob::new(routes::home(), "index.html", "首页", ctx)
}

pub(super) fn org_tree<'a>(site: &'a Site, t: &Tracker) -> Job<'a> {
    Job::later(routes::orgs(), t.deps(), move || {
        let mut ctx = Context::new();
        ctx.insert("tree", &tree_lines(site));
        PageJob::new(routes::orgs(), "orgs.html", "组织架构", ctx)
    })
}

/// One page per org, made from the org's own records.
pub(super) fn org_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    (0..site.orgs.orgs.len())
        .map(|ix| {
            let own = site.records_of(site.orgs.orgs[ix].id.as_str());
            let deps = t.deps().org_records(own);
            Job::later(routes::org(site.orgs.orgs[ix].id.as_str()), deps, move || org_page(site, ix))
        })
        .collect()
}

fn org_page(site: &Site, ix: usize) -> PageJob {
    let o = &site.orgs.orgs[ix];
    let id = o.id.as_str();
    let f = &site.figures;
    let mut ctx = Context::new();
    ctx.insert("org", &org_ref(site, ix));
    ctx.insert("secretary", &o.secretary.as_ref().and_then(|s| s.current(site.today)));
    ctx.insert("phone", &o.phone.as_ref().map(|p| p.0.clone()));
    ctx.insert("board_url", &routes::board(id));
    ctx.insert("parent", &site.orgs.parent[ix].map(|p| org_ref(site, p)));
    ctx.insert("children", &site.orgs.children[ix].iter().map(|&c| org_ref(site, c)).collect::<Vec<_>>());
    let own = site.records_of(id);
    let targets = own.targets.iter().map(|&i| (i, &site.targets[i])).max_by_key(|(_, t)| t.value.year);
    if let Some((i, t)) = targets {
        ctx.insert("targets", &targets_view(site, t, &f.targets[i]));
    }
    let years =
        |years: Vec<(i32, String)>| years.into_iter().map(|(year, url)| YearLink { year, url }).collect::<Vec<_>>();
    ctx.insert(
        "target_years",
        &years(
            own.targets
                .iter()
                .map(|&i| &site.targets[i])
                .map(|t| (t.value.year, routes::targets(t.value.year, id)))
                .collect(),
        ),
    );
    let report = own.reports.iter().map(|&i| (i, &site.reports[i])).max_by_key(|(_, r)| r.value.year);
    if let Some((i, r)) = report {
        ctx.insert("report", &report_row(site, i, r));
    }
    ctx.insert(
        "report_years",
        &years(
            own.reports
                .iter()
                .map(|&i| &site.reports[i])
                .map(|r| (r.value.year, routes::report(r.value.year, id)))
                .collect(),
        ),
    );
    let disclosures: Vec<Line> = newest_first(own.disclosures.iter().map(|&i| &site.disclosures[i]))
        .into_iter()
        .map(|d| line(site, d))
        .collect();
    ctx.insert("disclosures", &disclosures);
    let comments: Vec<CommentsLine> = own.comments.iter().map(|&i| comments_line(site, i, &site.comments[i])).collect();
    ctx.insert("comments", &comments);
    let ledger = own.rectifications.first().map(|&i| (i, &site.rectifications[i]));
    if let Some((i, r)) = ledger {
        let open =
            r.value.items.iter().filter(|it| !matches!(it.status, crate::model::records::RectStatus::Done)).count();
        let overdue = f.rects[i].iter().filter(|x| x.overdue).count();
        ctx.insert("ledger", &serde_json::json!({"url": routes::rectifications(id), "open": open, "overdue": overdue, "total": r.value.items.len()}));
    }
    PageJob::new(routes::org(id), "org.html", o.display_name(), ctx)
}
