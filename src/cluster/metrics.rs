//! Scores of a clustering. Labels are `Option<usize>`: `None` is DBSCAN noise, which every score
//! leaves out (and the noise share reports).
//!
//! Formulas (n points, k clusters, c_j the centroid of cluster j, c the overall centroid):
//! * inertia = Σ_i ‖x_i − c_{l(i)}‖²
//! * Calinski–Harabasz = [Σ_j n_j ‖c_j − c‖² / (k − 1)] / [inertia / (n − k)]
//! * Davies–Bouldin = mean_j max_{j'≠j} (s_j + s_j') / ‖c_j − c_j'‖, s_j = mean ‖x − c_j‖ in j
//! * silhouette of i = (b − a) / max(a, b), a = mean distance to its own cluster (others),
//!   b = smallest mean distance to another cluster; 0 for a point alone in its cluster
//! * adjusted Rand index (Hubert & Arabie 1985) from the contingency table

use ndarray::{Array2, ArrayView1, ArrayView2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Number of clusters (largest label + 1) among assigned points.
pub fn cluster_count(labels: &[Option<usize>]) -> usize {
    labels.iter().flatten().max().map_or(0, |m| m + 1)
}

pub(crate) fn sq_dist(a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
    match (a.as_slice(), b.as_slice()) {
        (Some(a), Some(b)) => crate::cluster::sq_dist(a, b),
        _ => a.iter().zip(b.iter()).map(|(x, y)| (x - y) * (x - y)).sum(),
    }
}

/// Centroids of the clusters (rows), and their sizes. Noise is left out.
pub fn centroids(x: ArrayView2<f64>, labels: &[Option<usize>]) -> (Array2<f64>, Vec<usize>) {
    let k = cluster_count(labels);
    let mut c = Array2::<f64>::zeros((k, x.ncols()));
    let mut n = vec![0usize; k];
    for (row, l) in x.rows().into_iter().zip(labels) {
        if let Some(l) = *l {
            n[l] += 1;
            let mut target = c.row_mut(l);
            target += &row;
        }
    }
    for (j, &nj) in n.iter().enumerate() {
        if nj > 0 {
            c.row_mut(j).mapv_inplace(|v| v / nj as f64);
        }
    }
    (c, n)
}

/// Sum of squared distances of assigned points to their cluster centroid.
pub fn inertia(x: ArrayView2<f64>, labels: &[Option<usize>], centroids: ArrayView2<f64>) -> f64 {
    x.rows()
        .into_iter()
        .zip(labels)
        .filter_map(|(row, l)| l.map(|l| sq_dist(row, centroids.row(l))))
        .sum()
}

/// Calinski–Harabasz index; `None` with fewer than 2 clusters or no within-cluster spread.
pub fn calinski_harabasz(x: ArrayView2<f64>, labels: &[Option<usize>]) -> Option<f64> {
    let (c, sizes) = centroids(x, labels);
    let k = sizes.iter().filter(|&&s| s > 0).count();
    let n: usize = sizes.iter().sum();
    if k < 2 || n <= k {
        return None;
    }
    let mut overall = ndarray::Array1::<f64>::zeros(x.ncols());
    for (j, &s) in sizes.iter().enumerate() {
        overall.scaled_add(s as f64 / n as f64, &c.row(j));
    }
    let between: f64 = sizes
        .iter()
        .enumerate()
        .map(|(j, &s)| s as f64 * sq_dist(c.row(j), overall.view()))
        .sum();
    let within = inertia(x, labels, c.view());
    if within <= 0.0 {
        return None;
    }
    Some(between / (k - 1) as f64 / (within / (n - k) as f64))
}

/// Davies–Bouldin index (lower is better); `None` with fewer than 2 clusters.
pub fn davies_bouldin(x: ArrayView2<f64>, labels: &[Option<usize>]) -> Option<f64> {
    let (c, sizes) = centroids(x, labels);
    let k = sizes.len();
    if sizes.iter().filter(|&&s| s > 0).count() < 2 {
        return None;
    }
    let mut spread = vec![0.0; k];
    for (row, l) in x.rows().into_iter().zip(labels) {
        if let Some(l) = *l {
            spread[l] += sq_dist(row, c.row(l)).sqrt();
        }
    }
    for (s, &n) in spread.iter_mut().zip(&sizes) {
        if n > 0 {
            *s /= n as f64;
        }
    }
    let live: Vec<usize> = (0..k).filter(|&j| sizes[j] > 0).collect();
    let mut total = 0.0;
    for &i in &live {
        let worst = live
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| {
                let d = sq_dist(c.row(i), c.row(j)).sqrt();
                if d > 0.0 {
                    (spread[i] + spread[j]) / d
                } else {
                    f64::INFINITY
                }
            })
            .fold(0.0, f64::max);
        total += worst;
    }
    Some(total / live.len() as f64)
}

