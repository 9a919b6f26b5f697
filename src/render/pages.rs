//! Which pages the site has and what data each gets: one `PageJob` per page of site.md (home, org
//! tree and org pages, targets, reports, rectifications, disclosures and their listings, comments,
//! free pages). Never renders templates and never writes files.

use super::views::{comment_views, org_ref, org_ref_by_id, period_view, OrgRef, PeriodView};
use super::{charts, markdown, routes, PageJob};
use crate::model::common::Date;
use crate::model::figures::{percent, CommentStats};
use crate::model::records::{Disclosure, RectItem};
use crate::model::{Record, Site};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tera::Context;

pub fn jobs(site: &Site) -> Vec<PageJob> {
    let mut jobs = vec![home(site), org_tree(site)];
    jobs.extend((0..site.orgs.orgs.len()).map(|ix| org_page(site, ix)));
    jobs.extend(targets_pages(site));
    jobs.extend(report_pages(site));
    jobs.extend(rectification_pages(site));
    jobs.extend(disclosure_pages(site));
    jobs.extend(comment_pages(site));
    jobs.extend(super::boards::jobs(site));
    jobs.extend(super::history::jobs(site));
    jobs.extend(site.pages.iter().map(|p| {
        let mut ctx = Context::new();
        ctx.insert("body_html", &markdown::render(&p.value.body));
        ctx.insert("check_code", p.check_code());
        job(routes::page(&p.value.slug), "page.html", &p.value.title, ctx)
    }));
    jobs
}

/// An org's short name for labels, empty when the org is unknown.
fn short_name(org: &Option<OrgRef>) -> String {
    org.as_ref().map(|o| o.short_name.clone()).unwrap_or_default()
}

fn job(path: String, template: &'static str, title: &str, context: Context) -> PageJob {
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

fn listed_disclosure(site: &Site, d: &Record<Disclosure>) -> Listed {
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
fn newest_first<'a>(items: impl Iterator<Item = &'a Record<Disclosure>>) -> Vec<&'a Record<Disclosure>> {
    let mut v: Vec<_> = items.collect();
    v.sort_by(|a, b| b.value.published_on.cmp(&a.value.published_on).then_with(|| a.path.cmp(&b.path)));
    v
}

