//! What each page is made from, as a fingerprint, so that `serve` re-renders only the pages an edit
//! reaches. Every page job declares its inputs through [`Deps`]: the site-wide epoch (settings, org
//! tree, calendar, build date and badge, release list, theme, the shared header and navigation) and
//! the records whose data it shows. A record's fingerprint covers its file (path and digest), every
//! figure computed for it (ranks, streaks, overdue flags, comment statistics: the figures carry
//! what other records contribute) and its version history; a report's also covers the rectification
//! files it lists. A page whose fingerprint did not change shows the same data, which
//! `RenderCache::checking` verifies in tests. Never builds page data and never renders.

use crate::model::records::Disclosure;
use crate::model::{Record, Site};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Record fingerprints of one build, by position in the `Site` lists.
pub struct Tracker {
    on: bool,
    epoch: u64,
    targets: Vec<u64>,
    reports: Vec<u64>,
    rects: Vec<u64>,
    disclosures: Vec<u64>,
    comments: Vec<u64>,
    pages: Vec<u64>,
}

impl Tracker {
    /// No tracking: a one-shot build renders every page, so every fingerprint is 0 and costs nothing.
    pub fn off() -> Tracker {
        Tracker {
            on: false,
            epoch: 0,
            targets: Vec::new(),
            reports: Vec::new(),
            rects: Vec::new(),
            disclosures: Vec::new(),
            comments: Vec::new(),
            pages: Vec::new(),
        }
    }

    /// Fingerprints every record of `site`; `shared` is what every page shows besides the site's
    /// settings (the theme and the rendered header's inputs).
    pub fn new(site: &Site, shared: u64) -> Tracker {
        let f = &site.figures;
        let rects = fingerprints(site, &site.rectifications, |i, h| json(&f.rects[i], h));
        let reports = fingerprints(site, &site.reports, |i, h| {
            json(&f.reports[i], h);
            // The rectifications a report lists: their state shows on its page and in its rows.
            for id in &site.reports[i].value.rectifications {
                let at = f.rect_index.get(id.as_str());
                at.hash(h);
                at.map(|&(file, _)| rects[file]).hash(h);
            }
        });
        Tracker {
            on: true,
            epoch: epoch(site, shared),
            targets: fingerprints(site, &site.targets, |i, h| json(&f.targets[i], h)),
            reports,
            rects,
            disclosures: fingerprints(site, &site.disclosures, |_, _| {}),
            comments: fingerprints(site, &site.comments, |i, h| json(&f.comments[i], h)),
            pages: fingerprints(site, &site.pages, |_, _| {}),
        }
    }

    /// A page's inputs, starting from the epoch.
    pub fn deps(&self) -> Deps<'_> {
        let mut h = DefaultHasher::new();
        self.epoch.hash(&mut h);
        Deps { tracker: self, h: self.on.then_some(h) }
    }
}

/// The inputs of one page, added as its job is made (see the module doc).
pub struct Deps<'t> {
    tracker: &'t Tracker,
    /// `None` when tracking is off.
    h: Option<DefaultHasher>,
}

macro_rules! kind {
    ($one:ident, $many:ident, $all:ident, $field:ident) => {
        /// The record at this position of its `Site` list.
        pub fn $one(self, i: usize) -> Self {
            self.$many([i])
        }
        /// These records, in this order.
        pub fn $many(mut self, ixs: impl IntoIterator<Item = usize>) -> Self {
            if let Some(h) = &mut self.h {
                stringify!($field).hash(h);
                for i in ixs {
                    self.tracker.$field[i].hash(h);
                }
            }
            self
        }
        /// Every record of the kind.
        pub fn $all(mut self) -> Self {
            if let Some(h) = &mut self.h {
                stringify!($field).hash(h);
                self.tracker.$field.hash(h);
            }
            self
        }
    };
}

