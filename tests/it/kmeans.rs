//! Our k-means against linfa-clustering's (the reference) and against a plain Lloyd loop.

use linfa::prelude::*;
use linfa_clustering::{KMeans, KMeansInit};
use ndarray::{array, Array2};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use segmint::cluster::kmeans::KMeansParams;

/// `per` points around each centre, uniform noise of ±`spread`.
fn blobs(centres: &Array2<f64>, per: usize, spread: f64, seed: u64) -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let d = centres.ncols();
    let mut data = Vec::new();
    for i in 0..per * centres.nrows() {
        let c = centres.row(i % centres.nrows());
        for t in 0..d {
            data.push(c[t] + rng.gen_range(-spread..spread));
        }
    }
    Array2::from_shape_vec((per * centres.nrows(), d), data).unwrap()
}

#[test]
fn same_labels_and_inertia_as_linfa_from_the_same_start() {
    let centres = array![
        [0.0, 0.0, 0.0],
        [6.0, 0.0, 1.0],
        [0.0, 7.0, -2.0],
        [5.0, 5.0, 5.0]
    ];
    let x = blobs(&centres, 50, 1.5, 3);
    let start = array![
        [0.5, 0.5, 0.0],
        [5.0, 0.5, 0.5],
        [0.5, 6.0, -1.0],
        [4.0, 4.0, 4.0]
    ];
    let ours = KMeansParams::new(4)
        .init_centroids(start.clone())
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap();
    let dataset = DatasetBase::from(x.clone());
    let reference = KMeans::params_with_rng(4, ChaCha8Rng::seed_from_u64(0))
        .init_method(KMeansInit::Precomputed(start))
        .n_runs(1)
        .tolerance(1e-8)
        .fit(&dataset)
        .unwrap();
    let theirs = reference.predict(&x);
    assert_eq!(ours.labels, theirs.to_vec());
    // linfa's inertia() is the mean squared distance per row.
    let n = x.nrows() as f64;
    assert!(
        (ours.inertia / n - reference.inertia()).abs() < 1e-6 * ours.inertia / n,
        "{} vs {}",
        ours.inertia / n,
        reference.inertia()
    );
}

/// Plain Lloyd iterations: the algorithm Elkan's bounds accelerate without changing it.
fn lloyd(x: &Array2<f64>, mut c: Array2<f64>, iters: usize) -> Array2<f64> {
    for _ in 0..iters {
        let mut sums = Array2::<f64>::zeros(c.dim());
        let mut counts = vec![0usize; c.nrows()];
        for row in x.rows() {
            let j = (0..c.nrows())
                .min_by(|&a, &b| {
                    let da: f64 = (&row - &c.row(a)).mapv(|v| v * v).sum();
                    let db: f64 = (&row - &c.row(b)).mapv(|v| v * v).sum();
                    da.total_cmp(&db)
                })
                .unwrap();
            counts[j] += 1;
            let mut s = sums.row_mut(j);
            s += &row;
        }
        for (j, &n) in counts.iter().enumerate() {
            if n > 0 {
                let m = sums.row(j).mapv(|v| v / n as f64);
                c.row_mut(j).assign(&m);
            }
        }
    }
    c
}

#[test]
fn accelerated_iterations_give_the_lloyd_result() {
    // Overlapping blobs, so labels keep changing for many iterations.
    let centres = array![[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 1.0]];
    let x = blobs(&centres, 200, 1.5, 11);
    let start = x.slice(ndarray::s![0..5, ..]).to_owned();
    let ours = KMeansParams::new(5)
        .init_centroids(start.clone())
        .tol(0.0)
        .max_iter(500)
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap();
    assert!(ours.converged);
    let plain = lloyd(&x, start, ours.n_iter + 5);
    for (a, b) in ours.centroids.iter().zip(plain.iter()) {
        assert!((a - b).abs() < 1e-9, "{}\n{}", ours.centroids, plain);
    }
}