/// Every record now within its 公示期.
fn notices(site: &Site) -> Vec<Listed> {
    let today = site.today;
    let mut out: Vec<Listed> = Vec::new();
    for t in site.targets.iter().filter(|t| t.value.withdrawn.is_none()) {
        let p = period_view(t.value.period.as_ref(), today);
        if p.as_ref().is_some_and(|p| p.active) {
            out.push(Listed {
                title: t.value.title.clone(),
                url: routes::targets(t.value.year, t.value.org.as_str()),
                org: org_ref_by_id(site, t.value.org.as_str()),
                kind: "年度目标",
                category: None,
                published_on: t.value.published_on,
                period: p,
                withdrawn: false,
            });
        }
    }
    for r in site.reports.iter().filter(|r| r.value.withdrawn.is_none()) {
        let p = period_view(r.value.period.as_ref(), today);
        if p.as_ref().is_some_and(|p| p.active) {
            out.push(Listed {
                title: r.value.title.clone(),
                url: routes::report(r.value.year, r.value.org.as_str()),
                org: org_ref_by_id(site, r.value.org.as_str()),
                kind: "述职评议",
                category: None,
                published_on: r.value.published_on,
                period: p,
                withdrawn: false,
            });
        }
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

fn home(site: &Site) -> PageJob {
    let mut ctx = Context::new();
    ctx.insert("notices", &notices(site));
    let latest: Vec<Listed> =
        newest_first(site.disclosures.iter()).into_iter().take(10).map(|d| listed_disclosure(site, d)).collect();
    ctx.insert("latest", &latest);
    ctx.insert("tree", &tree_lines(site));
    ctx.insert("figures", &key_figures(site));
    job(routes::home(), "index.html", "首页", ctx)
}

fn org_tree(site: &Site) -> PageJob {
    let mut ctx = Context::new();
    ctx.insert("tree", &tree_lines(site));
    job(routes::orgs(), "orgs.html", "组织架构", ctx)
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
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
    let targets =
        site.targets.iter().enumerate().filter(|(_, t)| t.value.org.as_str() == id).max_by_key(|(_, t)| t.value.year);
    if let Some((i, t)) = targets {
        ctx.insert("targets", &targets_view(site, t, &f.targets[i]));
    }
    let years =
        |years: Vec<(i32, String)>| years.into_iter().map(|(year, url)| YearLink { year, url }).collect::<Vec<_>>();
    ctx.insert(
        "target_years",
        &years(
            site.targets
                .iter()
                .filter(|t| t.value.org.as_str() == id)
                .map(|t| (t.value.year, routes::targets(t.value.year, id)))
                .collect(),
        ),
    );
    let report =
        site.reports.iter().enumerate().filter(|(_, r)| r.value.org.as_str() == id).max_by_key(|(_, r)| r.value.year);
    if let Some((i, r)) = report {
        ctx.insert("report", &report_row(site, i, r));
    }
    ctx.insert(
        "report_years",
        &years(
            site.reports
                .iter()
                .filter(|r| r.value.org.as_str() == id)
                .map(|r| (r.value.year, routes::report(r.value.year, id)))
                .collect(),
        ),
    );
    let disclosures: Vec<Listed> = newest_first(site.disclosures.iter().filter(|d| d.value.org.as_str() == id))
        .into_iter()
        .map(|d| listed_disclosure(site, d))
        .collect();
    ctx.insert("disclosures", &disclosures);
    let comments: Vec<CommentsLine> = site
        .comments
        .iter()
        .enumerate()
        .filter(|(_, c)| c.value.org.as_str() == id)
        .map(|(i, c)| comments_line(site, i, c))
        .collect();
    ctx.insert("comments", &comments);
    let ledger = site.rectifications.iter().enumerate().find(|(_, r)| r.value.org.as_str() == id);
    if let Some((i, r)) = ledger {
        let open =
            r.value.items.iter().filter(|it| !matches!(it.status, crate::model::records::RectStatus::Done)).count();
        let overdue = f.rects[i].iter().filter(|x| x.overdue).count();
        ctx.insert("ledger", &serde_json::json!({"url": routes::rectifications(id), "open": open, "overdue": overdue, "total": r.value.items.len()}));
    }
    job(routes::org(id), "org.html", o.display_name(), ctx)
}

#[derive(Serialize)]
struct TargetsView<'a> {
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

fn targets_view<'a>(
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

fn targets_pages(site: &Site) -> Vec<PageJob> {
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

fn year_links(years: &BTreeSet<i32>, url: fn(i32) -> String) -> Vec<YearLink> {
    years.iter().rev().map(|&year| YearLink { year, url: url(year) }).collect()
}

/// Publication facts every record page shows.
fn record_meta<T: crate::model::common::Published>(site: &Site, rec: &Record<T>) -> serde_json::Value {
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

#[derive(Serialize)]
struct ReportRow {
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

fn report_row(site: &Site, i: usize, r: &Record<crate::model::records::Report>) -> ReportRow {
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

fn report_pages(site: &Site) -> Vec<PageJob> {
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
        jobs.push(job(
            routes::reports_year(year),
            "reports/year.html",
            &format!("{year}年度书记抓基层党建述职评议"),
            ctx,
        ));
    }
    for (i, r) in site.reports.iter().enumerate() {
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
                site.config
                    .evaluation
                    .ballot
                    .iter()
                    .map(|b| (b.clone(), e.votes.get(b).copied().unwrap_or(0)))
                    .collect()
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
        jobs.push(job(row.url.clone(), "reports/report.html", &r.value.title, ctx));
    }
    jobs
}

fn rectification_pages(site: &Site) -> Vec<PageJob> {
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

fn disclosure_pages(site: &Site) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    let all = newest_first(site.disclosures.iter());
    let listing = |path: String, title: &str, items: Vec<&Record<Disclosure>>, heading: &str| {
        let mut ctx = Context::new();
        ctx.insert("items", &items.iter().map(|d| listed_disclosure(site, d)).collect::<Vec<_>>());
        ctx.insert("heading", heading);
        ctx.insert(
            "years",
            &year_links(&site.disclosures.iter().map(|d| d.value.year).collect(), routes::disclosures_year),
        );
        let cats: Vec<serde_json::Value> = site
            .config
            .disclosure_categories
            .iter()
            .enumerate()
            .filter(|(_, c)| site.disclosures.iter().any(|d| &d.value.category == *c))
            .map(|(i, c)| serde_json::json!({"title": c, "url": routes::disclosures_category(&routes::category_slug(c, i))}))
            .collect();
        ctx.insert("categories", &cats);
        job(path, "disclosures/list.html", title, ctx)
    };
    jobs.push(listing(routes::disclosures(), "党务公开", all.clone(), "全部公开事项"));
    let years: BTreeSet<i32> = site.disclosures.iter().map(|d| d.value.year).collect();
    for y in years {
        let items = all.iter().copied().filter(|d| d.value.year == y).collect();
        jobs.push(listing(routes::disclosures_year(y), &format!("{y}年党务公开"), items, &format!("{y}年")));
    }
    for (i, cat) in site.config.disclosure_categories.iter().enumerate() {
        let items: Vec<_> = all.iter().copied().filter(|d| &d.value.category == cat).collect();
        if !items.is_empty() {
            let path = routes::disclosures_category(&routes::category_slug(cat, i));
            jobs.push(listing(path, &format!("党务公开·{cat}"), items, cat));
        }
    }
    let orgs: BTreeMap<&str, Vec<&Record<Disclosure>>> = all.iter().fold(BTreeMap::new(), |mut m, d| {
        m.entry(d.value.org.as_str()).or_default().push(*d);
        m
    });
    for (org, items) in orgs {
        let name = org_ref_by_id(site, org).map(|o| o.short_name).unwrap_or_default();
        jobs.push(listing(routes::disclosures_org(org), &format!("{name}党务公开"), items, &name));
    }
    for d in &site.disclosures {
        jobs.push(disclosure_page(site, d));
    }
    jobs
}

fn disclosure_page(site: &Site, d: &Record<Disclosure>) -> PageJob {
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
    ctx.insert("item", &item);
    ctx.insert("columns", &columns);
    ctx.insert("rows", &rows);
    ctx.insert("attachments", &attachments);
    ctx.insert("body_html", &markdown::render(&v.body));
    ctx.insert("feedback", &feedback(site, v));
    ctx.insert(
        "category_url",
        &routes::disclosures_category(&routes::category_slug(
            &v.category,
            site.config.disclosure_categories.iter().position(|c| c == &v.category).unwrap_or(0),
        )),
    );
    ctx.insert("record", &record_meta(site, d));
    job(item.url.clone(), "disclosures/disclosure.html", &v.title, ctx)
}

/// The feedback channel: the record's own, else the org's phone, else the site's.
fn feedback(site: &Site, d: &Disclosure) -> serde_json::Value {
    if let Some(c) = &d.contact {
        return serde_json::json!({"unit": c.unit, "phone": c.phone, "mailbox": c.mailbox, "email": c.email, "address": c.address});
    }
    let org = site.orgs.get(d.org.as_str());
    let phone = org.and_then(|o| o.phone.clone()).or_else(|| site.config.contact.phone.clone());
    serde_json::json!({"unit": org.map(|o| o.display_name()), "phone": phone, "email": site.config.contact.email, "address": site.config.contact.address})
}

#[derive(Serialize)]
struct CommentsLine {
    org: Option<OrgRef>,
    year: i32,
    url: String,
    stats: CommentStats,
}

fn comments_line(site: &Site, i: usize, c: &Record<crate::model::records::Comments>) -> CommentsLine {
    CommentsLine {
        org: org_ref_by_id(site, c.value.org.as_str()),
        year: c.value.year,
        url: routes::comments_of(c.value.year, c.value.org.as_str()),
        stats: site.figures.comments[i].1.clone(),
    }
}

fn comment_pages(site: &Site) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    let mut lines: Vec<CommentsLine> =
        site.comments.iter().enumerate().map(|(i, c)| comments_line(site, i, c)).collect();
    lines.sort_by(|a, b| b.year.cmp(&a.year).then_with(|| a.url.cmp(&b.url)));
    let mut ctx = Context::new();
    ctx.insert("lines", &lines);
    let bars: Vec<(String, Option<f64>)> =
        lines.iter().map(|l| (format!("{} {}年", short_name(&l.org), l.year), l.stats.median_days_to_reply)).collect();
    ctx.insert("chart", &charts::reply_days(&bars, site.config.rules.comment_reply_days));
    ctx.insert("reply_days", &site.config.rules.comment_reply_days);
    jobs.push(job(routes::comments(), "comments/index.html", "群众评说基层党组织", ctx));
    for (i, c) in site.comments.iter().enumerate() {
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
        jobs.push(job(line.url.clone(), "comments/org.html", &format!("{}{}年群众评说", name, c.value.year), ctx));
    }
    jobs
}
