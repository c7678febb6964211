//! The client report: what a consultant hands over, built from the outputs of one run.
//!
//! [`build`] turns a run ([`RunData`], read by [`crate::pipeline::read_report_data`]) into a
//! [`Report`] — every number, name and sentence of the report in one language — and the data
//! of the charts ([`ChartData`]). [`html`] (one self-contained page with inline SVG and CSS)
//! and [`markdown`] render the same `Report`; its JSON is the report's `report.json`.
//! Nothing here reads or writes files.
//!
//! The report never shows a customer id, e-mail, phone or name: only counts, shares and
//! segment statistics.

pub mod campaign;
mod html;
mod markdown;

use std::collections::BTreeMap;

use ndarray::Array2;
use serde::{Deserialize, Serialize};

pub use html::html;
pub use markdown::markdown;

use crate::cluster::sweep::Scores;
use crate::error::{Error, Result};
use crate::features::{column_f64, column_str, Features, Group, Kind};
use crate::i18n::{fill, Lang};
use crate::model::selection::{Basis, Index, RuleFailure};
use crate::model::{
    Action, Algorithm, Assignment, CandidateSpec, FlagFacts, FlagKind, Opportunity, Pca, SegmentId,
    SegmentLabel, SegmentModel,
};
use crate::profile::{Profiles, SegmentProfile};
use crate::render::{
    segment_css, BoxSet, Bubble, ChartData, HeatRow, KPoint, MapPoint, ReachBubble, SegmentBar,
    SegmentKey, Whale,
};
use crate::run::{CandidateRecord, Candidates, Manifest};

/// Points drawn on the segment map at most (a deterministic stride sample).
pub const MAP_SAMPLE: usize = 2000;

/// A candidate as the report lists it (from [`crate::run::CandidateRecord`]).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct CandidateIn {
    /// Candidate id.
    pub id: String,
    /// `kmeans` or `dbscan`.
    pub algorithm: String,
    /// Segments.
    pub k: usize,
    /// DBSCAN radius.
    pub eps: Option<f64>,
    /// DBSCAN min_samples.
    pub min_samples: Option<usize>,
    /// Scores.
    pub scores: Scores,
    /// Composite score.
    pub composite: Option<f64>,
    /// Every rule met.
    pub eligible: bool,
    /// Rules not met.
    pub fails: Vec<RuleFailure>,
    /// The rules not met, in the report's language (filled by the report).
    #[serde(default, skip_deserializing)]
    pub fails_text: Vec<String>,
    /// The proposal.
    pub chosen: bool,
}

impl From<&CandidateRecord> for CandidateIn {
    fn from(c: &CandidateRecord) -> CandidateIn {
        CandidateIn {
            id: c.id.clone(),
            algorithm: c.algorithm.to_string(),
            k: c.k,
            eps: c.eps,
            min_samples: c.min_samples,
            scores: c.scores.clone(),
            composite: c.composite,
            eligible: c.eligible,
            fails: c.fails.clone(),
            fails_text: Vec::new(),
            chosen: c.chosen,
        }
    }
}

/// The outputs of one run (discover + profile) that the report is made of.
#[derive(Debug, Clone)]
pub struct RunData {
    /// manifest.json.
    pub manifest: Manifest,
    /// candidates.json.
    pub candidates: Candidates,
    /// segments.json (the profiles).
    pub profiles: Profiles,
    /// model.json.
    pub model: SegmentModel,
    /// features.parquet with the catalog.
    pub features: Features,
    /// assignments.parquet.
    pub assignment: Assignment,
    /// A comparison of an earlier run with this one (`segmint compare`), for the "Segments
    /// over time" section.
    pub comparison: Option<crate::campaign::compare::Comparison>,
    /// A campaign measured on a holdout of this run (`segmint lift`), for the "Campaign
    /// results" section.
    pub lift: Option<crate::campaign::lift::LiftReport>,
}

impl RunData {
    /// Whether the run had no cost data at all ([`crate::run::manifest::Manifest::no_cost`]).
    fn no_cost(&self) -> bool {
        self.manifest.no_cost()
    }
}

/// A flag as the report states it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FlagNote {
    /// The segment (`1`, `2`, ...).
    pub segment: SegmentLabel,
    /// Segment name.
    pub name: String,
    /// `low_profit_high_return`, `vip`, `churn_risk`, `discount_dependent`,
    /// `hidden_returners`.
    pub kind: FlagKind,
    /// Localised flag name.
    pub label: String,
    /// Localised sentence with the numbers.
    pub message: String,
    /// Profit recovered at the base return rate (low-profit flag).
    pub impact_profit: Option<f64>,
}

impl FlagNote {
    /// Whether the economics section shows the flag in full, as a box: the flags about
    /// returns (both renderers ask this).
    pub(crate) fn in_economics(&self) -> bool {
        matches!(
            self.kind,
            FlagKind::LowProfitHighReturn | FlagKind::HiddenReturners | FlagKind::HighReturns
        )
    }
}

/// A feature statistic of a segment against the base.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FeatureRow {
    /// Catalog name.
    pub feature: String,
    /// Localised label.
    pub label: String,
    /// Segment mean.
    pub mean: Option<f64>,
    /// Segment median (the number the segment's description and card give for days since
    /// the last order and days between orders).
    pub median: Option<f64>,
    /// All customers' mean.
    pub base_mean: Option<f64>,
    /// Standardised mean difference.
    pub lift: Option<f64>,
    /// Survey items and factors: the answer scale `[min, max]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scale: Option<[f64; 2]>,
    /// Survey items and factors: the segment's customers who answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<usize>,
    /// The feature's kind in the run's catalog (a rate, money, a count, ...), which decides
    /// how its means are written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
}

impl FeatureRow {
    /// A mean of this feature as the tables write it: rates and indicators as a percentage
    /// with one decimal (`34,5 %`), money with its currency, counts and days with one decimal,
    /// anything else (scores, numbers) with two.
    pub fn value(&self, lang: Lang, x: Option<f64>, currency: Option<&str>) -> String {
        match self.kind {
            Some(Kind::Rate | Kind::Indicator) => lang.opt_percent(x, 1),
            Some(Kind::Money) => lang.opt_money(x, currency),
            Some(Kind::Count | Kind::Days | Kind::Years) => lang.opt_number(x, 1),
            _ => lang.opt_number(x, 2),
        }
    }
}

/// An over-represented level of a categorical feature.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LevelRow {
    /// Feature (country, region, gender, ...).
    pub feature: String,
    /// Level.
    pub level: String,
    /// Share in the segment.
    pub share: f64,
    /// Share among all customers.
    pub base_share: f64,
}

