//! Raw sources -> a validated `Site`: every rule of rules.md (structure, publication, evaluation,
//! targets, rectifications, comments, personal data), each problem a located diagnostic, all of them
//! in one run. The only constructor of `model::Site`; never reads or writes files.

mod evaluation;
pub mod privacy;
mod publication;
mod records;
mod strings;
mod structure;
mod text;

pub use structure::{attachment_key, is_slug};

use crate::config::Config;
use crate::diagnostics::{at, Diagnostics, Pos};
use crate::load::{Loaded, Located};
use crate::model::calendar::Calendar;
use crate::model::common::{Audience, Date};
use crate::model::org::OrgTree;
use crate::model::{Figures, OrgRecords, Record, Site};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// What rules need besides the record at hand.
pub(crate) struct Ctx<'a> {
    pub config: &'a Config,
    pub tree: &'a OrgTree,
    pub calendar: &'a Calendar,
    pub today: Date,
    pub diags: Diagnostics,
    warned_calendar_years: BTreeSet<i32>,
    /// False when a calendar file did not parse: working-day rules would count wrongly, so they wait.
    pub calendar_complete: bool,
}

impl Ctx<'_> {
    /// Working days in `from..=to`, warning once per year that has no calendar file (at `pos`, asked
    /// only then: positions are mapped on first use).
    pub fn workdays_inclusive(&mut self, from: Date, to: Date, path: &str, pos: impl Fn() -> Pos) -> u32 {
        self.warn_missing_calendar(from, to, path, pos);
        self.calendar.workdays_inclusive(from, to)
    }

    pub fn workdays_after(&mut self, from: Date, to: Date, path: &str, pos: impl Fn() -> Pos) -> u32 {
        self.warn_missing_calendar(from, to, path, pos);
        self.calendar.workdays_after(from, to)
    }

    fn warn_missing_calendar(&mut self, from: Date, to: Date, path: &str, pos: impl Fn() -> Pos) {
        for year in self.calendar.missing_years(from, to) {
            if self.warned_calendar_years.insert(year) {
                let msg =
                    format!("缺少 content/calendar/{year}.yaml，{year}年的工作日只按周末计算（未计节假日和调休）");
                self.diags.push(at(path, pos()).warning("calendar-missing", "", msg));
            }
        }
    }
}

/// Position helper for a located record.
pub(crate) fn pos<T>(rec: &Located<T>, field: &str) -> Pos {
    rec.positions().value(field)
}

/// What `serve` keeps between validations: the personal-data scans of unchanged files. Every rule
/// still runs on every validation; only the scan of a file whose text did not change is reused.
#[derive(Default)]
pub struct ValidateCache {
    scans: text::ScanMemo,
}

impl ValidateCache {
    pub fn keeping() -> ValidateCache {
        ValidateCache { scans: text::ScanMemo::keeping() }
    }
}

/// Validates everything loaded and, when there is no error, builds the site for `audience`.
pub fn validate(loaded: Loaded, today: Date, audience: Audience) -> (Option<Site>, Diagnostics) {
    validate_cached(loaded, today, audience, &mut ValidateCache::default())
}

/// [`validate`] reusing the scans of files that did not change since `cache` was filled.
pub fn validate_cached(
    loaded: Loaded,
    today: Date,
    audience: Audience,
    cache: &mut ValidateCache,
) -> (Option<Site>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let (Some(config), Some(orgs)) = (loaded.config.as_ref(), loaded.orgs.as_ref()) else {
        return (None, diags);
    };
    structure::check_config(config, &mut diags);
    let Some(tree) = structure::org_tree(orgs, &mut diags) else {
        return (None, diags);
    };
    let calendar = Calendar::new(loaded.calendars.iter().map(|c| (*c.value).clone()));
    structure::check_calendars(&loaded.calendars, &mut diags);
    let mut ctx = Ctx {
        config: &config.value,
        tree: &tree,
        calendar: &calendar,
        today,
        diags,
        warned_calendar_years: BTreeSet::new(),
        calendar_complete: loaded.all_parsed("calendar"),
    };
    // The personal-data scan (parallel) runs alongside the other checks (one core each); its
    // findings are reported after theirs, as before.
    let (scan, ()) = rayon::join(
        || text::scan_personal_data(&config.value, &loaded, audience, &cache.scans),
        || {
            structure::check_records(&mut ctx, &loaded);
            publication::check_all(&mut ctx, &loaded);
            records::check_targets(&mut ctx, &loaded.targets);
            records::check_rectifications(&mut ctx, &loaded);
            records::check_comments(&mut ctx, &loaded);
            evaluation::check_reports(&mut ctx, &loaded);
        },
    );
    text::report_personal_data(&mut ctx, scan, &mut cache.scans);
    let attachments = structure::check_attachments(&mut ctx, &loaded);
    let mut diags = ctx.diags;
    if diags.has_errors() {
        return (None, diags);
    }
    let site = build_site(loaded, tree, calendar, today, audience, attachments, &mut diags);
    (Some(site), diags)
}

