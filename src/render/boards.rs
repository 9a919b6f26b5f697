//! The notice boards (公示栏, print.md): `boards/index.html` and one `boards/<org>/index.html` per
//! org with its current items, each with its check code, laid out for paper. Builds page jobs only:
//! never renders templates, never makes URLs itself (routes does), never prints PDFs (print does).

use super::deps::Tracker;
use super::views::{comment_views, org_ref, period_view, CommentView, OrgRef, PeriodView};
use super::{markdown, qr, routes, Job, PageJob};
use crate::config::Paper;
use crate::model::common::Date;
use crate::model::figures::{completion_rate, percent, CommentStats, RankFig};
use crate::model::records::{Disclosure, RectStatus};
use crate::model::{Record, Site};
use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use tera::{Context, Value};

/// At most this many comments on a board: a board is read standing, the rest are on the web page.
const COMMENTS_SHOWN: usize = 5;

/// The board index (every org's board, with what each posts), then one board per org, made from
/// that org's records.
pub fn jobs<'a>(site: &'a Site, t: &'a Tracker) -> Vec<Job<'a>> {
    let all = t.deps().all_targets().all_reports().all_rects().all_disclosures().all_comments();
    let mut jobs = vec![Job::later(routes::boards(), all, move || index(site))];
    jobs.extend(site.orgs.preorder().into_iter().map(|(ix, _)| {
        let own = site.records_of(site.orgs.orgs[ix].id.as_str());
        let deps = t.deps().org_records(own);
        Job::later(routes::board(site.orgs.orgs[ix].id.as_str()), deps, move || {
            let b = board(site, ix);
            let mut ctx = Context::new();
            let (path, title) = (b.path.clone(), b.title.clone());
            ctx.insert("board", &b);
            PageJob::new(path, "boards/board.html", &title, ctx)
        })
    }));
    jobs
}

/// One org's board: what it posts and how to reach the org.
#[derive(Debug, Serialize)]
struct Board {
    path: String,
    title: String,
    org: OrgRef,
    secretary: Option<String>,
    /// `A4` or `A3`: the `@page` size and the type scale.
    paper: &'static str,
    targets: Option<TargetsItem>,
    report: Option<ReportItem>,
    rects: Option<RectsItem>,
    notices: Vec<NoticeItem>,
    comments: Option<CommentsItem>,
    contact: ContactView,
    web: WebLink,
    /// Items that carry a check code: the board index and the print tests count them.
    item_count: usize,
}

#[derive(Debug, Serialize)]
struct TargetsItem {
    title: String,
    year: i32,
    url: String,
    check_code: String,
    period: Option<PeriodView>,
    done: usize,
    total: usize,
    overdue: usize,
    rate: Option<String>,
    lines: Vec<TargetLine>,
}

#[derive(Debug, Serialize)]
struct TargetLine {
    indicator: String,
    target: String,
    due: Option<DateCell>,
    status: &'static str,
    overdue: bool,
}

/// A date in a narrow table column, in two unbreakable parts (`2026年` `12月31日`), so that it
/// wraps after the year and never inside a number.
#[derive(Debug, Serialize)]
struct DateCell {
    year: String,
    day: String,
}

fn date_cell(d: Date) -> DateCell {
    DateCell { year: format!("{}年", d.year()), day: format!("{}月{}日", d.0.month(), d.0.day()) }
}

#[derive(Debug, Serialize)]
struct ReportItem {
    title: String,
    year: i32,
    url: String,
    check_code: String,
    period: Option<PeriodView>,
    satisfaction: Option<f64>,
    grade: Option<String>,
    rank: Option<RankFig>,
    below_red_line: bool,
    public_criticism: bool,
    bottom_streak: u32,
    recurring: bool,
    red_line: f64,
}

#[derive(Debug, Serialize)]
struct RectsItem {
    title: String,
    url: String,
    check_code: String,
    total: usize,
    open: Vec<RectLine>,
}

#[derive(Debug, Serialize)]
struct RectLine {
    id: String,
    issue: String,
    measures: String,
    #[serde(skip)]
    deadline: Option<Date>,
    due: Option<DateCell>,
    status: &'static str,
    overdue: bool,
}

