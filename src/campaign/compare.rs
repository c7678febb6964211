//! Two runs compared (`segmint compare`): who stayed, came and went; where the customers of
//! each segment went; which segment of the later run is which of the earlier one; how each
//! segment changed; and whether the customers changed or the segments did.
//!
//! * **Migration**: customers in both runs, counted by (segment in A, segment in B), with row
//!   shares; customers only in A are `gone`, only in B `new`.
//! * **Matching**: every pair (A segment, B segment) gets a similarity
//!   `0.5 × overlap + 0.5 × exp(−distance)`: overlap is the Jaccard index of their customers
//!   and distance the Euclidean distance between their centroids in A's matrix space (B's
//!   customers transformed with A's prepare model), divided by the median distance between
//!   A's centroids. Pairs are matched one to one, most similar first; a pair below 0.25 is not
//!   a match (a B segment without a match is new, an A segment without one has dissolved).
//! * **Changes** per matched pair: customers, net revenue, profit, return rate (refunds / net
//!   revenue) in A and B, and the features that drifted most: the difference of the means in
//!   standard deviations of A's customers.
//! * **Customers or segments?** A's model assigns B's customers. Among the customers in both
//!   runs, the share whose A segment changed under that fixed model is the share of customers
//!   whose behaviour changed; the adjusted Rand index between B's segments and A's model on
//!   B's customers says how far the segmentation itself moved (1: the same segments).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use polars::prelude::{Column, DataFrame};
use serde::{Deserialize, Serialize};

use crate::error::{PolarsContext, Result};
use crate::features::{column_f64, column_str, Features, Kind};
use crate::i18n::Lang;
use crate::model::{
    Assignment, CampaignNote, RunId, SegmentId, SegmentLabel, SegmentModel, SegmentName,
};
use crate::profile::Profiles;

/// One run as compare reads it.
#[derive(Debug, Clone)]
pub struct RunView {
    /// The run folder.
    pub dir: PathBuf,
    /// features.parquet (and the feature specs).
    pub features: Features,
    /// assignments.parquet.
    pub assignment: Assignment,
    /// segments.json (names).
    pub segments: Profiles,
    /// model.json.
    pub model: SegmentModel,
    /// The run id (of its manifest).
    pub run_id: RunId,
    /// The currency of its money (ISO 4217), when its mapping gives one.
    pub currency: Option<String>,
    /// The run had no cost data ([`crate::run::manifest::Manifest::no_cost`]).
    pub no_cost: bool,
}

impl RunView {
    fn name(&self, label: SegmentLabel) -> String {
        self.segments
            .segment(label)
            .map(|s| s.name_in(Lang::En))
            .unwrap_or_else(|| label.to_string())
    }

    fn names(&self) -> BTreeMap<String, SegmentName> {
        self.segments
            .segments
            .iter()
            .map(|s| (s.segment.to_string(), s.naming()))
            .collect()
    }
}

/// A cell of the migration matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// Segment in A (`1`, ..., `unassigned`, or `new` for customers only in B).
    pub from: SegmentLabel,
    /// Its name.
    pub from_name: String,
    /// Segment in B (or `gone` for customers only in A).
    pub to: SegmentLabel,
    /// Its name.
    pub to_name: String,
    /// Customers.
    pub customers: usize,
    /// Share of the row (the `from` segment's customers).
    pub row_share: f64,
}

/// A feature that drifted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// Feature.
    pub feature: String,
    /// Mean in A's segment.
    pub mean_a: f64,
    /// Mean in B's segment.
    pub mean_b: f64,
    /// (mean B − mean A) / standard deviation over all of A's customers.
    pub change_sd: f64,
}

/// Totals of one segment in one run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Totals {
    /// Customers.
    pub customers: usize,
    /// Σ net revenue.
    pub net_revenue: f64,
    /// Σ return-adjusted contribution profit.
    pub profit: f64,
    /// Σ refunds / Σ net revenue.
    pub return_rate: Option<f64>,
}

