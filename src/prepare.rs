//! Prepare: turns the feature table into the clustering matrix, and records every transform in
//! a [`PrepareModel`] so that new customers (or prospects) can be placed in the same space.
//!
//! Per numeric feature, in this order: log1p for money, counts and days (signed for money,
//! which can be negative) → winsorising at the configured quantiles → standard scaling (or
//! robust: median and IQR), both fitted on the customers who have a value (survey items: the
//! respondents) → a missing value is put at the centre (0), so it adds no distance on that
//! axis and a sparsely answered item pulls in proportion to its coverage → multiplication by
//! the group weight. Categorical features become one-hot columns, levels held by fewer than
//! `rare_level_share` of customers pooled into `other`. Missing indicators are off by default
//! (`missing_indicators`), and `survey_answered` stays out of the matrix: whether a customer
//! answered is not a trait, and such 0/1 columns made k-means split respondents from the rest.
//! Columns that end up constant are dropped; of two columns with |r| above `fold_above` the
//! later is folded into the earlier (reported in `dropped`); pairs above the warning level
//! are listed. Last, with `balance_groups`, each group's columns are divided by √(its number
//! of features), so a group weighs by its configured weight, not by its column count.

use ndarray::{Array1, Array2, Axis};
use polars::prelude::*;

use crate::config::{PrepareOptions, Scaling};
use crate::error::{Error, PolarsContext, Result};
use crate::features::{column_f64 as numbers, column_str as texts, Features, Group, Kind};
use crate::frame::column_text;
pub use crate::model::prepared::{
    ColumnTransform, Correlated, DropReason, Dropped, Encoding, LogTransform, PrepareModel, Shrink,
};

impl Shrink {
    /// Shrinks each present value by its customer's trials `n` (a customer without trials
    /// keeps its value).
    fn apply(&self, values: &mut [Option<f64>], n: &[Option<f64>]) {
        for (v, n) in values.iter_mut().zip(n) {
            if let (Some(x), Some(n)) = (v.as_mut(), *n) {
                if n > 0.0 {
                    *x = (*x * n + self.rate * self.strength) / (n + self.strength);
                }
            }
        }
    }
}

/// What the method of moments says about a rate's spread between customers.
#[derive(Debug, Clone, PartialEq)]
enum RateSpread {
    /// Too few customers with two or more trials to tell.
    Unknown,
    /// The spread is no larger than chance alone gives for the customers' trials.
    Chance,
    /// A real spread: shrink with this prior.
    Real(Shrink),
}

/// Beta-binomial method of moments: with `h` the mean of 1/n, the observed variance of the
/// rates is `τ²(1 − h) + μ(1 − μ)h`, so `τ² = (v − μ(1 − μ)h) / (1 − h)` and the prior's
/// strength is `μ(1 − μ)/τ² − 1` trials.
fn rate_spread(x: &[Option<f64>], n: &[Option<f64>], trials: &str) -> RateSpread {
    let pairs: Vec<(f64, f64)> = x
        .iter()
        .zip(n)
        .filter_map(|(x, n)| match (x, n) {
            (Some(x), Some(n)) if *n >= 1.0 && x.is_finite() => Some((*x, *n)),
            _ => None,
        })
        .collect();
    let repeat = pairs.iter().filter(|(_, n)| *n >= 2.0).count();
    if repeat < 30 {
        return RateSpread::Unknown;
    }
    let m = pairs.len() as f64;
    let total: f64 = pairs.iter().map(|(_, n)| n).sum();
    let rate = pairs.iter().map(|(x, n)| x * n).sum::<f64>() / total;
    let v = pairs.iter().map(|(x, _)| (x - rate).powi(2)).sum::<f64>() / m;
    let h = pairs.iter().map(|(_, n)| 1.0 / n).sum::<f64>() / m;
    let binomial = (rate * (1.0 - rate)).max(0.0);
    if v == 0.0 {
        return RateSpread::Unknown;
    }
    let tau2 = (v - binomial * h) / (1.0 - h);
    if tau2.is_nan() || tau2 <= 0.0 {
        return RateSpread::Chance;
    }
    // Rates that are not proportions of trials (shares of money) can spread wider than a
    // beta allows: no shrinking then.
    let strength = (binomial / tau2 - 1.0).max(0.0);
    RateSpread::Real(Shrink {
        trials: trials.to_string(),
        rate,
        strength,
    })
}