#[derive(Debug, Serialize)]
struct NoticeItem {
    title: String,
    url: String,
    check_code: String,
    category: String,
    published_on: Option<Date>,
    period: Option<PeriodView>,
    body_html: String,
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    feedback: Option<String>,
}

#[derive(Debug, Serialize)]
struct CommentsItem {
    title: String,
    year: i32,
    url: String,
    check_code: String,
    stats: CommentStats,
    entries: Vec<CommentView>,
    reply_days: i64,
}

/// 监督电话 and the ways to comment, in words for paper.
#[derive(Debug, Serialize)]
struct ContactView {
    phone: Option<String>,
    channels: String,
    address: Option<String>,
    email: Option<String>,
    reply_days: i64,
}

/// Where the org's web page is: an absolute URL with its QR code, or only the site-relative path.
#[derive(Debug, Serialize)]
struct WebLink {
    url: Option<String>,
    qr_svg: Option<String>,
    path: String,
}

fn board(site: &Site, ix: usize) -> Board {
    let o = &site.orgs.orgs[ix];
    let id = o.id.as_str();
    let org = org_ref(site, ix);
    let targets = targets_item(site, id);
    let report = report_item(site, id);
    let rects = rects_item(site, id, &org.short_name);
    let notices: Vec<NoticeItem> = active_notices(site, id).into_iter().map(|d| notice(site, d)).collect();
    let comments = comments_item(site, id, &org.short_name);
    let item_count =
        item_count([targets.is_some(), report.is_some(), rects.is_some(), comments.is_some()], notices.len());
    Board {
        path: routes::board(id),
        title: board_title(&org),
        secretary: o.secretary.as_ref().and_then(|s| s.current(site.today)).map(str::to_string),
        paper: paper(site),
        targets,
        report,
        rects,
        notices,
        comments,
        contact: contact(site, o.phone.as_ref().map(|p| p.0.clone())),
        web: web_link(site, id, &org.name),
        item_count,
        org,
    }
}

fn contact(site: &Site, org_phone: Option<String>) -> ContactView {
    let c = &site.config;
    ContactView {
        phone: org_phone.or_else(|| c.contact.phone.as_ref().map(|p| p.0.clone())),
        channels: c.comment_channels.join("、"),
        address: c.contact.address.clone(),
        email: c.contact.email.clone(),
        reply_days: c.rules.comment_reply_days,
    }
}

fn web_link(site: &Site, id: &str, name: &str) -> WebLink {
    let path = routes::org(id);
    // A QR code must hold an absolute URL: a relative path means nothing to a phone's camera.
    let url = site.config.base_url().map(|base| routes::absolute(&base, &path));
    let qr_svg = url.as_deref().and_then(|u| qr::svg(u, &format!("二维码：用手机扫描打开{name}的网页 {u}")));
    WebLink { url, qr_svg, path }
}

/// The targets of the latest year up to this one: this year's once published, else last year's results.
fn targets_item(site: &Site, id: &str) -> Option<TargetsItem> {
    let (i, t) = site
        .records_of(id)
        .targets
        .iter()
        .map(|&i| (i, &site.targets[i]))
        .filter(|(_, t)| t.value.withdrawn.is_none())
        .filter(|(_, t)| t.value.year <= site.today.year())
        .max_by_key(|(_, t)| t.value.year)?;
    let figs = &site.figures.targets[i];
    let lines = t
        .value
        .items
        .iter()
        .zip(figs)
        .map(|(item, f)| TargetLine {
            indicator: item.indicator.clone().unwrap_or_default(),
            target: item.target.as_ref().and_then(|v| v.text.clone()).unwrap_or_default(),
            due: item.deadline.map(date_cell),
            status: f.status.label(),
            overdue: f.overdue,
        })
        .collect::<Vec<_>>();
    Some(TargetsItem {
        title: t.value.title.clone(),
        year: t.value.year,
        url: routes::targets(t.value.year, id),
        check_code: t.check_code().to_string(),
        period: period_view(t.value.period.as_ref(), site.today),
        done: figs.iter().filter(|f| f.done()).count(),
        total: lines.len(),
        overdue: figs.iter().filter(|f| f.overdue).count(),
        rate: completion_rate(figs).map(percent),
        lines,
    })
}

