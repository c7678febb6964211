//! Measured lift of a campaign per segment (`segmint lift`): treatment against the held-out
//! control group of a [`holdout`](super::holdout), intention to treat.
//!
//! Every customer on the two lists counts, whether or not they bought in the post period (a
//! non-buyer is a zero), and whether or not the campaign reached them. Per segment:
//!
//! * conversion (bought at least once in the post period): pooled two-proportion z test, Wald
//!   interval of the difference, relative lift with a log-ratio interval;
//! * revenue and profit per customer: Welch's t on values winsorised at the stated percentile
//!   (both tails, the bounds from treatment and control pooled), and a seeded percentile
//!   bootstrap interval of the raw (not winsorised) difference and relative lift;
//! * optional CUPED: revenue adjusted with the pre-period net revenue of the run, then Welch's t;
//! * a sample-ratio-mismatch χ² of the lists against the planned share;
//! * Holm's correction of the primary metric's p-values across segments.
//!
//! Overall: the effects weighted by segment size (all customers of the segment), and the
//! incremental revenue Σ treated × raw difference per segment, with a normal interval and a
//! bootstrap interval resampled within every segment and group.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::{Column, DataFrame};
use serde::{Deserialize, Serialize};

use super::holdout::HoldoutManifest;
use super::stats::{self, Interval, ProportionTest, WelchTest};
use crate::config::Config;
use crate::error::{Error, PolarsContext, Result};
use crate::i18n::Lang;
use crate::model::{CampaignNote, RunId, SegmentLabel, SegmentName};

/// The metric whose p-values are Holm-corrected across segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Primary {
    /// Revenue per customer (Welch's t on winsorised values, or on CUPED-adjusted values).
    Revenue,
    /// Conversion (two-proportion test).
    Conversion,
}

/// Settings of the measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiftOptions {
    /// Significance level (intervals are 1 − alpha).
    pub alpha: f64,
    /// Percentile at which revenue and profit are winsorised (0.99 = the 99th; 1 = none).
    pub winsor: f64,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// The metric Holm's correction is applied to.
    pub primary: Primary,
    /// Adjust revenue with the pre-period net revenue (CUPED).
    pub cuped: bool,
}

impl Default for LiftOptions {
    fn default() -> Self {
        LiftOptions {
            alpha: 0.05,
            winsor: 0.99,
            resamples: 2000,
            seed: 42,
            primary: Primary::Revenue,
            cuped: false,
        }
    }
}

/// One customer on the lists with their post-period outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Stratum (`1`, `2`, ... or `unassigned`).
    pub segment: SegmentLabel,
    /// On the treatment list (else the control list).
    pub treated: bool,
    /// Ordered at least once in the post period.
    pub converted: bool,
    /// Post-period net revenue (0 for non-buyers).
    pub revenue: f64,
    /// Post-period profit (0 for non-buyers).
    pub profit: f64,
    /// Pre-period net revenue (for CUPED).
    pub pre_revenue: f64,
}

/// A money metric per customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MoneyLift {
    /// Welch's t on the raw values (its difference is the unbiased effect).
    pub raw: WelchTest,
    /// The winsorising bounds (pooled percentiles).
    pub winsor_low: f64,
    /// Upper bound.
    pub winsor_high: f64,
    /// Welch's t on the winsorised values.
    pub winsorised: WelchTest,
    /// Percentile bootstrap interval of the raw difference.
    pub bootstrap_ci: Interval,
    /// Percentile bootstrap interval of the raw relative lift.
    pub bootstrap_relative_ci: Option<Interval>,
}

/// CUPED on revenue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CupedLift {
    /// θ = cov(revenue, pre-period revenue) / var(pre-period revenue), both winsorised.
    pub theta: f64,
    /// 1 − var(adjusted) / var(winsorised revenue).
    pub variance_reduction: f64,
    /// Welch's t on the adjusted values.
    pub test: WelchTest,
}

/// The sample-ratio check of a segment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SrmCheck {
    /// Control customers expected from the planned share.
    pub expected_control: f64,
    /// χ² (one degree of freedom).
    pub chi2: f64,
    /// p-value.
    pub p_value: f64,
    /// p below 0.001: the lists do not have the planned ratio; do not trust this segment's
    /// result before finding out why.
    pub mismatch: bool,
}

