//! The dev server: serves the in-memory site, rebuilds on edits (incrementally, and identically to a
//! full build), keeps serving the last good site with an error overlay, never serves a file from
//! outside the output, rejects foreign Host headers.

use crate::support::Site;
use gongshi::load::Changes;
use gongshi::pipeline::Options;
use gongshi::serve::{DigestMemo, Rebuilt, Session, State};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const DATE: &str = "2026-03-31";

fn options(site: &Site) -> Options {
    let args = gongshi::cli::SiteArgs {
        root: site.root().to_path_buf(),
        out: None,
        date: Some(DATE.into()),
        audience: gongshi::cli::AudienceArg::Public,
        quiet: true,
        format: gongshi::cli::Format::Text,
        paper: None,
    };
    gongshi::pipeline::options(&args).unwrap()
}

/// What a one-shot `gongshi build` of the site holds, manifest included.
fn full_build(site: &Site) -> BTreeMap<String, Vec<u8>> {
    match gongshi::pipeline::render_site(&options(site)).unwrap() {
        Ok((_, output, _)) => output.files,
        Err(d) => panic!("full build failed: {:?}", d.sorted()),
    }
}

/// A session driven the way the server drives it: each rebuild's deltas applied to a served
/// state, then the files made from the whole site built and installed.
struct Driven {
    session: Session,
    state: State,
}

impl Driven {
    fn start(site: &Site) -> Driven {
        let mut d = Driven { session: Session::checking(options(site)), state: State::default() };
        d.rebuild(Changes::All);
        d
    }

    fn rebuild(&mut self, changes: Changes) -> Rebuilt {
        let state = &mut self.state;
        let mut first = true;
        let rebuilt = self
            .session
            .rebuild(changes, &mut |delta| {
                state.apply(delta, first);
                first = false;
            })
            .unwrap();
        match &rebuilt {
            Rebuilt::Site { .. } => {
                assert!(self.state.pages_current(), "the second step renders every pending page");
                let files = self.session.aggregates().unwrap().run(&mut DigestMemo::default()).unwrap();
                let of = self.state.site();
                assert!(self.state.set_aggregates(of, files));
            }
            Rebuilt::Failed { errors } => self.state.fail(errors.clone()),
        }
        rebuilt
    }

