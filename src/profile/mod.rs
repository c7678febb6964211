//! Profiles: who is in each segment, what sets it apart, a readable name, suggested actions
//! and flags.
//!
//! Money totals are summed in integer micro-units, so the segments (unassigned included) add
//! up to the base exactly; [`Profiles::reconcile`] checks it before anything is written.

mod names;
pub use names::{is_new, NEW_TENURE_DAYS};
pub mod opportunity;
mod persona;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::FlagOptions;
use crate::error::{Error, Result};
use crate::features::{column_f64, column_str, Features, Kind, MICRO};
use crate::i18n::Lang;
use crate::model::{
    Action, Assignment, CustomerFlag, DescriptionFacts, FlagFacts, FlagKind, NameKind, PersonaFact,
    SegmentId, SegmentLabel, SegmentName,
};
use crate::stats::{mean, median, std};

/// Statistics of one numeric feature in a segment.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct FeatureStat {
    /// Feature.
    pub feature: String,
    /// Mean over customers with a value.
    pub mean: Option<f64>,
    /// Median over customers with a value.
    pub median: Option<f64>,
    /// Standardised mean difference against the base: (mean − base mean) / base standard
    /// deviation.
    pub lift: Option<f64>,
    /// Survey items and factors: the customers who answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<usize>,
    /// Survey items and factors: the answer scale `[min, max]`, the mapping's, else the
    /// lowest and highest answer of all customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<[f64; 2]>,
}

/// The customers of a segment who ordered before but not for a long time: their last order
/// is at least `days` before the reference date (the shop's own yardstick, see
/// [`lapse_days`]).
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct LapsedBuyers {
    /// Days without an order from which a customer who ordered before counts as lapsed.
    pub days: f64,
    /// Customers with at least one order whose last order is at least `days` old.
    pub customers: usize,
    /// Their orders.
    pub orders: f64,
    /// Their net revenue (before returns).
    pub net_revenue: f64,
    /// Their refunds (absent in files of earlier segmint versions: 0).
    #[serde(default)]
    pub refunds: f64,
}

impl LapsedBuyers {
    /// The revenue of a reactivation offer if `response` of them came back for one order at
    /// `aov` (`response × customers × aov`; the report sizes it at the segment's average
    /// order value, [`SegmentProfile::aov`]); none without lapsed buyers.
    pub fn reactivation_revenue(&self, response: f64, aov: f64) -> Option<f64> {
        (self.customers > 0).then_some(response * self.customers as f64 * aov)
    }
}

/// Days without an order from which a customer who ordered before counts as lapsed, from the
/// base: a year or `names::LAPSED_GAPS` of the shop's usual gaps between orders (whichever is
/// shorter), and twice the base's median days since the last order — the segment-level rule
/// of the name "Lapsed", applied to each customer — but never more than a year
/// (`names::YEAR_DAYS`: gone that long, a customer has lapsed whatever the others do). In a
/// shop whose customers are mostly gone (CDNOW, one cohort followed for 18 months: median 471
/// days since the last order, 83 between orders) twice the median was 942 days, longer than
/// the data: nobody had lapsed, and segments gone 500 days were to be won back "before they
/// lapse".
pub fn lapse_days(base: &SegmentProfile) -> f64 {
    let long = match base.interpurchase_days {
        Some(gap) if gap > 0.0 => (names::LAPSED_GAPS * gap).min(names::YEAR_DAYS),
        _ => names::YEAR_DAYS,
    };
    long.max((2.0 * base.recency_days.unwrap_or(0.0)).min(names::YEAR_DAYS))
}

/// Share of a categorical level in a segment against the base.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Composition {
    /// Feature (gender, country, region, ...).
    pub feature: String,
    /// Level.
    pub level: String,
    /// Share of the segment's customers with this level.
    pub share: f64,
    /// Share in the base.
    pub base_share: f64,
    /// share / base_share.
    pub over_representation: f64,
}

impl Composition {
    /// Whether this level stands out in a segment of `customers`: at least 1.25 times its share
    /// among all customers, 5 percentage points above it and held by at least 10 of the
    /// segment's customers (the persona card's `MIN_OVER`, `MIN_POINTS`, `MIN_CUSTOMERS`). The
    /// one rule of the persona card's levels and "where they live" and of the report's
    /// over-represented groups, so that "no region stands out" never sits above a table of
    /// over-represented regions.
    pub fn over_represented(&self, customers: usize) -> bool {
        self.share >= persona::MIN_OVER * self.base_share
            && self.share - self.base_share >= persona::MIN_POINTS
            && self.share * customers as f64 >= persona::MIN_CUSTOMERS - 1e-9
    }
}

