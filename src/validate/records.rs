//! Rules of targets, rectification ledgers and the comments column (rules.md "Targets and
//! rectifications", "Comments").

use super::{pos, structure, Ctx};
use crate::diagnostics::at;
use crate::load::{Loaded, Located};
use crate::model::figures;
use crate::model::records::{CommentStatus, FinalStatus, RectStatus, Rectifications, Targets};
use std::collections::BTreeSet;

pub fn check_targets(ctx: &mut Ctx, targets: &[Located<Targets>]) {
    let config = ctx.config;
    for t in targets {
        for (i, item) in t.value.items.iter().enumerate() {
            let f = |k: &str| format!("items[{i}].{k}");
            let missing: Vec<&str> = [
                ("indicator", item.indicator.as_deref().is_none_or(|s| s.trim().is_empty())),
                (
                    "target.text",
                    item.target.as_ref().and_then(|t| t.text.as_deref()).is_none_or(|s| s.trim().is_empty()),
                ),
                ("responsible", item.responsible.as_deref().is_none_or(|s| s.trim().is_empty())),
                ("deadline", item.deadline.is_none()),
            ]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(k, _)| *k)
            .collect();
            if !missing.is_empty() {
                let msg = format!("目标 `{}` 缺少 {}", item.id, missing.join("、"));
                ctx.diags.push(at(&t.path, pos(t, &format!("items[{i}]"))).error(
                    "target-incomplete",
                    &f(missing[0]),
                    msg,
                ));
            }
            if let Some(task) = &item.task {
                structure::in_list(ctx, t, &f("task"), task, &config.target_tasks, "target_tasks");
            }
            if let Some(goal) = &item.goal {
                structure::in_list(ctx, t, &f("goal"), goal, &config.target_goals, "target_goals");
            }
            check_final(ctx, t, i);
        }
    }
}

fn check_final(ctx: &mut Ctx, t: &Located<Targets>, i: usize) {
    let item = &t.value.items[i];
    let field = format!("items[{i}].final");
    match &item.final_result {
        Some(fin)
            if fin.status == FinalStatus::Unmet && fin.reason_unmet.as_deref().is_none_or(|s| s.trim().is_empty()) =>
        {
            let msg = format!("目标 `{}` 最终未完成，必须写明 reason_unmet（未完成原因）", item.id);
            ctx.diags.push(at(&t.path, pos(t, &field)).error("unmet-reason", &format!("{field}.reason_unmet"), msg));
        }
        Some(fin) if fin.status == FinalStatus::Done => {
            let fig = figures::target_status(&without_final(item), ctx.today);
            let numeric = item.target.as_ref().and_then(|tv| match (tv.compare, tv.value, fig.actual.or(fin.value)) {
                (Some(c), Some(v), Some(a)) => figures::meets(c, a, v),
                _ => None,
            });
            if numeric == Some(false) {
                let msg = format!("目标 `{}` 标为已完成，但最新完成值没有达到目标值", item.id);
                ctx.diags.push(at(&t.path, pos(t, &field)).warning("target-final-mismatch", &field, msg));
            }
        }
        None if ctx.today.year() > t.value.year => {
            let msg = format!("{}年已结束，目标 `{}` 还没有填写 final（最终完成情况）", t.value.year, item.id);
            ctx.diags.push(at(&t.path, pos(t, &format!("items[{i}]"))).warning("target-final-missing", &field, msg));
        }
        _ => {}
    }
}

fn without_final(item: &crate::model::records::TargetItem) -> crate::model::records::TargetItem {
    let mut copy = item.clone();
    copy.final_result = None;
    copy
}

