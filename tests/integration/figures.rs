//! Every figure kind of rules.md, checked on the minimal fixture against numbers worked out by hand
//! (see the comments), and every flag where site.md says it appears.

use crate::support::{visible_text, Site};

const DATE: &str = "2026-03-31";

fn built() -> Site {
    let site = Site::from_fixture("minimal");
    site.build(DATE).assert_ok();
    site
}

/// The table row of `org_name` in a year table (not the chart above it), as visible text.
fn row_of(html: &str, org_name: &str) -> String {
    let table = html.find("<tbody>").expect("a table");
    let html = &html[table..];
    let start = html.find(&format!(">{org_name}<")).unwrap_or_else(|| panic!("{org_name} not in table")) + 1;
    let end = html[start..].find("</tr>").map(|e| start + e).unwrap();
    visible_text(&html[start..end])
}

#[test]
fn satisfaction_and_ranks_in_the_year_table() {
    let site = built();
    let html = site.page("reports/2025/index.html");
    // 甲村: (30 + 10) / (30 + 10 + 8) = 83.33%; 不了解 is not a valid vote.
    // 乙村: (20 + 5) / 50 = 50.0%;  丙村: (40 + 5) / 50 = 90.0%. Ranks: 丙 1, 甲 2, 乙 3 of 3.
    assert_eq!(row_of(&html, "甲村党支部"), "甲村党支部 83.3% 好 2/3 0");
    assert!(row_of(&html, "乙村党支部").starts_with("乙村党支部 50.0% 差 3/3 限期整改 连续2年排名末位 · 通报批评"));
    assert_eq!(row_of(&html, "丙村党支部"), "丙村党支部 90.0% 好 1/3 0");
    // 2024: 甲 90.0% (45/50), 乙 60.0% (30/50): exactly the red line is not below it.
    let html = site.page("reports/2024/index.html");
    assert_eq!(row_of(&html, "乙村党支部"), "乙村党支部 60.0% 较好 2/2 0");
}

