//! `feed.xml` (Atom) and `sitemap.xml`, only when site.yaml sets `base_url` (they need absolute
//! URLs). Built from the audience-filtered site, so they list only what the pages show.

use super::{routes, Output};
use crate::model::common::Date;
use crate::model::Site;

struct Entry {
    title: String,
    url: String,
    updated: Date,
}

fn entries(site: &Site) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut push =
        |title: &str, url: String, published: Option<Date>, corrections: &[crate::model::common::Correction]| {
            if let Some(p) = published {
                let updated = corrections.iter().map(|c| c.date).max().map_or(p, |c| c.max(p));
                out.push(Entry { title: title.to_string(), url, updated });
            }
        };
    for d in &site.disclosures {
        let v = &d.value;
        push(&v.title, routes::disclosure(v.year, v.org.as_str(), &v.slug), v.published_on, &v.corrections);
    }
    for r in &site.reports {
        let v = &r.value;
        push(&v.title, routes::report(v.year, v.org.as_str()), v.published_on, &v.corrections);
    }
    for t in &site.targets {
        let v = &t.value;
        push(&v.title, routes::targets(v.year, v.org.as_str()), v.published_on, &v.corrections);
    }
    out.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
    out
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

pub fn write_all(site: &Site, out: &mut Output) {
    let feed = feed(site);
    let sitemap = sitemap(site, out.files.keys().map(String::as_str));
    out.files.extend(feed.into_iter().chain(sitemap));
}

/// `feed.xml`: (path, bytes), when there is a `base_url`.
pub fn feed(site: &Site) -> Option<(String, Vec<u8>)> {
    let base = site.config.base_url()?;
    Some((routes::feed(), atom(site, &base, &entries(site)).into_bytes()))
}

/// `sitemap.xml` listing the pages among `paths` (every output path but the feed and sitemap):
/// (path, bytes), when there is a `base_url`.
pub fn sitemap<'k>(site: &Site, paths: impl Iterator<Item = &'k str>) -> Option<(String, Vec<u8>)> {
    let base = site.config.base_url()?;
    let mut pages: Vec<&str> = paths.filter(|k| k.ends_with("index.html")).collect();
    pages.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in pages {
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&routes::absolute(&base, p))));
    }
    xml.push_str("</urlset>\n");
    Some((routes::sitemap(), xml.into_bytes()))
}

fn atom(site: &Site, base: &str, entries: &[Entry]) -> String {
    let updated = entries.first().map_or(site.today, |e| e.updated);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n",
    );
    xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&site.config.title)));
    xml.push_str(&format!("  <id>{}</id>\n", xml_escape(base)));
    xml.push_str(&format!("  <link href=\"{}\"/>\n", xml_escape(base)));
    xml.push_str(&format!("  <updated>{updated}T00:00:00+08:00</updated>\n"));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(&site.config.owner)));
    for e in entries.iter().take(50) {
        let url = xml_escape(&routes::absolute(base, &e.url));
        xml.push_str(&format!(
            "  <entry><title>{}</title><id>{url}</id><link href=\"{url}\"/><updated>{}T00:00:00+08:00</updated></entry>\n",
            xml_escape(&e.title),
            e.updated
        ));
    }
    xml.push_str("</feed>\n");
    xml
}
