//! Serializable view structs handed to templates: what each page may show and nothing more.
//! Comment views mask the commenter and never carry a contact; records carry their URLs, figures
//! and check codes. Never renders and never makes URLs itself (routes does).

use super::routes;
use crate::model::common::{Date, Period};
use crate::model::figures::CommentFig;
use crate::model::org::OrgIx;
use crate::model::records::{CommentEntry, Comments};
use crate::model::{Record, Site};
use crate::validate::privacy::mask_name;
use serde::Serialize;

/// The site's identity and contact, as the header and footer show it.
#[derive(Debug, Clone, Serialize)]
pub struct SiteView {
    pub title: String,
    pub owner: String,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub email: Option<String>,
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub psb: Option<String>,
}

impl SiteView {
    pub fn of(site: &Site) -> SiteView {
        let c = &site.config;
        SiteView {
            title: c.title.clone(),
            owner: c.owner.clone(),
            phone: c.contact.phone.as_ref().map(|p| p.0.clone()),
            address: c.contact.address.clone(),
            email: c.contact.email.clone(),
            site_code: c.footer.site_code.as_ref().map(|s| s.0.clone()),
            icp: c.footer.icp.clone(),
            psb: c.footer.psb.clone(),
        }
    }
}

/// An org as lists and links show it.
#[derive(Debug, Clone, Serialize)]
pub struct OrgRef {
    pub id: String,
    pub name: String,
    pub short_name: String,
    pub kind: &'static str,
    pub url: String,
}

pub fn org_ref(site: &Site, ix: OrgIx) -> OrgRef {
    let o = &site.orgs.orgs[ix];
    OrgRef {
        id: o.id.0.clone(),
        name: o.name.clone(),
        short_name: o.display_name().to_string(),
        kind: o.kind.label(),
        url: routes::org(o.id.as_str()),
    }
}

pub fn org_ref_by_id(site: &Site, id: &str) -> Option<OrgRef> {
    site.orgs.ix(id).map(|ix| org_ref(site, ix))
}

/// 公示期 with its state on the build date.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodView {
    pub from: Date,
    pub to: Date,
    /// 公示中 / 已结束 / 未开始
    pub state: &'static str,
    pub active: bool,
}

pub fn period_view(p: Option<&Period>, today: Date) -> Option<PeriodView> {
    p.map(|p| {
        let state = if today < p.from {
            "未开始"
        } else if today > p.to {
            "已结束"
        } else {
            "公示中"
        };
        PeriodView { from: p.from, to: p.to, state, active: state == "公示中" }
    })
}

/// One comment as the public sees it: masked name, no contact; text only when published.
#[derive(Debug, Clone, Serialize)]
pub struct CommentView {
    pub id: String,
    pub received_on: Date,
    pub channel: Option<String>,
    pub commenter: String,
    pub topic: Option<String>,
    pub published: bool,
    pub text: Option<String>,
    pub rating: Option<&'static str>,
    pub status: &'static str,
    pub acknowledged_on: Option<Date>,
    pub reply_on: Option<Date>,
    pub reply_by: Option<String>,
    pub reply_text: Option<String>,
    pub closed_on: Option<Date>,
    pub followup: Option<&'static str>,
    pub reason_not_accepted: Option<String>,
    pub rectification: Option<String>,
    pub days_to_reply: Option<i64>,
    pub overdue: bool,
}

pub fn comment_view(e: &CommentEntry, fig: &CommentFig) -> CommentView {
    let shown = |s: &Option<String>| if e.publish { s.clone() } else { None };
    let name = e.commenter.as_ref().and_then(|c| c.name.as_deref()).map(mask_name).filter(|n| !n.is_empty());
    CommentView {
        id: e.id.0.clone(),
        received_on: e.received_on,
        channel: e.channel.clone(),
        commenter: if e.publish { name.unwrap_or_else(|| "匿名".into()) } else { "—".into() },
        topic: shown(&e.topic),
        published: e.publish,
        text: e.publish.then(|| e.text.clone()),
        rating: e.rating.map(|r| r.label()),
        status: e.status.label(),
        acknowledged_on: e.acknowledged_on,
        reply_on: e.reply.as_ref().map(|r| r.on),
        reply_by: e.reply.as_ref().and_then(|r| r.by.clone()).filter(|_| e.publish),
        reply_text: e.reply.as_ref().map(|r| r.text.clone()).filter(|_| e.publish),
        closed_on: e.closed_on,
        followup: e.followup.map(|r| r.label()),
        reason_not_accepted: shown(&e.reason_not_accepted),
        rectification: e.rectification.as_ref().map(|r| r.0.clone()),
        days_to_reply: fig.days_to_reply,
        overdue: fig.overdue,
    }
}

/// All comment views of a comments file, in file order.
pub fn comment_views(c: &Record<Comments>, figs: &[CommentFig]) -> Vec<CommentView> {
    c.value.entries.iter().zip(figs).map(|(e, f)| comment_view(e, f)).collect()
}
