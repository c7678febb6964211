//! k-means hyperparameters, checked before fitting (linfa's `ParamGuard`).

use linfa::ParamGuard;

use super::errors::KMeansError;

/// Checked k-means hyperparameters. Build them through [`KMeansParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansValidParams {
    pub(crate) n_clusters: usize,
    pub(crate) max_iter: usize,
    pub(crate) tol: f64,
    pub(crate) seed: u64,
    pub(crate) batch_size: Option<usize>,
    pub(crate) init: Option<ndarray::Array2<f64>>,
}

/// k-means hyperparameters (unchecked). Defaults: 300 iterations, tolerance 1e-4 (relative to
/// the mean feature variance, as scikit-learn), k-means++ initialisation, full-batch Lloyd
/// iterations accelerated with Elkan's bounds.
///
/// ```
/// use linfa::ParamGuard;
/// use segmint::cluster::kmeans::KMeansParams;
/// assert!(KMeansParams::new(0).check().is_err());
/// assert!(KMeansParams::new(4).seed(7).check().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansParams(KMeansValidParams);

impl KMeansParams {
    /// k clusters.
    pub fn new(n_clusters: usize) -> Self {
        KMeansParams(KMeansValidParams {
            n_clusters,
            max_iter: 300,
            tol: 1e-4,
            seed: 0,
            batch_size: None,
            init: None,
        })
    }
    /// Maximum number of iterations (mini-batch: number of batches).
    pub fn max_iter(mut self, n: usize) -> Self {
        self.0.max_iter = n;
        self
    }
    /// Convergence tolerance: stop when the sum of squared centre shifts is at most `tol` times
    /// the mean feature variance.
    pub fn tol(mut self, tol: f64) -> Self {
        self.0.tol = tol;
        self
    }
    /// Seed of the k-means++ initialisation (and of the batches).
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }
    /// Fit with mini-batches of this size instead of full passes.
    pub fn mini_batch(mut self, batch_size: Option<usize>) -> Self {
        self.0.batch_size = batch_size;
        self
    }
    /// Start from these centroids instead of k-means++.
    pub fn init_centroids(mut self, centroids: ndarray::Array2<f64>) -> Self {
        self.0.init = Some(centroids);
        self
    }
}

impl KMeansValidParams {
    /// k.
    pub fn n_clusters(&self) -> usize {
        self.n_clusters
    }
    /// Seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }
}

impl ParamGuard for KMeansParams {
    type Checked = KMeansValidParams;
    type Error = KMeansError;

    fn check_ref(&self) -> Result<&KMeansValidParams, KMeansError> {
        let p = &self.0;
        if p.n_clusters == 0 {
            return Err(KMeansError::Params("k must be at least 1".into()));
        }
        if p.max_iter == 0 {
            return Err(KMeansError::Params("max_iter must be at least 1".into()));
        }
        if !(p.tol.is_finite() && p.tol >= 0.0) {
            return Err(KMeansError::Params(format!(
                "tol = {}: the tolerance must be finite and not negative",
                p.tol
            )));
        }
        if p.batch_size == Some(0) {
            return Err(KMeansError::Params(
                "the mini-batch size must be at least 1".into(),
            ));
        }
        if let Some(c) = &p.init {
            if c.nrows() != p.n_clusters {
                return Err(KMeansError::Params(format!(
                    "{} initial centroids given for k = {}",
                    c.nrows(),
                    p.n_clusters
                )));
            }
        }
        Ok(p)
    }

    fn check(self) -> Result<KMeansValidParams, KMeansError> {
        self.check_ref()?;
        Ok(self.0)
    }
}
