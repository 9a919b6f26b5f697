//! The documents of the site search: one per searchable page and one per published comment, each
//! with the plain text its page shows. Built only from the audience-filtered `Site`, so a 党内公开
//! record, an unpublished comment or a contact can never be in one. Never tokenizes or writes files.

use super::super::{markdown, routes};
use crate::model::common::Withdrawal;
use crate::model::records::{Comments, Disclosure, Rectifications, Report, Targets};
use crate::model::{Record, Site};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// One search hit target: a page, or a comment on its org's comments page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Doc {
    /// Root-relative URL, possibly with a `#fragment`.
    pub url: String,
    pub title: String,
    /// 党务公开, 述职评议, 群众评说 …
    pub kind: &'static str,
    /// Short name of the org the page belongs to; empty for site-wide pages.
    pub org: String,
    /// Plain text as the page shows it; whitespace runs are collapsed when it is written.
    pub text: String,
}

/// The kind of org pages: search.js gives them a bonus when a query names their org.
pub const ORG_KIND: &str = "党组织";

/// The plain text of each notice's body, by the notice's index in `Site::disclosures`, as its page
/// made it while rendering the body (one Markdown parse for both). A slot its page did not fill
/// (`serve` renders only what changed) is made from the body here.
pub struct BodyTexts(Vec<OnceLock<String>>);

impl BodyTexts {
    /// Empty slots for `site`'s notices.
    pub fn new(site: &Site) -> BodyTexts {
        BodyTexts((0..site.disclosures.len()).map(|_| OnceLock::new()).collect())
    }

    /// Keeps notice `i`'s text; a slot is filled once (a second text for it is dropped).
    pub fn set(&self, i: usize, text: String) {
        if let Some(slot) = self.0.get(i) {
            let _ = slot.set(text);
        }
    }

    fn into_texts(self) -> Vec<Option<String>> {
        self.0.into_iter().map(OnceLock::into_inner).collect()
    }
}

/// Every searchable page of the site, sorted by URL; notices' body texts from `texts` when there
/// (each dropped once in its document, so that the two are not held whole at once).
pub fn documents(site: &Site, texts: Option<BodyTexts>) -> Vec<Doc> {
    let mut docs = Vec::new();
    docs.extend(org_docs(site));
    docs.extend(site.targets.iter().map(|t| targets_doc(site, t)));
    docs.extend(year_docs(site));
    // Reports and disclosures carry Markdown bodies to flatten: the bulk of the work.
    docs.par_extend(site.reports.par_iter().map(|r| report_doc(site, r)));
    docs.extend(site.rectifications.iter().map(|r| rectifications_doc(site, r)));
    let mut texts = texts.map_or_else(Vec::new, BodyTexts::into_texts);
    texts.resize(site.disclosures.len(), None);
    let notices = site.disclosures.par_iter().zip(texts.into_par_iter());
    docs.par_extend(notices.map(|(d, text)| disclosure_doc(site, d, text.as_deref())));
    for c in &site.comments {
        docs.extend(comment_docs(site, c));
    }
    docs.extend(site.pages.iter().map(|p| Doc {
        url: routes::page(&p.value.slug),
        title: p.value.title.clone(),
        kind: "页面",
        org: String::new(),
        text: {
            let mut text = Sentences::default();
            text.markdown(&p.value.body);
            text.0
        },
    }));
    docs.par_sort();
    docs.dedup_by(|a, b| a.url == b.url);
    docs
}

/// Joins the present parts with a Chinese full stop, skipping empty ones. Whitespace runs are
/// collapsed later, once, when the text is written into the index.
fn sentences<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = Sentences::default();
    for p in parts {
        out.part(p);
    }
    out.0
}

/// A text built part by part as [`sentences`] joins them; a Markdown part is flattened straight
/// into the buffer (a body is most of a document: not copied three times).
#[derive(Default)]
struct Sentences(String);

impl Sentences {
    fn part(&mut self, p: &str) {
        let p = p.trim();
        if !p.is_empty() {
            self.stop();
            self.0.push_str(p);
        }
    }

    /// Appends the plain text of Markdown as one part, trimmed like the others.
    fn markdown(&mut self, md: &str) {
        self.plain_part(|out| markdown::push_plain_text(md, out));
    }

    /// Appends the plain text of Markdown, already made (by the page that showed it), exactly as
    /// [`Sentences::markdown`] would have.
    fn flattened(&mut self, text: &str) {
        self.plain_part(|out| out.push_str(text));
    }

