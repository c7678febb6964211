//! The stages run in order, as one call per command.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::cluster::metrics::centroids;
use crate::cluster::pca::Pca;
use crate::cluster::sq_dist_row;
use crate::cluster::sweep::{sweep, Algorithm, Progress, Sweep};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::features::{self, FeatureSpec, Features, SourceCount};
use crate::ingest::{IngestReport, Inputs};
use crate::prepare::{self, PrepareModel, Prepared};
use crate::select::{relabel, select, Overrides, Proposal};

/// The output of ingest → features → prepare.
#[derive(Debug, Clone)]
pub struct FeatureRun {
    /// Canonical inputs (also holds the personal data for later seed exports).
    pub inputs: Inputs,
    /// Raw features.
    pub features: Features,
    /// The clustering matrix.
    pub prepared: Prepared,
    /// The mapping file (absolute when it could be resolved), recorded in the manifest so
    /// that `segmint seeds` can re-read the customers table without `--config`.
    pub mapping: Option<std::path::PathBuf>,
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
        mapping: Some(std::fs::canonicalize(&config.source).unwrap_or(config.source.clone())),
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
    /// The mapping file of the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping: Option<std::path::PathBuf>,
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
            mapping: self.mapping.clone(),
        }
    }
}

/// The output of the discover stage.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// Ingest, features and matrix.
    pub run: FeatureRun,
    /// Every candidate with its scores.
    pub sweep: Sweep,
    /// The selection.
    pub proposal: Proposal,
    /// The chosen segmentation, per matrix row.
    pub assignment: Assignment,
    /// What `assign` needs to place new customers.
    pub model: SegmentModel,
}

/// Segments of customers.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Customer ids, in matrix row order.
    pub ids: Vec<String>,
    /// Segment (0-based, by size) or `None` when unassigned.
    pub segment: Vec<Option<usize>>,
    /// Euclidean distance to the segment's centroid in the matrix space.
    pub distance: Vec<Option<f64>>,
    /// Centroid silhouette: (b − a) / max(a, b), a the distance to the own centroid and b to
    /// the nearest other centroid.
    pub silhouette: Vec<Option<f64>>,
}

/// The model file (`model.json`): features, transforms and the segment geometry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentModel {
    /// segmint version that wrote it.
    pub segmint_version: String,
    /// The chosen candidate.
    pub candidate: String,
    /// Algorithm.
    pub algorithm: String,
    /// Number of segments.
    pub k: usize,
    /// Seed of the run.
    pub seed: u64,
    /// Matrix columns.
    pub columns: Vec<String>,
    /// The prepare transforms (features → matrix).
    pub prepare: PrepareModel,
    /// Centroid of each segment in the matrix space (row = segment id).
    pub centroids: Vec<Vec<f64>>,
    /// DBSCAN only: how to place new customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbscan: Option<DbscanGeometry>,
}

/// DBSCAN's geometry: a new customer joins the segment of the nearest core row within eps
/// (in principal-component space), else stays unassigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbscanGeometry {
    /// Projection.
    pub pca: Pca,
    /// Radius.
    pub eps: f64,
    /// min_samples.
    pub min_samples: usize,
    /// Core rows in principal-component space.
    pub core_points: Vec<Vec<f64>>,
    /// Segment of each core row.
    pub core_segments: Vec<usize>,
}

fn distances_to(
    x: ArrayView2<f64>,
    centroids: &[Vec<f64>],
    seg: &[Option<usize>],
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    x.rows()
        .into_iter()
        .zip(seg)
        .map(|(row, s)| {
            let Some(s) = *s else { return (None, None) };
            let d: Vec<f64> = centroids
                .iter()
                .map(|c| sq_dist_row(row, c).sqrt())
                .collect();
            let a = d[s];
            let b = d
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != s)
                .map(|(_, v)| *v)
                .fold(f64::INFINITY, f64::min);
            let sil = if b.is_finite() && a.max(b) > 0.0 {
                Some((b - a) / a.max(b))
            } else {
                Some(0.0)
            };
            (Some(a), sil)
        })
        .unzip()
}