/// Indices of a deterministic sample stratified by cluster: each cluster contributes in
/// proportion to its size, but at least `min(size, floor)` points, so a 3% segment is not
/// missed. Noise is left out. Returns all assigned points when they number ≤ `size`.
pub fn stratified_sample(labels: &[Option<usize>], size: usize, seed: u64) -> Vec<usize> {
    let k = cluster_count(labels);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, l) in labels.iter().enumerate() {
        if let Some(l) = *l {
            members[l].push(i);
        }
    }
    let assigned: usize = members.iter().map(Vec::len).sum();
    if assigned <= size {
        return members
            .concat()
            .into_iter()
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
    }
    let floor = (size / (2 * k.max(1))).max(2);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::with_capacity(size + k * floor);
    for m in members.iter_mut() {
        let share = (m.len() as f64 / assigned as f64 * size as f64).round() as usize;
        let take = share.max(floor.min(m.len())).min(m.len());
        m.shuffle(&mut rng);
        out.extend_from_slice(&m[..take]);
    }
    out.sort_unstable();
    out
}

/// Per-point silhouette values of the points `idx` (computed against those points only).
///
/// Distances come from ‖a‖² + ‖b‖² − 2a·b with the products as blocked matrix products, so
/// the O(m²·d) work runs in the BLAS-like kernel of `matrixmultiply`.
pub fn silhouette_values(x: ArrayView2<f64>, labels: &[Option<usize>], idx: &[usize]) -> Vec<f64> {
    const BLOCK: usize = 256;
    let k = cluster_count(labels);
    let lab: Vec<usize> = idx
        .iter()
        .map(|&i| labels[i].expect("sampled points are assigned"))
        .collect();
    let mut counts = vec![0usize; k];
    for &l in &lab {
        counts[l] += 1;
    }
    let s = x.select(ndarray::Axis(0), idx);
    let norms: Vec<f64> = s.rows().into_iter().map(|r| r.dot(&r)).collect();
    let st = s.t();
    let starts: Vec<usize> = (0..idx.len()).step_by(BLOCK).collect();
    starts
        .par_iter()
        .flat_map_iter(|&b| {
            let e = (b + BLOCK).min(idx.len());
            let g = s.slice(ndarray::s![b..e, ..]).dot(&st);
            let mut out = Vec::with_capacity(e - b);
            for p in b..e {
                let mut sums = vec![0.0; k];
                let row = g.row(p - b);
                for (q, &gpq) in row.iter().enumerate() {
                    if q != p {
                        sums[lab[q]] += (norms[p] + norms[q] - 2.0 * gpq).max(0.0).sqrt();
                    }
                }
                let own = lab[p];
                if counts[own] <= 1 {
                    out.push(0.0);
                    continue;
                }
                let a = sums[own] / (counts[own] - 1) as f64;
                let bmin = (0..k)
                    .filter(|&c| c != own && counts[c] > 0)
                    .map(|c| sums[c] / counts[c] as f64)
                    .fold(f64::INFINITY, f64::min);
                let m = a.max(bmin);
                out.push(if bmin.is_finite() && m > 0.0 {
                    (bmin - a) / m
                } else {
                    0.0
                });
            }
            out
        })
        .collect()
}