    /// Appends what `push` writes as one part, trimmed like the others.
    fn plain_part(&mut self, push: impl FnOnce(&mut String)) {
        let before = self.0.len();
        self.stop();
        let start = self.0.len();
        push(&mut self.0);
        let end = self.0.trim_end().len().max(start);
        self.0.truncate(end);
        let lead = self.0[start..].len() - self.0[start..].trim_start().len();
        self.0.drain(start..start + lead);
        if self.0.len() == start {
            self.0.truncate(before);
        }
    }

    /// A full stop before the next part, unless the text so far is empty or ends a sentence.
    fn stop(&mut self) {
        if !self.0.is_empty() && !self.0.ends_with(['。', '！', '？', '；', '.']) {
            self.0.push('。');
        }
    }
}

fn org_name(site: &Site, id: &str) -> String {
    site.orgs.get(id).map(|o| o.display_name().to_string()).unwrap_or_default()
}

/// A withdrawn record's page shows only that it was withdrawn and why: so does its entry.
fn withdrawn_text(w: &Withdrawal) -> String {
    format!("本条已撤回。撤回原因：{}", w.reason)
}

fn org_docs(site: &Site) -> Vec<Doc> {
    site.orgs
        .orgs
        .iter()
        .map(|o| {
            let secretary = o.secretary.as_ref().and_then(|s| s.current(site.today)).map(|s| format!("书记：{s}"));
            let kind = o.kind.label();
            Doc {
                url: routes::org(o.id.as_str()),
                title: o.name.clone(),
                kind: ORG_KIND,
                org: o.display_name().to_string(),
                text: sentences([kind, secretary.as_deref().unwrap_or("")]),
            }
        })
        .collect()
}

/// Year overview pages: found by their titles (the rows they list are documents of their own).
fn year_docs(site: &Site) -> Vec<Doc> {
    let doc = |url: String, title: String, kind: &'static str| Doc {
        url,
        title,
        kind,
        org: String::new(),
        text: String::new(),
    };
    let mut docs: Vec<Doc> = Vec::new();
    for y in site.targets.iter().map(|t| t.value.year).collect::<std::collections::BTreeSet<_>>() {
        docs.push(doc(routes::targets_year(y), format!("{y}年度基层党建目标"), "年度目标"));
    }
    for y in site.reports.iter().map(|r| r.value.year).collect::<std::collections::BTreeSet<_>>() {
        docs.push(doc(routes::reports_year(y), format!("{y}年度书记抓基层党建工作述职评议"), "述职评议"));
    }
    docs
}

fn targets_doc(site: &Site, t: &Record<Targets>) -> Doc {
    let v = &t.value;
    let text = match &v.withdrawn {
        Some(w) => withdrawn_text(w),
        None => {
            let mut parts: Vec<&str> = Vec::new();
            for it in &v.items {
                parts.extend([it.task.as_deref(), it.goal.as_deref(), it.indicator.as_deref()].into_iter().flatten());
                parts.extend(it.target.as_ref().and_then(|t| t.text.as_deref()));
                parts.extend(it.measures.iter().map(String::as_str));
                parts.extend(it.responsible.as_deref());
                parts.extend(it.progress.iter().filter_map(|p| p.note.as_deref()));
                parts.extend(it.final_result.as_ref().and_then(|f| f.reason_unmet.as_deref()));
            }
            sentences(parts)
        }
    };
    Doc {
        url: routes::targets(v.year, v.org.as_str()),
        title: v.title.clone(),
        kind: "年度目标",
        org: org_name(site, v.org.as_str()),
        text,
    }
}

fn report_doc(site: &Site, r: &Record<Report>) -> Doc {
    let v = &r.value;
    let text = match &v.withdrawn {
        Some(w) => withdrawn_text(w),
        None => {
            let reporter = v.reporter.as_ref().map(|p| format!("述职人：{}", p.name)).unwrap_or_default();
            let grade = v.evaluation.as_ref().and_then(|e| e.grade.as_ref()).map(|g| format!("等次：{g}"));
            let mut text = Sentences::default();
            for part in [reporter.as_str(), grade.as_deref().unwrap_or("")] {
                text.part(part);
            }
            for part in v.superior_remarks.iter().chain(&v.problems) {
                text.part(part);
            }
            text.markdown(&v.body);
            text.0
        }
    };
    Doc {
        url: routes::report(v.year, v.org.as_str()),
        title: v.title.clone(),
        kind: "述职评议",
        org: org_name(site, v.org.as_str()),
        text,
    }
}

