//! The candidate sweep: k-means for every k × seed, plus a start from the fit kept with one
//! segment more, its cheapest pair merged (and bootstrap refits made the same way, for
//! stability), and
//! DBSCAN on principal components for every min_samples × eps, all as parallel rayon jobs;
//! then every score for every candidate.

use std::collections::BTreeMap;

use ndarray::{Array2, ArrayView2, Axis};
use rand::seq::index::sample;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::dbscan::{k_distances, DbscanModel, DbscanParams};
use super::kmeans::{KMeansModel, KMeansParams};
use super::metrics::{
    adjusted_rand_index, best_jaccard, calinski_harabasz, centroids, cluster_count, davies_bouldin,
    inertia, knee, silhouette, valley,
};
use super::pca::Pca;
use crate::config::ClusterOptions;
use crate::error::{Error, Result};
pub use crate::model::{Algorithm, CandidateSpec};
use crate::stats::mean;
use linfa::ParamGuard;

/// Rows of the k-distance sample.
const KDIST_SAMPLE: usize = 5000;

/// Scores of one candidate. Missing where a score does not apply (e.g. one cluster).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// Sum of squared distances to the centroids (assigned customers, matrix space).
    pub inertia: Option<f64>,
    /// Mean silhouette over all customers, estimated on a stratified sample (each sampled
    /// customer weighted by its segment's size; unassigned customers count as 0), −1..1.
    pub silhouette: Option<f64>,
    /// Calinski–Harabasz index (higher is better).
    pub calinski_harabasz: Option<f64>,
    /// Davies–Bouldin index (lower is better).
    pub davies_bouldin: Option<f64>,
    /// Mean adjusted Rand index between the kept fit and the fits of the other seeds
    /// (k-means; for information: the kept fit is the best of the seeds).
    pub stability_seeds: Option<f64>,
    /// Mean adjusted Rand index, on the rows they share, between the kept fit and refits on
    /// bootstrap subsamples fitted the same way (best of the same number of seeds; DBSCAN with
    /// `min_samples` scaled to the subsample's density).
    pub stability_bootstrap: Option<f64>,
    /// The stability the selection uses: the bootstrap stability.
    pub stability: Option<f64>,
    /// The least stable segment's stability: per segment of the kept fit, the mean over the
    /// bootstrap refits of the Jaccard similarity with its best-matching refit segment (on
    /// the rows they share; Hennig's clusterboot), and the minimum over the segments. A
    /// split of one lump into two is often stable as a whole (high ARI) while one of its
    /// halves is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment_stability: Option<f64>,
    /// The least separated segment's density valley ([`super::metrics::valley`]): along the
    /// line to its nearest segment, the lowest density between the two centroids over the
    /// lower density at a centroid. Well below 1: a dip between the two; 1: one lump cut in
    /// two. Of a k-means candidate of a sampled sweep: read from every customer (up to
    /// [`VALLEY_ROWS`]), not only the sample's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valley: Option<f64>,
    /// Gap statistic: mean log within-cluster sum of squares of reference data without
    /// clusters (each principal component of a sample permuted on its own) minus that of
    /// the data. Above 0 the segments are tighter than chance would give.
    pub gap: Option<f64>,
    /// Standard error of the gap: sd of the reference draws × √(1 + 1/draws).
    pub gap_se: Option<f64>,
    /// The gap statistic against the trait reference: each family of traits shuffled as a
    /// block among customers with the same number of orders ([`Traits`]). Near 0 when the
    /// customers' traits do not go together beyond what their number of orders implies;
    /// missing without a layout of the matrix (or with a single family).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trait_gap: Option<f64>,
    /// Standard error of the trait gap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trait_gap_se: Option<f64>,
    /// Share of customers in the smallest segment.
    pub smallest_share: f64,
    /// Share of customers left unassigned (DBSCAN noise).
    pub noise_share: f64,
}

/// One candidate segmentation.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Identifier, e.g. `kmeans-k4` or `dbscan-m10-e1.25`.
    pub id: String,
    /// Algorithm.
    pub algorithm: Algorithm,
    /// Number of segments (noise not counted).
    pub k: usize,
    /// k-means: the seed of the kept fit (lowest inertia); `None` when the kept fit started
    /// from the fit with one segment more, its cheapest pair merged.
    pub seed: Option<u64>,
    /// DBSCAN radius (principal-component space).
    pub eps: Option<f64>,
    /// DBSCAN min_samples.
    pub min_samples: Option<usize>,
    /// Scores.
    pub scores: Scores,
    /// Labels per matrix row (`None`: unassigned).
    #[serde(skip)]
    pub labels: Vec<Option<usize>>,
    /// The fitted k-means model.
    #[serde(skip)]
    pub kmeans: Option<KMeansModel>,
    /// DBSCAN: whether each row is a core row (empty for k-means).
    #[serde(skip)]
    pub core: Vec<bool>,
}

impl Candidate {
    /// What the candidate is, in facts ([`CandidateSpec`]).
    pub fn spec(&self) -> Option<CandidateSpec> {
        CandidateSpec::of(&self.id, self.algorithm, self.k, self.eps, self.min_samples)
    }
}

/// The DBSCAN k-distance curve of one min_samples value.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KDistance {
    /// min_samples (k of the k-th neighbour).
    pub min_samples: usize,
    /// Sorted k-th neighbour distances of a deterministic sample of rows (descending).
    pub distances: Vec<f64>,
    /// The knee's distance: the central eps.
    pub knee_eps: f64,
}