/// One segment (or the unassigned customers) in the report.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SegmentCard {
    /// `1`, `2`, ... or `unassigned`.
    pub segment: SegmentLabel,
    /// Localised name.
    pub name: String,
    /// The segment's colour in every chart (CSS hex).
    pub colour: String,
    /// Localised one-line description.
    pub description: String,
    /// Who they are, in sentences (the persona card), from the segment's facts against all
    /// customers.
    pub persona: Vec<String>,
    /// Customers.
    pub customers: usize,
    /// Share of customers.
    pub customer_share: f64,
    /// Net revenue.
    pub net_revenue: f64,
    /// Share of net revenue.
    pub revenue_share: f64,
    /// Revenue kept after returns (net revenue − refunds).
    pub kept_revenue: f64,
    /// Share of the revenue kept after returns.
    pub kept_share: f64,
    /// Return-adjusted profit.
    pub profit: f64,
    /// Share of profit.
    pub profit_share: f64,
    /// Profit / net revenue.
    pub profit_margin: Option<f64>,
    /// Refunds / net revenue.
    pub return_rate: Option<f64>,
    /// Average order value.
    pub aov: Option<f64>,
    /// Orders per customer.
    pub frequency: f64,
    /// Median days since the last order.
    pub recency_days: Option<f64>,
    /// The most distinguishing features.
    pub distinguishing: Vec<FeatureRow>,
    /// When the distinguishing features include browsing (sessions, carts, the share of them
    /// that ended in a purchase): the period the browsing data cover, beside the orders', in a
    /// sentence (a lapsed segment's 0% of carts ending in a purchase is of the recent
    /// browsing, not of all time).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub browsing_period: Option<String>,
    /// Survey items and factors.
    pub survey: Vec<FeatureRow>,
    /// Over-represented levels, at most five: those that stand out by the rule of the persona
    /// card ([`crate::profile::Composition::over_represented`]).
    pub composition: Vec<LevelRow>,
    /// Localised suggested actions.
    pub actions: Vec<String>,
    /// The plan led by the first action: goal, channel, measure of success.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub play: Option<[String; 3]>,
    /// Flags.
    pub flags: Vec<FlagNote>,
}

/// A candidate as the report's table shows it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CandidateRow {
    /// The candidate and its scores.
    #[serde(flatten)]
    pub candidate: CandidateIn,
}

/// How the segmentation was chosen.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Selection {
    /// The proposal in a sentence.
    pub proposal: String,
    /// Why this proposal: the basis, how clear the structure is, why few segments (where it
    /// applies) and the runner-up.
    pub reason: String,
    /// The rule.
    pub rule: String,
    /// What each index prefers.
    pub preferred: String,
    /// Whether they agree.
    pub agreement: String,
    /// The candidates, best composite first (the proposal always included), the rules they
    /// fail in the report's language.
    pub candidates: Vec<CandidateIn>,
}

/// Rows of one input table.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TableRow {
    /// Mapping section.
    pub table: String,
    /// File name (without its folder).
    pub file: String,
    /// Rows read.
    pub rows_read: usize,
    /// Rows used.
    pub rows_used: usize,
    /// (reason, rows) left out.
    pub skipped: Vec<(String, usize)>,
}

/// The data-quality section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DataQuality {
    /// Per table.
    pub tables: Vec<TableRow>,
    /// Assumptions ingest made.
    pub warnings: Vec<String>,
    /// (feature, share of customers without a value), features with any missing, most first.
    pub missing: Vec<(String, f64)>,
    /// The labels of the features in `missing`, in the report's language.
    #[serde(skip)]
    pub missing_labels: Vec<String>,
    /// Customers in no segment, in a sentence.
    pub excluded: String,
    /// Customers without a segment.
    pub unassigned: usize,
    /// Customers flagged for high returns, in a sentence.
    pub flagged: String,
}

/// What a manager reads first: the findings, the recommendations ranked by the value at
/// stake, and what to keep in mind when reading the numbers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Executive {
    /// Three to five findings, in sentences.
    pub findings: Vec<String>,
    /// Recommendations, the segment with the most revenue after returns first; each with its
    /// sized opportunity where there is one (and its assumption).
    pub recommendations: Vec<String>,
    /// Caveats: weak separation, a number of segments chosen by hand.
    pub caveats: Vec<String>,
}

/// What a segment's first action could bring, with its assumption.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpportunityRow {
    /// `1`, `2`, ...
    pub segment: SegmentLabel,
    /// Localised name.
    pub name: String,
    /// The action, localised.
    pub action: String,
    /// The opportunity as facts.
    pub facts: Opportunity,
    /// Its size rounded to two significant digits, in the report's words (`not sized`).
    pub size: String,
    /// What the size is an amount of (revenue before or after returns, or profit); none for
    /// what is not sized.
    pub measure: Option<crate::model::Measure>,
    /// The measure in the report's words (`–` for what is not sized).
    pub measure_text: String,
    /// How it is sized: the assumption, in the report's language.
    pub text: String,
}

/// A segment in the value-versus-reachability view.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ValueReach {
    /// `1`, `2`, ...
    pub segment: SegmentLabel,
    /// Localised name.
    pub name: String,
    /// Revenue after returns per customer.
    pub value: f64,
    /// Share of the segment that ordered or visited within [`ACTIVE_DAYS`] of the reference
    /// date.
    pub reachable: f64,
    /// What the combination means, in words.
    pub meaning: String,
    /// Customers (the bubble's size in the chart).
    pub customers: usize,
}

pub use crate::model::ACTIVE_DAYS;

/// The whole report in one language.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// segmint version of the run.
    pub segmint_version: String,
    /// Language.
    pub lang: Lang,
    /// Title.
    pub title: String,
    /// Reference date of the run.
    pub as_of: String,
    /// Customers.
    pub customers: usize,
    /// Segments (unassigned not counted).
    pub k: usize,
    /// The headline sentence.
    pub headline: String,
    /// How the count of customers adds up against the customer file, when some customers
    /// have no row there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_count: Option<crate::model::CustomerCount>,
    /// [`Report::customer_count`] in a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customers_accounted: Option<String>,
    /// The executive summary.
    pub executive: Executive,
    /// The measurement plan, one paragraph each.
    pub measurement: Vec<String>,
    /// Value against reachability, per segment.
    pub value_reach: Vec<ValueReach>,
    /// What the first action of each segment could bring, the largest first (what is not
    /// sized last).
    pub opportunities: Vec<OpportunityRow>,
    /// Net revenue of all customers (before returns).
    pub net_revenue: f64,
    /// Revenue kept after returns of all customers.
    pub kept_revenue: f64,
    /// Profit of all customers.
    pub profit: f64,
    /// The run had no cost data: [`Report::profit`] and every segment's profit are revenue
    /// after returns and their handling, shown only where no revenue after returns stands
    /// beside them (absent from report.json when false).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub no_cost: bool,
    /// The currency of the money (ISO 4217 code), when the mapping gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether the amounts include VAT, when the mapping states it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat: Option<crate::config::Vat>,
    /// The amounts' VAT basis in a sentence (or that it is not stated).
    pub amounts: String,
    /// Return rate of all customers.
    pub return_rate: Option<f64>,
    /// Every flag raised.
    pub flags: Vec<FlagNote>,
    /// Segments by id, then the unassigned customers.
    pub segments: Vec<SegmentCard>,
    /// How the segmentation was chosen.
    pub selection: Selection,
    /// Data quality.
    pub data_quality: DataQuality,
    /// Method notes, one paragraph each.
    pub method: Vec<String>,
    /// Segments over time (when the run has a comparison with an earlier run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub over_time: Option<campaign::OverTime>,
    /// Campaign results (when a campaign was measured on a holdout of the run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<campaign::CampaignResults>,
}

/// `part / whole`, 0 when the whole is not positive.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        0.0
    }
}

fn stat_mean(p: &SegmentProfile, feature: &str) -> Option<f64> {
    p.features
        .iter()
        .find(|f| f.feature == feature)
        .and_then(|f| f.mean)
}