/// A B segment and the A segment it continues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentMatch {
    /// Segment in B (`None`: an A segment that dissolved).
    pub b: Option<SegmentLabel>,
    /// Its name.
    pub b_name: Option<String>,
    /// The matched A segment (`None`: a new segment).
    pub a: Option<SegmentLabel>,
    /// Its name.
    pub a_name: Option<String>,
    /// Similarity of the pair.
    pub similarity: Option<f64>,
    /// Jaccard index of their customers.
    pub overlap: Option<f64>,
    /// Centroid distance in A's space, in units of the median distance between A's centroids.
    pub distance: Option<f64>,
    /// Totals in A.
    pub in_a: Option<Totals>,
    /// Totals in B.
    pub in_b: Option<Totals>,
    /// The features that drifted most, largest first.
    pub drift: Vec<Drift>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The run id of B, the later run: the comparison belongs to it (`compare.json`'s header
    /// names it, and its section goes into B's report).
    #[serde(skip)]
    pub run_id: RunId,
    /// The run id of A, the earlier run.
    pub from_run_id: RunId,
    /// Run A.
    pub from: PathBuf,
    /// Run B.
    pub to: PathBuf,
    /// as_of of A.
    pub from_as_of: String,
    /// as_of of B.
    pub to_as_of: String,
    /// Customers in both runs.
    pub customers_in_both: usize,
    /// Only in A.
    pub gone: usize,
    /// Only in B.
    pub new: usize,
    /// The migration matrix, row by row.
    pub migration: Vec<Flow>,
    /// The matched segments.
    pub segments: Vec<SegmentMatch>,
    /// Customers in both runs whose segment under A's model changed, as a share.
    pub moved_under_a_model: f64,
    /// Adjusted Rand index between B's segments and A's model on B's customers.
    pub segmentation_agreement: f64,
    /// A's model on B's customers against A's segments, for customers in both (same layout as
    /// `migration`).
    pub migration_under_a_model: Vec<Flow>,
    /// What the reader should know (e.g. features of A that B lacks; worded by
    /// [`crate::i18n::Lang::campaign_note`]).
    #[serde(default, deserialize_with = "crate::model::campaign_notes")]
    pub notes: Vec<CampaignNote>,
    /// The segments' names as facts by label, of A and of B, for the report section and the
    /// chart in any language (the `*_name` fields keep the English names).
    pub names: [BTreeMap<String, SegmentName>; 2],
    /// The currency of B's money (ISO 4217), when its mapping gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether A and B had no cost data ([`crate::run::manifest::Manifest::no_cost`]): their
    /// gross margin and profit are then revenue after returns, and the drifted features are
    /// named so. Absent when both had cost data.
    #[serde(default, skip_serializing_if = "Comparison::both_with_cost")]
    pub no_cost: [bool; 2],
}

impl Comparison {
    fn both_with_cost(no_cost: &[bool; 2]) -> bool {
        no_cost == &[false, false]
    }

    /// Whether either run had no cost data: a feature of margin or profit is revenue after
    /// returns in it, and is named so ([`crate::i18n::Lang::feature_for`]).
    pub fn without_cost(&self) -> bool {
        self.no_cost.contains(&true)
    }

    /// The name of segment `label` of A (`later` false) or of B (`later` true) in `lang`;
    /// `None` for a label that names no segment (`new`, `gone`).
    pub fn name_in(&self, later: bool, label: SegmentLabel, lang: Lang) -> Option<String> {
        self.names[usize::from(later)]
            .get(&label.to_string())
            .map(|n| lang.segment_name(n))
    }
}

/// B's feature table with every feature of A that B lacks added as an empty column, so that
/// A's model can place B's customers (the prepare step imputes the missing values with A's
/// medians; a missing categorical level is no level). Returns the table and the names added.
fn with_features_of(a: &Features, b: &Features) -> Result<(Features, Vec<String>)> {
    use polars::prelude::DataType;
    let mut table = b.table.clone();
    let mut added = Vec::new();
    for spec in &a.specs {
        if table.column(&spec.name).is_err() {
            let dtype = if spec.kind == Kind::Categorical {
                DataType::String
            } else {
                DataType::Float64
            };
            table
                .with_column(Column::full_null(
                    spec.name.as_str().into(),
                    table.height(),
                    &dtype,
                ))
                .map_err(|e| crate::error::Error::Data(format!("adding {}: {e}", spec.name)))?;
            added.push(spec.name.clone());
        }
    }
    Ok((
        Features {
            table,
            specs: b.specs.clone(),
            sources: b.sources.clone(),
            as_of: b.as_of,
        },
        added,
    ))
}

