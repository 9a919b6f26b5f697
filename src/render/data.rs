//! Open data: every public record as `data/<kind>.json` and `data/<kind>.csv` (UTF-8, CSV with a
//! BOM so Excel reads Chinese). Built from the same audience-filtered site as the pages, with the
//! same comment views, so nothing the pages hide appears here.

use super::views::comment_view;
use super::{routes, Output};
use crate::error::{Error, Result};
use crate::model::figures::round1;
use crate::model::Site;
use serde_json::{json, Value};

pub fn write_all(site: &Site, out: &mut Output) -> Result<()> {
    let sets: [(&str, Vec<Value>); 6] = [
        ("orgs", orgs(site)),
        ("targets", targets(site)),
        ("reports", reports(site)),
        ("rectifications", rectifications(site)),
        ("disclosures", disclosures(site)),
        ("comments", comments(site)),
    ];
    for (kind, rows) in sets {
        let json = serde_json::to_vec_pretty(&rows).map_err(|e| Error::Other(e.to_string()))?;
        out.insert(routes::data(kind, "json"), json);
        out.insert(routes::data(kind, "csv"), csv_of(&rows)?);
    }
    Ok(())
}

fn orgs(site: &Site) -> Vec<Value> {
    site.orgs
        .orgs
        .iter()
        .map(|o| {
            json!({
                "id": o.id, "name": o.name, "short_name": o.display_name(), "kind": o.kind.label(),
                "parent": o.parent, "secretary": o.secretary.as_ref().and_then(|s| s.current(site.today)),
                "phone": o.phone,
            })
        })
        .collect()
}

fn targets(site: &Site) -> Vec<Value> {
    let mut rows = Vec::new();
    for (t, figs) in site.targets.iter().zip(&site.figures.targets) {
        for (item, f) in t.value.items.iter().zip(figs) {
            let target = item.target.as_ref();
            rows.push(json!({
                "year": t.value.year, "org": t.value.org, "item": item.id, "task": item.task, "goal": item.goal,
                "indicator": item.indicator, "target": target.and_then(|x| x.text.clone()),
                "target_value": target.and_then(|x| x.value), "unit": target.and_then(|x| x.unit.clone()),
                "actual": f.actual, "deadline": item.deadline, "status": f.status.label(), "overdue": f.overdue,
                "responsible": item.responsible, "check_code": t.check_code(),
            }));
        }
    }
    rows
}

fn reports(site: &Site) -> Vec<Value> {
    site.reports
        .iter()
        .zip(&site.figures.reports)
        .map(|(r, f)| {
            let e = r.value.evaluation.as_ref();
            let shown = e.filter(|e| e.publish_votes);
            json!({
                "year": r.value.year, "org": r.value.org, "title": r.value.title, "published_on": r.value.published_on,
                "ballots_issued": shown.and_then(|e| e.ballots_issued), "votes": shown.map(|e| &e.votes),
                "satisfaction": f.satisfaction.map(round1), "grade": e.and_then(|e| e.grade.clone()),
                "rank": f.rank.as_ref().map(|k| k.position), "rank_of": f.rank.as_ref().map(|k| k.of),
                "rectification_required": f.below_red_line, "public_criticism": f.public_criticism,
                "recurring": f.recurring, "withdrawn": r.value.withdrawn.is_some(), "check_code": r.check_code(),
            })
        })
        .collect()
}

fn rectifications(site: &Site) -> Vec<Value> {
    let mut rows = Vec::new();
    for (r, figs) in site.rectifications.iter().zip(&site.figures.rects) {
        for (it, f) in r.value.items.iter().zip(figs) {
            rows.push(json!({
                "org": r.value.org, "id": it.id, "raised_on": it.raised_on, "source": it.source.map(|s| s.label()),
                "issue": it.issue, "carried_from": it.carried_from, "responsible": it.responsible,
                "deadline": it.deadline, "status": it.status.label(), "overdue": f.overdue,
                "recurring": f.recurring(), "completed_on": it.completed_on,
            }));
        }
    }
    rows
}

fn disclosures(site: &Site) -> Vec<Value> {
    site.disclosures
        .iter()
        .map(|d| {
            let v = &d.value;
            json!({
                "year": v.year, "org": v.org, "slug": v.slug, "title": v.title, "category": v.category,
                "event_date": v.event_date, "published_on": v.published_on,
                "period_from": v.period.as_ref().map(|p| p.from), "period_to": v.period.as_ref().map(|p| p.to),
                "url": routes::disclosure(v.year, v.org.as_str(), &v.slug), "withdrawn": v.withdrawn.is_some(),
                "check_code": d.check_code(),
            })
        })
        .collect()
}

fn comments(site: &Site) -> Vec<Value> {
    let mut rows = Vec::new();
    for (c, (figs, _)) in site.comments.iter().zip(&site.figures.comments) {
        for (e, f) in c.value.entries.iter().zip(figs) {
            let v = comment_view(e, f);
            rows.push(json!({
                "year": c.value.year, "org": c.value.org, "id": v.id, "received_on": v.received_on,
                "channel": v.channel, "commenter": v.commenter, "topic": v.topic, "text": v.text,
                "status": v.status, "reply_on": v.reply_on, "reply": v.reply_text,
                "days_to_reply": v.days_to_reply, "overdue": v.overdue, "followup": v.followup,
            }));
        }
    }
    rows
}

/// Flat JSON objects -> CSV with a header row and a UTF-8 BOM.
fn csv_of(rows: &[Value]) -> Result<Vec<u8>> {
    let mut buf = "\u{feff}".as_bytes().to_vec();
    let Some(Value::Object(first)) = rows.first() else {
        return Ok(buf);
    };
    let headers: Vec<&String> = first.keys().collect();
    {
        let mut w = csv::Writer::from_writer(&mut buf);
        let err = |e: csv::Error| Error::Other(e.to_string());
        w.write_record(headers.iter().map(|h| h.as_str())).map_err(err)?;
        for row in rows {
            let cells = headers.iter().map(|h| cell(row.get(h.as_str())));
            w.write_record(cells).map_err(err)?;
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))?;
    }
    Ok(buf)
}

fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "是" } else { "否" }.to_string(),
        Some(other) => other.to_string(),
    }
}
