//! The `serve` benchmark (issue 7): edit-to-served latency on a generated site. Opens a
//! `gongshi::serve::Session` on a content root (as `gongshi serve` does), builds once, then edits one
//! disclosure at a time (a sentence appended to its body, as an editor saving a file would) and
//! times `rebuild()` until the new site is ready to be served: that rebuilt `Output` is what the
//! server swaps in. Prints every edit's time and the median.
//!
//! ```text
//! cargo run --release --example serve_latency -- CONTENT_ROOT [EDITS]
//! ```
//!
//! It edits files under CONTENT_ROOT/content/disclosures: run it on a copy of a generated corpus.

use clap::Parser as _;
use gongshi::cli::{Cli, Command};
use gongshi::pipeline;
use gongshi::serve::{Rebuilt, Session};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The allocator the `gongshi` binary runs `serve` with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first() else {
        eprintln!("usage: serve_latency CONTENT_ROOT [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
    if let Err(e) = run(Path::new(root), edits) {
        eprintln!("serve_latency: {e}");
        std::process::exit(2);
    }
}

fn run(root: &Path, edits: usize) -> Result<(), String> {
    // The options `gongshi serve --root ROOT --date 2026-03-31` would run with.
    let root_arg = root.to_string_lossy();
    let cli = Cli::try_parse_from(["gongshi", "serve", "--root", &root_arg, "--date", "2026-03-31"])
        .map_err(|e| e.to_string())?;
    let Command::Serve(serve) = cli.command else { return Err("unexpected command".into()) };
    let site_args = serve.site;
    let opts = pipeline::options(&site_args).map_err(|e| e.to_string())?;
    let mut session = Session::new(opts);
    let started = Instant::now();
    let pages = rebuild(&mut session)?.0;
    println!("first build: {pages} pages in {:.0} ms", started.elapsed().as_secs_f64() * 1000.0);

    let files = disclosures(root)?;
    let mut times = Vec::with_capacity(edits);
    for k in 0..edits {
        // Spread the edits over the site, deterministically.
        let file = &files[(k * 7919) % files.len()];
        let mut text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        text.push_str(&format!("\n第{}次修改：补充说明。\n", k + 1));
        let started = Instant::now();
        std::fs::write(file, &text).map_err(|e| format!("{}: {e}", file.display()))?;
        let (pages, rendered) = rebuild(&mut session)?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("edit {:>2}: {ms:>7.1} ms ({rendered} of {pages} pages re-rendered)", k + 1);
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    if let Some(median) = median(&times) {
        println!(
            "median edit-to-served latency: {median:.1} ms over {edits} one-record edits (min {:.1}, max {:.1})",
            times[0],
            times[times.len() - 1]
        );
    }
    Ok(())
}

/// Rebuilds; the site's page count and how many pages were rendered anew.
fn rebuild(session: &mut Session) -> Result<(usize, usize), String> {
    match session.rebuild().map_err(|e| e.to_string())? {
        Rebuilt::Site { output, rendered, .. } => Ok((output.pages(), rendered)),
        Rebuilt::Failed { errors } => Err(format!("the edited site has errors: {}", errors.join("; "))),
    }
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    (n > 0).then(|| if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 })
}

fn disclosures(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![root.join("content/disclosures")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let p = e.map_err(|e| e.to_string())?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(format!("no disclosures under {}", root.display()));
    }
    Ok(out)
}