impl LogTransform {
    fn apply(self, x: f64) -> f64 {
        match self {
            LogTransform::None => x,
            LogTransform::Log1p => x.max(0.0).ln_1p(),
            LogTransform::SignedLog1p => x.signum() * x.abs().ln_1p(),
        }
    }
}

impl Dropped {
    fn new(name: &str, why: DropReason) -> Self {
        Dropped {
            name: name.to_string(),
            reason: crate::i18n::Lang::En.drop_reason(&why),
            why: Some(why),
        }
    }
}

/// The clustering matrix. It can have no column at all (e.g. a single customer): the
/// clustering stage refuses such a matrix, the feature stage still writes its outputs.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Customer id of each row.
    pub ids: Vec<String>,
    /// Row-major matrix, one column per [`PrepareModel::columns`] entry.
    pub matrix: Array2<f64>,
    /// The transforms.
    pub model: PrepareModel,
}

fn weight_of(group: Group, opts: &PrepareOptions) -> f64 {
    let w = opts.weights;
    match group {
        Group::Behaviour => w.behaviour,
        Group::Browsing => w.browsing,
        Group::Psychographic => w.psychographic,
        Group::Demographic => w.demographic,
    }
}

/// Quantile with linear interpolation between order statistics (sorted input).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

/// The values in ascending order (`total_cmp`: values it calls equal have the same bits, so an
/// unstable parallel sort gives the same vector as a stable one).
fn sorted(v: impl Iterator<Item = f64>) -> Vec<f64> {
    use rayon::slice::ParallelSliceMut;
    let mut v: Vec<f64> = v.collect();
    v.par_sort_unstable_by(f64::total_cmp);
    v
}

