//! DBSCAN hyperparameters, checked before fitting.

use linfa::ParamGuard;

use super::errors::DbscanError;

/// Checked DBSCAN hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbscanValidParams {
    pub(crate) eps: f64,
    pub(crate) min_samples: usize,
}

/// DBSCAN hyperparameters: neighbourhood radius `eps` and `min_samples`, the number of rows
/// (the row itself included, as scikit-learn) within `eps` that make a row a core row.
///
/// ```
/// use linfa::ParamGuard;
/// use segmint::cluster::dbscan::DbscanParams;
/// assert!(DbscanParams::new(0.5, 5).check().is_ok());
/// assert!(DbscanParams::new(-1.0, 5).check().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbscanParams(DbscanValidParams);

impl DbscanParams {
    /// Radius and minimum neighbourhood size.
    pub fn new(eps: f64, min_samples: usize) -> Self {
        DbscanParams(DbscanValidParams { eps, min_samples })
    }
}

impl DbscanValidParams {
    /// Radius.
    pub fn eps(&self) -> f64 {
        self.eps
    }
    /// Minimum neighbourhood size.
    pub fn min_samples(&self) -> usize {
        self.min_samples
    }
}

impl ParamGuard for DbscanParams {
    type Checked = DbscanValidParams;
    type Error = DbscanError;

    fn check_ref(&self) -> Result<&DbscanValidParams, DbscanError> {
        let p = &self.0;
        if !(p.eps.is_finite() && p.eps > 0.0) {
            return Err(DbscanError::Params(format!(
                "eps = {}: the radius must be a positive number",
                p.eps
            )));
        }
        if p.min_samples < 2 {
            return Err(DbscanError::Params(format!(
                "min_samples = {}: at least 2 are needed for a neighbourhood",
                p.min_samples
            )));
        }
        Ok(p)
    }

    fn check(self) -> Result<DbscanValidParams, DbscanError> {
        self.check_ref()?;
        Ok(self.0)
    }
}
