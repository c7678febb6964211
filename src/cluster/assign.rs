//! Placing customers into the segments of a saved model ([`SegmentModel`]): k-means by the
//! nearest centroid, DBSCAN by the nearest core customer within eps in principal-component
//! space; with each customer's distance to its centroid and its silhouette against the
//! centroids.

use ndarray::ArrayView2;

use super::sq_dist_row;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::model::{Assignment, SegmentId, SegmentModel};

pub(crate) fn distances_to(
    x: ArrayView2<f64>,
    centroids: &[Vec<f64>],
    seg: &[Option<SegmentId>],
) -> (Vec<Option<f64>>, Vec<Option<f64>>) {
    x.rows()
        .into_iter()
        .zip(seg)
        .map(|(row, s)| {
            let Some(SegmentId(s)) = *s else {
                return (None, None);
            };
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
        let segment: Vec<Option<SegmentId>> = match &self.dbscan {
            None => x
                .rows()
                .into_iter()
                .map(|row| {
                    self.centroids
                        .iter()
                        .enumerate()
                        .map(|(j, c)| (j, sq_dist_row(row, c)))
                        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                        .map(|(j, _)| SegmentId(j))
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
                            .map(|(s, _)| SegmentId(s))
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
