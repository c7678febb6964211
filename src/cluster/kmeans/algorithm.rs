//! k-means: k-means++ initialisation and Lloyd iterations accelerated by Elkan's bounds
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

use crate::cluster::sq_dist as sq;

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
    // Reused across steps: fresh multi-megabyte buffers cost page faults every step.
    let mut next: Vec<f64> = Vec::with_capacity(n * trials);
    let mut cum: Vec<f64> = Vec::with_capacity(n);
    for _ in 1..k {
        let pot: f64 = closest.iter().sum();
        cum.clear();
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
        // One pass over the rows for all candidates (the pass is bound by memory reads):
        // per row, the distance to the nearest centre if each candidate were added.
        let t = candidates.len();
        next.resize(n * t, 0.0);
        let pots: Vec<Vec<f64>> = x
            .par_chunks(CHUNK * d)
            .zip(closest.par_chunks(CHUNK))
            .zip(next.par_chunks_mut(CHUNK * t))
            .map(|((rows, old), out)| {
                let mut p = vec![0.0; t];
                for ((r, &o), slot) in rows.chunks_exact(d).zip(old).zip(out.chunks_exact_mut(t)) {
                    for (j, &c) in candidates.iter().enumerate() {
                        let v = sq(r, &x[c * d..(c + 1) * d]).min(o);
                        slot[j] = v;
                        p[j] += v;
                    }
                }
                p
            })
            .collect();
        let mut pot_of = vec![0.0; t];
        for p in pots {
            pot_of.iter_mut().zip(&p).for_each(|(a, b)| *a += b);
        }
        let best = (0..t)
            .min_by(|&a, &b| pot_of[a].total_cmp(&pot_of[b]).then(a.cmp(&b)))
            .expect("at least one candidate");
        let c = candidates[best];
        centers.extend_from_slice(&x[c * d..(c + 1) * d]);
        closest
            .par_iter_mut()
            .zip(next.par_chunks(t))
            .for_each(|(c, s)| *c = s[best]);
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
    // One accumulator per column: independent additions pipeline.
    let mut var = vec![0.0; d];
    for r in x.chunks_exact(d) {
        for ((a, m), v) in var.iter_mut().zip(&mean).zip(r) {
            *a += (v - m) * (v - m);
        }
    }
    var.iter().sum::<f64>() / (n * d) as f64
}

/// Sums and counts of the rows per label. Partial sums over fixed chunks are added in chunk
/// order, so the result does not depend on how rayon splits the work.
fn sums(x: &[f64], d: usize, k: usize, labels: &[usize]) -> (Vec<f64>, Vec<usize>) {
    let parts: Vec<(Vec<f64>, Vec<usize>)> = x
        .par_chunks(CHUNK * d)
        .zip(labels.par_chunks(CHUNK))
        .map(|(rows, ls)| {
            let mut s = vec![0.0; k * d];
            let mut c = vec![0usize; k];
            for (r, &l) in rows.chunks_exact(d).zip(ls) {
                c[l] += 1;
                for (a, v) in s[l * d..(l + 1) * d].iter_mut().zip(r) {
                    *a += v;
                }
            }
            (s, c)
        })
        .collect();
    let mut s = vec![0.0; k * d];
    let mut c = vec![0usize; k];
    for (ps, pc) in parts {
        s.iter_mut().zip(&ps).for_each(|(a, b)| *a += b);
        c.iter_mut().zip(&pc).for_each(|(a, b)| *a += b);
    }
    (s, c)
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
        let rows = crate::cluster::row_major(&x);
        let data: &[f64] = &rows;
        if data
            .par_chunks(CHUNK * d)
            .any(|c| c.iter().any(|v| !v.is_finite()))
        {
            return Err(KMeansError::Data(
                "the matrix holds a non-finite value".into(),
            ));
        }
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
        let (centers, n_iter, converged, labels) = match self.batch_size {
            Some(b) => {
                let (c, i, conv) =
                    mini_batch(data, n, d, k, centers, b, self.max_iter, tol, &mut rng);
                (c, i, conv, None)
            }
            None => elkan(data, n, d, k, centers, self.max_iter, tol),
        };
        let (labels, inertia) = match labels {
            Some(labels) => {
                let parts: Vec<f64> = data
                    .par_chunks(CHUNK * d)
                    .zip(labels.par_chunks(CHUNK))
                    .map(|(rows, ls)| {
                        rows.chunks_exact(d)
                            .zip(ls)
                            .map(|(r, &l)| sq(r, &centers[l * d..(l + 1) * d]))
                            .sum::<f64>()
                    })
                    .collect();
                let inertia = parts.iter().sum();
                (labels, inertia)
            }
            None => assign(data, d, &centers),
        };
        Ok(KMeansModel {
            centroids: Array2::from_shape_vec((k, d), centers).expect("k × d centres"),
            labels,
            inertia,
            n_iter,
            converged,
        })
    }
}

