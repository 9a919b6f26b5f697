//! Nothing leaks: 党内公开 records, unpublished comments and commenters' contacts never reach any
//! file of the public build; names are masked; comment text is escaped.

use crate::support::Site;

const DATE: &str = "2026-03-31";

/// Every file of the output whose bytes contain `needle`.
fn files_containing(tree: &std::collections::BTreeMap<String, Vec<u8>>, needle: &str) -> Vec<String> {
    tree.iter().filter(|(_, b)| String::from_utf8_lossy(b).contains(needle)).map(|(k, _)| k.clone()).collect()
}

#[test]
fn public_build_holds_no_trace_of_private_data() {
    let site = Site::from_fixture("minimal");
    site.build(DATE).assert_ok();
    let tree = site.tree("public");
    assert!(tree.len() > 20, "the build wrote a site");
    for canary in [
        "PARTY-CANARY-TITLE",
        "PARTY-CANARY-BODY",
        "neibu",
        "UNPUBLISHED-CANARY",
        "REPLY-OF-UNPUBLISHED-CANARY",
        "CONTACT-CANARY",
        "13900001111",
        "欧阳明华",
        "张三",
        "李四",
    ] {
        assert_eq!(files_containing(&tree, canary), Vec::<String>::new(), "{canary} leaked");
    }
    // The party-scope notice is not counted either: one public disclosure in every list and data file.
    let data = String::from_utf8_lossy(&tree["data/disclosures.json"]).into_owned();
    assert_eq!(data.matches("\"slug\"").count(), 1, "{data}");
    let comments = String::from_utf8_lossy(&tree["comments/2025/cun-a/index.html"]).into_owned();
    assert!(comments.contains("欧阳**") && comments.contains("张*"), "names are masked");
}

#[test]
fn party_build_has_party_records_and_a_banner() {
    let site = Site::from_fixture("minimal");
    site.run(&["build", "--date", DATE, "--audience", "party"]).assert_ok();
    assert!(!site.path("public").exists(), "the party edition goes to its own folder");
    let tree = site.tree("public-party");
    assert!(!files_containing(&tree, "PARTY-CANARY-TITLE").is_empty());
    assert!(!files_containing(&tree, "PARTY-CANARY-BODY").is_empty());
    let home = String::from_utf8_lossy(&tree["index.html"]).into_owned();
    assert!(home.contains("党内公开 · 注意保密"));
    // Contacts stay private even internally.
    assert!(files_containing(&tree, "13900001111").is_empty());
}

#[test]
fn comment_text_is_escaped_not_dropped() {
    let site = Site::from_fixture("minimal");
    site.build(DATE).assert_ok();
    let html = site.page("comments/2025/cun-a/index.html");
    assert!(!html.contains("<script>alert"), "raw script in page");
    assert!(html.contains("周六无人值班 &lt;script&gt;alert("), "the commenter's words are shown, escaped");
}

#[test]
fn allowed_numbers_pass_the_personal_data_scan() {
    let site = Site::from_fixture("minimal");
    site.build(DATE).assert_ok();
    assert!(site.page("disclosures/2025/zhen/fazhan-1/index.html").contains("13700000000"));
}

#[test]
fn a_notice_past_its_take_down_date_keeps_its_url_but_no_personal_data() {
    let site = Site::from_fixture("minimal");
    site.edit("content/disclosures/2025/zhen/fazhan-1.md", "table:", "take_down_on: 2025-06-30\ntable:");
    // Released while still up, so its first version holds the names...
    site.run(&["release", "-m", "首次发布", "--date", "2025-05-08"]).assert_ok();
    assert!(site.page("disclosures/2025/zhen/fazhan-1/index.html").contains("李某某"));
    // ...and once the date has passed, no file shows them, history included.
    site.build(DATE).assert_ok();
    let page = site.page("disclosures/2025/zhen/fazhan-1/index.html");
    assert!(page.contains("公示期满，已撤下"), "{page}");
    let tree = site.tree("public");
    assert!(tree.contains_key("disclosures/2025/zhen/fazhan-1/history/1/index.html"));
    assert_eq!(files_containing(&tree, "李某某"), Vec::<String>::new());
}

#[test]
fn attachments_are_copied_only_when_referenced_and_never_through_a_link() {
    let site = Site::from_fixture("minimal");
    site.write("content/attachments/2025/mingdan.pdf", "%PDF-1.4 fake");
    site.write("content/attachments/2025/unused.pdf", "%PDF-1.4 unused");
    site.edit(
        "content/disclosures/2025/zhen/fazhan-1.md",
        "table:",
        "attachments: [{ title: 发展对象名单, file: 2025/mingdan.pdf }]\ntable:",
    );
    site.build(DATE).assert_ok();
    assert!(site.path("public/attachments/2025/mingdan.pdf").is_file());
    assert!(!site.path("public/attachments/2025/unused.pdf").exists(), "unreferenced files are not published");
    assert!(site
        .page("disclosures/2025/zhen/fazhan-1/index.html")
        .contains("../../../../attachments/2025/mingdan.pdf"));

    std::os::unix::fs::symlink("/etc/hostname", site.path("content/attachments/2025/link.pdf")).unwrap();
    let run = site.build(DATE);
    assert_eq!(run.code(), 1, "{}", run.stderr());
    assert!(run.stderr().contains("content/attachments/2025/link.pdf:1:1: error[unsafe-path]"), "{}", run.stderr());
}
