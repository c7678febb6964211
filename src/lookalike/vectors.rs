//! Lookalike feature vectors: what a data team loads into its own targeting to find people
//! like a segment.
//!
//! Per segment ([`SegmentVector`]): the centroid in the scaled space (the model's centroid,
//! the space [`crate::prepare`] builds) and, per matrix column, in raw units (mean, median and
//! spread of the members' raw feature values; for one-hot and missing-indicator columns the
//! share of members); the spread (standard deviation) of the members along every scaled
//! column; the defining features (largest |lift|, lift = standardised mean difference against
//! all customers, for 0/1 columns `(share − base share) / base standard deviation`); and the
//! recommended similarity threshold.
//!
//! **Threshold rule**: the 90th percentile (linear interpolation) of the Euclidean distances
//! of the segment's own members to its centroid in the scaled space — 90 % of the members fall
//! within it. Other quantiles of the members' distances are listed next to it, for a looser or
//! tighter reach.
//!
//! The transforms ([`LookalikeSpace`]) are the same for every segment: `segments.json` holds
//! them once (`lookalike_space`), each `lookalike/<id>-<name>.json` holds a copy so it stands
//! alone. To place a person: build the same features, apply `transforms` column by column
//! (log, impute, clip, centre, scale, weight; one-hot levels; missing indicators), then
//! measure the Euclidean distance to `centroid_scaled`.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use crate::cluster::sq_dist_row;
use crate::error::{Error, Result};
use crate::features::{column_f64, column_str, Features};
use crate::model::{Assignment, SegmentId, SegmentModel};
use crate::prepare::{quantile_sorted, Encoding, PrepareModel};
use crate::stats::{lift, mean_std, median};

/// Quantile of the members' distances that is the recommended threshold.
pub const THRESHOLD_QUANTILE: f64 = 0.9;

/// Quantiles of the members' distances listed with the threshold.
pub const MEMBER_QUANTILES: [f64; 6] = [0.5, 0.75, 0.9, 0.95, 0.99, 1.0];

/// What a matrix column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    /// A numeric feature.
    Numeric,
    /// A level of a categorical feature (one-hot).
    Level,
    /// Whether a feature is missing (missing indicator).
    Missing,
}

/// One matrix column of a segment in raw units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawStat {
    /// Matrix column.
    pub column: String,
    /// The feature it comes from.
    pub feature: String,
    /// `numeric`, `level` (one-hot) or `missing` (missing indicator).
    pub kind: ColumnKind,
    /// Numeric: the members' mean raw value (customers with a value). Level / missing: the
    /// share of members with the level / without a value.
    pub mean: Option<f64>,
    /// Numeric: the members' median raw value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    /// Standard deviation among the members (raw units; for shares that of a 0/1 variable).
    pub spread: Option<f64>,
    /// `mean` over all customers.
    pub base_mean: Option<f64>,
    /// (mean − base mean) / base standard deviation.
    pub lift: Option<f64>,
}

/// A quantile of the members' distances to their centroid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuantilePoint {
    /// Quantile (0.9 = 90 % of members are this close or closer).
    pub quantile: f64,
    /// Distance in the scaled space.
    pub distance: f64,
}

/// The recommended similarity threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Threshold {
    /// How it is chosen.
    pub rule: String,
    /// The quantile used.
    pub quantile: f64,
    /// The threshold: Euclidean distance to the centroid in the scaled space.
    pub distance: f64,
    /// Other quantiles of the members' distances.
    pub member_quantiles: Vec<QuantilePoint>,
}

impl Threshold {
    /// The threshold rule applied to members' distances (any order).
    pub fn from_distances(distances: &[f64]) -> Threshold {
        let mut d = distances.to_vec();
        d.sort_by(f64::total_cmp);
        Threshold {
            rule: format!(
                "{:.0}th percentile of the members' Euclidean distances to the centroid in the scaled space: {:.0}% of the segment's own members fall within it",
                THRESHOLD_QUANTILE * 100.0,
                THRESHOLD_QUANTILE * 100.0
            ),
            quantile: THRESHOLD_QUANTILE,
            distance: quantile_sorted(&d, THRESHOLD_QUANTILE),
            member_quantiles: MEMBER_QUANTILES
                .iter()
                .map(|&q| QuantilePoint {
                    quantile: q,
                    distance: quantile_sorted(&d, q),
                })
                .collect(),
        }
    }
}