/// Mean silhouette over a stratified sample of at most about `sample` points; `None` with
/// fewer than 2 clusters.
pub fn silhouette(
    x: ArrayView2<f64>,
    labels: &[Option<usize>],
    sample: usize,
    seed: u64,
) -> Option<f64> {
    let (_, sizes) = centroids(x, labels);
    if sizes.iter().filter(|&&s| s > 0).count() < 2 {
        return None;
    }
    let idx = stratified_sample(labels, sample, seed);
    let v = silhouette_values(x, labels, &idx);
    // The sample over-represents small segments: weight each sampled point by its segment's
    // size over its sampled count, so the mean estimates the mean over all customers.
    let mut drawn = vec![0usize; sizes.len()];
    for &i in &idx {
        drawn[labels[i].expect("sampled points are assigned")] += 1;
    }
    let (mut num, mut den) = (0.0, 0.0);
    for (&i, &s) in idx.iter().zip(&v) {
        let l = labels[i].expect("sampled points are assigned");
        let w = sizes[l] as f64 / drawn[l] as f64;
        num += w * s;
        den += w;
    }
    Some(num / den)
}

/// Adjusted Rand index between two labelings of the same points. Noise (`None`) counts as
/// one more group of its own.
pub fn adjusted_rand_index(a: &[Option<usize>], b: &[Option<usize>]) -> f64 {
    assert_eq!(a.len(), b.len(), "labelings of different lengths");
    let code = |l: &Option<usize>, k: usize| l.unwrap_or(k);
    let ka = cluster_count(a) + 1;
    let kb = cluster_count(b) + 1;
    let mut table = vec![0u64; ka * kb];
    for (x, y) in a.iter().zip(b) {
        table[code(x, ka - 1) * kb + code(y, kb - 1)] += 1;
    }
    let comb2 = |n: u64| (n * n.saturating_sub(1)) as f64 / 2.0;
    let sum_cells: f64 = table.iter().map(|&n| comb2(n)).sum();
    let rows: f64 = (0..ka)
        .map(|i| comb2(table[i * kb..(i + 1) * kb].iter().sum()))
        .sum();
    let cols: f64 = (0..kb)
        .map(|j| comb2((0..ka).map(|i| table[i * kb + j]).sum()))
        .sum();
    let total = comb2(a.len() as u64);
    if total == 0.0 {
        return 1.0;
    }
    let expected = rows * cols / total;
    let max = (rows + cols) / 2.0;
    if max == expected {
        return 1.0;
    }
    (sum_cells - expected) / (max - expected)
}

/// For each segment of `kept`, the Jaccard similarity of its customers with the most similar
/// segment of `other` (the same points in the same order): |A ∩ B| / |A ∪ B|. Noise (`None`)
/// belongs to no segment. Hennig's cluster-wise stability (clusterboot, 2007) averages this
/// over resamples; a segment below about 0.6 "dissolves", above 0.85 it is highly stable.
/// A segment of `kept` with no point here gets `None`.
pub fn best_jaccard(kept: &[Option<usize>], other: &[Option<usize>]) -> Vec<Option<f64>> {
    assert_eq!(kept.len(), other.len(), "labelings of different lengths");
    let ka = cluster_count(kept);
    let kb = cluster_count(other);
    let mut table = vec![0u64; ka * kb];
    let mut size_a = vec![0u64; ka];
    let mut size_b = vec![0u64; kb];
    for (x, y) in kept.iter().zip(other) {
        if let Some(x) = x {
            size_a[*x] += 1;
        }
        if let Some(y) = y {
            size_b[*y] += 1;
        }
        if let (Some(x), Some(y)) = (x, y) {
            table[x * kb + y] += 1;
        }
    }
    (0..ka)
        .map(|a| {
            (size_a[a] > 0).then(|| {
                (0..kb)
                    .map(|b| {
                        let both = table[a * kb + b] as f64;
                        both / ((size_a[a] + size_b[b]) as f64 - both)
                    })
                    .fold(0.0, f64::max)
            })
        })
        .collect()
}

/// Points of the grid between two centroids at which [`valley`] reads the density.
const VALLEY_GRID: usize = 21;

