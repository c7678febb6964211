//! Large-n discovery: the sweep on a seeded sample pulled from the cluster, then the chosen
//! k-means model's final Lloyd iterations and the assignment of every customer as distributed
//! queries.
//!
//! 1. **Sample.** At most `n` customers of the cluster's feature table, the `n` smallest by
//!    `sha256('<seed>:' || customer_id)` (ties by id): the same seed gives the same sample on
//!    any partitioning and any number of executors. The sample comes back as Parquet and
//!    becomes a segmint [`Features`] with the catalog of `features.json`.
//! 2. **Sweep and selection**, on the client: [`segmint::pipeline::discover_from_features`],
//!    the stages of `segmint discover` after ingest and features, with the mapping's prepare
//!    and cluster options. The prepare transforms are fitted on the sample.
//! 3. **Lloyd on every customer**, on the cluster: each step is one query, the centroids go
//!    into the plan as literals (a broadcast without a join), every row goes to its nearest
//!    centroid with the SQL of [`crate::assign`], and a `GROUP BY` of the segment returns the
//!    count and the sum of every matrix column per segment (k rows) to the client, which
//!    divides. A segment nobody is nearest to keeps its centroid. The steps stop when no
//!    centroid moves more than the tolerance (Euclidean, in matrix units) or after `max_iter`.
//!    The segments are then numbered by size, largest first (ties by centroid), as segmint
//!    numbers them; segments that ended empty are left out.
//! 4. **Assignment** of every customer with [`crate::assign::write`] (partitioned Parquet),
//!    and `model.json` with segmint's own model type and writer, so `segmint assign`,
//!    `segmint score` and `segmint-ballista assign` read it.
//!
//! DBSCAN has no centroids to refine: when the sweep on the sample proposes a DBSCAN
//! candidate, [`write`] refuses with [`Error::Dbscan`]; force k-means (`--k K` or
//! `--kmeans`, i.e. [`Overrides`]) or run `segmint discover` on one machine.
//!
//! With a sample of every customer the result is segmint's local discover: the same
//! candidate, and Lloyd started from its centroids stops at the first step (its centroids are
//! the means of its segments), up to the ~1e-15 of the cluster's arithmetic.

use std::path::Path;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, Float64Type, Int64Type};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::SessionContext;

use segmint::cluster::sweep::Quiet;
use segmint::config::Config;
use segmint::features::Features;
use segmint::model::SegmentModel;
use segmint::select::Overrides;

use crate::assign::{nearest, register_features};
use crate::cluster::{location, register_parquet};
use crate::error::{Context, Error, Result, io};
use crate::features::FeaturesWritten;

/// Default number of Lloyd steps on the cluster.
pub const MAX_ITER: usize = 50;
/// Default tolerance: the steps stop when no centroid moves farther (Euclidean distance in
/// the matrix space, whose columns are scaled to about unit spread).
pub const TOLERANCE: f64 = 1e-9;

/// How [`write`] discovers.
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Customers in the sample the sweep runs on (at most; all of them if fewer).
    pub sample: usize,
    /// Seed of the sample.
    pub seed: u64,
    /// Lloyd steps on the cluster, at most.
    pub max_iter: usize,
    /// Stop when no centroid moves farther than this.
    pub tolerance: f64,
    /// A forced k or algorithm, as `segmint discover --k`.
    pub overrides: Overrides,
}

impl DiscoverOptions {
    /// A sample of `sample` customers drawn with `seed`, the default steps and tolerance.
    pub fn new(sample: usize, seed: u64) -> DiscoverOptions {
        DiscoverOptions {
            sample,
            seed,
            max_iter: MAX_ITER,
            tolerance: TOLERANCE,
            overrides: Overrides::default(),
        }
    }
}

/// What [`write`] wrote (also as `out/discover.json`): segmint's type for that file, which
/// `segmint run --engine ballista` reads.
pub use segmint::run::cluster::ClusterDiscovery as DiscoverWritten;

/// One Lloyd step on the cluster.
#[derive(Debug, Clone, PartialEq)]
pub struct LloydStep {
    /// Customers nearest to each centroid (in the model's order).
    pub counts: Vec<u64>,
    /// The new centroids: the mean of the matrix rows nearest to each, or the old centroid
    /// where none is.
    pub centroids: Vec<Vec<f64>>,
    /// The largest distance a centroid moved.
    pub shift: f64,
}