/// Everything the sweep produced.
#[derive(Debug, Clone, Serialize)]
pub struct Sweep {
    /// All candidates, k-means first (by k), then DBSCAN.
    pub candidates: Vec<Candidate>,
    /// Principal components DBSCAN ran on.
    pub pca: Option<Pca>,
    /// k-distance curves.
    pub k_distance: Vec<KDistance>,
    /// The ids of the candidates that could not be fitted (a k-means k no seed converged
    /// for, a DBSCAN setting that failed).
    pub skipped: Vec<String>,
    /// The rows (matrix indices, ascending) the candidates were fitted and scored on when
    /// the matrix has more than [`ClusterOptions::sample_above`] rows; `None`: every row.
    /// A candidate's `labels` and `core` are then per sampled row: [`complete`] extends
    /// the chosen one to every row.
    #[serde(skip)]
    pub sample: Option<Vec<usize>>,
}

/// A progress counter the caller may show; the library never prints.
pub trait Progress: Sync {
    /// Announces the number of jobs.
    fn start(&self, jobs: u64);
    /// One job done.
    fn tick(&self);
}

/// No progress display.
pub struct Quiet;

impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn tick(&self) {}
}

enum Job {
    Fit {
        k: usize,
        seed: u64,
    },
    /// Every start of one bootstrap subsample's refits (the subsample copied once).
    Boot {
        k: usize,
        b: usize,
    },
    Dbscan {
        eps: f64,
        min_samples: usize,
    },
    DbscanBoot {
        eps: f64,
        min_samples: usize,
        b: usize,
    },
}

enum Outcome {
    Fit(usize, u64, Option<KMeansModel>),
    Boot(usize, usize, Option<KMeansModel>),
    Dbscan(f64, usize, Option<DbscanModel>),
    DbscanBoot(f64, usize, Vec<Option<usize>>, Vec<usize>),
}

/// The rows of bootstrap subsample `b` of the k-means candidate with `k` segments.
fn boot_rows(n: usize, k: usize, b: usize, opts: &ClusterOptions) -> Vec<usize> {
    subsample(
        n,
        opts.bootstrap_share,
        opts.seed ^ (0xB00 + b as u64 * 7919 + k as u64),
    )
}

/// The centres of a fit with its two segments whose merge adds the least inertia (Ward's
/// cost n_a n_b / (n_a + n_b) ‖c_a − c_b‖²) put together at their weighted mean, the merged
/// centre in the place of the first of the two: a start for one segment fewer. `None` below
/// two segments.
fn merge_cheapest(m: &KMeansModel) -> Option<Array2<f64>> {
    let k = m.centroids.nrows();
    if k < 2 {
        return None;
    }
    let mut sizes = vec![0usize; k];
    for &l in &m.labels {
        sizes[l] += 1;
    }
    let mut cheapest: Option<(f64, usize, usize)> = None;
    for a in 0..k {
        for b in (a + 1)..k {
            let (na, nb) = (sizes[a] as f64, sizes[b] as f64);
            if na + nb == 0.0 {
                continue;
            }
            let cost = na * nb / (na + nb)
                * super::sq_dist_row(m.centroids.row(a), m.centroids.row(b).as_slice()?);
            if cheapest.is_none_or(|(c, _, _)| cost < c) {
                cheapest = Some((cost, a, b));
            }
        }
    }
    let (_, a, b) = cheapest?;
    let (na, nb) = (sizes[a] as f64, sizes[b] as f64);
    let mut rows = Vec::with_capacity((k - 1) * m.centroids.ncols());
    for j in 0..k {
        if j == a {
            let (ca, cb) = (m.centroids.row(a), m.centroids.row(b));
            rows.extend(
                ca.iter()
                    .zip(cb)
                    .map(|(x, y)| (na * x + nb * y) / (na + nb)),
            );
        } else if j != b {
            rows.extend(m.centroids.row(j).iter());
        }
    }
    Array2::from_shape_vec((k - 1, m.centroids.ncols()), rows).ok()
}

/// The fit kept of the best random start and the merged start, and whether it is the merged
/// one: that only when it is a better optimum, not the same one reached another way (whose
/// inertia differs in the last digits).
fn kept<'a>(best: &'a KMeansModel, merged: Option<&'a KMeansModel>) -> (&'a KMeansModel, bool) {
    match merged {
        Some(m) if m.inertia < best.inertia * (1.0 - 1e-9) => (m, true),
        _ => (best, false),
    }
}

/// Seeds per bootstrap refit: half the kept fit's starts, rounded up (5 of the default 10).
/// With at most 3 a refit at 8–9 segments often stopped in a worse local optimum than the
/// kept fit, and stability partly measured the optimiser, not the data (`tests/it/selection.rs`,
/// nine overlapping blobs). Five against ten: the truth bench's structured shops kept their
/// proposals (seeds 42, 7, 1, 2, 3) except the overlapping six (ARI up on four seeds), the
/// hostile beauty shop went from 4 to 6 segments (ARI 0.33 → 0.51, 5 planted), and the
/// bootstrap's k-means costs half (README, issue 16).
fn boot_seeds(opts: &ClusterOptions) -> usize {
    opts.seeds.div_ceil(2).max(1)
}

fn subsample(n: usize, share: f64, seed: u64) -> Vec<usize> {
    let m = ((n as f64 * share).round() as usize).clamp(1, n);
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut idx = sample(&mut rng, n, m).into_vec();
    idx.sort_unstable();
    idx
}

/// The least stable segment: per segment, the mean of its Jaccard similarities over the
/// resamples where it had points; the minimum over segments.
fn least_stable(per_boot: &[Vec<Option<f64>>]) -> Option<f64> {
    let k = per_boot.iter().map(Vec::len).max()?;
    (0..k)
        .filter_map(|c| {
            mean(
                &per_boot
                    .iter()
                    .filter_map(|j| j.get(c).copied().flatten())
                    .collect::<Vec<_>>(),
            )
        })
        .reduce(f64::min)
}

