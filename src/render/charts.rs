//! Charts as inline SVG, made at build time: horizontal bars with an optional reference line
//! (targets completion by org, 满意率 by org with the red line, days to reply to comments). Pure
//! functions from figures to markup; each chart names itself (role="img" + <title>), says what it
//! shows in words, and points at the table on its page that holds the same numbers. Never computes
//! figures (model does) and never fetches anything.

use crate::model::figures::percent;
use std::fmt::Write as _;

/// One bar: an org (or org and year) and its figure; `None` draws no bar and shows `—`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    /// The figure as the table shows it (`57.7%`, `12 天`).
    pub shown: String,
    /// Drawn in the warning colour (below the red line, past the time limit …).
    pub alert: bool,
}

/// A vertical line across the bars, e.g. the 60% red line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub at: f64,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Unique on its page; prefixes the ids of the title and caption.
    pub id: String,
    pub title: String,
    /// The chart in words (the text equivalent), shown as its caption.
    pub summary: String,
    /// The `id` of the table on the same page holding the same figures.
    pub table_id: String,
    /// The figure at the right end of the scale.
    pub max: f64,
    pub line: Option<Line>,
    pub bars: Vec<Bar>,
}

// Geometry in SVG user units. The SVG scales to its box; CSS caps its width so text stays legible.
const WIDTH: f64 = 360.0;
const LEFT: f64 = 4.0;
/// Room right of the longest bar for its value label.
const VALUE_ROOM: f64 = 66.0;
const ROW: f64 = 40.0;
const BAR: f64 = 14.0;
const FONT: f64 = 13.0;
const INK: &str = "#1a1a1a";
const FILL: &str = "#2f5d8a";
const ALERT: &str = "#a4161a";
const TRACK: &str = "#ececec";

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#x27;")
}

/// The x coordinate of `value` on a scale ending at `max`, clamped to the plot.
fn x_of(value: f64, max: f64) -> f64 {
    let span = WIDTH - LEFT - VALUE_ROOM;
    LEFT + (value / max).clamp(0.0, 1.0) * span
}

/// The chart as a `<figure>` holding the SVG and its caption; empty when there is nothing to draw.
pub fn bar_chart(c: &Chart) -> String {
    if c.bars.is_empty() || c.max <= 0.0 {
        return String::new();
    }
    let top = if c.line.is_some() { 24.0 } else { 6.0 };
    let height = top + ROW * c.bars.len() as f64 + 4.0;
    let id = escape(&c.id);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart-svg" role="img" aria-labelledby="{id}-title" aria-describedby="{id}-cap" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" font-size="{FONT}" focusable="false"><title id="{id}-title">{}</title>"#,
        escape(&c.title)
    );
    for (i, bar) in c.bars.iter().enumerate() {
        svg.push_str(&bar_row(bar, top + ROW * i as f64, c.max));
    }
    if let Some(line) = &c.line {
        svg.push_str(&reference_line(line, c.max, top, height));
    }
    svg.push_str("</svg>");
    format!(
        r##"<figure class="chart" id="{id}">{svg}<figcaption id="{id}-cap">{}数据见<a href="#{}">下方表格</a>。</figcaption></figure>"##,
        escape(&c.summary),
        escape(&c.table_id)
    )
}

fn bar_row(bar: &Bar, y: f64, max: f64) -> String {
    let end = bar.value.map_or(LEFT, |v| x_of(v, max));
    let fill = if bar.alert { ALERT } else { FILL };
    let bar_y = y + 20.0;
    let mut s = format!(
        r#"<text x="{LEFT}" y="{:.1}" fill="{INK}">{}</text><rect x="{LEFT}" y="{bar_y:.1}" width="{:.1}" height="{BAR}" fill="{TRACK}"/>"#,
        y + 14.0,
        escape(&bar.label),
        x_of(max, max) - LEFT
    );
    if bar.value.is_some() {
        let _ =
            write!(s, r#"<rect x="{LEFT}" y="{bar_y:.1}" width="{:.1}" height="{BAR}" fill="{fill}"/>"#, end - LEFT);
    }
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" fill="{INK}">{}</text>"#,
        x_of(max, max) + 6.0,
        bar_y + 12.0,
        escape(&bar.shown)
    );
    s
}

