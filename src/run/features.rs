//! `features.parquet` (`customer_id` and one column per feature of the manifest's catalog) and
//! `matrix.parquet` (`customer_id` and the prepared, scaled columns). Written by `features`
//! and `discover`. Personal data (per customer): owner-only.

use std::path::Path;

use polars::prelude::*;

use super::{names, parquet, read_parquet, Manifest, Output, Stage};
use crate::error::Result;
use crate::features::Features;
use crate::prepare::Prepared;

/// The two files.
pub fn outputs(features: &Features, prepared: &Prepared) -> Result<Vec<Output>> {
    Ok(vec![
        Output::private(Stage::Features, names::FEATURES, parquet(&features.table)?),
        Output::private(
            Stage::Features,
            names::MATRIX,
            parquet(&prepared.to_frame()?)?,
        ),
    ])
}

/// Reads `features.parquet` of a run folder with the catalog of its manifest.
pub fn read(dir: &Path, manifest: &Manifest) -> Result<Features> {
    let table: DataFrame = read_parquet(&dir.join(names::FEATURES))?;
    Ok(Features {
        table,
        specs: manifest.features.clone(),
        sources: Vec::new(),
        as_of: manifest.as_of_date(&dir.join(names::MANIFEST))?,
    })
}
