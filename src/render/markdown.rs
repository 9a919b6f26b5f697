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
/// stays the only one.
pub fn render(md: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let parser = Parser::new_ext(md, opts).map(|ev| demote_headings(ev));
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, parser);
    sanitizer().clean(&raw).to_string()
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
