//! Exporters return bytes; [`write_files`] is the one place that writes them to disk.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use crate::cluster::sweep::{Candidate, KDistance};
use crate::error::{Error, PolarsContext, Result};
use crate::pipeline::{Assignment, Discovery, FeatureRun};
use crate::select::{Proposal, Ranking};

/// A file to write: name relative to the output folder, and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// A frame as Parquet bytes (zstd-compressed, statistics on).
pub fn parquet(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .finish(&mut df)
        .ctx("writing Parquet")?;
    Ok(buf)
}

/// A value as pretty JSON with a final newline.
pub fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::Data(format!("cannot write JSON: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// The outputs of `segmint features`: features.parquet, matrix.parquet, manifest.json.
pub fn feature_outputs(run: &FeatureRun) -> Result<Vec<OutputFile>> {
    Ok(vec![
        ("features.parquet".into(), parquet(&run.features.table)?),
        ("matrix.parquet".into(), parquet(&run.prepared.to_frame()?)?),
        ("manifest.json".into(), json(&run.manifest())?),
    ])
}

/// Writes files into `dir` (created if needed); returns the paths written.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// A frame as CSV bytes (comma, header, `.` decimals).
pub fn csv(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)
        .ctx("writing CSV")?;
    Ok(buf)
}

/// The assignments as a frame: customer_id, segment (1-based; empty when unassigned),
/// distance, silhouette.
pub fn assignment_frame(a: &Assignment) -> Result<DataFrame> {
    let seg: Vec<Option<u32>> = a.segment.iter().map(|s| s.map(|s| s as u32 + 1)).collect();
    DataFrame::new_infer_height(vec![
        Column::new("customer_id".into(), a.ids.clone()),
        Column::new("segment".into(), seg),
        Column::new("distance".into(), a.distance.clone()),
        Column::new("silhouette".into(), a.silhouette.clone()),
    ])
    .ctx("building assignments")
}

/// `candidates.json`: the proposal and every candidate with every score.
#[derive(Debug, Serialize)]
pub struct CandidatesFile<'a> {
    /// The selection, its reason, and what each index prefers.
    pub proposal: &'a Proposal,
    /// Every candidate.
    pub candidates: Vec<CandidateRow<'a>>,
    /// DBSCAN's k-distance curves (for the eps chart).
    pub k_distance: &'a [KDistance],
    /// Candidates that could not be fitted.
    pub skipped: &'a [String],
}

/// A candidate with its place in the selection.
#[derive(Debug, Serialize)]
pub struct CandidateRow<'a> {
    /// The candidate and its scores.
    #[serde(flatten)]
    pub candidate: &'a Candidate,
    /// Composite score, eligibility and the chosen mark.
    #[serde(flatten)]
    pub ranking: &'a Ranking,
}

fn candidate_frame(rows: &[CandidateRow]) -> Result<DataFrame> {
    let f =
        |g: &dyn Fn(&CandidateRow) -> Option<f64>| rows.iter().map(g).collect::<Vec<Option<f64>>>();
    DataFrame::new_infer_height(vec![
        Column::new(
            "id".into(),
            rows.iter()
                .map(|r| r.candidate.id.clone())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "algorithm".into(),
            rows.iter()
                .map(|r| r.candidate.algorithm.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "k".into(),
            rows.iter()
                .map(|r| r.candidate.k as u32)
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "seed".into(),
            rows.iter().map(|r| r.candidate.seed).collect::<Vec<_>>(),
        ),
        Column::new("eps".into(), f(&|r| r.candidate.eps)),
        Column::new(
            "min_samples".into(),
            rows.iter()
                .map(|r| r.candidate.min_samples.map(|m| m as u32))
                .collect::<Vec<_>>(),
        ),
        Column::new("inertia".into(), f(&|r| r.candidate.scores.inertia)),
        Column::new("silhouette".into(), f(&|r| r.candidate.scores.silhouette)),
        Column::new(
            "calinski_harabasz".into(),
            f(&|r| r.candidate.scores.calinski_harabasz),
        ),
        Column::new(
            "davies_bouldin".into(),
            f(&|r| r.candidate.scores.davies_bouldin),
        ),
        Column::new(
            "stability_seeds".into(),
            f(&|r| r.candidate.scores.stability_seeds),
        ),
        Column::new(
            "stability_bootstrap".into(),
            f(&|r| r.candidate.scores.stability_bootstrap),
        ),
        Column::new("stability".into(), f(&|r| r.candidate.scores.stability)),
        Column::new(
            "smallest_share".into(),
            f(&|r| Some(r.candidate.scores.smallest_share)),
        ),
        Column::new(
            "noise_share".into(),
            f(&|r| Some(r.candidate.scores.noise_share)),
        ),
        Column::new("composite".into(), f(&|r| r.ranking.composite)),
        Column::new(
            "eligible".into(),
            rows.iter().map(|r| r.ranking.eligible).collect::<Vec<_>>(),
        ),
        Column::new(
            "fails".into(),
            rows.iter()
                .map(|r| r.ranking.fails.join("; "))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "chosen".into(),
            rows.iter().map(|r| r.ranking.chosen).collect::<Vec<_>>(),
        ),
    ])
    .ctx("building the candidates table")
}

/// The outputs of `segmint discover`: the feature outputs, assignments (.parquet, .csv),
/// candidates (.json, .csv) and model.json.
pub fn discover_outputs(d: &Discovery) -> Result<Vec<OutputFile>> {
    let mut files = feature_outputs(&d.run)?;
    let a = assignment_frame(&d.assignment)?;
    files.push(("assignments.parquet".into(), parquet(&a)?));
    files.push(("assignments.csv".into(), csv(&a)?));
    let rows: Vec<CandidateRow> = d
        .sweep
        .candidates
        .iter()
        .zip(&d.proposal.rankings)
        .map(|(candidate, ranking)| CandidateRow { candidate, ranking })
        .collect();
    files.push(("candidates.csv".into(), csv(&candidate_frame(&rows)?)?));
    files.push((
        "candidates.json".into(),
        json(&CandidatesFile {
            proposal: &d.proposal,
            candidates: rows,
            k_distance: &d.sweep.k_distance,
            skipped: &d.sweep.skipped,
        })?,
    ));
    files.push(("model.json".into(), json(&d.model)?));
    Ok(files)
}
