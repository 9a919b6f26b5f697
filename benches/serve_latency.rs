//! The `serve` benchmark (issue 7): edit-to-served latency on a generated site. Starts the preview
//! the way `gongshi serve` does (first build, file watcher, the thread that builds the files made
//! from the whole site) without its HTTP side, then edits one disclosure at a time (a sentence
//! appended to its body, as an editor saving a file would) and times, from the write:
//!
//! - **page**: until the edited notice's page with the new sentence is what the server would answer
//!   (watcher, load, validation, history, the page rendered and swapped in);
//! - **pages**: until every other page the edit reached (listings, its org's page and board, home)
//!   is current; a request for one of them waits until then;
//! - **all**: until the open data, search index, feed, sitemap and manifest are current too.
//!
//! Each edit waits for the previous one to be complete. Prints every edit's times and the medians.
//!
//! ```text
//! cargo run --release --example serve_latency -- CONTENT_ROOT [EDITS]
//! ```
//!
//! It edits files under CONTENT_ROOT/content/disclosures: run it on a copy of a generated corpus.

use clap::Parser as _;
use gongshi::cli::{Cli, Command};
use gongshi::pipeline;
use gongshi::serve::Preview;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The allocator the `gongshi` binary runs `serve` with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Longest wait for one step before the benchmark gives up.
const TIMEOUT: Duration = Duration::from_secs(120);

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
    let cli = Cli::try_parse_from(["gongshi", "serve", "--root", &root_arg, "--date", "2026-03-31", "--quiet"])
        .map_err(|e| e.to_string())?;
    let Command::Serve(serve) = cli.command else { return Err("unexpected command".into()) };
    let opts = pipeline::options(&serve.site).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let preview = Preview::start(opts).map_err(|e| e.to_string())?;
    let shared = preview.shared.clone();
    if !shared.wait_until(TIMEOUT, |s| s.pages_current() && s.aggregates_current()) {
        return Err("the first build did not finish".into());
    }
    let pages = shared.lock().pages();
    println!("first build: {pages} pages, everything current after {:.0} ms", ms(started.elapsed()));

    let files = disclosures(root)?;
    let (mut page, mut rest, mut all) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..edits {
        // Spread the edits over the site, deterministically.
        let file = &files[(k * 7919) % files.len()];
        let key = page_of(root, file)?;
        let mut text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let sentence = format!("第{}次修改：补充说明。", k + 1);
        text.push_str(&format!("\n{sentence}\n"));
        let started = Instant::now();
        std::fs::write(file, &text).map_err(|e| format!("{}: {e}", file.display()))?;
        let shows = |s: &gongshi::serve::State| s.current(&key).is_some_and(|b| contains(b, sentence.as_bytes()));
        if !shared.wait_until(TIMEOUT, shows) {
            return Err(format!("{key} never showed the edit"));
        }
        page.push(ms(started.elapsed()));
        let errors = shared.lock().errors.clone();
        if !errors.is_empty() {
            return Err(format!("the edited site has errors: {}", errors.join("; ")));
        }
        shared.wait_until(TIMEOUT, |s| s.pages_current());
        rest.push(ms(started.elapsed()));
        shared.wait_until(TIMEOUT, |s| s.pages_current() && s.aggregates_current());
        all.push(ms(started.elapsed()));
        println!("edit {:>2}: page {:>7.1} ms, pages {:>7.1} ms, all {:>7.1} ms", k + 1, page[k], rest[k], all[k]);
    }
    for (name, times) in [("edited page servable", page), ("every page current", rest), ("everything current", all)] {
        summary(name, times, edits);
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn summary(name: &str, mut times: Vec<f64>, edits: usize) {
    times.sort_by(f64::total_cmp);
    if let Some(median) = median(&times) {
        println!(
            "median edit-to-{name}: {median:.1} ms over {edits} one-record edits (min {:.1}, max {:.1})",
            times[0],
            times[times.len() - 1]
        );
    }
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    (n > 0).then(|| if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// `content/disclosures/<year>/<org>/<slug>.md` -> its page's output path.
fn page_of(root: &Path, file: &Path) -> Result<String, String> {
    let rel = file.strip_prefix(root.join("content/disclosures")).map_err(|e| e.to_string())?;
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().to_string()).collect();
    let [year, org, name] = parts.as_slice() else { return Err(format!("unexpected path {}", file.display())) };
    let year: i32 = year.parse().map_err(|_| format!("unexpected path {}", file.display()))?;
    Ok(gongshi::render::routes::disclosure(year, org, name.trim_end_matches(".md")))
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
