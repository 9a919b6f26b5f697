//! Notice boards (print.md): every board of the shipped sample printed to PDF by `gongshi print`
//! and checked with poppler (paper size, every item's title, check code and 公示期, page count, text
//! inside the margins); layout checked in Chromium before printing (nothing wider than the page,
//! large type); the QR code decoded back to the org's URL; `print` without Chromium.
//!
//! Chromium, fonts-noto-cjk and poppler-utils are installed by scripts/test: a missing tool fails
//! these tests with a message saying so, never skips them.

use crate::support::{repo_root, visible_text, Site};
use regex::Regex;
use std::path::{Path, PathBuf};
use std::process::Command;

const DATE: &str = "2026-03-31";
/// @page margin left and right (board.css), in points: 15mm.
const SIDE_MARGIN_PT: f64 = 15.0 * 72.0 / 25.4;
/// @page top margin (board.css), in points: 18mm; the running header sits inside it.
const TOP_MARGIN_PT: f64 = 18.0 * 72.0 / 25.4;
/// Font size of the running header and page numbers (board.css).
const HEADER_PT: f64 = 11.0;
const A4_PT: (f64, f64) = (595.28, 841.89);
const A3_PT: (f64, f64) = (841.89, 1190.55);

fn sample() -> Site {
    let s = Site { dir: tempfile::tempdir().unwrap() };
    crate::support::copy_dir(&repo_root().join("content"), &s.path("content"));
    s
}

fn chromium() -> PathBuf {
    let path = std::env::var_os("CHROMIUM").map(PathBuf::from).unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(
        path.is_file(),
        "Chromium is not installed at {}: run scripts/test, which installs chromium, fonts-noto-cjk and poppler-utils",
        path.display()
    );
    path
}

/// Runs a poppler tool, failing with a hint when it is missing.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} cannot run ({e}): run scripts/test, which installs poppler-utils, chromium and fonts-noto-cjk")
    });
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Org ids of the sample, in file order.
fn sample_org_ids() -> Vec<String> {
    let orgs = std::fs::read_to_string(repo_root().join("content/orgs.yaml")).unwrap();
    Regex::new(r"(?m)^- id: (\S+)").unwrap().captures_iter(&orgs).map(|c| c[1].to_string()).collect()
}

/// One item of a board as its HTML shows it: what the paper must carry too.
#[derive(Debug)]
struct Item {
    title: String,
    check_code: String,
    /// `2026年3月26日至2026年4月3日`
    periods: Vec<String>,
    url: String,
}