/// Lloyd iterations with Elkan's bounds: per row an upper bound on the distance to its centre
/// and a lower bound on the distance to every other centre, so that after the first passes
/// most distances are never computed. Centre sums are kept up to date from the rows that
/// change label (merged in chunk order, so the result does not depend on rayon's splitting).
fn elkan(
    x: &[f64],
    n: usize,
    d: usize,
    k: usize,
    mut centers: Vec<f64>,
    max_iter: usize,
    tol: f64,
) -> (Vec<f64>, usize, bool, Option<Vec<usize>>) {
    let mut labels = vec![0usize; n];
    let mut upper = vec![0.0f64; n];
    let mut lower = vec![0.0f64; n * k];
    x.par_chunks(CHUNK * d)
        .zip(labels.par_chunks_mut(CHUNK))
        .zip(upper.par_chunks_mut(CHUNK))
        .zip(lower.par_chunks_mut(CHUNK * k))
        .for_each(|(((rows, ls), us), lows)| {
            for (((r, l), u), low) in rows
                .chunks_exact(d)
                .zip(ls.iter_mut())
                .zip(us.iter_mut())
                .zip(lows.chunks_exact_mut(k))
            {
                let mut best = (0, f64::INFINITY);
                for (j, c) in centers.chunks_exact(d).enumerate() {
                    let dj = sq(r, c).sqrt();
                    low[j] = dj;
                    if dj < best.1 {
                        best = (j, dj);
                    }
                }
                *l = best.0;
                *u = best.1;
            }
        });
    let (mut sum, mut counts) = sums(x, d, k, &labels);
    for iter in 1..=max_iter {
        let mut new = centers.clone();
        for j in 0..k {
            if counts[j] > 0 {
                for t in 0..d {
                    new[j * d + t] = sum[j * d + t] / counts[j] as f64;
                }
            }
        }
        let mut reset = false;
        for j in 0..k {
            if counts[j] == 0 {
                // Empty cluster: move its centre to the row farthest from its own centre.
                let far = (0..n)
                    .max_by(|&a, &b| upper[a].total_cmp(&upper[b]))
                    .unwrap_or(0);
                new[j * d..(j + 1) * d].copy_from_slice(&x[far * d..(far + 1) * d]);
                upper[far] = 0.0;
                reset = true;
            }
        }
        let shift: Vec<f64> = (0..k)
            .map(|j| sq(&centers[j * d..(j + 1) * d], &new[j * d..(j + 1) * d]).sqrt())
            .collect();
        let shift_sq: f64 = shift.iter().map(|p| p * p).sum();
        centers = new;
        // Converged: one more pass of the bounds labels every row with its nearest centre
        // (most rows without computing a distance), and the fit stops there.
        let last = shift_sq <= tol && !reset;
        // Half the distances between centres, and to the nearest other centre.
        let mut half = vec![0.0f64; k * k];
        for a in 0..k {
            for b in (a + 1)..k {
                let h = sq(&centers[a * d..(a + 1) * d], &centers[b * d..(b + 1) * d]).sqrt() / 2.0;
                half[a * k + b] = h;
                half[b * k + a] = h;
            }
        }
        let nearest_half: Vec<f64> = (0..k)
            .map(|a| {
                (0..k)
                    .filter(|&b| b != a)
                    .map(|b| half[a * k + b])
                    .fold(f64::INFINITY, f64::min)
            })
            .collect();
        type Delta = (usize, Vec<f64>, Vec<i64>);
        let deltas: Vec<Delta> = x
            .par_chunks(CHUNK * d)
            .zip(labels.par_chunks_mut(CHUNK))
            .zip(upper.par_chunks_mut(CHUNK))
            .zip(lower.par_chunks_mut(CHUNK * k))
            .map(|(((rows, ls), us), lows)| {
                let mut changed = 0;
                let mut ds: Vec<f64> = Vec::new();
                let mut dc: Vec<i64> = Vec::new();
                for (((r, l), u), low) in rows
                    .chunks_exact(d)
                    .zip(ls.iter_mut())
                    .zip(us.iter_mut())
                    .zip(lows.chunks_exact_mut(k))
                {
                    let old = *l;
                    if reset {
                        *u = f64::INFINITY;
                        low.iter_mut().for_each(|v| *v = 0.0);
                    } else {
                        *u += shift[old];
                        for (v, p) in low.iter_mut().zip(&shift) {
                            *v = (*v - p).max(0.0);
                        }
                    }
                    let mut a = old;
                    if *u <= nearest_half[a] {
                        continue;
                    }
                    let mut tight = false;
                    for j in 0..k {
                        if j == a || *u <= low[j] || *u <= half[a * k + j] {
                            continue;
                        }
                        if !tight {
                            *u = sq(r, &centers[a * d..(a + 1) * d]).sqrt();
                            low[a] = *u;
                            tight = true;
                            if *u <= low[j] || *u <= half[a * k + j] {
                                continue;
                            }
                        }
                        let dj = sq(r, &centers[j * d..(j + 1) * d]).sqrt();
                        low[j] = dj;
                        if dj < *u || (dj == *u && j < a) {
                            a = j;
                            *u = dj;
                        }
                    }
                    if a != old {
                        if ds.is_empty() {
                            ds = vec![0.0; k * d];
                            dc = vec![0; k];
                        }
                        for t in 0..d {
                            ds[old * d + t] -= r[t];
                            ds[a * d + t] += r[t];
                        }
                        dc[old] -= 1;
                        dc[a] += 1;
                        *l = a;
                        changed += 1;
                    }
                }
                (changed, ds, dc)
            })
            .collect();
        if last {
            return (centers, iter, true, Some(labels));
        }
        let mut changed = 0;
        for (c, ds, dc) in deltas {
            changed += c;
            if !ds.is_empty() {
                sum.iter_mut().zip(&ds).for_each(|(a, b)| *a += b);
                counts
                    .iter_mut()
                    .zip(&dc)
                    .for_each(|(a, b)| *a = (*a as i64 + b) as usize);
            }
        }
        if reset {
            (sum, counts) = sums(x, d, k, &labels);
        }
        if changed == 0 && !reset {
            // No label moved: the labels are the nearest centres of these centres, which are
            // the means of these labels.
            return (centers, iter, true, Some(labels));
        }
    }
    // Centres of the final labels, from exact sums.
    let (sum, counts) = sums(x, d, k, &labels);
    for j in 0..k {
        if counts[j] > 0 {
            for t in 0..d {
                centers[j * d + t] = sum[j * d + t] / counts[j] as f64;
            }
        }
    }
    (centers, max_iter, false, None)
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
