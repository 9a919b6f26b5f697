//! The typed domain, free of I/O: the validated `Site` (config, org tree, calendar, records of every
//! kind for one audience) and the figures derived from it (rules.md). Only `validate` builds a
//! `Site`, so nothing renders unvalidated content.

pub mod calendar;
pub mod common;
pub mod figures;
pub mod history;
pub mod org;
pub mod records;

use crate::config::Config;
use calendar::Calendar;
use common::{Audience, Date};
use figures::{CommentFig, CommentStats, RankFig, RectFig, TargetFig};
use org::OrgTree;
use records::{Comments, Disclosure, Page, Rectifications, Report, Targets};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A validated record with where it came from.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// Shared with the parse `serve` keeps: a rebuild makes a `Site` without copying records.
    pub value: std::sync::Arc<T>,
    /// Source path relative to the site root.
    pub path: String,
    /// SHA-256 of the normalised source text, hex.
    pub digest: String,
    /// The normalised source text (what a release stores).
    pub source: std::sync::Arc<str>,
}

impl<T> Record<T> {
    /// The value to change, copied first if anything else holds it.
    pub fn value_mut(&mut self) -> &mut T
    where
        T: Clone,
    {
        std::sync::Arc::make_mut(&mut self.value)
    }

    /// The record's stable key: its source path without `content/` and the extension
    /// (`reports/2024/hexing`, `disclosures/2025/hexing/fazhan`).
    pub fn key(&self) -> String {
        record_key(&self.path)
    }

    /// 校验码: 16 hex digits (64 bits) of the source digest.
    pub fn check_code(&self) -> &str {
        &self.digest[..16.min(self.digest.len())]
    }
}

/// `content/reports/2024/hexing.md` -> `reports/2024/hexing`.
pub fn record_key(path: &str) -> String {
    let p = path.strip_prefix("content/").unwrap_or(path);
    let p = p.strip_suffix(".md").or_else(|| p.strip_suffix(".yaml")).unwrap_or(p);
    p.to_string()
}

/// The site for one audience: only what that audience may see, only what is published by today.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub orgs: OrgTree,
    pub calendar: Calendar,
    pub today: Date,
    pub audience: Audience,
    pub targets: Vec<Record<Targets>>,
    pub reports: Vec<Record<Report>>,
    pub rectifications: Vec<Record<Rectifications>>,
    pub disclosures: Vec<Record<Disclosure>>,
    pub comments: Vec<Record<Comments>>,
    pub pages: Vec<Record<Page>>,
    /// Attachment files (relative to content/attachments/) that published records link to.
    pub attachments: BTreeSet<String>,
    pub figures: Figures,
    /// What the release ledger says about these records; empty until the pipeline fills it in.
    pub history: history::History,
    /// Each org's records, by position in the lists above (see [`OrgRecords`]).
    pub by_org: HashMap<String, OrgRecords>,
}

impl Site {
    /// Empties every record's source text. Rendering never reads it (history and releases, which
    /// do, are done by then), and a one-shot build would otherwise hold all of it, 45 MB at 10,000
    /// records, through its peak.
    pub fn drop_sources(&mut self) {
        fn empty<T>(records: &mut [Record<T>]) {
            let none: std::sync::Arc<str> = std::sync::Arc::from("");
            records.iter_mut().for_each(|r| r.source = none.clone());
        }
        empty(&mut self.targets);
        empty(&mut self.reports);
        empty(&mut self.rectifications);
        empty(&mut self.disclosures);
        empty(&mut self.comments);
        empty(&mut self.pages);
    }

    /// The records of org `id`, by position in the site's lists (none for an unknown id).
    pub fn records_of(&self, id: &str) -> &OrgRecords {
        static NONE: OrgRecords = OrgRecords {
            targets: Vec::new(),
            reports: Vec::new(),
            rectifications: Vec::new(),
            disclosures: Vec::new(),
            comments: Vec::new(),
        };
        self.by_org.get(id).unwrap_or(&NONE)
    }
}

/// Where one org's records sit in the `Site` lists, ascending. Pages about one org (its page, its
/// notice board) look them up instead of scanning every record: with 2,500 orgs and 100,000
/// records, scanning made those pages cost orgs × records.
#[derive(Debug, Clone, Default)]
pub struct OrgRecords {
    pub targets: Vec<usize>,
    pub reports: Vec<usize>,
    pub rectifications: Vec<usize>,
    pub disclosures: Vec<usize>,
    pub comments: Vec<usize>,
}

impl OrgRecords {
    /// The index of every org that has records.
    pub fn index(
        targets: &[Record<Targets>],
        reports: &[Record<Report>],
        rectifications: &[Record<Rectifications>],
        disclosures: &[Record<Disclosure>],
        comments: &[Record<Comments>],
    ) -> HashMap<String, OrgRecords> {
        let mut by_org: HashMap<String, OrgRecords> = HashMap::new();
        let mut add = |org: &str, list: fn(&mut OrgRecords) -> &mut Vec<usize>, i: usize| {
            let entry = match by_org.get_mut(org) {
                Some(e) => e,
                None => by_org.entry(org.to_string()).or_default(),
            };
            list(entry).push(i);
        };
        targets.iter().enumerate().for_each(|(i, r)| add(r.value.org.as_str(), |o| &mut o.targets, i));
        reports.iter().enumerate().for_each(|(i, r)| add(r.value.org.as_str(), |o| &mut o.reports, i));
        rectifications.iter().enumerate().for_each(|(i, r)| add(r.value.org.as_str(), |o| &mut o.rectifications, i));
        disclosures.iter().enumerate().for_each(|(i, r)| add(r.value.org.as_str(), |o| &mut o.disclosures, i));
        comments.iter().enumerate().for_each(|(i, r)| add(r.value.org.as_str(), |o| &mut o.comments, i));
        by_org
    }
}

