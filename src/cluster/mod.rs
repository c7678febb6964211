//! Clustering: k-means and DBSCAN candidates and their scores.

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
