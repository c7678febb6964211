//! Reading a polars column as plain values: the one place the stages after features turn a
//! column into `Vec<Option<_>>` (numbers cast to `f64`, anything else to text), or read it as
//! text in place.

use polars::prelude::*;

use crate::error::{PolarsContext, Result};

/// The values of a feature column as numbers.
pub(crate) fn column_f64(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::Float64))
        .ctx("reading a feature")?;
    let v = c.f64().ctx("reading a feature")?.iter().collect();
    Ok(v)
}

/// The values of a feature column as text.
pub(crate) fn column_str(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(column_text(df, name)?
        .iter()
        .map(|s| s.map(String::from))
        .collect())
}

/// A feature column as text, without a copy of each value (a text column is shared, not
/// copied): for reading it many times over, as one-hot columns of the same feature do.
pub(crate) fn column_text(df: &DataFrame, name: &str) -> Result<StringChunked> {
    let c = df
        .column(name)
        .and_then(|c| c.cast(&DataType::String))
        .ctx("reading a feature")?;
    Ok(c.str().ctx("reading a feature")?.clone())
}