/// Figures of one report's evaluation.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReportFig {
    pub satisfaction: Option<f64>,
    pub valid_votes: u32,
    pub rank: Option<RankFig>,
    /// 限期整改: 满意率 below the red line.
    pub below_red_line: bool,
    /// Years running the org was last, ending with this report's year.
    pub bottom_streak: u32,
    /// 通报批评: last for `bottom_rank_years` years running.
    pub public_criticism: bool,
    /// 年年述、年年改、年年在: a listed rectification recurs across years.
    pub recurring: bool,
}

/// Everything computed from the records, parallel to the record vectors of `Site`.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub reports: Vec<ReportFig>,
    pub targets: Vec<Vec<TargetFig>>,
    pub rects: Vec<Vec<RectFig>>,
    pub comments: Vec<(Vec<CommentFig>, CommentStats)>,
    /// Rectification id -> (file index, item index).
    pub rect_index: BTreeMap<String, (usize, usize)>,
}

/// The record kinds, for code that treats them alike (routes, data files, releases).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Targets,
    Reports,
    Rectifications,
    Disclosures,
    Comments,
    Pages,
}

impl Kind {
    pub const ALL: [Kind; 6] =
        [Kind::Targets, Kind::Reports, Kind::Rectifications, Kind::Disclosures, Kind::Comments, Kind::Pages];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Targets => "年度目标",
            Kind::Reports => "述职评议",
            Kind::Rectifications => "整改清单",
            Kind::Disclosures => "党务公开",
            Kind::Comments => "群众评说",
            Kind::Pages => "页面",
        }
    }
}

impl Figures {
    /// Computes every figure of rules.md for the given records.
    pub fn compute(
        config: &Config,
        orgs: &OrgTree,
        today: Date,
        targets: &[Record<Targets>],
        reports: &[Record<Report>],
        rects: &[Record<Rectifications>],
        comments: &[Record<Comments>],
    ) -> Figures {
        let rect_index: BTreeMap<String, (usize, usize)> = rects
            .iter()
            .enumerate()
            .flat_map(|(f, r)| r.value.items.iter().enumerate().map(move |(i, it)| (it.id.0.clone(), (f, i))))
            .collect();
        let all_items: BTreeMap<&str, &records::RectItem> =
            rects.iter().flat_map(|r| r.value.items.iter()).map(|it| (it.id.as_str(), it)).collect();
        let rect_figs: Vec<Vec<RectFig>> = rects
            .iter()
            .map(|r| {
                r.value
                    .items
                    .iter()
                    .map(|it| {
                        let (chain, chain_years) = figures::rect_chain(it, &all_items);
                        RectFig { overdue: figures::rect_overdue(it, today), chain, chain_years }
                    })
                    .collect()
            })
            .collect();
        let report_figs = report_figures(config, orgs, reports, &rect_index, &rect_figs);
        let target_figs = targets
            .iter()
            .map(|t| t.value.items.iter().map(|it| figures::target_status(it, today)).collect())
            .collect();
        let comment_figs = comments
            .iter()
            .map(|c| {
                let figs: Vec<CommentFig> =
                    c.value.entries.iter().map(|e| figures::comment_fig(e, today, &config.rules)).collect();
                let stats = figures::comment_stats(&c.value.entries, &figs, &config.rules);
                (figs, stats)
            })
            .collect();
        Figures { reports: report_figs, targets: target_figs, rects: rect_figs, comments: comment_figs, rect_index }
    }
}

fn report_figures(
    config: &Config,
    orgs: &OrgTree,
    reports: &[Record<Report>],
    rect_index: &BTreeMap<String, (usize, usize)>,
    rect_figs: &[Vec<RectFig>],
) -> Vec<ReportFig> {
    let rules = &config.evaluation;
    // Withdrawn reports are not evaluations any more: they neither rank nor get ranked.
    let live_ix: Vec<usize> = (0..reports.len()).filter(|&i| reports[i].value.withdrawn.is_none()).collect();
    let live: Vec<&Report> = live_ix.iter().map(|&i| &*reports[i].value).collect();
    let mut ranks = vec![None; reports.len()];
    for (k, rank) in figures::ranks(&live, orgs, rules).into_iter().enumerate() {
        ranks[live_ix[k]] = rank;
    }
    let last: BTreeSet<(String, i32)> = reports
        .iter()
        .zip(&ranks)
        .filter(|(_, rank)| rank.as_ref().is_some_and(RankFig::is_last))
        .map(|(r, _)| (r.value.org.0.clone(), r.value.year))
        .collect();
    reports
        .iter()
        .zip(ranks)
        .map(|(r, rank)| {
            let eval = r.value.evaluation.as_ref();
            let satisfaction = eval.and_then(|e| figures::satisfaction(&e.votes, rules));
            let streak = figures::bottom_streak(r.value.org.as_str(), r.value.year, &last);
            let recurring = r
                .value
                .rectifications
                .iter()
                .any(|id| rect_index.get(id.as_str()).is_some_and(|&(f, i)| rect_figs[f][i].recurring()));
            ReportFig {
                satisfaction,
                valid_votes: eval.map(|e| figures::valid_votes(&e.votes, rules)).unwrap_or(0),
                below_red_line: satisfaction.is_some_and(|s| s < rules.red_line),
                bottom_streak: streak,
                public_criticism: rules.bottom_rank_years > 0 && streak >= rules.bottom_rank_years,
                recurring,
                rank,
            }
        })
        .collect()
}
