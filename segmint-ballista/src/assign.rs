//! Segment assignment as one distributed query: every customer to its nearest centroid.
//!
//! The model (`model.json` of a segmint run) is small: its prepare transforms and centroids
//! go into the plan as literals, so they reach every executor with the plan (a broadcast
//! without a join) and no UDF is needed on the executors. Per row:
//!
//! 1. the matrix columns, as `segmint::prepare::PrepareModel::transform` computes them
//!    (rate shrinking, log transform, imputation, clipping, centring, scaling, group weight,
//!    one-hot and missing indicators);
//! 2. the squared distance to every centroid, with the association of segmint's k-means
//!    kernel (four running sums over chunks of four columns, then the tail), so the same
//!    matrix row gives the same bits;
//! 3. the segment of the smallest distance (the lowest index among ties, as
//!    `SegmentModel::assign`), its distance and the centroid silhouette.
//!
//! The one difference from the local path: DataFusion has no `log1p`; `ln_1p(x)` is computed
//! as `ln(u)·x/(u−1)` with `u = 1+x` (`x` when `u = 1`), accurate to a few ulps but not bit
//! for bit, so distances agree to ~1e-15 relative and a label can differ only at a tie that
//! close.

use std::path::{Path, PathBuf};

use datafusion::dataframe::DataFrameWriteOptions;
use datafusion::prelude::SessionContext;
use serde::{Deserialize, Serialize};

use segmint::model::SegmentModel;
use segmint::prepare::{Encoding, LogTransform};

use crate::cluster::{location, register_parquet};
use crate::error::{Context, Error, Result, io};

/// What [`write`] wrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AssignWritten {
    /// Segments of the model.
    pub k: usize,
    /// The Parquet folder: `customer_id`, `segment` (1-based), `distance`, `silhouette`.
    pub table: PathBuf,
}

/// An f64 as an SQL literal that parses back to the same bits.
fn f(x: f64) -> Result<String> {
    if !x.is_finite() {
        return Err(Error::Input(format!(
            "the model holds the number {x}, which the cluster query cannot carry; re-run discover"
        )));
    }
    // `{:?}` is the shortest text that parses back to the same f64.
    let s = format!("{x:?}");
    Ok(if x < 0.0 { format!("({s})") } else { s })
}

fn lit_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `ln_1p(x)` from `ln`: exact where `1 + x` rounds to 1, else the classic correction.
fn log1p(x: &str) -> String {
    format!(
        "(CASE WHEN 1.0 + {x} = 1.0 THEN {x} ELSE ln(1.0 + {x}) * {x} / ((1.0 + {x}) - 1.0) END)"
    )
}

/// The SQL expressions of the model's matrix columns over a feature table.
pub fn matrix_columns(model: &SegmentModel) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in &model.prepare.columns {
        let w = f(c.weight)?;
        let e = match &c.encoding {
            Encoding::Numeric {
                feature,
                shrink,
                log,
                impute,
                clip,
                center,
                scale,
            } => {
                let v = format!("CAST({} AS DOUBLE)", ident(feature));
                let v = match shrink {
                    None => v,
                    Some(sh) => {
                        let n = format!("CAST({} AS DOUBLE)", ident(&sh.trials));
                        format!(
                            "(CASE WHEN {n} > 0.0 THEN ({v} * {n} + {}) / ({n} + {}) ELSE {v} END)",
                            f(sh.rate * sh.strength)?,
                            f(sh.strength)?
                        )
                    }
                };
                let v = match log {
                    LogTransform::None => v,
                    LogTransform::Log1p => log1p(&format!("greatest({v}, 0.0)")),
                    LogTransform::SignedLog1p => format!(
                        "(CASE WHEN {v} < 0.0 THEN -{} ELSE {} END)",
                        log1p(&format!("(-{v})")),
                        log1p(&v)
                    ),
                };
                // `greatest` skips NULLs, so the missing case comes first: imputed after
                // the log, as `PrepareModel::transform` does.
                let raw = format!("CAST({} AS DOUBLE)", ident(feature));
                format!(
                    "(least(greatest(CASE WHEN {raw} IS NULL THEN {} ELSE {v} END, {}), {}) - {}) / {} * {w}",
                    f(*impute)?,
                    f(clip[0])?,
                    f(clip[1])?,
                    f(*center)?,
                    f(*scale)?
                )
            }
            Encoding::OneHot {
                feature,
                level,
                known,
            } => {
                let x = format!("CAST({} AS VARCHAR)", ident(feature));
                match level {
                    Some(l) => format!("CASE WHEN {x} = {} THEN {w} ELSE 0.0 END", lit_str(l)),
                    None if known.is_empty() => {
                        format!("CASE WHEN {x} IS NOT NULL THEN {w} ELSE 0.0 END")
                    }
                    None => {
                        let list: Vec<String> = known.iter().map(|k| lit_str(k)).collect();
                        format!(
                            "CASE WHEN {x} IS NOT NULL AND NOT {x} IN ({}) THEN {w} ELSE 0.0 END",
                            list.join(", ")
                        )
                    }
                }
            }
            Encoding::Missing { features } => {
                let first = features.first().ok_or_else(|| {
                    Error::Input(format!(
                        "matrix column {}: a missing indicator without features; re-run discover",
                        c.name
                    ))
                })?;
                format!("CASE WHEN {} IS NULL THEN {w} ELSE 0.0 END", ident(first))
            }
        };
        out.push(e);
    }
    Ok(out)
}