/// One segment's lift.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentLift {
    /// `1`, `2`, ... or `unassigned`.
    pub segment: SegmentLabel,
    /// Name in the run (English).
    pub name: String,
    /// The name as facts, for the report section and the chart in any language.
    #[serde(rename = "name_facts")]
    pub naming: SegmentName,
    /// Customers on the treatment list.
    pub treatment: usize,
    /// Customers on the control list.
    pub control: usize,
    /// Sample-ratio check.
    pub srm: SrmCheck,
    /// Conversion.
    pub conversion: ProportionTest,
    /// Revenue per customer.
    pub revenue: MoneyLift,
    /// Profit per customer.
    pub profit: MoneyLift,
    /// CUPED on revenue, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cuped: Option<CupedLift>,
    /// p-value of the primary metric.
    pub primary_p: f64,
    /// Holm-adjusted across the segments.
    pub primary_p_holm: f64,
    /// primary_p_holm < alpha.
    pub significant: bool,
    /// treated customers × raw revenue difference.
    pub incremental_revenue: f64,
    /// Its normal interval.
    pub incremental_revenue_ci: Interval,
}

/// The overall effect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverallLift {
    /// Customers on both lists in the segments measured.
    pub customers: usize,
    /// Treated customers.
    pub treatment: usize,
    /// Control customers.
    pub control: usize,
    /// Σ (segment size / customers) × conversion difference.
    pub conversion_diff: f64,
    /// Its normal interval.
    pub conversion_diff_ci: Interval,
    /// Σ (segment size / customers) × raw revenue difference per customer.
    pub revenue_diff: f64,
    /// Its normal interval.
    pub revenue_diff_ci: Interval,
    /// revenue_diff relative to the size-weighted control mean.
    pub revenue_relative: Option<f64>,
    /// Its bootstrap interval.
    pub revenue_relative_ci: Option<Interval>,
    /// Σ treated × raw revenue difference per segment.
    pub incremental_revenue: f64,
    /// Its normal interval.
    pub incremental_revenue_ci: Interval,
    /// Its bootstrap interval (resampled within every segment and group).
    pub incremental_revenue_bootstrap_ci: Interval,
    /// Segments left out of the overall effect (a group is empty or has one customer).
    pub segments_left_out: Vec<SegmentLabel>,
}

/// The measurement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lift {
    /// Settings.
    pub options: LiftOptions,
    /// Planned control share (from the holdout).
    pub share: f64,
    /// Per segment (those with two or more customers in each group).
    pub segments: Vec<SegmentLift>,
    /// Overall.
    pub overall: OverallLift,
}

fn money(t: &[f64], c: &[f64], opts: &LiftOptions, seed: u64) -> (MoneyLift, Vec<(f64, f64)>) {
    let all: Vec<f64> = t.iter().chain(c).copied().collect();
    let (w, lo, hi) = stats::winsorize(&all, opts.winsor);
    let reps = bootstrap_means(t, c, opts.resamples, seed);
    let diffs: Vec<f64> = reps.iter().map(|(a, b)| a - b).collect();
    let rels: Vec<f64> = reps
        .iter()
        .filter(|(_, b)| *b != 0.0)
        .map(|(a, b)| a / b - 1.0)
        .collect();
    (
        MoneyLift {
            raw: stats::welch(t, c, opts.alpha),
            winsor_low: lo,
            winsor_high: hi,
            winsorised: stats::welch(&w[..t.len()], &w[t.len()..], opts.alpha),
            bootstrap_ci: stats::percentile_interval(&diffs, opts.alpha),
            bootstrap_relative_ci: (rels.len() == reps.len())
                .then(|| stats::percentile_interval(&rels, opts.alpha)),
        },
        reps,
    )
}

/// `resamples` bootstrap replicates of (mean treatment*, mean control*).
pub fn bootstrap_means(t: &[f64], c: &[f64], resamples: usize, seed: u64) -> Vec<(f64, f64)> {
    let mut rng = stats::SplitMix::new(seed);
    let mut mean_of = |v: &[f64]| {
        let n = v.len();
        (0..n).map(|_| v[rng.below(n)]).sum::<f64>() / n as f64
    };
    (0..resamples).map(|_| (mean_of(t), mean_of(c))).collect()
}