/// Fits the transforms on `features` and returns the matrix.
pub fn prepare(
    features: &Features,
    opts: &PrepareOptions,
    rare_level_share: f64,
) -> Result<Prepared> {
    let df = &features.table;
    let n = df.height();
    let mut columns: Vec<ColumnTransform> = Vec::new();
    let mut dropped: Vec<Dropped> = Vec::new();
    let mut masks: Vec<(Vec<bool>, Vec<String>, Group)> = Vec::new();
    for spec in &features.specs {
        if opts.exclude.contains(&spec.name) {
            dropped.push(Dropped::new(&spec.name, DropReason::Excluded));
            continue;
        }
        if spec.name == "survey_answered" {
            dropped.push(Dropped::new(&spec.name, DropReason::SurveyAnswered));
            continue;
        }
        let weight = weight_of(spec.group, opts);
        if spec.kind == Kind::Categorical {
            let values = texts(df, &spec.name)?;
            let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
            for v in values.iter().flatten() {
                *counts.entry(v.clone()).or_default() += 1;
            }
            let known: Vec<String> = counts
                .iter()
                .filter(|(_, &c)| c as f64 >= rare_level_share * n as f64)
                .map(|(l, _)| l.clone())
                .collect();
            let pooled = counts.len() > known.len();
            for level in &known {
                columns.push(ColumnTransform {
                    name: format!("{}={}", spec.name, level),
                    group: spec.group,
                    encoding: Encoding::OneHot {
                        feature: spec.name.clone(),
                        level: Some(level.clone()),
                        known: Vec::new(),
                    },
                    weight,
                });
            }
            if pooled {
                columns.push(ColumnTransform {
                    name: format!("{}=other", spec.name),
                    group: spec.group,
                    encoding: Encoding::OneHot {
                        feature: spec.name.clone(),
                        level: None,
                        known: known.clone(),
                    },
                    weight,
                });
            }
            let missing: Vec<bool> = values.iter().map(Option::is_none).collect();
            if opts.missing_indicators && missing.iter().any(|&m| m) {
                add_mask(&mut masks, missing, &spec.name, spec.group);
            }
            continue;
        }
        let mut values = numbers(df, &spec.name)?;
        // A value that is not a finite number would poison the quantiles (and `clamp` panics
        // on a NaN bound): ingest refuses such inputs, so one here is a feature's bug.
        if let Some(i) = values
            .iter()
            .position(|v| v.is_some_and(|x| !x.is_finite()))
        {
            let ids = texts(df, "customer_id")?;
            return Err(Error::Data(format!(
                "feature {} of customer {} is {}, not a finite number; this is a bug, please \
                 report it with the mapping",
                spec.name,
                ids.get(i).cloned().flatten().unwrap_or_default(),
                values[i].unwrap_or_default()
            )));
        }
        let mut shrink = None;
        let trials = crate::catalog::trials_of(&spec.name)
            .filter(|t| opts.shrink_rates && spec.kind == Kind::Rate && df.column(t).is_ok());
        if let Some(t) = trials {
            let n = numbers(df, t)?;
            match rate_spread(&values, &n, t) {
                RateSpread::Unknown => {}
                RateSpread::Chance => {
                    dropped.push(Dropped::new(
                        &spec.name,
                        DropReason::ChanceSpread {
                            trials: t.to_string(),
                        },
                    ));
                    continue;
                }
                RateSpread::Real(sh) => {
                    sh.apply(&mut values, &n);
                    shrink = Some(sh);
                }
            }
        }
        let log = if opts.log_transform && spec.kind.heavy_tailed() {
            if values.iter().flatten().any(|&x| x < 0.0) || spec.kind == Kind::Money {
                LogTransform::SignedLog1p
            } else {
                LogTransform::Log1p
            }
        } else {
            LogTransform::None
        };
        let present = sorted(values.iter().flatten().map(|&x| log.apply(x)));
        if present.is_empty() {
            dropped.push(Dropped::new(&spec.name, DropReason::NoValue));
            continue;
        }
        let missing: Vec<bool> = values.iter().map(Option::is_none).collect();
        if opts.missing_indicators && missing.iter().any(|&m| m) {
            add_mask(&mut masks, missing, &spec.name, spec.group);
        }
        let [ql, qh] = opts.winsorize;
        let clip = [quantile_sorted(&present, ql), quantile_sorted(&present, qh)];
        // Centre and scale from the customers who have a value (survey items: the
        // respondents); a missing value sits at the centre, so it adds no distance on this
        // axis, and the column's spread over all customers shrinks with its coverage.
        // Clamping keeps the numeric order: the clipped values are sorted already (only the
        // signs of zeros may fall out of `total_cmp` order, which the quantiles, mean and
        // standard deviation do not see).
        let clipped: Vec<f64> = present.iter().map(|x| x.clamp(clip[0], clip[1])).collect();
        let (center, scale) = center_scale(&clipped, opts.scaling);
        let impute = center;
        if scale.is_nan() || scale <= 0.0 || clip[0] == clip[1] {
            dropped.push(Dropped::new(&spec.name, DropReason::ConstantAfterClipping));
            continue;
        }
        columns.push(ColumnTransform {
            name: spec.name.clone(),
            group: spec.group,
            encoding: Encoding::Numeric {
                feature: spec.name.clone(),
                shrink,
                log,
                impute,
                clip,
                center,
                scale,
            },
            weight,
        });
    }
    for (mask, feats, group) in masks {
        let count = mask.iter().filter(|&&m| m).count();
        if count == n {
            continue;
        }
        columns.push(ColumnTransform {
            name: format!("missing:{}", feats[0]),
            group,
            encoding: Encoding::Missing { features: feats },
            weight: weight_of(group, opts),
        });
    }
    // Drop constant one-hot columns and zero-weight columns.
    let mut model = PrepareModel {
        columns,
        dropped,
        correlated: Vec::new(),
    };
    let matrix = model.transform(df)?;
    let mut keep = Vec::new();
    for (j, c) in model.columns.iter().enumerate() {
        let col = matrix.column(j);
        let first = col[0];
        if c.weight == 0.0 {
            model
                .dropped
                .push(Dropped::new(&c.name, DropReason::ZeroWeight));
        } else if col.iter().all(|&x| x == first) {
            model
                .dropped
                .push(Dropped::new(&c.name, DropReason::Constant));
        } else {
            keep.push(j);
        }
    }
    model.columns = keep.iter().map(|&j| model.columns[j].clone()).collect();
    let matrix = matrix.select(Axis(1), &keep);
    // Fold near-identical columns: the later one (catalog order) goes, so the same
    // information does not count twice (e.g. net revenue, gross margin and contribution
    // profit in a shop without costs or returns).
    let folds = correlated(&matrix, &model.columns, opts.fold_above);
    let mut gone = vec![false; model.columns.len()];
    for f in &folds {
        let (a, b) = (
            model.columns.iter().position(|c| c.name == f.a),
            model.columns.iter().position(|c| c.name == f.b),
        );
        if let (Some(a), Some(b)) = (a, b) {
            if !gone[a] && !gone[b] {
                gone[b] = true;
                model.dropped.push(Dropped::new(
                    &f.b,
                    DropReason::Folded {
                        into: f.a.clone(),
                        r: f.r,
                    },
                ));
            }
        }
    }
    let keep: Vec<usize> = (0..gone.len()).filter(|&j| !gone[j]).collect();
    model.columns = keep.iter().map(|&j| model.columns[j].clone()).collect();
    let mut matrix = matrix.select(Axis(1), &keep);
    if opts.balance_groups {
        balance(&mut matrix, &mut model.columns);
    }
    model.correlated = correlated(&matrix, &model.columns, opts.correlation_warning);
    let ids = texts(df, "customer_id")?
        .into_iter()
        .map(|s| s.unwrap_or_default())
        .collect();
    Ok(Prepared { ids, matrix, model })
}