/// A feature's label in `lang`: the mapping's own label (`[survey.labels]`) when it gives
/// one, else the catalog's.
fn feature_label(run: &RunData, lang: Lang, name: &str) -> String {
    run.manifest
        .feature_labels
        .get(name)
        .and_then(|l| l.get(lang.code()))
        .map(|label| {
            let t = lang.texts();
            match name.split_once('_') {
                Some(("survey", _)) => format!("{}: {label}", t.survey_item),
                Some(("factor", _)) => format!("{}: {label}", t.survey_factor),
                _ => label.clone(),
            }
        })
        .unwrap_or_else(|| lang.feature_for(name, run.no_cost()))
}

fn feature_rows(
    run: &RunData,
    lang: Lang,
    stats: &[crate::profile::FeatureStat],
    base: &SegmentProfile,
) -> Vec<FeatureRow> {
    stats
        .iter()
        .map(|s| FeatureRow {
            feature: s.feature.clone(),
            label: feature_label(run, lang, &s.feature),
            mean: s.mean,
            median: s.median,
            base_mean: stat_mean(base, &s.feature)
                .or_else(|| base.survey.iter().find(|b| b.feature == s.feature)?.mean),
            lift: s.lift,
            scale: s.scale,
            n: s.n,
            kind: run
                .features
                .specs
                .iter()
                .find(|f| f.name == s.feature)
                .map(|f| f.kind),
        })
        .collect()
}

/// The period of the browsing data beside the orders', in a sentence, when `rows` show a
/// browsing feature and the run recorded the first event's date.
fn browsing_period(run: &RunData, lang: Lang, rows: &[FeatureRow]) -> Option<String> {
    let first_event = run.manifest.ingest.first_event.as_deref()?;
    let browsing = rows.iter().any(|r| {
        run.features
            .specs
            .iter()
            .any(|f| f.name == r.feature && f.group == Group::Browsing)
    });
    let as_of = &run.manifest.as_of;
    browsing.then(|| {
        fill(
            lang.persona_text("browsing_period"),
            &[
                ("period", lang.period(Some(first_event), as_of)),
                (
                    "orders",
                    lang.period(run.manifest.ingest.first_order.as_deref(), as_of),
                ),
            ],
        )
    })
}

/// A survey item's or factor's own label in `lang`, as a persona sentence quotes it: the
/// mapping's label (`[survey.labels]`), else its name without the prefix.
fn item_label(run: &RunData, lang: Lang, name: &str) -> String {
    run.manifest
        .feature_labels
        .get(name)
        .and_then(|l| l.get(lang.code()))
        .cloned()
        .unwrap_or_else(|| {
            let bare = name
                .strip_prefix("survey_")
                .or_else(|| name.strip_prefix("factor_"))
                .unwrap_or(name);
            bare.replace('_', " ")
        })
}

/// An answer scale as the survey tables show it (`1–5`), `–` without one.
pub(crate) fn scale_text(lang: Lang, scale: Option<[f64; 2]>) -> String {
    let bound = |x: f64| lang.number(x, usize::from(x.fract() != 0.0));
    scale.map_or("–".to_string(), |[lo, hi]| {
        format!("{}–{}", bound(lo), bound(hi))
    })
}

fn segment_label(lang: Lang, p: &SegmentProfile) -> String {
    if p.segment == SegmentLabel::Unassigned {
        lang.texts().unassigned.to_string()
    } else {
        format!("{} {}", p.segment, p.name_in(lang))
    }
}

