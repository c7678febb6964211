//! `profiles.parquet` and `profiles.csv`: one row per segment (the base first) with the
//! headline numbers, then `mean:<feature>` and `lift:<feature>` columns. No personal data.

use polars::prelude::*;

use super::{csv, names, parquet, Output, Stage};
use crate::error::{PolarsContext, Result};
use crate::profile::{Profiles, SegmentProfile};

/// The profiles as one row per segment (base first) with the headline numbers, for
/// profiles.parquet and profiles.csv. Feature statistics follow as
/// `mean:<feature>` and `lift:<feature>` columns.
pub fn frame(p: &Profiles) -> Result<DataFrame> {
    let rows: Vec<&SegmentProfile> = std::iter::once(&p.base).chain(&p.segments).collect();
    let f = |g: &dyn Fn(&SegmentProfile) -> Option<f64>| {
        rows.iter().map(|p| g(p)).collect::<Vec<Option<f64>>>()
    };
    let mut cols = vec![
        Column::new(
            "segment".into(),
            rows.iter()
                .map(|p| p.segment.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "name".into(),
            rows.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "customers".into(),
            rows.iter().map(|p| p.customers as u64).collect::<Vec<_>>(),
        ),
        Column::new("share".into(), f(&|p| Some(p.share))),
        Column::new("net_revenue".into(), f(&|p| Some(p.net_revenue))),
        Column::new("revenue_share".into(), f(&|p| Some(p.revenue_share))),
        Column::new("refunds".into(), f(&|p| Some(p.refunds))),
        Column::new("profit".into(), f(&|p| Some(p.profit))),
        Column::new("profit_share".into(), f(&|p| Some(p.profit_share))),
        Column::new("profit_margin".into(), f(&|p| p.profit_margin)),
        Column::new("return_rate_value".into(), f(&|p| p.return_rate_value)),
        Column::new("return_rate_items".into(), f(&|p| p.return_rate_items)),
        Column::new("aov".into(), f(&|p| p.aov)),
        Column::new("frequency".into(), f(&|p| Some(p.frequency))),
        Column::new("recency_days".into(), f(&|p| p.recency_days)),
        Column::new("tenure_days".into(), f(&|p| p.tenure_days)),
        Column::new(
            "flags".into(),
            rows.iter()
                .map(|p| {
                    p.flags
                        .iter()
                        .map(|f| f.kind().id())
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "description".into(),
            rows.iter()
                .map(|p| p.description.clone())
                .collect::<Vec<_>>(),
        ),
    ];
    for (j, stat) in p.base.features.iter().enumerate() {
        cols.push(Column::new(
            format!("mean:{}", stat.feature).into(),
            f(&|p| p.features.get(j).and_then(|s| s.mean)),
        ));
        cols.push(Column::new(
            format!("lift:{}", stat.feature).into(),
            f(&|p| p.features.get(j).and_then(|s| s.lift)),
        ));
    }
    DataFrame::new_infer_height(cols).ctx("building the profiles table")
}

/// The two files.
pub fn outputs(p: &Profiles) -> Result<Vec<Output>> {
    let df = frame(p)?;
    Ok(vec![
        Output::shared(Stage::Profile, names::PROFILES, parquet(&df)?),
        Output::shared(Stage::Profile, names::PROFILES_CSV, csv(&df)?),
    ])
}
