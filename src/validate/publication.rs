//! Publication rules shared by every record kind: approval before publishing, 公示期 after it and long
//! enough in working days, timely disclosure, and records held back until their publication date.

use super::{pos, Ctx};
use crate::diagnostics::at;
use crate::load::{Loaded, Located};
use crate::model::common::{Approval, Date, Period, Published, Scope};

/// The fields of one record that publication rules read.
struct Pub<'a> {
    scope: Scope,
    published_on: Option<Date>,
    period: Option<&'a Period>,
    approval: Option<&'a Approval>,
    /// Whether `published_on`, `approval` are required (targets, reports, disclosures).
    required: bool,
    category: Option<&'a str>,
}

impl<'a> Pub<'a> {
    fn of<T: Published>(rec: &'a T, category: Option<&'a str>) -> Pub<'a> {
        let p = rec.publication();
        Pub {
            scope: p.scope,
            published_on: p.published_on,
            period: p.period,
            approval: p.approval,
            required: true,
            category,
        }
    }

    /// Comments and rectifications: approval and date are optional, and there is no 公示期.
    fn optional(scope: Scope, published_on: Option<Date>, approval: Option<&'a Approval>) -> Pub<'a> {
        Pub { scope, published_on, period: None, approval, required: false, category: None }
    }
}

pub fn check_all(ctx: &mut Ctx, loaded: &Loaded) {
    for t in &loaded.targets {
        check(ctx, t, Pub::of(&*t.value, None));
    }
    for r in &loaded.reports {
        check(ctx, r, Pub::of(&*r.value, None));
    }
    for d in &loaded.disclosures {
        check(ctx, d, Pub::of(&*d.value, Some(&d.value.category)));
        check_timeliness(ctx, d);
    }
    for c in &loaded.comments {
        let v = &c.value;
        check(ctx, c, Pub::optional(v.scope, v.published_on, v.approval.as_ref()));
    }
    for r in &loaded.rectifications {
        let v = &r.value;
        check(ctx, r, Pub::optional(v.scope, v.published_on, v.approval.as_ref()));
    }
    for pg in &loaded.pages {
        held_back(ctx, pg, pg.value.published_on);
    }
}

fn check<T>(ctx: &mut Ctx, rec: &Located<T>, p: Pub) {
    if p.required && p.published_on.is_none() {
        ctx.diags.push(at(&rec.path, pos(rec, "")).error(
            "missing-key",
            "published_on",
            "缺少必填的键 `published_on`（首次公开日期）",
        ));
    }
    check_approval(ctx, rec, &p);
    if let (Some(period), Some(published)) = (p.period, p.published_on) {
        check_period(ctx, rec, period, published, p.category);
    }
    held_back(ctx, rec, p.published_on);
}

fn check_approval<T>(ctx: &mut Ctx, rec: &Located<T>, p: &Pub) {
    // Only what the public sees needs the 提出 → 审核 → 审批 trail; an approval given is checked anyway.
    let needed = p.scope == Scope::Public && (p.required || p.approval.is_some());
    let approved_by = p.approval.and_then(|a| a.approved_by.as_deref()).filter(|s| !s.trim().is_empty());
    let approved_on = p.approval.and_then(|a| a.approved_on);
    if needed && (approved_by.is_none() || approved_on.is_none()) {
        let missing: Vec<&str> = [("approved_by", approved_by.is_none()), ("approved_on", approved_on.is_none())]
            .iter()
            .filter(|(_, m)| *m)
            .map(|(k, _)| *k)
            .collect();
        let msg = format!("向社会公开的记录必须经过审批：approval 缺少 {}", missing.join("、"));
        ctx.diags.push(at(&rec.path, pos(rec, "approval")).error("approval-missing", "approval", msg));
    }
    if let (Some(on), Some(published)) = (approved_on, p.published_on) {
        if on > published {
            let msg = format!("审批日期 {on} 晚于公开日期 {published}：应先审批后公开");
            ctx.diags.push(at(&rec.path, pos(rec, "approval.approved_on")).error(
                "approval-late",
                "approval.approved_on",
                msg,
            ));
        }
    }
}

fn check_period<T>(ctx: &mut Ctx, rec: &Located<T>, period: &Period, published: Date, category: Option<&str>) {
    if period.from < published {
        let msg = format!("公示期开始日 {} 早于公开日期 {published}", period.from);
        ctx.diags.push(at(&rec.path, pos(rec, "period.from")).error("period-before-publish", "period.from", msg));
    }
    if !ctx.calendar_complete {
        return;
    }
    let min = ctx.config.rules.min_period_workdays.for_category(category.unwrap_or("default"));
    let p = || pos(rec, "period");
    let days = ctx.workdays_inclusive(period.from, period.to, &rec.path, p);
    if period.to < period.from || days < min {
        let msg = format!(
            "公示期 {} 至 {} 只有 {days} 个工作日，少于规定的 {min} 个工作日",
            period.from.chinese(),
            period.to.chinese()
        );
        ctx.diags.push(at(&rec.path, p()).error("period-too-short", "period", msg));
    }
}

fn check_timeliness(ctx: &mut Ctx, d: &Located<crate::model::records::Disclosure>) {
    let (Some(event), Some(published)) = (d.value.event_date, d.value.published_on) else {
        return;
    };
    if !ctx.calendar_complete {
        return;
    }
    let limit = ctx.config.rules.publish_within_workdays;
    let p = || pos(d, "published_on");
    let days = ctx.workdays_after(event, published, &d.path, p);
    if days > limit {
        let msg = format!(
            "事项形成于 {}，{} 才公开，相隔 {days} 个工作日，超过 {limit} 个工作日的时限",
            event.chinese(),
            published.chinese()
        );
        ctx.diags.push(at(&d.path, p()).warning("publish-late", "published_on", msg));
    }
}

fn held_back<T>(ctx: &mut Ctx, rec: &Located<T>, published_on: Option<Date>) {
    if let Some(day) = published_on.filter(|d| *d > ctx.today) {
        let msg = format!("公开日期 {} 在今天之后：本次生成暂不发布，到期后再生成即可", day.chinese());
        ctx.diags.push(at(&rec.path, pos(rec, "published_on")).warning("held-back", "published_on", msg));
    }
}