/// Splits `text` into plain runs (`false`) and candidate ids (`true`), longest id first and
/// only where an id stands alone (not inside a longer word), so that the renderers can show
/// the ids as code: a reader must never take `dbscan-m20-e3.078` for a number.
pub(crate) fn split_ids<'a>(text: &'a str, ids: &[String]) -> Vec<(bool, &'a str)> {
    let mut ids: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|i| !i.is_empty())
        .collect();
    ids.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let mut out = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < text.len() {
        let before_ok = text[..i].chars().next_back().is_none_or(|c| !word(c));
        let hit = before_ok
            .then(|| {
                ids.iter().find(|id| {
                    text[i..].starts_with(**id) && {
                        let rest = &text[i + id.len()..];
                        let mut r = rest.chars();
                        match r.next() {
                            None => true,
                            Some('.') | Some(',') => !r.next().is_some_and(|c| c.is_ascii_digit()),
                            Some(c) => !word(c),
                        }
                    }
                })
            })
            .flatten();
        match hit {
            Some(id) => {
                if start < i {
                    out.push((false, &text[start..i]));
                }
                out.push((true, &text[i..i + id.len()]));
                i += id.len();
                start = i;
            }
            None => i += text[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if start < text.len() {
        out.push((false, &text[start..]));
    }
    out
}

fn segment_index(p: &SegmentProfile) -> Option<SegmentId> {
    p.segment.segment()
}

/// Builds the report and its chart data in `lang`. `title` overrides the default title.
pub fn build(run: &RunData, lang: Lang, title: Option<&str>) -> Result<(Report, ChartData)> {
    // Without a unit cost, a margin column or a default margin, cost of goods is 0: what the
    // profiles call profit is revenue after returns and their handling, and the texts say so
    // ([`Lang::texts_for`]); every margin would read 100 %: none is shown (the data-quality
    // notes say why).
    let no_cost = run.no_cost();
    let t = lang.texts_for(no_cost);
    let p = &run.profiles;
    let base = &p.base;
    let k = p.segments.iter().filter(|s| s.segment.is_segment()).count();
    let cur = run.manifest.currency.as_deref();
    let mut flags = Vec::new();
    let mut cards = Vec::new();
    // Without any refund in the data (no returns table, or nothing returned), a return rate
    // of 0 % would read as a fact about the customers: it is not shown, as the segment
    // descriptions do not state it.
    let returns = base.refunds > 0.0;
    for s in &p.segments {
        let name = s.name_in(lang);
        let notes: Vec<FlagNote> = s
            .flags
            .iter()
            .map(|f| FlagNote {
                segment: s.segment,
                name: name.clone(),
                kind: f.kind(),
                label: lang.flag_label(f.kind(), no_cost).to_string(),
                message: lang.flag_message(
                    &f.facts,
                    cur,
                    run.manifest.ingest.first_order.as_deref(),
                    &run.manifest.as_of,
                    no_cost,
                ),
                impact_profit: f.facts.impact_profit(),
            })
            .collect();
        flags.extend(notes.iter().cloned());
        let distinguishing = feature_rows(
            run,
            lang,
            &s.top_features[..s.top_features.len().min(6)],
            base,
        );
        let browsing_period = browsing_period(run, lang, &distinguishing);
        cards.push(SegmentCard {
            segment: s.segment,
            name,
            colour: segment_css(segment_index(s)),
            description: s.description_in(lang, cur, no_cost),
            persona: match &s.persona {
                Some(facts) if facts.is_empty() => vec![lang.persona_text("none").to_string()],
                Some(facts) => facts
                    .iter()
                    .map(|f| lang.persona(f, &|name| item_label(run, lang, name)))
                    .collect(),
                None => Vec::new(),
            },
            customers: s.customers,
            customer_share: s.share,
            net_revenue: s.net_revenue,
            revenue_share: s.revenue_share,
            kept_revenue: s.net_revenue - s.refunds,
            kept_share: share(s.net_revenue - s.refunds, base.net_revenue - base.refunds),
            profit: s.profit,
            profit_share: s.profit_share,
            profit_margin: if no_cost { None } else { s.profit_margin },
            return_rate: s.return_rate_value.filter(|_| returns),
            aov: s.aov,
            frequency: s.frequency,
            recency_days: s.recency_days,
            distinguishing,
            browsing_period,
            survey: feature_rows(run, lang, &s.survey, base),
            composition: s
                .composition
                .iter()
                .filter(|c| c.over_represented(s.customers))
                .take(5)
                .map(|c| LevelRow {
                    feature: c.feature.clone(),
                    level: c.level.clone(),
                    share: c.share,
                    base_share: c.base_share,
                })
                .collect(),
            actions: s.actions_in(lang),
            play: s
                .action_facts
                .as_deref()
                .and_then(|a| a.first())
                .map(|a| lang.play(a, no_cost).map(str::to_string)),
            flags: notes,
        });
    }
    let selection = selection(run, lang);
    let executive = executive(run, lang);
    let value_reach = value_reach(run, lang)?;
    let opportunities = opportunities(run, lang);
    let data_quality = data_quality(run, lang)?;
    let method = method(run, lang);
    let customer_count =
        crate::model::CustomerCount::of(base.customers, &run.manifest.customers_per_source);
    let report = Report {
        segmint_version: run.manifest.segmint_version.clone(),
        lang,
        title: title.unwrap_or(t.title).to_string(),
        as_of: run.manifest.as_of.clone(),
        customers: base.customers,
        k,
        headline: fill(
            t.summary_line,
            &[
                ("n", lang.number(base.customers as f64, 0)),
                ("k", k.to_string()),
            ],
        ),
        customers_accounted: customer_count.as_ref().map(|c| lang.customers_accounted(c)),
        customer_count,
        executive,
        value_reach,
        opportunities,
        measurement: vec![
            t.measurement_holdout.to_string(),
            t.measurement_rerun.to_string(),
            t.measurement_migration.to_string(),
        ],
        net_revenue: base.net_revenue,
        kept_revenue: base.net_revenue - base.refunds,
        profit: base.profit,
        no_cost,
        currency: run.manifest.currency.clone(),
        vat: run.manifest.vat,
        amounts: lang.vat_basis(run.manifest.vat, no_cost).to_string(),
        return_rate: base.return_rate_value.filter(|_| returns),
        flags,
        segments: cards,
        selection,
        data_quality,
        method,
        over_time: run
            .comparison
            .as_ref()
            .map(|c| campaign::over_time(c, lang)),
        campaign: run
            .lift
            .as_ref()
            .map(|l| campaign::campaign_results(l, lang)),
    };
    let charts = chart_data(run, lang, &report.value_reach)?;
    Ok((report, charts))
}

/// Median days without an order from which a segment counts as long gone in the findings.
const GONE_DAYS: f64 = 365.0;

/// Silhouette below which the report warns that the segments overlap (Kaufman and
/// Rousseeuw: below 0.5 the structure is weak).
const WEAK_SILHOUETTE: f64 = 0.5;

/// Whether most of a segment are customers who ordered before and have lapsed (true for a
/// file of an earlier segmint version, which lacks the count).
fn mostly_lapsed(s: &SegmentProfile) -> bool {
    s.lapsed
        .as_ref()
        .is_none_or(|l| l.customers as f64 >= 0.5 * s.customers as f64)
}

/// The sized reactivation opportunity of a segment's lapsed buyers, with its assumptions: if
/// [`REACTIVATION_RESPONSE`](crate::profile::opportunity::REACTIVATION_RESPONSE) of the
/// customers who ordered before but not for the lapse days came back for one order at the
/// segment's average order value, the one its card shows ("Sized: …"). None without lapsed
/// buyers or without orders.
pub fn reactivation_sizing(
    s: &SegmentProfile,
    lang: Lang,
    currency: Option<&str>,
) -> Option<String> {
    let op = crate::profile::opportunity::opportunity(&crate::model::Action::Reactivation, s, s)?;
    Some(lang.sized(&op, currency, "", false))
}

/// The opportunity of each segment's first action, the largest first.
fn opportunities(run: &RunData, lang: Lang) -> Vec<OpportunityRow> {
    let cur = run.manifest.currency.as_deref();
    let no_cost = run.no_cost();
    let period = lang.period(
        run.manifest.ingest.first_order.as_deref(),
        &run.manifest.as_of,
    );
    let mut rows: Vec<OpportunityRow> = run
        .profiles
        .segments
        .iter()
        .filter(|s| s.segment.is_segment() && s.customers > 0)
        .filter_map(|s| {
            let action = s.action_facts.as_deref()?.first()?;
            let facts = crate::profile::opportunity::opportunity(action, s, &run.profiles.base)?;
            Some(OpportunityRow {
                segment: s.segment,
                name: s.name_in(lang),
                action: lang.action(action),
                size: facts.value().map_or_else(
                    || lang.opportunity_text("not_sized").to_string(),
                    |v| lang.money_compact(crate::i18n::round_significant(v, 2), cur),
                ),
                text: capitalise(&lang.opportunity(&facts, cur, &period, no_cost)),
                measure: facts.measure(),
                measure_text: lang.measure(facts.measure(), no_cost).to_string(),
                facts,
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        b.facts
            .value()
            .unwrap_or(f64::NEG_INFINITY)
            .total_cmp(&a.facts.value().unwrap_or(f64::NEG_INFINITY))
            .then(a.segment.cmp(&b.segment))
    });
    rows
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn executive(run: &RunData, lang: Lang) -> Executive {
    let t = lang.texts_for(run.no_cost());
    let segs: Vec<&SegmentProfile> = run
        .profiles
        .segments
        .iter()
        .filter(|s| s.segment.is_segment() && s.customers > 0)
        .collect();
    let cur = run.manifest.currency.as_deref();
    let period = lang.period(
        run.manifest.ingest.first_order.as_deref(),
        &run.manifest.as_of,
    );
    let mut findings = Vec::new();
    let mut named: Vec<SegmentLabel> = Vec::new();
    // Without any cost data, "profit" is revenue after returns: the findings say so.
    let no_cost = run.no_cost();
    let base = &run.profiles.base;
    let value_share = |s: &SegmentProfile| {
        if no_cost {
            share(s.net_revenue - s.refunds, base.net_revenue - base.refunds)
        } else {
            s.profit_share
        }
    };
    if let Some(top) = segs
        .iter()
        .max_by(|a, b| value_share(a).total_cmp(&value_share(b)))
    {
        findings.push(fill(
            t.finding_top,
            &[
                ("name", top.name_in(lang)),
                ("share", lang.share(top.share)),
                ("profit", lang.share(value_share(top))),
            ],
        ));
        named.push(top.segment);
    }
    for s in &segs {
        for f in &s.flags {
            if let FlagFacts::LowProfitHighReturn {
                return_rate,
                revenue_share,
                kept_revenue_share,
                ..
            } = f.facts
            {
                findings.push(fill(
                    t.finding_returns,
                    &[
                        ("name", s.name_in(lang)),
                        ("rr", lang.share(return_rate)),
                        ("rev", lang.share(revenue_share)),
                        ("kept", lang.share(kept_revenue_share)),
                    ],
                ));
                named.push(s.segment);
            }
            if let FlagFacts::HighReturns {
                return_rate,
                base_return_rate,
                refund_share,
                ..
            } = f.facts
            {
                named.push(s.segment);
                findings.push(fill(
                    t.finding_high_returns,
                    &[
                        ("name", s.name_in(lang)),
                        ("rr", lang.share(return_rate)),
                        ("base", lang.share(base_return_rate)),
                        ("refunds", lang.share(refund_share)),
                    ],
                ));
            }
            if let FlagFacts::HiddenReturners {
                customers,
                share,
                return_rate,
                refund_share,
                ..
            } = f.facts
            {
                named.push(s.segment);
                findings.push(fill(
                    t.finding_hidden,
                    &[
                        ("name", s.name_in(lang)),
                        ("n", lang.number(customers as f64, 0)),
                        ("share", lang.share(share)),
                        ("rr", lang.share(return_rate)),
                        ("refunds", lang.share(refund_share)),
                    ],
                ));
            }
        }
    }
    // The largest group gone for a year or more: mostly customers who ordered before and
    // have lapsed (a browsing segment whose few buyers ordered long ago is not "gone").
    if let Some(gone) = segs
        .iter()
        .filter(|s| s.recency_days.is_some_and(|r| r >= GONE_DAYS) && mostly_lapsed(s))
        .max_by(|a, b| a.share.total_cmp(&b.share))
    {
        findings.push(fill(
            t.finding_gone,
            &[
                ("name", gone.name_in(lang)),
                ("share", lang.share(gone.share)),
                ("r", lang.opt_days(gone.recency_days)),
            ],
        ));
        named.push(gone.segment);
    }
    for s in &segs {
        for f in &s.flags {
            if let FlagFacts::DiscountDependent {
                discount_order_share,
            } = f.facts
            {
                named.push(s.segment);
                findings.push(fill(
                    t.finding_discount,
                    &[
                        ("name", s.name_in(lang)),
                        ("d", lang.share(discount_order_share)),
                    ],
                ));
            }
        }
    }
    // The largest group that brings less than half its share of customers in profit; not a
    // new one, which has had no time to bring more (a finding that invites cutting the
    // acquisition that brought them).
    if let Some(low) = segs
        .iter()
        .filter(|s| {
            !named.contains(&s.segment)
                && value_share(s) < 0.5 * s.share
                && !crate::profile::is_new(s)
        })
        .max_by(|a, b| a.share.total_cmp(&b.share))
    {
        findings.push(fill(
            t.finding_low_value,
            &[
                ("name", low.name_in(lang)),
                ("share", lang.share(low.share)),
                ("profit", lang.share(value_share(low))),
            ],
        ));
    }
    findings.truncate(5);
    // Recommendations: the segments with the most revenue after returns from customers who
    // have not lapsed first: the value still within reach, not a lapsed segment's past.
    let within_reach = |s: &SegmentProfile| {
        let gone = s.lapsed.as_ref().map_or(0.0, |l| l.net_revenue - l.refunds);
        s.net_revenue - s.refunds - gone
    };
    let mut ranked = segs.clone();
    ranked.sort_by(|a, b| {
        within_reach(b)
            .total_cmp(&within_reach(a))
            .then(a.segment.cmp(&b.segment))
    });
    let mut recommendations = Vec::new();
    for s in ranked {
        let Some(first) = s.actions_in(lang).into_iter().next() else {
            continue;
        };
        let mut r = fill(
            t.recommendation,
            &[("name", s.name_in(lang)), ("action", first)],
        );
        // The first action's size, with its assumption.
        if let Some(op) = s
            .action_facts
            .as_deref()
            .and_then(|a| a.first())
            .and_then(|a| crate::profile::opportunity::opportunity(a, s, &run.profiles.base))
            .filter(|op| op.value().is_some())
        {
            r = format!("{r} {}", lang.sized(&op, cur, &period, no_cost));
        }
        recommendations.push(r);
    }
    let mut caveats = Vec::new();
    let chosen = run.candidates.candidates.iter().find(|c| c.chosen);
    if let Some(s) = chosen.and_then(|c| c.scores.silhouette) {
        if s < WEAK_SILHOUETTE {
            caveats.push(fill(t.caveat_weak, &[("s", lang.number_from(s, 3, 2))]));
        }
    }
    if let Basis::Forced { k } = run.candidates.proposal.basis {
        caveats.push(fill(t.caveat_forced, &[("k", k.to_string())]));
    }
    // Said plainly up front, not only in the method appendix.
    if run.candidates.proposal.structure.is_none() {
        caveats.push(fill(
            t.caveat_no_structure,
            &[("k", segs.len().to_string())],
        ));
    }
    Executive {
        findings,
        recommendations,
        caveats,
    }
}

/// What a segment's place in the value-versus-reachability view means for it. The view's
/// window is the same for every segment ([`ACTIVE_DAYS`]); what it means never contradicts the
/// segment's own actions, which read its own rhythm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quadrant {
    /// Valuable and reachable, not drifting away.
    Protect,
    /// Valuable and drifting away by its own rhythm (lapsed or a churn risk: its own actions
    /// win it back), whatever share was active in the window.
    WinBack,
    /// Valuable, mostly inactive in the window, but not lapsed nor at risk by its own rhythm
    /// (it orders seldom): keep in touch between orders, not "win them back now".
    KeepInTouch,
    /// Mostly inactive, and a season campaign is its action: reach it before the season.
    Season,
    /// Below the shop's value per customer and drifting away by its own rhythm: won back at
    /// low cost only.
    LowDrifting,
    /// Reachable, below the shop's value per customer.
    Develop,
    /// Neither.
    Deprioritise,
    /// Kept out of paid media for its returns, whatever its place: its revenue after returns
    /// is low because of the returns, not a value to develop.
    Suppress,
}

impl Quadrant {
    fn of(valuable: bool, reachable: bool, actions: &[Action]) -> Quadrant {
        let has = |f: fn(&Action) -> bool| actions.iter().any(f);
        if has(|a| *a == Action::SuppressFromPaidMedia) {
            return Quadrant::Suppress;
        }
        if !reachable && matches!(actions.first(), Some(Action::SeasonCampaign { .. })) {
            return Quadrant::Season;
        }
        // Drifting away by their own rhythm (a churn risk, or lapsed), whatever the window.
        let drifting = has(|a| matches!(a, Action::Reactivation | Action::WinBack));
        match (valuable, reachable) {
            (true, _) if drifting => Quadrant::WinBack,
            (false, _) if drifting => Quadrant::LowDrifting,
            (true, true) => Quadrant::Protect,
            (true, false) => Quadrant::KeepInTouch,
            (false, true) => Quadrant::Develop,
            (false, false) => Quadrant::Deprioritise,
        }
    }
}

/// Value (revenue after returns per customer) and reachability (share active within
/// [`ACTIVE_DAYS`]) per segment; a segment is valuable at or above the shop's value per
/// customer and reachable when at least half its customers are active.
fn value_reach(run: &RunData, lang: Lang) -> Result<Vec<ValueReach>> {
    let t = lang.texts();
    let ids = feature_ids(run)?;
    let seg = segments_by_row(run, &ids)?;
    let recency = column_f64(&run.features.table, "recency_days").unwrap_or_default();
    let visit = column_f64(&run.features.table, "days_since_last_visit").unwrap_or_default();
    let active = |r: usize| {
        let near = |v: &Vec<Option<f64>>| {
            v.get(r)
                .copied()
                .flatten()
                .is_some_and(|d| d <= ACTIVE_DAYS)
        };
        near(&recency) || near(&visit)
    };
    let base = &run.profiles.base;
    let base_value = share(base.net_revenue - base.refunds, base.customers as f64);
    let mut out = Vec::new();
    for p in &run.profiles.segments {
        let Some(id) = segment_index(p) else { continue };
        if p.customers == 0 {
            continue;
        }
        let rows: Vec<usize> = (0..seg.len()).filter(|&r| seg[r] == Some(id)).collect();
        let reachable = share(
            rows.iter().filter(|&&r| active(r)).count() as f64,
            rows.len() as f64,
        );
        let value = (p.net_revenue - p.refunds) / p.customers as f64;
        let meaning = match Quadrant::of(
            value >= base_value,
            reachable >= 0.5,
            p.action_facts.as_deref().unwrap_or_default(),
        ) {
            Quadrant::Protect => t.quadrant_protect,
            Quadrant::WinBack => t.quadrant_win_back,
            Quadrant::KeepInTouch => t.quadrant_keep_in_touch,
            Quadrant::Season => t.quadrant_season,
            Quadrant::LowDrifting => t.quadrant_low_drifting,
            Quadrant::Develop => t.quadrant_develop,
            Quadrant::Deprioritise => t.quadrant_deprioritise,
            Quadrant::Suppress => t.quadrant_suppress,
        };
        out.push(ValueReach {
            segment: p.segment,
            name: p.name_in(lang),
            value,
            reachable,
            meaning: meaning.to_string(),
            customers: p.customers,
        });
    }
    Ok(out)
}

fn selection(run: &RunData, lang: Lang) -> Selection {
    let t = lang.texts();
    let prop = &run.candidates.proposal;
    let mut candidates: Vec<CandidateIn> = run
        .candidates
        .candidates
        .iter()
        .map(CandidateIn::from)
        .collect();
    for c in &mut candidates {
        c.fails_text = c.fails.iter().map(|f| lang.rule_failure(f)).collect();
    }
    candidates.sort_by(|a, b| {
        b.chosen
            .cmp(&a.chosen)
            .then(b.eligible.cmp(&a.eligible))
            .then(
                b.composite
                    .unwrap_or(f64::NEG_INFINITY)
                    .total_cmp(&a.composite.unwrap_or(f64::NEG_INFINITY)),
            )
            .then(a.id.cmp(&b.id))
    });
    let spec_of = |id: &str| {
        run.candidates
            .candidates
            .iter()
            .find(|c| c.id == id)
            .and_then(|c| c.spec())
    };
    // The proposal in words, with the model's number of segments.
    let chosen_spec = match spec_of(&prop.chosen).or_else(|| CandidateSpec::of_id(&prop.chosen)) {
        Some(CandidateSpec::Dbscan {
            min_samples, eps, ..
        }) => CandidateSpec::Dbscan {
            k: Some(run.model.k),
            min_samples,
            eps,
        },
        _ => CandidateSpec::KMeans { k: run.model.k },
    };
    let list = prop
        .preferred_k
        .iter()
        .map(|c| format!("{} {}", lang.index_name(c.index), c.k))
        .collect::<Vec<_>>()
        .join(", ");
    Selection {
        proposal: fill(t.proposal_line, &[("id", lang.candidate(&chosen_spec))]),
        reason: lang.selection_reason(prop, spec_of, |id| {
            run.candidates
                .candidates
                .iter()
                .find(|c| c.id == id)
                .and_then(|c| c.composite)
        }),
        rule: lang.selection_rule(&prop.rules),
        preferred: fill(t.preferred_k, &[("list", list)]),
        agreement: if prop.disagreement {
            t.indices_disagree
        } else {
            t.indices_agree
        }
        .to_string(),
        candidates,
    }
}

fn data_quality(run: &RunData, lang: Lang) -> Result<DataQuality> {
    let t = lang.texts();
    let tables = run
        .manifest
        .ingest
        .tables
        .iter()
        .map(|r| TableRow {
            table: r.table.clone(),
            file: r
                .file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default(),
            rows_read: r.rows_read,
            rows_used: r.rows_used,
            skipped: r
                .skipped
                .iter()
                .map(|s| (s.reason_in(lang).to_string(), s.rows))
                .collect(),
        })
        .collect();
    let df = &run.features.table;
    let n = df.height().max(1) as f64;
    let mut missing: Vec<(String, f64)> = Vec::new();
    for spec in &run.features.specs {
        if let Ok(c) = df.column(&spec.name) {
            let nulls = c.null_count();
            if nulls > 0 {
                missing.push((spec.name.clone(), nulls as f64 / n));
            }
        }
    }
    missing.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let unassigned = run
        .assignment
        .segment
        .iter()
        .filter(|s| s.is_none())
        .count();
    let excluded = if unassigned == 0 {
        t.excluded_none.to_string()
    } else {
        fill(
            t.excluded_line,
            &[
                ("n", lang.number(unassigned as f64, 0)),
                (
                    "share",
                    lang.percent(
                        unassigned as f64 / run.assignment.ids.len().max(1) as f64,
                        1,
                    ),
                ),
            ],
        )
    };
    Ok(DataQuality {
        missing_labels: missing
            .iter()
            .map(|(f, _)| feature_label(run, lang, f))
            .collect(),
        tables,
        // A run folder written before the notes were facts has only their English words.
        warnings: if run.manifest.ingest.notes.is_empty() {
            run.manifest.ingest.warnings.clone()
        } else {
            run.manifest
                .ingest
                .notes
                .iter()
                .map(|n| lang.note(n))
                .collect()
        },
        missing,
        excluded,
        unassigned,
        flagged: {
            let rule = run.profiles.customer_rule;
            let n = run.profiles.flagged_customers.len();
            // The threshold as written: 90 %, and two thirds as 66.7 % (not 67 %, which a
            // customer at 2 of 3 returned would miss).
            let points = rule.return_rate * 100.0;
            let decimals = usize::from((points - points.round()).abs() > 1e-9);
            fill(
                if n == 0 {
                    t.flagged_none
                } else {
                    t.flagged_line
                },
                &[
                    ("n", lang.number(n as f64, 0)),
                    ("rate", lang.percent(rule.return_rate, decimals)),
                    ("orders", lang.number(rule.min_orders as f64, 0)),
                ],
            )
        },
    })
}

fn method(run: &RunData, lang: Lang) -> Vec<String> {
    let t = lang.texts();
    let kmeans: Vec<usize> = run
        .candidates
        .candidates
        .iter()
        .filter(|c| c.algorithm == Algorithm::KMeans)
        .map(|c| c.k)
        .collect();
    let groups = [
        Group::Behaviour,
        Group::Browsing,
        Group::Psychographic,
        Group::Demographic,
    ];
    let per_group: Vec<String> = groups
        .iter()
        .map(|g| {
            let n = run
                .manifest
                .features
                .iter()
                .filter(|f| f.group == *g)
                .count();
            format!("{} {n}", lang.group(*g))
        })
        .collect();
    vec![
        fill(
            t.method_features,
            &[
                ("n", run.manifest.features.len().to_string()),
                ("groups", per_group.join(", ")),
            ],
        ),
        fill(
            t.method_prepare,
            &[("cols", run.manifest.prepare.columns.len().to_string())],
        ),
        fill(
            t.method_algorithms,
            &[
                (
                    "kmin",
                    kmeans.iter().min().copied().unwrap_or(0).to_string(),
                ),
                (
                    "kmax",
                    kmeans.iter().max().copied().unwrap_or(0).to_string(),
                ),
                ("n", run.candidates.candidates.len().to_string()),
            ],
        ),
        fill(
            t.method_repro,
            &[
                ("seed", run.model.seed.to_string()),
                ("version", run.manifest.segmint_version.clone()),
                ("as_of", lang.date(&run.manifest.as_of)),
            ],
        ),
    ]
}

/// Tukey box: lower whisker, Q1, median, Q3, upper whisker (linear-interpolated quartiles;
/// whiskers at the most extreme values within 1.5 IQR of the box).
pub fn tukey(values: &[f64]) -> Option<[f64; 5]> {
    if values.is_empty() {
        return None;
    }
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    let q = |p: f64| crate::prepare::quantile_sorted(&s, p);
    let (q1, med, q3) = (q(0.25), q(0.5), q(0.75));
    let iqr = q3 - q1;
    let lo = s
        .iter()
        .copied()
        .find(|&v| v >= q1 - 1.5 * iqr)
        .unwrap_or(q1);
    let hi = s
        .iter()
        .rev()
        .copied()
        .find(|&v| v <= q3 + 1.5 * iqr)
        .unwrap_or(q3);
    Some([lo, q1, med, q3, hi])
}

/// Key features of the box plots, when the run has them.
const BOX_FEATURES: [&str; 4] = [
    "net_revenue",
    "frequency",
    "recency_days",
    "return_rate_value",
];

fn chart_data(run: &RunData, lang: Lang, value_reach: &[ValueReach]) -> Result<ChartData> {
    let p = &run.profiles;
    let keys: Vec<SegmentKey> = p
        .segments
        .iter()
        .map(|s| SegmentKey {
            segment: segment_index(s),
            label: segment_label(lang, s),
        })
        .collect();
    let bars = p
        .segments
        .iter()
        .zip(&keys)
        .map(|(s, key)| SegmentBar {
            key: key.clone(),
            customer_share: s.share,
            revenue_share: s.revenue_share,
            profit_share: if run.no_cost() {
                share(
                    s.net_revenue - s.refunds,
                    p.base.net_revenue - p.base.refunds,
                )
            } else {
                s.profit_share
            },
        })
        .collect();
    // Heatmap: the strongest features of every segment, up to 12 columns.
    let assigned: Vec<(&SegmentProfile, &SegmentKey)> = p
        .segments
        .iter()
        .zip(&keys)
        .filter(|(s, _)| s.segment.is_segment())
        .collect();
    let mut strength: BTreeMap<&str, f64> = BTreeMap::new();
    for (s, _) in &assigned {
        for f in s.top_features.iter().take(3) {
            let l = f.lift.unwrap_or(0.0).abs();
            let e = strength.entry(f.feature.as_str()).or_insert(0.0);
            *e = e.max(l);
        }
    }
    let mut heat: Vec<(&str, f64)> = strength.into_iter().collect();
    heat.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    heat.truncate(12);
    let heat_rows = assigned
        .iter()
        .map(|(s, key)| HeatRow {
            key: (*key).clone(),
            lifts: heat
                .iter()
                .map(|(f, _)| {
                    s.features
                        .iter()
                        .chain(&s.survey)
                        .find(|x| x.feature == *f)
                        .and_then(|x| x.lift)
                })
                .collect(),
        })
        .collect();
    let heat_features = heat
        .iter()
        .map(|(f, _)| feature_label(run, lang, f))
        .collect();
    // Choosing k.
    let cands = &run.candidates;
    let mut k_points: Vec<KPoint> = cands
        .candidates
        .iter()
        .filter(|c| c.algorithm == Algorithm::KMeans)
        .map(|c| KPoint {
            k: c.k,
            inertia: c.scores.inertia,
            silhouette: c.scores.silhouette,
            calinski_harabasz: c.scores.calinski_harabasz,
        })
        .collect();
    k_points.sort_by_key(|p| p.k);
    k_points.dedup_by_key(|p| p.k);
    let elbow_k = cands
        .proposal
        .preferred_k
        .iter()
        .find(|c| c.index == Index::Elbow)
        .map(|c| c.k);
    let chosen = cands.candidates.iter().find(|c| c.chosen);
    let dbscan_chosen = chosen.is_some_and(|c| c.algorithm == Algorithm::Dbscan);
    let eps = match chosen {
        Some(c) if dbscan_chosen => c.eps.zip(c.min_samples),
        _ => {
            let mid = cands.k_distance.len() / 2;
            cands
                .k_distance
                .get(mid)
                .map(|kd| (kd.knee_eps, kd.min_samples))
        }
    };
    // At most 400 points a curve: the shape is all the chart needs.
    let k_distance = cands
        .k_distance
        .iter()
        .map(|kd| {
            let step = kd.distances.len().div_ceil(400).max(1);
            let mut v: Vec<f64> = kd.distances.iter().step_by(step).copied().collect();
            // Keep the last (smallest) distance when the stride skips it.
            if !kd.distances.is_empty() && (kd.distances.len() - 1) % step != 0 {
                v.extend(kd.distances.last());
            }
            (kd.min_samples, v)
        })
        .collect();
    // Segment map and the per-customer charts.
    let (map, centroids, map_variance) = segment_map(run)?;
    let whale = whale(run, &keys)?;
    let bubbles = p
        .segments
        .iter()
        .zip(&keys)
        .filter(|(s, _)| s.customers > 0)
        .map(|(s, key)| Bubble {
            key: key.clone(),
            net_revenue: s.net_revenue,
            return_rate: s.return_rate_value.unwrap_or(0.0),
            customers: s.customers,
            flagged: s
                .flags
                .iter()
                .any(|f| f.kind() == FlagKind::LowProfitHighReturn),
        })
        .collect();
    let boxes = boxes(run, &keys, lang)?;
    let reach = value_reach
        .iter()
        .filter_map(|v| {
            let id = v.segment.segment()?;
            let key = keys.iter().find(|k| k.segment == Some(id))?.clone();
            Some(ReachBubble {
                key,
                value: v.value,
                reachable: v.reachable,
                customers: v.customers,
            })
        })
        .collect();
    Ok(ChartData {
        reach,
        base_value: share(p.base.net_revenue - p.base.refunds, p.base.customers as f64),
        no_cost: run.no_cost(),
        bars,
        heat_features,
        heat_rows,
        k_points,
        elbow_k,
        chosen_k: run.model.k,
        k_distance,
        eps,
        dbscan_chosen,
        map,
        centroids,
        map_variance,
        keys,
        whale,
        bubbles,
        base_return_rate: p.base.return_rate_value.unwrap_or(0.0),
        boxes,
    })
}

/// Customer ids of the feature table, in its row order.
fn feature_ids(run: &RunData) -> Result<Vec<String>> {
    Ok(column_str(&run.features.table, "customer_id")?
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect())
}

/// The segment of every feature-table row (by customer id).
fn segments_by_row(run: &RunData, ids: &[String]) -> Result<Vec<Option<SegmentId>>> {
    run.assignment.segments_of(ids)
}

type MapParts = (Vec<MapPoint>, Vec<MapPoint>, (f64, f64));

fn segment_map(run: &RunData) -> Result<MapParts> {
    let x: Array2<f64> = run.model.prepare.transform(&run.features.table)?;
    let ids = feature_ids(run)?;
    let seg = segments_by_row(run, &ids)?;
    let pca = Pca::fit(x.view(), 1.0, 2, 2);
    let z = pca.transform(x.view());
    let two = |r: usize| (z[[r, 0]], if z.ncols() > 1 { z[[r, 1]] } else { 0.0 });
    // A deterministic sample: every step-th customer in id order.
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
    let step = ids.len().div_ceil(MAP_SAMPLE).max(1);
    let map = order
        .iter()
        .step_by(step)
        .map(|&r| {
            let (x, y) = two(r);
            MapPoint {
                x,
                y,
                segment: seg[r],
            }
        })
        .collect();
    let c = Array2::from_shape_vec(
        (run.model.centroids.len(), x.ncols()),
        run.model.centroids.iter().flatten().copied().collect(),
    )
    .map_err(|e| Error::Data(format!("model.json: centroids do not fit the matrix: {e}")))?;
    let zc = pca.transform(c.view());
    let centroids = (0..zc.nrows())
        .map(|s| MapPoint {
            x: zc[[s, 0]],
            y: if zc.ncols() > 1 { zc[[s, 1]] } else { 0.0 },
            segment: Some(SegmentId(s)),
        })
        .collect();
    let v = (
        pca.explained.first().copied().unwrap_or(0.0),
        pca.explained.get(1).copied().unwrap_or(0.0),
    );
    Ok((map, centroids, v))
}

fn numbers_or_zero(run: &RunData, name: &str) -> Vec<f64> {
    column_f64(&run.features.table, name)
        .map(|v| v.into_iter().map(|x| x.unwrap_or(0.0)).collect())
        .unwrap_or_else(|_| vec![0.0; run.features.table.height()])
}

fn whale(run: &RunData, keys: &[SegmentKey]) -> Result<Whale> {
    let ids = feature_ids(run)?;
    let seg = segments_by_row(run, &ids)?;
    let profit = numbers_or_zero(run, "contribution_profit");
    let n = ids.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| profit[b].total_cmp(&profit[a]).then(ids[a].cmp(&ids[b])));
    let total: f64 = profit.iter().sum();
    let denom = if total.abs() > 0.0 { total.abs() } else { 1.0 };
    let flagged_seg = run
        .profiles
        .segments
        .iter()
        .find(|s| {
            s.flags
                .iter()
                .any(|f| f.kind() == FlagKind::LowProfitHighReturn)
        })
        .and_then(segment_index);
    let mut curve = vec![(0.0, 0.0)];
    let mut flagged = Vec::new();
    let step = n.div_ceil(500).max(1);
    let flagged_n = seg
        .iter()
        .filter(|s| **s == flagged_seg && s.is_some())
        .count();
    let fstep = flagged_n.div_ceil(500).max(1);
    let (mut acc, mut seen) = (0.0, 0usize);
    for (rank, &r) in order.iter().enumerate() {
        acc += profit[r];
        let point = ((rank + 1) as f64 / n as f64, acc / denom);
        if (rank + 1) % step == 0 || rank + 1 == n {
            curve.push(point);
        }
        if flagged_seg.is_some() && seg[r] == flagged_seg {
            if seen % fstep == 0 {
                flagged.push(point);
            }
            seen += 1;
        }
    }
    Ok(Whale {
        curve,
        flagged,
        flagged_key: flagged_seg.and_then(|s| keys.iter().find(|k| k.segment == Some(s)).cloned()),
    })
}

fn boxes(run: &RunData, keys: &[SegmentKey], lang: Lang) -> Result<Vec<BoxSet>> {
    let ids = feature_ids(run)?;
    let seg = segments_by_row(run, &ids)?;
    let mut out = Vec::new();
    for f in BOX_FEATURES {
        let Ok(values) = column_f64(&run.features.table, f) else {
            continue;
        };
        let is_numeric = run
            .features
            .specs
            .iter()
            .any(|s| s.name == f && s.kind != Kind::Categorical);
        if !is_numeric {
            continue;
        }
        let boxes = keys
            .iter()
            .filter_map(|key| {
                let v: Vec<f64> = values
                    .iter()
                    .zip(&seg)
                    .filter(|(_, s)| **s == key.segment)
                    .filter_map(|(v, _)| *v)
                    .collect();
                tukey(&v).map(|q| (key.clone(), q))
            })
            .collect();
        out.push(BoxSet {
            feature: feature_label(run, lang, f),
            boxes,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a place in the value-versus-reachability view means follows the segment's own
    /// actions: a valuable segment mostly inactive in the window is told to be won back only
    /// when its own rhythm says it is lapsing (`benches/unseen` beauty: occasional buyers with
    /// 137 days between orders, 31% active in 90 days, "keep in regular campaigns", were told
    /// "win them back now").
    #[test]
    fn the_quadrant_never_contradicts_the_segments_actions() {
        let regular = [Action::KeepRegular { feature: None }];
        assert_eq!(Quadrant::of(true, true, &regular), Quadrant::Protect);
        assert_eq!(Quadrant::of(true, false, &regular), Quadrant::KeepInTouch);
        assert_eq!(
            Quadrant::of(true, false, &[Action::WinBack]),
            Quadrant::WinBack
        );
        assert_eq!(
            Quadrant::of(true, false, &[Action::VipTreatment, Action::Reactivation]),
            Quadrant::WinBack
        );
        assert_eq!(Quadrant::of(false, true, &regular), Quadrant::Develop);
        // Low value and drifting: won back at low cost only, reachable in the window or not
        // (the hostile sports shop's "Occasional buyers", reactivated, were "develop").
        for r in [true, false] {
            assert_eq!(
                Quadrant::of(false, r, &[Action::Reactivation]),
                Quadrant::LowDrifting
            );
            assert_eq!(
                Quadrant::of(false, r, &[Action::WinBack]),
                Quadrant::LowDrifting
            );
        }
        // A churn risk by its own rhythm, though most were active in the window (the truth
        // bench's overlap6: "Recent joiners", win-back, were "protect and grow").
        assert_eq!(
            Quadrant::of(true, true, &[Action::WinBack]),
            Quadrant::WinBack
        );
        // Seasonal buyers out of season: the season campaign, valuable or not; but not those
        // who skipped the last season, reactivated first.
        let season = [Action::SeasonCampaign { weeks: None }];
        assert_eq!(Quadrant::of(true, false, &season), Quadrant::Season);
        assert_eq!(Quadrant::of(false, false, &season), Quadrant::Season);
        assert_eq!(Quadrant::of(true, true, &season), Quadrant::Protect);
        let skipped = [Action::Reactivation, Action::SeasonCampaign { weeks: None }];
        assert_eq!(Quadrant::of(true, false, &skipped), Quadrant::WinBack);
        assert_eq!(Quadrant::of(false, false, &skipped), Quadrant::LowDrifting);
        // Kept out of paid media for their returns, wherever they sit.
        for (v, r) in [(true, true), (false, true), (true, false), (false, false)] {
            assert_eq!(
                Quadrant::of(
                    v,
                    r,
                    &[
                        Action::ReviewSizingAndReturns,
                        Action::SuppressFromPaidMedia
                    ]
                ),
                Quadrant::Suppress
            );
        }
    }

    #[test]
    fn tukey_by_hand() {
        // Sorted 1..=9 and 100: Q1 = 3.25, median 5.5, Q3 = 7.75, IQR 4.5, fences
        // −3.5 and 14.5: the upper whisker stops at 9, 100 is an outlier.
        let v = [5.0, 1.0, 2.0, 3.0, 4.0, 100.0, 6.0, 7.0, 8.0, 9.0];
        assert_eq!(tukey(&v), Some([1.0, 3.25, 5.5, 7.75, 9.0]));
        assert_eq!(tukey(&[2.0]), Some([2.0; 5]));
        assert_eq!(tukey(&[]), None);
    }
}