pub fn check_rectifications(ctx: &mut Ctx, loaded: &Loaded) {
    let files: &[Located<Rectifications>] = &loaded.rectifications;
    let ids: BTreeSet<&str> = files.iter().flat_map(|f| f.value.items.iter().map(|i| i.id.as_str())).collect();
    // A ledger that did not parse is reported already: its items are not missing.
    let ledgers_complete = loaded.all_parsed("rectifications");
    for r in files {
        for (i, item) in r.value.items.iter().enumerate() {
            let field = format!("items[{i}]");
            if item.status == RectStatus::Done && item.completed_on.is_none() {
                let msg = format!("整改事项 `{}` 标为已完成，必须写明 completed_on（完成日期）", item.id);
                ctx.diags.push(at(&r.path, pos(r, &format!("{field}.status"))).error(
                    "rectification-completed-on",
                    &format!("{field}.completed_on"),
                    msg,
                ));
            }
            if item.status == RectStatus::Done && item.verified_by.is_none() {
                let msg = format!("整改事项 `{}` 标为已完成，建议写明 verified_by（验收单位）", item.id);
                ctx.diags.push(at(&r.path, pos(r, &format!("{field}.status"))).warning(
                    "rectification-verified-by",
                    &format!("{field}.verified_by"),
                    msg,
                ));
            }
            if let Some(prev) = &item.carried_from {
                if ledgers_complete && !ids.contains(prev.as_str()) {
                    let msg = format!("carried_from 指向的整改事项 `{prev}` 不存在");
                    ctx.diags.push(at(&r.path, pos(r, &format!("{field}.carried_from"))).error(
                        "unknown-rectification",
                        &format!("{field}.carried_from"),
                        msg,
                    ));
                }
            }
        }
    }
}

pub fn check_comments(ctx: &mut Ctx, loaded: &Loaded) {
    let rect_ids: BTreeSet<&str> =
        loaded.rectifications.iter().flat_map(|f| f.value.items.iter().map(|i| i.id.as_str())).collect();
    let ledgers_complete = loaded.all_parsed("rectifications");
    let config = ctx.config;
    for c in &loaded.comments {
        for (i, e) in c.value.entries.iter().enumerate() {
            let f = |k: &str| format!("entries[{i}].{k}");
            if matches!(e.status, CommentStatus::Replied | CommentStatus::Closed) && e.reply.is_none() {
                let msg = format!("留言 `{}` 状态为{}，但没有 reply（回复）", e.id, e.status.label());
                ctx.diags.push(at(&c.path, pos(c, &f("status"))).error("comment-reply-missing", &f("reply"), msg));
            }
            if e.status == CommentStatus::Rejected
                && e.reason_not_accepted.as_deref().is_none_or(|s| s.trim().is_empty())
            {
                let msg = format!("留言 `{}` 不予受理，必须写明 reason_not_accepted（理由）", e.id);
                ctx.diags.push(at(&c.path, pos(c, &f("status"))).error(
                    "comment-reason-missing",
                    &f("reason_not_accepted"),
                    msg,
                ));
            }
            if let Some(ch) = &e.channel {
                structure::in_list(ctx, c, &f("channel"), ch, &config.comment_channels, "comment_channels");
            }
            if let Some(r) = &e.rectification {
                if ledgers_complete && !rect_ids.contains(r.as_str()) {
                    let msg = format!("关联的整改事项 `{r}` 不存在");
                    ctx.diags.push(at(&c.path, pos(c, &f("rectification"))).error(
                        "unknown-rectification",
                        &f("rectification"),
                        msg,
                    ));
                }
            }
            check_comment_timing(ctx, c, i);
        }
    }
}

fn check_comment_timing(ctx: &mut Ctx, c: &Located<crate::model::records::Comments>, i: usize) {
    let e = &c.value.entries[i];
    let rules = &ctx.config.rules;
    let fig = figures::comment_fig(e, ctx.today, rules);
    let field = format!("entries[{i}]");
    if let Some(days) = fig.days_to_ack.filter(|d| *d > rules.comment_ack_days) {
        let msg = format!("留言 `{}` 收到 {days} 天后才受理，超过 {} 天的时限", e.id, rules.comment_ack_days);
        ctx.diags.push(at(&c.path, pos(c, &format!("{field}.acknowledged_on"))).warning(
            "comment-ack-late",
            &format!("{field}.acknowledged_on"),
            msg,
        ));
    }
    if fig.beyond_hard_limit {
        let age = e.received_on.days_until(ctx.today);
        let msg = format!(
            "留言 `{}` 已收到 {age} 天仍未答复，超过 {} 天的最长时限，请尽快答复",
            e.id, rules.comment_hard_limit_days
        );
        ctx.diags.push(at(&c.path, pos(c, &field)).warning("comment-hard-limit", &field, msg).urgent());
    }
    if let Some(reply) = &e.reply {
        if reply.on < e.received_on {
            let msg = format!("留言 `{}` 的回复日期早于收到日期", e.id);
            ctx.diags.push(at(&c.path, pos(c, &format!("{field}.reply.on"))).error(
                "date-order",
                &format!("{field}.reply.on"),
                msg,
            ));
        }
    }
}