/// The squared distance of the matrix row `x0, x1, …` to `c`, summed as segmint's kernel
/// (`cluster::sq_dist`) sums it.
fn sq_dist(dims: usize, c: &[f64]) -> Result<String> {
    let sq = |t: usize| -> Result<String> {
        let d = format!("(x{t} - {})", f(c[t])?);
        Ok(format!("{d} * {d}"))
    };
    let full = dims / 4 * 4;
    let mut acc = Vec::new();
    for j in 0..4 {
        let mut terms = Vec::new();
        for t in (j..full).step_by(4) {
            terms.push(sq(t)?);
        }
        acc.push(chain(terms));
    }
    let tail = chain((full..dims).map(sq).collect::<Result<Vec<_>>>()?);
    Ok(format!(
        "((({}) + ({})) + (({}) + ({}))) + ({})",
        acc[0], acc[1], acc[2], acc[3], tail
    ))
}

/// `((a + b) + c) + …`, or `0.0` for no terms (a running sum from 0).
fn chain(terms: Vec<String>) -> String {
    let mut it = terms.into_iter();
    match it.next() {
        None => "0.0".into(),
        Some(first) => it.fold(first, |s, t| format!("({s}) + ({t})")),
    }
}

/// Checks that the model is one the cluster can assign to: centroids (not DBSCAN), each as
/// long as the matrix rows. Returns `(k, dims)`.
fn check(model: &SegmentModel) -> Result<(usize, usize)> {
    if model.dbscan.is_some() {
        return Err(Error::Input(
            "the model is a DBSCAN model: the cluster assigns to centroids only; use `segmint assign` on one machine for DBSCAN".into(),
        ));
    }
    let k = model.centroids.len();
    let dims = model.prepare.columns.len();
    if k == 0 || dims == 0 || model.centroids.iter().any(|c| c.len() != dims) {
        return Err(Error::Input(format!(
            "the model has {k} centroids over {dims} matrix columns (or centroids of another length); re-run discover"
        )));
    }
    Ok((k, dims))
}

/// The nearest centroid of every row of a registered table `features`, as the WITH clauses
/// `mx` (`customer_id` and the matrix columns `x0`, `x1`, …), `dist` (and the squared
/// distances `d0`, `d1`, … to the centroids), `lab` (and their least, `m`) and `lab2` (and
/// the 0-based segment `s0`, the lowest index among ties). One definition for
/// [`plan`] and the Lloyd step of [`crate::discover`].
pub(crate) fn nearest(model: &SegmentModel) -> Result<String> {
    let (k, dims) = check(model)?;
    let cols = matrix_columns(model)?;
    let x: Vec<String> = cols
        .iter()
        .enumerate()
        .map(|(t, e)| format!("{e} AS x{t}"))
        .collect();
    let d: Vec<String> = model
        .centroids
        .iter()
        .enumerate()
        .map(|(j, c)| Ok(format!("{} AS d{j}", sq_dist(dims, c)?)))
        .collect::<Result<_>>()?;
    let ds: Vec<String> = (0..k).map(|j| format!("d{j}")).collect();
    let min = if k == 1 {
        "d0".to_string()
    } else {
        format!("least({})", ds.join(", "))
    };
    let label: Vec<String> = (0..k).map(|j| format!("WHEN d{j} = m THEN {j}")).collect();
    Ok(format!(
        "mx AS (SELECT customer_id, {x} FROM features), \
         dist AS (SELECT *, {d} FROM mx), \
         lab AS (SELECT *, {min} AS m FROM dist), \
         lab2 AS (SELECT *, CASE {label} END AS s0 FROM lab)",
        x = x.join(", "),
        d = d.join(", "),
        label = label.join(" "),
    ))
}