impl Deps<'_> {
    kind!(target, targets, all_targets, targets);
    kind!(report, reports, all_reports, reports);
    kind!(rect, rects, all_rects, rects);
    kind!(disclosure, disclosures, all_disclosures, disclosures);
    kind!(comments, comments_files, all_comments, comments);
    kind!(page, pages, all_pages, pages);

    /// Every record of one org (what its page and its notice board are made from).
    pub fn org_records(self, own: &crate::model::OrgRecords) -> Self {
        self.targets(own.targets.iter().copied())
            .reports(own.reports.iter().copied())
            .rects(own.rectifications.iter().copied())
            .disclosures(own.disclosures.iter().copied())
            .comments_files(own.comments.iter().copied())
    }

    /// Disclosures given by reference, found by their place in `all` (the site's list).
    pub fn disclosure_refs<'r>(
        self,
        all: &[Record<Disclosure>],
        recs: impl IntoIterator<Item = &'r Record<Disclosure>>,
    ) -> Self {
        self.disclosures(recs.into_iter().map(|r| position(all, r)))
    }

    /// A value the page shows that is derived from more than its records (links built from the
    /// whole site, a title): hashed as its JSON.
    pub fn value(mut self, v: &impl Serialize) -> Self {
        if let Some(h) = &mut self.h {
            json(v, h);
        }
        self
    }

    pub fn finish(&self) -> u64 {
        self.h.as_ref().map_or(0, Hasher::finish)
    }
}

/// The position of `r` in `all`, which must hold it: a page can only list records of the site.
fn position<T>(all: &[Record<T>], r: &Record<T>) -> usize {
    let size = std::mem::size_of::<Record<T>>().max(1);
    let offset = (r as *const Record<T> as usize).wrapping_sub(all.as_ptr() as usize);
    let i = offset / size;
    assert!(offset % size == 0 && i < all.len(), "a page listed a record that is not in the site");
    i
}

/// What every page depends on: settings, org tree, calendar, date, audience, releases, preview
/// state, and `shared` (theme, header and navigation).
fn epoch(site: &Site, shared: u64) -> u64 {
    let mut h = DefaultHasher::new();
    shared.hash(&mut h);
    // Debug output of these types is deterministic (ordered maps only) and covers every field.
    format!("{:?}", site.config).hash(&mut h);
    format!("{:?}", site.orgs).hash(&mut h);
    format!("{:?}", site.calendar).hash(&mut h);
    format!("{:?}", site.history.releases).hash(&mut h);
    site.history.preview.hash(&mut h);
    site.today.hash(&mut h);
    format!("{:?}", site.audience).hash(&mut h);
    h.finish()
}

/// One fingerprint per record: its file, its version history and what `extra` adds (its figures).
fn fingerprints<T: Send + Sync>(
    site: &Site,
    recs: &[Record<T>],
    extra: impl Fn(usize, &mut DefaultHasher) + Sync,
) -> Vec<u64> {
    recs.par_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut h = DefaultHasher::new();
            r.path.hash(&mut h);
            r.digest.hash(&mut h);
            match site.history.records.get(&r.key()) {
                Some(history) => json(history, &mut h),
                None => 0u8.hash(&mut h),
            }
            extra(i, &mut h);
            h.finish()
        })
        .collect()
}

/// Streams `v`'s JSON into the hasher (no JSON text is kept).
pub(super) fn json(v: &impl Serialize, h: &mut DefaultHasher) {
    struct Hashing<'h>(&'h mut DefaultHasher);
    impl std::io::Write for Hashing<'_> {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.write(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let _ = serde_json::to_writer(Hashing(h), v);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(path: &str) -> Record<()> {
        Record { value: std::sync::Arc::new(()), path: path.into(), digest: "00".into(), source: "".into() }
    }

    #[test]
    fn a_listed_record_is_found_by_its_place_in_the_site_list() {
        let all = vec![record("a"), record("b"), record("c")];
        assert_eq!(position(&all, &all[2]), 2);
        let elsewhere = record("b");
        assert!(std::panic::catch_unwind(|| position(&all, &elsewhere)).is_err());
    }

    #[test]
    fn without_tracking_every_fingerprint_is_zero() {
        let t = Tracker::off();
        assert_eq!(t.deps().value(&"x").finish(), 0);
    }
}
