//! The only place that sequences stages.
//!
//! * [`commands`]: one function per command of the binary (features, discover, profile,
//!   report, run, demo, assign, seeds, score, init): read inputs, run the stages in order, write
//!   the files through [`crate::run`], return what happened. The binary parses arguments,
//!   calls one of them and prints the result.
//! * The stages in memory, for programs and tests that want no files: [`run_features`]
//!   (ingest → features → prepare), [`discover`] (→ candidates → selection → assignment and
//!   model; [`discover_from_features`] from prepare on, for a feature table computed
//!   elsewhere), [`profile`] (profiles + lookalike vectors), [`read_report_data`].
//! * [`outputs`]: the bytes of each stage's files with their run id.
//! * [`campaign`]: the campaign commands (compare, holdout, lift) and the demo's post period,
//!   re-exported by [`commands`].
//!
//! ```text
//! features : ingest → features → prepare                         → manifest, features, matrix
//! discover : features → sweep → select → assignment, model        → + assignments, candidates, model
//! profile  : run folder → profile → lookalike vectors             → profiles, segments, flagged, lookalike/
//! report   : run folder → report::build → render → html/md/json   → report/
//! run      : discover → profile → report
//! run --engine ballista : segmint-ballista discover → ballista::collect → profile → report
//! demo     : demo::generate → discover → profile → agreement → report
//! assign   : model.json + features → model.assign                 → assignments
//! seeds    : run folder + customers table → seeds                 → seed (+ exclusion) file
//! score    : run folder + prospects → score                       → ranking, reach, summary
//! compare  : two run folders → campaign::compare                  → compare.json, migration
//! holdout  : run folder → campaign::holdout                       → manifest, two lists
//! lift     : holdout + post-period orders → campaign::lift        → lift.json, .csv, .md
//! ```

pub mod ballista;
pub mod campaign;
pub mod check;
pub mod commands;
pub mod outputs;
mod stages;

pub use stages::{
    attach_vectors, discover, discover_from_features, profile, read_report_data, run_features,
    traits_of, Discovery, FeatureDiscovery, FeatureRun, Fit, MappingRecord, Timings,
};
