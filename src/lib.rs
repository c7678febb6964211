//! # segmint
//!
//! Discovers customer segments from a shop's own exports. The library is a pipeline of stages,
//! each a module with a typed input and output:
//!
//! ```text
//! ingest -> features -> prepare -> cluster -> select -> profile -> lookalike -> render -> report
//! ```
//!
//! [`pipeline`] is the one place that runs them in order, one function per command
//! ([`pipeline::commands`]); [`model`] holds the types the stages share; [`run`] owns every
//! file of the run folder (its type, reader and writer).
//!
//! The modules import each other in layers, never in a cycle (a test reads `src/` and fails
//! on one): at the bottom [`error`], [`text`], [`stats`], `frame` (reading a polars column as
//! values), the feature [`catalog`] and [`model`] (the shared types and facts, which import no
//! stage); then [`config`] (the
//! mapping) and [`i18n`] (the only module that turns facts into words); then the stages
//! ([`ingest`], [`features`], [`prepare`], [`cluster`], [`select`], [`lookalike`],
//! [`profile`], [`render`], [`campaign`]), which read and write no run file; then [`run`]
//! (the run folder's files) and [`report`]; and on top [`pipeline`], which sequences them
//! ([`init`], [`demo`] and [`truth`] beside it: drafting a mapping, the demo shop, the truth
//! bench's shops).
//!
//! Library code never prints and never exits: every stage returns [`Result`] with an [`Error`]
//! that names the file, line, column and value at fault and says what to do.
//!
//! [`truth`] is not a stage: it generates planted shops for the truth bench
//! (`cargo bench --bench truth`), which measures how well the proposals recover them.
#![deny(missing_docs)]

pub mod campaign;
pub mod catalog;
pub mod cluster;
pub mod config;
pub mod demo;
pub mod error;
pub mod features;
pub(crate) mod frame;
pub mod i18n;
pub mod ingest;
pub mod init;
pub mod lookalike;
pub mod model;
pub mod pipeline;
pub mod prepare;
pub mod profile;
pub mod render;
pub mod report;
pub mod run;
pub mod select;
pub mod stats;
pub mod text;
pub mod truth;

pub use error::{Error, Result};