/// The feature a matrix column comes from (a categorical feature's levels are one feature).
fn feature_of(c: &ColumnTransform) -> &str {
    match &c.encoding {
        Encoding::Numeric { feature, .. } | Encoding::OneHot { feature, .. } => feature,
        Encoding::Missing { features } => &features[0],
    }
}

/// Each group weighs as a group: its columns' weights are divided by the square root of the
/// number of features the group has in the matrix, so a group's pull (its share of the
/// squared distances) follows its configured weight, not its column count.
fn balance(matrix: &mut Array2<f64>, columns: &mut [ColumnTransform]) {
    let mut features: std::collections::BTreeMap<Group, std::collections::BTreeSet<&str>> =
        Default::default();
    for c in columns.iter() {
        features.entry(c.group).or_default().insert(feature_of(c));
    }
    let factor: std::collections::BTreeMap<Group, f64> = features
        .iter()
        .map(|(g, f)| (*g, 1.0 / (f.len() as f64).sqrt()))
        .collect();
    for (j, c) in columns.iter_mut().enumerate() {
        let f = factor[&c.group];
        c.weight *= f;
        matrix.column_mut(j).mapv_inplace(|v| v * f);
    }
}

fn add_mask(
    masks: &mut Vec<(Vec<bool>, Vec<String>, Group)>,
    mask: Vec<bool>,
    name: &str,
    group: Group,
) {
    if let Some(m) = masks.iter_mut().find(|(m, _, _)| *m == mask) {
        m.1.push(name.to_string());
    } else {
        masks.push((mask, vec![name.to_string()], group));
    }
}

fn center_scale(sorted: &[f64], scaling: Scaling) -> (f64, f64) {
    let mean = crate::stats::mean(sorted).unwrap_or(f64::NAN);
    let std = crate::stats::std(sorted).unwrap_or(f64::NAN);
    match scaling {
        Scaling::Standard => (mean, std),
        Scaling::Robust => {
            let iqr = quantile_sorted(sorted, 0.75) - quantile_sorted(sorted, 0.25);
            let median = quantile_sorted(sorted, 0.5);
            if iqr > 0.0 {
                (median, iqr)
            } else {
                (median, std)
            }
        }
    }
}

