//! Editors' Markdown -> safe HTML: pulldown-cmark renders, ammonia sanitizes (no script, no event
//! handler, no svg/math, links only http, https, mailto, tel and relative). Never sees comment text
//! from the public, which is escaped as plain text instead.

use pulldown_cmark::{html, Event, Options, Parser};
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

/// What editors' Markdown may use besides CommonMark: tables, ~~strikethrough~~ and footnotes.
const OPTIONS: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH).union(Options::ENABLE_FOOTNOTES);

/// Renders Markdown to sanitized HTML. Headings are shifted down one level so the page's `h1`
/// stays the only one; tables get a caption and a `.table-wrap` box (see [`Captioned`]).
pub fn render(md: &str) -> String {
    render_inspecting(md, |_| {})
}

/// [`render`], and the plain text [`push_plain_text`] would write, from one parse: a notice's
/// page hands its body's text to the search index, which then need not parse the body again.
pub fn render_with_text(md: &str) -> (String, String) {
    let mut text = String::with_capacity(md.len());
    let html = render_inspecting(md, |ev| push_text_of(ev, &mut text));
    (html, text)
}

/// [`render`], showing `inspect` every event of the parse.
fn render_inspecting(md: &str, mut inspect: impl FnMut(&Event)) -> String {
    let mut plain = true;
    let events = Parser::new_ext(md, OPTIONS).map(demote_headings).inspect(|ev| {
        plain &= is_plain(ev);
        inspect(ev);
    });
    let mut raw = String::with_capacity(md.len() * 3 / 2);
    html::push_html(&mut raw, Captioned::new(events));
    if plain {
        finish(&raw, true)
    } else {
        finish(&sanitizer().clean(&raw).to_string(), false)
    }
}

/// One pass over the HTML: a wide table scrolls in its own box on a phone instead of widening the
/// page (added after sanitizing, which drops class attributes), and, for a document that skipped
/// the sanitizer (`as_sanitized`), what ammonia would have written differently: void elements
/// without the slash, no-break spaces as `&nbsp;`. Text is escaped alike by both (`&`, `<`, `>`).
fn finish(html: &str, as_sanitized: bool) -> String {
    const TABLE: &str = "<table>";
    const END_TABLE: &str = "</table>";
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let bytes = html.as_bytes();
    let mut done = 0;
    // `<` starts every pattern; 0xC2 starts U+00A0 and is never inside another character.
    for at in memchr::memchr2_iter(b'<', 0xC2, bytes) {
        if at < done {
            continue;
        }
        let rest = &html[at..];
        let (len, with) = if rest.starts_with(TABLE) {
            (TABLE.len(), "<div class=\"table-wrap\"><table>")
        } else if rest.starts_with(END_TABLE) {
            (END_TABLE.len(), "</table></div>")
        } else if as_sanitized && rest.starts_with("<hr />") {
            (6, "<hr>")
        } else if as_sanitized && rest.starts_with("<br />") {
            (6, "<br>")
        } else if as_sanitized && rest.starts_with('\u{a0}') {
            ('\u{a0}'.len_utf8(), "&nbsp;")
        } else {
            continue;
        };
        out.push_str(&html[done..at]);
        out.push_str(with);
        done = at + len;
    }
    out.push_str(&html[done..]);
    out
}

/// Whether pulldown-cmark writes this event as ammonia would write it back: no raw HTML, no URL,
/// no attribute of any kind. Most editors' Markdown (headings, paragraphs, lists, emphasis, plain
/// tables) is nothing else, and sanitizing it is most of the cost of a build, so such a document
/// skips the sanitizer; `plain_markdown_skips_the_sanitizer_without_changing_a_byte` holds the two
/// paths to the same bytes.
fn is_plain(ev: &Event) -> bool {
    use pulldown_cmark::{Alignment, CodeBlockKind, Tag};
    match ev {
        Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) | Event::TaskListMarker(_) => false,
        Event::InlineMath(_) | Event::DisplayMath(_) => false,
        Event::Start(tag) => match tag {
            Tag::Link { .. } | Tag::Image { .. } | Tag::FootnoteDefinition(_) => false,
            Tag::CodeBlock(CodeBlockKind::Fenced(info)) => info.is_empty(),
            Tag::Table(aligns) => aligns.iter().all(|a| *a == Alignment::None),
            Tag::List(start) => start.is_none_or(|n| n == 1),
            Tag::Heading { id, classes, attrs, .. } => id.is_none() && classes.is_empty() && attrs.is_empty(),
            _ => true,
        },
        _ => true,
    }
}

/// Markdown has no caption syntax: a table is captioned with the heading above it, so every
/// table of the site says what it holds. Passes the events through, adding the caption right
/// after the table's start.
struct Captioned<'a, I> {
    events: I,
    in_heading: bool,
    heading: String,
    caption: Option<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Captioned<'a, I> {
    fn new(events: I) -> Self {
        Captioned { events, in_heading: false, heading: String::new(), caption: None }
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Captioned<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        use pulldown_cmark::{Tag, TagEnd};
        if let Some(caption) = self.caption.take() {
            return Some(caption);
        }
        let ev = self.events.next()?;
        match &ev {
            Event::Start(Tag::Heading { .. }) => {
                self.in_heading = true;
                self.heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => self.in_heading = false,
            Event::Text(t) | Event::Code(t) if self.in_heading => self.heading.push_str(t),
            Event::Start(Tag::Table(_)) if !self.heading.trim().is_empty() => {
                let text = self.heading.trim().replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                self.caption = Some(Event::Html(format!("<caption>{text}</caption>").into()));
            }
            _ => {}
        }
        Some(ev)
    }
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
    let mut out = String::with_capacity(md.len());
    push_plain_text(md, &mut out);
    out.trim().to_string()
}

