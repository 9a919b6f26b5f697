//! The shipped sample: builds clean on its reference date, shows every flag kind, has a 党内公开
//! record and an unpublished comment that stay out of the public build.

use crate::support::{repo_root, visible_text, Site};

fn sample() -> Site {
    let s = Site { dir: tempfile::tempdir().unwrap() };
    crate::support::copy_dir(&repo_root().join("content"), &s.path("content"));
    s
}

#[test]
fn sample_builds_without_errors_and_shows_every_flag() {
    let site = sample();
    let run = site.build("2026-03-31");
    run.assert_ok();
    assert!(!run.stderr().contains("error["), "{}", run.stderr());
    let all: String = site
        .tree("public")
        .iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(_, v)| visible_text(&String::from_utf8_lossy(v)))
        .collect::<Vec<_>>()
        .join("\n");
    for flag in ["限期整改", "通报批评", "逾期", "年年述、年年改、年年在", "超期未答复"] {
        assert!(all.contains(flag), "flag {flag} appears nowhere in the sample");
    }
}

#[test]
fn sample_has_private_records_that_the_public_never_sees() {
    let content = repo_root().join("content");
    let mut party_titles = Vec::new();
    let mut unpublished = Vec::new();
    for e in walkdir::WalkDir::new(&content).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let text = std::fs::read_to_string(e.path()).unwrap_or_default();
        if text.contains("scope: 党内公开") {
            let title = text.lines().find_map(|l| l.strip_prefix("title: ")).unwrap().trim().to_string();
            party_titles.push(title);
        }
        if text.contains("publish: false") {
            unpublished.push(e.path().to_path_buf());
        }
    }
    assert!(!party_titles.is_empty(), "the sample has a 党内公开 record");
    assert!(!unpublished.is_empty(), "the sample has an unpublished comment");
    let site = sample();
    site.build("2026-03-31").assert_ok();
    for (file, bytes) in site.tree("public") {
        let text = String::from_utf8_lossy(&bytes);
        for t in &party_titles {
            assert!(!text.contains(t.as_str()), "{t} leaked into {file}");
        }
    }
}