fn report_item(site: &Site, id: &str) -> Option<ReportItem> {
    let (i, r) = site
        .records_of(id)
        .reports
        .iter()
        .map(|&i| (i, &site.reports[i]))
        .filter(|(_, r)| r.value.withdrawn.is_none())
        .max_by_key(|(_, r)| r.value.year)?;
    let fig = &site.figures.reports[i];
    Some(ReportItem {
        title: r.value.title.clone(),
        year: r.value.year,
        url: routes::report(r.value.year, id),
        check_code: r.check_code().to_string(),
        period: period_view(r.value.period.as_ref(), site.today),
        satisfaction: fig.satisfaction,
        grade: r.value.evaluation.as_ref().and_then(|e| e.grade.clone()),
        rank: fig.rank.clone(),
        below_red_line: fig.below_red_line,
        public_criticism: fig.public_criticism,
        bottom_streak: fig.bottom_streak,
        recurring: fig.recurring,
        red_line: site.config.evaluation.red_line,
    })
}

/// Unfinished rectifications of the org's ledger, overdue ones first: what the public should chase.
fn rects_item(site: &Site, id: &str, short_name: &str) -> Option<RectsItem> {
    let (f, r) = site.records_of(id).rectifications.first().map(|&f| (f, &site.rectifications[f]))?;
    let mut open: Vec<RectLine> = r
        .value
        .items
        .iter()
        .zip(&site.figures.rects[f])
        .filter(|(it, _)| it.status != RectStatus::Done)
        .map(|(it, fig)| RectLine {
            id: it.id.0.clone(),
            issue: it.issue.clone(),
            measures: it.measures.join("；"),
            deadline: it.deadline,
            due: it.deadline.map(date_cell),
            status: it.status.label(),
            overdue: fig.overdue,
        })
        .collect();
    if open.is_empty() {
        return None;
    }
    open.sort_by_key(|l| (!l.overdue, l.deadline));
    Some(RectsItem {
        title: format!("{short_name}整改清单"),
        url: routes::rectifications(id),
        check_code: r.check_code().to_string(),
        total: r.value.items.len(),
        open,
    })
}

/// Items on a board: the ones present of its four sections and its notices.
fn item_count(sections: [bool; 4], notices: usize) -> usize {
    sections.into_iter().filter(|&s| s).count() + notices
}

/// Disclosures within their 公示期 on the build date, newest first.
fn active_notices<'a>(site: &'a Site, id: &str) -> Vec<&'a Record<Disclosure>> {
    let mut list: Vec<&Record<Disclosure>> = site
        .records_of(id)
        .disclosures
        .iter()
        .map(|&i| &site.disclosures[i])
        .filter(|d| d.value.withdrawn.is_none())
        .filter(|d| period_view(d.value.period.as_ref(), site.today).is_some_and(|p| p.active))
        .collect();
    list.sort_by(|a, b| b.value.published_on.cmp(&a.value.published_on).then_with(|| a.path.cmp(&b.path)));
    list
}

fn notice(site: &Site, d: &Record<Disclosure>) -> NoticeItem {
    let v = &d.value;
    let (columns, rows) = table(v);
    let feedback = v.contact.as_ref().map(|c| {
        let parts = [
            c.unit.clone(),
            c.phone.as_ref().map(|p| format!("电话 {}", p.0)),
            c.mailbox.clone(),
            c.email.as_ref().map(|e| format!("电子邮箱 {e}")),
            c.address.as_ref().map(|a| format!("地址 {a}")),
        ];
        parts.into_iter().flatten().collect::<Vec<_>>().join("；")
    });
    NoticeItem {
        title: v.title.clone(),
        url: routes::disclosure(v.year, v.org.as_str(), &v.slug),
        check_code: d.check_code().to_string(),
        category: v.category.clone(),
        published_on: v.published_on,
        period: period_view(v.period.as_ref(), site.today),
        body_html: markdown::render(&v.body),
        columns,
        rows,
        feedback: feedback.filter(|f| !f.is_empty()),
    }
}

