//! Checks a table the cluster wrote against the one segmint's local path wrote: the same
//! columns in the same order, every customer once, integers exactly and other numbers within
//! 1e-9 relative (1e-12 absolute near 0), text exactly, missing exactly where missing.

use polars::prelude::*;

use crate::error::{Context, Error, Result};

/// Relative tolerance for numbers that are not whole.
pub const REL_TOL: f64 = 1e-9;
/// Absolute tolerance near 0.
pub const ABS_TOL: f64 = 1e-12;

/// What [`compare`] found equal.
#[derive(Debug, Clone, PartialEq)]
pub struct Agreement {
    /// Rows (customers).
    pub rows: usize,
    /// Columns compared besides `customer_id`.
    pub columns: usize,
    /// The largest relative difference seen among non-whole numbers.
    pub max_rel_diff: f64,
}

/// Reads a Parquet file, or every `*.parquet` part of a folder, sorted by `customer_id`
/// (segmint's reader of the cluster's tables).
pub use segmint::run::cluster::read_table;

fn differ(msg: String) -> Error {
    Error::Input(format!("the tables differ: {msg}"))
}

/// Compares `got` (the cluster's) with `want` (segmint's local path), both sorted by
/// `customer_id`.
pub fn compare(want: &DataFrame, got: &DataFrame) -> Result<Agreement> {
    let names = |df: &DataFrame| -> Vec<String> {
        df.get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    if names(want) != names(got) {
        return Err(differ(format!(
            "columns\n  local:   {:?}\n  cluster: {:?}",
            names(want),
            names(got)
        )));
    }
    if want.height() != got.height() {
        return Err(differ(format!(
            "{} customers locally, {} on the cluster",
            want.height(),
            got.height()
        )));
    }
    let ids = |df: &DataFrame| -> Result<Vec<Option<String>>> {
        Ok(df
            .column("customer_id")
            .and_then(|c| c.cast(&DataType::String))
            .ctx("reading customer ids")?
            .str()
            .ctx("reading customer ids")?
            .iter()
            .map(|s| s.map(String::from))
            .collect())
    };
    let (wi, gi) = (ids(want)?, ids(got)?);
    if wi != gi {
        let at = wi.iter().zip(&gi).position(|(a, b)| a != b).unwrap_or(0);
        return Err(differ(format!(
            "customer ids, first at row {at}: local {:?}, cluster {:?}",
            wi[at], gi[at]
        )));
    }
    if wi.windows(2).any(|w| w[0] == w[1]) {
        return Err(differ("a customer id appears twice".into()));
    }
    let mut max_rel: f64 = 0.0;
    let mut columns = 0;
    for name in names(want).iter().filter(|n| *n != "customer_id") {
        columns += 1;
        let wc = want.column(name).ctx("reading a column")?;
        let gc = got.column(name).ctx("reading a column")?;
        if matches!(wc.dtype(), DataType::String) {
            let w = wc.cast(&DataType::String).ctx("reading text")?;
            let g = gc.cast(&DataType::String).ctx("reading text")?;
            let (w, g) = (w.str().ctx("text")?, g.str().ctx("text")?);
            for (i, (a, b)) in w.iter().zip(g.iter()).enumerate() {
                if a != b {
                    return Err(differ(format!(
                        "{name} of customer {:?}: local {a:?}, cluster {b:?}",
                        wi[i]
                    )));
                }
            }
            continue;
        }
        let w = wc.cast(&DataType::Float64).ctx("reading numbers")?;
        let g = gc.cast(&DataType::Float64).ctx("reading numbers")?;
        let (w, g) = (w.f64().ctx("numbers")?, g.f64().ctx("numbers")?);
        for (i, (a, b)) in w.iter().zip(g.iter()).enumerate() {
            let ok = match (a, b) {
                (None, None) => true,
                // Whole numbers (counts, days, segments) exactly; a 0 may be ~1e-16 off
                // where it is a difference (a distance of a row to itself).
                (Some(a), Some(b)) if a.fract() == 0.0 && a.abs() < 9e15 => {
                    a == b || (a == 0.0 && b.abs() <= ABS_TOL)
                }
                (Some(a), Some(b)) => {
                    let d = (a - b).abs();
                    let scale = a.abs().max(b.abs());
                    if scale > 0.0 {
                        max_rel = max_rel.max(d / scale);
                    }
                    d <= (REL_TOL * scale).max(ABS_TOL)
                }
                _ => false,
            };
            if !ok {
                return Err(differ(format!(
                    "{name} of customer {:?}: local {a:?}, cluster {b:?}",
                    wi[i]
                )));
            }
        }
    }
    Ok(Agreement {
        rows: want.height(),
        columns,
        max_rel_diff: max_rel,
    })
}