/// Measures the lift per segment and overall. `names` gives the segments' names;
/// `share` is the planned control share.
pub fn measure(
    units: &[Unit],
    names: &BTreeMap<SegmentLabel, SegmentName>,
    share: f64,
    opts: &LiftOptions,
) -> Result<Lift> {
    if opts.resamples == 0 || !(opts.alpha > 0.0 && opts.alpha < 1.0) {
        return Err(Error::Data(format!(
            "the lift needs at least one bootstrap resample and 0 < alpha < 1 (got {} and {})",
            opts.resamples, opts.alpha
        )));
    }
    // Segments by number, the unassigned last.
    let mut by: BTreeMap<SegmentLabel, Vec<&Unit>> = BTreeMap::new();
    for u in units {
        by.entry(u.segment).or_default().push(u);
    }
    let z = stats::normal_quantile(1.0 - opts.alpha / 2.0);
    let mut segments = Vec::new();
    let mut left_out = Vec::new();
    let mut boot_incremental = vec![0.0; opts.resamples];
    let mut boot_weighted = vec![(0.0, 0.0); opts.resamples];
    let total: usize = by.values().filter(|v| measurable(v)).map(|v| v.len()).sum();
    for (index, (seg, rows)) in by.iter().enumerate() {
        if !measurable(rows) {
            left_out.push(*seg);
            continue;
        }
        let (t, c): (Vec<&Unit>, Vec<&Unit>) = rows.iter().partition(|u| u.treated);
        let values = |g: &[&Unit], f: fn(&Unit) -> f64| g.iter().map(|u| f(u)).collect::<Vec<_>>();
        let conv = |g: &[&Unit]| g.iter().filter(|u| u.converted).count() as u64;
        let conversion = stats::two_proportions(
            conv(&t),
            t.len() as u64,
            conv(&c),
            c.len() as u64,
            opts.alpha,
        );
        let seed = opts
            .seed
            .wrapping_add((index as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let (rt, rc) = (values(&t, |u| u.revenue), values(&c, |u| u.revenue));
        let (revenue, reps) = money(&rt, &rc, opts, seed);
        let (profit, _) = money(
            &values(&t, |u| u.profit),
            &values(&c, |u| u.profit),
            opts,
            seed ^ 0x5555,
        );
        let cuped = opts.cuped.then(|| {
            let y: Vec<f64> = rt.iter().chain(&rc).copied().collect();
            let x: Vec<f64> = values(&t, |u| u.pre_revenue)
                .into_iter()
                .chain(values(&c, |u| u.pre_revenue))
                .collect();
            let (yw, _, _) = stats::winsorize(&y, opts.winsor);
            let (xw, _, _) = stats::winsorize(&x, opts.winsor);
            let (adj, theta) = stats::cuped(&yw, &xw);
            let before = stats::mean_var(&yw).1;
            let after = stats::mean_var(&adj).1;
            CupedLift {
                theta,
                variance_reduction: if before > 0.0 {
                    1.0 - after / before
                } else {
                    0.0
                },
                test: stats::welch(&adj[..t.len()], &adj[t.len()..], opts.alpha),
            }
        });
        let (chi2, p_srm) = stats::srm(t.len() as u64, c.len() as u64, share);
        let primary_p = match (opts.primary, &cuped) {
            (Primary::Conversion, _) => conversion.p_value,
            (Primary::Revenue, Some(cu)) => cu.test.p_value,
            (Primary::Revenue, None) => revenue.winsorised.p_value,
        };
        let nt = t.len() as f64;
        let w = rows.len() as f64 / total as f64;
        for (b, (mt, mc)) in reps.iter().enumerate() {
            boot_incremental[b] += nt * (mt - mc);
            boot_weighted[b].0 += w * mt;
            boot_weighted[b].1 += w * mc;
        }
        let inc = nt * revenue.raw.diff;
        let naming = names
            .get(seg)
            .cloned()
            .unwrap_or_else(|| SegmentName::of(*seg));
        segments.push(SegmentLift {
            segment: *seg,
            name: Lang::En.segment_name(&naming),
            naming,
            treatment: t.len(),
            control: c.len(),
            srm: SrmCheck {
                expected_control: rows.len() as f64 * share,
                chi2,
                p_value: p_srm,
                mismatch: p_srm < 0.001,
            },
            conversion,
            incremental_revenue: inc,
            incremental_revenue_ci: Interval {
                low: inc - z * nt * revenue.raw.se,
                high: inc + z * nt * revenue.raw.se,
            },
            revenue,
            profit,
            cuped,
            primary_p,
            primary_p_holm: primary_p,
            significant: false,
        });
    }
    if segments.is_empty() {
        return Err(Error::Data(
            "no segment has two or more customers on both the treatment and the control list: \
             nothing to measure; check the lists next to the holdout manifest"
                .into(),
        ));
    }
    let adjusted = stats::holm(&segments.iter().map(|s| s.primary_p).collect::<Vec<_>>());
    for (s, p) in segments.iter_mut().zip(adjusted) {
        s.primary_p_holm = p;
        s.significant = p < opts.alpha;
    }
    let weight = |s: &SegmentLift| (s.treatment + s.control) as f64 / total as f64;
    let sum = |f: &dyn Fn(&SegmentLift) -> f64| segments.iter().map(f).sum::<f64>();
    let conv_diff = sum(&|s| weight(s) * s.conversion.diff);
    let conv_se = sum(&|s| {
        let (pt, pc) = (s.conversion.treatment, s.conversion.control);
        weight(s).powi(2)
            * (pt * (1.0 - pt) / s.treatment as f64 + pc * (1.0 - pc) / s.control as f64)
    })
    .sqrt();
    let rev_diff = sum(&|s| weight(s) * s.revenue.raw.diff);
    let rev_se = sum(&|s| (weight(s) * s.revenue.raw.se).powi(2)).sqrt();
    let control_mean = sum(&|s| weight(s) * s.revenue.raw.mean_control);
    let inc = sum(&|s| s.incremental_revenue);
    let inc_se = sum(&|s| (s.treatment as f64 * s.revenue.raw.se).powi(2)).sqrt();
    let rels: Vec<f64> = boot_weighted
        .iter()
        .filter(|(_, c)| *c != 0.0)
        .map(|(t, c)| t / c - 1.0)
        .collect();
    let overall = OverallLift {
        customers: total,
        treatment: segments.iter().map(|s| s.treatment).sum(),
        control: segments.iter().map(|s| s.control).sum(),
        conversion_diff: conv_diff,
        conversion_diff_ci: Interval {
            low: conv_diff - z * conv_se,
            high: conv_diff + z * conv_se,
        },
        revenue_diff: rev_diff,
        revenue_diff_ci: Interval {
            low: rev_diff - z * rev_se,
            high: rev_diff + z * rev_se,
        },
        revenue_relative: (control_mean != 0.0).then(|| rev_diff / control_mean),
        revenue_relative_ci: (control_mean != 0.0 && rels.len() == opts.resamples)
            .then(|| stats::percentile_interval(&rels, opts.alpha)),
        incremental_revenue: inc,
        incremental_revenue_ci: Interval {
            low: inc - z * inc_se,
            high: inc + z * inc_se,
        },
        incremental_revenue_bootstrap_ci: stats::percentile_interval(&boot_incremental, opts.alpha),
        segments_left_out: left_out,
    };
    Ok(Lift {
        options: opts.clone(),
        share,
        segments,
        overall,
    })
}

fn measurable(rows: &[&Unit]) -> bool {
    let t = rows.iter().filter(|u| u.treated).count();
    t >= 2 && rows.len() - t >= 2
}

/// Post-period outcomes per customer: (orders' net revenue, profit, bought).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    /// Net revenue: paid − refunds.
    pub revenue: f64,
    /// paid − cost of goods − (refunds − cost of the goods returned).
    pub profit: f64,
    /// Bought at least one line.
    pub converted: bool,
}

/// The post period whose orders `segmint lift` counts: the days `from` to `to`, both
/// included (`to` `None`: no end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First day counted.
    pub from: NaiveDate,
    /// Last day counted.
    pub to: Option<NaiveDate>,
}

