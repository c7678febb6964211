//! k-means with linfa's API shape: [`KMeansParams`] → `check()` → `fit()` → [`KMeansModel`].

mod algorithm;
mod errors;
mod hyperparams;

pub use algorithm::KMeansModel;
pub use errors::KMeansError;
pub use hyperparams::{KMeansParams, KMeansValidParams};
