//! What the release ledger says about the site being built: the releases so far, each public record's
//! versions (with the sources of old ones, for history pages), and whether the content is a preview.
//! Plain data filled in by the pipeline from `release`; never reads the ledger itself.

use super::common::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// One published release as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReleaseSummary {
    pub number: u32,
    pub date: Date,
    pub time: String,
    pub by: String,
    pub message: String,
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub withdrawn: Vec<String>,
}

/// One released version of one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// 第K版 of the record (1-based).
    pub number: u32,
    /// The release it came with.
    pub release: u32,
    pub date: Date,
    pub digest: String,
    /// The record's normalised source text of this version.
    #[serde(skip)]
    pub source: String,
}

impl Version {
    pub fn check_code(&self) -> &str {
        &self.digest[..16.min(self.digest.len())]
    }
}

/// The released versions of one record, oldest first, and where the working copy stands.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RecordHistory {
    pub versions: Vec<Version>,
    /// The working copy differs from the last released version (or was never released).
    pub unreleased: bool,
}

impl RecordHistory {
    /// The version number the working copy shows: the last released one, or the next if it changed.
    pub fn current_number(&self) -> u32 {
        self.versions.len() as u32 + u32::from(self.unreleased)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    /// Every release, oldest first.
    pub releases: Vec<ReleaseSummary>,
    /// Record key (e.g. `disclosures/2025/hexing/fazhan`) -> its history.
    pub records: BTreeMap<String, RecordHistory>,
    /// Content differs from the latest release (or there is none).
    pub preview: bool,
}

impl History {
    pub fn latest(&self) -> Option<&ReleaseSummary> {
        self.releases.last()
    }
}
