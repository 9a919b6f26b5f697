//! What every page shows around its own content: the site's identity, the navigation, the build and
//! release, and the header and footer made from them by the theme's `partials/site_header.html` and
//! `partials/site_footer.html`. Those two are rendered once per distinct input (folder depth, the
//! nav entry the page is, whether the header has the search box), not once per page: at 10,000
//! pages they were a third of the template work. Never makes URLs itself (routes does).

use super::views::SiteView;
use super::{routes, BuildInfo};
use crate::error::{Error, Result};
use crate::model::{Record, Site};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tera::{Context, Tera};

/// Templates of the shared header and footer.
const HEADER: &str = "partials/site_header.html";
const FOOTER: &str = "partials/site_footer.html";

/// A page's context key that drops the header's search box (the search page has its own).
pub const NO_HEADER_SEARCH: &str = "no_header_search";

/// What every page shows: the site's identity, navigation, the build and release.
pub struct Common {
    site: SiteView,
    build: BuildInfo,
    nav: Vec<NavItem>,
    /// Rendered headers by what makes them differ; the footer is the same on every page but for
    /// its links' folder depth.
    rendered: Mutex<HashMap<ChromeKey, Arc<Chrome>>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
}

/// Everything a header or footer can depend on besides the site-wide facts in `Common`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct ChromeKey {
    root: String,
    /// The nav entry this page is (marked `aria-current`), if any.
    current: Option<usize>,
    search: bool,
}

struct Chrome {
    header: String,
    footer: String,
}

impl Common {
    pub fn new(site: &Site, build: &BuildInfo) -> Common {
        Common { site: SiteView::of(site), build: build.clone(), nav: nav(site), rendered: Mutex::default() }
    }

    /// A fingerprint of everything shared by every page (site, build, navigation), for `serve`'s
    /// dependency tracking.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::Hasher;
        let mut h = std::hash::DefaultHasher::new();
        super::deps::json(&(&self.site, &self.build, &self.nav), &mut h);
        h.finish()
    }

    /// Adds the shared variables and the rendered header and footer to a page's context.
    pub fn fill(&self, tera: &Tera, ctx: &mut Context, path: &str, title: &str) -> Result<()> {
        let key = ChromeKey {
            root: routes::root_prefix(path),
            current: self.nav.iter().position(|n| n.url == path),
            search: ctx.get(NO_HEADER_SEARCH).is_none_or(|v| v.as_bool() != Some(true)),
        };
        let chrome = self.chrome(tera, key.clone(), path)?;
        ctx.insert("site", &self.site);
        ctx.insert("build", &self.build);
        ctx.insert("nav", &self.nav);
        ctx.insert("root", &key.root);
        ctx.insert("page_path", path);
        ctx.insert("page_title", title);
        ctx.insert("site_header", &chrome.header);
        ctx.insert("site_footer", &chrome.footer);
        Ok(())
    }

    fn chrome(&self, tera: &Tera, key: ChromeKey, path: &str) -> Result<Arc<Chrome>> {
        if let Some(found) = self.lock().get(&key) {
            return Ok(found.clone());
        }
        // Rendered outside the lock: two threads may render the same one, with the same result.
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("build", &self.build);
        ctx.insert("nav", &self.nav);
        ctx.insert("root", &key.root);
        ctx.insert("page_path", path);
        ctx.insert("header_search", &key.search);
        let chrome = Arc::new(Chrome {
            header: tera.render(HEADER, &ctx).map_err(Error::from)?,
            footer: tera.render(FOOTER, &ctx).map_err(Error::from)?,
        });
        Ok(self.lock().entry(key).or_insert(chrome).clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<ChromeKey, Arc<Chrome>>> {
        self.rendered.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The main navigation: the sections, the latest year of targets and reports, releases once there
/// are any, then the free pages in their `order`.
fn nav(site: &Site) -> Vec<NavItem> {
    let mut nav = vec![
        nav_item("首页", routes::home()),
        nav_item("组织架构", routes::orgs()),
        nav_item("党务公开", routes::disclosures()),
    ];
    if let Some(y) = site.targets.iter().map(|t| t.value.year).max() {
        nav.push(nav_item("年度目标", routes::targets_year(y)));
    }
    if let Some(y) = site.reports.iter().map(|r| r.value.year).max() {
        nav.push(nav_item("述职评议", routes::reports_year(y)));
    }
    nav.push(nav_item("群众评说", routes::comments()));
    nav.push(nav_item("公示栏", routes::boards()));
    if !site.history.releases.is_empty() {
        nav.push(nav_item("版本记录", routes::releases()));
    }
    let mut pages: Vec<&Record<crate::model::records::Page>> = site.pages.iter().collect();
    pages.sort_by_key(|p| (p.value.order.unwrap_or(i32::MAX), p.value.slug.clone()));
    nav.extend(pages.iter().map(|p| nav_item(&p.value.title, routes::page(&p.value.slug))));
    nav
}

fn nav_item(title: &str, url: String) -> NavItem {
    NavItem { title: title.to_string(), url }
}
