//! The dev server: serves the in-memory site, rebuilds on edits (incrementally, and identically to a
//! full build), keeps serving the last good site with an error overlay, never serves a file from
//! outside the output, rejects foreign Host headers.

use crate::support::Site;
use gongshi::pipeline::Options;
use gongshi::serve::{Rebuilt, Session};
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

fn output_of(r: Rebuilt) -> gongshi::render::Output {
    match r {
        Rebuilt::Site { output, .. } => output,
        Rebuilt::Failed { errors } => panic!("build failed: {errors:?}"),
    }
}

#[test]
fn incremental_rebuilds_equal_full_builds() {
    let site = Site::from_fixture("minimal");
    let mut session = Session::new(options(&site));
    output_of(session.rebuild().unwrap());
    type Edit = Box<dyn Fn(&Site)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a target's value",
            Box::new(|s| {
                s.edit("content/targets/2025/cun-a.yaml", "status: 推进中, value: 2", "status: 推进中, value: 1")
            }),
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
        ),
        (
            "a comment's reply",
            Box::new(|s| {
                s.edit("content/comments/2025/cun-a.yaml", "status: 办理中\n    acknowledged_on: 2025-12-03", "status: 已答复\n    acknowledged_on: 2025-12-03\n    reply: { on: 2026-01-05, text: 已修复路灯。 }")
            }),
        ),
        (
            "a new disclosure",
            Box::new(|s| {
                s.write("content/disclosures/2025/cun-a/dangfei.md", "---\norg: cun-a\ntitle: 甲村党支部党费收缴情况公示\ncategory: 党费收缴使用管理\nevent_date: 2025-07-01\npublished_on: 2025-07-03\nperiod: { from: 2025-07-03, to: 2025-07-11 }\napproval: { approved_by: 支委会, approved_on: 2025-07-02 }\n---\n上半年党费已按时足额收缴。\n")
            }),
        ),
        (
            "a deleted disclosure",
            Box::new(|s| std::fs::remove_file(s.path("content/disclosures/2025/cun-a/dangfei.md")).unwrap()),
        ),
    ];
    for (what, edit) in edits {
        edit(&site);
        let incremental = output_of(session.rebuild().unwrap());
        let full = output_of(Session::new(options(&site)).rebuild().unwrap());
        assert_eq!(incremental.files.keys().collect::<Vec<_>>(), full.files.keys().collect::<Vec<_>>(), "after {what}");
        for (k, v) in &full.files {
            assert!(&incremental.files[k] == v, "after {what}: {k} differs from a full build");
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