/// A disclosure's table as columns (in first-seen order) and rows of cells.
fn table(v: &Disclosure) -> (Vec<String>, Vec<Vec<String>>) {
    let mut columns: Vec<String> = Vec::new();
    for (k, _) in v.table.iter().flat_map(|r| r.0.iter()) {
        if !columns.contains(k) {
            columns.push(k.clone());
        }
    }
    let rows = v
        .table
        .iter()
        .map(|r| {
            let cell = |c: &String| r.0.iter().find(|(k, _)| k == c).map(|(_, v)| v.clone()).unwrap_or_default();
            columns.iter().map(cell).collect()
        })
        .collect();
    (columns, rows)
}

/// The latest year's comments: overdue ones first, then the newest; only those the commenter let us publish.
fn comments_item(site: &Site, id: &str, short_name: &str) -> Option<CommentsItem> {
    let (i, c) = site
        .records_of(id)
        .comments
        .iter()
        .map(|&i| (i, &site.comments[i]))
        .filter(|(_, c)| c.value.year <= site.today.year())
        .max_by_key(|(_, c)| c.value.year)?;
    let (figs, stats) = &site.figures.comments[i];
    let mut entries: Vec<CommentView> = comment_views(c, figs).into_iter().filter(|e| e.published).collect();
    entries.sort_by(|a, b| b.overdue.cmp(&a.overdue).then_with(|| b.received_on.cmp(&a.received_on)));
    entries.truncate(COMMENTS_SHOWN);
    Some(CommentsItem {
        title: format!("{short_name}{}年群众评说", c.value.year),
        year: c.value.year,
        url: routes::comments_of(c.value.year, id),
        check_code: c.check_code().to_string(),
        stats: stats.clone(),
        entries,
        reply_days: site.config.rules.comment_reply_days,
    })
}

#[derive(Serialize)]
struct IndexLine {
    org: OrgRef,
    depth: usize,
    url: String,
    title: String,
    item_count: usize,
    notices: usize,
}

/// The index of boards: each org's board with how many items it posts. Counts the items the way
/// `board` gathers them, without building the boards (no QR codes, no Markdown).
fn index(site: &Site) -> PageJob {
    let lines: Vec<IndexLine> = site
        .orgs
        .preorder()
        .into_par_iter()
        .map(|(ix, depth)| {
            let org = org_ref(site, ix);
            let id = site.orgs.orgs[ix].id.as_str();
            let notices = active_notices(site, id).len();
            let sections = [
                targets_item(site, id).is_some(),
                report_item(site, id).is_some(),
                rects_item(site, id, &org.short_name).is_some(),
                comments_item(site, id, &org.short_name).is_some(),
            ];
            IndexLine {
                depth,
                url: routes::board(id),
                title: board_title(&org),
                item_count: item_count(sections, notices),
                notices,
                org,
            }
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("lines", &lines);
    ctx.insert("paper", paper(site));
    PageJob::new(routes::boards(), "boards/index.html", "公示栏", ctx)
}

fn board_title(org: &OrgRef) -> String {
    format!("{}党务公开栏", org.short_name)
}

/// `A4` or `A3`: the `@page` size and the type scale.
fn paper(site: &Site) -> &'static str {
    match site.config.paper {
        Paper::A4 => "A4",
        Paper::A3 => "A3",
    }
}

/// Tera filter: a value as a quoted CSS string, for `@page` margin boxes. Every ASCII character
/// but letters, digits and spaces becomes a hex escape, so no text can end the string or the rule.
pub fn css_string(v: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut out = String::from("\"");
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || ch == ' ' || !ch.is_ascii() && !ch.is_control() {
            out.push(ch);
        } else {
            out.push_str(&format!("\\{:x} ", ch as u32));
        }
    }
    out.push('"');
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out() {
        let v = css_string(&Value::String("城关镇\"}</style>\\ A".into()), &HashMap::new()).unwrap();
        assert_eq!(v.as_str().unwrap(), "\"城关镇\\22 \\7d \\3c \\2f style\\3e \\5c  A\"");
    }
}
