//! gongshi (公示) turns a county's YAML/Markdown records of grassroots Party-building work into a
//! versioned static website and print-ready notice boards.
//!
//! The pipeline is the architecture, ordered in one place ([`pipeline`]):
//!
//! ```text
//! load      content/ -> typed sources with key positions        (load)
//! validate  sources  -> Site for one audience + diagnostics     (validate, the only Site builder)
//! model     Site     -> figures of rules.md                     (model)
//! render    Site     -> Output: path -> bytes, in memory         (render; URLs only in render::routes)
//! write     Output   -> staging folder -> swapped into public/  (write, the only writer of public/)
//! ```
//!
//! Invariants: content problems are located [`diagnostics::Diagnostic`]s, all reported in one run;
//! operational failures are [`error::Error`]. Any error leaves the previous output untouched. The
//! same content and build date give byte-identical output (sorted walks, ordered maps, no clock
//! outside the build date). A public build holds no trace of a `党内公开` record.

pub mod cli;
pub mod config;
pub mod diagnostics;
pub mod error;
pub mod links;
pub mod load;
pub mod model;
pub mod pipeline;
pub mod print;
pub mod release;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod timings;
pub mod validate;
pub mod write;
