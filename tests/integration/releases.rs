//! The life of a published site: releases, corrections, withdrawals, record history, verification
//! and byte-identical rebuilds from a clean copy of the content (ledger included).

use crate::support::{read_tree, visible_text, Site};

const BODY: &str = "REPORT-BODY-cun-a-2025 正文。";

fn release(site: &Site, message: &str, date: &str) -> crate::support::Run {
    site.run(&["release", "-m", message, "--by", "县委组织部", "--date", date])
}

#[test]
fn release_correct_withdraw_and_history() {
    let site = Site::from_fixture("minimal");
    release(&site, "首次发布", "2026-03-31").assert_ok();
    assert!(site.path("content/releases/0001.json").is_file());
    let page = visible_text(&site.page("reports/2025/cun-a/index.html"));
    assert!(page.contains("第1版 · 随网站第1版发布"), "{page}");
    assert!(!site.page("index.html").contains("banner-preview"), "a released build has no preview banner");

    // An edit without a correction is refused, naming the file; nothing is appended.
    site.edit("content/reports/2025/cun-a.md", BODY, "REPORT-BODY-cun-a-2025 修改后的正文。");
    let refused = release(&site, "未写更正", "2026-04-01");
    assert_eq!(refused.code(), 1, "{}", refused.stderr());
    assert!(
        refused.stderr().contains("content/reports/2025/cun-a.md:1:1: error[correction-missing]"),
        "{}",
        refused.stderr()
    );
    assert!(!site.path("content/releases/0002.json").exists());
    // A build of the edited content is a preview.
    site.build("2026-04-01").assert_ok();
    assert!(site.page("index.html").contains("banner-preview"));

    site.edit(
        "content/reports/2025/cun-a.md",
        "rectifications: []",
        "rectifications: []\ncorrections: [{ date: 2026-04-01, what: 修改正文表述, reason: 原表述有误 }]",
    );
    release(&site, "更正甲村述职报告", "2026-04-01").assert_ok();
    let page = visible_text(&site.page("reports/2025/cun-a/index.html"));
    assert!(page.contains("第2版 · 随网站第2版发布"), "{page}");
    assert!(page.contains("修改正文表述（原因：原表述有误）"), "{page}");
    let history = visible_text(&site.page("reports/2025/cun-a/history/index.html"));
    assert!(history.contains("第2版 网站第2版") && history.contains("第1版 网站第1版"), "{history}");
    let old = site.page("reports/2025/cun-a/history/1/index.html");
    assert!(old.contains(BODY) && !old.contains("修改后的正文"), "the old version renders its old text");
    let v2 = site.page("reports/2025/cun-a/history/2/index.html");
    assert!(v2.contains(&format!("<del>－ {BODY}</del>")), "the diff shows the removed line");
    assert!(v2.contains("<ins>＋ REPORT-BODY-cun-a-2025 修改后的正文。</ins>"), "the diff shows the added line");

    // Deleting a released record is refused; withdrawing it works and keeps its URL.
    let disclosure = site.read("content/disclosures/2025/zhen/fazhan-1.md");
    std::fs::remove_file(site.path("content/disclosures/2025/zhen/fazhan-1.md")).unwrap();
    let refused = release(&site, "删除", "2026-04-02");
    assert_eq!(refused.code(), 1);
    assert!(
        refused.stderr().contains("content/disclosures/2025/zhen/fazhan-1.md:1:1: error[withdrawal-missing]"),
        "{}",
        refused.stderr()
    );
    site.write(
        "content/disclosures/2025/zhen/fazhan-1.md",
        &disclosure.replacen("---\n", "---\nwithdrawn: { date: 2026-04-02, reason: 发展对象情况有变 }\n", 1),
    );
    release(&site, "撤回一则公示", "2026-04-02").assert_ok();
    let page = visible_text(&site.page("disclosures/2025/zhen/fazhan-1/index.html"));
    assert!(page.contains("本条已撤回 撤回日期：2026年4月2日 撤回原因：发展对象情况有变"), "{page}");
    assert!(!page.contains("李某某"), "withdrawn content is not shown");

    let releases = visible_text(&site.page("releases/index.html"));
    // number, date, message, added, changed, withdrawn
    assert!(releases.contains("第3版 2026年4月2日 撤回一则公示 0 0 1"), "{releases}");
    assert!(releases.contains("第2版 2026年4月1日 更正甲村述职报告 0 1 0"), "{releases}");
    assert!(releases.contains("第1版 2026年3月31日 首次发布 10 0 0"), "{releases}");
    let r2 = visible_text(&site.page("releases/2/index.html"));
    assert!(r2.contains("更正（1 条） cun-a书记2025年度抓基层党建工作述职报告"), "{r2}");

    site.run(&["verify"]).assert_ok();
}

