//! `manifest.json`: what went in, what came out, and how. Written by `features` and
//! `discover`; its run id is the run id of the folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{json, names, read_json, Output, RunId, Stage, Stamped};
use crate::catalog::FeatureSpec;
use crate::error::{Error, Result};
use crate::ingest::IngestReport;
use crate::model::prepared::PrepareModel;
use crate::model::{FeatureLabels, SourceCount};

/// `manifest.json` (after its header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// segmint version that wrote it.
    pub segmint_version: String,
    /// Reference date.
    pub as_of: String,
    /// `mapping` or `latest date in the data`.
    #[serde(default)]
    pub as_of_source: String,
    /// Rows in features.parquet (one per customer).
    pub customers: usize,
    /// Customers per input table.
    #[serde(default)]
    pub customers_per_source: Vec<SourceCount>,
    /// Rows read, used and skipped per table, with reasons.
    pub ingest: IngestReport,
    /// The features, their groups, kinds and formulas.
    pub features: Vec<FeatureSpec>,
    /// Matrix columns and the transforms that produce them.
    pub prepare: PrepareModel,
    /// The mapping file of the run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<PathBuf>,
    /// The currency of the money (ISO 4217 code), when the mapping gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether the amounts include VAT, when the mapping states it (`vat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<crate::config::Vat>,
    /// Labels of features per report language (feature → language code → label), from the
    /// mapping's `[survey.labels]`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub feature_labels: FeatureLabels,
    /// Labels of the data's levels (categories, channels, regions) per report language
    /// (level as the feature names write it → language code → label), from the mapping's
    /// `[labels.levels]`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub level_labels: FeatureLabels,
}

impl Manifest {
    /// The reference date.
    pub fn as_of_date(&self, file: &Path) -> Result<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(&self.as_of, "%Y-%m-%d").map_err(|e| Error::Read {
            file: file.to_path_buf(),
            message: format!("as_of: {e}"),
        })
    }

    /// Whether the run had no cost data at all (no unit cost, margin column or default
    /// margin): cost of goods was taken as 0, so what the profiles call profit is revenue
    /// after returns and their handling ([`crate::model::RunNote::NoCost`]).
    pub fn no_cost(&self) -> bool {
        self.ingest.no_cost()
    }
}

/// The file.
pub fn output(run_id: &RunId, m: &Manifest) -> Result<Output> {
    Ok(Output::shared(
        Stage::Features,
        names::MANIFEST,
        json(&Stamped::new(run_id, m))?,
    ))
}

/// Reads `manifest.json` of a run folder, or says to run discover again (also when an earlier
/// segmint wrote it without the skip reasons' kinds).
pub fn read(dir: &Path) -> Result<Stamped<Manifest>> {
    let path = dir.join(names::MANIFEST);
    if !path.exists() {
        return Err(Error::Data(format!(
            "{} has no manifest.json: it is not a segmint run folder; give the output folder of `segmint discover` or `segmint run`",
            dir.display()
        )));
    }
    read_json(&path, "manifest.json").map_err(|e| match e {
        Error::Read { file, message } => Error::Read {
            message: format!(
                "{message}; if an earlier segmint wrote it, run `segmint discover` (or `segmint run`) again"
            ),
            file,
        },
        e => e,
    })
}