fn rectifications_doc(site: &Site, r: &Record<Rectifications>) -> Doc {
    let org = org_name(site, r.value.org.as_str());
    let mut parts: Vec<&str> = Vec::new();
    for it in &r.value.items {
        parts.push(&it.issue);
        parts.extend(it.measures.iter().map(String::as_str));
        parts.extend(it.responsible.as_deref());
        parts.extend(it.updates.iter().map(|u| u.note.as_str()));
    }
    Doc {
        url: routes::rectifications(r.value.org.as_str()),
        title: format!("{org}整改清单"),
        kind: "整改清单",
        text: sentences(parts),
        org,
    }
}

/// A notice's document; `body_text`: its body's plain text when its page already made it.
fn disclosure_doc(site: &Site, d: &Record<Disclosure>, body_text: Option<&str>) -> Doc {
    let v = &d.value;
    let text = match &v.withdrawn {
        Some(w) => withdrawn_text(w),
        None => {
            let mut parts = Sentences::default();
            parts.part(&v.category);
            match body_text {
                Some(text) => parts.flattened(text),
                None => parts.markdown(&v.body),
            }
            let mut text = parts.0;
            for row in &v.table {
                let cells: Vec<&str> = row.0.iter().map(|(_, cell)| cell.as_str()).filter(|c| !c.is_empty()).collect();
                let _ = write!(text, " {}", cells.join(" "));
            }
            for a in &v.attachments {
                let _ = write!(text, " 附件：{}", a.title);
            }
            text
        }
    };
    Doc {
        url: routes::disclosure(v.year, v.org.as_str(), &v.slug),
        title: v.title.clone(),
        kind: "党务公开",
        org: org_name(site, v.org.as_str()),
        text,
    }
}

/// The comments page of an org and year, and one entry per published comment (its words, the
/// reply, a refusal's reason). An unpublished comment's text and reply are not on its page, so
/// they are not here either.
fn comment_docs(site: &Site, c: &Record<Comments>) -> Vec<Doc> {
    let v = &c.value;
    let org = org_name(site, v.org.as_str());
    let page = Doc {
        url: routes::comments_of(v.year, v.org.as_str()),
        title: format!("{org}{}年群众评说", v.year),
        kind: "群众评说",
        org: org.clone(),
        text: String::new(),
    };
    let entries = v.entries.iter().filter(|e| e.publish).map(|e| {
        let reply = e.reply.as_ref().map(|r| format!("答复：{}", r.text)).unwrap_or_default();
        let refused = e.reason_not_accepted.as_ref().map(|r| format!("不予受理：{r}")).unwrap_or_default();
        Doc {
            url: routes::comment(v.year, v.org.as_str(), e.id.as_str()),
            title: e.topic.clone().unwrap_or_else(|| "群众留言".into()),
            kind: "群众评说",
            org: org.clone(),
            text: sentences([e.text.as_str(), &reply, &refused]),
        }
    });
    std::iter::once(page).chain(entries).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_skip_empty_parts_and_end_each_part() {
        assert_eq!(sentences(["一是这样", "", "二是那样。", "三"]), "一是这样。二是那样。三");
    }

    #[test]
    fn a_markdown_part_is_its_plain_text_trimmed() {
        for (before, md) in [
            ("类别", "## 一、做法\n\n正文**加粗**。\n\n- 甲\n- 乙\n"),
            ("", "  正文  "),
            ("类别", ""),
            ("类别", "\n\n"),
            ("类别", "~~旧~~新[^1]\n\n[^1]: 注释\n\n| 甲 | 乙 |\n|---|---|\n| `1` | 2 |\n"),
            ("", "# 标题\n正文  \n换行<br>与<b>标签</b>\n"),
        ] {
            let mut text = Sentences::default();
            text.part(before);
            text.markdown(md);
            assert_eq!(text.0, sentences([before, &markdown::plain_text(md)]), "{md:?}");
            // As a page hands it over: the text of the parse that made the page's HTML.
            let mut from_page = Sentences::default();
            from_page.part(before);
            from_page.flattened(&markdown::render_with_text(md).1);
            assert_eq!(from_page.0, text.0, "{md:?}");
        }
    }
}
