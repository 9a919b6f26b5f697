//! QR codes as inline SVG, made at build time from a URL (qrcode crate). Owns the module drawing
//! only: never decides which URL a code holds (boards and routes do).

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the code, as the QR standard asks, so scanners find its edges on a busy board.
const QUIET_ZONE: usize = 4;

/// An SVG QR code for `text`, named for screen readers by `label`. `None` when the text is too long
/// for any QR version.
pub fn svg(text: &str, label: &str) -> Option<String> {
    // Level M survives a stain or a pin hole on a paper board and keeps the code small.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let side = width + 2 * QUIET_ZONE;
    let colors = code.to_colors();
    let mut path = String::new();
    for y in 0..width {
        let row = &colors[y * width..(y + 1) * width];
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
fn dark_runs(row: &[Color]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (x, c) in row.iter().chain(std::iter::once(&Color::Light)).enumerate() {
        match (c, start) {
            (Color::Dark, None) => start = Some(x),
            (Color::Light, Some(s)) => {
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
        use Color::{Dark as D, Light as L};
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
}