/// A flag raised on a segment: its facts (kind and numbers) and, for readers of
/// segments.json, the plain English sentence [`crate::i18n`] writes from them.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Flag {
    /// The kind (`"kind"`: `low_profit_high_return`, `vip`, `churn_risk`,
    /// `discount_dependent` or `hidden_returners`) and the numbers it rests on.
    #[serde(flatten)]
    pub facts: FlagFacts,
    /// What the numbers say, in plain English.
    pub message: String,
}

impl Flag {
    /// The flag of these facts, with its English sentence.
    pub fn new(facts: FlagFacts) -> Flag {
        Flag {
            message: crate::i18n::flag_plain_message(&facts),
            facts,
        }
    }

    /// What the flag says.
    pub fn kind(&self) -> FlagKind {
        self.facts.kind()
    }
}

/// One segment's profile (also used for the base and for the unassigned customers).
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct SegmentProfile {
    /// A segment (`1`, `2`, ... by size), the unassigned, or all customers (the base).
    pub segment: SegmentLabel,
    /// Readable name, unique within the run (English, for readers of segments.json; the
    /// stages use [`SegmentProfile::name_facts`]).
    pub name: String,
    /// The name as facts (absent in files of earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_facts: Option<SegmentName>,
    /// One line with its numbers (plain English, as [`crate::i18n`] writes
    /// [`SegmentProfile::description_facts`], for readers of segments.json; the report uses
    /// [`SegmentProfile::description_in`]).
    pub description: String,
    /// The description as facts (absent in files of earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description_facts: Option<DescriptionFacts>,
    /// Customers.
    pub customers: usize,
    /// Share of all customers.
    pub share: f64,
    /// Σ net revenue.
    pub net_revenue: f64,
    /// Σ refunds.
    pub refunds: f64,
    /// Σ return-adjusted contribution profit.
    pub profit: f64,
    /// Share of the base's net revenue.
    pub revenue_share: f64,
    /// Share of the base's refunds.
    pub refund_share: f64,
    /// Share of the base's profit.
    pub profit_share: f64,
    /// profit / net revenue.
    pub profit_margin: Option<f64>,
    /// Σ refunds / Σ net revenue.
    pub return_rate_value: Option<f64>,
    /// Σ items returned / Σ items bought.
    pub return_rate_items: Option<f64>,
    /// Σ net revenue / Σ orders.
    pub aov: Option<f64>,
    /// Mean orders per customer.
    pub frequency: f64,
    /// Customers with exactly one order, for whom a second order is the next (absent in files
    /// of earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_order_customers: Option<usize>,
    /// Median days since the last order (customers with orders).
    pub recency_days: Option<f64>,
    /// Median days since the first order.
    pub tenure_days: Option<f64>,
    /// Orders the segment places in one November–December season: each customer's orders in
    /// November–December over the seasons since their first order ([`seasons_since`]), summed
    /// (absent without the month of orders, and in files of earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season_orders: Option<f64>,
    /// Median days between orders.
    pub interpurchase_days: Option<f64>,
    /// Every numeric feature.
    pub features: Vec<FeatureStat>,
    /// The features with the largest |lift|, most distinguishing first.
    pub top_features: Vec<FeatureStat>,
    /// Categorical composition, over-represented levels first.
    pub composition: Vec<Composition>,
    /// Mean answer per survey item and factor (customers who answered).
    pub survey: Vec<FeatureStat>,
    /// Suggested actions (English, for readers of segments.json; the stages use
    /// [`SegmentProfile::action_facts`]).
    pub actions: Vec<String>,
    /// The suggested actions as facts (absent in files of earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_facts: Option<Vec<Action>>,
    /// Flags.
    pub flags: Vec<Flag>,
    /// Who the segment's customers are, as facts against all customers (absent in files of
    /// earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<Vec<PersonaFact>>,
    /// Its customers who ordered before and have lapsed (absent in files of earlier segmint
    /// versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lapsed: Option<LapsedBuyers>,
    /// The segment's lookalike feature vector (set by [`crate::pipeline::attach_vectors`];
    /// absent for the base and the unassigned customers).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookalike: Option<crate::lookalike::vectors::SegmentVector>,
    #[serde(skip)]
    micro: [i128; 3],
}

