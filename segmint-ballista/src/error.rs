//! Errors of the distributed path: each says what failed and what to do.

use std::path::PathBuf;

/// An error of `segmint-ballista`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// segmint's own stages (mapping, ingest, model) failed.
    #[error(transparent)]
    Segmint(#[from] segmint::Error),
    /// A DataFusion plan failed to build or run on the cluster.
    #[error(
        "{context}: {source} (check that the scheduler is reachable and that every executor sees the input paths)"
    )]
    DataFusion {
        /// What was being done.
        context: String,
        /// DataFusion's error.
        #[source]
        source: datafusion::error::DataFusionError,
    },
    /// polars failed while writing the canonical tables.
    #[error("{context}: {source}")]
    Polars {
        /// What was being done.
        context: String,
        /// polars' error.
        #[source]
        source: polars::error::PolarsError,
    },
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// The input is not what the distributed path expects.
    #[error("{0}")]
    Input(String),
    /// The sweep on the sample proposed a DBSCAN candidate, which has no centroids for the
    /// cluster to refine and assign to.
    #[error(
        "the sweep on the sample chose {candidate}, a DBSCAN segmentation: the cluster refines and assigns centroids only; force k-means (--k K, or --kmeans for the best k-means candidate), or run `segmint discover` on one machine"
    )]
    Dbscan {
        /// The chosen candidate.
        candidate: String,
    },
    /// A scheduler or executor process failed.
    #[error("{0}")]
    Server(String),
}

/// A result of `segmint-ballista`.
pub type Result<T> = std::result::Result<T, Error>;

/// Attaches context to DataFusion and polars errors.
pub(crate) trait Context<T> {
    fn ctx(self, context: &str) -> Result<T>;
}

impl<T> Context<T> for std::result::Result<T, datafusion::error::DataFusionError> {
    fn ctx(self, context: &str) -> Result<T> {
        self.map_err(|source| Error::DataFusion {
            context: context.to_string(),
            source,
        })
    }
}

impl<T> Context<T> for std::result::Result<T, datafusion::arrow::error::ArrowError> {
    fn ctx(self, context: &str) -> Result<T> {
        self.map_err(datafusion::error::DataFusionError::from)
            .ctx(context)
    }
}

impl<T> Context<T> for std::result::Result<T, polars::error::PolarsError> {
    fn ctx(self, context: &str) -> Result<T> {
        self.map_err(|source| Error::Polars {
            context: context.to_string(),
            source,
        })
    }
}

pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Io { path, source }
}