impl Window {
    /// The default window of a holdout drawn from a run with reference date `as_of`: every
    /// order after that day.
    pub fn after(as_of: NaiveDate) -> Window {
        Window {
            from: as_of + chrono::Days::new(1),
            to: None,
        }
    }

    /// The window as written to lift.json.
    pub fn record(&self) -> WindowRecord {
        WindowRecord {
            from: self.from.format("%Y-%m-%d").to_string(),
            to: self.to.map(|d| d.format("%Y-%m-%d").to_string()),
        }
    }

    /// Whether a line stamped `ms` (milliseconds since 1970, as ingest reads timestamps) lies
    /// in the window.
    fn holds(&self, ms: i64) -> bool {
        let start = self
            .from
            .and_hms_opt(0, 0, 0)
            .map_or(i64::MIN, |t| t.and_utc().timestamp_millis());
        let end = self
            .to
            .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 999))
            .map_or(i64::MAX, |t| t.and_utc().timestamp_millis());
        start <= ms && ms <= end
    }
}

/// The post-period window as lift.json records it (`YYYY-MM-DD`, both days included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowRecord {
    /// First day counted.
    pub from: String,
    /// Last day counted (absent: no end).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// Post-period outcomes per customer and what the window left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcomes {
    /// Per customer.
    pub by_customer: HashMap<String, Outcome>,
    /// Orders (distinct order ids) with lines outside the window: not counted.
    pub orders_outside_window: usize,
    /// Their lines.
    pub lines_outside_window: usize,
    /// Return lines of those orders: not counted either.
    pub returns_outside_window: usize,
}

/// The mapping that reads the post-period orders: the mapping's `[transactions]` section
/// with its path replaced by `orders`, no reference date, the other tables left out; a
/// separate returns file of the post period through `[returns]` when `returns` is given.
pub fn post_period_mapping(
    config: &Config,
    orders: &Path,
    returns: Option<&Path>,
) -> Result<Config> {
    let mut c = config.clone();
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    c.mapping.as_of = None;
    c.mapping.transactions.path = abs(orders);
    c.mapping.events = None;
    c.mapping.survey = None;
    c.mapping.customers = None;
    match (returns, c.mapping.returns.as_mut()) {
        (Some(r), Some(t)) => t.path = abs(r),
        (Some(r), None) => {
            return Err(Error::Data(format!(
                "--returns {} given, but the mapping has no [returns] section to read it with",
                r.display()
            )))
        }
        (None, _) => c.mapping.returns = None,
    }
    Ok(c)
}

