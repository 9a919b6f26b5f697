//! `gongshi init` makes a root that builds as it is; `gongshi new` makes, for every kind, a file at
//! the right path that is refused while it has placeholders and builds once they are filled.

use crate::support::Site;

fn gongshi(args: &[&str]) -> crate::support::Run {
    let mut cmd = assert_cmd::Command::cargo_bin("gongshi").unwrap();
    crate::support::Run(cmd.args(args).output().unwrap())
}

/// Replaces every 「请填写X」 placeholder by X.
fn fill_placeholders(text: &str) -> String {
    regex::Regex::new("「请填写([^」]*)」").unwrap().replace_all(text, "$1").into_owned()
}

#[test]
fn init_then_build_succeeds() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("xin");
    gongshi(&["init", root.to_str().unwrap()]).assert_ok();
    for f in ["site.yaml", "orgs.yaml", "calendar/2026.yaml", "pages/about.md"] {
        assert!(root.join("content").join(f).is_file(), "{f}");
    }
    let run = gongshi(&["build", "--root", root.to_str().unwrap()]);
    run.assert_ok();
    assert!(!run.stderr().contains("error["), "{}", run.stderr());
    assert!(root.join("public/index.html").is_file());
    let again = gongshi(&["init", root.to_str().unwrap()]);
    assert_eq!(again.code(), 2, "init never overwrites");
}

#[test]
fn new_makes_every_kind_at_its_path_and_it_builds_once_filled() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("xin");
    gongshi(&["init", root.to_str().unwrap()]).assert_ok();
    let site = Site { dir };
    let r = |p: &str| format!("xin/{p}");
    let cases: [(&str, &[&str], String); 6] = [
        ("targets", &["--org", "cun", "--year", "2026"], r("content/targets/2026/cun.yaml")),
        ("report", &["--org", "zhen", "--year", "2024"], r("content/reports/2024/zhen.md")),
        ("rectifications", &["--org", "zhen"], String::new()),
        ("disclosure", &["--org", "zhen", "--slug", "xin-gongkai", "--title", "示范镇党委新公开"], String::new()),
        ("comments", &["--org", "zhen", "--year", "2026"], r("content/comments/2026/zhen.yaml")),
        ("page", &["--slug", "help", "--title", "使用帮助"], r("content/pages/help.md")),
    ];
    for (kind, args, expected) in &cases {
        let mut all = vec!["new", kind, "--root", root.to_str().unwrap()];
        all.extend_from_slice(args);
        let run = gongshi(&all);
        run.assert_ok();
        // stdout: 已新建 <path>：请把…
        let out = run.stdout();
        let made = out.trim_start_matches("已新建 ").split('：').next().unwrap().to_string();
        if !expected.is_empty() {
            assert_eq!(std::path::Path::new(&made), site.path(expected), "{kind}");
        }
        let refused = gongshi(&["build", "--root", root.to_str().unwrap()]);
        assert_eq!(refused.code(), 1, "{kind} with placeholders must not build:\n{}", refused.stderr());
        assert!(refused.stderr().contains("error[placeholder]"), "{}", refused.stderr());
        let text = std::fs::read_to_string(&made).unwrap();
        std::fs::write(&made, fill_placeholders(&text)).unwrap();
        let built = gongshi(&["build", "--root", root.to_str().unwrap()]);
        assert_eq!(built.code(), 0, "{kind} filled in must build:\n{}", built.stderr());
    }
}
