//! segmint's integration tests, in one test crate so that polars is linked once.
//!
//! Tests that need Chromium or the notebook venv are `#[ignore]`d with the reason when it is
//! missing (so the skip shows in the summary), except under CI (`CI` set when building), where
//! they run and fail with a how-to; see `build.rs`.

mod common;

mod actions;
mod attributes;
mod bad_input;
mod bad_input_more;
mod bad_input_table;
mod campaign;
mod check;
mod cli;
mod cluster_run;
mod currency;
mod dbscan;
mod demo;
mod excel;
mod features;
mod fuzz_ingest;
mod init_exports;
mod invariants;
mod kmeans;
mod lookalike;
mod lookalike_cli;
mod notebooks;
mod prepare;
mod profile;
mod report;
mod returns;
mod run_folder;
mod selection;
mod structure;
