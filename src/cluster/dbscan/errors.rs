//! DBSCAN errors.

/// What can stop a DBSCAN fit.
#[derive(Debug, thiserror::Error)]
pub enum DbscanError {
    /// Invalid hyperparameters.
    #[error("DBSCAN parameters: {0}")]
    Params(String),
    /// The data cannot be clustered.
    #[error("DBSCAN: {0}")]
    Data(String),
    /// An error of linfa's.
    #[error(transparent)]
    Linfa(#[from] linfa::Error),
}