/// A fit that stops at the tolerance (its centres still moving a little) labels every row
/// with the nearest of the centres it returns, and its inertia is their squared distances.
#[test]
fn a_fit_stopped_by_the_tolerance_labels_rows_by_its_final_centres() {
    let centres = array![[0.0, 0.0], [2.0, 0.0], [0.0, 2.0], [2.0, 2.0], [1.0, 1.0]];
    let x = blobs(&centres, 300, 1.5, 3);
    let mut stopped_early = 0;
    for seed in 0..8 {
        let m = KMeansParams::new(5)
            .seed(seed)
            .tol(1e-3)
            .check()
            .unwrap()
            .fit_view(x.view())
            .unwrap();
        let mut inertia = 0.0;
        for (row, &label) in x.rows().into_iter().zip(&m.labels) {
            let d: Vec<f64> = m
                .centroids
                .rows()
                .into_iter()
                .map(|c| (&row - &c).mapv(|v| v * v).sum())
                .collect();
            let nearest = (0..d.len()).min_by(|&a, &b| d[a].total_cmp(&d[b])).unwrap();
            assert_eq!(label, nearest, "seed {seed}: {d:?}");
            inertia += d[label];
        }
        assert!((m.inertia - inertia).abs() <= 1e-9 * inertia, "seed {seed}");
        // Stopped by the tolerance, not by labels that no longer move: the centres are not
        // the means of the labels.
        let means_differ = (0..5).any(|j| {
            let rows: Vec<usize> = (0..x.nrows()).filter(|&i| m.labels[i] == j).collect();
            let mean = x
                .select(ndarray::Axis(0), &rows)
                .mean_axis(ndarray::Axis(0))
                .unwrap();
            (&mean - &m.centroids.row(j)).mapv(f64::abs).sum() > 1e-12
        });
        stopped_early += usize::from(means_differ);
    }
    assert!(stopped_early > 0, "no fit stopped at the tolerance");
}

#[test]
fn kmeans_plus_plus_finds_separated_blobs_for_every_seed() {
    let centres = Array2::from_shape_fn((8, 4), |(i, j)| ((i * 7 + j * 3) % 11) as f64 * 10.0);
    let x = blobs(&centres, 100, 1.0, 5);
    for seed in 0..6 {
        let m = KMeansParams::new(8)
            .seed(seed)
            .check()
            .unwrap()
            .fit_view(x.view())
            .unwrap();
        // Each blob's 100 points share one label and the blobs' labels differ.
        let mut seen = std::collections::BTreeSet::new();
        for b in 0..8 {
            let l = m.labels[b];
            assert!(
                (0..100).all(|i| m.labels[i * 8 + b] == l),
                "seed {seed}: blob {b} split"
            );
            seen.insert(l);
        }
        assert_eq!(seen.len(), 8, "seed {seed}: two blobs merged");
    }
}

#[test]
fn mini_batch_is_close_to_full_batch() {
    let centres = array![[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]];
    let x = blobs(&centres, 3000, 2.0, 9);
    let full = KMeansParams::new(3)
        .seed(1)
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap();
    let mini = KMeansParams::new(3)
        .seed(1)
        .mini_batch(Some(256))
        .max_iter(400)
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap();
    assert!(
        mini.inertia < full.inertia * 1.01,
        "{} vs {}",
        mini.inertia,
        full.inertia
    );
}

#[test]
fn bad_parameters_are_refused_before_fitting() {
    assert!(KMeansParams::new(0).check().is_err());
    assert!(KMeansParams::new(2).tol(-1.0).check().is_err());
    assert!(KMeansParams::new(2).mini_batch(Some(0)).check().is_err());
    let x = array![[0.0], [1.0]];
    let err = KMeansParams::new(3)
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap_err();
    assert!(err.to_string().contains("2 rows cannot form 3 clusters"));
}
