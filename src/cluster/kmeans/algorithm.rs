//! k-means: k-means++ initialisation and Lloyd iterations accelerated by Hamerly's bounds
//! (exact: the same result as plain Lloyd from the same start, with far fewer distance
//! computations once the centres settle), or mini-batch updates (Sculley 2010) for large data.
//!
//! Parallel: assignment passes split the rows over rayon's pool; sweeps run many fits at once
//! on the same pool, so a fit inside a sweep uses whatever cores are free.

use linfa::dataset::DatasetBase;
use linfa::traits::{Fit, PredictInplace};
use ndarray::{Array1, Array2, ArrayBase, ArrayView2, Data, Ix2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::errors::KMeansError;
use super::hyperparams::KMeansValidParams;

/// Rows per parallel work item.
const CHUNK: usize = 2048;

/// A fitted k-means model.
///
/// ```
/// use linfa::prelude::*;
/// use ndarray::array;
/// use segmint::cluster::kmeans::KMeansParams;
///
/// let x = array![[0.0, 0.0], [0.1, 0.0], [5.0, 5.0], [5.1, 5.0]];
/// let model = KMeansParams::new(2).seed(1).fit(&DatasetBase::from(x.clone())).unwrap();
/// let labels = model.predict(&x);
/// assert_eq!(labels[0], labels[1]);
/// assert_ne!(labels[0], labels[2]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansModel {
    /// Centroids, one row per cluster.
    pub centroids: Array2<f64>,
    /// Labels of the training rows.
    pub labels: Vec<usize>,
    /// Sum of squared distances of the training rows to their centroid.
    pub inertia: f64,
    /// Iterations (mini-batch: batches) run.
    pub n_iter: usize,
    /// Whether the tolerance was reached before `max_iter`.
    pub converged: bool,
}

#[inline]
fn sq(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        let d = x - y;
        s += d * d;
    }
    s
}

/// Nearest and second-nearest centre of a row: (index, squared distance, second squared distance).
#[inline]
fn nearest2(row: &[f64], centers: &[f64], d: usize) -> (usize, f64, f64) {
    let mut best = (0, f64::INFINITY);
    let mut second = f64::INFINITY;
    for (j, c) in centers.chunks_exact(d).enumerate() {
        let v = sq(row, c);
        if v < best.1 {
            second = best.1;
            best = (j, v);
        } else if v < second {
            second = v;
        }
    }
    (best.0, best.1, second)
}

/// Labels and inertia of rows against centres, exactly.
pub(crate) fn assign(x: &[f64], d: usize, centers: &[f64]) -> (Vec<usize>, f64) {
    let parts: Vec<(Vec<usize>, f64)> = x
        .par_chunks(CHUNK * d)
        .map(|rows| {
            let mut labels = Vec::with_capacity(rows.len() / d);
            let mut inertia = 0.0;
            for row in rows.chunks_exact(d) {
                let (j, v, _) = nearest2(row, centers, d);
                labels.push(j);
                inertia += v;
            }
            (labels, inertia)
        })
        .collect();
    let mut labels = Vec::with_capacity(x.len() / d);
    let mut inertia = 0.0;
    for (l, i) in parts {
        labels.extend(l);
        inertia += i;
    }
    (labels, inertia)
}

