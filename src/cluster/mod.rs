//! Clustering: k-means and DBSCAN candidates and their scores.

pub mod dbscan;
pub mod kdtree;
pub mod kmeans;
pub mod metrics;
pub mod pca;
pub mod sweep;
