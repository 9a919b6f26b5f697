//! The `gongshi` binary: parse the command line, run the pipeline, print diagnostics, map the
//! outcome to an exit code (0 ok, 1 content errors, 2 usage or operational failure).

use clap::Parser;
use gongshi::cli::{Cli, Command};
use gongshi::pipeline::{self, Outcome};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Build(args) => pipeline::options(args).and_then(|o| pipeline::build(&o)),
        Command::Check(args) => pipeline::options(args).and_then(|o| pipeline::check(&o)),
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
