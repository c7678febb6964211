//! Principal components of the matrix (covariance eigen-decomposition by cyclic Jacobi
//! rotations: the matrices are small, d ≤ a few hundred, and this keeps the build free of a
//! linear-algebra backend). Used to give DBSCAN a low-dimensional space and to draw the
//! segment map.

pub use crate::model::Pca;
use ndarray::{Array1, Array2, ArrayView2, Axis};

/// Eigenvalues (descending) and eigenvectors (columns) of a symmetric matrix.
pub fn symmetric_eigen(a: &Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut a = a.clone();
    let mut v = Array2::<f64>::eye(n);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                let apq = a[[p, q]];
                if apq.abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * apq);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let akp = a[[k, p]];
                    let akq = a[[k, q]];
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let apk = a[[p, k]];
                    let aqk = a[[q, k]];
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let vkp = v[[k, p]];
                    let vkq = v[[k, q]];
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| a[[j, j]].total_cmp(&a[[i, i]]).then(i.cmp(&j)));
    let values = order.iter().map(|&i| a[[i, i]].max(0.0)).collect();
    let vectors = v.select(Axis(1), &order);
    (values, vectors)
}

impl Pca {
    /// Fits on `x` and keeps the fewest components that explain `share` of the variance, at
    /// least `min` and at most `max` (and at most the number of columns).
    pub fn fit(x: ArrayView2<f64>, share: f64, min: usize, max: usize) -> Pca {
        let (n, d) = x.dim();
        let mean: Array1<f64> = x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(d));
        let centered = &x - &mean;
        let cov = centered.t().dot(&centered) / (n.max(1) as f64);
        let (values, vectors) = symmetric_eigen(&cov);
        let total: f64 = values.iter().sum();
        let mut keep = 0;
        let mut acc = 0.0;
        while keep < d && keep < max && (keep < min || acc < share * total) {
            acc += values[keep];
            keep += 1;
        }
        let components = (0..keep)
            .map(|j| {
                let mut c = vectors.column(j).to_vec();
                let big = c
                    .iter()
                    .cloned()
                    .fold(0.0f64, |m, v| if v.abs() > m.abs() { v } else { m });
                if big < 0.0 {
                    c.iter_mut().for_each(|v| *v = -*v);
                }
                c
            })
            .collect();
        let explained = values[..keep]
            .iter()
            .map(|v| if total > 0.0 { v / total } else { 0.0 })
            .collect();
        Pca {
            mean: mean.to_vec(),
            components,
            explained,
        }
    }

    /// Projects rows onto the components.
    pub fn transform(&self, x: ArrayView2<f64>) -> Array2<f64> {
        let m = self.components.len();
        let mut out = Array2::<f64>::zeros((x.nrows(), m));
        for (i, row) in x.rows().into_iter().enumerate() {
            for (j, c) in self.components.iter().enumerate() {
                out[[i, j]] = row
                    .iter()
                    .zip(&self.mean)
                    .zip(c)
                    .map(|((v, mu), w)| (v - mu) * w)
                    .sum();
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn eigen_of_a_known_matrix() {
        // [[2,1],[1,2]]: eigenvalues 3 and 1, vectors (1,1)/√2 and (1,−1)/√2.
        let (vals, vecs) = symmetric_eigen(&array![[2.0, 1.0], [1.0, 2.0]]);
        assert!((vals[0] - 3.0).abs() < 1e-12 && (vals[1] - 1.0).abs() < 1e-12);
        assert!((vecs[[0, 0]].abs() - 0.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn points_on_a_line_need_one_component() {
        let x = array![[0.0, 0.0], [1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
        let p = Pca::fit(x.view(), 0.8, 1, 10);
        assert_eq!(p.components.len(), 1);
        assert!((p.explained[0] - 1.0).abs() < 1e-12);
        let y = p.transform(x.view());
        // Projections are the distances along the line from the mean (1.5, 3).
        assert!((y[[3, 0]] - 1.5 * 5f64.sqrt()).abs() < 1e-9);
    }
}
