//! `assignments.parquet` and `assignments.csv`: one row per customer — `customer_id`,
//! `segment` (1-based; empty when unassigned), `distance`, `silhouette`. Written by `discover`
//! and `assign`. Personal data (per customer): owner-only.

use std::path::Path;

use polars::prelude::*;

use super::{csv, names, parquet, read_parquet, Output, Stage};
use crate::config::CsvCopies;
use crate::error::{PolarsContext, Result};
use crate::model::{Assignment, SegmentId};

/// The assignments as a frame.
pub fn frame(a: &Assignment) -> Result<DataFrame> {
    let seg: Vec<Option<u32>> = a
        .segment
        .iter()
        .map(|s| s.map(|s| s.index() as u32 + 1))
        .collect();
    DataFrame::new_infer_height(vec![
        Column::new("customer_id".into(), a.ids.clone()),
        Column::new("segment".into(), seg),
        Column::new("distance".into(), a.distance.clone()),
        Column::new("silhouette".into(), a.silhouette.clone()),
    ])
    .ctx("building assignments")
}

/// The two files, owned by `stage` (discover or assign).
pub fn outputs(stage: Stage, a: &Assignment, copies: CsvCopies) -> Result<Vec<Output>> {
    let df = frame(a)?;
    let mut files = vec![Output::private(stage, names::ASSIGNMENTS, parquet(&df)?)];
    if copies.wanted(df.height()) {
        files.push(Output::private(stage, names::ASSIGNMENTS_CSV, csv(&df)?));
    }
    Ok(files)
}

/// Reads `assignments.parquet` of a run folder.
pub fn read(dir: &Path) -> Result<Assignment> {
    from_frame(&read_parquet(&dir.join(names::ASSIGNMENTS))?)
}

/// The assignments of a frame of [`frame`]'s columns (`segment` 1-based, empty when
/// unassigned).
pub fn from_frame(a: &DataFrame) -> Result<Assignment> {
    let ids: Vec<String> = a
        .column("customer_id")
        .and_then(|c| c.str().cloned())
        .ctx("reading assignments")?
        .iter()
        .map(|s| s.unwrap_or_default().to_string())
        .collect();
    let seg = a
        .column("segment")
        .and_then(|c| c.cast(&DataType::Int64))
        .ctx("reading assignments")?;
    let segment: Vec<Option<SegmentId>> = seg
        .i64()
        .ctx("reading assignments")?
        .iter()
        .map(|s| s.map(|s| SegmentId((s - 1) as usize)))
        .collect();
    let f64s = |name: &str| -> Result<Vec<Option<f64>>> {
        let c = a
            .column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .ctx("reading assignments")?;
        Ok(c.f64().ctx("reading assignments")?.iter().collect())
    };
    Ok(Assignment {
        ids,
        segment,
        distance: f64s("distance")?,
        silhouette: f64s("silhouette")?,
    })
}
