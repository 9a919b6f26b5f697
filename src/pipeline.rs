//! The only place that knows the stage order: load -> validate -> render -> (check links) -> write.
//! `build` writes the site; `check` stops before writing. Prints diagnostics; never exits.

use crate::cli::{AudienceArg, Format, SiteArgs};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::error::{Error, Result};
use crate::model::common::{Audience, Date};
use crate::model::Site;
use crate::render::{self, BuildInfo, Output, Theme};
use crate::{links, load, validate, write};
use chrono::{FixedOffset, Utc};
use std::path::PathBuf;
use std::time::Instant;

/// Everything a run needs, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub out: PathBuf,
    pub today: Date,
    pub audience: Audience,
    pub quiet: bool,
    pub format: Format,
}

/// How a run ended when nothing operational failed.
#[derive(Debug)]
pub enum Outcome {
    Done(Summary),
    /// Content errors were printed; nothing was written.
    ContentErrors,
}

#[derive(Debug)]
pub struct Summary {
    pub line: String,
    pub quiet: bool,
}

pub fn options(args: &SiteArgs) -> Result<Options> {
    let audience = match args.audience {
        AudienceArg::Public => Audience::Public,
        AudienceArg::Party => Audience::Party,
    };
    let default_out = if audience == Audience::Party { "public-party" } else { "public" };
    Ok(Options {
        out: args.out.clone().unwrap_or_else(|| args.root.join(default_out)),
        root: args.root.clone(),
        today: today(args.date.as_deref())?,
        audience,
        quiet: args.quiet,
        format: args.format,
    })
}

/// `--date`, else SOURCE_DATE_EPOCH, else today in China (+08:00, whatever the machine's zone).
fn today(date: Option<&str>) -> Result<Date> {
    if let Some(d) = date {
        return Date::parse(d).ok_or_else(|| Error::Usage(format!("--date `{d}` 应写成 YYYY-MM-DD")));
    }
    let china = FixedOffset::east_opt(8 * 3600).expect("valid offset");
    if let Ok(epoch) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: i64 =
            epoch.trim().parse().map_err(|_| Error::Usage(format!("SOURCE_DATE_EPOCH `{epoch}` 不是整数")))?;
        let dt = chrono::DateTime::from_timestamp(secs, 0)
            .ok_or_else(|| Error::Usage("SOURCE_DATE_EPOCH 超出范围".into()))?;
        return Ok(Date(dt.with_timezone(&china).date_naive()));
    }
    Ok(Date(Utc::now().with_timezone(&china).date_naive()))
}

/// load -> validate -> render, all in memory. `Err(diags)` when content has errors.
pub fn render_site(opts: &Options) -> Result<std::result::Result<(Site, Output, Diagnostics), Diagnostics>> {
    let (loaded, mut diags) = load::load(&opts.root)?;
    let (site, more) = validate::validate(loaded, opts.today, opts.audience);
    diags.extend(more);
    let Some(site) = site.filter(|_| !diags.has_errors()) else {
        return Ok(Err(diags));
    };
    let theme = Theme::load(&opts.root, &site.config.theme)?;
    let build =
        BuildInfo { date: opts.today.chinese(), release: None, preview: true, party: opts.audience == Audience::Party };
    let output = render::render(&site, &theme, &build, &opts.root.join("content").join("attachments"))?;
    Ok(Ok((site, output, diags)))
}

pub fn build(opts: &Options) -> Result<Outcome> {
    let started = Instant::now();
    let (site, output, mut diags) = match render_site(opts)? {
        Ok(done) => done,
        Err(diags) => return Ok(report_failure(opts, diags)),
    };
    for b in links::check(&output).broken {
        diags.push(broken_link(&b, Severity::Warning));
    }
    write::write_atomically(&output, &opts.out)?;
    print_diagnostics(opts, diags.clone());
    Ok(Outcome::Done(Summary { line: summary(&site, &output, &diags, started, &opts.out), quiet: opts.quiet }))
}

pub fn check(opts: &Options) -> Result<Outcome> {
    let started = Instant::now();
    let (site, output, mut diags) = match render_site(opts)? {
        Ok(done) => done,
        Err(diags) => return Ok(report_failure(opts, diags)),
    };
    let report = links::check(&output);
    for b in &report.broken {
        diags.push(broken_link(b, Severity::Error));
    }
    let failed = diags.has_errors();
    print_diagnostics(opts, diags.clone());
    if failed {
        return Ok(Outcome::ContentErrors);
    }
    let line = format!(
        "检查通过：{} 个页面，{} 个站内链接全部有效，{} 个站外链接（未访问）；{} 个警告，用时 {:.2} 秒",
        output.pages(),
        report.checked - report.external.len(),
        report.external.len(),
        diags.warning_count(),
        started.elapsed().as_secs_f64()
    );
    let _ = site;
    Ok(Outcome::Done(Summary { line, quiet: opts.quiet }))
}

fn broken_link(b: &links::BrokenLink, severity: Severity) -> Diagnostic {
    Diagnostic {
        severity,
        path: b.page.clone(),
        line: 1,
        col: 1,
        rule: "broken-link",
        field: String::new(),
        message: format!("站内链接 `{}` 指向的文件不存在", b.target),
        hint: None,
        urgent: false,
    }
}

fn report_failure(opts: &Options, diags: Diagnostics) -> Outcome {
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    print_diagnostics(opts, diags);
    if opts.format == Format::Text {
        eprintln!("发现 {errors} 个错误、{warnings} 个警告；未生成网站，原有的 {} 保持不变。", opts.out.display());
    }
    Outcome::ContentErrors
}

fn print_diagnostics(opts: &Options, diags: Diagnostics) {
    for d in diags.sorted() {
        if opts.quiet && d.severity == Severity::Warning {
            continue;
        }
        match opts.format {
            Format::Json => eprintln!("{}", serde_json::to_string(&d).unwrap_or_default()),
            Format::Text => eprintln!("{d}"),
        }
    }
}

fn summary(site: &Site, output: &Output, diags: &Diagnostics, started: Instant, out: &std::path::Path) -> String {
    format!(
        "已生成 {}：年度目标 {}、述职评议 {}、整改清单 {}、党务公开 {}、群众评说 {}、页面 {}；共 {} 个网页、{} 个文件；{} 个警告；用时 {:.2} 秒",
        out.display(),
        site.targets.len(),
        site.reports.len(),
        site.rectifications.len(),
        site.disclosures.len(),
        site.comments.len(),
        site.pages.len(),
        output.pages(),
        output.files.len(),
        diags.warning_count(),
        started.elapsed().as_secs_f64()
    )
}
