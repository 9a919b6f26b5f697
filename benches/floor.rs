//! The render-and-write floor of the benchmark (issue 8): what it costs, on one thread, to read every
//! disclosure of a generated content root, render its Markdown body with pulldown-cmark (the same
//! options gongshi uses) and write each result to its own file. No templates, no sanitizing, no
//! checks: no static-site generator can build these pages for less on one core.
//!
//! ```text
//! cargo run --release --example floor -- CONTENT_ROOT OUT_DIR
//! ```

use pulldown_cmark::{html, Options, Parser};
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, out] = args.as_slice() else {
        eprintln!("usage: floor CONTENT_ROOT OUT_DIR");
        std::process::exit(2);
    };
    match run(Path::new(root), Path::new(out)) {
        Ok((pages, bytes)) => println!("{pages} bodies, {:.1} MB of Markdown rendered and written", bytes as f64 / 1e6),
        Err(e) => {
            eprintln!("floor: {e}");
            std::process::exit(2);
        }
    }
}

fn run(root: &Path, out: &Path) -> std::io::Result<(usize, usize)> {
    let mut files = Vec::new();
    collect_md(&root.join("content/disclosures"), &mut files)?;
    files.sort();
    fs::create_dir_all(out)?;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut html_out = String::new();
    let mut bytes = 0;
    for path in &files {
        let text = fs::read_to_string(path)?;
        let body = front_matter_end(&text).map_or(text.as_str(), |end| &text[end..]);
        bytes += body.len();
        html_out.clear();
        html::push_html(&mut html_out, Parser::new_ext(body, opts));
        // One folder per page, as the page's URL has it (pretty URLs, as gongshi and Hugo write them).
        let rel = path.strip_prefix(root.join("content")).unwrap_or(path).with_extension("");
        let dir = out.join(rel);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join("index.html"), html_out.as_bytes())?;
    }
    Ok((files.len(), bytes))
}

/// Byte offset just after the closing `---` line of the front matter.
fn front_matter_end(text: &str) -> Option<usize> {
    let rest = text.strip_prefix("---\n")?;
    rest.find("\n---\n").map(|i| 4 + i + 5)
}

fn collect_md(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_md(&path, out)?;
        } else if path.extension().is_some_and(|x| x == "md") {
            out.push(path);
        }
    }
    Ok(())
}
