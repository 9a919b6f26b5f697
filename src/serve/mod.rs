//! `gongshi serve`: builds in memory, serves the result on 127.0.0.1 with live reload, watches
//! `content/` and `themes/`, and on a change rebuilds through caches (one re-parsed file, only the
//! pages whose data changed re-rendered). A build with errors keeps the last good site and shows the
//! errors. Never writes `public/`.

mod http;

use crate::diagnostics::Severity;
use crate::error::{Error, Result};
use crate::pipeline::{self, Caches, Options};
use crate::render::Output;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// What the server shows: the last good site and the problems of the latest build.
#[derive(Debug, Default)]
pub struct State {
    pub output: Arc<Output>,
    /// Rendered diagnostics of the latest build when it failed; empty when it succeeded.
    pub errors: Vec<String>,
    /// Bumped on every rebuild, so open pages know to reload.
    pub generation: u64,
}

/// One editing session: the caches that make rebuilds incremental.
pub struct Session {
    opts: Options,
    caches: Caches,
}

/// The result of one rebuild.
pub enum Rebuilt {
    Site { output: Output, warnings: usize, rendered: usize },
    Failed { errors: Vec<String> },
}

impl Session {
    pub fn new(opts: Options) -> Session {
        Session { opts, caches: Caches::keeping() }
    }

    /// Rebuilds the site from disk, reusing whatever did not change.
    pub fn rebuild(&mut self) -> Result<Rebuilt> {
        match pipeline::render_site_cached(&self.opts, &mut self.caches)? {
            Ok((_, output, diags)) => {
                Ok(Rebuilt::Site { warnings: diags.warning_count(), output, rendered: self.caches.render.rendered })
            }
            Err(diags) => Ok(Rebuilt::Failed {
                errors: diags
                    .sorted()
                    .into_iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(|d| d.to_string())
                    .collect(),
            }),
        }
    }
}

/// Runs the dev server until interrupted.
pub fn serve(opts: Options, bind: &str, port: Option<u16>) -> Result<()> {
    let mut session = Session::new(opts.clone());
    let state = Arc::new(RwLock::new(State::default()));
    apply(&state, session.rebuild()?, Instant::now());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("无法启动预览服务：{e}")))?;
    runtime.block_on(async move {
        let (listener, addr) = http::bind(bind, port).await?;
        let (tx, _) = tokio::sync::broadcast::channel::<u64>(16);
        let watcher_tx = tx.clone();
        let watcher_state = state.clone();
        let roots = vec![opts.root.join("content"), opts.root.join("themes")];
        std::thread::spawn(move || watch(roots, session, watcher_state, watcher_tx));
        println!("预览地址：http://{addr}/  （修改 content/ 或 themes/ 后自动刷新；按 Ctrl+C 退出）");
        http::run(listener, addr, state, tx).await
    })
}

/// Puts a rebuild into the served state and tells the terminal.
fn apply(state: &RwLock<State>, rebuilt: Rebuilt, started: Instant) {
    let mut s = state.write().unwrap_or_else(|p| p.into_inner());
    s.generation += 1;
    match rebuilt {
        Rebuilt::Site { output, warnings, rendered } => {
            s.errors.clear();
            eprintln!(
                "已重新生成：{} 个网页（重新渲染 {rendered} 个），{warnings} 个警告，用时 {} 毫秒",
                output.pages(),
                started.elapsed().as_millis()
            );
            s.output = Arc::new(output);
        }
        Rebuilt::Failed { errors } => {
            for e in &errors {
                eprintln!("{e}");
            }
            eprintln!("内容有 {} 个错误，继续显示上一次成功生成的网站。", errors.len());
            s.errors = errors;
        }
    }
}

/// Watches the folders (debounced) and rebuilds on every change until the channel closes.
fn watch(
    roots: Vec<PathBuf>,
    mut session: Session,
    state: Arc<RwLock<State>>,
    tx: tokio::sync::broadcast::Sender<u64>,
) {
    use notify::RecursiveMode;
    let (events_tx, events_rx) = std::sync::mpsc::channel();
    let Ok(mut debouncer) = notify_debouncer_full::new_debouncer(Duration::from_millis(30), None, events_tx) else {
        eprintln!("无法监视文件变化：预览不会自动刷新");
        return;
    };
    for r in roots.iter().filter(|r| r.is_dir()) {
        if let Err(e) = debouncer.watch(r, RecursiveMode::Recursive) {
            eprintln!("无法监视 {}：{e}", r.display());
        }
    }
    for batch in events_rx {
        let Ok(events) = batch else { continue };
        // Writes into the ledger's object store or editor swap files are not edits of the site.
        let relevant = events.iter().flat_map(|e| e.paths.iter()).any(|p| is_content_change(p));
        if !relevant {
            continue;
        }
        let started = Instant::now();
        match session.rebuild() {
            Ok(rebuilt) => apply(&state, rebuilt, started),
            Err(e) => eprintln!("错误：{e}"),
        }
        let generation = state.read().map(|s| s.generation).unwrap_or_default();
        let _ = tx.send(generation);
    }
}

fn is_content_change(path: &std::path::Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    !(name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp"))
}