#[test]
fn report_page_shows_evaluation_flags_and_rectifications() {
    let site = built();
    let text = visible_text(&site.page("reports/2025/cun-b/index.html"));
    for expected in [
        "满意率 50.0% 低于60%红线 · 限期整改",
        "第3名 / 共3个",
        "连续2年排名末位 · 通报批评",
        "年年述、年年改、年年在",
        // cb-2025-01: deadline 2025-06-30 passed, 整改中 -> 逾期; cb-2025-02 due 2026-06-30 is not.
        "2025年6月30日 整改中 逾期",
        "2026年6月30日 整改中",
        "发出 50 张，有效票 50 张",
        "cb-2024-01 → cb-2025-01",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert_eq!(text.matches("逾期").count(), 1, "only cb-2025-01 is overdue:\n{text}");
    // The same flags on the org page.
    let org = visible_text(&site.page("orgs/cun-b/index.html"));
    assert!(org.contains("限期整改") && org.contains("通报批评") && org.contains("逾期 1 项"), "{org}");
}

#[test]
fn target_status_completion_and_overdue() {
    let site = built();
    // t1: latest value 2 >= 2 -> 已完成 without a final; t2: 未完成, deadline passed -> 逾期;
    // t3, t4: 已完成. Completion 3 / 4 = 75.0%.
    let text = visible_text(&site.page("targets/2025/cun-a/index.html"));
    assert!(text.contains("共 4 项目标，已完成 3 项，完成率 75.0%，逾期 1 项"), "{text}");
    assert!(text.contains("1. 发展党员人数 已完成"), "{text}");
    assert!(text.contains("2. 党群服务中心改造 未完成 逾期"), "{text}");
    let year = site.page("targets/2025/index.html");
    assert_eq!(row_of(&year, "甲村党支部"), "甲村党支部 4 3 75.0% 逾期 1 项");
}

#[test]
fn comment_figures_and_overdue_flag() {
    let site = built();
    // Replies after 10, 100 and 30 days; c3 unanswered for 120 days (> 60: 超期未答复).
    // On time: 2 / (3 answered + 1 overdue) = 50.0%; median of 10, 30, 100 = 30;
    // followups 满意, 不满意, 基本满意 -> 2 / 3 = 66.7%.
    let text = visible_text(&site.page("comments/2025/cun-a/index.html"));
    assert!(text.contains("收到意见4 条 已答复3 条 按时答复率（60天内）50.0% 对答复满意率66.7%"), "{text}");
    assert!(text.contains("超期未答复"), "{text}");
    let index = site.page("comments/index.html");
    assert_eq!(row_of(&index, "甲村党支部"), "甲村党支部 2025 4 3 50.0% 30 天 66.7% 超期未答复 1 条");
}

#[test]
fn other_formulas_change_the_rate() {
    let site = Site::from_fixture("minimal");
    site.write(
        "content/site.yaml",
        &(site.read("content/site.yaml") + "evaluation: { formula: 满意率, red_line: 40 }\n"),
    );
    site.build(DATE).assert_ok();
    // 满意率 only: 甲村 30 / 48 = 62.5%; 乙村 20 / 50 = 40.0% (not below a 40 red line).
    let html = site.page("reports/2025/index.html");
    assert!(row_of(&html, "甲村党支部").starts_with("甲村党支部 62.5%"));
    assert!(!row_of(&html, "乙村党支部").contains("限期整改"));

    let site = Site::from_fixture("minimal");
    site.write(
        "content/site.yaml",
        &(site.read("content/site.yaml")
            + "evaluation: { formula: 加权, red_line: 40, weights: { 满意: 1.0, 基本满意: 0.7, 不满意: 0.0 } }\n"),
    );
    site.edit("content/reports/2025/cun-b.md", "grade: 差", "grade: 差\n  satisfaction: 47.0");
    site.build(DATE).assert_ok();
    // Weighted (red line lowered so 2024's (20 + 7) / 50 = 54% passes): 甲村 (30 + 0.7 × 10) / 48 = 77.08%; 乙村 (20 + 3.5) / 50 = 47.0%.
    let html = site.page("reports/2025/index.html");
    assert!(row_of(&html, "甲村党支部").starts_with("甲村党支部 77.1%"));
    assert!(row_of(&html, "乙村党支部").starts_with("乙村党支部 47.0%"));
}

#[test]
fn stated_ranks_are_used_and_ties_share_a_rank() {
    let site = Site::from_fixture("minimal");
    // Make 甲村 tie 丙村 at 90.0%: both rank 1, 乙村 3.
    site.edit(
        "content/reports/2025/cun-a.md",
        "{ 满意: 30, 基本满意: 10, 不满意: 8, 不了解: 2 }",
        "{ 满意: 40, 基本满意: 5, 不满意: 5 }",
    );
    site.build(DATE).assert_ok();
    let html = site.page("reports/2025/index.html");
    assert!(row_of(&html, "甲村党支部").contains(" 1/3"));
    assert!(row_of(&html, "丙村党支部").contains(" 1/3"));
    assert!(row_of(&html, "乙村党支部").contains(" 3/3"));
}

#[test]
fn disclosure_period_state_and_home_notices() {
    let site = Site::from_fixture("minimal");
    site.build("2025-04-10").assert_ok();
    let text = visible_text(&site.page("index.html"));
    assert!(text.contains("正在公示 东镇党委关于发展党员的公示"), "{text}");
    let page = visible_text(&site.page("disclosures/2025/zhen/fazhan-1/index.html"));
    assert!(page.contains("公示期 2025年4月7日 至 2025年4月15日 公示中"), "{page}");
    site.build(DATE).assert_ok();
    let page = visible_text(&site.page("disclosures/2025/zhen/fazhan-1/index.html"));
    assert!(page.contains("至 2025年4月15日 已结束"), "{page}");
}

#[test]
fn warnings_are_reported_and_the_build_goes_on() {
    let site = Site::from_fixture("minimal");
    let run = site.build(DATE);
    run.assert_ok();
    let err = run.stderr();
    // c3 is the third entry (line 25); t1 has no final after its year ended.
    assert!(err.contains("content/comments/2025/cun-a.yaml:25:5: warning[comment-hard-limit]"), "{err}");
    assert!(err.contains("content/targets/2025/cun-a.yaml:9:5: warning[target-final-missing]"), "{err}");
    let first = err.lines().next().unwrap();
    assert!(first.contains("comment-hard-limit"), "the hard limit is listed first: {err}");
}

#[test]
fn a_stated_rank_is_shown_as_given() {
    let site = Site::from_fixture("minimal");
    site.edit(
        "content/reports/2025/cun-a.md",
        "  grade: 好",
        "  grade: 好\n  rank: { position: 5, of: 12, group: 全县村党组织 }",
    );
    site.build(DATE).assert_ok();
    let html = site.page("reports/2025/index.html");
    assert!(row_of(&html, "甲村党支部").contains(" 5/12"), "{}", row_of(&html, "甲村党支部"));
    let text = visible_text(&site.page("reports/2025/cun-a/index.html"));
    assert!(text.contains("第5名 / 共12个（全县村党组织）"), "{text}");
}

#[test]
fn working_days_decide_late_publication_and_future_records_are_held_back() {
    let site = Site::from_fixture("minimal");
    // Event 2025-03-03 (Mon) to publication 2025-04-07: 24 working days after the event
    // (Mar 4-31: 20, Apr 1-3: 3, Apr 4 and 6 are holidays, Apr 7: 1), more than 20.
    site.edit("content/disclosures/2025/zhen/fazhan-1.md", "event_date: 2025-04-03", "event_date: 2025-03-03");
    site.write("content/pages/later.md", "---\ntitle: 明年的页面\npublished_on: 2027-01-01\n---\nFUTURE-PAGE\n");
    let run = site.build(DATE);
    run.assert_ok();
    let err = run.stderr();
    assert!(err.contains("content/disclosures/2025/zhen/fazhan-1.md:6:15: warning[publish-late]"), "{err}");
    assert!(err.contains("相隔 24 个工作日"), "{err}");
    assert!(err.contains("content/pages/later.md:3:15: warning[held-back]"), "{err}");
    assert!(!site.path("public/later/index.html").exists(), "a record is held back until its date");
}