/// Runs the sweep on the prepared matrix: on every row, or, above
/// [`ClusterOptions::sample_above`] rows, on a seeded sample of that many rows stratified along
/// the first principal component ([`sweep_sample`]); the chosen candidate is then extended
/// to every row with [`complete`].
pub fn sweep(
    x: ArrayView2<f64>,
    traits: &Traits,
    opts: &ClusterOptions,
    progress: &dyn Progress,
) -> Result<Sweep> {
    // A layout that does not fit the matrix is no layout (no trait reference).
    let none = Traits::default();
    let traits = if traits.applies(x.nrows(), x.ncols()) {
        traits
    } else {
        &none
    };
    match sweep_sample(x, opts) {
        None => sweep_rows(x, traits, opts, progress, false),
        Some(rows) => {
            let xs = x.select(Axis(0), &rows);
            let mut s = sweep_rows(xs.view(), &traits.rows(&rows), opts, progress, true)?;
            kmeans_valleys_of_every_row(x, &rows, &mut s.candidates, opts);
            s.sample = Some(rows);
            Ok(s)
        }
    }
}

/// Customers the k-means valleys of a sampled sweep are read from:
/// every customer up to this many, a seeded sample of this many above. A pair of segments is
/// read from at most [`super::metrics::VALLEY_POINTS`] customers anyway; reading all of a
/// 1M-customer shop cost 4 s of the sweep's 8 (README, issue 13).
pub const VALLEY_ROWS: usize = 200_000;

/// The valleys of the k-means candidates (those the selection reads) fitted on the sample
/// `rows` of `x`, read from every row (up to [`VALLEY_ROWS`]): each sampled
/// customer keeps its segment, every other customer joins the segment of the nearest centroid
/// ([`completed`], as DBSCAN's noise is judged). The density estimate's bandwidth narrows
/// with the number of customers it reads (Silverman's rule, n^−1/5), so a sample of 12,000 of
/// 15,000 customers smoothed away dips that every customer shows, and the sampled sweep
/// proposed other splits than the sweep on every customer (README, issue 13: the
/// `benches/unseen` sports shops).
fn kmeans_valleys_of_every_row(
    x: ArrayView2<f64>,
    rows: &[usize],
    candidates: &mut [Candidate],
    opts: &ClusterOptions,
) {
    let n = x.nrows();
    // The rows read, ascending (every row, or the sample and a seeded sample of the rest),
    // and their matrix.
    let (read, copy) = if n <= VALLEY_ROWS {
        ((0..n).collect::<Vec<usize>>(), None)
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x7A11);
        let mut read = sample(&mut rng, n, VALLEY_ROWS).into_vec();
        read.extend_from_slice(rows);
        read.sort_unstable();
        read.dedup();
        let copy = x.select(Axis(0), &read);
        (read, Some(copy))
    };
    let xr = match &copy {
        Some(c) => c.view(),
        None => x.view(),
    };
    let mut in_sample = vec![None; n];
    for (j, &i) in rows.iter().enumerate() {
        in_sample[i] = Some(j);
    }
    candidates
        .par_iter_mut()
        .filter(|c| c.algorithm == Algorithm::KMeans && c.k >= 2)
        .for_each(|c| {
            let sampled: Vec<Option<usize>> = read
                .iter()
                .map(|&i| in_sample[i].and_then(|j| c.labels[j]))
                .collect();
            c.scores.valley = valley(xr, &completed(xr, &sampled), super::metrics::VALLEY_POINTS);
        });
}

/// Strata of the sweep's sample: equal-count bins along the first principal component.
const SAMPLE_STRATA: usize = 10;

/// The rows the sweep fits its candidates on when the matrix has more than
/// [`ClusterOptions::sample_above`] rows (`None`: every row): `sample_above` rows drawn with the
/// stage's seed, stratified along the first principal component (ten equal-count bins, each
/// contributing its share), sorted.
pub fn sweep_sample(x: ArrayView2<f64>, opts: &ClusterOptions) -> Option<Vec<usize>> {
    let n = x.nrows();
    if opts.sample_above == 0 || n <= opts.sample_above || x.ncols() == 0 {
        return None;
    }
    let pca = Pca::fit(x, 0.0, 1, 1);
    let pc1 = pca.transform(x);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| pc1[[a, 0]].total_cmp(&pc1[[b, 0]]).then(a.cmp(&b)));
    let mut strata = vec![None; n];
    for (rank, &i) in order.iter().enumerate() {
        strata[i] = Some(rank * SAMPLE_STRATA / n);
    }
    Some(super::metrics::stratified_sample(
        &strata,
        opts.sample_above,
        opts.seed ^ 0x5A3,
    ))
}