/// The post-period outcomes per customer from the orders (and returns) `inputs` read through
/// [`post_period_mapping`]: the order lines dated within `window`; returns of orders outside
/// it are left out too (returns carry no date of their own after ingest).
pub fn outcomes(inputs: &crate::ingest::Inputs, window: &Window) -> Result<Outcomes> {
    let mut out: HashMap<String, Outcome> = HashMap::new();
    let ids = crate::frame::column_str(&inputs.lines, "customer_id")?;
    let paid = crate::frame::column_f64(&inputs.lines, "paid")?;
    let cogs = crate::frame::column_f64(&inputs.lines, "cogs")?;
    let order_ids = crate::frame::column_str(&inputs.lines, "order_id")?;
    let ts = inputs
        .lines
        .column("ts")
        .and_then(|c| c.cast(&polars::prelude::DataType::Int64))
        .ctx("reading the order dates")?;
    let ts: Vec<Option<i64>> = ts.i64().ctx("reading the order dates")?.iter().collect();
    let mut outside: HashSet<Option<&str>> = HashSet::new();
    let mut lines_outside = 0;
    for i in 0..ids.len() {
        let Some(id) = &ids[i] else { continue };
        if !ts[i].is_some_and(|t| window.holds(t)) {
            outside.insert(order_ids[i].as_deref());
            lines_outside += 1;
            continue;
        }
        let o = out.entry(id.clone()).or_default();
        let (p, g) = (paid[i].unwrap_or(0.0), cogs[i].unwrap_or(0.0));
        o.revenue += p;
        o.profit += p - g;
        o.converted = true;
    }
    let mut returns_outside = 0;
    if inputs.returns.height() > 0 {
        let ids = crate::frame::column_str(&inputs.returns, "customer_id")?;
        let refund = crate::frame::column_f64(&inputs.returns, "refund")?;
        let cogs = crate::frame::column_f64(&inputs.returns, "cogs")?;
        let order_ids = crate::frame::column_str(&inputs.returns, "order_id")?;
        for i in 0..ids.len() {
            let Some(id) = &ids[i] else { continue };
            if order_ids[i].is_some() && outside.contains(&order_ids[i].as_deref()) {
                returns_outside += 1;
                continue;
            }
            let o = out.entry(id.clone()).or_default();
            let (r, g) = (refund[i].unwrap_or(0.0), cogs[i].unwrap_or(0.0));
            o.revenue -= r;
            o.profit -= r - g;
        }
    }
    Ok(Outcomes {
        by_customer: out,
        orders_outside_window: outside.len(),
        lines_outside_window: lines_outside,
        returns_outside_window: returns_outside,
    })
}

/// What `segmint lift` measured and what it read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiftReport {
    /// The run the holdout was drawn from: the measurement belongs to it (`lift.json`'s header
    /// names it, and its section goes into that run's report).
    #[serde(skip)]
    pub run_id: RunId,
    /// segmint version.
    pub segmint_version: String,
    /// The holdout manifest read.
    pub holdout: PathBuf,
    /// The post-period orders read.
    pub orders: PathBuf,
    /// The days whose orders were counted.
    pub window: WindowRecord,
    /// Orders (distinct order ids) of the orders file dated outside the window: not counted.
    pub orders_outside_window: usize,
    /// Return lines of those orders: not counted either.
    pub returns_outside_window: usize,
    /// Notes: edited lists, customers outside the lists, ... (worded by
    /// [`crate::i18n::Lang::campaign_note`]).
    #[serde(default, deserialize_with = "crate::model::campaign_notes")]
    pub notes: Vec<CampaignNote>,
    /// Post-period buyers on neither list (left out).
    pub buyers_outside_lists: usize,
    /// Their net revenue.
    pub revenue_outside_lists: f64,
    /// The currency of the money (ISO 4217 code) from the mapping, when it gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// The measurement.
    #[serde(flatten)]
    pub lift: Lift,
}

