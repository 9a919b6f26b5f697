//! Targets (year tables and each org's), evaluation (year tables and each report) and the
//! rectification ledgers, with the figures and flags of rules.md.

use super::record_meta;
use super::{job, short_name, year_links};
use crate::model::figures::percent;
use crate::model::records::RectItem;
use crate::model::{Record, Site};
use crate::render::views::{org_ref_by_id, period_view, OrgRef, PeriodView};
use crate::render::{charts, markdown, routes, Job, PageJob};
use serde::Serialize;
use std::collections::BTreeSet;
use tera::Context;

#[derive(Serialize)]
pub(super) struct TargetsView<'a> {
    record: &'a crate::model::records::Targets,
    org: Option<OrgRef>,
    url: String,
    items: Vec<TargetLine<'a>>,
    done: usize,
    total: usize,
    overdue: usize,
    rate: Option<String>,
    period: Option<PeriodView>,
    check_code: &'a str,
}

#[derive(Serialize)]
struct TargetLine<'a> {
    item: &'a crate::model::records::TargetItem,
    status: &'static str,
    overdue: bool,
    actual: Option<f64>,
}

pub(super) fn targets_view<'a>(
    site: &Site,
    t: &'a Record<crate::model::records::Targets>,
    figs: &[crate::model::figures::TargetFig],
) -> TargetsView<'a> {
    let items: Vec<TargetLine> = t
        .value
        .items
        .iter()
        .zip(figs)
        .map(|(item, f)| TargetLine { item, status: f.status.label(), overdue: f.overdue, actual: f.actual })
        .collect();
    let done = figs.iter().filter(|f| f.done()).count();
    TargetsView {
        record: &t.value,
        org: org_ref_by_id(site, t.value.org.as_str()),
        url: routes::targets(t.value.year, t.value.org.as_str()),
        overdue: figs.iter().filter(|f| f.overdue).count(),
        rate: crate::model::figures::completion_rate(figs).map(percent),
        total: items.len(),
        items,
        done,
        period: period_view(t.value.period.as_ref(), site.today),
        check_code: t.check_code(),
    }
}

pub(super) fn targets_pages(site: &Site) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    let years: BTreeSet<i32> = site.targets.iter().map(|t| t.value.year).collect();
    for &year in &years {
        let rows: Vec<TargetsView> = site
            .targets
            .iter()
            .zip(&site.figures.targets)
            .filter(|(t, _)| t.value.year == year)
            .map(|(t, f)| targets_view(site, t, f))
            .collect();
        let mut ctx = Context::new();
        ctx.insert("year", &year);
        ctx.insert("years", &year_links(&years, routes::targets_year));
        let bars: Vec<(String, Option<f64>)> = rows
            .iter()
            .map(|r| (short_name(&r.org), (r.total > 0).then(|| r.done as f64 * 100.0 / r.total as f64)))
            .collect();
        ctx.insert("chart", &charts::targets_completion(year, &bars));
        ctx.insert("rows", &rows);
        jobs.push(job(routes::targets_year(year), "targets/year.html", &format!("{year}年度党建目标"), ctx));
    }
    for (t, f) in site.targets.iter().zip(&site.figures.targets) {
        let mut ctx = Context::new();
        let view = targets_view(site, t, f);
        ctx.insert("t", &view);
        ctx.insert("record", &record_meta(site, t));
        jobs.push(job(view.url.clone(), "targets/org.html", &t.value.title, ctx));
    }
    jobs
}

#[derive(Serialize)]
pub(super) struct ReportRow {
    org: Option<OrgRef>,
    year: i32,
    title: String,
    url: String,
    satisfaction: Option<f64>,
    grade: Option<String>,
    rank: Option<crate::model::figures::RankFig>,
    below_red_line: bool,
    public_criticism: bool,
    bottom_streak: u32,
    recurring: bool,
    open_rects: usize,
    withdrawn: bool,
}

pub(super) fn report_row(site: &Site, i: usize, r: &Record<crate::model::records::Report>) -> ReportRow {
    let fig = &site.figures.reports[i];
    let open_rects = r
        .value
        .rectifications
        .iter()
        .filter_map(|id| site.figures.rect_index.get(id.as_str()))
        .filter(|&&(f, k)| {
            !matches!(site.rectifications[f].value.items[k].status, crate::model::records::RectStatus::Done)
        })
        .count();
    ReportRow {
        org: org_ref_by_id(site, r.value.org.as_str()),
        year: r.value.year,
        title: r.value.title.clone(),
        url: routes::report(r.value.year, r.value.org.as_str()),
        satisfaction: fig.satisfaction,
        grade: r.value.evaluation.as_ref().and_then(|e| e.grade.clone()),
        rank: fig.rank.clone(),
        below_red_line: fig.below_red_line,
        public_criticism: fig.public_criticism,
        bottom_streak: fig.bottom_streak,
        recurring: fig.recurring,
        open_rects,
        withdrawn: r.value.withdrawn.is_some(),
    }
}

