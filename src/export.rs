//! Exporters return bytes; [`write_files`] is the one place that writes them to disk.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use crate::cluster::sweep::{Candidate, KDistance};
use crate::error::{Error, PolarsContext, Result};
use crate::features::{FeatureSpec, Features};
use crate::pipeline::{Assignment, Discovery, FeatureRun};
use crate::profile::Profiles;
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
    /// Composite score, eligibility and the chosen mark (its `id` is the candidate's).
    #[serde(flatten)]
    pub ranking: RankingFields<'a>,
}

/// A ranking without its id, so that a candidate row has one `id` key.
#[derive(Debug, Serialize)]
pub struct RankingFields<'a> {
    /// Composite score.
    pub composite: Option<f64>,
    /// Every rule met.
    pub eligible: bool,
    /// The rules not met.
    pub fails: &'a [String],
    /// The proposal.
    pub chosen: bool,
}

impl<'a> From<&'a Ranking> for RankingFields<'a> {
    fn from(r: &'a Ranking) -> Self {
        RankingFields {
            composite: r.composite,
            eligible: r.eligible,
            fails: &r.fails,
            chosen: r.chosen,
        }
    }
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
        .map(|(candidate, ranking)| CandidateRow {
            candidate,
            ranking: ranking.into(),
        })
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

/// `segments.json`: the proposal and every segment's profile.
#[derive(Debug, Serialize)]
pub struct SegmentsFile<'a> {
    /// segmint version.
    pub segmint_version: &'a str,
    /// The profiles (base, segments, flagged customers).
    #[serde(flatten)]
    pub profiles: &'a Profiles,
}

/// The outputs of `segmint profile`: profiles (.parquet, .csv), segments.json and the flagged
/// customers (.parquet, .csv); with lookalike vectors attached, also
/// `lookalike/<id>-<name>.json` per segment.
pub fn profile_outputs(p: &Profiles) -> Result<Vec<OutputFile>> {
    let frame = p.frame()?;
    let flagged = p.flagged_frame()?;
    let mut files = Vec::new();
    if let Some(space) = &p.lookalike_space {
        for v in p.segments.iter().filter_map(|s| s.lookalike.as_ref()) {
            files.push((
                format!(
                    "lookalike/{}.json",
                    crate::lookalike::file_stem(&v.segment, &v.name)
                ),
                json(&crate::lookalike::vectors::LookalikeFile {
                    segmint_version: env!("CARGO_PKG_VERSION"),
                    vector: v,
                    space,
                })?,
            ));
        }
    }
    Ok([
        ("profiles.parquet".into(), parquet(&frame)?),
        ("profiles.csv".into(), csv(&frame)?),
        (
            "segments.json".into(),
            json(&SegmentsFile {
                segmint_version: env!("CARGO_PKG_VERSION"),
                profiles: p,
            })?,
        ),
        ("flagged_customers.parquet".into(), parquet(&flagged)?),
        ("flagged_customers.csv".into(), csv(&flagged)?),
    ]
    .into_iter()
    .chain(files)
    .collect())
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Read {
        file: path.to_path_buf(),
        message: format!("not a segmint {what}: {e}"),
    })
}

/// Reads `model.json`.
pub fn read_model(path: &Path) -> Result<crate::pipeline::SegmentModel> {
    read_json(path, "model.json")
}

/// Reads the segments and flagged customers of a profiled run (`segments.json` in `dir`).
pub fn read_segments(dir: &Path) -> Result<crate::lookalike::RunSegments> {
    read_json(&profiled(dir)?, "segments.json")
}

/// `segments.json` of a run, or an error saying how to profile the run first.
fn profiled(dir: &Path) -> Result<PathBuf> {
    let path = dir.join("segments.json");
    if !path.exists() {
        return Err(Error::Data(format!(
            "{} has no segments.json: profile the run first (`segmint profile --config mapping.toml --in {}`, or use `segmint run`)",
            dir.display(),
            dir.display()
        )));
    }
    Ok(path)
}

