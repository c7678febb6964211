//! Clustering: k-means and DBSCAN candidates and their scores.

pub mod kmeans;
pub mod metrics;