/// The chosen candidate on every row of `x` (the full matrix) when the sweep ran on a sample:
/// labels and core flags per row. k-means is fitted again on every row, starting from the
/// sample fit's centroids; DBSCAN keeps the sample's labels and core rows, and every other row
/// joins the segment of its nearest core row within eps (in the sweep's principal
/// components), or is unassigned. Without a sample: the candidate's own labels.
pub fn complete(
    x: ArrayView2<f64>,
    sweep: &Sweep,
    chosen: &Candidate,
    opts: &ClusterOptions,
) -> Result<(Vec<Option<usize>>, Vec<bool>)> {
    let Some(rows) = &sweep.sample else {
        return Ok((chosen.labels.clone(), chosen.core.clone()));
    };
    let n = x.nrows();
    match chosen.algorithm {
        Algorithm::KMeans => {
            let Some(m) = &chosen.kmeans else {
                return Err(Error::Data(format!("{}: no fitted model", chosen.id)));
            };
            let batch = (n > opts.minibatch_above).then_some(opts.batch_size);
            let fit = KMeansParams::new(m.centroids.nrows())
                .seed(chosen.seed.unwrap_or(opts.seed))
                .max_iter(opts.max_iter)
                .mini_batch(batch)
                .init_centroids(m.centroids.clone())
                .check()
                .map_err(|e| Error::Data(format!("{}: {e}", chosen.id)))?
                .fit_view(x)
                .map_err(|e| Error::Data(format!("{}: {e}", chosen.id)))?;
            Ok((fit.labels.iter().map(|&l| Some(l)).collect(), Vec::new()))
        }
        Algorithm::Dbscan => {
            let (Some(pca), Some(eps)) = (&sweep.pca, chosen.eps) else {
                return Err(Error::Data(format!("{}: no DBSCAN geometry", chosen.id)));
            };
            let z = pca.transform(x);
            let d = z.ncols();
            let mut labels = vec![None; n];
            let mut core = vec![false; n];
            let mut core_rows = Vec::new();
            for (j, &i) in rows.iter().enumerate() {
                labels[i] = chosen.labels[j];
                core[i] = chosen.core[j];
                if chosen.core[j] && chosen.labels[j].is_some() {
                    core_rows.push(i);
                }
            }
            let points: Vec<f64> = core_rows.iter().flat_map(|&i| z.row(i).to_vec()).collect();
            let tree = super::kdtree::KdTree::new(&points, d);
            let mut in_sample = vec![false; n];
            rows.iter().for_each(|&i| in_sample[i] = true);
            let rest: Vec<(usize, Option<usize>)> = (0..n)
                .into_par_iter()
                .filter(|&i| !in_sample[i])
                .map(|i| {
                    let q = z.row(i).to_vec();
                    let mut best: Option<(f64, usize)> = None;
                    tree.within(&q, eps * eps, &mut |c| {
                        let dist = super::sq_dist(&q, &points[c * d..(c + 1) * d]);
                        if best.is_none_or(|(b, bc)| dist < b || (dist == b && c < bc)) {
                            best = Some((dist, c));
                        }
                    });
                    (i, best.and_then(|(_, c)| labels[core_rows[c]]))
                })
                .collect();
            for (i, l) in rest {
                labels[i] = l;
            }
            Ok((labels, core))
        }
    }
}

