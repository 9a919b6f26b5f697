//! What the preview server shows, shared by the rebuilding thread, the aggregates thread and the
//! HTTP side: the files of the last good site, the pages an edit reached that are not rendered yet,
//! the files made from the whole site (current or not), and the errors of the latest build. A
//! request for a page being re-rendered or for a file made from the whole site waits until it is
//! current: the server never answers with a stale one. Never builds anything itself.

use crate::render::{Bytes, Delta};
use std::collections::{HashMap, HashSet};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The served site.
#[derive(Default)]
pub struct State {
    /// Pages, static files and attachments of the last good site.
    files: HashMap<String, Bytes>,
    /// Pages whose inputs changed and that are being rendered again.
    pending: HashSet<String>,
    /// While a rebuild has not yet worked out which pages changed: the only files served (the
    /// edited records' pages, just rendered); every other request waits.
    held: Option<HashSet<String>>,
    /// Open data, search index, feed, sitemap and manifest, as built for `aggregates_of`.
    aggregates: HashMap<String, Bytes>,
    aggregates_of: u64,
    /// Bumped with every site swapped in (a failed build swaps nothing).
    site: u64,
    /// Rendered diagnostics of the latest build when it failed; empty when it succeeded.
    pub errors: Vec<String>,
    /// Bumped on every rebuild, good or failed, so open pages know to reload.
    pub generation: u64,
}

/// What a request finds.
#[derive(Debug)]
pub enum Lookup {
    Found(Bytes),
    /// Being built: ask again when the state changes.
    Wait,
    Missing,
}

impl State {
    pub fn lookup(&self, key: &str) -> Lookup {
        if self.waits(key) {
            return Lookup::Wait;
        }
        if let Some(bytes) = self.files.get(key) {
            return Lookup::Found(bytes.clone());
        }
        if !self.aggregates_current() {
            return Lookup::Wait;
        }
        self.aggregates.get(key).map_or(Lookup::Missing, |b| Lookup::Found(b.clone()))
    }

    /// The bytes served for `key` now, without waiting (for tests and benchmarks).
    pub fn current(&self, key: &str) -> Option<&Bytes> {
        if self.waits(key) {
            return None;
        }
        self.files.get(key).or_else(|| self.aggregates.get(key).filter(|_| self.aggregates_current()))
    }

    /// Every file that would be served now without waiting (for tests).
    pub fn snapshot(&self) -> std::collections::BTreeMap<String, Bytes> {
        let aggregates = self.aggregates.iter().filter(|_| self.aggregates_current());
        let files = self.files.iter().filter(|(k, _)| !self.waits(k));
        files.chain(aggregates).map(|(k, b)| (k.clone(), b.clone())).collect()
    }

    pub fn aggregates_current(&self) -> bool {
        self.aggregates_of == self.site
    }

    /// No page is waiting to be rendered again.
    pub fn pages_current(&self) -> bool {
        self.pending.is_empty() && self.held.is_none()
    }

    /// A page being rendered again, or any file but the few served while a rebuild is held.
    fn waits(&self, key: &str) -> bool {
        self.pending.contains(key) || self.held.as_ref().is_some_and(|served| !served.contains(key))
    }

    /// The generation of the site being served: what a build of the aggregates is for.
    pub fn site(&self) -> u64 {
        self.site
    }

    pub fn pages(&self) -> usize {
        self.files.keys().filter(|k| k.ends_with(".html")).count()
    }

    /// Swaps in one step of a rebuild; the first step of a rebuild starts a new site.
    pub fn apply(&mut self, delta: Delta, first: bool) {
        if first {
            self.site += 1;
            self.generation += 1;
            self.errors.clear();
        }
        for path in delta.removed {
            self.files.remove(&path);
            self.pending.remove(&path);
        }
        self.held = delta.hold.then(|| delta.files.iter().map(|(path, _)| path.clone()).collect());
        for (path, bytes) in delta.files {
            self.pending.remove(&path);
            self.files.insert(path, bytes);
        }
        self.pending.extend(delta.pending);
    }