/// The post period of a holdout drawn from a run with reference date `as_of` (the holdout
/// manifest's, read from `manifest`): `from` to `to`, both included; by default every order
/// after as_of.
pub fn window(
    manifest: &Path,
    as_of: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Window> {
    let as_of = NaiveDate::parse_from_str(as_of, "%Y-%m-%d").map_err(|e| Error::Read {
        file: manifest.to_path_buf(),
        message: format!("as_of {as_of:?} is not a date (YYYY-MM-DD): {e}"),
    })?;
    let window = Window {
        from: from.unwrap_or_else(|| Window::after(as_of).from),
        to,
    };
    if let Some(to) = window.to.filter(|&to| to < window.from) {
        return Err(Error::Data(format!(
            "the post period ends ({to}) before it starts ({}): give --to on or after --from{}",
            window.from,
            if from.is_none() {
                format!(" (by default the day after the run's as_of {as_of})")
            } else {
                String::new()
            }
        )));
    }
    Ok(window)
}

/// One of a holdout's two lists as read: its rows (customer id, segment label) and whether
/// the file still has the hash the manifest recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldoutList {
    /// The file name, as the manifest gives it.
    pub file: String,
    /// Customer id and segment of each row.
    pub rows: Vec<(String, SegmentLabel)>,
    /// Whether these are the treated customers (else the control group).
    pub treated: bool,
    /// Whether the file was changed after the holdout wrote it (its SHA-256 differs).
    pub changed: bool,
}

/// The customers on a holdout's two lists: (customer id, segment, treated), and a note for
/// each list changed since the holdout wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct Members {
    /// Customer id, segment and whether treated (else in the control group).
    pub rows: Vec<(String, SegmentLabel, bool)>,
    /// [`CampaignNote::ListChanged`] for each list whose hash differs.
    pub notes: Vec<CampaignNote>,
}

/// The customers of the two lists of the holdout `manifest` (each customer at most once, on
/// one list: otherwise an error naming the customer).
pub fn members(lists: Vec<HoldoutList>, manifest: &Path) -> Result<Members> {
    let mut notes = Vec::new();
    let mut rows: Vec<(String, SegmentLabel, bool)> = Vec::new();
    for list in lists {
        if list.changed {
            notes.push(CampaignNote::ListChanged { file: list.file });
        }
        let treated = list.treated;
        rows.extend(list.rows.into_iter().map(|(id, seg)| (id, seg, treated)));
    }
    let mut seen = HashSet::new();
    for (id, _, _) in &rows {
        if !seen.insert(id.as_str()) {
            return Err(Error::Data(format!(
                "customer {id:?} is on the lists of {} twice (or on both): fix the lists",
                manifest.display()
            )));
        }
    }
    Ok(Members { rows, notes })
}

/// What `segmint lift` measures from, as the pipeline read it.
#[derive(Debug)]
pub struct LiftInputs<'a> {
    /// The run the holdout was drawn from.
    pub run_id: RunId,
    /// The holdout manifest's path (for lift.json and messages).
    pub manifest_path: &'a Path,
    /// The holdout manifest.
    pub manifest: &'a HoldoutManifest,
    /// The customers of the treatment and the control list ([`members`]).
    pub members: Members,
    /// With CUPED, each customer's net revenue before the campaign (the run's features).
    pub pre_revenue: Option<HashMap<String, f64>>,
    /// The post-period orders file (for lift.json and notes).
    pub orders: &'a Path,
    /// The days counted.
    pub window: Window,
    /// The post-period outcomes ([`outcomes`]).
    pub outcomes: Outcomes,
    /// The currency of the money (ISO 4217), when the mapping gives one.
    pub currency: Option<String>,
}

/// `segmint lift`'s measurement: joins the holdout's lists to the post-period outcomes (and,
/// with CUPED, the pre-period revenue) by customer id and measures the lift per segment.
pub fn measure_holdout(input: LiftInputs<'_>, opts: &LiftOptions) -> Result<LiftReport> {
    let LiftInputs {
        run_id,
        manifest_path,
        manifest,
        members: Members {
            rows: members,
            mut notes,
        },
        pre_revenue,
        orders,
        window,
        outcomes,
        currency,
    } = input;
    let seen: HashSet<&str> = members.iter().map(|(id, _, _)| id.as_str()).collect();
    let pre = pre_revenue.unwrap_or_default();
    if outcomes.orders_outside_window > 0 {
        let period = window.record();
        notes.push(CampaignNote::OrdersOutsideWindow {
            orders: outcomes.orders_outside_window,
            lines: outcomes.lines_outside_window,
            file: orders.display().to_string(),
            from: period.from,
            to: period.to,
        });
    }
    let outcomes_by = &outcomes.by_customer;
    let units: Vec<Unit> = members
        .iter()
        .map(|(id, seg, treated)| {
            let o = outcomes_by.get(id).cloned().unwrap_or_default();
            Unit {
                segment: *seg,
                treated: *treated,
                converted: o.converted,
                revenue: o.revenue,
                profit: o.profit,
                pre_revenue: pre.get(id).copied().unwrap_or(0.0),
            }
        })
        .collect();
    let outside: Vec<&Outcome> = outcomes_by
        .iter()
        .filter(|(id, _)| !seen.contains(id.as_str()))
        .map(|(_, o)| o)
        .collect();
    if !outside.is_empty() {
        notes.push(CampaignNote::BuyersOffLists {
            customers: outside.len(),
        });
    }
    let names: BTreeMap<SegmentLabel, SegmentName> = manifest
        .segments
        .iter()
        .map(|s| (s.segment, s.naming()))
        .collect();
    let lift = measure(&units, &names, manifest.share, opts)?;
    for s in &lift.segments {
        if s.srm.mismatch {
            notes.push(CampaignNote::SampleRatioMismatch {
                segment: s.segment,
                name: s.naming.clone(),
                chi2: s.srm.chi2,
                p_value: s.srm.p_value,
                control: s.control,
                expected_control: s.srm.expected_control,
            });
        }
    }
    Ok(LiftReport {
        run_id,
        segmint_version: env!("CARGO_PKG_VERSION").to_string(),
        holdout: manifest_path.to_path_buf(),
        orders: orders.to_path_buf(),
        window: window.record(),
        orders_outside_window: outcomes.orders_outside_window,
        returns_outside_window: outcomes.returns_outside_window,
        notes,
        buyers_outside_lists: outside.len(),
        revenue_outside_lists: outside.iter().map(|o| o.revenue).sum(),
        currency,
        lift,
    })
}