/// k-means++ with `2 + ln k` candidates per step, as scikit-learn.
fn plus_plus(x: &[f64], n: usize, d: usize, k: usize, rng: &mut ChaCha8Rng) -> Vec<f64> {
    let mut centers = Vec::with_capacity(k * d);
    let first = rng.gen_range(0..n);
    centers.extend_from_slice(&x[first * d..(first + 1) * d]);
    let mut closest: Vec<f64> = x.par_chunks(d).map(|r| sq(r, &centers[..d])).collect();
    let trials = 2 + (k as f64).ln() as usize;
    for _ in 1..k {
        let pot: f64 = closest.iter().sum();
        let mut cum = Vec::with_capacity(n);
        let mut acc = 0.0;
        for v in &closest {
            acc += v;
            cum.push(acc);
        }
        let candidates: Vec<usize> = (0..trials)
            .map(|_| {
                let r = rng.gen::<f64>() * pot;
                cum.partition_point(|&c| c < r).min(n - 1)
            })
            .collect();
        let mut best: Option<(f64, usize, Vec<f64>)> = None;
        for &c in &candidates {
            let cand = &x[c * d..(c + 1) * d];
            let dist: Vec<f64> = x
                .par_chunks(d)
                .zip(closest.par_iter())
                .map(|(r, &old)| sq(r, cand).min(old))
                .collect();
            let p: f64 = dist.iter().sum();
            if best.as_ref().is_none_or(|b| p < b.0) {
                best = Some((p, c, dist));
            }
        }
        let (_, c, dist) = best.expect("at least one candidate");
        centers.extend_from_slice(&x[c * d..(c + 1) * d]);
        closest = dist;
    }
    centers
}