/// The sweep on every row of `x`; with `sampled`, `x` is the sweep's sample and the k-means
/// candidates' valleys are left for [`kmeans_valleys_of_every_row`].
fn sweep_rows(
    x: ArrayView2<f64>,
    traits: &Traits,
    opts: &ClusterOptions,
    progress: &dyn Progress,
    sampled: bool,
) -> Result<Sweep> {
    let (n, d) = x.dim();
    if d == 0 {
        return Err(Error::Data(
            "the prepared matrix has no column: no feature varies between customers".into(),
        ));
    }
    if n < 2 * opts.k_min.max(2) {
        return Err(Error::Data(format!(
            "{n} customers are too few to segment (at least {} needed)",
            2 * opts.k_min.max(2)
        )));
    }
    let x = x.as_standard_layout().into_owned();
    let ks: Vec<usize> = (opts.k_min..=opts.k_max).filter(|&k| k < n).collect();
    let seeds: Vec<u64> = (0..opts.seeds as u64)
        .map(|s| opts.seed.wrapping_add(s))
        .collect();
    let batch = (n > opts.minibatch_above).then_some(opts.batch_size);
    let kmeans = |k: usize, seed: u64| {
        KMeansParams::new(k)
            .seed(seed)
            .max_iter(opts.max_iter)
            .mini_batch(batch)
            .check()
    };

    // DBSCAN space and eps candidates (cheap, done before the parallel jobs).
    let mut pca = None;
    let mut z = Array2::<f64>::zeros((0, 0));
    let mut k_distance = Vec::new();
    if opts.dbscan && !opts.dbscan_min_samples.is_empty() {
        let p = Pca::fit(x.view(), opts.pca_share, 2.min(d), opts.pca_max);
        z = p.transform(x.view());
        pca = Some(p);
        let rows = subsample(
            n,
            (KDIST_SAMPLE as f64 / n as f64).min(1.0),
            opts.seed ^ 0xD15,
        );
        for &ms in &opts.dbscan_min_samples {
            let mut dist = k_distances(z.view(), &rows, ms);
            dist.reverse();
            let xs: Vec<f64> = (0..dist.len()).map(|i| i as f64).collect();
            if let Some(i) = knee(&xs, &dist) {
                if dist[i] > 0.0 {
                    k_distance.push(KDistance {
                        min_samples: ms,
                        knee_eps: dist[i],
                        distances: dist,
                    });
                }
            }
        }
    }

    let mut jobs = Vec::new();
    for &k in &ks {
        for &s in &seeds {
            jobs.push(Job::Fit { k, seed: s });
        }
        for b in 0..opts.bootstrap {
            jobs.push(Job::Boot { k, b });
        }
    }
    for curve in &k_distance {
        for &f in &opts.dbscan_eps_factors {
            let eps = curve.knee_eps * f;
            jobs.push(Job::Dbscan {
                eps,
                min_samples: curve.min_samples,
            });
            for b in 0..opts.bootstrap {
                jobs.push(Job::DbscanBoot {
                    eps,
                    min_samples: curve.min_samples,
                    b,
                });
            }
        }
    }
    progress.start(jobs.len() as u64);
    let starts = boot_seeds(opts);
    // A job gives one outcome, a bootstrap job one per start; `collect` keeps the jobs' order.
    let outcomes: Vec<Outcome> = jobs
        .par_iter()
        .flat_map_iter(|job| {
            let out = match *job {
                Job::Fit { k, seed } => vec![Outcome::Fit(
                    k,
                    seed,
                    kmeans(k, seed).ok().and_then(|p| p.fit_view(x.view()).ok()),
                )],
                Job::Boot { k, b } => {
                    let sub = x.select(Axis(0), &boot_rows(n, k, b, opts));
                    (0..starts)
                        .map(|s| {
                            let m =
                                kmeans(k, opts.seed.wrapping_add(1000 + (b * starts + s) as u64))
                                    .ok()
                                    .and_then(|p| p.fit_view(sub.view()).ok());
                            Outcome::Boot(k, b, m)
                        })
                        .collect()
                }
                Job::Dbscan { eps, min_samples } => {
                    let model = DbscanParams::new(eps, min_samples)
                        .check()
                        .ok()
                        .and_then(|p| p.fit_view(z.view()).ok());
                    vec![Outcome::Dbscan(eps, min_samples, model)]
                }
                Job::DbscanBoot {
                    eps,
                    min_samples,
                    b,
                } => {
                    let idx = subsample(n, opts.bootstrap_share, opts.seed ^ (0xDB0 + b as u64));
                    let sub = z.select(Axis(0), &idx);
                    // The same density in a subsample: min_samples scaled by its share.
                    let scaled =
                        ((min_samples as f64 * opts.bootstrap_share).round() as usize).max(2);
                    let labels = DbscanParams::new(eps, scaled)
                        .check()
                        .ok()
                        .and_then(|p| p.fit_view(sub.view()).ok())
                        .map(|m| m.labels)
                        .unwrap_or_default();
                    vec![Outcome::DbscanBoot(eps, min_samples, labels, idx)]
                }
            };
            progress.tick();
            out
        })
        .collect();

    // Starts from the neighbouring k: for every k, the fit kept with k + 1 segments on the same
    // rows with its cheapest pair merged (and likewise for every bootstrap subsample, from the
    // refits with k + 1 of that subsample's number). Random k-means++ starts often miss the
    // optimum where a large segment splits more cheaply than two close ones part (nine planted
    // segments: 2 of 10 starts found it); the fit with one segment more has usually parted
    // them, and its cheapest merge is the start that finds it. Kept only where it fits better.
    let best_of = |k: usize, b: Option<usize>| {
        outcomes
            .iter()
            .filter_map(|o| match (o, b) {
                (Outcome::Fit(kk, _, Some(m)), None) if *kk == k => Some(m),
                (Outcome::Boot(kk, bb, Some(m)), Some(b)) if *kk == k && *bb == b => Some(m),
                _ => None,
            })
            .min_by(|a, b| a.inertia.total_cmp(&b.inertia))
    };
    // From the largest k down, so that a merged fit that won at k + 1 is the start at k. Keyed
    // by k and bootstrap subsample (`None`: all rows).
    let mut merged: BTreeMap<(usize, Option<usize>), KMeansModel> = BTreeMap::new();
    let mut down: Vec<usize> = ks.clone();
    down.sort_unstable_by(|a, b| b.cmp(a));
    for &k in &down {
        if !ks.contains(&(k + 1)) {
            continue;
        }
        let starts: Vec<(Option<usize>, Array2<f64>)> = std::iter::once(None)
            .chain((0..opts.bootstrap).map(Some))
            .filter_map(|b| {
                let (above, _) = kept(best_of(k + 1, b)?, merged.get(&(k + 1, b)));
                Some((b, merge_cheapest(above)?))
            })
            .collect();
        let fits: Vec<(Option<usize>, Option<KMeansModel>)> = starts
            .into_par_iter()
            .map(|(b, start)| {
                let params = KMeansParams::new(k)
                    .seed(opts.seed)
                    .max_iter(opts.max_iter)
                    .mini_batch(batch)
                    .init_centroids(start)
                    .check()
                    .ok();
                let m = match b {
                    None => params.and_then(|p| p.fit_view(x.view()).ok()),
                    Some(b) => {
                        let sub = x.select(Axis(0), &boot_rows(n, k, b, opts));
                        params.and_then(|p| p.fit_view(sub.view()).ok())
                    }
                };
                (b, m)
            })
            .collect();
        for (b, m) in fits {
            if let Some(m) = m {
                merged.insert((k, b), m);
            }
        }
    }

    let mut candidates = Vec::new();
    let mut skipped = Vec::new();
    for &k in &ks {
        let fits: Vec<(u64, &KMeansModel)> = outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Fit(kk, s, Some(m)) if *kk == k => Some((*s, m)),
                _ => None,
            })
            .collect();
        let Some(&(seed, best)) = fits
            .iter()
            .min_by(|a, b| a.1.inertia.total_cmp(&b.1.inertia).then(a.0.cmp(&b.0)))
        else {
            skipped.push(format!("kmeans-k{k}"));
            continue;
        };
        // The kept fit: the best random start, or the merged start where it fits better (no
        // seed then: it started from the fit with k + 1).
        let (best, from_merge) = kept(best, merged.get(&(k, None)));
        let seed = (!from_merge).then_some(seed);
        let labels: Vec<Option<usize>> = best.labels.iter().map(|&l| Some(l)).collect();
        let pairs: Vec<f64> = fits
            .iter()
            .filter(|(s, _)| Some(*s) != seed)
            .map(|(_, m)| {
                let other: Vec<Option<usize>> = m.labels.iter().map(|&l| Some(l)).collect();
                adjusted_rand_index(&other, &labels)
            })
            .collect();
        // Each bootstrap subsample's best refit, compared with the kept fit on its rows.
        let boots: Vec<(f64, Vec<Option<f64>>)> = (0..opts.bootstrap)
            .filter_map(|b| {
                let (best, _) = kept(best_of(k, Some(b))?, merged.get(&(k, Some(b))));
                let rows = boot_rows(n, k, b, opts);
                let refit: Vec<Option<usize>> = best.labels.iter().map(|&l| Some(l)).collect();
                let kept: Vec<Option<usize>> = rows.iter().map(|&i| labels[i]).collect();
                Some((
                    adjusted_rand_index(&refit, &kept),
                    best_jaccard(&kept, &refit),
                ))
            })
            .collect();
        let (boots, jaccards): (Vec<f64>, Vec<Vec<Option<f64>>>) = boots.into_iter().unzip();
        candidates.push(Candidate {
            id: CandidateSpec::KMeans { k }.id(),
            algorithm: Algorithm::KMeans,
            k,
            seed,
            eps: None,
            min_samples: None,
            scores: Scores {
                stability_seeds: mean(&pairs),
                stability_bootstrap: mean(&boots),
                segment_stability: least_stable(&jaccards),
                ..Scores::default()
            },
            labels,
            kmeans: Some(best.clone()),
            core: Vec::new(),
        });
    }
    for o in &outcomes {
        if let Outcome::Dbscan(eps, ms, model) = o {
            let id = CandidateSpec::Dbscan {
                k: None,
                min_samples: *ms,
                eps: *eps,
            }
            .id();
            let Some(model) = model else {
                skipped.push(id);
                continue;
            };
            let labels = &model.labels;
            let boots: Vec<(f64, Vec<Option<f64>>)> = outcomes
                .iter()
                .filter_map(|b| match b {
                    Outcome::DbscanBoot(e, m, bl, idx) if e == eps && m == ms && !bl.is_empty() => {
                        let full: Vec<Option<usize>> = idx.iter().map(|&i| labels[i]).collect();
                        Some((adjusted_rand_index(bl, &full), best_jaccard(&full, bl)))
                    }
                    _ => None,
                })
                .collect();
            let (boots, jaccards): (Vec<f64>, Vec<Vec<Option<f64>>>) = boots.into_iter().unzip();
            candidates.push(Candidate {
                id,
                algorithm: Algorithm::Dbscan,
                k: cluster_count(labels),
                seed: None,
                eps: Some(*eps),
                min_samples: Some(*ms),
                scores: Scores {
                    stability_bootstrap: mean(&boots),
                    segment_stability: least_stable(&jaccards),
                    ..Scores::default()
                },
                labels: labels.clone(),
                kmeans: None,
                core: model.core.clone(),
            });
        }
    }
    let gap = GapReference::new(x.view(), &ks, opts, Null::Components);
    let trait_gap = traits
        .applies(n, d)
        .then(|| GapReference::new(x.view(), &ks, opts, Null::Traits(traits)));
    candidates
        .par_iter_mut()
        .for_each(|c| score(x.view(), c, opts, &gap, trait_gap.as_ref(), sampled));
    Ok(Sweep {
        candidates,
        pca,
        k_distance,
        skipped,
        sample: None,
    })
}

