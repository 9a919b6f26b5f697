//! Editors' Markdown -> safe HTML: pulldown-cmark renders, ammonia sanitizes (no script, no event
//! handler, no svg/math, links only http, https, mailto, tel and relative). Never sees comment text
//! from the public, which is escaped as plain text instead.

use pulldown_cmark::{html, Options, Parser};
use std::collections::HashSet;
use std::sync::OnceLock;

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(HashSet::from(["http", "https", "mailto", "tel"]))
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("noopener noreferrer"))
            .attribute_filter(|element, attribute, value| {
                // Pages never fetch from another host: an image must be a local file.
                let remote = value.contains(':') || value.starts_with("//");
                if element == "img" && attribute == "src" && remote {
                    None
                } else {
                    Some(value.into())
                }
            })
            .add_tag_attributes("th", ["align"])
            .add_tag_attributes("td", ["align"])
            .add_generic_attributes(["id"])
            .id_prefix(Some("md-"));
        b
    })
}

/// Renders Markdown to sanitized HTML. Headings are shifted down one level so the page's `h1`
/// stays the only one; tables get a caption and a `.table-wrap` box (see [`captioned`]).
pub fn render(md: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let parser = captioned(Parser::new_ext(md, opts).map(|ev| demote_headings(ev)));
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, parser.into_iter());
    // After sanitizing (which drops class attributes): a wide table scrolls in its own box on a
    // phone instead of widening the page.
    sanitizer()
        .clean(&raw)
        .to_string()
        .replace("<table>", "<div class=\"table-wrap\"><table>")
        .replace("</table>", "</table></div>")
}

/// Markdown has no caption syntax: a table is captioned with the heading above it, so every
/// table of the site says what it holds.
fn captioned<'a>(events: impl Iterator<Item = pulldown_cmark::Event<'a>>) -> Vec<pulldown_cmark::Event<'a>> {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut out = Vec::new();
    let (mut in_heading, mut heading) = (false, String::new());
    for ev in events {
        match &ev {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) | Event::Code(t) if in_heading => heading.push_str(t),
            _ => {}
        }
        let table = matches!(ev, Event::Start(Tag::Table(_)));
        out.push(ev);
        if table && !heading.trim().is_empty() {
            let text = heading.trim().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            out.push(Event::Html(format!("<caption>{text}</caption>").into()));
        }
    }
    out
}

fn demote_headings(ev: pulldown_cmark::Event<'_>) -> pulldown_cmark::Event<'_> {
    use pulldown_cmark::{Event, HeadingLevel, Tag, TagEnd};
    let down = |l: HeadingLevel| match l {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    };
    match ev {
        Event::Start(Tag::Heading { level, id, classes, attrs }) => {
            Event::Start(Tag::Heading { level: down(level), id, classes, attrs })
        }
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(down(level))),
        other => other,
    }
}

/// Plain text of Markdown, for search and feeds.
pub fn plain_text(md: &str) -> String {
    use pulldown_cmark::Event;
    let mut out = String::with_capacity(md.len());
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') && !out.is_empty() => {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_renders_and_demotes_headings() {
        let html = render("## 一、履职情况\n\n正文**加粗**\n");
        assert!(html.contains("<h3>一、履职情况</h3>"), "{html}");
        assert!(html.contains("<strong>加粗</strong>"));
    }

    #[test]
    fn tables_get_the_heading_above_as_caption_and_a_scroll_box() {
        let html = render("## 留言<渠道>\n\n| 渠道 | 方式 |\n|---|---|\n| 电话 | 拨打 |\n");
        assert!(html.contains("<div class=\"table-wrap\"><table><caption>留言&lt;渠道&gt;</caption>"), "{html}");
        assert!(html.contains("</table></div>"), "{html}");
        let bare = render("| a |\n|---|\n| b |\n");
        assert!(bare.contains("<table><thead>") && !bare.contains("<caption>"), "{bare}");
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let html = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[点我](javascript:alert(1))\n\n<svg onload=alert(1)></svg>\n\n<a href=\"jAvAsCrIpT:alert(1)\">x</a>",
        );
        let lower = html.to_lowercase();
        for bad in ["<script", "onerror", "javascript:", "<svg", "onload"] {
            assert!(!lower.contains(bad), "{bad} survived in {html}");
        }
    }

    #[test]
    fn remote_images_are_dropped_local_ones_kept() {
        let html = render("![a](https://cdn.example.com/x.png) ![b](../img/y.png)");
        assert!(!html.contains("cdn.example.com"), "{html}");
        assert!(html.contains("src=\"../img/y.png\""), "{html}");
    }

    #[test]
    fn safe_links_survive() {
        let html = render("[附件](../x.pdf) [站](https://example.gov.cn/) [电话](tel:0000-1234567)");
        assert!(html.contains("href=\"../x.pdf\""));
        assert!(html.contains("href=\"https://example.gov.cn/\""));
        assert!(html.contains("href=\"tel:0000-1234567\""));
    }
}