/// Appends the plain text of Markdown to `out` (untrimmed: it may start or end with a space), for
/// the search index, which builds a document's text in one buffer.
pub fn push_plain_text(md: &str, out: &mut String) {
    out.reserve(md.len());
    for ev in Parser::new_ext(md, OPTIONS) {
        push_text_of(&ev, out);
    }
}

/// What one event adds to a plain text: its words, or a space where a block or a line ends.
fn push_text_of(ev: &Event, out: &mut String) {
    match ev {
        Event::Text(t) | Event::Code(t) => out.push_str(t),
        Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.ends_with(' ') && !out.is_empty() => {
            out.push(' ');
        }
        _ => {}
    }
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
    /// The sanitizer's own output for the same Markdown.
    fn sanitized(md: &str) -> String {
        let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
        let mut raw = String::new();
        html::push_html(&mut raw, Captioned::new(Parser::new_ext(md, opts).map(demote_headings)));
        sanitizer()
            .clean(&raw)
            .to_string()
            .replace("<table>", "<div class=\"table-wrap\"><table>")
            .replace("</table>", "</table></div>")
    }

    #[test]
    fn plain_markdown_skips_the_sanitizer_without_changing_a_byte() {
        let docs = [
            "# 标题\n\n正文**加粗**和*强调*，~~删除~~，`代码 <b>`，a & b < c > d \"引号\" 'x'\n",
            "段落一  \n硬换行\n\n---\n\n* 甲\n* 乙\n\n  乙的第二段\n\n1. 一\n2. 二\n",
            "## 表\n\n| 项目 | 情况 |\n|---|---|\n| 甲 | 已完成 |\n| 乙 | \\| 竖线 |\n\n表后文字\n",
            "| a | b |\n|---|---|\n",
            "> 引用\n>\n> 第二段\n\n    缩进代码 <x>\n      第二行\n\n```\n围栏代码 & < >\n```\n",
            "不间断\u{a0}空格 &nbsp; &amp; &lt;p&gt; &copy; &#12354;\n\n###### 六级\n\n####### 七个井号\n",
            "1. 一\n   - 嵌套\n     1. 更深\n\n\n2. 松散列表\n\n***\n___\n",
            "Setext 标题\n===\n\n第二\n---\n\n\\*转义\\* \\# \\[x\\]\n\n行尾反斜杠\\\n下一行\n",
            "",
            "\n\n   \n",
            "**未闭合 *强调\n\n- [ ] 不是任务列表\n\n| 只有表头 |\n|---|\n\nx|y\n-|-\n1|2\n",
        ];
        for md in docs {
            assert_eq!(render(md), sanitized(md), "for {md:?}");
        }
    }

    #[test]
    fn one_parse_gives_the_html_and_the_plain_text() {
        for md in [
            "# 标题\n\n正文**加粗**，~~删除~~，`代码`，脚注[^1]\n\n[^1]: 注释\n",
            "## 表\n\n| 项目 | 情况 |\n|---|---|\n| 甲 | 已完成 |\n\n<b>标签</b> [链接](https://example.com)\n",
            "段落一  \n硬换行\n\n* 甲\n* 乙\n",
            "",
        ] {
            let (html, text) = render_with_text(md);
            assert_eq!(html, render(md), "{md:?}");
            let mut alone = String::new();
            push_plain_text(md, &mut alone);
            assert_eq!(text, alone, "{md:?}");
        }
        assert_eq!(render_with_text("~~旧~~新").1, "旧 新 ", "struck text is read as the page shows it");
    }

    #[test]
    fn markdown_with_links_html_or_attributes_is_sanitized() {
        for md in
            ["[a](javascript:x)", "<b>x</b>", "![i](x.png)", "脚注[^1]\n\n[^1]: 注", "```rust\nfn\n```", "3. 三\n"]
        {
            let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
            assert!(!Parser::new_ext(md, opts).all(|e| is_plain(&e)), "{md}");
        }
        assert_eq!(render("| a |\n|:-:|\n| b |\n"), sanitized("| a |\n|:-:|\n| b |\n"));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// Random documents from Markdown's building blocks: whichever path a document takes, the
        /// bytes are the sanitizer's.
        #[test]
        fn any_document_renders_as_the_sanitizer_would(parts in proptest::collection::vec(proptest::sample::select(vec![
            "# ", "## ", "### ", "- ", "* ", "1. ", "2) ", "> ", "    ", "```", "~~~", "| 甲 | 乙 |", "|---|---|", "|:--|",
            "**", "*", "_", "__", "~~", "`", "\\", "&", "&amp;", "&nbsp;", "&#35;", "<", ">", "\"", "'", "\u{a0}",
            "党员", "text", "---", "***", "===", "  ", "\n", "\n\n", "\t", "[", "]", "(", ")", "!", "=", "#", "+ ",
        ]), 0..40)) {
            let md: String = parts.concat();
            proptest::prop_assert_eq!(render(&md), sanitized(&md), "for {:?}", md);
        }
    }
}