/// Runs ingest → features → prepare → candidates → selection.
pub fn discover(config: &Config, over: Overrides, progress: &dyn Progress) -> Result<Discovery> {
    let mut run = run_features(config)?;
    // k fitted to the data (and a forced k); the notes go to the manifest and the summary.
    let (fitted, notes) = config
        .mapping
        .cluster
        .fit_to(run.prepared.matrix.nrows(), over.k)?;
    run.inputs.report.warnings.extend(notes);
    let opts = &fitted;
    let x = run.prepared.matrix.view();
    let sweep = sweep(x, opts, progress)?;
    let proposal = select(&sweep, opts, over)?;
    let chosen = sweep
        .candidates
        .iter()
        .find(|c| c.id == proposal.chosen)
        .expect("the proposal is a candidate");
    let (segment, _) = relabel(x, &chosen.labels);
    let (cent, _) = centroids(x, &segment);
    let centroids: Vec<Vec<f64>> = cent.rows().into_iter().map(|r| r.to_vec()).collect();
    let (distance, silhouette) = distances_to(x, &centroids, &segment);
    let dbscan = match (chosen.algorithm, &sweep.pca) {
        (Algorithm::Dbscan, Some(pca)) => {
            // The core rows the sweep found; their coordinates in the sweep's PC space.
            let z = pca.transform(x);
            let mut core_points = Vec::new();
            let mut core_segments = Vec::new();
            for (i, &is_core) in chosen.core.iter().enumerate() {
                if let (true, Some(s)) = (is_core, segment[i]) {
                    core_points.push(z.row(i).to_vec());
                    core_segments.push(s);
                }
            }
            Some(DbscanGeometry {
                pca: pca.clone(),
                eps: chosen.eps.unwrap_or(1.0),
                min_samples: chosen.min_samples.unwrap_or(5),
                core_points,
                core_segments,
            })
        }
        _ => None,
    };
    let model = SegmentModel {
        segmint_version: env!("CARGO_PKG_VERSION").to_string(),
        candidate: chosen.id.clone(),
        algorithm: chosen.algorithm.to_string(),
        k: centroids.len(),
        seed: opts.seed,
        columns: run.prepared.model.names(),
        prepare: run.prepared.model.clone(),
        centroids,
        dbscan,
    };
    let assignment = Assignment {
        ids: run.prepared.ids.clone(),
        segment,
        distance,
        silhouette,
    };
    Ok(Discovery {
        run,
        sweep,
        proposal,
        assignment,
        model,
    })
}

impl SegmentModel {
    /// Places the customers of a feature table into the model's segments.
    pub fn assign(&self, features: &Features) -> Result<Assignment> {
        let x = self.prepare.transform(&features.table)?;
        let ids: Vec<String> = features
            .table
            .column("customer_id")
            .and_then(|c| c.str().cloned())
            .map_err(|e| Error::Data(format!("feature table without customer ids: {e}")))?
            .iter()
            .map(|s| s.unwrap_or_default().to_string())
            .collect();
        let segment: Vec<Option<usize>> = match &self.dbscan {
            None => x
                .rows()
                .into_iter()
                .map(|row| {
                    self.centroids
                        .iter()
                        .enumerate()
                        .map(|(j, c)| (j, sq_dist_row(row, c)))
                        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                        .map(|(j, _)| j)
                })
                .collect(),
            Some(g) => {
                let z = g.pca.transform(x.view());
                z.rows()
                    .into_iter()
                    .map(|row| {
                        g.core_points
                            .iter()
                            .zip(&g.core_segments)
                            .map(|(p, &s)| (s, sq_dist_row(row, p)))
                            .filter(|(_, d)| *d <= g.eps * g.eps)
                            .min_by(|a, b| a.1.total_cmp(&b.1))
                            .map(|(s, _)| s)
                    })
                    .collect()
            }
        };
        let (distance, silhouette) = distances_to(x.view(), &self.centroids, &segment);
        Ok(Assignment {
            ids,
            segment,
            distance,
            silhouette,
        })
    }
}
