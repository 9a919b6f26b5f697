//! What a run is asked to do, resolved once from the command line: the root, the output folder,
//! "today", the audience, how to report. Never reads content.

use crate::cli::{AudienceArg, Format, PaperArg, SiteArgs};
use crate::config::Paper;
use crate::error::{Error, Result};
use crate::model::common::{Audience, Date};
use chrono::{FixedOffset, Utc};
use std::path::PathBuf;

/// Everything a run needs, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub out: PathBuf,
    pub today: Date,
    /// `--date` was given: "today" is fixed, whatever the ledger says.
    pub date_given: bool,
    pub audience: Audience,
    pub quiet: bool,
    pub format: Format,
    /// `--paper`: the notice boards' paper, over site.yaml's `paper:`.
    pub paper: Option<Paper>,
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
        date_given: args.date.is_some(),
        audience,
        quiet: args.quiet,
        format: args.format,
        paper: args.paper.map(|p| match p {
            PaperArg::A4 => Paper::A4,
            PaperArg::A3 => Paper::A3,
        }),
    })
}

/// `--date`, else SOURCE_DATE_EPOCH, else today in China (+08:00, whatever the machine's zone).
pub(super) fn today(date: Option<&str>) -> Result<Date> {
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