/// Mean of the per-feature variances (scikit-learn's scale for the tolerance).
fn mean_variance(x: &[f64], n: usize, d: usize) -> f64 {
    let mut mean = vec![0.0; d];
    for r in x.chunks_exact(d) {
        for (m, v) in mean.iter_mut().zip(r) {
            *m += v;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut var = 0.0;
    for r in x.chunks_exact(d) {
        for (m, v) in mean.iter().zip(r) {
            var += (v - m) * (v - m);
        }
    }
    var / (n * d) as f64
}

/// Sums and counts of the rows per label.
fn sums(x: &[f64], d: usize, k: usize, labels: &[usize]) -> (Vec<f64>, Vec<usize>) {
    x.par_chunks(CHUNK * d)
        .zip(labels.par_chunks(CHUNK))
        .fold(
            || (vec![0.0; k * d], vec![0usize; k]),
            |(mut s, mut c), (rows, ls)| {
                for (r, &l) in rows.chunks_exact(d).zip(ls) {
                    c[l] += 1;
                    for (a, v) in s[l * d..(l + 1) * d].iter_mut().zip(r) {
                        *a += v;
                    }
                }
                (s, c)
            },
        )
        .reduce(
            || (vec![0.0; k * d], vec![0usize; k]),
            |(mut s1, mut c1), (s2, c2)| {
                s1.iter_mut().zip(&s2).for_each(|(a, b)| *a += b);
                c1.iter_mut().zip(&c2).for_each(|(a, b)| *a += b);
                (s1, c1)
            },
        )
}

impl KMeansValidParams {
    /// Fits on a row-major matrix view.
    pub fn fit_view(&self, x: ArrayView2<f64>) -> Result<KMeansModel, KMeansError> {
        let (n, d) = x.dim();
        let k = self.n_clusters;
        if n < k {
            return Err(KMeansError::Data(format!(
                "{n} rows cannot form {k} clusters"
            )));
        }
        if d == 0 {
            return Err(KMeansError::Data("the matrix has no column".into()));
        }
        if x.iter().any(|v| !v.is_finite()) {
            return Err(KMeansError::Data(
                "the matrix holds a non-finite value".into(),
            ));
        }
        let rows = crate::cluster::row_major(&x);
        let data: &[f64] = &rows;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let tol = self.tol * mean_variance(data, n, d);
        let centers = match &self.init {
            Some(c) => c.as_standard_layout().iter().cloned().collect(),
            None => match self.batch_size {
                Some(b) => {
                    // Initialise on a random subsample of 3 batches, as scikit-learn.
                    let m = (3 * b).max(k).min(n);
                    let idx = rand::seq::index::sample(&mut rng, n, m).into_vec();
                    let mut sub = Vec::with_capacity(m * d);
                    for i in idx {
                        sub.extend_from_slice(&data[i * d..(i + 1) * d]);
                    }
                    plus_plus(&sub, m, d, k, &mut rng)
                }
                None => plus_plus(data, n, d, k, &mut rng),
            },
        };
        let (centers, n_iter, converged) = match self.batch_size {
            Some(b) => mini_batch(data, n, d, k, centers, b, self.max_iter, tol, &mut rng),
            None => hamerly(data, n, d, k, centers, self.max_iter, tol),
        };
        let (labels, inertia) = assign(data, d, &centers);
        Ok(KMeansModel {
            centroids: Array2::from_shape_vec((k, d), centers).expect("k × d centres"),
            labels,
            inertia,
            n_iter,
            converged,
        })
    }
}

/// Lloyd iterations with Hamerly's upper and lower bounds.
fn hamerly(
    x: &[f64],
    n: usize,
    d: usize,
    k: usize,
    mut centers: Vec<f64>,
    max_iter: usize,
    tol: f64,
) -> (Vec<f64>, usize, bool) {
    // Per row: label, upper bound on the distance to its centre, lower bound on the distance
    // to any other centre (distances, not squared).
    let mut state: Vec<(usize, f64, f64)> = x
        .par_chunks(d)
        .map(|r| {
            let (j, a, b) = nearest2(r, &centers, d);
            (j, a.sqrt(), b.sqrt())
        })
        .collect();
    let mut labels: Vec<usize> = state.iter().map(|s| s.0).collect();
    for iter in 1..=max_iter {
        let (s, counts) = sums(x, d, k, &labels);
        let mut new = centers.clone();
        for j in 0..k {
            if counts[j] > 0 {
                for t in 0..d {
                    new[j * d + t] = s[j * d + t] / counts[j] as f64;
                }
            }
        }
        let mut reset = false;
        for j in 0..k {
            if counts[j] == 0 {
                // Empty cluster: move its centre to the row farthest from its own centre.
                let far = (0..n)
                    .max_by(|&a, &b| state[a].1.total_cmp(&state[b].1))
                    .unwrap_or(0);
                new[j * d..(j + 1) * d].copy_from_slice(&x[far * d..(far + 1) * d]);
                state[far].1 = 0.0;
                reset = true;
            }
        }
        let shift: Vec<f64> = (0..k)
            .map(|j| sq(&centers[j * d..(j + 1) * d], &new[j * d..(j + 1) * d]).sqrt())
            .collect();
        let shift_sq: f64 = shift.iter().map(|p| p * p).sum();
        centers = new;
        if shift_sq <= tol && !reset {
            return (centers, iter, true);
        }
        let (mut r1, mut r2) = (0, 0.0f64);
        let mut max1 = 0.0f64;
        for (j, &p) in shift.iter().enumerate() {
            if p > max1 {
                r2 = max1;
                max1 = p;
                r1 = j;
            } else if p > r2 {
                r2 = p;
            }
        }
        // Half the distance from each centre to its nearest other centre.
        let half: Vec<f64> = (0..k)
            .map(|j| {
                (0..k)
                    .filter(|&o| o != j)
                    .map(|o| sq(&centers[j * d..(j + 1) * d], &centers[o * d..(o + 1) * d]))
                    .fold(f64::INFINITY, f64::min)
                    .sqrt()
                    / 2.0
            })
            .collect();
        let changed: usize = x
            .par_chunks(CHUNK * d)
            .zip(state.par_chunks_mut(CHUNK))
            .map(|(rows, st)| {
                let mut changed = 0;
                for (r, s) in rows.chunks_exact(d).zip(st.iter_mut()) {
                    if reset {
                        s.1 = f64::INFINITY;
                        s.2 = 0.0;
                    } else {
                        s.1 += shift[s.0];
                        s.2 -= if s.0 == r1 { r2 } else { max1 };
                    }
                    let m = half[s.0].max(s.2);
                    if s.1 <= m {
                        continue;
                    }
                    s.1 = sq(r, &centers[s.0 * d..(s.0 + 1) * d]).sqrt();
                    if s.1 <= m {
                        continue;
                    }
                    let (j, a, b) = nearest2(r, &centers, d);
                    if j != s.0 {
                        changed += 1;
                    }
                    *s = (j, a.sqrt(), b.sqrt());
                }
                changed
            })
            .sum();
        labels
            .par_iter_mut()
            .zip(&state)
            .for_each(|(l, s)| *l = s.0);
        if changed == 0 && !reset {
            return (centers, iter, true);
        }
    }
    // Centres of the final labels.
    let (s, counts) = sums(x, d, k, &labels);
    for j in 0..k {
        if counts[j] > 0 {
            for t in 0..d {
                centers[j * d + t] = s[j * d + t] / counts[j] as f64;
            }
        }
    }
    (centers, max_iter, false)
}

/// Mini-batch k-means: per-centre learning rate 1 / (rows seen), stopping when the centres
/// move less than the tolerance over 10 batches in a row.
#[allow(clippy::too_many_arguments)]
fn mini_batch(
    x: &[f64],
    n: usize,
    d: usize,
    k: usize,
    mut centers: Vec<f64>,
    batch: usize,
    max_iter: usize,
    tol: f64,
    rng: &mut ChaCha8Rng,
) -> (Vec<f64>, usize, bool) {
    let mut counts = vec![0usize; k];
    let mut quiet = 0;
    for step in 1..=max_iter {
        let idx: Vec<usize> = (0..batch.min(n)).map(|_| rng.gen_range(0..n)).collect();
        let labels: Vec<usize> = idx
            .par_iter()
            .map(|&i| nearest2(&x[i * d..(i + 1) * d], &centers, d).0)
            .collect();
        let before = centers.clone();
        for (&i, &j) in idx.iter().zip(&labels) {
            counts[j] += 1;
            let eta = 1.0 / counts[j] as f64;
            for t in 0..d {
                let c = &mut centers[j * d + t];
                *c += eta * (x[i * d + t] - *c);
            }
        }
        let shift = sq(&before, &centers);
        quiet = if shift <= tol { quiet + 1 } else { 0 };
        if quiet >= 10 {
            return (centers, step, true);
        }
    }
    (centers, max_iter, false)
}

impl<D: Data<Elem = f64>, T> Fit<ArrayBase<D, Ix2>, T, KMeansError> for KMeansValidParams {
    type Object = KMeansModel;

    fn fit(&self, dataset: &DatasetBase<ArrayBase<D, Ix2>, T>) -> Result<KMeansModel, KMeansError> {
        self.fit_view(dataset.records().view())
    }
}

impl KMeansModel {
    /// Number of clusters.
    pub fn k(&self) -> usize {
        self.centroids.nrows()
    }

    /// Labels and squared distances of new rows.
    pub fn assign(&self, x: ArrayView2<f64>) -> (Vec<usize>, Vec<f64>) {
        let d = self.centroids.ncols();
        let c = self.centroids.as_standard_layout();
        let centers = c.as_slice().expect("standard layout");
        x.outer_iter()
            .map(|row| {
                let r = row.to_vec();
                let (j, v, _) = nearest2(&r, centers, d);
                (j, v)
            })
            .unzip()
    }
}

impl<D: Data<Elem = f64>> PredictInplace<ArrayBase<D, Ix2>, Array1<usize>> for KMeansModel {
    fn predict_inplace(&self, x: &ArrayBase<D, Ix2>, y: &mut Array1<usize>) {
        let (labels, _) = self.assign(x.view());
        for (o, l) in y.iter_mut().zip(labels) {
            *o = l;
        }
    }

    fn default_target(&self, x: &ArrayBase<D, Ix2>) -> Array1<usize> {
        Array1::zeros(x.nrows())
    }
}
