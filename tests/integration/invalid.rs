//! One fixture per content error: each case under `tests/fixtures/invalid/<case>/` overlays files on
//! the minimal site (an empty file deletes one) and names, in `expect.txt`, the lines the build must
//! print (`path:line:col: error[rule]`, one per line; `warning[...]` lines are asserted too). The
//! build must exit 1, print every expected line, and leave the previous `public/` untouched.

use crate::support::{fixtures, read_tree, Site};

fn cases() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// Builds the minimal site once as "the previous public/", then applies `case` on top.
fn run_case(case: &std::path::Path) -> Result<(), String> {
    let name = case.file_name().unwrap().to_string_lossy().to_string();
    let site = Site::from_fixture("minimal");
    site.build("2026-03-31").assert_ok();
    let before = read_tree(&site.path("public"));
    let overlay = case.join("site");
    for e in walkdir::WalkDir::new(&overlay).into_iter().flatten().filter(|e| e.file_type().is_file()) {
        let rel = e.path().strip_prefix(&overlay).unwrap();
        let target = site.root().join(rel);
        let bytes = std::fs::read(e.path()).unwrap();
        if bytes.is_empty() && e.file_name() != ".keep-empty" {
            let _ = std::fs::remove_file(&target);
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::write(&target, bytes).unwrap();
        }
    }
    let date = std::fs::read_to_string(case.join("date.txt"))
        .map(|d| d.trim().to_string())
        .unwrap_or_else(|_| "2026-03-31".into());
    let run = site.build(&date);
    let err = run.stderr();
    if err.contains("panicked") {
        return Err(format!("{name}: panicked:\n{err}"));
    }
    if run.code() != 1 {
        return Err(format!("{name}: exit {} (want 1)\n{err}", run.code()));
    }
    let expect = std::fs::read_to_string(case.join("expect.txt")).unwrap_or_else(|_| panic!("{name}: expect.txt"));
    for line in expect.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if !err.lines().any(|l| l.starts_with(line) || l.contains(line)) {
            return Err(format!("{name}: expected `{line}` in:\n{err}"));
        }
    }
    if read_tree(&site.path("public")) != before {
        return Err(format!("{name}: public/ changed after a failed build"));
    }
    Ok(())
}

#[test]
fn every_invalid_fixture_fails_with_a_located_error_and_leaves_public_untouched() {
    let cases = cases();
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases.iter().filter_map(|c| run_case(c).err()).collect();
    assert!(failures.is_empty(), "{} of {} cases failed:\n\n{}", failures.len(), cases.len(), failures.join("\n\n"));
}

#[test]
fn a_theme_that_fails_while_the_site_is_written_leaves_public_untouched() {
    let site = Site::from_fixture("minimal");
    site.build("2026-03-31").assert_ok();
    let before = site.tree("public");
    // Pages are written as they render: this template fails on the about page only, after others
    // have gone to the staging folder.
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable.field }}{% endblock content %}",
    );
    let run = site.build("2026-03-31");
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("no_such_variable"), "{}", run.stderr());
    assert_eq!(site.tree("public"), before, "public/ changed after a failed build");
    let leftovers = site.staging_leftovers();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
