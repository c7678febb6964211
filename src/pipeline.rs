//! The stages run in order, as one call per command.

use serde::Serialize;

use crate::config::Config;
use crate::error::Result;
use crate::features::{self, FeatureSpec, Features, SourceCount};
use crate::ingest::{IngestReport, Inputs};
use crate::prepare::{self, PrepareModel, Prepared};

/// The output of ingest → features → prepare.
#[derive(Debug, Clone)]
pub struct FeatureRun {
    /// Canonical inputs (also holds the personal data for later seed exports).
    pub inputs: Inputs,
    /// Raw features.
    pub features: Features,
    /// The clustering matrix.
    pub prepared: Prepared,
}

/// Runs ingest, features and prepare.
pub fn run_features(config: &Config) -> Result<FeatureRun> {
    let inputs = Inputs::load(config)?;
    let features = features::build(&inputs, &config.mapping.features)?;
    let prepared = prepare::prepare(
        &features,
        &config.mapping.prepare,
        config.mapping.features.rare_level_share,
    )?;
    Ok(FeatureRun {
        inputs,
        features,
        prepared,
    })
}

/// `manifest.json`: what went in, what came out, and how.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    /// segmint version that wrote it.
    pub segmint_version: String,
    /// Reference date.
    pub as_of: String,
    /// `mapping` or `latest date in the data`.
    pub as_of_source: String,
    /// Rows in features.parquet (one per customer).
    pub customers: usize,
    /// Customers per input table.
    pub customers_per_source: Vec<SourceCount>,
    /// Rows read, used and skipped per table, with reasons.
    pub ingest: IngestReport,
    /// The features, their groups, kinds and formulas.
    pub features: Vec<FeatureSpec>,
    /// Matrix columns and the transforms that produce them.
    pub prepare: PrepareModel,
}

impl FeatureRun {
    /// The manifest of this run.
    pub fn manifest(&self) -> Manifest {
        Manifest {
            segmint_version: env!("CARGO_PKG_VERSION").to_string(),
            as_of: self.inputs.as_of.format("%Y-%m-%d").to_string(),
            as_of_source: if self.inputs.as_of_from_config {
                "mapping".into()
            } else {
                "latest date in the data".into()
            },
            customers: self.features.customers(),
            customers_per_source: self.features.sources.clone(),
            ingest: self.inputs.report.clone(),
            features: self.features.specs.clone(),
            prepare: self.prepared.model.clone(),
        }
    }
}