    /// A build failed: the last good site stays, with the errors over it.
    pub fn fail(&mut self, errors: Vec<String>) {
        self.generation += 1;
        self.errors = errors;
        // A render that failed half-way leaves its pages as they were rather than waiting forever.
        self.pending.clear();
        self.held = None;
    }

    /// Installs the files made from the whole site for site generation `of`, unless a newer site
    /// was swapped in meanwhile (its own build of them is on its way).
    pub fn set_aggregates(&mut self, of: u64, files: Vec<(String, Bytes)>) -> bool {
        if of != self.site {
            return false;
        }
        self.aggregates = files.into_iter().collect();
        self.aggregates_of = of;
        true
    }
}

/// The state with the means to wait for it to change.
#[derive(Default)]
pub struct Shared {
    state: Mutex<State>,
    changed: Condvar,
    /// For the HTTP side: a new value after every change.
    tick: Option<tokio::sync::watch::Sender<u64>>,
}

impl Shared {
    pub fn new() -> Shared {
        Shared { tick: Some(tokio::sync::watch::channel(0).0), ..Shared::default() }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes the state and wakes everyone waiting on it.
    pub fn update<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        let value = f(&mut self.lock());
        self.changed.notify_all();
        if let Some(tick) = &self.tick {
            tick.send_modify(|t| *t += 1);
        }
        value
    }

    /// A receiver that sees every later change (HTTP requests that wait).
    pub fn subscribe(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        self.tick.as_ref().map(|t| t.subscribe())
    }

    /// Blocks until `cond` holds or `timeout` passes; returns whether it holds.
    pub fn wait_until(&self, timeout: Duration, mut cond: impl FnMut(&State) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.lock();
        while !cond(&state) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self.changed.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn bytes(s: &str) -> Bytes {
        Arc::new(s.as_bytes().to_vec())
    }

    #[test]
    fn pending_pages_and_stale_aggregates_wait_and_are_never_served() {
        let mut s = State::default();
        let first = Delta {
            files: vec![("a/index.html".into(), bytes("a1"))],
            removed: vec![],
            pending: vec!["index.html".into()],
            hold: false,
        };
        s.apply(Delta { files: vec![("a/index.html".into(), bytes("a0"))], hold: true, ..Delta::default() }, true);
        assert!(matches!(s.lookup("a/index.html"), Lookup::Found(b) if b.as_slice() == b"a0"));
        assert!(matches!(s.lookup("index.html"), Lookup::Wait), "held until the rebuild knows what changed");
        s.apply(first, false);
        assert!(matches!(s.lookup("a/index.html"), Lookup::Found(b) if b.as_slice() == b"a1"));
        assert!(matches!(s.lookup("index.html"), Lookup::Wait));
        assert!(matches!(s.lookup("data/orgs.json"), Lookup::Wait), "aggregates of this site not built yet");
        s.apply(Delta { files: vec![("index.html".into(), bytes("home"))], ..Delta::default() }, false);
        assert!(matches!(s.lookup("index.html"), Lookup::Found(_)));
        assert!(s.set_aggregates(1, vec![("data/orgs.json".into(), bytes("[]"))]));
        assert!(matches!(s.lookup("data/orgs.json"), Lookup::Found(_)));
        assert!(matches!(s.lookup("nothing.html"), Lookup::Missing));
        // A newer site makes the aggregates stale until its own are built; late ones are refused.
        s.apply(Delta { removed: vec!["a/index.html".into()], ..Delta::default() }, true);
        assert!(matches!(s.lookup("a/index.html"), Lookup::Wait));
        assert!(!s.set_aggregates(1, vec![]));
        assert!(s.set_aggregates(2, vec![]));
        assert!(matches!(s.lookup("a/index.html"), Lookup::Missing));
    }

    #[test]
    fn a_failed_build_keeps_the_site_and_shows_errors() {
        let mut s = State::default();
        s.apply(Delta { files: vec![("index.html".into(), bytes("home"))], ..Delta::default() }, true);
        s.fail(vec!["content/site.yaml:1:1: error".into()]);
        assert_eq!(s.generation, 2);
        assert!(matches!(s.lookup("index.html"), Lookup::Found(_)));
        assert_eq!(s.errors.len(), 1);
    }
}