    /// Rebuilds after `paths` changed and checks the result against a full build.
    /// Returns how many pages were rendered again, and how many there are.
    fn check(&mut self, site: &Site, what: &str, paths: &[&str]) -> (usize, usize) {
        let changes = Changes::Paths(paths.iter().map(|p| site.path(p)).collect());
        let (rendered, pages) = match self.rebuild(changes) {
            Rebuilt::Site { rendered, pages, .. } => (rendered, pages),
            Rebuilt::Failed { errors } => panic!("after {what}: {errors:?}"),
        };
        assert_eq!(self.session.stale(), &[] as &[String], "after {what}: pages reused although their data changed");
        let full = full_build(site);
        let served = self.state.snapshot();
        assert_eq!(served.keys().collect::<Vec<_>>(), full.keys().collect::<Vec<_>>(), "after {what}");
        for (k, v) in &full {
            assert!(served[k].as_slice() == v.as_slice(), "after {what}: {k} differs from a full build");
        }
        assert!(self.session.output().unwrap().files == full, "after {what}: the session's output differs");
        (rendered, pages)
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = Site::from_fixture("minimal");
    let mut d = Driven::start(&site);
    type Edit = Box<dyn Fn(&Site)>;
    let dangfei = "content/disclosures/2025/cun-a/dangfei.md";
    let edits: Vec<(&str, Edit, Vec<&str>)> = vec![
        (
            "a target's value",
            Box::new(|s| {
                s.edit("content/targets/2025/cun-a.yaml", "status: 推进中, value: 2", "status: 推进中, value: 1")
            }),
            vec!["content/targets/2025/cun-a.yaml"],
        ),
        (
            "a report's votes",
            Box::new(|s| {
                s.edit(
                    "content/reports/2025/cun-c.md",
                    "{ 满意: 40, 基本满意: 5, 不满意: 5 }",
                    "{ 满意: 30, 基本满意: 5, 不满意: 15 }",
                )
            }),
            vec!["content/reports/2025/cun-c.md"],
        ),
        (
            "a comment's reply",
            Box::new(|s| {
                s.edit("content/comments/2025/cun-a.yaml", "status: 办理中\n    acknowledged_on: 2025-12-03", "status: 已答复\n    acknowledged_on: 2025-12-03\n    reply: { on: 2026-01-05, text: 已修复路灯。 }")
            }),
            vec!["content/comments/2025/cun-a.yaml"],
        ),
        ("a new disclosure", Box::new(move |s| s.write(dangfei, DANGFEI)), vec![dangfei]),
        (
            "a renamed disclosure",
            Box::new(move |s| {
                std::fs::rename(s.path(dangfei), s.path("content/disclosures/2025/cun-a/dangfei-2.md")).unwrap()
            }),
            vec![dangfei, "content/disclosures/2025/cun-a/dangfei-2.md"],
        ),
        (
            "a deleted disclosure",
            Box::new(|s| std::fs::remove_file(s.path("content/disclosures/2025/cun-a/dangfei-2.md")).unwrap()),
            vec!["content/disclosures/2025/cun-a/dangfei-2.md"],
        ),
        (
            "a new folder of disclosures",
            Box::new(|s| s.write("content/disclosures/2025/cun-b/dangfei.md", &DANGFEI.replace("cun-a", "cun-b"))),
            vec!["content/disclosures/2025/cun-b"],
        ),
        (
            "a removed folder",
            Box::new(|s| std::fs::remove_dir_all(s.path("content/disclosures/2025/cun-b")).unwrap()),
            vec!["content/disclosures/2025/cun-b"],
        ),
        (
            "an org's name",
            Box::new(|s| s.edit("content/orgs.yaml", "short_name: 甲村党支部", "short_name: 甲村党委")),
            vec!["content/orgs.yaml"],
        ),
        (
            "site.yaml",
            Box::new(|s| s.edit("content/site.yaml", "测试县基层党建公开网", "测试县党建公开网")),
            vec!["content/site.yaml"],
        ),
        (
            "a theme file",
            Box::new(|s| s.write("themes/default/static/extra.css", "body { color: #111; }\n")),
            vec!["themes/default/static/extra.css"],
        ),
    ];
    for (what, edit, paths) in edits {
        edit(&site);
        d.check(&site, what, &paths);
    }
}

const DANGFEI: &str = "---\norg: cun-a\ntitle: 甲村党支部党费收缴情况公示\ncategory: 党费收缴使用管理\nevent_date: 2025-07-01\npublished_on: 2025-07-03\nperiod: { from: 2025-07-03, to: 2025-07-11 }\napproval: { approved_by: 支委会, approved_on: 2025-07-02 }\n---\n上半年党费已按时足额收缴。\n";

#[test]
fn a_build_with_errors_publishes_nothing_and_the_next_good_one_catches_up() {
    let site = Site::from_fixture("minimal");
    let mut d = Driven::start(&site);
    let before = d.state.snapshot();
    site.edit("content/targets/2025/cun-a.yaml", "title: ", "title： ");
    let failed = d.rebuild(Changes::Paths(vec![site.path("content/targets/2025/cun-a.yaml")]));
    assert!(matches!(failed, Rebuilt::Failed { ref errors } if errors.iter().any(|e| e.contains("cun-a.yaml"))));
    assert!(d.state.snapshot() == before, "the last good site is still served");
    // Two files change; the watcher reports them in two batches, the first one with an error.
    site.edit("content/targets/2025/cun-a.yaml", "title： ", "title: ");
    site.edit("content/reports/2025/cun-c.md", "满意: 40", "满意: 39");
    d.check(&site, "the fix and another edit", &["content/targets/2025/cun-a.yaml", "content/reports/2025/cun-c.md"]);
}

#[test]
fn random_edits_of_the_released_sample_reuse_only_pages_whose_data_did_not_change() {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    crate::support::copy_dir(&crate::support::repo_root().join("content"), &site.path("content"));
    let mut d = Driven::start(&site);
    let mut files: Vec<String> = walkdir::WalkDir::new(site.path("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.path().strip_prefix(site.root()).unwrap().to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(".md") && !p.contains("/releases/"))
        .collect();
    files.sort();
    let mut seed: u64 = 7;
    for k in 0..12 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let file = &files[(seed >> 33) as usize % files.len()];
        if k % 3 == 0 {
            let text = site.read(file);
            let title = text.lines().find(|l| l.starts_with("title: ")).unwrap().to_string();
            site.edit(file, &title, &format!("{title}（第{k}次修改）"));
        } else {
            let text = site.read(file);
            site.write(file, &format!("{text}\n第{k}次修改：补充说明。\n"));
        }
        let (rendered, pages) = d.check(&site, &format!("edit {k} of {file}"), &[file]);
        // The first edit makes the released sample a preview (a banner on every page); after
        // that, a body edit reaches only a few pages.
        if k > 0 && k % 3 != 0 {
            assert!(rendered * 4 < pages, "edit {k} of {file} rendered {rendered} of {pages} pages");
        }
    }
}

/// A running `gongshi serve`, killed on drop.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(site: &Site) -> Server {
    let port = free_port();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("gongshi"))
        .args(["serve", "--port", &port.to_string(), "--date", DATE, "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.contains(&format!("127.0.0.1:{port}")), "{line}");
    Server { child, port }
}

/// A raw HTTP/1.1 GET: (status, body).
fn get(port: u16, path: &str, host: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

fn local(port: u16, path: &str) -> (u16, String) {
    get(port, path, &format!("127.0.0.1:{port}"))
}

/// Polls until `cond` holds on the page, returning how long it took.
fn wait_for(port: u16, path: &str, cond: impl Fn(&str) -> bool) -> Duration {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(10) {
        if cond(&local(port, path).1) {
            return started.elapsed();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{path} never satisfied the condition");
}

#[test]
fn serve_reloads_edits_shows_errors_and_serves_only_the_output() {
    let site = Site::from_fixture("minimal");
    let server = start(&site);
    let port = server.port;
    let (status, home) = local(port, "/");
    assert_eq!(status, 200);
    assert!(
        home.contains("测试县基层党建公开网") && home.contains("/__gongshi/live.js"),
        "live reload script injected"
    );

    site.edit(
        "content/disclosures/2025/zhen/fazhan-1.md",
        "东镇党委关于发展党员的公示",
        "东镇党委关于发展党员的公示（修订）",
    );
    let took = wait_for(port, "/disclosures/2025/zhen/fazhan-1/index.html", |b| b.contains("发展党员的公示（修订）"));
    assert!(took < Duration::from_secs(1), "edit served after {took:?}");
    // The open data and the search index are built after the pages; asked for now, they wait
    // until they are current rather than answer with the old ones.
    let (code, data) = local(port, "/data/disclosures.json");
    assert_eq!(code, 200);
    assert!(data.contains("发展党员的公示（修订）"), "the open data is never older than the pages");

    site.edit("content/targets/2025/cun-a.yaml", "title: ", "title： ");
    wait_for(port, "/__gongshi/status", |b| b.contains("cun-a.yaml"));
    let (_, status_json) = local(port, "/__gongshi/status");
    assert!(status_json.contains("content/targets/2025/cun-a.yaml:3:"), "{status_json}");
    let (code, page) = local(port, "/targets/2025/cun-a/index.html");
    assert_eq!(code, 200);
    assert!(page.contains("甲村党支部2025年度基层党建工作目标公开承诺"), "the last good page is still served");

    site.edit("content/targets/2025/cun-a.yaml", "title： ", "title: ");
    wait_for(port, "/__gongshi/status", |b| b.contains("\"errors\":[]"));

    for bad in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/static/..%2f..%2fCargo.toml",
        "/content/site.yaml",
    ] {
        let (code, body) = local(port, bad);
        assert_eq!(code, 404, "{bad}");
        assert!(!body.contains("[package]") && !body.contains("owner:"), "{bad} leaked a file");
    }
    assert_eq!(get(port, "/", "evil.example.com").0, 403, "foreign Host refused");
}