/// A segment's lookalike feature vector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentVector {
    /// The segment (`1`, `2`, ...).
    pub segment: crate::model::SegmentLabel,
    /// Readable name.
    pub name: String,
    /// Members.
    pub customers: usize,
    /// Centroid in the scaled space, one value per column of [`LookalikeSpace::columns`].
    pub centroid_scaled: Vec<f64>,
    /// Standard deviation of the members along each scaled column.
    pub spread_scaled: Vec<f64>,
    /// The centroid in raw units, one entry per scaled column.
    pub centroid_raw: Vec<RawStat>,
    /// The columns with the largest |lift|, most distinguishing first (at most 8).
    pub defining_features: Vec<RawStat>,
    /// The recommended similarity threshold.
    pub threshold: Threshold,
}

/// The space of the vectors: the matrix columns, the transforms from raw features, and the
/// distance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LookalikeSpace {
    /// How distances are measured.
    pub distance: String,
    /// How to place a new person in the space.
    pub how_to_place: String,
    /// Matrix columns, in order.
    pub columns: Vec<String>,
    /// The transforms (features → scaled columns).
    pub transforms: PrepareModel,
}

/// 0/1 values of a matrix column's raw meaning, for level and missing columns.
fn indicator(df: &polars::prelude::DataFrame, encoding: &Encoding) -> Result<Option<Vec<f64>>> {
    Ok(match encoding {
        Encoding::Numeric { .. } => None,
        Encoding::OneHot {
            feature,
            level,
            known,
        } => Some(
            column_str(df, feature)?
                .into_iter()
                .map(|v| {
                    let hit = match (level, v) {
                        (Some(l), Some(v)) => *l == v,
                        (None, Some(v)) => !known.contains(&v),
                        (_, None) => false,
                    };
                    f64::from(u8::from(hit))
                })
                .collect(),
        ),
        Encoding::Missing { features } => Some(
            column_f64(df, &features[0])
                .or_else(|_| {
                    column_str(df, &features[0])
                        .map(|v| v.into_iter().map(|s| s.map(|_| 0.0)).collect())
                })?
                .into_iter()
                .map(|v| f64::from(u8::from(v.is_none())))
                .collect(),
        ),
    })
}

/// A matrix column's raw values for every customer, and their statistics over all of them.
struct RawColumn {
    column: String,
    feature: String,
    kind: ColumnKind,
    values: RawValues,
    base_mean: Option<f64>,
    base_std: Option<f64>,
}

/// A numeric feature's values, or the 0/1 values of a level or missing indicator.
enum RawValues {
    Numeric(Vec<Option<f64>>),
    Indicator(Vec<f64>),
}

/// Every matrix column's raw values and base statistics, read from `df` once for all
/// segments.
fn raw_columns(df: &polars::prelude::DataFrame, model: &PrepareModel) -> Result<Vec<RawColumn>> {
    let mut out = Vec::with_capacity(model.columns.len());
    for c in &model.columns {
        let (feature, kind) = match &c.encoding {
            Encoding::Numeric { feature, .. } => (feature.clone(), ColumnKind::Numeric),
            Encoding::OneHot { feature, .. } => (feature.clone(), ColumnKind::Level),
            Encoding::Missing { features } => (features[0].clone(), ColumnKind::Missing),
        };
        let (values, (base_mean, base_std)) = match indicator(df, &c.encoding)? {
            None => {
                let v = column_f64(df, &feature)?;
                let all: Vec<f64> = v.iter().flatten().copied().collect();
                let base = mean_std(&all);
                (RawValues::Numeric(v), base)
            }
            Some(v) => {
                let base = mean_std(&v);
                (RawValues::Indicator(v), base)
            }
        };
        out.push(RawColumn {
            column: c.name.clone(),
            feature,
            kind,
            values,
            base_mean,
            base_std,
        });
    }
    Ok(out)
}

/// The raw-unit statistics of every matrix column for the rows `members`.
fn raw_stats(columns: &[RawColumn], members: &[usize]) -> Vec<RawStat> {
    columns
        .iter()
        .map(|c| {
            let (mine, median_of) = match &c.values {
                RawValues::Numeric(v) => {
                    let mine: Vec<f64> = members.iter().filter_map(|&i| v[i]).collect();
                    let med = median(&mine);
                    (mine, med)
                }
                RawValues::Indicator(v) => (members.iter().map(|&i| v[i]).collect(), None),
            };
            let (m, s) = mean_std(&mine);
            RawStat {
                column: c.column.clone(),
                feature: c.feature.clone(),
                kind: c.kind,
                mean: m,
                median: median_of,
                spread: s,
                base_mean: c.base_mean,
                lift: lift(m, c.base_mean, c.base_std),
            }
        })
        .collect()
}