/// The model after [`refine`].
#[derive(Debug, Clone)]
pub struct Refined {
    /// The model with the refined centroids, numbered by size (largest first).
    pub model: SegmentModel,
    /// Lloyd steps run.
    pub iterations: usize,
    /// Whether they stopped at the tolerance.
    pub converged: bool,
    /// The largest centroid move of the last step.
    pub shift: f64,
    /// Customers per segment of the last step, in the refined model's order.
    pub counts: Vec<u64>,
}

/// `features.json` of a feature table written by [`crate::features::write`]: `features` is
/// its folder (`OUT/features`), the catalog is `OUT/features.json` (segmint's reader).
pub use segmint::run::cluster::read_catalog;

/// The sample query over a registered table `features`: `customer_id` and `columns`, at most
/// `n` rows, those with the smallest `sha256('<seed>:' || customer_id)`.
pub fn sample_sql(columns: &[String], n: usize, seed: u64) -> String {
    let mut cols = vec!["customer_id".to_string()];
    cols.extend(
        columns
            .iter()
            .map(|c| format!("\"{}\"", c.replace('"', "\"\""))),
    );
    format!(
        "SELECT {} FROM features \
         ORDER BY sha256(concat('{seed}:', CAST(customer_id AS VARCHAR))), customer_id \
         LIMIT {n}",
        cols.join(", ")
    )
}

/// Pulls a seeded sample of at most `n` customers of the feature table in `features` (see
/// [`sample_sql`]) through the Parquet folder `staging` (removed afterwards), as segmint
/// features sorted by customer id.
pub async fn sample(
    ctx: &SessionContext,
    features: &Path,
    catalog: &FeaturesWritten,
    n: usize,
    seed: u64,
    staging: &Path,
) -> Result<Features> {
    if n == 0 {
        return Err(Error::Input(
            "a sample of 0 customers: give --sample N with N ≥ 1 (e.g. 100000)".into(),
        ));
    }
    let as_of = chrono::NaiveDate::parse_from_str(&catalog.as_of, "%Y-%m-%d").map_err(|e| {
        Error::Input(format!(
            "features.json: as_of {:?} is not a date ({e}); compute the features again",
            catalog.as_of
        ))
    })?;
    register_parquet(ctx, "features", features).await?;
    let names: Vec<String> = catalog.specs.iter().map(|s| s.name.clone()).collect();
    if staging.exists() {
        std::fs::remove_dir_all(staging).map_err(io(staging))?;
    }
    ctx.sql(&sample_sql(&names, n, seed))
        .await
        .ctx("planning the sample")?
        .write_parquet(
            &location(staging, true)?,
            DataFrameWriteOptions::new(),
            None,
        )
        .await
        .ctx("pulling the sample")?;
    ctx.deregister_table("features").ctx("pulling the sample")?;
    let table = segmint::run::cluster::read_table(staging)?;
    std::fs::remove_dir_all(staging).map_err(io(staging))?;
    Ok(Features {
        table,
        specs: catalog.specs.clone(),
        sources: Vec::new(),
        as_of,
    })
}

/// The Lloyd step's query over a registered table `features`: per segment `s0` (0-based),
/// `n` customers and `sum0`, `sum1`, … of the matrix columns.
pub fn lloyd_sql(model: &SegmentModel) -> Result<String> {
    let nearest = nearest(model)?;
    let sums: Vec<String> = (0..model.prepare.columns.len())
        .map(|t| format!("SUM(x{t}) AS sum{t}"))
        .collect();
    Ok(format!(
        "WITH {nearest} SELECT s0, COUNT(*) AS n, {} FROM lab2 GROUP BY s0",
        sums.join(", ")
    ))
}

fn column(b: &RecordBatch, i: usize) -> &dyn Array {
    b.column(i).as_ref()
}