/// Customers per pair of segments the sweep reads a density valley from: every customer of
/// the two up to this many (more than the sweep's default sample, `[cluster] sample_above`,
/// of 12,000 rows), every n-th above (the lower-numbered segment's rows first, so that both directions
/// of a pair read the same customers).
/// With 4,000 a pair of large segments was read from a third of its customers, and which
/// third depended on the order of the rows and on which of the two was first: the same pair
/// read 0.98 one way and 0.80 the other (`benches/unseen` sports at half spread, 15,000
/// customers). Reading them all costs ~0.1 s on the 100k scale shop (sweep 5.9 → 6.0 s) and
/// changed no proposal of the truth bench (seeds 7, 55–58).
pub const VALLEY_POINTS: usize = 20_000;

/// How clearly the segments are apart: for each segment and its nearest segment (by centroid
/// distance), the customers of the two are projected onto the line through both centroids
/// and their density is estimated (Gaussian kernel, Silverman's bandwidth); the segment's
/// *valley* is the lowest density between the two centroids divided by the lower of the
/// densities at the centroids. Two segments with a dip between them give well below 1; one
/// lump cut in two by k-means gives 1 (no dip: the cut runs through its densest part).
/// Returns the largest (the least separated segment's) valley, `None` with fewer than two
/// segments. The idea is that of dip-means and G-means (Kalogeratos & Likas 2012; Hamerly &
/// Elkan 2003): a split is real when the data along the split direction is not one mode. At
/// most `max_points` customers per pair are used (every n-th, deterministic).
pub fn valley(x: ArrayView2<f64>, labels: &[Option<usize>], max_points: usize) -> Option<f64> {
    let (c, sizes) = centroids(x, labels);
    let k = sizes.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
    for (i, l) in labels.iter().enumerate() {
        if let Some(l) = l {
            members[*l].push(i);
        }
    }
    let present: Vec<usize> = (0..k).filter(|&i| sizes[i] > 0).collect();
    if present.len() < 2 {
        return None;
    }
    let ratios: Vec<f64> = present
        .par_iter()
        .filter_map(|&a| {
            let b = *present.iter().filter(|&&b| b != a).min_by(|&&p, &&q| {
                sq_dist(c.row(a), c.row(p)).total_cmp(&sq_dist(c.row(a), c.row(q)))
            })?;
            let axis = &c.row(b) - &c.row(a);
            let length = axis.dot(&axis).sqrt();
            if length == 0.0 {
                return None;
            }
            let (first, second) = (a.min(b), a.max(b));
            let both: Vec<usize> = members[first]
                .iter()
                .chain(&members[second])
                .copied()
                .collect();
            let step = both.len().div_ceil(max_points.max(2));
            let p: Vec<f64> = both
                .iter()
                .step_by(step)
                .map(|&i| (&x.row(i) - &c.row(a)).dot(&axis) / length)
                .collect();
            let m = p.len() as f64;
            let mean = p.iter().sum::<f64>() / m;
            let sd = (p.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / m).sqrt();
            if sd == 0.0 {
                return None;
            }
            let h = 1.06 * sd * m.powf(-0.2);
            let density = |t: f64| {
                p.iter()
                    .map(|v| (-0.5 * ((v - t) / h).powi(2)).exp())
                    .sum::<f64>()
            };
            let f: Vec<f64> = (0..VALLEY_GRID)
                .map(|g| density(length * g as f64 / (VALLEY_GRID - 1) as f64))
                .collect();
            let ends = f[0].min(f[VALLEY_GRID - 1]);
            let low = f.iter().copied().fold(f64::INFINITY, f64::min);
            Some(if ends > 0.0 { low / ends } else { 1.0 })
        })
        .collect();
    ratios.into_iter().reduce(f64::max)
}

