//! The `gongshi` binary: parse the command line, run the pipeline, print diagnostics, map the
//! outcome to an exit code (0 ok, 1 content errors, 2 usage or operational failure).

use clap::Parser;
use gongshi::cli::{Cli, Command};
use gongshi::pipeline::{self, Outcome};
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates millions of small strings and JSON
/// values from several threads, and spends a quarter less time doing it (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

extern "C" {
    /// mimalloc's option setter (of the v3 sources libmimalloc-sys builds and links in).
    fn mi_option_set(option: std::os::raw::c_int, value: std::os::raw::c_long);
}

/// `mi_option_purge_delay`: its position in `mi_option_e` of libmimalloc-sys 0.1.49's
/// v3/include/mimalloc.h (Cargo.lock pins the version; a test checks the position).
const MI_OPTION_PURGE_DELAY: std::os::raw::c_int = 15;

/// Page faults cost a build more than any allocation does (docs/performance.md):
///
/// - The heap stays in 4 KiB pages, not transparent huge pages. mimalloc asks for huge pages on its
///   arenas, and each first touch of one makes the kernel zero 2 MiB; as freed memory goes back to
///   the system and is touched again, a 10,000-record build zeroed about 1 GB for a peak of
///   385 MiB, and spent 15 % of its time in page faults. In small pages only what is touched is
///   zeroed: 10 % in page faults, and a lower peak.
/// - Freed memory goes back to the system after 50 ms instead of mimalloc's 1000: a build frees
///   the data of each page as soon as the page is rendered. Purging later saves page faults but
///   raises the peak; the delay is wall-clock time, and a faster build purges less within it, so
///   it stays short (peak about 360 MiB where never purging reaches 410).
///
/// `MIMALLOC_ALLOW_THP` or `MIMALLOC_PURGE_DELAY` in the environment is left to decide.
fn tune_allocator() {
    keep_small_pages();
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a plain integer option, read by mimalloc whenever it considers purging.
        unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 50) };
    }
}

/// Turns transparent huge pages off for this process (children inherit it), unless
/// `MIMALLOC_ALLOW_THP` says otherwise; where that fails, the build is only slower.
fn keep_small_pages() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}

/// Who releases: `--by`, else GONGSHI_BY, else the login name.
fn by(args: &gongshi::cli::ReleaseArgs) -> String {
    args.by
        .clone()
        .or_else(|| std::env::var("GONGSHI_BY").ok())
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "未署名".to_string())
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => pipeline::options(args).and_then(|o| pipeline::build(&o)),
        Command::Check(args) => pipeline::options(args).and_then(|o| pipeline::check(&o)),
        Command::Print(args) => {
            pipeline::options(&args.site).and_then(|o| pipeline::print(&o, &args.orgs, &args.pdf_dir()))
        }
        Command::Release(args) => {
            pipeline::options(&args.site).and_then(|o| pipeline::release(&o, &args.message, &by(args)))
        }
        Command::Init(args) => pipeline::init(&args.dir),
        Command::Serve(args) => pipeline::options(&args.site)
            .and_then(|o| gongshi::serve::serve(o, &args.bind, args.port))
            .map(|_| Outcome::Done(pipeline::Summary { line: String::new(), quiet: true })),
        Command::New(args) => pipeline::new_record(args),
        Command::Verify(args) => {
            let dir = args.dir.clone().unwrap_or_else(|| args.root.join("public"));
            pipeline::verify_site(&dir, &args.root)
        }
    };
    match result {
        Ok(Outcome::Done(summary)) => {
            if !summary.quiet {
                println!("{}", summary.line);
            }
            ExitCode::SUCCESS
        }
        Ok(Outcome::ContentErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    extern "C" {
        fn mi_option_get(option: std::os::raw::c_int) -> std::os::raw::c_long;
    }

    #[test]
    fn the_tuned_option_is_mimallocs_purge_delay() {
        // purge_delay defaults to 1000 (ms); its neighbours to 1 (a deprecated delay) and 0 (numa nodes).
        let get = |option| unsafe { mi_option_get(option) };
        assert_eq!(
            (
                get(super::MI_OPTION_PURGE_DELAY - 1),
                get(super::MI_OPTION_PURGE_DELAY),
                get(super::MI_OPTION_PURGE_DELAY + 1)
            ),
            (1, 1000, 0)
        );
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn huge_pages_are_turned_off_for_the_process() {
        super::keep_small_pages();
        let off = rustix::thread::transparent_huge_pages_are_disabled().unwrap();
        assert_eq!(off, std::env::var_os("MIMALLOC_ALLOW_THP").is_none());
    }
}