/// Whether a record is part of `audience`'s edition today (published, not held back).
fn visible(scope: crate::model::common::Scope, published_on: Option<Date>, today: Date, audience: Audience) -> bool {
    audience.sees(scope) && published_on.is_none_or(|d| d <= today)
}

fn record<T>(l: Located<T>) -> Record<T> {
    // Load digested the text when it parsed it (and `serve` keeps that parse between rebuilds).
    Record { digest: l.digest, value: l.value, path: l.path, source: l.text }
}

/// SHA-256 as lowercase hex.
pub fn digest_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        hex.push(char::from(HEX[usize::from(b >> 4)]));
        hex.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    hex
}

fn build_site(
    loaded: Loaded,
    tree: OrgTree,
    calendar: Calendar,
    today: Date,
    audience: Audience,
    attachments: BTreeSet<String>,
    _diags: &mut Diagnostics,
) -> Site {
    let Loaded { config, targets, reports, rectifications, disclosures, comments, pages, .. } = loaded;
    let config = std::sync::Arc::unwrap_or_clone(config.expect("checked above").value);
    let keep = |scope, published_on| visible(scope, published_on, today, audience);
    let targets: Vec<_> =
        targets.into_iter().filter(|t| keep(t.value.scope, t.value.published_on)).map(record).collect();
    // Reports and disclosures are most of the sources to digest: in parallel (order kept).
    let reports: Vec<_> =
        reports.into_par_iter().filter(|r| keep(r.value.scope, r.value.published_on)).map(record).collect();
    let rectifications: Vec<_> =
        rectifications.into_iter().filter(|r| keep(r.value.scope, r.value.published_on)).map(record).collect();
    let disclosures: Vec<_> = disclosures
        .into_par_iter()
        .filter(|d| keep(d.value.scope, d.value.published_on))
        .map(record)
        .map(|d| take_down(d, today))
        .collect();
    let comments: Vec<_> =
        comments.into_iter().filter(|c| keep(c.value.scope, c.value.published_on)).map(record).collect();
    let pages: Vec<_> = pages.into_iter().filter(|p| keep(p.value.scope, p.value.published_on)).map(record).collect();
    let attachments = attachments_of(&disclosures, &attachments);
    let figures = Figures::compute(&config, &tree, today, &targets, &reports, &rectifications, &comments);
    let by_org = OrgRecords::index(&targets, &reports, &rectifications, &disclosures, &comments);
    Site {
        config,
        orgs: tree,
        calendar,
        today,
        audience,
        targets,
        reports,
        rectifications,
        disclosures,
        comments,
        pages,
        attachments,
        figures,
        history: Default::default(),
        by_org,
    }
}

/// A notice past its `take_down_on` keeps its page, but the names, table and files it published are
/// gone from every output (page, search, data, boards).
fn take_down(
    mut d: Record<crate::model::records::Disclosure>,
    today: Date,
) -> Record<crate::model::records::Disclosure> {
    if d.value.take_down_on.is_some_and(|t| t <= today) {
        let v = d.value_mut();
        v.table.clear();
        v.attachments.clear();
        v.body = crate::model::common::Body::default();
    }
    d
}

/// Only attachments that a record of this edition links to are published.
fn attachments_of(
    disclosures: &[Record<crate::model::records::Disclosure>],
    existing: &BTreeSet<String>,
) -> BTreeSet<String> {
    disclosures
        .iter()
        .filter(|d| d.value.withdrawn.is_none())
        .flat_map(|d| d.value.attachments.iter())
        .map(|a| structure::attachment_key(&a.file))
        .filter(|a| existing.contains(a))
        .collect()
}