fn correlated(m: &Array2<f64>, cols: &[ColumnTransform], threshold: f64) -> Vec<Correlated> {
    let n = m.nrows() as f64;
    let means: Array1<f64> = m
        .mean_axis(Axis(0))
        .unwrap_or_else(|| Array1::zeros(m.ncols()));
    let centered = m - &means;
    let cov = centered.t().dot(&centered) / n;
    let mut out = Vec::new();
    for a in 0..m.ncols() {
        for b in (a + 1)..m.ncols() {
            let denom = (cov[[a, a]] * cov[[b, b]]).sqrt();
            if denom > 0.0 {
                let r = cov[[a, b]] / denom;
                if r.abs() > threshold {
                    out.push(Correlated {
                        a: cols[a].name.clone(),
                        b: cols[b].name.clone(),
                        r: (r * 1e4).round() / 1e4,
                    });
                }
            }
        }
    }
    out
}

impl PrepareModel {
    /// Applies the recorded transforms to a feature table with the same feature columns.
    /// A missing feature column is an error naming it; unseen categorical levels count as
    /// `other`.
    pub fn transform(&self, df: &DataFrame) -> Result<Array2<f64>> {
        let n = df.height();
        let mut m = Array2::<f64>::zeros((n, self.columns.len()));
        let need = |name: &str| -> Result<()> {
            if df.column(name).is_err() {
                return Err(Error::Data(format!(
                    "the feature table has no column {name:?}, which the model needs; build it with the same mapping (and inputs of the same kinds)"
                )));
            }
            Ok(())
        };
        for (j, c) in self.columns.iter().enumerate() {
            let mut out = m.column_mut(j);
            match &c.encoding {
                Encoding::Numeric {
                    feature,
                    shrink,
                    log,
                    impute,
                    clip,
                    center,
                    scale,
                } => {
                    need(feature)?;
                    let mut values = numbers(df, feature)?;
                    if let Some(sh) = shrink {
                        need(&sh.trials)?;
                        sh.apply(&mut values, &numbers(df, &sh.trials)?);
                    }
                    for (o, v) in out.iter_mut().zip(values) {
                        let x = v.map_or(*impute, |x| log.apply(x)).clamp(clip[0], clip[1]);
                        *o = (x - center) / scale * c.weight;
                    }
                }
                Encoding::OneHot {
                    feature,
                    level,
                    known,
                } => {
                    need(feature)?;
                    // Read in place, not copied value by value for every level of the feature.
                    for (o, v) in out.iter_mut().zip(column_text(df, feature)?.iter()) {
                        let hit = match (level, v) {
                            (Some(l), Some(v)) => l == v,
                            (None, Some(v)) => !known.iter().any(|k| k == v),
                            (_, None) => false,
                        };
                        *o = if hit { c.weight } else { 0.0 };
                    }
                }
                Encoding::Missing { features } => {
                    need(&features[0])?;
                    let nulls = df
                        .column(&features[0])
                        .ctx("reading a feature")?
                        .as_materialized_series()
                        .is_null();
                    for (o, is_null) in out.iter_mut().zip(nulls.iter()) {
                        *o = if is_null == Some(true) { c.weight } else { 0.0 };
                    }
                }
            }
        }
        Ok(m)
    }

    /// Column names in order.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

impl Prepared {
    /// The matrix as a frame: `customer_id` then one column per matrix column.
    pub fn to_frame(&self) -> Result<DataFrame> {
        let mut cols: Vec<Column> = vec![Column::new("customer_id".into(), self.ids.clone())];
        for (j, c) in self.model.columns.iter().enumerate() {
            cols.push(Column::new(
                c.name.as_str().into(),
                self.matrix.column(j).to_vec(),
            ));
        }
        DataFrame::new_infer_height(cols).ctx("building the matrix frame")
    }
}
