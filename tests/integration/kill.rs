//! A build killed with SIGKILL at any moment leaves the previous site complete: `gongshi verify`
//! passes on it every time.

use crate::support::Site;
use std::process::{Command, Stdio};
use std::time::Instant;

/// Adds `n` disclosures to the minimal site so a build takes a while.
fn enlarge(site: &Site, n: usize) {
    let body = "经支部委员会研究，现将本月主题党日活动情况公开如下：学习了党的基层组织建设有关规定，开展了志愿服务。"
        .repeat(20);
    for i in 0..n {
        site.write(
            &format!("content/disclosures/2025/cun-b/huodong-{i:05}.md"),
            &format!(
                "---\norg: cun-b\ntitle: 乙村党支部主题党日活动情况公开（第{i}号）\ncategory: 组织生活\nevent_date: 2025-06-03\npublished_on: 2025-06-05\nperiod: {{ from: 2025-06-05, to: 2025-06-13 }}\napproval: {{ approved_by: 支委会, approved_on: 2025-06-04 }}\n---\n{body}\n"
            ),
        );
    }
}

/// `gongshi <args…> --root <site>`.
fn gongshi(site: &Site, args: &[&str]) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin("gongshi"));
    c.args(args).arg("--root").arg(site.root());
    c
}

#[test]
fn a_killed_build_leaves_the_previous_site_complete() {
    let site = Site::from_fixture("minimal");
    enlarge(&site, 800);
    site.run(&["release", "-m", "首次发布", "--date", "2026-03-31"]).assert_ok();
    site.run(&["verify"]).assert_ok();
    // A change, so that the interrupted build would have produced a different site.
    site.edit("content/pages/about.md", "本站", "本网站");

    let started = Instant::now();
    let status = Command::new(assert_cmd::cargo::cargo_bin("gongshi"))
        .args(["build", "--date", "2026-03-31", "--out"])
        .arg(site.path("timing-out"))
        .arg("--root")
        .arg(site.root())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let full = started.elapsed();

    let (mut killed, mut before_swap) = (0, 0);
    for step in 1..=8u32 {
        let moment = full.mul_f64(f64::from(step) / 10.0);
        let mut child = gongshi(&site, &["build", "--date", "2026-03-31"])
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(moment);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap_or(());
        child.wait().unwrap();
        if finished {
            continue;
        }
        killed += 1;
        // Either the swap had not happened (public/ is the released site: verify passes), or it had
        // (public/ is the new build, complete: its only "problem" is that it is a preview).
        let verify = gongshi(&site, &["verify"]).output().unwrap();
        let err = String::from_utf8_lossy(&verify.stderr).into_owned();
        let problems: Vec<&str> = err.lines().filter(|l| !l.starts_with("校验失败")).collect();
        if verify.status.success() {
            before_swap += 1;
        } else {
            assert!(
                problems.len() == 1 && problems[0].starts_with("这是预览版"),
                "after a kill at {moment:?} of {full:?}, public/ is incomplete:\n{err}"
            );
        }
    }
    assert!(killed >= 5, "only {killed} builds were killed before they finished (full build {full:?})");
    assert!(before_swap >= 3, "only {before_swap} kills landed before the swap (full build {full:?})");
    // The next build cleans up whatever the killed ones left and completes.
    site.build("2026-03-31").assert_ok();
    let leftovers = site.staging_leftovers();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn verify_subcommand_uses_default_public_dir() {
    let site = Site::from_fixture("minimal");
    site.run(&["release", "-m", "首次发布", "--date", "2026-03-31"]).assert_ok();
    let out = gongshi(&site, &["verify"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("校验通过"));
}