/// Rows of the sample the gap statistic is computed on.
const GAP_SAMPLE: usize = 2000;
/// Reference draws of the gap statistic.
const GAP_DRAWS: usize = 8;

/// How the structure test's trait reference shuffles the matrix (`Null::Traits`): each
/// column's family of traits ([`crate::catalog::family`]) and each row's stratum, the
/// customer's number of orders. Empty (the default): no trait reference is computed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits {
    /// Per matrix column: its family (columns of one family are shuffled together), `None`
    /// for a column that stays with its row (the order count the rows are grouped by).
    pub families: Vec<Option<usize>>,
    /// Per matrix row: its stratum; rows are shuffled only within their stratum (a shop
    /// without orders has every row in stratum 0).
    pub strata: Vec<usize>,
}

/// Orders from which on customers share one stratum of the trait reference: a customer's
/// first few orders make the all-or-nothing traits (ever returned, any discount, a single
/// order's season) that the reference must keep; from this many on they are shares.
pub const ORDER_STRATA: usize = 6;

impl Traits {
    /// The layout of a prepared matrix: its columns' features (a column stands for the
    /// first) and each row's number of orders (`None` or not finite: no orders).
    pub fn new(column_features: &[&str], orders: &[Option<f64>]) -> Traits {
        let mut names: Vec<&str> = Vec::new();
        let families = column_features
            .iter()
            .map(|f| {
                (*f != crate::catalog::ORDER_COUNT).then(|| {
                    let family = crate::catalog::family(f);
                    names.iter().position(|n| *n == family).unwrap_or_else(|| {
                        names.push(family);
                        names.len() - 1
                    })
                })
            })
            .collect();
        let strata = orders
            .iter()
            .map(|o| match o {
                Some(v) if v.is_finite() && *v > 0.0 => (v.round() as usize).min(ORDER_STRATA),
                _ => 0,
            })
            .collect();
        Traits { families, strata }
    }

    /// The layout of a subset of the rows (of a layout that [`Traits::applies`] to the
    /// matrix, or the empty one).
    fn rows(&self, rows: &[usize]) -> Traits {
        Traits {
            families: self.families.clone(),
            strata: if self.strata.is_empty() {
                Vec::new()
            } else {
                rows.iter().map(|&i| self.strata[i]).collect()
            },
        }
    }

    /// The distinct families, ascending.
    fn family_ids(&self) -> Vec<usize> {
        let mut fams: Vec<usize> = self.families.iter().flatten().copied().collect();
        fams.sort_unstable();
        fams.dedup();
        fams
    }

    /// Whether it can shuffle a matrix of `rows` × `cols`: a family for every column, a
    /// stratum for every row, and at least two families to break apart.
    fn applies(&self, rows: usize, cols: usize) -> bool {
        self.families.len() == cols && self.strata.len() == rows && self.family_ids().len() >= 2
    }
}

/// What a gap statistic's reference data keeps of the customers.
#[derive(Debug, Clone, Copy)]
enum Null<'a> {
    /// Each principal component of the sample permuted on its own: every component's
    /// distribution (skew, lumps, outliers) and the total spread, no joint structure.
    Components,
    /// Each family of traits ([`Traits`]) shuffled as a block among the customers with the
    /// same number of orders: every family's joint distribution and what the number of
    /// orders implies for it (a one-time buyer's all-or-nothing shares, inter-purchase time
    /// missing), no link between families.
    Traits(&'a Traits),
}