#[test]
fn verify_names_every_altered_added_or_removed_file_and_a_broken_chain() {
    let site = Site::from_fixture("minimal");
    release(&site, "首次发布", "2026-03-31").assert_ok();
    site.edit("content/pages/about.md", "本站", "本网站");
    release(&site, "修改关于本站", "2026-04-01").assert_ok();
    site.run(&["verify"]).assert_ok();

    let flip = site.path("public/orgs/cun-a/index.html");
    let mut bytes = std::fs::read(&flip).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&flip, bytes).unwrap();
    std::fs::remove_file(site.path("public/static/site.css")).unwrap();
    std::fs::write(site.path("public/extra.html"), "x").unwrap();
    let run = site.run(&["verify"]);
    assert_eq!(run.code(), 1);
    let err = run.stderr();
    for needle in ["文件被改动：orgs/cun-a/index.html", "缺少文件：static/site.css", "多出的文件：extra.html"]
    {
        assert!(err.contains(needle), "{needle} not in:\n{err}");
    }

    site.build("2026-04-01").assert_ok();
    site.run(&["verify"]).assert_ok();
    site.edit("content/releases/0001.json", "首次发布", "首次发布（改）");
    let run = site.run(&["verify"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("哈希链断裂：第2版（content/releases/0002.json）"), "{}", run.stderr());
}

#[test]
fn a_clean_copy_rebuilds_the_latest_release_byte_for_byte() {
    let site = Site::from_fixture("minimal");
    release(&site, "首次发布", "2026-03-31").assert_ok();
    site.edit("content/pages/about.md", "本站", "本网站");
    release(&site, "第二版", "2026-04-01").assert_ok();
    let published = read_tree(&site.path("public"));
    // A clean checkout: only content/ (ledger included), built later without --date.
    let clone = Site { dir: tempfile::tempdir().unwrap() };
    crate::support::copy_dir(&site.path("content"), &clone.path("content"));
    clone.run(&["build"]).assert_ok();
    assert_eq!(read_tree(&clone.path("public")), published);
    clone.run(&["verify"]).assert_ok();
}

#[test]
fn verify_fails_on_a_preview() {
    let site = Site::from_fixture("minimal");
    site.build("2026-03-31").assert_ok();
    let run = site.run(&["verify"]);
    assert_eq!(run.code(), 1);
    assert!(run.stderr().contains("预览版"), "{}", run.stderr());
}

#[test]
fn nothing_to_release_unless_records_or_pages_changed() {
    let site = Site::from_fixture("minimal");
    release(&site, "首次发布", "2026-03-31").assert_ok();
    let same = release(&site, "再发一次", "2026-03-31");
    same.assert_ok();
    assert!(same.stdout().contains("无需发布新版本"), "{}", same.stdout());
    assert!(!site.path("content/releases/0002.json").exists());
    // A theme change alters published pages without changing a record: a release records it.
    site.write(
        "themes/default/static/site.css",
        &(site.read("public/static/site.css") + "\n.extra { color: #000; }\n"),
    );
    release(&site, "更新样式", "2026-03-31").assert_ok();
    assert!(site.path("content/releases/0002.json").is_file());
    let releases = crate::support::visible_text(&site.page("releases/index.html"));
    assert!(releases.contains("第2版 2026年3月31日 更新样式 0 0 0"), "{releases}");
    site.run(&["verify"]).assert_ok();
}
