//! Targets (year tables and each org's), evaluation (year tables and each report) and the
//! rectification ledgers, with the figures and flags of rules.md.

use super::record_meta;
use super::{short_name, year_links};
use crate::model::figures::percent;
use crate::model::records::RectItem;
use crate::model::{Record, Site};
use crate::render::deps::Tracker;
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

/// The year tables (every org's targets of the year), then each targets file's page.
pub(super) fn targets_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    let years: BTreeSet<i32> = site.targets.iter().map(|t| t.value.year).collect();
    let mut jobs: Vec<Job> = years
        .iter()
        .map(|&year| {
            let rows: Vec<usize> = (0..site.targets.len()).filter(|&i| site.targets[i].value.year == year).collect();
            let deps = t.deps().targets(rows.iter().copied()).value(&years);
            let years = years.clone();
            Job::later(routes::targets_year(year), deps, move || targets_year(site, year, &years, &rows))
        })
        .collect();
    jobs.extend((0..site.targets.len()).map(|i| target_job(site, t, i)));
    jobs
}

/// The page of targets file `i`.
pub(super) fn target_job<'a>(site: &'a Site, t: &Tracker, i: usize) -> Job<'a> {
    let (rec, f) = (&site.targets[i], &site.figures.targets[i]);
    let url = routes::targets(rec.value.year, rec.value.org.as_str());
    Job::later(url, t.deps().target(i), move || {
        let mut ctx = Context::new();
        let view = targets_view(site, rec, f);
        ctx.insert("t", &view);
        ctx.insert("record", &record_meta(site, rec));
        PageJob::new(view.url.clone(), "targets/org.html", &rec.value.title, ctx)
    })
}

/// One year's table of targets: `rows` are the year's targets files.
fn targets_year(site: &Site, year: i32, years: &BTreeSet<i32>, rows: &[usize]) -> PageJob {
    let rows: Vec<TargetsView> =
        rows.iter().map(|&i| targets_view(site, &site.targets[i], &site.figures.targets[i])).collect();
    let mut ctx = Context::new();
    ctx.insert("year", &year);
    ctx.insert("years", &year_links(years, routes::targets_year));
    let bars: Vec<(String, Option<f64>)> = rows
        .iter()
        .map(|r| (short_name(&r.org), (r.total > 0).then(|| r.done as f64 * 100.0 / r.total as f64)))
        .collect();
    ctx.insert("chart", &charts::targets_completion(year, &bars));
    ctx.insert("rows", &rows);
    PageJob::new(routes::targets_year(year), "targets/year.html", &format!("{year}年度党建目标"), ctx)
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

/// The year tables (every report of the year), then one page per report.
pub(super) fn report_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    let years: BTreeSet<i32> = site.reports.iter().map(|r| r.value.year).collect();
    let mut jobs: Vec<Job> = years
        .iter()
        .map(|&year| {
            let rows: Vec<usize> = (0..site.reports.len()).filter(|&i| site.reports[i].value.year == year).collect();
            let deps = t.deps().reports(rows.iter().copied()).value(&years);
            let years = years.clone();
            Job::later(routes::reports_year(year), deps, move || reports_year(site, year, &years, &rows))
        })
        .collect();
    jobs.extend((0..site.reports.len()).map(|i| report_job(site, t, i)));
    jobs
}

/// The page of report `i`.
pub(super) fn report_job<'a>(site: &'a Site, t: &Tracker, i: usize) -> Job<'a> {
    let r = &site.reports[i];
    let url = routes::report(r.value.year, r.value.org.as_str());
    Job::later(url, t.deps().report(i), move || report_page(site, i, r))
}

/// One year's evaluation table: `rows` are the year's reports.
fn reports_year(site: &Site, year: i32, years: &BTreeSet<i32>, rows: &[usize]) -> PageJob {
    let mut rows: Vec<ReportRow> = rows.iter().map(|&i| report_row(site, i, &site.reports[i])).collect();
    rows.sort_by(|a, b| {
        let key = |r: &ReportRow| r.rank.as_ref().map(|k| (k.group.clone(), k.position));
        key(a).cmp(&key(b)).then_with(|| a.url.cmp(&b.url))
    });
    let mut ctx = Context::new();
    ctx.insert("year", &year);
    ctx.insert("years", &year_links(years, routes::reports_year));
    let bars: Vec<(String, Option<f64>)> =
        rows.iter().map(|r| (short_name(&r.org), r.satisfaction.filter(|_| !r.withdrawn))).collect();
    ctx.insert("chart", &charts::satisfaction(year, &bars, site.config.evaluation.red_line));
    ctx.insert("rows", &rows);
    ctx.insert("red_line", &site.config.evaluation.red_line);
    PageJob::new(routes::reports_year(year), "reports/year.html", &format!("{year}年度书记抓基层党建述职评议"), ctx)
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
    PageJob::new(row.url.clone(), "reports/report.html", &r.value.title, ctx)
}

/// Each org's rectification ledger.
pub(super) fn rectification_pages<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    (0..site.rectifications.len()).map(|f| rectification_job(site, t, f)).collect()
}

/// The ledger page of rectifications file `f`.
pub(super) fn rectification_job<'a>(site: &'a Site, t: &Tracker, f: usize) -> Job<'a> {
    let r = &site.rectifications[f];
    Job::later(routes::rectifications(r.value.org.as_str()), t.deps().rect(f), move || {
        let org = org_ref_by_id(site, r.value.org.as_str());
        let title = format!("{}整改清单", org.as_ref().map(|o| o.short_name.as_str()).unwrap_or(""));
        let mut ctx = Context::new();
        ctx.insert("org", &org);
        ctx.insert("items", &(0..r.value.items.len()).map(|k| rect_line(site, f, k)).collect::<Vec<_>>());
        ctx.insert("check_code", r.check_code());
        PageJob::new(routes::rectifications(r.value.org.as_str()), "rectifications.html", &title, ctx)
    })
}