/// Knee of a decreasing convex curve (Kneedle, Satopää et al. 2011): the point farthest
/// below the straight line from the first to the last point, after normalising both axes.
/// Returns the index into `y`, or `None` with fewer than 3 points or a flat curve.
pub fn knee(x: &[f64], y: &[f64]) -> Option<usize> {
    if x.len() < 3 || x.len() != y.len() {
        return None;
    }
    let (x0, x1) = (x[0], x[x.len() - 1]);
    let ymin = y.iter().cloned().fold(f64::INFINITY, f64::min);
    let ymax = y.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if x1 == x0 || ymax == ymin {
        return None;
    }
    let mut best = None;
    let mut best_gap = 0.0;
    for i in 0..x.len() {
        let xn = (x[i] - x0) / (x1 - x0);
        let yn = (y[i] - ymin) / (ymax - ymin);
        // For a decreasing curve, the line from (0,1) to (1,0) is y = 1 − x.
        let gap = (1.0 - xn) - yn;
        if gap > best_gap {
            best_gap = gap;
            best = Some(i);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn some(v: &[usize]) -> Vec<Option<usize>> {
        v.iter().map(|&l| Some(l)).collect()
    }

    /// The valley is a property of the customers, not of the order of their rows: three
    /// overlapping blobs of 3,000 rows (pairs of 6,000, more than the 4,000 the sweep once
    /// read every n-th of), rows reversed, give the same valley.
    #[test]
    fn the_valley_does_not_depend_on_the_order_of_the_rows() {
        use rand::Rng;
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let centres = [[0.0, 0.0], [2.5, 0.0], [1.2, 2.2]];
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for (j, c) in centres.iter().enumerate() {
            for _ in 0..3000 {
                // A rough normal: the sum of four uniforms.
                let mut draw = || (0..4).map(|_| rng.gen::<f64>() - 0.5).sum::<f64>();
                rows.extend([c[0] + draw(), c[1] + draw()]);
                labels.push(Some(j));
            }
        }
        let x = Array2::from_shape_vec((9000, 2), rows).unwrap();
        let forward = valley(x.view(), &labels, VALLEY_POINTS).unwrap();
        let order: Vec<usize> = (0..9000).rev().collect();
        let xr = x.select(ndarray::Axis(0), &order);
        let lr: Vec<Option<usize>> = order.iter().map(|&i| labels[i]).collect();
        let backward = valley(xr.view(), &lr, VALLEY_POINTS).unwrap();
        assert!(
            forward < crate::model::selection::DIP,
            "the blobs are apart: {forward}"
        );
        assert!((forward - backward).abs() < 1e-9, "{forward} vs {backward}");
    }

    // Four points on a line: 0, 1 in cluster 0 and 4, 6 in cluster 1.
    fn line() -> (Array2<f64>, Vec<Option<usize>>) {
        (array![[0.0], [1.0], [4.0], [6.0]], some(&[0, 0, 1, 1]))
    }

    #[test]
    fn inertia_by_hand() {
        let (x, l) = line();
        let (c, n) = centroids(x.view(), &l);
        assert_eq!(c, array![[0.5], [5.0]]);
        assert_eq!(n, vec![2, 2]);
        // 0.25 + 0.25 + 1 + 1
        assert_eq!(inertia(x.view(), &l, c.view()), 2.5);
    }

    #[test]
    fn calinski_harabasz_by_hand() {
        let (x, l) = line();
        // overall mean 2.75; between = 2·(2.25² + 2.25²) = 20.25; within = 2.5
        // CH = (20.25 / 1) / (2.5 / 2) = 16.2
        assert!((calinski_harabasz(x.view(), &l).unwrap() - 16.2).abs() < 1e-12);
    }

    #[test]
    fn davies_bouldin_by_hand() {
        let (x, l) = line();
        // s0 = 0.5, s1 = 1, centroid distance 4.5: DB = (1.5 / 4.5 + 1.5 / 4.5) / 2 = 1/3
        assert!((davies_bouldin(x.view(), &l).unwrap() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn silhouette_by_hand() {
        let (x, l) = line();
        // point 0: a = 1, b = (4 + 6)/2 = 5 → 0.8; point 1: a = 1, b = (3 + 5)/2 = 4 → 0.75
        // point 4: a = 2, b = (4 + 3)/2 = 3.5 → 1.5/3.5; point 6: a = 2, b = (6+5)/2 = 5.5 → 3.5/5.5
        let expected = (0.8 + 0.75 + 1.5 / 3.5 + 3.5 / 5.5) / 4.0;
        let s = silhouette(x.view(), &l, 100, 0).unwrap();
        assert!((s - expected).abs() < 1e-12, "{s} vs {expected}");
    }

    #[test]
    fn adjusted_rand_index_by_hand() {
        let a = some(&[0, 0, 0, 1, 1, 1]);
        assert_eq!(adjusted_rand_index(&a, &a), 1.0);
        // Relabelled: still 1.
        assert_eq!(adjusted_rand_index(&a, &some(&[1, 1, 1, 0, 0, 0])), 1.0);
        // Table [[2,1],[0,3]]: Σ C(n_ij,2) = 1 + 3 = 4; rows C(3,2)·2 = 6; cols C(2,2) + C(4,2) = 7;
        // total C(6,2) = 15; expected 6·7/15 = 2.8; max 6.5; ARI = 1.2 / 3.7.
        let b = some(&[0, 0, 1, 1, 1, 1]);
        assert!((adjusted_rand_index(&a, &b) - 1.2 / 3.7).abs() < 1e-12);
    }

    #[test]
    fn valley_tells_two_groups_from_one_lump_cut_in_two() {
        // Two groups of 50 points at 0..1 and 10..11, nothing between them.
        let two: Vec<f64> = (0..100)
            .map(|i| {
                if i < 50 {
                    i as f64 / 50.0
                } else {
                    10.0 + (i - 50) as f64 / 50.0
                }
            })
            .collect();
        let x = Array2::from_shape_vec((100, 1), two).unwrap();
        let labels: Vec<Option<usize>> = (0..100).map(|i| Some(usize::from(i >= 50))).collect();
        // Silverman's bandwidth on the pooled projection (sd ≈ 5, h ≈ 2.1) smooths some
        // density into the gap: about 0.13, far below 1.
        let v = valley(x.view(), &labels, 10_000).unwrap();
        assert!(v < 0.2, "{v}");
        // One even lump 0..10 cut at 5: the density between the halves' centres is as high
        // as at the centres (the ratio is capped at 1 by the grid's ends).
        let one: Vec<f64> = (0..1000).map(|i| i as f64 / 100.0).collect();
        let x = Array2::from_shape_vec((1000, 1), one).unwrap();
        let labels: Vec<Option<usize>> = (0..1000).map(|i| Some(usize::from(i >= 500))).collect();
        let v = valley(x.view(), &labels, 10_000).unwrap();
        assert!(v > 0.95, "{v}");
        // Subsampling keeps the verdict; one segment has no valley.
        assert!(valley(x.view(), &labels, 100).unwrap() > 0.95);
        assert_eq!(valley(x.view(), &vec![Some(0); 1000], 100), None);
    }

    #[test]
    fn best_jaccard_by_hand() {
        // kept: A = {0,1,2,3}, B = {4,5}; other: X = {0,1,2}, Y = {3,4,5}, point 5 noise in
        // a third labelling.
        let kept = some(&[0, 0, 0, 0, 1, 1]);
        let other = some(&[0, 0, 0, 1, 1, 1]);
        // A∩X = 3, A∪X = 4 → 0.75 (A∩Y = 1, A∪Y = 6); B∩Y = 2, B∪Y = 3 → 2/3.
        let j = best_jaccard(&kept, &other);
        assert_eq!(j, vec![Some(0.75), Some(2.0 / 3.0)]);
        // Noise belongs to no segment: B = {4,5} against Y = {3,4} → 1/3; a segment with no
        // point gets None.
        let mut noisy = other.clone();
        noisy[5] = None;
        assert_eq!(
            best_jaccard(&kept, &noisy),
            vec![Some(0.75), Some(1.0 / 3.0)]
        );
        let gone = vec![Some(0), Some(0), Some(0), Some(0), None, Some(2)];
        assert_eq!(best_jaccard(&gone, &other)[1], None);
        assert_eq!(best_jaccard(&kept, &kept), vec![Some(1.0), Some(1.0)]);
    }

    #[test]
    fn stratified_sample_keeps_small_clusters() {
        let mut labels = vec![Some(0); 980];
        labels.extend(vec![Some(1); 20]);
        let s = stratified_sample(&labels, 100, 7);
        let small = s.iter().filter(|&&i| labels[i] == Some(1)).count();
        assert_eq!(small, 20, "the whole small cluster is in the sample");
        assert_eq!(s, stratified_sample(&labels, 100, 7), "deterministic");
    }

    #[test]
    fn knee_of_an_elbow() {
        let k = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let inertia = [100.0, 40.0, 12.0, 10.0, 9.0, 8.5];
        assert_eq!(knee(&k, &inertia), Some(2));
    }
}