fn board_items(html: &str) -> Vec<Item> {
    let article =
        Regex::new(r#"(?s)<article class="board-item[^"]*" data-check-code="([0-9a-f]{16})">(.*?)</article>"#).unwrap();
    let title = Regex::new(r#"(?s)<h3 class="item-title"><a href="([^"]+)">(.*?)</a>"#).unwrap();
    let period = Regex::new(r"公示期：(\S+) 至 (\S+?)（").unwrap();
    article
        .captures_iter(html)
        .map(|a| {
            let t = title.captures(&a[2]).unwrap_or_else(|| panic!("item without a title: {}", &a[2]));
            let text = visible_text(&a[2]);
            Item {
                title: visible_text(&t[2]),
                check_code: a[1].to_string(),
                periods: period.captures_iter(&text).map(|p| format!("{}至{}", &p[1], &p[2])).collect(),
                url: t[1].to_string(),
            }
        })
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

struct Word {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

struct Pdf {
    width: f64,
    height: f64,
    pages: usize,
    /// Text of each page, whitespace removed (Chinese lines break anywhere).
    page_texts: Vec<String>,
    /// Every word with its box, in points from the top left.
    words: Vec<Word>,
}

fn read_pdf(path: &Path) -> Pdf {
    let p = path.to_str().unwrap();
    let info = poppler("pdfinfo", &[p]);
    let size = Regex::new(r"Page size:\s+([\d.]+) x ([\d.]+) pts").unwrap().captures(&info).expect("page size");
    let pages = Regex::new(r"Pages:\s+(\d+)").unwrap().captures(&info).expect("pages")[1].parse().unwrap();
    let text = poppler("pdftotext", &[p, "-"]);
    let page_texts: Vec<String> = text.split('\x0c').map(squeeze).filter(|t| !t.is_empty()).collect();
    let bbox = poppler("pdftotext", &["-bbox", p, "-"]);
    let word =
        Regex::new(r#"<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>"#).unwrap();
    let words = word
        .captures_iter(&bbox)
        .map(|w| {
            let [x0, y0, x1, y1] = [1, 2, 3, 4].map(|i| w[i].parse().unwrap());
            Word { x0, y0, x1, y1, text: w[5].to_string() }
        })
        .collect();
    Pdf { width: size[1].parse().unwrap(), height: size[2].parse().unwrap(), pages, page_texts, words }
}

/// Checks one printed board against its HTML: paper, items, 公示期, pages, margins, running header,
/// type size.
fn check_pdf(id: &str, pdf: &Pdf, html: &str, paper: (f64, f64), min_pt: f64) {
    assert!(
        (pdf.width - paper.0).abs() < 1.0 && (pdf.height - paper.1).abs() < 1.0,
        "{id}: page size {} x {}, expected {paper:?}",
        pdf.width,
        pdf.height
    );
    let text: String = pdf.page_texts.concat();
    let items = board_items(html);
    for item in &items {
        assert!(text.contains(&squeeze(&item.title)), "{id}: title {:?} not in the PDF", item.title);
        assert!(
            text.contains(&item.check_code),
            "{id}: check code {} of {:?} not in the PDF",
            item.check_code,
            item.title
        );
        for p in &item.periods {
            assert!(text.contains(p), "{id}: 公示期 {p} of {:?} not in the PDF", item.title);
        }
    }
    for must in ["盖章处", "监督电话", "监督与留言"] {
        assert!(text.contains(must), "{id}: {must} not in the PDF");
    }
    // The header page, plus at most one page per item: a board that runs longer has lost its layout.
    assert!(pdf.pages >= 1 && pdf.pages <= 1 + items.len(), "{id}: {} pages for {} items", pdf.pages, items.len());
    let title = squeeze(&Regex::new(r#"<h1 id="board-title">([^<]+)</h1>"#).unwrap().captures(html).unwrap()[1]);
    for (n, page) in pdf.page_texts.iter().enumerate() {
        assert!(page.contains(&title), "{id}: page {} has no running header {title}", n + 1);
        assert!(page.contains(&format!("第{}页，共{}页", n + 1, pdf.pages)), "{id}: page {} has no page number", n + 1);
    }
    // Nothing cut off or shrunk to fit: every word sits between the side margins.
    let (min, max) = (SIDE_MARGIN_PT - 1.5, pdf.width - SIDE_MARGIN_PT + 1.5);
    for w in &pdf.words {
        assert!(
            w.x0 >= min && w.x1 <= max,
            "{id}: word {:?} at {}..{} outside the margins {min}..{max}",
            w.text,
            w.x0,
            w.x1
        );
    }
    // Type size on paper, measured against the running header (11pt in board.css) in the same
    // font, so the font's line metrics cancel out: a page Chromium shrank to fit fails here.
    let height = |w: &Word| w.y1 - w.y0;
    let top = TOP_MARGIN_PT;
    let header = pdf.words.iter().filter(|w| w.y1 <= top).map(height).fold(0.0, f64::max);
    let body = pdf.words.iter().filter(|w| w.y0 > top && w.y1 < pdf.height - top).map(height).fold(f64::MAX, f64::min);
    assert!(header > 0.0, "{id}: no running header found");
    let pt = body / header * HEADER_PT;
    assert!(pt >= min_pt - 0.2, "{id}: the smallest text on paper is about {pt:.1}pt, under {min_pt}pt");
}

#[test]
fn every_board_of_the_sample_prints_to_an_a4_pdf_with_all_its_items() {
    chromium();
    let site = sample();
    site.build(DATE).assert_ok();
    let run = site.run(&["print", "--date", DATE]);
    run.assert_ok();
    assert!(run.stdout().contains("个公示栏打印为 PDF（A4 纵向）"), "{}", run.stdout());
    let ids = sample_org_ids();
    let mut pdfs: Vec<String> = site.tree("boards-pdf").into_keys().collect();
    pdfs.sort();
    let mut expected: Vec<String> = ids.iter().map(|id| format!("{id}.pdf")).collect();
    expected.sort();
    assert_eq!(pdfs, expected, "one PDF per org, named after its id");
    let mut items = 0;
    for id in &ids {
        let html = site.page(&format!("boards/{id}/index.html"));
        items += board_items(&html).len();
        check_pdf(id, &read_pdf(&site.path(&format!("boards-pdf/{id}.pdf"))), &html, A4_PT, 14.0);
    }
    assert!(items >= 20, "the sample's boards carry items ({items})");
}

#[test]
fn a3_comes_from_the_flag_or_from_site_yaml() {
    chromium();
    let site = sample();
    let out = site.path("a3");
    let run =
        site.run(&["print", "hexing", "chengguan", "--paper", "A3", "--date", DATE, "--out", out.to_str().unwrap()]);
    run.assert_ok();
    assert_eq!(site.tree("a3").into_keys().collect::<Vec<_>>(), ["chengguan.pdf", "hexing.pdf"]);
    site.run(&["build", "--paper", "A3", "--date", DATE]).assert_ok();
    for id in ["hexing", "chengguan"] {
        let html = site.page(&format!("boards/{id}/index.html"));
        assert!(html.contains("size: A3 portrait"), "{id}");
        check_pdf(id, &read_pdf(&out.join(format!("{id}.pdf"))), &html, A3_PT, 18.0);
    }
    site.edit("content/site.yaml", "paper: A4", "paper: A3");
    site.run(&["print", "taoyuan", "--date", DATE]).assert_ok();
    let pdf = read_pdf(&site.path("boards-pdf/taoyuan.pdf"));
    assert!((pdf.width - A3_PT.0).abs() < 1.0, "site.yaml paper: A3 gives {} pt wide", pdf.width);
}

/// What Chromium measures on a board before printing (see `PROBE`).
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Probe {
    sheet_width: f64,
    doc_width: f64,
    viewport: f64,
    min_font_px: f64,
    over: Vec<String>,
}

/// Measures the sheet in the browser: it has the paper's width and the @page margins as padding,
/// so its content box is the printed text width. Lists every element outside that box or
/// clipping its content, and the smallest font size of any text on it.
const PROBE: &str = r#"<script>
window.addEventListener("load", function () {
  var sheet = document.querySelector(".sheet"), cs = getComputedStyle(sheet), r = sheet.getBoundingClientRect();
  var left = r.left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth);
  var right = r.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
  var over = [], minFont = 1e9;
  sheet.querySelectorAll("*").forEach(function (e) {
    var b = e.getBoundingClientRect(), name = e.tagName + "." + (e.getAttribute("class") || "");
    if (b.width > 0 && (b.left < left - 0.5 || b.right > right + 0.5)) over.push(name + " " + b.left + ".." + b.right + " not in " + left + ".." + right);
    // Clipped content is cut-off text, except in a 1px screen-reader-only box (.visually-hidden).
    if (b.width > 1 && e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") over.push(name + " clips its content");
    for (var n = e.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 3 && n.textContent.trim()) { minFont = Math.min(minFont, parseFloat(getComputedStyle(e).fontSize)); break; }
    }
  });
  var pre = document.createElement("pre");
  pre.id = "gongshi-probe";
  pre.textContent = JSON.stringify({ sheetWidth: r.width, docWidth: document.documentElement.scrollWidth, viewport: innerWidth, minFontPx: minFont, over: over });
  document.body.appendChild(pre);
});
</script>"#;

fn probe(chromium: &Path, board: &Path, scratch: &Path) -> Probe {
    let html = std::fs::read_to_string(board).unwrap();
    let copy = board.with_file_name("probe.html");
    std::fs::write(&copy, html.replace("</body>", &format!("{PROBE}</body>"))).unwrap();
    let out = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"])
        .args(["--window-size=1400,1000", "--virtual-time-budget=10000", "--dump-dom"])
        .arg(format!("--user-data-dir={}", scratch.display()))
        .arg(format!("file://{}", copy.display()))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout);
    let json =
        Regex::new(r#"<pre id="gongshi-probe">([^<]*)</pre>"#).unwrap().captures(&dom).unwrap_or_else(|| {
            panic!("no probe result for {}: {}", board.display(), String::from_utf8_lossy(&out.stderr))
        })[1]
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Probes the boards of `ids` two at a time (two cores) and checks width and type size.
fn check_layout(site: &Site, ids: &[String], paper_mm: f64, min_pt: f64) {
    let chromium = chromium();
    let scratch = tempfile::tempdir().unwrap();
    let probes: Vec<(String, Probe)> = std::thread::scope(|s| {
        let halves: Vec<_> = ids
            .chunks(ids.len().div_ceil(2).max(1))
            .enumerate()
            .map(|(n, chunk)| {
                let (chromium, profile) = (&chromium, scratch.path().join(format!("p{n}")));
                s.spawn(move || {
                    chunk
                        .iter()
                        .map(|id| {
                            (
                                id.clone(),
                                probe(chromium, &site.path(&format!("public/boards/{id}/index.html")), &profile),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(probes.len(), ids.len());
    let paper_px = paper_mm / 25.4 * 96.0;
    for (id, p) in probes {
        assert!(p.over.is_empty(), "{id}: elements wider than the page: {:#?}", p.over);
        assert!((p.sheet_width - paper_px).abs() < 1.0, "{id}: sheet {} px, paper {paper_px} px", p.sheet_width);
        assert!(p.doc_width <= p.viewport, "{id}: the page scrolls sideways ({} > {})", p.doc_width, p.viewport);
        let min_px = min_pt * 96.0 / 72.0;
        assert!(p.min_font_px >= min_px - 0.01, "{id}: text at {} px, under {min_pt}pt", p.min_font_px);
    }
}

#[test]
fn boards_fit_the_page_and_use_large_type_on_a4_and_a3() {
    let site = sample();
    site.build(DATE).assert_ok();
    check_layout(&site, &sample_org_ids(), 210.0, 14.0);
    site.run(&["build", "--paper", "A3", "--date", DATE]).assert_ok();
    check_layout(&site, &["chengguan".to_string(), "hexing".to_string(), "longtang".to_string()], 297.0, 18.0);
}

#[test]
fn print_without_chromium_says_so_and_exits_2() {
    let site = sample();
    let mut cmd = assert_cmd::Command::cargo_bin("gongshi").unwrap();
    let out = cmd
        .args(["print", "--date", DATE, "--root"])
        .arg(site.root())
        .env("CHROMIUM", "/nonexistent")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("找不到 Chromium（/nonexistent）") && err.contains("CHROMIUM"), "{err}");
    assert!(!site.path("boards-pdf").exists());
    let run = site.run(&["print", "no-such-org", "--date", DATE]);
    assert_eq!(run.code(), 2, "{}", run.stderr());
    assert!(run.stderr().contains("`no-such-org`"), "{}", run.stderr());
}

/// Draws the QR SVG's module runs (`M x y h w v1 h-w z`) into a greyscale image and decodes it.
fn decode_qr(svg: &str) -> String {
    const SCALE: usize = 6;
    let side: usize =
        Regex::new(r#"viewBox="0 0 (\d+) \d+""#).unwrap().captures(svg).expect("viewBox")[1].parse().unwrap();
    let w = side * SCALE;
    let mut img = vec![255u8; w * w];
    let run = Regex::new(r"M(\d+) (\d+)h(\d+)v1h-\d+z").unwrap();
    for r in run.captures_iter(svg) {
        let [x, y, len]: [usize; 3] = [1, 2, 3].map(|i| r[i].parse().unwrap());
        for py in y * SCALE..(y + 1) * SCALE {
            img[py * w + x * SCALE..py * w + (x + len) * SCALE].fill(0);
        }
    }
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| img[y * w + x]);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the SVG");
    grids[0].decode().expect("the QR code decodes").1
}

#[test]
fn qr_code_opens_the_org_page_or_the_path_is_printed_in_words() {
    let site = sample();
    site.build(DATE).assert_ok();
    let svg = Regex::new(r#"(?s)<svg class="qr".*?</svg>"#).unwrap();
    for id in sample_org_ids() {
        let html = site.page(&format!("boards/{id}/index.html"));
        let qr = svg.find(&html).unwrap_or_else(|| panic!("{id}: no QR code")).as_str();
        assert_eq!(decode_qr(qr), format!("https://dj.example.gov.cn/orgs/{id}/"), "{id}");
        assert!(
            qr.contains(r#"role="img""#) && qr.contains("<title>二维码"),
            "{id}: the QR code has an accessible name"
        );
    }
    site.edit("content/site.yaml", "base_url: https://dj.example.gov.cn/\n", "");
    site.build(DATE).assert_ok();
    let html = site.page("boards/hexing/index.html");
    assert!(!html.contains("<svg class=\"qr\""), "no QR code without base_url");
    assert!(visible_text(&html).contains("网页位置：orgs/hexing/index.html"), "the path in words");
}

#[test]
fn boards_show_what_print_md_asks_and_link_into_the_site() {
    let site = sample();
    site.build(DATE).assert_ok();
    let html = site.page("boards/hexing/index.html");
    let text = visible_text(&html);
    for expected in [
        "河兴村党支部党务公开栏",
        "中共清溪县城关镇河兴村支部委员会",
        // The sample is released: its boards carry the release, not a preview line.
        "第3版 · 2026年3月31日",
        "河兴村党支部关于确定入党积极分子的公示",
        "公示期：2026年3月26日 至 2026年4月3日（公示中）",
        "监督电话：0000-7654301",
        "盖章处",
        "打印本公示栏",
        "满意率 65.5%",
        "超期未答复",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(html.contains("size: A4 portrait") && html.contains("static/board.css"), "A4 by default");
    // Each item's check code is the one its own record page shows.
    for item in board_items(&html) {
        let target = Path::new("boards/hexing").join(&item.url);
        let page = site.page(&normalise(&target));
        assert!(page.contains(&item.check_code), "{} does not show {}", item.url, item.check_code);
    }
    // Reached from the org page, the navigation and the boards index.
    assert!(site.page("orgs/hexing/index.html").contains(r#"href="../../boards/hexing/index.html""#));
    assert!(site.page("index.html").contains(r#"href="boards/index.html">公示栏</a>"#));
    let index = site.page("boards/index.html");
    for id in sample_org_ids() {
        assert!(index.contains(&format!(r#"href="../boards/{id}/index.html""#)), "{id} not in the boards index");
    }
    // Other pages are not weighed down by the board styles.
    assert!(!site.page("orgs/hexing/index.html").contains("board.css"));
}

/// `boards/hexing/../../orgs/x` -> `orgs/x`.
fn normalise(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c.as_os_str().to_str().unwrap() {
            ".." => {
                parts.pop();
            }
            s => parts.push(s.to_string()),
        }
    }
    parts.join("/")
}
