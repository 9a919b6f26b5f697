use super::*;
use crate::model::common::Scalar;
use crate::model::records::{Progress, Reply, TargetValue};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn votes(pairs: &[(&str, u32)]) -> BTreeMap<String, u32> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn satisfaction_by_each_formula() {
    let mut rules = EvaluationRules::default();
    let v = votes(&[("满意", 24), ("基本满意", 9), ("不满意", 21), ("不了解", 2)]);
    // valid = 24 + 9 + 21 = 54; (24 + 9) / 54 = 61.11%
    assert_eq!(valid_votes(&v, &rules), 54);
    assert_eq!(percent(satisfaction(&v, &rules).unwrap()), "61.1%");
    rules.formula = Formula::Satisfied; // 24 / 54 = 44.44%
    assert_eq!(percent(satisfaction(&v, &rules).unwrap()), "44.4%");
    rules.formula = Formula::Weighted; // (24 + 0.7 * 9) / 54 = 56.11%
    assert_eq!(percent(satisfaction(&v, &rules).unwrap()), "56.1%");
    assert_eq!(satisfaction(&votes(&[("不了解", 3)]), &rules), None);
}

#[test]
fn rounding_is_half_up() {
    assert_eq!(round1(61.05), 61.1);
    assert_eq!(round1(61.04), 61.0);
    assert_eq!(percent(100.0 * 2.0 / 3.0), "66.7%");
}

fn item(
    deadline: &str,
    compare: Option<Compare>,
    target: Option<f64>,
    progress: &[(&str, ProgressStatus, Option<f64>)],
) -> TargetItem {
    TargetItem {
        id: Scalar("t".into()),
        task: None,
        goal: None,
        indicator: Some("x".into()),
        target: Some(TargetValue { text: Some("x".into()), value: target, unit: None, compare }),
        measures: vec![],
        responsible: Some("x".into()),
        deadline: Some(d(deadline)),
        progress: progress
            .iter()
            .map(|(a, s, v)| Progress { as_of: d(a), status: *s, value: *v, note: None })
            .collect(),
        final_result: None,
    }
}

#[test]
fn target_status_from_progress_numbers_and_deadline() {
    let today = d("2026-03-31");
    // Latest progress says 推进中 but the value meets >= 3: 已完成.
    let met = item(
        "2025-12-31",
        Some(Compare::AtLeast),
        Some(3.0),
        &[("2025-06-30", ProgressStatus::InProgress, Some(1.0)), ("2025-09-30", ProgressStatus::InProgress, Some(3.0))],
    );
    assert_eq!(
        target_status(&met, today),
        TargetFig { status: ProgressStatus::Done, overdue: false, actual: Some(3.0) }
    );
    // Not met, past deadline: 逾期.
    let late =
        item("2025-12-31", Some(Compare::AtLeast), Some(3.0), &[("2025-09-30", ProgressStatus::InProgress, Some(2.0))]);
    let fig = target_status(&late, today);
    assert_eq!((fig.status, fig.overdue), (ProgressStatus::InProgress, true));
    // Deadline ahead: not overdue; no progress at all: 未启动.
    let fresh = item("2026-12-31", None, None, &[]);
    assert_eq!(target_status(&fresh, today).status, ProgressStatus::NotStarted);
    assert!(!target_status(&fresh, today).overdue);
    assert_eq!(
        completion_rate(&[target_status(&met, today), fig, target_status(&fresh, today)]).map(percent),
        Some("33.3%".into())
    );
}

fn rect(id: &str, raised: &str, from: Option<&str>, status: RectStatus, deadline: &str) -> RectItem {
    RectItem {
        id: Scalar(id.into()),
        raised_on: Some(d(raised)),
        source: None,
        source_ref: None,
        issue: "x".into(),
        carried_from: from.map(|f| Scalar(f.into())),
        measures: vec![],
        responsible: None,
        deadline: Some(d(deadline)),
        status,
        updates: vec![],
        completed_on: None,
        verified_by: None,
    }
}

#[test]
fn rectification_overdue_and_chains_across_years() {
    let a = rect("a", "2024-01-10", None, RectStatus::Done, "2024-06-30");
    let b = rect("b", "2025-01-16", Some("a"), RectStatus::InProgress, "2025-04-30");
    let c = rect("c", "2025-03-01", None, RectStatus::Ongoing, "2025-04-30");
    let all: BTreeMap<&str, &RectItem> = [("a", &a), ("b", &b), ("c", &c)].into_iter().collect();
    let today = d("2026-03-31");
    assert!(rect_overdue(&b, today));
    assert!(!rect_overdue(&c, today), "长期坚持 is never overdue");
    assert!(!rect_overdue(&a, today), "已完成 is never overdue");
    assert_eq!(rect_chain(&b, &all), (vec!["a".to_string(), "b".to_string()], vec![2024, 2025]));
    assert_eq!(rect_chain(&c, &all).1, vec![2025]);
}

fn entry(received: &str, reply: Option<&str>, followup: Option<Rating>) -> CommentEntry {
    CommentEntry {
        id: Scalar("1".into()),
        received_on: d(received),
        channel: None,
        commenter: None,
        topic: None,
        text: "x".into(),
        rating: None,
        status: if reply.is_some() { CommentStatus::Replied } else { CommentStatus::Handling },
        acknowledged_on: None,
        reply: reply.map(|r| Reply { on: d(r), by: None, text: "y".into() }),
        closed_on: None,
        followup,
        rectification: None,
        reason_not_accepted: None,
        publish: true,
    }
}

#[test]
fn comment_figures_worked_by_hand() {
    let rules = Rules::default();
    let today = d("2026-03-31");
    let entries = vec![
        entry("2025-03-02", Some("2025-03-12"), Some(Rating::Satisfied)), // 10 days
        entry("2025-04-01", Some("2025-07-01"), Some(Rating::Unsatisfied)), // 91 days: late
        entry("2025-05-01", Some("2025-05-21"), Some(Rating::Fair)),      // 20 days
        entry("2025-12-01", None, None),                                  // 120 days unanswered: overdue, beyond 90
        entry("2026-03-20", None, None),                                  // 11 days: still within the limit
    ];
    let figs: Vec<CommentFig> = entries.iter().map(|e| comment_fig(e, today, &rules)).collect();
    assert!(figs[3].overdue && figs[3].beyond_hard_limit);
    assert!(!figs[4].overdue);
    let s = comment_stats(&entries, &figs, &rules);
    assert_eq!((s.received, s.answered, s.answered_on_time, s.overdue), (5, 3, 2, 1));
    // on time: 2 / (3 + 1) = 50%; median of 10, 20, 91 = 20; followups 2 of 3 happy = 66.7%
    assert_eq!(s.on_time_rate.map(percent), Some("50.0%".into()));
    assert_eq!(s.median_days_to_reply, Some(20.0));
    assert_eq!(s.reply_satisfaction.map(percent), Some("66.7%".into()));
}

#[test]
fn bottom_streak_counts_consecutive_last_places() {
    let last: BTreeSet<(String, i32)> =
        [("a".to_string(), 2024), ("a".to_string(), 2025), ("b".to_string(), 2025)].into();
    assert_eq!(bottom_streak("a", 2025, &last), 2);
    assert_eq!(bottom_streak("b", 2025, &last), 1);
    assert_eq!(bottom_streak("a", 2023, &last), 0);
}