impl SegmentProfile {
    /// Sets the name's facts and its English words.
    pub fn set_name(&mut self, name: SegmentName) {
        self.name = Lang::En.segment_name(&name);
        self.name_facts = Some(name);
    }

    /// Sets the description's facts and its plain English words (for a run with cost data;
    /// [`crate::pipeline::profile`] words them again for one without).
    pub fn set_description(&mut self, facts: DescriptionFacts) {
        self.description = crate::i18n::description_plain(&facts, false);
        self.description_facts = Some(facts);
    }

    /// The description in `lang`, money in `currency`, for a run with or without cost data
    /// (`no_cost`); a file without its facts gives its stored line, as it is.
    pub fn description_in(&self, lang: Lang, currency: Option<&str>, no_cost: bool) -> String {
        match &self.description_facts {
            Some(facts) => lang.description(facts, currency, no_cost),
            None => self.description.clone(),
        }
    }

    /// Sets the suggested actions' facts and their English words.
    pub fn set_actions(&mut self, actions: Vec<Action>) {
        self.actions = actions.iter().map(|a| Lang::En.action(a)).collect();
        self.action_facts = Some(actions);
    }

    /// The name's facts; a file without them gives its stored name, as it is.
    pub fn naming(&self) -> SegmentName {
        self.name_facts
            .clone()
            .unwrap_or_else(|| SegmentName::new(NameKind::Given(self.name.clone())))
    }

    /// The name in `lang`.
    pub fn name_in(&self, lang: Lang) -> String {
        lang.segment_name(&self.naming())
    }

    /// The suggested actions in `lang`; a file without their facts gives its stored
    /// sentences, as they are.
    pub fn actions_in(&self, lang: Lang) -> Vec<String> {
        match &self.action_facts {
            Some(a) => a.iter().map(|a| lang.action(a)).collect(),
            None => self.actions.clone(),
        }
    }
}

/// A flagged customer.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct FlaggedCustomer {
    /// Customer id.
    pub customer_id: String,
    /// Segment (`1`, `2`, ..., or `unassigned`).
    pub segment: SegmentLabel,
    /// Return rate by value.
    pub return_rate_value: f64,
    /// Orders.
    pub orders: f64,
    /// Net revenue.
    pub net_revenue: f64,
    /// Refunds.
    pub refunds: f64,
    /// Why, as a fact: the kind and its numbers.
    pub flag: CustomerFlag,
    /// Why, in plain English, as [`crate::i18n`] writes `flag` (for readers of segments.json
    /// and flagged_customers; messages use [`FlaggedCustomer::reason_in`]).
    pub reason: String,
}

impl FlaggedCustomer {
    /// Why, in `lang`.
    pub fn reason_in(&self, lang: Lang) -> String {
        lang.customer_flag(&self.flag)
    }
}

/// The rule a customer is flagged by: at least this share of what they bought returned (by
/// value) over at least this many orders (`[flags] customer_return_rate`,
/// `customer_min_orders`).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Deserialize)]
pub struct CustomerRule {
    /// Return rate by value, 0–1.
    pub return_rate: f64,
    /// Orders.
    pub min_orders: usize,
}

impl CustomerRule {
    /// The rule of these flag options.
    pub fn of(opts: &FlagOptions) -> CustomerRule {
        CustomerRule {
            return_rate: opts.customer_return_rate,
            min_orders: opts.customer_min_orders,
        }
    }
}

impl Default for CustomerRule {
    fn default() -> CustomerRule {
        CustomerRule::of(&FlagOptions::default())
    }
}

/// All profiles of a run.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Profiles {
    /// The whole base.
    pub base: SegmentProfile,
    /// Segments by id, then the unassigned customers if any.
    pub segments: Vec<SegmentProfile>,
    /// Customers flagged for suppression (high returns over several orders).
    pub flagged_customers: Vec<FlaggedCustomer>,
    /// The rule they were flagged by, so that the report states the thresholds of the run
    /// even when nobody was flagged (a segments.json without it: the defaults).
    #[serde(default)]
    pub customer_rule: CustomerRule,
    /// The space the segments' lookalike vectors live in: matrix columns and the transforms
    /// that place a new person there (set by [`crate::pipeline::attach_vectors`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lookalike_space: Option<crate::lookalike::vectors::LookalikeSpace>,
}

fn numbers(df: &DataFrame, name: &str) -> Option<Vec<Option<f64>>> {
    column_f64(df, name).ok()
}

