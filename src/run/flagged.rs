//! `flagged_customers.parquet` and `.csv`: the customers flagged for high returns, one row
//! each (customer id, segment, return rate, orders, money, reason). Personal data: written
//! owner-only.

use polars::prelude::*;

use super::{csv, names, parquet, Output, Stage};
use crate::config::CsvCopies;
use crate::error::{PolarsContext, Result};
use crate::profile::Profiles;

/// Flagged customers as a frame.
pub fn frame(p: &Profiles) -> Result<DataFrame> {
    let v = &p.flagged_customers;
    DataFrame::new_infer_height(vec![
        Column::new(
            "customer_id".into(),
            v.iter().map(|c| c.customer_id.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "segment".into(),
            v.iter().map(|c| c.segment.to_string()).collect::<Vec<_>>(),
        ),
        Column::new(
            "return_rate_value".into(),
            v.iter().map(|c| c.return_rate_value).collect::<Vec<_>>(),
        ),
        Column::new(
            "orders".into(),
            v.iter().map(|c| c.orders).collect::<Vec<_>>(),
        ),
        Column::new(
            "net_revenue".into(),
            v.iter().map(|c| c.net_revenue).collect::<Vec<_>>(),
        ),
        Column::new(
            "refunds".into(),
            v.iter().map(|c| c.refunds).collect::<Vec<_>>(),
        ),
        Column::new(
            "reason".into(),
            v.iter().map(|c| c.reason.clone()).collect::<Vec<_>>(),
        ),
    ])
    .ctx("building the flagged customers table")
}

/// The Parquet file, and its CSV copy when `copies` wants one for its size.
pub fn outputs(p: &Profiles, copies: CsvCopies) -> Result<Vec<Output>> {
    let df = frame(p)?;
    let mut files = vec![Output::private(
        Stage::Profile,
        names::FLAGGED,
        parquet(&df)?,
    )];
    if copies.wanted(df.height()) {
        files.push(Output::private(
            Stage::Profile,
            names::FLAGGED_CSV,
            csv(&df)?,
        ));
    }
    Ok(files)
}
