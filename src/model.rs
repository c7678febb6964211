//! The domain types every stage shares: a customer's segment ([`SegmentId`]), the segments of
//! a set of customers ([`Assignment`]) and the fitted segmentation ([`SegmentModel`]) that
//! places new customers.
//!
//! Nothing here reads or writes files (the run folder's files are [`crate::run`]'s) and nothing
//! here sequences stages (that is [`crate::pipeline`]'s).

use std::collections::BTreeMap;

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use crate::cluster::pca::Pca;
use crate::cluster::sq_dist_row;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::prepare::PrepareModel;

/// A segment of a run: 0-based, numbered by size (largest first). Files and reports show it
/// 1-based ([`SegmentId::label`]); the customers no segment took have no id (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub usize);

impl SegmentId {
    /// The label files and reports use: `1`, `2`, ...
    pub fn label(self) -> String {
        (self.0 + 1).to_string()
    }

    /// Reads a label (`"3"` → segment index 2); `None` for anything else (`unassigned`,
    /// `all`, `0`).
    pub fn from_label(label: &str) -> Option<SegmentId> {
        match label.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Some(SegmentId(n - 1)),
            _ => None,
        }
    }

    /// The 0-based index.
    pub fn index(self) -> usize {
        self.0
    }
}

impl std::fmt::Display for SegmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0 + 1)
    }
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

impl Assignment {
    /// The segment of every customer in `ids` (e.g. a feature table's rows, in its order):
    /// the customer→segment join every stage uses. Every id must be assigned, and every
    /// assigned customer must be in `ids`; otherwise the files come from different runs.
    pub fn segments_of<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<Option<usize>>> {
        let of: BTreeMap<&str, Option<usize>> = self
            .ids
            .iter()
            .map(String::as_str)
            .zip(self.segment.iter().copied())
            .collect();
        let segment = ids
            .iter()
            .map(|id| {
                let id = id.as_ref();
                of.get(id).copied().ok_or_else(|| {
                    Error::Data(format!(
                        "customer {id:?} has features but no assignment: use the output folder of one discover run"
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if of.len() != ids.len() {
            return Err(Error::Data(format!(
                "{} customers are assigned but {} have features: use the output folder of one discover run",
                of.len(),
                ids.len()
            )));
        }
        Ok(segment)
    }
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

pub(crate) fn distances_to(
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