/// One Lloyd step of the model's centroids over every customer of the feature table in
/// `features`, on the cluster.
pub async fn lloyd_step(
    ctx: &SessionContext,
    model: &SegmentModel,
    features: &Path,
) -> Result<LloydStep> {
    register_features(ctx, model, features).await?;
    let batches = ctx
        .sql(&lloyd_sql(model)?)
        .await
        .ctx("planning a Lloyd step")?
        .collect()
        .await
        .ctx("running a Lloyd step")?;
    ctx.deregister_table("features")
        .ctx("running a Lloyd step")?;
    let k = model.centroids.len();
    let dims = model.prepare.columns.len();
    let mut counts = vec![0u64; k];
    let mut centroids = model.centroids.clone();
    let bad = |what: &str| Error::Input(format!("a Lloyd step returned {what}; re-run discover"));
    for b in &batches {
        if b.num_columns() != dims + 2 {
            return Err(bad(&format!("{} columns", b.num_columns())));
        }
        let cast = |i: usize, t: &DataType| {
            datafusion::arrow::compute::cast(column(b, i), t).ctx("reading a Lloyd step")
        };
        let seg = cast(0, &DataType::Int64)?;
        let seg = seg.as_primitive::<Int64Type>();
        let n = cast(1, &DataType::Int64)?;
        let n = n.as_primitive::<Int64Type>();
        let sums: Vec<_> = (0..dims)
            .map(|t| cast(t + 2, &DataType::Float64))
            .collect::<Result<_>>()?;
        for r in 0..b.num_rows() {
            if seg.is_null(r) || n.is_null(r) {
                return Err(bad("a row without a segment"));
            }
            let j = usize::try_from(seg.value(r))
                .ok()
                .filter(|&j| j < k)
                .ok_or_else(|| bad(&format!("segment {}", seg.value(r))))?;
            let count = u64::try_from(n.value(r)).unwrap_or(0);
            if count == 0 {
                continue;
            }
            counts[j] = count;
            for (t, s) in sums.iter().enumerate() {
                let s = s.as_primitive::<Float64Type>();
                if s.is_null(r) || !s.value(r).is_finite() {
                    return Err(bad("a sum that is not a number"));
                }
                centroids[j][t] = s.value(r) / count as f64;
            }
        }
    }
    let shift = model
        .centroids
        .iter()
        .zip(&centroids)
        .map(|(a, b)| {
            a.iter()
                .zip(b)
                .map(|(x, y)| (x - y) * (x - y))
                .sum::<f64>()
                .sqrt()
        })
        .fold(0.0, f64::max);
    Ok(LloydStep {
        counts,
        centroids,
        shift,
    })
}

