//! Clustering: k-means and DBSCAN candidates and their scores, and the placing of customers
//! into a fitted model's segments ([`assign`]).

pub mod assign;
pub mod dbscan;
pub mod kdtree;
pub mod kmeans;
pub mod metrics;
pub mod pca;
pub mod sweep;

use std::borrow::Cow;

use ndarray::ArrayView2;

/// The rows of a matrix as one row-major slice, borrowed when the view already is one.
pub(crate) fn row_major<'a>(x: &'a ArrayView2<'_, f64>) -> Cow<'a, [f64]> {
    match x.as_slice() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(x.as_standard_layout().iter().copied().collect()),
    }
}

/// Squared Euclidean distance of a matrix row to a point (the same summation as the
/// k-means kernel, so a nearest-centre search gives the kernel's labels).
pub(crate) fn sq_dist_row(a: ndarray::ArrayView1<f64>, b: &[f64]) -> f64 {
    match a.as_slice() {
        Some(a) => sq_dist(a, b),
        None => sq_dist(&a.to_vec(), b),
    }
}

/// Squared Euclidean distance. Four independent accumulators let the compiler pipeline and
/// vectorise the loop (a single running sum serialises every addition).
#[inline]
pub(crate) fn sq_dist(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for j in 0..4 {
            let d = x[j] - y[j];
            acc[j] += d * d;
        }
    }
    let mut tail = 0.0;
    for (x, y) in ra.iter().zip(rb) {
        let d = x - y;
        tail += d * d;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}