fn texts(df: &DataFrame, name: &str) -> Option<Vec<Option<String>>> {
    column_str(df, name).ok()
}

fn micro(x: f64) -> i64 {
    (x * MICRO).round() as i64
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

struct Columns {
    numeric: Vec<(String, Kind, Vec<Option<f64>>)>,
    categorical: Vec<(String, Vec<Option<String>>)>,
    /// Survey items and factors with their scale (the mapping's, when it has one).
    survey: Vec<(String, Option<[f64; 2]>)>,
    /// The columns every profile sums, a missing value as 0, read once for all profiles.
    sums: Sums,
    /// Each categorical column's count of customers per level, over all customers.
    base_counts: Vec<BTreeMap<String, usize>>,
    /// Numeric columns holding, customer by customer, the values of an earlier one (gross
    /// margin and return-adjusted profit in a shop without return handling costs): left out
    /// of what sets a segment apart, where they would show the same numbers twice.
    repeats: Vec<String>,
}

/// The money and order columns of every customer, a missing value (or column) as 0.
struct Sums {
    rev: Vec<f64>,
    refunds: Vec<f64>,
    profit: Vec<f64>,
    freq: Vec<f64>,
    ipo: Vec<f64>,
    rri: Vec<f64>,
}

impl Columns {
    fn is_survey(&self, name: &str) -> bool {
        self.survey.iter().any(|(s, _)| s == name)
    }
}

/// The numeric columns whose values, customer by customer (missing ones included), are those
/// of an earlier column; the first of equal columns stays.
fn repeats(numeric: &[(String, Kind, Vec<Option<f64>>)]) -> Vec<String> {
    numeric
        .iter()
        .enumerate()
        .filter(|(j, (_, _, v))| numeric[..*j].iter().any(|(_, _, w)| w == v))
        .map(|(_, (name, _, _))| name.clone())
        .collect()
}

fn col_or_zero(numeric: &[(String, Kind, Vec<Option<f64>>)], name: &str, n: usize) -> Vec<f64> {
    numeric
        .iter()
        .find(|(f, _, _)| f == name)
        .map(|(_, _, v)| v.iter().map(|x| x.unwrap_or(0.0)).collect())
        .unwrap_or_else(|| vec![0.0; n])
}

fn col_present(c: &Columns, name: &str, rows: &[usize]) -> Vec<f64> {
    c.numeric
        .iter()
        .find(|(f, _, _)| f == name)
        .map(|(_, _, v)| rows.iter().filter_map(|&i| v[i]).collect())
        .unwrap_or_default()
}

fn profile_rows(
    label: SegmentLabel,
    rows: &[usize],
    c: &Columns,
    n_all: usize,
    base: Option<&SegmentProfile>,
    base_stats: &BTreeMap<String, (f64, f64)>,
) -> SegmentProfile {
    let Sums {
        rev,
        refunds,
        profit,
        freq,
        ipo,
        rri,
    } = &c.sums;
    // i128: no sum of micro-units can overflow, whatever the number of customers.
    let micro_sum = |v: &[f64]| rows.iter().map(|&i| micro(v[i]) as i128).sum::<i128>();
    let m = [micro_sum(rev), micro_sum(refunds), micro_sum(profit)];
    let (r, f, p) = (
        m[0] as f64 / MICRO,
        m[1] as f64 / MICRO,
        m[2] as f64 / MICRO,
    );
    let orders: f64 = rows.iter().map(|&i| freq[i]).sum();
    let items: f64 = rows.iter().map(|&i| freq[i] * ipo[i]).sum();
    let returned_items: f64 = rows.iter().map(|&i| freq[i] * ipo[i] * rri[i]).sum();
    let share_of = |x: f64, total: f64| ratio(x, total).unwrap_or(0.0);
    let (base_r, base_f, base_p) = base.map_or((r, f, p), |b| (b.net_revenue, b.refunds, b.profit));
    let mut features = Vec::new();
    for (name, kind, v) in &c.numeric {
        if *kind == Kind::Categorical || c.is_survey(name) {
            continue;
        }
        let present: Vec<f64> = rows.iter().filter_map(|&i| v[i]).collect();
        let mu = mean(&present);
        let lift = match (mu, base_stats.get(name)) {
            (Some(mu), Some(&(bm, bs))) if bs > 0.0 => Some((mu - bm) / bs),
            _ => None,
        };
        features.push(FeatureStat {
            feature: name.clone(),
            mean: mu,
            median: median(&present),
            lift,
            n: None,
            scale: None,
        });
    }
    let mut top: Vec<FeatureStat> = features
        .iter()
        .filter(|f| f.lift.is_some() && !c.repeats.contains(&f.feature))
        .cloned()
        .collect();
    top.sort_by(|a, b| {
        b.lift
            .unwrap_or(0.0)
            .abs()
            .total_cmp(&a.lift.unwrap_or(0.0).abs())
            .then(a.feature.cmp(&b.feature))
    });
    top.truncate(8);
    let mut composition = Vec::new();
    for ((name, v), base_counts) in c.categorical.iter().zip(&c.base_counts) {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in rows {
            if let Some(x) = &v[i] {
                *counts.entry(x).or_default() += 1;
            }
        }
        for (level, &k) in &counts {
            let share = k as f64 / rows.len().max(1) as f64;
            let base_share = base_counts[*level] as f64 / n_all as f64;
            composition.push(Composition {
                feature: name.clone(),
                level: level.to_string(),
                share,
                base_share,
                over_representation: share / base_share,
            });
        }
    }
    composition.sort_by(|a, b| {
        b.over_representation
            .total_cmp(&a.over_representation)
            .then(a.feature.cmp(&b.feature))
            .then(a.level.cmp(&b.level))
    });
    let survey = c
        .survey
        .iter()
        .map(|(item, scale)| {
            let present = col_present(c, item, rows);
            let lift = match (mean(&present), base_stats.get(item)) {
                (Some(mu), Some(&(bm, bs))) if bs > 0.0 => Some((mu - bm) / bs),
                _ => None,
            };
            FeatureStat {
                feature: item.clone(),
                mean: mean(&present),
                median: median(&present),
                lift,
                n: Some(present.len()),
                scale: *scale,
            }
        })
        .collect();
    SegmentProfile {
        segment: label,
        name: String::new(),
        name_facts: None,
        description: String::new(),
        description_facts: None,
        customers: rows.len(),
        share: rows.len() as f64 / n_all as f64,
        net_revenue: r,
        refunds: f,
        profit: p,
        revenue_share: share_of(r, base_r),
        refund_share: share_of(f, base_f),
        profit_share: share_of(p, base_p),
        profit_margin: ratio(p, r),
        return_rate_value: ratio(f, r),
        return_rate_items: ratio(returned_items, items),
        aov: ratio(r, orders),
        frequency: orders / rows.len().max(1) as f64,
        one_order_customers: Some(rows.iter().filter(|&&i| freq[i] == 1.0).count()),
        recency_days: median(&col_present(c, "recency_days", rows)),
        tenure_days: median(&col_present(c, "tenure_days", rows)),
        interpurchase_days: median(&col_present(c, "interpurchase_mean_days", rows)),
        features,
        top_features: top,
        composition,
        survey,
        actions: Vec::new(),
        action_facts: None,
        flags: Vec::new(),
        persona: None,
        lapsed: None,
        season_orders: None,
        lookalike: None,
        micro: m,
    }
}

/// Builds the profiles of an assignment. `features` and `assignment` must hold the same
/// customers (in any order).
pub fn profile(
    features: &Features,
    assignment: &Assignment,
    opts: &FlagOptions,
    no_cost: bool,
) -> Result<Profiles> {
    let df = &features.table;
    let ids = texts(df, "customer_id")
        .ok_or_else(|| Error::Data("features without customer ids".into()))?;
    let id_list: Vec<&str> = ids
        .iter()
        .map(|id| id.as_deref().unwrap_or_default())
        .collect();
    let segment_of = assignment.segments_of(&id_list)?;
    // The scale of an item: the mapping's, else the lowest and highest answer given.
    let survey: Vec<(String, Option<[f64; 2]>)> = features
        .specs
        .iter()
        .filter(|s| s.kind == Kind::Score)
        .map(|s| {
            let observed = || {
                let v: Vec<f64> = numbers(df, &s.name)?.into_iter().flatten().collect();
                let lo = v.iter().copied().reduce(f64::min)?;
                let hi = v.iter().copied().reduce(f64::max)?;
                Some([lo, hi])
            };
            (s.name.clone(), s.scale.or_else(observed))
        })
        .collect();
    let mut numeric = Vec::new();
    let mut categorical = Vec::new();
    for s in &features.specs {
        if s.kind == Kind::Categorical {
            if let Some(v) = texts(df, &s.name) {
                categorical.push((s.name.clone(), v));
            }
        } else if let Some(v) = numbers(df, &s.name) {
            if !s.levels.is_empty() {
                // An ordinal attribute: its composition by level too, labelled as written.
                let label = |x: f64| {
                    s.levels
                        .iter()
                        .find(|l| (l.value - x).abs() <= 1e-9 * l.value.abs().max(1.0))
                        .map(|l| l.label.clone())
                };
                let labels = v.iter().map(|x| x.and_then(label)).collect();
                categorical.push((s.name.clone(), labels));
            }
            numeric.push((s.name.clone(), s.kind, v));
        }
    }
    let n = ids.len();
    let sums = Sums {
        rev: col_or_zero(&numeric, "net_revenue", n),
        refunds: col_or_zero(&numeric, "refunds", n),
        profit: col_or_zero(&numeric, "contribution_profit", n),
        freq: col_or_zero(&numeric, "frequency", n),
        ipo: col_or_zero(&numeric, "items_per_order", n),
        rri: col_or_zero(&numeric, "return_rate_items", n),
    };
    let base_counts = categorical
        .iter()
        .map(|(_, v)| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for x in v.iter().flatten() {
                match counts.get_mut(x.as_str()) {
                    Some(k) => *k += 1,
                    None => {
                        counts.insert(x.clone(), 1);
                    }
                }
            }
            counts
        })
        .collect();
    let cols = Columns {
        repeats: repeats(&numeric),
        numeric,
        categorical,
        survey,
        sums,
        base_counts,
    };
    let all: Vec<usize> = (0..n).collect();
    let base_stats: BTreeMap<String, (f64, f64)> = cols
        .numeric
        .iter()
        .filter_map(|(name, _, v)| {
            let present: Vec<f64> = v.iter().flatten().copied().collect();
            Some((name.clone(), (mean(&present)?, std(&present)?)))
        })
        .collect();
    let mut base = profile_rows(SegmentLabel::All, &all, &cols, n, None, &base_stats);
    base.set_name(SegmentName::new(NameKind::AllCustomers));
    let k = segment_of
        .iter()
        .flatten()
        .max()
        .map_or(0, |m| m.index() + 1);
    let mut segments = Vec::new();
    for s in (0..k).map(SegmentId) {
        let rows: Vec<usize> = (0..n).filter(|&i| segment_of[i] == Some(s)).collect();
        segments.push(profile_rows(
            SegmentLabel::Segment(s),
            &rows,
            &cols,
            n,
            Some(&base),
            &base_stats,
        ));
    }
    let unassigned: Vec<usize> = (0..n).filter(|&i| segment_of[i].is_none()).collect();
    if !unassigned.is_empty() {
        let mut p = profile_rows(
            SegmentLabel::Unassigned,
            &unassigned,
            &cols,
            n,
            Some(&base),
            &base_stats,
        );
        p.set_name(SegmentName::new(NameKind::Unassigned));
        segments.push(p);
    }
    // Customers who ordered before and have lapsed, by the base's yardstick.
    let lapse = lapse_days(&base);
    let recency = numbers(df, "recency_days").unwrap_or_else(|| vec![None; n]);
    let freq = &cols.sums.freq;
    let rev = &cols.sums.rev;
    let lapsed_of = |rows: &[usize]| {
        let gone: Vec<usize> = rows
            .iter()
            .copied()
            .filter(|&i| freq[i] > 0.0 && recency[i].is_some_and(|r| r >= lapse))
            .collect();
        LapsedBuyers {
            days: lapse,
            customers: gone.len(),
            orders: gone.iter().map(|&i| freq[i]).sum(),
            net_revenue: gone.iter().map(|&i| rev[i]).sum(),
            refunds: gone.iter().map(|&i| cols.sums.refunds[i]).sum(),
        }
    };
    base.lapsed = Some(lapsed_of(&all));
    // Orders in one season per customer: a season campaign is sized on one season, not on all
    // the seasons in the data.
    let season_orders: Option<Vec<f64>> = numbers(df, "holiday_order_share").map(|h| {
        let tenure = numbers(df, "tenure_days").unwrap_or_else(|| vec![None; n]);
        (0..n)
            .map(|i| {
                let orders = freq[i] * h[i].unwrap_or(0.0);
                let first = tenure[i].and_then(|t| {
                    features
                        .as_of
                        .checked_sub_signed(chrono::Duration::days(t as i64))
                });
                match first {
                    // At least one season: a share of the one under way is not scaled up.
                    Some(first) if orders > 0.0 => {
                        orders / seasons_since(first, features.as_of).max(1.0)
                    }
                    _ => 0.0,
                }
            })
            .collect()
    });
    let season_of = |rows: &[usize]| {
        season_orders
            .as_ref()
            .map(|o| rows.iter().map(|&i| o[i]).sum::<f64>())
    };
    base.season_orders = season_of(&all);
    for p in &mut segments {
        let rows: Vec<usize> = match p.segment.segment() {
            Some(s) => (0..n).filter(|&i| segment_of[i] == Some(s)).collect(),
            None => unassigned.clone(),
        };
        p.lapsed = Some(lapsed_of(&rows));
        p.season_orders = season_of(&rows);
    }
    names::name_and_flag(&mut base, &mut segments, opts, features.as_of, no_cost);
    for p in &mut segments {
        if p.segment.is_segment() {
            p.persona = Some(persona::persona(p, &base));
        }
    }

    // Customer-level flag.
    let rrv = numbers(df, "return_rate_value").unwrap_or_else(|| vec![None; n]);
    let refunds = &cols.sums.refunds;
    let mut flagged_customers = Vec::new();
    for i in 0..n {
        if let Some(r) = rrv[i] {
            // A hair of tolerance: 2 of 3 equal orders returned is 0.666…, which a threshold
            // written as two thirds must include.
            if r >= opts.customer_return_rate - 1e-9 && freq[i] >= opts.customer_min_orders as f64 {
                let flag = CustomerFlag::HighReturns {
                    return_rate: r,
                    orders: freq[i],
                    threshold: opts.customer_return_rate,
                    min_orders: opts.customer_min_orders,
                };
                flagged_customers.push(FlaggedCustomer {
                    customer_id: ids[i].clone().unwrap_or_default(),
                    segment: SegmentLabel::of(segment_of[i]),
                    return_rate_value: r,
                    orders: freq[i],
                    net_revenue: rev[i],
                    refunds: refunds[i],
                    reason: crate::i18n::customer_flag_plain(&flag),
                    flag,
                });
            }
        }
    }
    flag_hidden_returners(&mut segments, &flagged_customers, n, opts, no_cost);
    let p = Profiles {
        base,
        segments,
        flagged_customers,
        customer_rule: CustomerRule::of(opts),
        lookalike_space: None,
    };
    p.reconcile()?;
    Ok(p)
}