/// The per-segment table (`lift.csv`, `lift.parquet`): one row per segment and a last row
/// `all` with the overall effect (the columns that have no overall value empty).
pub fn lift_frame(r: &LiftReport) -> Result<DataFrame> {
    let segs = &r.lift.segments;
    let a = &r.lift.overall;
    // A number column: one value per segment, then the overall row's.
    let num = |name: &str, f: &dyn Fn(&SegmentLift) -> Option<f64>, all: Option<f64>| {
        let v: Vec<Option<f64>> = segs.iter().map(f).chain([all]).collect();
        Column::new(name.into(), v)
    };
    let n = |name: &str, f: &dyn Fn(&SegmentLift) -> f64, all: Option<f64>| {
        num(name, &|s| Some(f(s)), all)
    };
    let lo = |c: Option<Interval>| c.map(|c| c.low);
    let hi = |c: Option<Interval>| c.map(|c| c.high);
    DataFrame::new_infer_height(vec![
        Column::new(
            "segment".into(),
            segs.iter()
                .map(|s| s.segment.to_string())
                .chain([SegmentLabel::All.to_string()])
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "name".into(),
            segs.iter()
                .map(|s| s.name.clone())
                .chain(["All segments (size-weighted)".to_string()])
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "treatment".into(),
            segs.iter()
                .map(|s| s.treatment as u64)
                .chain([a.treatment as u64])
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "control".into(),
            segs.iter()
                .map(|s| s.control as u64)
                .chain([a.control as u64])
                .collect::<Vec<_>>(),
        ),
        n("srm_p", &|s| s.srm.p_value, None),
        n("conversion_treatment", &|s| s.conversion.treatment, None),
        n("conversion_control", &|s| s.conversion.control, None),
        n(
            "conversion_diff",
            &|s| s.conversion.diff,
            Some(a.conversion_diff),
        ),
        n(
            "conversion_diff_low",
            &|s| s.conversion.diff_ci.low,
            Some(a.conversion_diff_ci.low),
        ),
        n(
            "conversion_diff_high",
            &|s| s.conversion.diff_ci.high,
            Some(a.conversion_diff_ci.high),
        ),
        n("conversion_p", &|s| s.conversion.p_value, None),
        n("revenue_treatment", &|s| s.revenue.raw.mean_treatment, None),
        n("revenue_control", &|s| s.revenue.raw.mean_control, None),
        n(
            "revenue_diff",
            &|s| s.revenue.raw.diff,
            Some(a.revenue_diff),
        ),
        n(
            "revenue_bootstrap_low",
            &|s| s.revenue.bootstrap_ci.low,
            None,
        ),
        n(
            "revenue_bootstrap_high",
            &|s| s.revenue.bootstrap_ci.high,
            None,
        ),
        num(
            "revenue_relative",
            &|s| s.revenue.raw.relative,
            a.revenue_relative,
        ),
        num(
            "revenue_relative_low",
            &|s| lo(s.revenue.bootstrap_relative_ci),
            lo(a.revenue_relative_ci),
        ),
        num(
            "revenue_relative_high",
            &|s| hi(s.revenue.bootstrap_relative_ci),
            hi(a.revenue_relative_ci),
        ),
        n(
            "revenue_winsorised_diff",
            &|s| s.revenue.winsorised.diff,
            None,
        ),
        n(
            "revenue_winsorised_low",
            &|s| s.revenue.winsorised.ci.low,
            None,
        ),
        n(
            "revenue_winsorised_high",
            &|s| s.revenue.winsorised.ci.high,
            None,
        ),
        n(
            "revenue_winsorised_p",
            &|s| s.revenue.winsorised.p_value,
            None,
        ),
        num(
            "cuped_diff",
            &|s| s.cuped.as_ref().map(|c| c.test.diff),
            None,
        ),
        num(
            "cuped_p",
            &|s| s.cuped.as_ref().map(|c| c.test.p_value),
            None,
        ),
        n("profit_diff", &|s| s.profit.raw.diff, None),
        n("profit_bootstrap_low", &|s| s.profit.bootstrap_ci.low, None),
        n(
            "profit_bootstrap_high",
            &|s| s.profit.bootstrap_ci.high,
            None,
        ),
        n("primary_p", &|s| s.primary_p, None),
        n("primary_p_holm", &|s| s.primary_p_holm, None),
        Column::new(
            "significant".into(),
            segs.iter()
                .map(|s| Some(s.significant))
                .chain([None])
                .collect::<Vec<_>>(),
        ),
        n(
            "incremental_revenue",
            &|s| s.incremental_revenue,
            Some(a.incremental_revenue),
        ),
        n(
            "incremental_revenue_low",
            &|s| s.incremental_revenue_ci.low,
            Some(a.incremental_revenue_ci.low),
        ),
        n(
            "incremental_revenue_high",
            &|s| s.incremental_revenue_ci.high,
            Some(a.incremental_revenue_ci.high),
        ),
    ])
    .ctx("building the lift table")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NameKind, SegmentId};

    fn unit(seg: &str, treated: bool, revenue: f64) -> Unit {
        Unit {
            segment: SegmentLabel::parse(seg).unwrap(),
            treated,
            converted: revenue > 0.0,
            revenue,
            profit: revenue / 2.0,
            pre_revenue: 0.0,
        }
    }

    #[test]
    fn tiny_fixture_by_hand() {
        // Segment 1: treatment 0, 10, 20, 30 (mean 15), control 0, 0, 10 (mean 10/3).
        let mut units: Vec<Unit> = [0.0, 10.0, 20.0, 30.0]
            .iter()
            .map(|&r| unit("1", true, r))
            .collect();
        units.extend([0.0, 0.0, 10.0].iter().map(|&r| unit("1", false, r)));
        // Segment 2: one control customer only: left out.
        units.push(unit("2", true, 5.0));
        units.push(unit("2", true, 6.0));
        units.push(unit("2", false, 7.0));
        let opts = LiftOptions {
            winsor: 1.0,
            resamples: 200,
            ..LiftOptions::default()
        };
        let names = BTreeMap::from([(
            SegmentLabel::Segment(SegmentId(0)),
            SegmentName::new(NameKind::Given("Loyal".to_string())),
        )]);
        let l = measure(&units, &names, 3.0 / 7.0, &opts).unwrap();
        assert_eq!(l.segments.len(), 1);
        assert_eq!(
            l.overall.segments_left_out,
            vec![SegmentLabel::Segment(SegmentId(1))]
        );
        let s = &l.segments[0];
        assert_eq!((s.treatment, s.control, s.name.as_str()), (4, 3, "Loyal"));
        // Conversion 3/4 against 1/3.
        assert!((s.conversion.diff - (0.75 - 1.0 / 3.0)).abs() < 1e-12);
        // Revenue: diff 15 − 10/3 = 35/3; se² = (500/3)/4 + (100/3)/3 = 41.667 + 11.111.
        assert!((s.revenue.raw.diff - 35.0 / 3.0).abs() < 1e-12);
        let se = (500.0 / 12.0 + 100.0 / 9.0f64).sqrt();
        assert!((s.revenue.raw.se - se).abs() < 1e-12);
        // Incremental revenue: 4 treated × 35/3.
        assert!((s.incremental_revenue - 4.0 * 35.0 / 3.0).abs() < 1e-9);
        assert!((l.overall.incremental_revenue - 4.0 * 35.0 / 3.0).abs() < 1e-9);
        // One segment: the overall effect is the segment's.
        assert!((l.overall.revenue_diff - 35.0 / 3.0).abs() < 1e-12);
        assert_eq!(s.primary_p_holm, s.primary_p);
        // Profit is half of revenue here.
        assert!((s.profit.raw.diff - 35.0 / 6.0).abs() < 1e-12);
        // The planned share matches the lists exactly: χ² 0.
        assert!(s.srm.chi2 < 1e-12 && !s.srm.mismatch);
        // Same seed, same intervals.
        let again = measure(&units, &names, 3.0 / 7.0, &opts).unwrap();
        assert_eq!(l, again);
    }
}
