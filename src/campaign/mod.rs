//! Campaigns: hold customers out of a campaign and measure what it did, per segment.
//!
//! * [`holdout`]: a deterministic control group, stratified per segment, with the minimum
//!   detectable effect of every segment (`segmint holdout`).
//! * [`lift`]: treatment against control per segment, intention to treat, after the campaign
//!   (`segmint lift`).
//! * [`stats`]: the distributions, tests and intervals both use, tested against hand-computed
//!   values and by simulation.
//!
//! Every function takes typed inputs and returns typed results and file bytes; nothing here
//! reads or writes a file: the commands ([`crate::pipeline::campaign`]) read the run folders,
//! the holdout's lists and the post-period orders (through [`crate::run`] and
//! [`crate::ingest`]) and write the files through [`crate::run::OutDir`].

pub(crate) mod chart;
pub mod compare;
pub mod holdout;
pub mod lift;
pub mod section;
pub mod stats;

#[cfg(test)]
mod simulation;