/// The migration matrix's cells, rows and columns in [`SegmentLabel`]'s order (segments by
/// number, then `unassigned`, `new`, `gone`).
fn flows(
    pairs: &[(SegmentLabel, SegmentLabel)],
    a: &dyn Fn(SegmentLabel) -> String,
    b: &dyn Fn(SegmentLabel) -> String,
) -> Vec<Flow> {
    let mut counts: BTreeMap<(SegmentLabel, SegmentLabel), usize> = BTreeMap::new();
    let mut rows: HashMap<SegmentLabel, usize> = HashMap::new();
    for &(f, t) in pairs {
        *counts.entry((f, t)).or_default() += 1;
        *rows.entry(f).or_default() += 1;
    }
    counts
        .into_iter()
        .map(|((f, t), n)| Flow {
            from_name: a(f),
            to_name: b(t),
            row_share: n as f64 / rows[&f] as f64,
            customers: n,
            from: f,
            to: t,
        })
        .collect()
}

fn totals(f: &Features, rows: &[usize]) -> Result<Totals> {
    let col = |n: &str| -> Result<Vec<Option<f64>>> {
        if f.table.column(n).is_ok() {
            column_f64(&f.table, n)
        } else {
            Ok(vec![None; f.table.height()])
        }
    };
    let (rev, profit, refunds) = (
        col("net_revenue")?,
        col("contribution_profit")?,
        col("refunds")?,
    );
    let sum = |v: &[Option<f64>]| rows.iter().map(|&i| v[i].unwrap_or(0.0)).sum::<f64>();
    let r = sum(&rev);
    Ok(Totals {
        customers: rows.len(),
        net_revenue: r,
        profit: sum(&profit),
        return_rate: (r != 0.0).then(|| sum(&refunds) / r),
    })
}

/// A matched pair: A's segment, B's segment, (similarity, overlap, distance).
type Pair = (Option<usize>, Option<usize>, Option<(f64, f64, f64)>);

/// A feature's values in A and B and its standard deviation in A.
type DriftColumn<'a> = (&'a str, Vec<Option<f64>>, Vec<Option<f64>>, f64);

