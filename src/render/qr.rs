//! QR codes as inline SVG, made at build time from a URL (fast_qr crate: the qrcode crate took
//! 0.43 ms a code choosing the mask, a twentieth of a 10,000-record build's CPU for 250 boards;
//! fast_qr takes 0.06 ms). Owns the module drawing only: never decides which URL a code holds
//! (boards and routes do).

use fast_qr::{QRBuilder, ECL};

/// Light modules around the code, as the QR standard asks, so scanners find its edges on a busy board.
const QUIET_ZONE: usize = 4;

/// An SVG QR code for `text`, named for screen readers by `label`. `None` when the text is too long
/// for any QR version.
pub fn svg(text: &str, label: &str) -> Option<String> {
    // Level M survives a stain or a pin hole on a paper board and keeps the code small.
    let code = QRBuilder::new(text).ecl(ECL::M).build().ok()?;
    let width = code.size;
    let side = width + 2 * QUIET_ZONE;
    let dark: Vec<bool> = code.data[..width * width].iter().map(|m| m.value()).collect();
    let mut path = String::new();
    for y in 0..width {
        let row = &dark[y * width..(y + 1) * width];
        for (x, run) in dark_runs(row) {
            path.push_str(&format!("M{} {}h{run}v1h-{run}z", x + QUIET_ZONE, y + QUIET_ZONE));
        }
    }
    let label = tera::escape_html(label);
    Some(format!(
        concat!(
            r#"<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" role="img" "#,
            r#"aria-label="{label}" shape-rendering="crispEdges"><title>{label}</title>"#,
            r##"<rect width="{side}" height="{side}" fill="#fff"/><path fill="#000" d="{path}"/></svg>"##
        ),
        side = side,
        label = label,
        path = path
    ))
}

/// (start, length) of each run of dark modules in a row: one path segment per run keeps the SVG small.
fn dark_runs(row: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (x, &dark) in row.iter().chain(std::iter::once(&false)).enumerate() {
        match (dark, start) {
            (true, None) => start = Some(x),
            (false, Some(s)) => {
                runs.push((s, x - s));
                start = None;
            }
            _ => {}
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_cover_exactly_the_dark_modules() {
        const D: bool = true;
        const L: bool = false;
        assert_eq!(dark_runs(&[D, D, L, D, L, L, D]), vec![(0, 2), (3, 1), (6, 1)]);
        assert_eq!(dark_runs(&[L, L]), vec![]);
    }

    #[test]
    fn svg_has_a_name_a_quiet_zone_and_escapes_the_label() {
        let s = svg("https://dj.example.gov.cn/orgs/hexing/", "二维码 <a&b>").unwrap();
        assert!(s.contains(r#"role="img""#) && s.contains("<title>二维码 &lt;a&amp;b&gt;</title>"), "{s}");
        // Version 3 (29 modules) plus 4 light modules on each side.
        assert!(s.contains(r#"viewBox="0 0 37 37""#), "{s}");
        assert!(s.contains("M4 4h7v1h-7z"), "the finder pattern starts inside the quiet zone: {s}");
    }

    /// Draws the SVG's runs (`M x y h w v1 h-w z`, 4 pixels a module) and reads it with rqrr.
    fn decode(svg: &str) -> String {
        let side: usize =
            svg.split("viewBox=\"0 0 ").nth(1).and_then(|r| r.split(' ').next()).unwrap().parse().unwrap();
        let w = side * 4;
        let mut img = vec![255u8; w * w];
        let path = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        for run in path.split('z').filter(|r| !r.is_empty()) {
            let nums: Vec<usize> = run[1..].split(['h', 'v', ' ']).take(3).map(|n| n.parse().unwrap()).collect();
            let (x, y, len) = (nums[0], nums[1], nums[2]);
            for py in y * 4..(y + 1) * 4 {
                img[py * w + x * 4..py * w + (x + len) * 4].fill(0);
            }
        }
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(w, w, |x, y| img[y * w + x]);
        prepared.detect_grids()[0].decode().unwrap().1
    }

    #[test]
    fn codes_of_every_size_a_board_may_need_decode_to_their_text() {
        for len in [1, 20, 40, 80, 150, 300] {
            let text = format!("https://dj.example.gov.cn/orgs/{}", "a1%E5".repeat(len / 5 + 1));
            assert_eq!(decode(&svg(&text, "二维码").unwrap()), text, "{} bytes", text.len());
        }
        assert!(svg(&"x".repeat(3000), "二维码").is_none(), "too long for any version");
    }
}
