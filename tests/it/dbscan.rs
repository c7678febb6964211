//! Our DBSCAN against linfa-clustering's (the reference).

use linfa::prelude::*;
use linfa_clustering::Dbscan;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use segmint::cluster::dbscan::{k_distances, DbscanParams};
use segmint::cluster::metrics::adjusted_rand_index;

fn data() -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let centres = [[0.0, 0.0, 0.0], [5.0, 5.0, 0.0], [0.0, 6.0, 3.0]];
    let mut v = Vec::new();
    for i in 0..600 {
        let c = centres[i % 3];
        for ct in c {
            v.push(ct + rng.gen_range(-1.0..1.0));
        }
    }
    // Scattered noise.
    for _ in 0..30 {
        for _ in 0..3 {
            v.push(rng.gen_range(-10.0..15.0));
        }
    }
    Array2::from_shape_vec((630, 3), v).unwrap()
}

#[test]
fn same_clusters_and_noise_as_linfa() {
    let x = data();
    let ours = DbscanParams::new(0.6, 5)
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap();
    let theirs = Dbscan::params(5).tolerance(0.6).transform(&x).unwrap();
    let theirs: Vec<Option<usize>> = theirs.to_vec();
    assert_eq!(ours.n_clusters, 3);
    let noise = |l: &[Option<usize>]| l.iter().filter(|v| v.is_none()).count();
    assert_eq!(noise(&ours.labels), noise(&theirs));
    assert!(noise(&ours.labels) >= 25, "the scattered points are noise");
    assert_eq!(adjusted_rand_index(&ours.labels, &theirs), 1.0);
}

#[test]
fn k_distance_curve_is_sorted_and_exact() {
    let x = data();
    let rows: Vec<usize> = (0..x.nrows()).collect();
    let k = k_distances(x.view(), &rows, 4);
    assert!(k.windows(2).all(|w| w[0] <= w[1]));
    // Brute force for row 0.
    let mut d: Vec<f64> = x
        .rows()
        .into_iter()
        .map(|r| (&r - &x.row(0)).mapv(|v| v * v).sum().sqrt())
        .collect();
    d.sort_by(f64::total_cmp);
    assert!(k.contains(&d[3]));
}

#[test]
fn bad_parameters_are_refused() {
    assert!(DbscanParams::new(0.0, 5).check().is_err());
    assert!(DbscanParams::new(1.0, 1).check().is_err());
    assert!(DbscanParams::new(f64::NAN, 5).check().is_err());
}