/// The reference of the gap statistic (Tibshirani, Walther & Hastie 2001), with a null that
/// keeps what a single population has and removes what segments add ([`Null`]). A shop made
/// of one population has about as tight k-means clusters as its reference (gap ≈ 0), a shop
/// made of segments has tighter ones.
struct GapReference {
    /// Sample rows.
    rows: Vec<usize>,
    /// Per k (index k − 1): mean and standard deviation of ln W_k over the draws.
    null: Vec<Option<(f64, f64)>>,
}

impl GapReference {
    fn new(x: ArrayView2<f64>, ks: &[usize], opts: &ClusterOptions, kind: Null) -> GapReference {
        let n = x.nrows();
        let rows = subsample(
            n,
            (GAP_SAMPLE as f64 / n as f64).min(1.0),
            opts.seed ^ 0x6A9,
        );
        let s = x.select(Axis(0), &rows);
        let d = s.ncols();
        // The data the draws shuffle, their seeds' salt, and the sample's layout.
        let (base, salt, layout) = match kind {
            Null::Components => (
                Pca::fit(s.view(), 1.0, d, d).transform(s.view()),
                0x6A90,
                Traits::default(),
            ),
            Null::Traits(t) => (s, 0x7B10, t.rows(&rows)),
        };
        let kmax = ks.iter().copied().max().unwrap_or(1);
        let jobs: Vec<(usize, usize)> = (0..GAP_DRAWS)
            .flat_map(|b| ks.iter().map(move |&k| (b, k)))
            .collect();
        let draws: Vec<Array2<f64>> = (0..GAP_DRAWS)
            .map(|b| {
                let mut rng = ChaCha8Rng::seed_from_u64(opts.seed ^ (salt + b as u64));
                match kind {
                    Null::Components => {
                        let mut r = base.clone();
                        for mut col in r.columns_mut() {
                            let mut v = col.to_vec();
                            v.shuffle(&mut rng);
                            col.assign(&ndarray::Array1::from(v));
                        }
                        r
                    }
                    Null::Traits(_) => shuffle_traits(base.view(), &layout, &mut rng),
                }
            })
            .collect();
        let w: Vec<(usize, usize, Option<f64>)> = jobs
            .par_iter()
            .map(|&(b, k)| (b, k, within(draws[b].view(), k, opts)))
            .collect();
        let mut null = vec![None; kmax];
        // k = 1: shuffling keeps every column's spread, so W_1 is the data's own.
        if kmax >= 1 {
            null[0] = within(base.view(), 1, opts).map(|w1| (w1.ln(), 0.0));
        }
        for &k in ks {
            let logs: Vec<f64> = w
                .iter()
                .filter(|(_, kk, _)| *kk == k)
                .filter_map(|(_, _, w)| w.filter(|&w| w > 0.0).map(f64::ln))
                .collect();
            if logs.len() == GAP_DRAWS {
                let m = logs.iter().sum::<f64>() / logs.len() as f64;
                let sd =
                    (logs.iter().map(|l| (l - m).powi(2)).sum::<f64>() / logs.len() as f64).sqrt();
                null[k - 1] = Some((m, sd * (1.0 + 1.0 / GAP_DRAWS as f64).sqrt()));
            }
        }
        GapReference { rows, null }
    }

    /// Gap and its standard error for a labelling (noise completed to the nearest segment).
    fn gap(&self, x: ArrayView2<f64>, labels: &[Option<usize>]) -> Option<(f64, f64)> {
        let sub: Vec<Option<usize>> = self.rows.iter().map(|&i| labels[i]).collect();
        let k = cluster_count(&sub);
        let (m, se) = (*self.null.get(k.checked_sub(1)?)?)?;
        let s = x.select(Axis(0), &self.rows);
        let (c, _) = centroids(s.view(), &sub);
        let w = inertia(s.view(), &sub, c.view());
        (w > 0.0).then(|| (m - w.ln(), se))
    }
}

/// `x` with each family's columns moved as one block to another row of the same stratum
/// (one permutation per family and stratum); columns of no family stay with their row.
fn shuffle_traits(x: ArrayView2<f64>, t: &Traits, rng: &mut ChaCha8Rng) -> Array2<f64> {
    let mut out = x.to_owned();
    let mut strata: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &s) in t.strata.iter().enumerate() {
        strata.entry(s).or_default().push(i);
    }
    for f in t.family_ids() {
        let cols: Vec<usize> = (0..t.families.len())
            .filter(|&j| t.families[j] == Some(f))
            .collect();
        for members in strata.values() {
            let mut from = members.clone();
            from.shuffle(rng);
            for (&to, &src) in members.iter().zip(&from) {
                for &j in &cols {
                    out[[to, j]] = x[[src, j]];
                }
            }
        }
    }
    out
}

/// Within-cluster sum of squares of the best of two k-means fits (the data's candidates are
/// best-of-several fits too).
fn within(x: ArrayView2<f64>, k: usize, opts: &ClusterOptions) -> Option<f64> {
    (0..2u64)
        .filter_map(|s| {
            KMeansParams::new(k)
                .seed(opts.seed.wrapping_add(77 + s))
                .max_iter(opts.max_iter)
                .check()
                .ok()?
                .fit_view(x)
                .ok()
        })
        .map(|m| m.inertia)
        .min_by(f64::total_cmp)
}