/// The November–December seasons from `first` to `as_of` (both days included): the years
/// whose 1 November – 31 December overlaps that span, each a whole season (a customer who
/// came in December had the rest of it), but the one under way on `as_of` only for the share
/// of its 61 days that has passed.
pub fn seasons_since(first: NaiveDate, as_of: NaiveDate) -> f64 {
    (first.year()..=as_of.year())
        .filter_map(|y| {
            let start = NaiveDate::from_ymd_opt(y, 11, 1)?;
            let end = NaiveDate::from_ymd_opt(y, 12, 31)?;
            if start > as_of || end < first {
                return None;
            }
            Some(if end <= as_of {
                1.0
            } else {
                ((as_of - start).num_days() + 1) as f64 / 61.0
            })
        })
        .sum()
}

/// Flagged customers a hidden group needs at least (a few flagged customers in a tiny
/// segment are not a group to act on).
pub const HIDDEN_MIN_CUSTOMERS: usize = 10;

/// Segments that are not high-return as a whole (neither flagged low-profit/high-return nor
/// named for their returns) but hold a group of at least [`HIDDEN_MIN_CUSTOMERS`] customers
/// flagged for high returns: at least `hidden_returners_share` of the segment and at least
/// twice the flagged share of the other customers (the segment itself left out, as the
/// return-rate rules do). Such a group sits inside a segment when its other traits (many
/// orders, high spend) put it beside customers who keep what they buy, and the segment's
/// averages (and a VIP treatment) hide it. The flag states the group's numbers; an action
/// after the segment's own first one leaves them out of it. Where the segment returns far
/// more than the others ([`FlagKind::HighReturns`]), the group explains it: the hidden flag
/// takes that flag's place, and leaving the group out the place of its review.
fn flag_hidden_returners(
    segments: &mut [SegmentProfile],
    flagged: &[FlaggedCustomer],
    customers: usize,
    o: &FlagOptions,
    no_cost: bool,
) {
    for p in segments.iter_mut() {
        let Some(id) = p.segment.segment() else {
            continue;
        };
        let named_for_returns = p.name_facts.as_ref().is_some_and(|n| {
            matches!(
                n.kind,
                NameKind::SerialReturners | NameKind::FrequentReturners
            )
        });
        if p.customers == 0
            || named_for_returns
            || p.flags
                .iter()
                .any(|f| f.kind() == FlagKind::LowProfitHighReturn)
        {
            continue;
        }
        let inside: Vec<&FlaggedCustomer> = flagged
            .iter()
            .filter(|f| f.segment == SegmentLabel::Segment(id))
            .collect();
        let share = inside.len() as f64 / p.customers as f64;
        let others = customers.saturating_sub(p.customers);
        let base_share = if others > 0 {
            (flagged.len() - inside.len()) as f64 / others as f64
        } else {
            0.0
        };
        if inside.len() < HIDDEN_MIN_CUSTOMERS
            || share < o.hidden_returners_share
            || share < 2.0 * base_share
        {
            continue;
        }
        let revenue: f64 = inside.iter().map(|f| f.net_revenue).sum();
        let refunds: f64 = inside.iter().map(|f| f.refunds).sum();
        let rate = |refunds: f64, revenue: f64| {
            if revenue > 0.0 {
                refunds / revenue
            } else {
                0.0
            }
        };
        let others_rr = rate(p.refunds - refunds, p.net_revenue - revenue);
        p.flags.push(Flag::new(FlagFacts::HiddenReturners {
            customers: inside.len(),
            share,
            base_share,
            return_rate: rate(refunds, revenue),
            others_return_rate: others_rr,
            refund_share: rate(refunds, p.refunds),
        }));
        // Where the segment is flagged for high returns and its other customers alone would
        // not be, the group explains them: leaving the group out is the action, not a review
        // of what the whole segment buys.
        let explained = p.flags.iter().any(|f| match f.facts {
            FlagFacts::HighReturns {
                base_return_rate, ..
            } => !names::returns_stand_out(others_rr, base_return_rate),
            _ => false,
        });
        let mut actions = p.action_facts.take().unwrap_or_default();
        if explained {
            p.flags.retain(|f| f.kind() != FlagKind::HighReturns);
            actions.retain(|a| *a != Action::ReviewSizingAndReturns);
            if actions.is_empty() {
                actions.push(Action::KeepRegular {
                    feature: names::strength(p, no_cost),
                });
            }
        }
        // Second: the segment's own first action keeps its place (and its size, its plan).
        actions.insert(
            actions.len().min(1),
            Action::ExcludeReturners {
                customers: inside.len(),
            },
        );
        p.set_actions(actions);
    }
}