/// Compares run A (`from`) with run B (`to`).
pub fn compare(a: &RunView, b: &RunView) -> Result<Comparison> {
    let seg_a = a.assignment.by_id();
    let seg_b = b.assignment.by_id();
    // Migration: every customer of either run once.
    let mut pairs = Vec::new();
    for id in &a.assignment.ids {
        let to = seg_b
            .get(id.as_str())
            .map_or(SegmentLabel::Gone, |s| SegmentLabel::of(*s));
        pairs.push((SegmentLabel::of(seg_a[id.as_str()]), to));
    }
    for id in &b.assignment.ids {
        if !seg_a.contains_key(id.as_str()) {
            pairs.push((SegmentLabel::New, SegmentLabel::of(seg_b[id.as_str()])));
        }
    }
    let name_a = |l: SegmentLabel| a.name(l);
    let name_b = |l: SegmentLabel| b.name(l);
    let migration = flows(&pairs, &name_a, &name_b);
    let both = pairs
        .iter()
        .filter(|(f, t)| *f != SegmentLabel::New && *t != SegmentLabel::Gone)
        .count();
    let gone = pairs
        .iter()
        .filter(|(_, t)| *t == SegmentLabel::Gone)
        .count();
    let new = pairs
        .iter()
        .filter(|(f, _)| *f == SegmentLabel::New)
        .count();

    // A's model on B's customers.
    let (b_features, added) = with_features_of(&a.features, &b.features)?;
    let mut notes = Vec::new();
    if !added.is_empty() {
        notes.push(CampaignNote::FeaturesMissing { features: added });
    }
    let a_on_b = a.model.assign(&b_features)?;
    let a_on_b_seg = a_on_b.by_id();
    let mut moved = 0;
    let mut fixed_pairs = Vec::new();
    for id in &a.assignment.ids {
        if let Some(s) = a_on_b_seg.get(id.as_str()) {
            let from = seg_a[id.as_str()];
            moved += (from != *s) as usize;
            fixed_pairs.push((SegmentLabel::of(from), SegmentLabel::of(*s)));
        }
    }
    let b_labels: Vec<Option<usize>> = a_on_b
        .ids
        .iter()
        .map(|id| {
            seg_b
                .get(id.as_str())
                .copied()
                .flatten()
                .map(SegmentId::index)
        })
        .collect();
    let agreement = crate::cluster::metrics::adjusted_rand_index(&b_labels, &a_on_b.indices());

    // Centroids of B's segments in A's matrix space.
    let xb = a.model.prepare.transform(&b_features.table)?;
    let k_a = a.model.centroids.len();
    let k_b = b
        .assignment
        .segment
        .iter()
        .flatten()
        .max()
        .map_or(0, |m| m.index() + 1);
    let dim = xb.ncols();
    let mut cent_b = vec![vec![0.0; dim]; k_b];
    let mut count_b = vec![0usize; k_b];
    // Rows of features.table and of the assignment are matched by id.
    let fid_b = column_str(&b.features.table, "customer_id")?;
    for (row, id) in fid_b.iter().enumerate() {
        if let Some(Some(s)) = id.as_deref().and_then(|i| seg_b.get(i)) {
            count_b[s.index()] += 1;
            for (c, v) in cent_b[s.index()].iter_mut().zip(xb.row(row)) {
                *c += v;
            }
        }
    }
    for (c, n) in cent_b.iter_mut().zip(&count_b) {
        c.iter_mut().for_each(|v| *v /= (*n).max(1) as f64);
    }
    let dist = |x: &[f64], y: &[f64]| {
        x.iter()
            .zip(y)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            .sqrt()
    };
    let mut between: Vec<f64> = Vec::new();
    for i in 0..k_a {
        for j in i + 1..k_a {
            between.push(dist(&a.model.centroids[i], &a.model.centroids[j]));
        }
    }
    between.sort_by(f64::total_cmp);
    let scale = between
        .get(between.len() / 2)
        .copied()
        .filter(|s| *s > 0.0)
        .unwrap_or(1.0);
    let sets = |x: &'_ Assignment, k: usize| -> Vec<std::collections::HashSet<String>> {
        (0..k)
            .map(|s| {
                x.members(SegmentId(s))
                    .into_iter()
                    .map(String::from)
                    .collect()
            })
            .collect()
    };
    let (sets_a, sets_b) = (sets(&a.assignment, k_a), sets(&b.assignment, k_b));
    let mut cand = Vec::new();
    for (i, set_a) in sets_a.iter().enumerate() {
        for (j, set_b) in sets_b.iter().enumerate() {
            let inter = set_a.intersection(set_b).count() as f64;
            let union = (set_a.len() + set_b.len()) as f64 - inter;
            let overlap = if union > 0.0 { inter / union } else { 0.0 };
            let d = dist(&a.model.centroids[i], &cent_b[j]) / scale;
            cand.push((0.5 * overlap + 0.5 * (-d).exp(), i, j, overlap, d));
        }
    }
    cand.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let (mut used_a, mut used_b) = (vec![false; k_a], vec![false; k_b]);
    let mut matched: Vec<Pair> = Vec::new();
    for (sim, i, j, o, d) in cand {
        if sim >= 0.25 && !used_a[i] && !used_b[j] {
            used_a[i] = true;
            used_b[j] = true;
            matched.push((Some(i), Some(j), Some((sim, o, d))));
        }
    }
    matched.extend(
        (0..k_b)
            .filter(|&j| !used_b[j])
            .map(|j| (None, Some(j), None)),
    );
    matched.extend(
        (0..k_a)
            .filter(|&i| !used_a[i])
            .map(|i| (Some(i), None, None)),
    );
    matched.sort_by_key(|m| (m.1.unwrap_or(usize::MAX), m.0.unwrap_or(usize::MAX)));

    // Rows of each segment in each feature table.
    let rows_of = |f: &Features,
                   seg: &HashMap<&str, Option<SegmentId>>,
                   k: usize|
     -> Result<Vec<Vec<usize>>> {
        let ids = column_str(&f.table, "customer_id")?;
        let mut rows = vec![Vec::new(); k];
        for (r, id) in ids.iter().enumerate() {
            if let Some(Some(s)) = id.as_deref().and_then(|i| seg.get(i)) {
                rows[s.index()].push(r);
            }
        }
        Ok(rows)
    };
    let rows_a = rows_of(&a.features, &seg_a, k_a)?;
    let rows_b = rows_of(&b.features, &seg_b, k_b)?;
    let numeric: Vec<&str> = a
        .features
        .specs
        .iter()
        .filter(|s| s.kind != Kind::Categorical)
        .map(|s| s.name.as_str())
        .filter(|n| b.features.table.column(n).is_ok())
        .collect();
    let mut cols: Vec<DriftColumn> = Vec::new();
    for n in numeric {
        let va = column_f64(&a.features.table, n)?;
        let vb = column_f64(&b.features.table, n)?;
        let present: Vec<f64> = va.iter().flatten().copied().collect();
        let sd = super::stats::mean_var(&present).1.sqrt();
        if sd > 0.0 {
            cols.push((n, va, vb, sd));
        }
    }
    let mean_at = |v: &[Option<f64>], rows: &[usize]| {
        let x: Vec<f64> = rows.iter().filter_map(|&r| v[r]).collect();
        crate::stats::mean(&x)
    };
    let mut segments = Vec::new();
    for (i, j, score) in matched {
        let mut drift = Vec::new();
        if let (Some(i), Some(j)) = (i, j) {
            for (n, va, vb, sd) in &cols {
                if let (Some(ma), Some(mb)) = (mean_at(va, &rows_a[i]), mean_at(vb, &rows_b[j])) {
                    drift.push(Drift {
                        feature: n.to_string(),
                        mean_a: ma,
                        mean_b: mb,
                        change_sd: (mb - ma) / sd,
                    });
                }
            }
            drift.sort_by(|x, y| y.change_sd.abs().total_cmp(&x.change_sd.abs()));
            drift.truncate(5);
        }
        segments.push(SegmentMatch {
            b: j.map(|j| SegmentLabel::Segment(SegmentId(j))),
            b_name: j.map(|j| b.name(SegmentLabel::Segment(SegmentId(j)))),
            a: i.map(|i| SegmentLabel::Segment(SegmentId(i))),
            a_name: i.map(|i| a.name(SegmentLabel::Segment(SegmentId(i)))),
            similarity: score.map(|s| s.0),
            overlap: score.map(|s| s.1),
            distance: score.map(|s| s.2),
            in_a: i.map(|i| totals(&a.features, &rows_a[i])).transpose()?,
            in_b: j.map(|j| totals(&b.features, &rows_b[j])).transpose()?,
            drift,
        });
    }
    let common = fixed_pairs.len();
    Ok(Comparison {
        from: a.dir.clone(),
        to: b.dir.clone(),
        from_as_of: a.features.as_of.to_string(),
        to_as_of: b.features.as_of.to_string(),
        customers_in_both: both,
        gone,
        new,
        migration,
        segments,
        moved_under_a_model: if common > 0 {
            moved as f64 / common as f64
        } else {
            0.0
        },
        segmentation_agreement: agreement,
        migration_under_a_model: flows(&fixed_pairs, &name_a, &name_a),
        notes,
        names: [a.names(), b.names()],
        run_id: b.run_id.clone(),
        from_run_id: a.run_id.clone(),
        currency: b.currency.clone(),
        no_cost: [a.no_cost, b.no_cost],
    })
}

