//! DBSCAN over a k-d tree. Memory stays O(n): core rows are found by counting neighbours
//! (stopping at `min_samples`), and clusters grow by a breadth-first walk that visits each
//! core row's neighbourhood once without storing neighbourhoods.
//!
//! Parallel: the core-row counts (most of the work) run over rayon's pool.

use linfa::dataset::DatasetBase;
use linfa::traits::Fit;
use ndarray::{ArrayBase, ArrayView2, Data, Ix2};
use rayon::prelude::*;

use super::errors::DbscanError;
use super::hyperparams::DbscanValidParams;
use crate::cluster::kdtree::KdTree;

/// A DBSCAN result: a label per row, `None` for noise.
#[derive(Debug, Clone, PartialEq)]
pub struct DbscanModel {
    /// Cluster of each row (numbered in order of the lowest row index), `None` for noise.
    pub labels: Vec<Option<usize>>,
    /// Whether each row is a core row.
    pub core: Vec<bool>,
    /// Number of clusters.
    pub n_clusters: usize,
}

impl DbscanValidParams {
    /// Clusters the rows of a matrix.
    pub fn fit_view(&self, x: ArrayView2<f64>) -> Result<DbscanModel, DbscanError> {
        if x.iter().any(|v| !v.is_finite()) {
            return Err(DbscanError::Data(
                "the matrix holds a non-finite value".into(),
            ));
        }
        let (n, d) = x.dim();
        let rows = crate::cluster::row_major(&x);
        let data: &[f64] = &rows;
        let tree = KdTree::new(data, d);
        let r2 = self.eps * self.eps;
        let core: Vec<bool> = (0..n)
            .into_par_iter()
            .map(|i| {
                tree.count_within(&data[i * d..(i + 1) * d], r2, self.min_samples)
                    >= self.min_samples
            })
            .collect();
        // Breadth-first growth from each unlabelled core row. Labelled rows are closed in the
        // tree, so the walks skip regions that are done: each row is labelled once and dense
        // regions are not searched again and again.
        let mut labels: Vec<Option<usize>> = vec![None; n];
        let mut open = tree.open_rows();
        let mut next = 0;
        let mut queue: Vec<usize> = Vec::new();
        let mut found: Vec<usize> = Vec::new();
        for start in 0..n {
            if !core[start] || labels[start].is_some() {
                continue;
            }
            labels[start] = Some(next);
            tree.close(&mut open, start);
            queue.push(start);
            while let Some(p) = queue.pop() {
                found.clear();
                tree.within_open(&data[p * d..(p + 1) * d], r2, &open, &mut |q| found.push(q));
                for &q in &found {
                    labels[q] = Some(next);
                    tree.close(&mut open, q);
                    if core[q] {
                        queue.push(q);
                    }
                }
            }
            next += 1;
        }
        Ok(DbscanModel {
            labels,
            core,
            n_clusters: next,
        })
    }
}

impl<D: Data<Elem = f64>, T> Fit<ArrayBase<D, Ix2>, T, DbscanError> for DbscanValidParams {
    type Object = DbscanModel;

    fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<DbscanModel, DbscanError> {
        self.fit_view(dataset.records().view())
    }
}

/// Distance of each row to its `k`-th nearest row (the row itself counted first), sorted
/// ascending: the k-distance curve whose knee suggests `eps`.
pub fn k_distances(x: ArrayView2<f64>, rows: &[usize], k: usize) -> Vec<f64> {
    let (_, d) = x.dim();
    let owned = x.as_standard_layout().into_owned();
    let data = owned.as_slice().expect("standard layout");
    let tree = KdTree::new(data, d);
    let mut v: Vec<f64> = rows
        .par_iter()
        .map(|&i| tree.kth_distance(&data[i * d..(i + 1) * d], k))
        .collect();
    v.sort_by(f64::total_cmp);
    v
}
