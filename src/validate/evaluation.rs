//! Rules of 述职评议 (rules.md "Evaluation"): ballots, a stated 满意率 against the computed one,
//! grades and who gave them, the red line and low grades that demand rectification, and vote counts
//! too small to publish.

use super::{pos, Ctx};
use crate::diagnostics::{at, Pos};
use crate::load::{Loaded, Located};
use crate::model::figures::{self, percent};
use crate::model::records::{RectItem, RectSource, Report};
use std::collections::BTreeMap;

pub fn check_reports(ctx: &mut Ctx, loaded: &Loaded) {
    let rects: BTreeMap<&str, &RectItem> =
        loaded.rectifications.iter().flat_map(|f| f.value.items.iter()).map(|i| (i.id.as_str(), i)).collect();
    // A ledger that did not parse is reported already: its items are not missing.
    let ledgers_complete = loaded.all_parsed("rectifications");
    for r in &loaded.reports {
        for (i, id) in r.value.rectifications.iter().enumerate() {
            if ledgers_complete && !rects.contains_key(id.as_str()) {
                let field = format!("rectifications[{i}]");
                let msg = format!("整改事项 `{id}` 不存在（应在 content/rectifications/ 的某个清单中）");
                ctx.diags.push(at(&r.path, pos(r, &field)).error("unknown-rectification", &field, msg));
            }
        }
        if r.value.evaluation.is_some() {
            check_evaluation(ctx, r, &rects, ledgers_complete);
        }
    }
}

/// Where a missing rectification is asked for: the report's `rectifications` list when it has one
/// (that is what the editor must fill in), else `cause`.
fn rectifications_pos(r: &Located<Report>, cause: &str) -> Pos {
    r.positions().find_value("rectifications").unwrap_or_else(|| pos(r, cause))
}

fn check_evaluation(ctx: &mut Ctx, r: &Located<Report>, rects: &BTreeMap<&str, &RectItem>, ledgers_complete: bool) {
    let rules = &ctx.config.evaluation;
    let e = r.value.evaluation.as_ref().expect("caller checked");
    for option in e.votes.keys() {
        if !rules.ballot.contains(option) {
            let field = format!("evaluation.votes.{option}");
            let msg = format!(
                "测评票选项 `{option}` 不在 site.yaml 的 evaluation.ballot 中；可选：{}",
                rules.ballot.join("、")
            );
            ctx.diags.push(at(&r.path, r.positions().key(&field)).error("vote-option", &field, msg));
        }
    }
    let total: u32 = e.votes.values().sum();
    if let Some(issued) = e.ballots_issued {
        if total > issued {
            let msg = format!("票数合计 {total} 张，多于发出的 {issued} 张测评票");
            ctx.diags.push(at(&r.path, pos(r, "evaluation.votes")).error(
                "votes-exceed-ballots",
                "evaluation.votes",
                msg,
            ));
        }
    }
    let computed = figures::satisfaction(&e.votes, rules);
    if let Some(stated) = e.satisfaction {
        let differs = computed.is_none_or(|c| (stated - c).abs() > 0.1 + 1e-9);
        if differs {
            let shown = computed.map(percent).unwrap_or_else(|| "无法计算（没有有效票）".into());
            let msg = format!("填写的满意率 {stated} 与按票数计算的 {shown} 不符（允许误差 ±0.1）");
            ctx.diags.push(at(&r.path, pos(r, "evaluation.satisfaction")).error(
                "satisfaction-mismatch",
                "evaluation.satisfaction",
                msg,
            ));
        }
    }
    check_grade(ctx, r);
    let listed: Vec<&RectItem> =
        r.value.rectifications.iter().filter_map(|id| rects.get(id.as_str()).copied()).collect();
    if let Some(sat) = computed.filter(|s| *s < rules.red_line && ledgers_complete) {
        if !listed.iter().any(|it| it.source == Some(RectSource::RedLine)) {
            let msg = format!(
                "满意率 {} 低于 {}% 红线，须限期整改：rectifications 中要列出一条 source 为“满意率低于红线”的整改事项",
                percent(sat),
                rules.red_line
            );
            let p = rectifications_pos(r, "evaluation.votes");
            ctx.diags.push(at(&r.path, p).error("red-line-rectification", "rectifications", msg));
        }
    }
    let valid = figures::valid_votes(&e.votes, rules);
    if e.publish_votes && !e.votes.is_empty() && valid < 10 && e.votes.values().any(|v| *v < 3) {
        let msg = format!(
            "有效票只有 {valid} 张且有选项少于 3 票，公布票数可能暴露投票人：请设 publish_votes: false，只公布满意率"
        );
        ctx.diags.push(at(&r.path, pos(r, "evaluation.publish_votes")).error(
            "small-vote-counts",
            "evaluation.publish_votes",
            msg,
        ));
    }
}

fn check_grade(ctx: &mut Ctx, r: &Located<Report>) {
    let rules = &ctx.config.evaluation;
    let e = r.value.evaluation.as_ref().expect("caller checked");
    let Some(grade) = e.grade.as_deref() else {
        return;
    };
    let Some(rank) = rules.grades.iter().position(|g| g == grade) else {
        let msg = format!("等次 `{grade}` 不在 site.yaml 的 evaluation.grades 中；可选：{}", rules.grades.join("、"));
        ctx.diags.push(at(&r.path, pos(r, "evaluation.grade")).error("grade-unknown", "evaluation.grade", msg));
        return;
    };
    if e.graded_by.is_none() || e.graded_on.is_none() {
        let msg = "评定了等次，就要写明评定单位 graded_by 和评定日期 graded_on";
        ctx.diags.push(at(&r.path, pos(r, "evaluation.grade")).error("grade-unsigned", "evaluation.grade", msg));
    }
    if rank + 2 >= rules.grades.len() && r.value.rectifications.is_empty() {
        let msg = format!("等次为“{grade}”，必须在 rectifications 中列出整改事项");
        let p = rectifications_pos(r, "evaluation.grade");
        ctx.diags.push(at(&r.path, p).error("low-grade-rectification", "rectifications", msg));
    }
}