/// The migration table (`migration.csv`, `.parquet`): from, from_name, to, to_name,
/// customers, row_share.
pub(crate) fn migration_frame(flows: &[Flow]) -> Result<DataFrame> {
    let s = |f: fn(&Flow) -> String| flows.iter().map(f).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        Column::new("from".into(), s(|f| f.from.to_string())),
        Column::new("from_name".into(), s(|f| f.from_name.clone())),
        Column::new("to".into(), s(|f| f.to.to_string())),
        Column::new("to_name".into(), s(|f| f.to_name.clone())),
        Column::new(
            "customers".into(),
            flows.iter().map(|f| f.customers as u64).collect::<Vec<_>>(),
        ),
        Column::new(
            "row_share".into(),
            flows.iter().map(|f| f.row_share).collect::<Vec<_>>(),
        ),
    ])
    .ctx("building the migration table")
}

/// The matched segments (`segments.csv`, `.parquet`): one row per pair with the totals in A
/// and B and the top drift.
pub(crate) fn segments_frame(c: &Comparison) -> Result<DataFrame> {
    let segs = &c.segments;
    let text = |f: &dyn Fn(&SegmentMatch) -> Option<String>| -> Vec<Option<String>> {
        segs.iter().map(f).collect()
    };
    let num = |f: &dyn Fn(&SegmentMatch) -> Option<f64>| -> Vec<Option<f64>> {
        segs.iter().map(f).collect()
    };
    let count = |x: &Option<Totals>| x.as_ref().map(|t| t.customers as u64);
    DataFrame::new_infer_height(vec![
        Column::new("b_segment".into(), text(&|s| s.b.map(|l| l.to_string()))),
        Column::new("b_name".into(), text(&|s| s.b_name.clone())),
        Column::new("a_segment".into(), text(&|s| s.a.map(|l| l.to_string()))),
        Column::new("a_name".into(), text(&|s| s.a_name.clone())),
        Column::new("similarity".into(), num(&|s| s.similarity)),
        Column::new("overlap".into(), num(&|s| s.overlap)),
        Column::new("distance".into(), num(&|s| s.distance)),
        Column::new(
            "customers_a".into(),
            segs.iter().map(|s| count(&s.in_a)).collect::<Vec<_>>(),
        ),
        Column::new(
            "customers_b".into(),
            segs.iter().map(|s| count(&s.in_b)).collect::<Vec<_>>(),
        ),
        Column::new(
            "net_revenue_a".into(),
            num(&|s| s.in_a.as_ref().map(|t| t.net_revenue)),
        ),
        Column::new(
            "net_revenue_b".into(),
            num(&|s| s.in_b.as_ref().map(|t| t.net_revenue)),
        ),
        Column::new(
            "profit_a".into(),
            num(&|s| s.in_a.as_ref().map(|t| t.profit)),
        ),
        Column::new(
            "profit_b".into(),
            num(&|s| s.in_b.as_ref().map(|t| t.profit)),
        ),
        Column::new(
            "return_rate_a".into(),
            num(&|s| s.in_a.as_ref().and_then(|t| t.return_rate)),
        ),
        Column::new(
            "return_rate_b".into(),
            num(&|s| s.in_b.as_ref().and_then(|t| t.return_rate)),
        ),
        Column::new(
            "top_drift".into(),
            text(&|s| {
                Some(
                    s.drift
                        .iter()
                        .map(|d| format!("{} {:+.2} sd", d.feature, d.change_sd))
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            }),
        ),
    ])
    .ctx("building the matched segments table")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{FeatureSpec, Group};
    use polars::prelude::*;

    fn features(cols: Vec<Column>, specs: &[(&str, Kind)]) -> Features {
        Features {
            table: DataFrame::new_infer_height(cols).unwrap(),
            specs: specs
                .iter()
                .map(|(n, k)| FeatureSpec::new(*n, Group::Behaviour, *k, "test"))
                .collect(),
            sources: Vec::new(),
            as_of: chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
        }
    }

    #[test]
    fn features_of_a_missing_in_b_are_added_empty() {
        let a = features(
            vec![
                Column::new("customer_id".into(), ["K1"]),
                Column::new("spend_share_sko".into(), [0.5]),
                Column::new("country".into(), ["NO"]),
            ],
            &[
                ("spend_share_sko", Kind::Rate),
                ("country", Kind::Categorical),
            ],
        );
        let b = features(
            vec![
                Column::new("customer_id".into(), ["K1", "K2"]),
                Column::new("spend_share_bok".into(), [0.1, 0.2]),
            ],
            &[("spend_share_bok", Kind::Rate)],
        );
        let (f, added) = with_features_of(&a, &b).unwrap();
        assert_eq!(added, vec!["spend_share_sko", "country"]);
        assert_eq!(f.table.height(), 2);
        assert_eq!(f.table.column("spend_share_sko").unwrap().null_count(), 2);
        assert_eq!(
            f.table.column("country").unwrap().dtype(),
            &DataType::String
        );
        // B's own columns stay.
        assert!(f.table.column("spend_share_bok").is_ok());
    }

    #[test]
    fn flows_count_and_share_rows() {
        let pairs: Vec<(SegmentLabel, SegmentLabel)> = [
            ("1", "1"),
            ("1", "2"),
            ("1", "1"),
            ("2", "gone"),
            ("new", "2"),
        ]
        .iter()
        .map(|(a, b)| {
            (
                SegmentLabel::parse(a).unwrap(),
                SegmentLabel::parse(b).unwrap(),
            )
        })
        .collect();
        let f = flows(&pairs, &|l| format!("A{l}"), &|l| format!("B{l}"));
        let cell = |a: &str, b: &str| {
            f.iter()
                .find(|x| x.from.to_string() == a && x.to.to_string() == b)
                .unwrap()
        };
        assert_eq!(cell("1", "1").customers, 2);
        assert!((cell("1", "1").row_share - 2.0 / 3.0).abs() < 1e-12);
        assert!((cell("1", "2").row_share - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(cell("2", "gone").row_share, 1.0);
        assert_eq!(cell("new", "2").from_name, "Anew");
        // Rows in segment order, new last.
        assert_eq!(f.last().unwrap().from, SegmentLabel::New);
        assert_eq!(f.iter().map(|x| x.customers).sum::<usize>(), 5);
    }
}
