//! The clustering kernels at n = 100k, d = 30: the k-means sweep, DBSCAN and the sampled
//! silhouette. The matrix (8 Gaussian blobs, seeded) is written to
//! `target/bench-data/blobs_100k_30.f64` so `benches/sklearn_compare.py` runs scikit-learn on
//! exactly the same numbers and prints the ratios.
//!
//! Sweep: k ∈ {4, 8, 12} × seeds {0, 1, 2}, k-means++ and at most 300 Lloyd iterations with
//! tolerance 1e-4 each (scikit-learn: `KMeans(k, n_init=1, max_iter=300, tol=1e-4,
//! algorithm="lloyd", random_state=seed)`). DBSCAN: on the first 10 principal components,
//! min_samples 10, eps at the knee of the 10-distance curve (as `discover` does).

use criterion::{criterion_group, criterion_main, Criterion};
use linfa::ParamGuard;
use rayon::prelude::*;
use segmint::cluster::dbscan::DbscanParams;
use segmint::cluster::kmeans::KMeansParams;
use segmint::cluster::metrics::silhouette;

#[path = "../examples/blobs.rs"]
mod blobs;

fn cluster(c: &mut Criterion) {
    let x = blobs::matrix();
    blobs::save(&x, "blobs_100k_30.f64");
    let (z, eps) = blobs::dbscan_input(&x);
    let jobs: Vec<(usize, u64)> = [4usize, 8, 12]
        .iter()
        .flat_map(|&k| (0..3u64).map(move |s| (k, s)))
        .collect();
    let mut group = c.benchmark_group("cluster_100k_x_30");
    group.sample_size(10);
    group.bench_function("kmeans_sweep_k4_8_12_x3_seeds", |b| {
        b.iter(|| {
            jobs.par_iter()
                .map(|&(k, s)| {
                    KMeansParams::new(k)
                        .seed(s)
                        .check()
                        .unwrap()
                        .fit_view(x.view())
                        .unwrap()
                        .inertia
                })
                .collect::<Vec<f64>>()
        })
    });
    group.bench_function("dbscan_10_pcs_min10", |b| {
        b.iter(|| {
            DbscanParams::new(eps, blobs::MIN_SAMPLES)
                .check()
                .unwrap()
                .fit_view(z.view())
                .unwrap()
                .n_clusters
        })
    });
    let labels = KMeansParams::new(8)
        .seed(0)
        .check()
        .unwrap()
        .fit_view(x.view())
        .unwrap()
        .labels;
    let labels: Vec<Option<usize>> = labels.into_iter().map(Some).collect();
    group.bench_function("silhouette_sample_3000", |b| {
        b.iter(|| silhouette(x.view(), &labels, 3000, 0))
    });
    group.finish();
}

criterion_group!(benches, cluster);
criterion_main!(benches);
