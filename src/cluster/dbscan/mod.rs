//! DBSCAN with linfa's API shape: [`DbscanParams`] → `check()` → `fit()` → [`DbscanModel`].

mod algorithm;
mod errors;
mod hyperparams;

pub use algorithm::{k_distances, DbscanModel};
pub use errors::DbscanError;
pub use hyperparams::{DbscanParams, DbscanValidParams};