/// Lloyd steps on the cluster from the model's centroids until no centroid moves farther than
/// `tolerance` or after `max_iter` steps; the segments then numbered by size (largest first,
/// ties by centroid), those that ended empty left out.
pub async fn refine(
    ctx: &SessionContext,
    model: &SegmentModel,
    features: &Path,
    max_iter: usize,
    tolerance: f64,
) -> Result<Refined> {
    if max_iter == 0 {
        return Err(Error::Input(
            "--max-iter 0: give at least 1 Lloyd step (e.g. 50)".into(),
        ));
    }
    if tolerance.is_nan() || tolerance < 0.0 {
        return Err(Error::Input(format!(
            "tolerance {tolerance}: give a number ≥ 0 (e.g. {TOLERANCE})"
        )));
    }
    let mut model = model.clone();
    let mut last = None;
    let mut iterations = 0;
    let mut converged = false;
    while iterations < max_iter {
        let step = lloyd_step(ctx, &model, features).await?;
        iterations += 1;
        model.centroids = step.centroids.clone();
        converged = step.shift <= tolerance;
        last = Some(step);
        if converged {
            break;
        }
    }
    let step = last.ok_or_else(|| Error::Input("no Lloyd step ran".into()))?;
    let c = &model.centroids;
    let mut order: Vec<usize> = (0..c.len()).filter(|&j| step.counts[j] > 0).collect();
    order.sort_by(|&a, &b| {
        step.counts[b].cmp(&step.counts[a]).then_with(|| {
            c[a].iter()
                .zip(&c[b])
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    });
    model.centroids = order.iter().map(|&j| c[j].clone()).collect();
    model.k = model.centroids.len();
    Ok(Refined {
        counts: order.iter().map(|&j| step.counts[j]).collect(),
        model,
        iterations,
        converged,
        shift: step.shift,
    })
}

/// Customers per segment of an assignment table (segment 1 first).
async fn sizes(ctx: &SessionContext, table: &Path, k: usize) -> Result<(u64, Vec<u64>)> {
    register_parquet(ctx, "assignments", table).await?;
    let batches = ctx
        .sql("SELECT segment, COUNT(*) FROM assignments GROUP BY segment")
        .await
        .ctx("counting the segments")?
        .collect()
        .await
        .ctx("counting the segments")?;
    ctx.deregister_table("assignments")
        .ctx("counting the segments")?;
    let mut sizes = vec![0u64; k];
    let mut total = 0u64;
    for b in &batches {
        let cast = |i: usize| {
            datafusion::arrow::compute::cast(column(b, i), &DataType::Int64)
                .ctx("counting the segments")
        };
        let (seg, n) = (cast(0)?, cast(1)?);
        let (seg, n) = (
            seg.as_primitive::<Int64Type>(),
            n.as_primitive::<Int64Type>(),
        );
        for r in 0..b.num_rows() {
            let count = u64::try_from(n.value(r)).unwrap_or(0);
            total += count;
            if let Some(s) = usize::try_from(seg.value(r))
                .ok()
                .filter(|s| (1..=k).contains(s))
            {
                sizes[s - 1] += count;
            }
        }
    }
    Ok((total, sizes))
}

/// Discovers the segments of the feature table in `features` (a folder written by
/// [`crate::features::write`], `features.json` next to it) with the mapping's options in
/// `config`: the sweep on a seeded sample, Lloyd and the assignment on the cluster (see the
/// module). Writes `out/model.json`, `out/assignments/` (Parquet part files) and
/// `out/discover.json`.
///
/// A DBSCAN proposal is refused with [`Error::Dbscan`]: force k-means with
/// [`DiscoverOptions::overrides`] or run `segmint discover` on one machine.
pub async fn write(
    ctx: &SessionContext,
    config: &Config,
    features: &Path,
    out: &Path,
    opts: &DiscoverOptions,
) -> Result<DiscoverWritten> {
    if opts.sample == 0 || opts.max_iter == 0 {
        return Err(Error::Input(format!(
            "--sample {} --max-iter {}: give at least 1 customer and 1 Lloyd step (e.g. --sample 100000 --max-iter {MAX_ITER})",
            opts.sample, opts.max_iter
        )));
    }
    let catalog = read_catalog(features)?;
    std::fs::create_dir_all(out).map_err(io(out))?;
    let sampled = sample(
        ctx,
        features,
        &catalog,
        opts.sample,
        opts.seed,
        &out.join("sample.staging"),
    )
    .await?;
    let sample_rows = sampled.customers();
    // The sweep is CPU-bound (and parallel): off the async workers, which keep serving the
    // cluster's client (and a standalone scheduler and executor).
    let (cfg, over) = (config.clone(), opts.overrides);
    let found = tokio::task::spawn_blocking(move || {
        segmint::pipeline::discover_from_features(&sampled, &cfg, over, &Quiet)
    })
    .await
    .map_err(|e| Error::Server(format!("the sweep on the sample stopped: {e}")))??;
    let fit = found.fit;
    let model = fit.model;
    if model.dbscan.is_some() {
        return Err(Error::Dbscan {
            candidate: model.candidate,
        });
    }
    let refined = refine(ctx, &model, features, opts.max_iter, opts.tolerance).await?;
    let assigned = crate::assign::write(ctx, &refined.model, features, out).await?;
    let (customers, sizes) = sizes(ctx, &assigned.table, refined.model.k).await?;

    let body = segmint::run::json(&refined.model)?;
    let run_id = segmint::run::RunId::of(&[&body]);
    let file = segmint::run::model_file::output(&run_id, &refined.model)?;
    let model_path = out.join(segmint::run::names::MODEL);
    segmint::run::write::write_atomic(&model_path, &file.bytes, false)?;
    // The sample sweep's candidates and proposal, for the report of `segmint run --engine
    // ballista` (what each index said per k, why this k).
    let candidates = segmint::pipeline::outputs::candidates_of(&fit.sweep, &fit.proposal);
    for f in segmint::run::candidates::outputs(&run_id, &candidates)? {
        segmint::run::write::write_atomic(&out.join(&f.path), &f.bytes, f.private)?;
    }

    let written = DiscoverWritten {
        schema_version: segmint::run::SCHEMA_VERSION,
        customers,
        sample: sample_rows,
        sample_seed: opts.seed,
        candidate: refined.model.candidate.clone(),
        k: refined.model.k,
        iterations: refined.iterations,
        converged: refined.converged,
        shift: refined.shift,
        sizes,
        model: model_path,
        table: assigned.table,
        notes: fit.notes,
    };
    let path = out.join("discover.json");
    segmint::run::write::write_atomic(&path, &segmint::run::json(&written)?, false)?;
    Ok(written)
}