fn reference_line(line: &Line, max: f64, top: f64, height: f64) -> String {
    let x = x_of(line.at, max);
    // Keep the label inside the drawing even when the line sits near an edge.
    let label_x = x.clamp(LEFT + 40.0, WIDTH - 40.0);
    format!(
        r#"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{INK}" stroke-width="2" stroke-dasharray="5 3"/><text x="{label_x:.1}" y="15" fill="{INK}" text-anchor="middle">{}</text>"#,
        top - 4.0,
        height - 2.0,
        escape(&line.label)
    )
}

/// Lowest and highest bar with a value, by value (first wins on ties).
fn extremes(bars: &[Bar]) -> Option<(&Bar, &Bar)> {
    let with: Vec<(&Bar, f64)> = bars.iter().filter_map(|b| b.value.map(|v| (b, v))).collect();
    let low = with.iter().fold(None::<(&Bar, f64)>, |m, &(b, v)| match m {
        Some((_, mv)) if mv <= v => m,
        _ => Some((b, v)),
    })?;
    let high = with.iter().fold(None::<(&Bar, f64)>, |m, &(b, v)| match m {
        Some((_, mv)) if mv >= v => m,
        _ => Some((b, v)),
    })?;
    Some((low.0, high.0))
}

/// Targets completion rate by org (targets year page). `rows`: (org, rate in percent).
pub fn targets_completion(year: i32, rows: &[(String, Option<f64>)]) -> String {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, v)| Bar {
            label: label.clone(),
            value: *v,
            shown: v.map_or("—".into(), percent),
            alert: v.is_some_and(|v| v < 100.0),
        })
        .collect();
    let full = bars.iter().filter(|b| b.value.is_some_and(|v| v >= 100.0)).count();
    let mut summary = format!("共{}个党组织，{}个全部完成年度目标", bars.len(), full);
    if let Some((low, _)) = extremes(&bars).filter(|(low, _)| low.alert) {
        let _ = write!(summary, "，完成率最低的是{}（{}）", low.label, low.shown);
    }
    summary.push('。');
    bar_chart(&Chart {
        id: "chart-targets".into(),
        title: format!("{year}年度各党组织党建目标完成率"),
        summary,
        table_id: "table-targets".into(),
        max: 100.0,
        line: None,
        bars,
    })
}

/// 满意率 by org with the red line (reports year page). `rows`: (org, 满意率 in percent).
pub fn satisfaction(year: i32, rows: &[(String, Option<f64>)], red_line: f64) -> String {
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, v)| Bar {
            label: label.clone(),
            value: *v,
            shown: v.map_or("—".into(), percent),
            alert: v.is_some_and(|v| v < red_line),
        })
        .collect();
    let below = bars.iter().filter(|b| b.alert).count();
    let mut summary = format!("共{}个党组织", bars.len());
    if let Some((low, high)) = extremes(&bars) {
        let _ =
            write!(summary, "，满意率最高的是{}（{}），最低的是{}（{}）", high.label, high.shown, low.label, low.shown);
    }
    let _ = write!(summary, "；{}个低于{}%红线。", below, red_line);
    bar_chart(&Chart {
        id: "chart-satisfaction".into(),
        title: format!("{year}年度各党组织述职评议满意率"),
        summary,
        table_id: "table-reports".into(),
        max: 100.0,
        line: Some(Line { at: red_line, label: format!("红线{red_line}%") }),
        bars,
    })
}