/// The mapping file a run recorded in its manifest.json, if any.
pub fn read_mapping_path(dir: &Path) -> Result<Option<PathBuf>> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        mapping: Option<PathBuf>,
    }
    let m: Manifest = read_json(&dir.join("manifest.json"), "manifest.json")?;
    Ok(m.mapping)
}

fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ParquetReader::new(file).finish().map_err(|e| Error::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Reads the features and assignments a `discover` run wrote into `dir`.
pub fn read_run(dir: &Path) -> Result<(Features, Assignment)> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read_to_string(&manifest_path).map_err(|source| Error::Io {
        path: manifest_path.clone(),
        source,
    })?;
    #[derive(serde::Deserialize)]
    struct Manifest {
        as_of: String,
        features: Vec<FeatureSpec>,
    }
    let m: Manifest = serde_json::from_str(&text).map_err(|e| Error::Read {
        file: manifest_path.clone(),
        message: format!("not a segmint manifest: {e}"),
    })?;
    let table = read_parquet(&dir.join("features.parquet"))?;
    let a = read_parquet(&dir.join("assignments.parquet"))?;
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
    let segment: Vec<Option<usize>> = seg
        .i64()
        .ctx("reading assignments")?
        .iter()
        .map(|s| s.map(|s| (s - 1) as usize))
        .collect();
    let f64s = |name: &str| -> Result<Vec<Option<f64>>> {
        let c = a
            .column(name)
            .and_then(|c| c.cast(&DataType::Float64))
            .ctx("reading assignments")?;
        Ok(c.f64().ctx("reading assignments")?.iter().collect())
    };
    let assignment = Assignment {
        ids,
        segment,
        distance: f64s("distance")?,
        silhouette: f64s("silhouette")?,
    };
    let as_of =
        chrono::NaiveDate::parse_from_str(&m.as_of, "%Y-%m-%d").map_err(|e| Error::Read {
            file: manifest_path,
            message: format!("as_of: {e}"),
        })?;
    Ok((
        Features {
            table,
            specs: m.features,
            sources: Vec::new(),
            as_of,
        },
        assignment,
    ))
}

/// Reads what the report needs from the output folder of a run (discover + profile):
/// manifest.json, candidates.json, segments.json, model.json, features.parquet and
/// assignments.parquet.
pub fn read_report_data(dir: &Path) -> Result<crate::report::RunData> {
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the run folder does not exist; give --in the output folder of `segmint run` (or of discover + profile)",
            ),
        });
    }
    let profiles_path = profiled(dir)?;
    let (features, assignment) = read_run(dir)?;
    Ok(crate::report::RunData {
        manifest: read_json(&dir.join("manifest.json"), "manifest.json")?,
        candidates: read_json(&dir.join("candidates.json"), "candidates.json")?,
        profiles: read_json(&profiles_path, "segments.json")?,
        model: read_model(&dir.join("model.json"))?,
        features,
        assignment,
    })
}

/// The outputs of `segmint report`: report.html, report.md, segments.json (the report's
/// content for machines) and every chart as `charts/<kind>.svg` and `charts/<kind>.png`.
pub fn report_outputs(
    report: &crate::report::Report,
    charts: &[crate::render::Chart],
) -> Result<Vec<OutputFile>> {
    let mut files = vec![
        (
            "report.html".to_string(),
            crate::report::html(report, charts).into_bytes(),
        ),
        (
            "report.md".to_string(),
            crate::report::markdown(report, charts).into_bytes(),
        ),
        ("segments.json".to_string(), json(report)?),
    ];
    for c in charts {
        files.push((
            format!("charts/{}.svg", c.kind.slug()),
            c.svg.clone().into_bytes(),
        ));
        files.push((format!("charts/{}.png", c.kind.slug()), c.png.clone()));
    }
    Ok(files)
}