impl Profiles {
    /// The profile of `label` (a segment, or the unassigned), if the run has one.
    pub fn segment(&self, label: SegmentLabel) -> Option<&SegmentProfile> {
        self.segments.iter().find(|s| s.segment == label)
    }

    /// Checks that customers, net revenue, refunds and profit over the segments (unassigned
    /// included) equal the base totals exactly.
    pub fn reconcile(&self) -> Result<()> {
        let customers: usize = self.segments.iter().map(|s| s.customers).sum();
        let mut sums = [0i128; 3];
        for s in &self.segments {
            for (t, v) in sums.iter_mut().zip(s.micro) {
                *t += v;
            }
        }
        if customers != self.base.customers || sums != self.base.micro {
            return Err(Error::Data(format!(
                "the segments do not add up to the base: {customers} vs {} customers, totals {sums:?} vs {:?} (micro-units of net revenue, refunds, profit); this is a bug, please report it",
                self.base.customers, self.base.micro
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seasons_since_counts_the_seasons_a_span_touches() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Mid-December to March: one season.
        assert_eq!(seasons_since(d(2024, 12, 15), d(2025, 3, 1)), 1.0);
        // January 2023 to September 2025: 2023 and 2024.
        assert_eq!(seasons_since(d(2023, 1, 10), d(2025, 9, 29)), 2.0);
        // ... and 3 of the 61 days of the one under way on 3 November 2025.
        assert_eq!(
            seasons_since(d(2023, 1, 10), d(2025, 11, 3)),
            2.0 + 3.0 / 61.0
        );
        // ... and the whole of it on 31 December.
        assert_eq!(seasons_since(d(2023, 1, 10), d(2025, 12, 31)), 3.0);
        // January to June: none yet.
        assert_eq!(seasons_since(d(2025, 1, 2), d(2025, 6, 1)), 0.0);
        // A first order on 31 December touches that season.
        assert_eq!(seasons_since(d(2024, 12, 31), d(2025, 10, 31)), 1.0);
    }
}