/// DBSCAN noise completed to the nearest segment centroid: the partition of every customer
/// that the scores judge (noise is not left out, which would flatter a candidate).
fn completed(x: ArrayView2<f64>, labels: &[Option<usize>]) -> Vec<Option<usize>> {
    if labels.iter().all(Option::is_some) {
        return labels.to_vec();
    }
    let (c, sizes) = centroids(x, labels);
    let present: Vec<usize> = (0..c.nrows()).filter(|&j| sizes[j] > 0).collect();
    (0..labels.len())
        .into_par_iter()
        .map(|i| {
            labels[i].or_else(|| {
                present
                    .iter()
                    .map(|&j| (super::metrics::sq_dist(x.row(i), c.row(j)), j))
                    .min_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, j)| j)
            })
        })
        .collect()
}

/// Fills the label-based scores of a candidate (in the matrix space, for every algorithm;
/// with `sampled`, a k-means candidate's valley is read later, from every row).
fn score(
    x: ArrayView2<f64>,
    c: &mut Candidate,
    opts: &ClusterOptions,
    gap: &GapReference,
    trait_gap: Option<&GapReference>,
    sampled: bool,
) {
    let n = c.labels.len() as f64;
    let (_, sizes) = centroids(x, &c.labels);
    let s = &mut c.scores;
    s.noise_share = c.labels.iter().filter(|l| l.is_none()).count() as f64 / n;
    s.smallest_share = sizes.iter().copied().min().unwrap_or(0) as f64 / n;
    let full = completed(x, &c.labels);
    let (cent, _) = centroids(x, &full);
    if c.k >= 1 {
        s.inertia = Some(inertia(x, &full, cent.view()));
    }
    if c.k >= 2 {
        s.silhouette = silhouette(x, &full, opts.silhouette_sample, opts.seed);
        s.calinski_harabasz = calinski_harabasz(x, &full);
        s.davies_bouldin = davies_bouldin(x, &full);
        if !(sampled && c.algorithm == Algorithm::KMeans) {
            s.valley = valley(x, &full, super::metrics::VALLEY_POINTS);
        }
        if let Some((g, se)) = gap.gap(x, &full) {
            s.gap = Some(g);
            s.gap_se = Some(se);
        }
        if let Some((g, se)) = trait_gap.and_then(|t| t.gap(x, &full)) {
            s.trait_gap = Some(g);
            s.trait_gap_se = Some(se);
        }
    }
    s.stability = s.stability_bootstrap;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Families by hand: the order count stays with its row; features from the same facts
    /// share a family in order of first appearance; a one-hot feature's columns are one
    /// family; a feature of no listed family is its own. Strata: no orders or not a number
    /// 0, then the number of orders, from [`ORDER_STRATA`] on one stratum.
    #[test]
    fn a_layout_by_hand() {
        let t = Traits::new(
            &[
                "recency_days",
                "frequency",
                "net_revenue",
                "tenure_days",
                "gender",
                "gender",
                "survey_price",
                "survey_answered",
                "age",
            ],
            &[
                None,
                Some(1.0),
                Some(3.0),
                Some(6.0),
                Some(40.0),
                Some(f64::NAN),
                Some(0.0),
            ],
        );
        assert_eq!(
            t.families,
            vec![
                Some(0),
                None,
                Some(1),
                Some(0),
                Some(2),
                Some(2),
                Some(3),
                Some(3),
                Some(4)
            ]
        );
        assert_eq!(t.strata, vec![0, 1, 3, 6, 6, 0, 0]);
        assert!(t.applies(7, 9));
        assert!(!t.applies(6, 9) && !t.applies(7, 8));
        assert_eq!(t.rows(&[1, 3]).strata, vec![1, 6]);
        // One family is nothing to break apart.
        assert!(!Traits::new(&["frequency", "aov", "net_revenue"], &[Some(1.0)]).applies(1, 3));
        assert!(!Traits::default().applies(0, 0));
    }

    /// The shuffle moves a family's columns as one block to a row of the same stratum: every
    /// output row's block is an input row's block of that stratum, each input block is used
    /// once per stratum, and columns without a family stay with their row.
    #[test]
    fn shuffled_families_stay_whole_within_their_stratum() {
        let n = 60;
        // Column 0: order count (kept); 1–2: one family (2 = 10 × 1, so a torn block shows);
        // 3: another family; values encode their row so origins can be traced.
        let t = Traits {
            families: vec![None, Some(0), Some(0), Some(1)],
            strata: (0..n).map(|i| i % 3).collect(),
        };
        let x = Array2::from_shape_fn((n, 4), |(i, j)| match j {
            0 => (i % 3) as f64,
            1 => i as f64,
            2 => 10.0 * i as f64,
            _ => 1000.0 + i as f64,
        });
        for seed in 0..5 {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let y = shuffle_traits(x.view(), &t, &mut rng);
            assert_eq!(y.column(0), x.column(0));
            let mut from_a: Vec<usize> = Vec::new();
            let mut from_b: Vec<usize> = Vec::new();
            for i in 0..n {
                let a = y[[i, 1]] as usize;
                assert_eq!(y[[i, 2]], 10.0 * a as f64, "torn block at row {i}");
                let b = (y[[i, 3]] - 1000.0) as usize;
                assert_eq!((a % 3, b % 3), (i % 3, i % 3), "left its stratum");
                from_a.push(a);
                from_b.push(b);
            }
            from_a.sort_unstable();
            from_b.sort_unstable();
            assert_eq!(from_a, (0..n).collect::<Vec<_>>());
            assert_eq!(from_b, (0..n).collect::<Vec<_>>());
            // The two families are shuffled apart (not moved together).
            assert!((0..n).any(|i| y[[i, 1]] as usize != (y[[i, 3]] - 1000.0) as usize));
            // Same seed, same shuffle.
            let again = shuffle_traits(x.view(), &t, &mut ChaCha8Rng::seed_from_u64(seed));
            assert_eq!(again, y);
        }
    }
}