/// A rectification item with its computed state, for report and ledger pages.
#[derive(Serialize)]
struct RectLine<'a> {
    item: &'a RectItem,
    overdue: bool,
    recurring: bool,
    chain: &'a [String],
    chain_years: &'a [i32],
    ledger_url: String,
}

fn rect_line<'a>(site: &'a Site, file: usize, k: usize) -> RectLine<'a> {
    let fig = &site.figures.rects[file][k];
    RectLine {
        item: &site.rectifications[file].value.items[k],
        overdue: fig.overdue,
        recurring: fig.recurring(),
        chain: &fig.chain,
        chain_years: &fig.chain_years,
        ledger_url: routes::rectifications(site.rectifications[file].value.org.as_str()),
    }
}

/// The year tables, then one page per report (left for the render stage to build: see `Job`).
pub(super) fn report_pages(site: &Site) -> Vec<Job<'_>> {
    let mut jobs = Vec::new();
    let years: BTreeSet<i32> = site.reports.iter().map(|r| r.value.year).collect();
    for &year in &years {
        let mut rows: Vec<ReportRow> = site
            .reports
            .iter()
            .enumerate()
            .filter(|(_, r)| r.value.year == year)
            .map(|(i, r)| report_row(site, i, r))
            .collect();
        rows.sort_by(|a, b| {
            let key = |r: &ReportRow| r.rank.as_ref().map(|k| (k.group.clone(), k.position));
            key(a).cmp(&key(b)).then_with(|| a.url.cmp(&b.url))
        });
        let mut ctx = Context::new();
        ctx.insert("year", &year);
        ctx.insert("years", &year_links(&years, routes::reports_year));
        let bars: Vec<(String, Option<f64>)> =
            rows.iter().map(|r| (short_name(&r.org), r.satisfaction.filter(|_| !r.withdrawn))).collect();
        ctx.insert("chart", &charts::satisfaction(year, &bars, site.config.evaluation.red_line));
        ctx.insert("rows", &rows);
        ctx.insert("red_line", &site.config.evaluation.red_line);
        jobs.push(Job::Ready(job(
            routes::reports_year(year),
            "reports/year.html",
            &format!("{year}年度书记抓基层党建述职评议"),
            ctx,
        )));
    }
    jobs.extend(site.reports.iter().enumerate().map(|(i, r)| Job::later(move || report_page(site, i, r))));
    jobs
}

/// One report with its evaluation, rectifications and body.
fn report_page(site: &Site, i: usize, r: &Record<crate::model::records::Report>) -> PageJob {
    let mut ctx = Context::new();
    let row = report_row(site, i, r);
    let rects: Vec<RectLine> = r
        .value
        .rectifications
        .iter()
        .filter_map(|id| site.figures.rect_index.get(id.as_str()))
        .map(|&(f, k)| rect_line(site, f, k))
        .collect();
    let ballots: Vec<(String, u32)> = r
        .value
        .evaluation
        .as_ref()
        .filter(|e| e.publish_votes)
        .map(|e| {
            site.config.evaluation.ballot.iter().map(|b| (b.clone(), e.votes.get(b).copied().unwrap_or(0))).collect()
        })
        .unwrap_or_default();
    ctx.insert("report", &r.value);
    ctx.insert("row", &row);
    ctx.insert("fig", &site.figures.reports[i]);
    ctx.insert("ballots", &ballots);
    ctx.insert("rects", &rects);
    ctx.insert("recurring", &rects.iter().filter(|l| l.recurring).collect::<Vec<_>>());
    ctx.insert("body_html", &markdown::render(&r.value.body));
    ctx.insert("red_line", &site.config.evaluation.red_line);
    ctx.insert("bottom_rank_years", &site.config.evaluation.bottom_rank_years);
    ctx.insert("record", &record_meta(site, r));
    job(row.url.clone(), "reports/report.html", &r.value.title, ctx)
}

pub(super) fn rectification_pages(site: &Site) -> Vec<PageJob> {
    site.rectifications
        .iter()
        .enumerate()
        .map(|(f, r)| {
            let org = org_ref_by_id(site, r.value.org.as_str());
            let title = format!("{}整改清单", org.as_ref().map(|o| o.short_name.as_str()).unwrap_or(""));
            let mut ctx = Context::new();
            ctx.insert("org", &org);
            ctx.insert("items", &(0..r.value.items.len()).map(|k| rect_line(site, f, k)).collect::<Vec<_>>());
            ctx.insert("check_code", r.check_code());
            job(routes::rectifications(r.value.org.as_str()), "rectifications.html", &title, ctx)
        })
        .collect()
}
