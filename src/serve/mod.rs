//! `gongshi serve`: builds in memory, serves the result on 127.0.0.1 with live reload, watches
//! `content/` and `themes/`, and on a change rebuilds through caches: only the files the watcher
//! names are read again, only pages whose inputs changed are rendered (the edited file's own page
//! first, then the others it reaches), and the files made from the whole site (open data, search
//! index, feed, sitemap, manifest) are built on a thread of their own afterwards. A request for a
//! page or file not yet current waits for it. A build with errors keeps the last good site and
//! shows the errors. Never writes `public/`.

mod http;
mod session;
mod state;

pub use session::{Aggregates, DigestMemo, Rebuilt, Session};
pub use state::{Lookup, Shared, State};

use crate::error::{Error, Result};
use crate::load::Changes;
use crate::pipeline::Options;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long the watcher waits for a burst of file events (an editor's save) to end.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Runs the dev server until interrupted.
pub fn serve(opts: Options, bind: &str, port: Option<u16>) -> Result<()> {
    let preview = Preview::start(opts)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("无法启动预览服务：{e}")))?;
    runtime.block_on(async move {
        let (listener, addr) = http::bind(bind, port).await?;
        println!("预览地址：http://{addr}/  （修改 content/ 或 themes/ 后自动刷新；按 Ctrl+C 退出）");
        http::run(listener, addr, preview.shared.clone(), preview.reload.clone()).await
    })
}

/// A running preview without its HTTP side: the first build done, the watcher and the aggregates
/// thread started. `serve` puts HTTP in front of it; the benchmark watches its state.
pub struct Preview {
    pub shared: Arc<Shared>,
    reload: tokio::sync::broadcast::Sender<u64>,
}

impl Preview {
    /// Builds the site once, then watches `content/` and `themes/` until the process ends.
    pub fn start(opts: Options) -> Result<Preview> {
        let shared = Arc::new(Shared::new());
        let (reload, _) = tokio::sync::broadcast::channel::<u64>(16);
        let worker = Worker::start(shared.clone());
        let mut rebuilder =
            Rebuilder { session: Session::new(opts.clone()), shared: shared.clone(), reload: reload.clone(), worker };
        rebuilder.rebuild(Changes::All)?;
        let roots = vec![opts.root.join("content"), opts.root.join("themes")];
        let (events_tx, events_rx) = std::sync::mpsc::channel();
        let debouncer = notify_debouncer_full::new_debouncer(DEBOUNCE, Some(DEBOUNCE / 2), events_tx);
        match debouncer {
            Ok(mut debouncer) => {
                for r in roots.iter().filter(|r| r.is_dir()) {
                    if let Err(e) = debouncer.watch(r, notify::RecursiveMode::Recursive) {
                        eprintln!("无法监视 {}：{e}", r.display());
                    }
                }
                std::thread::spawn(move || {
                    // The debouncer stops watching when dropped: it lives as long as the loop.
                    let _debouncer = debouncer;
                    for batch in events_rx {
                        rebuilder.changed(batch, &roots);
                    }
                });
            }
            Err(_) => eprintln!("无法监视文件变化：预览不会自动刷新"),
        }
        Ok(Preview { shared, reload })
    }
}

/// The watcher's side: rebuilds, swaps the result in, hands the aggregates to the worker.
struct Rebuilder {
    session: Session,
    shared: Arc<Shared>,
    reload: tokio::sync::broadcast::Sender<u64>,
    worker: Worker,
}

impl Rebuilder {
    fn changed(&mut self, batch: notify_debouncer_full::DebounceEventResult, roots: &[PathBuf]) {
        let changes = changes_of(batch);
        if let Changes::Paths(paths) = &changes {
            if paths.is_empty() {
                return;
            }
            // Editor swap and backup files are not edits of the site: the next rebuild reads them
            // with the rest, so the load cache still matches the disk.
            if !paths.iter().any(|p| roots.iter().any(|r| p.starts_with(r)) && is_content_change(p)) {
                self.session.defer(paths.iter().cloned());
                return;
            }
        }
        if let Err(e) = self.rebuild(changes) {
            eprintln!("错误：{e}");
            self.shared.update(|s| s.fail(vec![format!("错误：{e}")]));
            let _ = self.reload.send(self.shared.lock().generation);
        }
    }

    fn rebuild(&mut self, changes: Changes) -> Result<()> {
        let started = Instant::now();
        let (shared, reload) = (&self.shared, &self.reload);
        let mut first = true;
        let rebuilt = self.session.rebuild(changes, &mut |delta| {
            let generation = shared.update(|s| {
                s.apply(delta, first);
                s.generation
            });
            if first {
                // Open pages reload now: a page still being rendered waits for its turn.
                let _ = reload.send(generation);
            }
            first = false;
        })?;
        match rebuilt {
            Rebuilt::Site { pages, warnings, rendered } => {
                eprintln!(
                    "已重新生成：{pages} 个网页（重新渲染 {rendered} 个），{warnings} 个警告，用时 {} 毫秒",
                    started.elapsed().as_millis()
                );
                if let Some(job) = self.session.aggregates() {
                    self.worker.submit(self.shared.lock().site(), job);
                }
            }
            Rebuilt::Failed { errors } => {
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!("内容有 {} 个错误，继续显示上一次成功生成的网站。", errors.len());
                let generation = self.shared.update(|s| {
                    s.fail(errors);
                    s.generation
                });
                let _ = self.reload.send(generation);
            }
        }
        Ok(())
    }
}

/// The thread that builds the files made from the whole site, always for the newest site: a
/// build asked for while another runs replaces any older one still waiting.
struct Worker {
    next: Slot,
}

/// The build waiting for the worker (for site generation `u64`), and the bell that wakes it.
type Slot = Arc<(Mutex<Option<(u64, Aggregates)>>, Condvar)>;

impl Worker {
    fn start(shared: Arc<Shared>) -> Worker {
        let next: Slot = Arc::default();
        let queue = next.clone();
        std::thread::spawn(move || {
            let mut memo = DigestMemo::default();
            loop {
                let (site, job) = {
                    let (slot, ready) = &*queue;
                    let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
                    loop {
                        match slot.take() {
                            Some(next) => break next,
                            None => slot = ready.wait(slot).unwrap_or_else(|p| p.into_inner()),
                        }
                    }
                };
                let files = job.run(&mut memo).unwrap_or_else(|e| {
                    eprintln!("错误：{e}");
                    Vec::new()
                });
                shared.update(|s| s.set_aggregates(site, files));
            }
        });
        Worker { next }
    }

    fn submit(&self, site: u64, job: Aggregates) {
        let (slot, ready) = &*self.next;
        *slot.lock().unwrap_or_else(|p| p.into_inner()) = Some((site, job));
        ready.notify_one();
    }
}

/// What a batch of watcher events says changed: the paths, or everything when the watcher lost
/// track (an error, a rescan, an event without paths). Reads are not changes: the rebuild's own
/// reading of files must not look like an edit.
fn changes_of(batch: notify_debouncer_full::DebounceEventResult) -> Changes {
    let Ok(events) = batch else { return Changes::All };
    let mut paths = Vec::new();
    for e in events.iter().filter(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
        if e.need_rescan() || e.paths.is_empty() {
            return Changes::All;
        }
        paths.extend(e.paths.iter().cloned());
    }
    paths.sort();
    paths.dedup();
    Changes::Paths(paths)
}

fn is_content_change(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    !(name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp"))
}