/// The space of a model.
pub fn space(model: &SegmentModel) -> LookalikeSpace {
    LookalikeSpace {
        distance: "Euclidean distance between rows of the scaled matrix".into(),
        how_to_place: "build the same features for the person, apply `transforms` in column \
            order (numeric: log, impute the missing value, clip, (x - center) / scale, times \
            weight; one-hot: weight when the level matches; missing: weight when the feature is \
            missing), then measure the Euclidean distance to the segment's `centroid_scaled`; \
            within `threshold.distance` is as close as 90% of the segment's own members"
            .into(),
        columns: model.columns.clone(),
        transforms: model.prepare.clone(),
    }
}

/// The scaled rows of `features` (in its row order) and each row's segment.
pub fn members_matrix(
    features: &Features,
    assignment: &Assignment,
    model: &SegmentModel,
) -> Result<(Array2<f64>, Vec<Option<SegmentId>>)> {
    let x = model.prepare.transform(&features.table)?;
    let ids: Vec<String> = column_str(&features.table, "customer_id")?
        .into_iter()
        .map(|s| s.unwrap_or_default())
        .collect();
    let segment = assignment.segments_of(&ids)?;
    Ok((x, segment))
}

/// Computes the lookalike vector of every segment that has members; `name` gives a segment's
/// readable name. The space of the vectors is [`space`].
pub fn vectors(
    features: &Features,
    assignment: &Assignment,
    model: &SegmentModel,
    name: &dyn Fn(SegmentId) -> Option<String>,
) -> Result<Vec<(SegmentId, SegmentVector)>> {
    if model.columns.len() != model.prepare.columns.len()
        || model
            .centroids
            .iter()
            .any(|c| c.len() != model.columns.len())
    {
        return Err(Error::Data(
            "model.json is inconsistent (centroids and columns differ in length); rerun discover"
                .into(),
        ));
    }
    let (x, segment) = members_matrix(features, assignment, model)?;
    // Read from the table when the first segment needs them, then shared by all.
    let mut columns: Option<Vec<RawColumn>> = None;
    let mut out = Vec::new();
    for (s, centroid) in model.centroids.iter().enumerate() {
        let s = SegmentId(s);
        let members: Vec<usize> = (0..segment.len())
            .filter(|&i| segment[i] == Some(s))
            .collect();
        let Some(segment_name) = name(s) else {
            continue;
        };
        if members.is_empty() {
            continue;
        }
        let distances: Vec<f64> = members
            .iter()
            .map(|&i| sq_dist_row(x.row(i), centroid).sqrt())
            .collect();
        let spread_scaled: Vec<f64> = (0..x.ncols())
            .map(|j| {
                let v: Vec<f64> = members.iter().map(|&i| x[[i, j]]).collect();
                mean_std(&v).1.unwrap_or(0.0)
            })
            .collect();
        if columns.is_none() {
            columns = Some(raw_columns(&features.table, &model.prepare)?);
        }
        let centroid_raw = raw_stats(columns.as_deref().unwrap_or_default(), &members);
        let mut defining: Vec<RawStat> = centroid_raw
            .iter()
            .filter(|r| r.lift.is_some())
            .cloned()
            .collect();
        defining.sort_by(|a, b| {
            b.lift
                .unwrap_or(0.0)
                .abs()
                .total_cmp(&a.lift.unwrap_or(0.0).abs())
                .then(a.column.cmp(&b.column))
        });
        defining.truncate(8);
        out.push((
            s,
            SegmentVector {
                segment: crate::model::SegmentLabel::Segment(s),
                name: segment_name,
                customers: members.len(),
                centroid_scaled: centroid.clone(),
                spread_scaled,
                centroid_raw,
                defining_features: defining,
                threshold: Threshold::from_distances(&distances),
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_is_the_90th_percentile() {
        let d: Vec<f64> = (0..=10).rev().map(f64::from).collect();
        let t = Threshold::from_distances(&d);
        assert_eq!(t.distance, 9.0);
        assert_eq!(t.member_quantiles[0].distance, 5.0);
        assert_eq!(t.member_quantiles.last().unwrap().distance, 10.0);
        let within = d.iter().filter(|&&x| x <= t.distance).count();
        assert_eq!(within, 10, "10 of 11 members within the threshold");
    }
}
