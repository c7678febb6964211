//! The benchmark matrix (shared by `benches/cluster.rs` and this example), and a timing run
//! that `benches/sklearn_compare.py` uses for segmint's figures and DBSCAN's peak memory:
//! `cargo run --release --example blobs -- kmeans|dbscan`.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Rows.
pub const N: usize = 100_000;
/// Columns.
pub const D: usize = 30;
/// DBSCAN min_samples used by the benchmarks.
pub const MIN_SAMPLES: usize = 10;
/// Principal components DBSCAN runs on (as in `discover`: DBSCAN in 30 dimensions is
/// meaningless).
pub const PCS: usize = 10;

/// The matrix DBSCAN runs on: the first 10 principal components, and the eps `discover` would
/// take there (the knee of the 10-distance curve of 5,000 rows).
pub fn dbscan_input(x: &Array2<f64>) -> (Array2<f64>, f64) {
    let pca = segmint::cluster::pca::Pca::fit(x.view(), 1.0, PCS, PCS);
    let z = pca.transform(x.view());
    let rows: Vec<usize> = (0..z.nrows()).step_by(z.nrows() / 5000).collect();
    let mut k = segmint::cluster::dbscan::k_distances(z.view(), &rows, MIN_SAMPLES);
    k.reverse();
    let xs: Vec<f64> = (0..k.len()).map(|i| i as f64).collect();
    let eps = segmint::cluster::metrics::knee(&xs, &k).map_or(1.0, |i| k[i]);
    (z, eps)
}

/// 8 Gaussian blobs (σ = 1) with centres uniform in [−10, 10]^30, seeded.
pub fn matrix() -> Array2<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(2024);
    let centres: Vec<f64> = (0..8 * D).map(|_| rng.gen_range(-10.0..10.0)).collect();
    let mut data = Vec::with_capacity(N * D);
    for i in 0..N {
        let c = i % 8;
        for t in 0..D {
            // Box–Muller.
            let (u1, u2): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
            let z = (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos();
            data.push(centres[c * D + t] + z);
        }
    }
    Array2::from_shape_vec((N, D), data).expect("n × d")
}

/// Writes a matrix as raw little-endian f64 to target/bench-data/NAME.
pub fn save(x: &Array2<f64>, name: &str) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("bench-data folder");
    let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(dir.join(name), bytes).expect("write matrix");
}

#[allow(dead_code)]
fn main() {
    use linfa::ParamGuard;
    use rayon::prelude::*;
    let what = std::env::args().nth(1).unwrap_or_else(|| "kmeans".into());
    let x = matrix();
    save(&x, "blobs_100k_30.f64");
    match what.as_str() {
        "dbscan" => {
            let (z, eps) = dbscan_input(&x);
            save(&z, "blobs_pcs_100k_10.f64");
            let t = std::time::Instant::now();
            let m = segmint::cluster::dbscan::DbscanParams::new(eps, MIN_SAMPLES)
                .check()
                .unwrap()
                .fit_view(z.view())
                .unwrap();
            let noise = m.labels.iter().filter(|l| l.is_none()).count();
            println!(
                "dbscan eps {eps:.6} clusters {} noise {noise} seconds {:.3}",
                m.n_clusters,
                t.elapsed().as_secs_f64()
            );
        }
        "none" => {}
        _ => {
            let t = std::time::Instant::now();
            let jobs: Vec<(usize, u64)> = [4usize, 8, 12]
                .iter()
                .flat_map(|&k| (0..3u64).map(move |s| (k, s)))
                .collect();
            let fits: Vec<(usize, u64, f64, usize)> = jobs
                .par_iter()
                .map(|&(k, s)| {
                    let m = segmint::cluster::kmeans::KMeansParams::new(k)
                        .seed(s)
                        .check()
                        .unwrap()
                        .fit_view(x.view())
                        .unwrap();
                    (k, s, m.inertia, m.n_iter)
                })
                .collect();
            let secs = t.elapsed().as_secs_f64();
            for (k, s, inertia, it) in fits {
                println!("kmeans k {k} seed {s} inertia {inertia:.1} iterations {it}");
            }
            println!("kmeans sweep seconds {secs:.3}");
        }
    }
}
