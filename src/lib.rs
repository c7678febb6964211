//! # segmint
//!
//! Discovers customer segments from a shop's own exports. The library is a pipeline of stages,
//! each a module with a typed input and output:
//!
//! ```text
//! ingest -> features -> prepare -> cluster -> select -> profile -> flags -> lookalike -> render -> report/export
//! ```
//!
//! Library code never prints and never exits: every stage returns [`Result`] with an [`Error`]
//! that names the file, line, column and value at fault and says what to do.
#![deny(missing_docs)]

pub mod campaign;
pub mod cluster;
pub mod config;
pub mod demo;
pub mod error;
pub mod export;
pub mod features;
pub mod i18n;
pub mod ingest;
pub mod init;
pub mod lookalike;
pub mod pipeline;
pub mod prepare;
pub mod profile;
pub mod render;
pub mod report;
pub mod select;

pub use error::{Error, Result};
