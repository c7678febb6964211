//! `model.json`: the fitted segmentation ([`SegmentModel`]: features → matrix transforms,
//! centroids, DBSCAN's core rows) that `assign` and `score` place new customers with. Written by
//! `discover`. No personal data (DBSCAN's core rows are matrix coordinates without ids).

use std::path::Path;

use super::{json, names, read_json, Output, RunId, Stage, Stamped};
use crate::error::Result;
use crate::model::SegmentModel;

/// The file.
pub fn output(run_id: &RunId, model: &SegmentModel) -> Result<Output> {
    Ok(Output::shared(
        Stage::Discover,
        names::MODEL,
        json(&Stamped::new(run_id, model))?,
    ))
}

/// Reads a `model.json` (any path).
pub fn read(path: &Path) -> Result<Stamped<SegmentModel>> {
    read_json(path, "model.json")
}