/// Median days to reply by org and year (comments index), with the time limit as a line.
/// `rows`: (label, median days).
pub fn reply_days(rows: &[(String, Option<f64>)], limit: i64) -> String {
    let limit_f = limit as f64;
    let bars: Vec<Bar> = rows
        .iter()
        .map(|(label, v)| Bar {
            label: label.clone(),
            value: *v,
            shown: v.map_or("—".into(), |d| format!("{} 天", trim_number(d))),
            alert: v.is_some_and(|d| d > limit_f),
        })
        .collect();
    let longest = bars.iter().filter_map(|b| b.value).fold(0.0, f64::max);
    let over = bars.iter().filter(|b| b.alert).count();
    let mut summary = format!("共{}组数据", bars.len());
    if let Some((low, high)) = extremes(&bars) {
        let _ =
            write!(summary, "，答复用时中位数最短{}（{}），最长{}（{}）", low.shown, low.label, high.shown, high.label);
    }
    let _ = write!(summary, "；{over}组超过{limit}天答复时限。");
    bar_chart(&Chart {
        id: "chart-reply-days".into(),
        title: "各党组织答复群众留言用时（中位数）".into(),
        summary,
        table_id: "table-comments".into(),
        max: longest.max(limit_f * 1.25),
        line: Some(Line { at: limit_f, label: format!("时限{limit}天") }),
        bars,
    })
}

/// `12` for 12.0, `12.5` otherwise: days are whole unless a median falls between two.
fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(items: &[(&str, Option<f64>)]) -> Vec<(String, Option<f64>)> {
        items.iter().map(|(l, v)| (l.to_string(), *v)).collect()
    }

    #[test]
    fn chart_has_a_name_a_caption_and_a_link_to_its_table() {
        let svg = satisfaction(2024, &rows(&[("桃园村", Some(97.368)), ("河兴村", Some(57.692))]), 60.0);
        assert!(svg.contains(r#"role="img" aria-labelledby="chart-satisfaction-title""#), "{svg}");
        assert!(svg.contains("<title id=\"chart-satisfaction-title\">2024年度各党组织述职评议满意率</title>"));
        assert!(svg.contains("最高的是桃园村（97.4%），最低的是河兴村（57.7%）；1个低于60%红线。"), "{svg}");
        assert!(svg.contains(r##"<a href="#table-reports">"##));
    }

    #[test]
    fn bars_are_proportional_and_alerts_coloured() {
        let svg = satisfaction(2024, &rows(&[("甲", Some(100.0)), ("乙", Some(50.0))]), 60.0);
        let span = WIDTH - LEFT - VALUE_ROOM;
        assert!(svg.contains(&format!(r#"width="{span:.1}" height="14" fill="{FILL}""#)), "{svg}");
        assert!(svg.contains(&format!(r#"width="{:.1}" height="14" fill="{ALERT}""#, span / 2.0)), "{svg}");
        // The red line sits at 60% of the scale.
        assert!(svg.contains(&format!(r#"<line x1="{:.1}""#, LEFT + span * 0.6)), "{svg}");
    }

    #[test]
    fn labels_are_escaped_and_missing_values_shown_as_dash() {
        let svg = targets_completion(2025, &rows(&[("<b>&村", None)]));
        assert!(svg.contains("&lt;b&gt;&amp;村") && !svg.contains("<b>"), "{svg}");
        assert!(svg.contains(">—</text>"));
        assert_eq!(svg.matches("<rect").count(), 1, "only the track is drawn: {svg}");
    }

    #[test]
    fn reply_days_scale_leaves_room_past_the_limit() {
        let svg = reply_days(&rows(&[("河兴村 2025", Some(106.0)), ("城关镇 2025", Some(8.5))]), 60);
        assert!(svg.contains("最短8.5 天（城关镇 2025），最长106 天（河兴村 2025）；1组超过60天答复时限。"), "{svg}");
        assert!(svg.contains("时限60天"));
    }

    #[test]
    fn no_bars_no_chart() {
        assert_eq!(targets_completion(2025, &[]), "");
    }
}