/// The assignment query over a registered feature table `features`.
pub fn plan(model: &SegmentModel) -> Result<String> {
    let (k, _) = check(model)?;
    let nearest = nearest(model)?;
    let ds: Vec<String> = (0..k).map(|j| format!("d{j}")).collect();
    // The nearest other centroid: the least distance over the other segments.
    let other = if k == 1 {
        None
    } else {
        let arms: Vec<String> = (0..k)
            .map(|s| {
                let rest: Vec<&str> = ds
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != s)
                    .map(|(_, d)| d.as_str())
                    .collect();
                let e = if rest.len() == 1 {
                    rest[0].to_string()
                } else {
                    format!("least({})", rest.join(", "))
                };
                format!("WHEN {s} THEN {e}")
            })
            .collect();
        Some(format!("CASE s0 {} END", arms.join(" ")))
    };
    let silhouette = match other {
        None => "0.0".to_string(),
        Some(_) => {
            "CASE WHEN greatest(a, b) > 0.0 THEN (b - a) / greatest(a, b) ELSE 0.0 END".into()
        }
    };
    Ok(format!(
        "WITH {nearest}, \
         ab AS (SELECT customer_id, s0, sqrt(m) AS a, {b} AS b FROM lab2) \
         SELECT customer_id, arrow_cast(s0 + 1, 'UInt32') AS segment, a AS distance, {silhouette} AS silhouette FROM ab",
        b = other.map_or("sqrt(m)".to_string(), |o| format!("sqrt({o})")),
    ))
}

/// Registers the feature table in `features` (a folder of Parquet files) as `features`,
/// checking that it has every column the model's matrix needs.
pub(crate) async fn register_features(
    ctx: &SessionContext,
    model: &SegmentModel,
    features: &Path,
) -> Result<()> {
    register_parquet(ctx, "features", features).await?;
    let schema = ctx
        .table("features")
        .await
        .ctx("reading the feature table")?
        .schema()
        .clone();
    let mut needed: Vec<&str> = Vec::new();
    for c in &model.prepare.columns {
        match &c.encoding {
            Encoding::Numeric {
                feature, shrink, ..
            } => {
                needed.push(feature);
                if let Some(sh) = shrink {
                    needed.push(&sh.trials);
                }
            }
            Encoding::OneHot { feature, .. } => needed.push(feature),
            Encoding::Missing { features } => needed.extend(features.iter().map(String::as_str)),
        }
    }
    for n in needed {
        if schema.field_with_unqualified_name(n).is_err() {
            return Err(Error::Input(format!(
                "the feature table {} has no column {n:?}, which the model needs; compute the features with the same mapping (and inputs of the same kinds) as the model's run",
                features.display()
            )));
        }
    }
    Ok(())
}

/// Assigns the customers of the feature table in `features` (a folder of Parquet files, as
/// [`crate::features::write`] writes) to the model's segments on `ctx`, writing
/// `out/assignments/` as Parquet part files.
pub async fn write(
    ctx: &SessionContext,
    model: &SegmentModel,
    features: &Path,
    out: &Path,
) -> Result<AssignWritten> {
    register_features(ctx, model, features).await?;
    let sql = plan(model)?;
    let table = out.join("assignments");
    if table.exists() {
        std::fs::remove_dir_all(&table).map_err(io(&table))?;
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    ctx.sql(&sql)
        .await
        .ctx("planning the assignment")?
        .write_parquet(&location(&table, true)?, DataFrameWriteOptions::new(), None)
        .await
        .ctx("assigning the customers")?;
    ctx.deregister_table("features")
        .ctx("assigning the customers")?;
    Ok(AssignWritten {
        k: model.centroids.len(),
        table,
    })
}
