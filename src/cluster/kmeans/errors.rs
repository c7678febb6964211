//! k-means errors.

/// What can stop a k-means fit.
#[derive(Debug, thiserror::Error)]
pub enum KMeansError {
    /// Invalid hyperparameters.
    #[error("k-means parameters: {0}")]
    Params(String),
    /// The data cannot be clustered as asked.
    #[error("k-means: {0}")]
    Data(String),
    /// An error of linfa's.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}
