//! The only place that makes URLs. Every URL here is relative to the site root and ends in
//! `index.html` or a file name, so the site works from `file://`; `relative` turns one into a link
//! from a given page. Never renders anything.

/// Category labels of the default list and their URL slugs; other categories get `c<N>`.
const CATEGORY_SLUGS: [(&str, &str); 11] = [
    ("组织设置和分工", "zuzhi-shezhi"),
    ("学习贯彻决策部署", "xuexi-guanche"),
    ("组织生活", "zuzhi-shenghuo"),
    ("换届选举", "huanjie-xuanju"),
    ("发展党员", "fazhan-dangyuan"),
    ("党员民主评议", "minzhu-pingyi"),
    ("党费收缴使用管理", "dangfei"),
    ("年度目标及完成情况", "niandu-mubiao"),
    ("联系服务群众", "fuwu-qunzhong"),
    ("党风廉政", "dangfeng-lianzheng"),
    ("其他", "qita"),
];

pub fn home() -> String {
    "index.html".into()
}
pub fn orgs() -> String {
    "orgs/index.html".into()
}
pub fn org(id: &str) -> String {
    format!("orgs/{id}/index.html")
}
pub fn targets_year(year: i32) -> String {
    format!("targets/{year}/index.html")
}
pub fn targets(year: i32, org: &str) -> String {
    format!("targets/{year}/{org}/index.html")
}
pub fn reports_year(year: i32) -> String {
    format!("reports/{year}/index.html")
}
pub fn report(year: i32, org: &str) -> String {
    format!("reports/{year}/{org}/index.html")
}
pub fn rectifications(org: &str) -> String {
    format!("rectifications/{org}/index.html")
}
pub fn disclosures() -> String {
    "disclosures/index.html".into()
}
pub fn disclosures_year(year: i32) -> String {
    format!("disclosures/{year}/index.html")
}
pub fn disclosures_org(org: &str) -> String {
    format!("disclosures/org/{org}/index.html")
}
pub fn disclosures_category(slug: &str) -> String {
    format!("disclosures/category/{slug}/index.html")
}
pub fn disclosure(year: i32, org: &str, slug: &str) -> String {
    format!("disclosures/{year}/{org}/{slug}/index.html")
}
pub fn comments() -> String {
    "comments/index.html".into()
}
pub fn comments_of(year: i32, org: &str) -> String {
    format!("comments/{year}/{org}/index.html")
}
pub fn boards() -> String {
    "boards/index.html".into()
}
pub fn board(org: &str) -> String {
    format!("boards/{org}/index.html")
}
pub fn search() -> String {
    "search/index.html".into()
}
/// The search index's entry, a script (not JSON) so that `<script src>` loads it from `file://`.
pub fn search_index() -> String {
    "search/index.js".into()
}
/// Term shard `n` of the search index (search.js makes the same path).
pub fn search_terms(n: usize) -> String {
    format!("search/t/{n}.js")
}
/// Document chunk `n` of the search index (search.js makes the same path).
pub fn search_docs(n: usize) -> String {
    format!("search/d/{n}.js")
}
/// A published comment on its org's comments page.
pub fn comment(year: i32, org: &str, id: &str) -> String {
    format!("{}#c-{id}", comments_of(year, org))
}
pub fn page(slug: &str) -> String {
    format!("{slug}/index.html")
}
pub fn data(kind: &str, ext: &str) -> String {
    format!("data/{kind}.{ext}")
}
pub fn attachment(key: &str) -> String {
    format!("attachments/{key}")
}
pub fn asset(name: &str) -> String {
    format!("static/{name}")
}
pub fn feed() -> String {
    "feed.xml".into()
}
pub fn sitemap() -> String {
    "sitemap.xml".into()
}

/// The page of a record, by its key (`reports/2024/hexing`, `pages/about`, …).
pub fn record_page(key: &str) -> String {
    match key.strip_prefix("pages/") {
        Some(slug) => page(slug),
        None => format!("{key}/index.html"),
    }
}

fn record_dir(key: &str) -> String {
    record_page(key).trim_end_matches("index.html").to_string()
}

/// The version list of a record.
pub fn history(key: &str) -> String {
    format!("{}history/index.html", record_dir(key))
}

/// Version `k` of a record.
pub fn history_version(key: &str, k: u32) -> String {
    format!("{}history/{k}/index.html", record_dir(key))
}

pub fn releases() -> String {
    "releases/index.html".into()
}

pub fn release(number: u32) -> String {
    format!("releases/{number}/index.html")
}

/// The URL slug of a disclosure category; `index` is its place in site.yaml's list.
pub fn category_slug(label: &str, index: usize) -> String {
    CATEGORY_SLUGS
        .iter()
        .find(|(l, _)| *l == label)
        .map(|(_, s)| s.to_string())
        .unwrap_or_else(|| format!("c{}", index + 1))
}

/// `../` repeated for the depth of `page` (a root-relative output path).
pub fn root_prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// A link from `page` to the root-relative `target`.
pub fn relative(page: &str, target: &str) -> String {
    format!("{}{target}", root_prefix(page))
}

/// The absolute URL of a root-relative path, for feeds and the sitemap.
pub fn absolute(base_url: &str, target: &str) -> String {
    let path = target.strip_suffix("index.html").unwrap_or(target);
    format!("{base_url}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_end_in_index_html() {
        let from = disclosure(2025, "hexing", "fazhan");
        assert_eq!(from, "disclosures/2025/hexing/fazhan/index.html");
        assert_eq!(relative(&from, &org("hexing")), "../../../../orgs/hexing/index.html");
        assert_eq!(relative(&home(), &orgs()), "orgs/index.html");
    }

    #[test]
    fn categories_have_stable_ascii_slugs() {
        assert_eq!(category_slug("发展党员", 4), "fazhan-dangyuan");
        assert_eq!(category_slug("自定义类别", 11), "c12");
    }

    #[test]
    fn record_keys_map_to_their_pages_and_history() {
        assert_eq!(record_page("reports/2024/hexing"), report(2024, "hexing"));
        assert_eq!(record_page("pages/about"), page("about"));
        assert_eq!(history_version("disclosures/2025/hexing/x", 2), "disclosures/2025/hexing/x/history/2/index.html");
        assert_eq!(history("pages/about"), "about/history/index.html");
    }

    #[test]
    fn absolute_urls_drop_index_html() {
        assert_eq!(absolute("https://dj.example.gov.cn/", &org("hexing")), "https://dj.example.gov.cn/orgs/hexing/");
    }
}
