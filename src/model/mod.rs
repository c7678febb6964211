//! The domain types every stage shares: a customer's segment ([`SegmentId`]) and what a row
//! of a per-segment table stands for ([`SegmentLabel`]), the segments of a set of customers
//! ([`Assignment`]), the fitted segmentation ([`SegmentModel`]: its prepare transforms,
//! [`prepared`], its centroids and DBSCAN geometry; [`crate::cluster::assign`] places new
//! customers with it), the candidates ([`Algorithm`], [`CandidateSpec`]), the selection's facts
//! ([`selection`]) and a run's identity ([`RunId`]).
//!
//! The facts the stages hand on are here too: a segment's name ([`SegmentName`]), its
//! suggested actions ([`Action`]) and its flags ([`FlagKind`], [`FlagFacts`]) with the numbers
//! they rest on, the notes of a run and of a campaign ([`RunNote`], [`CampaignNote`],
//! [`HoldoutProblem`], [`SeedWarning`]). Only [`crate::i18n`] turns them into words, in every
//! language.
//!
//! This module imports no stage (a test checks it). Nothing here reads or writes files (the run
//! folder's files are [`crate::run`]'s) and nothing here sequences stages (that is
//! [`crate::pipeline`]'s).

pub mod prepared;
pub mod selection;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
pub use prepared::DropReason;
use prepared::PrepareModel;

/// Days before the reference date within which an order or a visit makes a customer
/// reachable (the report's value-versus-reachability view and its chart).
pub const ACTIVE_DAYS: f64 = 90.0;

/// How the run's count of customers adds up when a customers table is mapped: every customer
/// of every table is counted, so the customer file's own count and those without a row there
/// make the total (a header of 3,060 customers beside a customer file of 3,000 rows).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerCount {
    /// Customers of the run.
    pub total: usize,
    /// Customers of the customer file (its distinct ids, after the rows it skips).
    pub in_file: usize,
    /// Customers without a row in the customer file: `total − in_file`.
    pub without_row: usize,
    /// The tables they appear in, with how many of them each holds (a customer may be in
    /// several); empty for a run folder of an earlier version.
    pub by_table: Vec<(String, usize)>,
}

impl CustomerCount {
    /// The count of a run with `total` customers and these customers per table; `None`
    /// without a customers table or when every customer has a row there.
    pub fn of(total: usize, sources: &[SourceCount]) -> Option<CustomerCount> {
        let in_file = sources.iter().find(|s| s.table == "customers")?.customers;
        let without_row = total.checked_sub(in_file).filter(|m| *m > 0)?;
        let by_table = sources
            .iter()
            .filter_map(|s| Some((s.table.clone(), s.without_customer_row.filter(|k| *k > 0)?)))
            .collect();
        Some(CustomerCount {
            total,
            in_file,
            without_row,
            by_table,
        })
    }
}

/// A segment of a run: 0-based, numbered by size (largest first). Files and reports show it
/// 1-based ([`SegmentId::label`]); the customers no segment took have no id (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SegmentId(pub usize);

impl SegmentId {
    /// The label files and reports use: `1`, `2`, ...
    pub fn label(self) -> String {
        (self.0 + 1).to_string()
    }

    /// Reads a label (`"3"` → segment index 2); `None` for anything else (`unassigned`,
    /// `all`, `0`).
    pub fn from_label(label: &str) -> Option<SegmentId> {
        match label.trim().parse::<usize>() {
            Ok(n) if n >= 1 => Some(SegmentId(n - 1)),
            _ => None,
        }
    }

    /// The 0-based index.
    pub fn index(self) -> usize {
        self.0
    }
}

/// In files a segment id is its label, a number from 1.
impl Serialize for SegmentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_u64(self.0 as u64 + 1)
    }
}

impl<'de> Deserialize<'de> for SegmentId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        match u64::deserialize(d)? {
            0 => Err(serde::de::Error::custom("segment labels start at 1")),
            n => Ok(SegmentId(n as usize - 1)),
        }
    }
}

impl std::fmt::Display for SegmentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0 + 1)
    }
}

/// What a row of a per-segment table or list stands for, as the files write it: a segment
/// (`"1"`, `"2"`, ...), the customers no segment took (`"unassigned"`), all customers
/// (`"all"`, the base), or, in a migration between two runs, the customers only the later
/// run has (`"new"`) or only the earlier one (`"gone"`). Ordered in that order (segments by
/// number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SegmentLabel {
    /// A segment.
    Segment(SegmentId),
    /// The customers no segment took (DBSCAN's noise).
    Unassigned,
    /// All customers.
    All,
    /// In the later run only.
    New,
    /// In the earlier run only.
    Gone,
}

impl SegmentLabel {
    /// The label of a customer's segment: the segment's, or `unassigned`.
    pub fn of(segment: Option<SegmentId>) -> SegmentLabel {
        segment.map_or(SegmentLabel::Unassigned, SegmentLabel::Segment)
    }

    /// The segment, if the label is one.
    pub fn segment(self) -> Option<SegmentId> {
        match self {
            SegmentLabel::Segment(s) => Some(s),
            _ => None,
        }
    }

    /// Whether it is a segment (not the unassigned, the base, new or gone).
    pub fn is_segment(self) -> bool {
        matches!(self, SegmentLabel::Segment(_))
    }

    /// Reads a label exactly as [`SegmentLabel`]'s `Display` writes it (a number from 1
    /// without leading zeros, `unassigned`, `all`, `new`, `gone`); `None` for anything else.
    ///
    /// ```
    /// use segmint::model::{SegmentId, SegmentLabel};
    /// assert_eq!(SegmentLabel::parse("3"), Some(SegmentLabel::Segment(SegmentId(2))));
    /// assert_eq!(SegmentLabel::parse("unassigned"), Some(SegmentLabel::Unassigned));
    /// assert_eq!(SegmentLabel::parse("0"), None);
    /// assert_eq!(SegmentLabel::parse("03"), None);
    /// assert_eq!(SegmentLabel::Gone.to_string(), "gone");
    /// ```
    pub fn parse(label: &str) -> Option<SegmentLabel> {
        Some(match label {
            "unassigned" => SegmentLabel::Unassigned,
            "all" => SegmentLabel::All,
            "new" => SegmentLabel::New,
            "gone" => SegmentLabel::Gone,
            _ if !label.starts_with('0') && label.bytes().all(|b| b.is_ascii_digit()) => {
                SegmentLabel::Segment(SegmentId::from_label(label)?)
            }
            _ => return None,
        })
    }
}

impl std::fmt::Display for SegmentLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `pad`, so that widths and alignment (`{:>10}`) apply as to a string.
        match self {
            SegmentLabel::Segment(s) => f.pad(&s.to_string()),
            SegmentLabel::Unassigned => f.pad("unassigned"),
            SegmentLabel::All => f.pad("all"),
            SegmentLabel::New => f.pad("new"),
            SegmentLabel::Gone => f.pad("gone"),
        }
    }
}

/// In files a label is its text (`"1"`, `"unassigned"`, `"all"`, `"new"`, `"gone"`).
impl Serialize for SegmentLabel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SegmentLabel {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        SegmentLabel::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{text:?} is not a segment label (a number from 1, unassigned, all, new or gone)"
            ))
        })
    }
}

/// Segments of customers.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// Customer ids, in matrix row order.
    pub ids: Vec<String>,
    /// Segment (by size) or `None` when unassigned.
    pub segment: Vec<Option<SegmentId>>,
    /// Euclidean distance to the segment's centroid in the matrix space.
    pub distance: Vec<Option<f64>>,
    /// Centroid silhouette: (b − a) / max(a, b), a the distance to the own centroid and b to
    /// the nearest other centroid.
    pub silhouette: Vec<Option<f64>>,
}

impl Assignment {
    /// The segments as plain 0-based indices, for the cluster metrics.
    pub fn indices(&self) -> Vec<Option<usize>> {
        self.segment
            .iter()
            .map(|s| s.map(SegmentId::index))
            .collect()
    }

    /// The ids of segment `s`'s customers, in the assignment's order.
    pub fn members(&self, s: SegmentId) -> Vec<&str> {
        self.ids
            .iter()
            .zip(&self.segment)
            .filter(|(_, x)| **x == Some(s))
            .map(|(id, _)| id.as_str())
            .collect()
    }

    /// Each assigned customer's segment by id (`None`: unassigned): the customer→segment join
    /// for customers of another run, who may be missing here ([`Assignment::segments_of`]
    /// when they must all be here).
    pub fn by_id(&self) -> std::collections::HashMap<&str, Option<SegmentId>> {
        self.ids
            .iter()
            .map(String::as_str)
            .zip(self.segment.iter().copied())
            .collect()
    }

    /// The segment of every customer in `ids` (e.g. a feature table's rows, in its order):
    /// the customer→segment join every stage uses. Every id must be assigned, and every
    /// assigned customer must be in `ids`; otherwise the files come from different runs.
    pub fn segments_of<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<Option<SegmentId>>> {
        let of = self.by_id();
        let segment = ids
            .iter()
            .map(|id| {
                let id = id.as_ref();
                of.get(id).copied().ok_or_else(|| {
                    Error::Data(format!(
                        "customer {id:?} has features but no assignment: use the output folder of one discover run"
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if of.len() != ids.len() {
            return Err(Error::Data(format!(
                "{} customers are assigned but {} have features: use the output folder of one discover run",
                of.len(),
                ids.len()
            )));
        }
        Ok(segment)
    }
}

/// Whether a feature is high or low in a segment, against all customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Above the base (lift ≥ 0).
    High,
    /// Below the base.
    Low,
}

impl Direction {
    /// The direction of a standardised lift (a missing lift counts as 0, i.e. high).
    pub fn of_lift(lift: Option<f64>) -> Direction {
        if lift.unwrap_or(0.0) >= 0.0 {
            Direction::High
        } else {
            Direction::Low
        }
    }
}

/// What a segment's name says: the rule that named it ([`crate::profile`]'s naming rules),
/// the phrase for its most distinguishing feature, or that feature itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    /// The base.
    AllCustomers,
    /// A segment known only by its number (`Segment 3`, with [`Qualifier::Segment`]), when
    /// a run has no names.
    Numbered,
    /// The customers DBSCAN left as noise.
    Unassigned,
    /// Few orders, much browsing.
    BrowsersRarelyBuy,
    /// High return rate.
    SerialReturners,
    /// Short tenure.
    NewCustomers,
    /// Long since the last order.
    Lapsed,
    /// Orders in November–December.
    SeasonalBuyers,
    /// Discounted orders, fewer orders than the base.
    DiscountDrivenOccasionals,
    /// Discounted orders.
    DealSeekers,
    /// High frequency and revenue.
    LoyalHighSpenders,
    /// High frequency.
    FrequentBuyers,
    /// Few orders.
    OccasionalBuyers,
    /// Nothing stands out.
    AverageCustomers,
    /// Low recency.
    RecentBuyers,
    /// High recency.
    LongInactive,
    /// Low frequency.
    OneTimeBuyers,
    /// High revenue, margin or profit.
    HighSpenders,
    /// Low revenue, margin or profit.
    LowSpenders,
    /// High average order value.
    BigBaskets,
    /// Low average order value.
    SmallBaskets,
    /// Long tenure.
    LongStandingCustomers,
    /// Short tenure (as the most distinguishing feature).
    RecentJoiners,
    /// High returns (as the most distinguishing feature).
    FrequentReturners,
    /// Low returns (as the most distinguishing feature), in a shop with returns.
    RareReturners,
    /// Much browsing.
    HeavyBrowsers,
    /// "High …" / "Low …" with a catalog feature's label.
    Feature {
        /// Catalog feature id.
        feature: String,
        /// High or low.
        direction: Direction,
    },
    /// A name given as it is, in every language (a segments.json written without name parts,
    /// e.g. by an earlier segmint or by hand).
    Given(String),
}

impl NameKind {
    /// Every kind (a feature kind and a given name with empty texts), for tests that every
    /// kind has a text in every language.
    pub const ALL: &'static [NameKind] = &[
        NameKind::AllCustomers,
        NameKind::Unassigned,
        NameKind::BrowsersRarelyBuy,
        NameKind::SerialReturners,
        NameKind::NewCustomers,
        NameKind::Lapsed,
        NameKind::SeasonalBuyers,
        NameKind::DiscountDrivenOccasionals,
        NameKind::DealSeekers,
        NameKind::LoyalHighSpenders,
        NameKind::FrequentBuyers,
        NameKind::OccasionalBuyers,
        NameKind::AverageCustomers,
        NameKind::RecentBuyers,
        NameKind::LongInactive,
        NameKind::OneTimeBuyers,
        NameKind::HighSpenders,
        NameKind::LowSpenders,
        NameKind::BigBaskets,
        NameKind::SmallBaskets,
        NameKind::LongStandingCustomers,
        NameKind::RecentJoiners,
        NameKind::FrequentReturners,
        NameKind::RareReturners,
        NameKind::HeavyBrowsers,
        NameKind::Feature {
            feature: String::new(),
            direction: Direction::High,
        },
        NameKind::Given(String::new()),
        NameKind::Numbered,
    ];
}

/// What makes a name unique within a run when another segment already has it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// ", high …" / ", low …" with a catalog feature's label.
    Feature {
        /// Catalog feature id.
        feature: String,
        /// High or low.
        direction: Direction,
    },
    /// The segment's label (`Lapsed 3`).
    Segment(SegmentId),
}

/// A segment's name as facts: what it says and what makes it unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SegmentName {
    /// What the name says.
    pub kind: NameKind,
    /// What makes it unique, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<Qualifier>,
}

impl SegmentName {
    /// A name of `kind` without qualifiers.
    pub fn new(kind: NameKind) -> SegmentName {
        SegmentName {
            kind,
            qualifiers: Vec::new(),
        }
    }

    /// The name of a row that has none in the run: "Segment N" for segment N, the unassigned
    /// and all customers by their kinds (`new` and `gone` are never named: their label).
    pub fn of(label: SegmentLabel) -> SegmentName {
        match label {
            SegmentLabel::Segment(id) => {
                SegmentName::new(NameKind::Numbered).with(Qualifier::Segment(id))
            }
            SegmentLabel::Unassigned => SegmentName::new(NameKind::Unassigned),
            SegmentLabel::All => SegmentName::new(NameKind::AllCustomers),
            SegmentLabel::New | SegmentLabel::Gone => {
                SegmentName::new(NameKind::Given(label.to_string()))
            }
        }
    }

    /// `self` with one more qualifier.
    pub fn with(&self, q: Qualifier) -> SegmentName {
        let mut n = self.clone();
        n.qualifiers.push(q);
        n
    }
}

/// What a segment's first suggested action could bring, sized from the segment's own numbers
/// under a stated assumption (the share that responds, the discount not given, ...), for
/// [`crate::i18n`] to word with that assumption. Values are revenue or profit before the
/// campaign's costs, in the run's currency, unrounded (the words round them).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Opportunity {
    /// VIP treatment: `share` more of their revenue after returns kept.
    KeepMore {
        /// Assumed share kept in addition.
        share: f64,
        /// Their revenue after returns over the period of the data.
        kept_revenue: f64,
        /// `share × kept_revenue`.
        value: f64,
    },
    /// Reactivation: `share` of the lapsed buyers back for one order at the segment's average
    /// order value (the one its card shows; the lapsed buyers are most of the segment).
    Reactivate {
        /// Lapsed buyers.
        customers: usize,
        /// Days without an order from which a buyer counts as lapsed.
        days: f64,
        /// Assumed share that responds.
        share: f64,
        /// The segment's average order value.
        aov: f64,
        /// `share × customers × aov`.
        value: f64,
    },
    /// Win-back: `share` of the customers one more order at the segment's average order value.
    WinBack {
        /// Customers of the segment.
        customers: usize,
        /// Assumed share that responds.
        share: f64,
        /// The segment's average order value.
        aov: f64,
        /// `share × customers × aov`.
        value: f64,
    },
    /// Onboarding: `share` of the customers with one order so far a second order at the
    /// segment's average order value.
    SecondOrder {
        /// Customers of the segment with exactly one order.
        customers: usize,
        /// Assumed share that responds.
        share: f64,
        /// The segment's average order value.
        aov: f64,
        /// `share × customers × aov`.
        value: f64,
    },
    /// Retargeting: `share` of the customers one order at the shop's average order value
    /// (theirs rests on too few orders).
    Convert {
        /// Customers of the segment.
        customers: usize,
        /// Assumed share that converts.
        share: f64,
        /// All customers' average order value.
        aov: f64,
        /// `share × customers × aov`.
        value: f64,
    },
    /// Fewer discounts: `share` of the discount they got not given, no order lost.
    LessDiscount {
        /// Discount given over the period of the data, estimated from their revenue, their
        /// share of discounted orders and the mean discount depth.
        discount: f64,
        /// Assumed share of it not given.
        share: f64,
        /// `share × discount` (profit).
        value: f64,
    },
    /// The season campaign: `share` more orders in November–December at the segment's average
    /// order value.
    SeasonOrders {
        /// Their orders in one November–December season (each customer's orders in the season
        /// over the seasons since their first order, summed).
        orders: f64,
        /// Assumed share more.
        share: f64,
        /// The segment's average order value.
        aov: f64,
        /// `share × orders × aov`.
        value: f64,
    },
    /// Fewer returns: the profit if their return rate fell to that of the other customers (the
    /// low-profit flag's upper bound).
    FewerReturns {
        /// Profit over the period of the data.
        value: f64,
    },
    /// Not sized: find out first how much of the traffic is people.
    NotSizedBots,
    /// Not sized: no campaign of its own.
    NotSizedRegular,
    /// Not sized: a list of customers to leave out ([`Action::ExcludeReturners`]).
    NotSizedExclusion,
}

impl Opportunity {
    /// The size, `None` for what is not sized.
    pub fn value(&self) -> Option<f64> {
        match *self {
            Opportunity::KeepMore { value, .. }
            | Opportunity::Reactivate { value, .. }
            | Opportunity::WinBack { value, .. }
            | Opportunity::SecondOrder { value, .. }
            | Opportunity::Convert { value, .. }
            | Opportunity::LessDiscount { value, .. }
            | Opportunity::SeasonOrders { value, .. }
            | Opportunity::FewerReturns { value } => Some(value),
            Opportunity::NotSizedBots
            | Opportunity::NotSizedRegular
            | Opportunity::NotSizedExclusion => None,
        }
    }

    /// What the size is an amount of: revenue before returns (orders at an average order
    /// value, which is before returns), revenue after returns (the VIP treatment's share kept)
    /// or profit (discount not given, fewer returns); `None` for what is not sized.
    pub fn measure(&self) -> Option<Measure> {
        match self {
            Opportunity::KeepMore { .. } => Some(Measure::RevenueAfterReturns),
            Opportunity::Reactivate { .. }
            | Opportunity::WinBack { .. }
            | Opportunity::SecondOrder { .. }
            | Opportunity::Convert { .. }
            | Opportunity::SeasonOrders { .. } => Some(Measure::RevenueBeforeReturns),
            Opportunity::LessDiscount { .. } | Opportunity::FewerReturns { .. } => {
                Some(Measure::Profit)
            }
            Opportunity::NotSizedBots
            | Opportunity::NotSizedRegular
            | Opportunity::NotSizedExclusion => None,
        }
    }
}

/// What the size of an [`Opportunity`] is an amount of, so that a column of sizes never
/// mixes revenue and profit unsaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Revenue before returns.
    RevenueBeforeReturns,
    /// Revenue after returns.
    RevenueAfterReturns,
    /// Profit.
    Profit,
}

/// A suggested action for a segment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Low profit, high returns: keep them out of paid media and lookalike seeds.
    SuppressFromPaidMedia,
    /// High returns (with or without low profit): sizing guidance and return policy.
    ReviewSizingAndReturns,
    /// The most valuable segment.
    VipTreatment,
    /// Flagged serial returners inside a segment that is not high-return as a whole: leave
    /// them out of its offers and perks (they are listed in flagged_customers).
    ExcludeReturners {
        /// Flagged customers in the segment.
        customers: usize,
    },
    /// Lapsed.
    Reactivation,
    /// Churn risk.
    WinBack,
    /// Discount dependence.
    LimitDiscounts,
    /// New customers.
    Onboarding,
    /// Browsers who rarely buy.
    Retarget,
    /// Most orders fall in November–December: the Christmas campaign. `weeks` until the
    /// season (1 November) when it is at most a quarter away, `Some(0)` while it is under
    /// way, `None` when it is further away.
    SeasonCampaign {
        /// Weeks from the reference date to 1 November.
        weeks: Option<u32>,
    },
    /// Browsing with almost no orders and far more sessions than the average customer: check
    /// for bots before spending on retargeting.
    CheckForBots {
        /// Sessions per customer over the other customers', rounded.
        sessions_ratio: u32,
    },
    /// Nothing else applies: regular campaigns, leaning on the most distinguishing feature
    /// (a catalog feature id; `None` when nothing stands out).
    KeepRegular {
        /// Catalog feature id.
        feature: Option<String>,
    },
}

impl Action {
    /// Every action (the regular one with and without a feature).
    pub const ALL: &'static [Action] = &[
        Action::SuppressFromPaidMedia,
        Action::ReviewSizingAndReturns,
        Action::VipTreatment,
        Action::ExcludeReturners { customers: 120 },
        Action::Reactivation,
        Action::WinBack,
        Action::LimitDiscounts,
        Action::Onboarding,
        Action::Retarget,
        Action::SeasonCampaign { weeks: Some(6) },
        Action::SeasonCampaign { weeks: Some(0) },
        Action::SeasonCampaign { weeks: None },
        Action::CheckForBots { sessions_ratio: 8 },
        Action::KeepRegular { feature: None },
        Action::KeepRegular {
            feature: Some(String::new()),
        },
    ];
}

/// What a flag on a segment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    /// A low profit margin and a high return rate.
    LowProfitHighReturn,
    /// The most valuable segment.
    Vip,
    /// Far longer since the last order than their usual time between orders.
    ChurnRisk,
    /// Most orders discounted.
    DiscountDependent,
    /// Not high-return as a whole, but a large share of its customers are flagged serial
    /// returners (customer by customer), far more than in the shop as a whole.
    HiddenReturners,
    /// A return rate far above the other customers' in a segment not flagged
    /// [`FlagKind::LowProfitHighReturn`] (profitable, or under that flag's return rate): the
    /// returns are worth tackling, the customers not to be suppressed.
    HighReturns,
}

impl FlagKind {
    /// Every kind.
    pub const ALL: [FlagKind; 6] = [
        FlagKind::LowProfitHighReturn,
        FlagKind::Vip,
        FlagKind::ChurnRisk,
        FlagKind::DiscountDependent,
        FlagKind::HiddenReturners,
        FlagKind::HighReturns,
    ];

    /// The id files use (`low_profit_high_return`, `vip`, ...), the same as its serde name.
    pub fn id(self) -> &'static str {
        match self {
            FlagKind::LowProfitHighReturn => "low_profit_high_return",
            FlagKind::Vip => "vip",
            FlagKind::ChurnRisk => "churn_risk",
            FlagKind::DiscountDependent => "discount_dependent",
            FlagKind::HiddenReturners => "hidden_returners",
            FlagKind::HighReturns => "high_returns",
        }
    }
}

impl std::fmt::Display for FlagKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// A flag and the numbers it rests on (in segments.json: `"kind"` and the numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FlagFacts {
    /// [`FlagKind::LowProfitHighReturn`].
    LowProfitHighReturn {
        /// Share of customers.
        share: f64,
        /// Share of revenue before returns.
        revenue_share: f64,
        /// Share of the revenue kept after returns (revenue − refunds).
        #[serde(default)]
        kept_revenue_share: f64,
        /// Share of all refunds.
        #[serde(default)]
        refund_share: f64,
        /// Share of profit.
        profit_share: f64,
        /// Return rate by value.
        return_rate: f64,
        /// Return rate by value of the other customers (the segment itself left out).
        base_return_rate: f64,
        /// At most this much more profit over the period of the data if the return rate fell
        /// to that of the other customers and they kept buying as much (an upper bound).
        impact_profit: f64,
        /// Paid-media spend on the segment per year, when a cost per customer is configured.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        media_spend_at_risk: Option<f64>,
    },
    /// [`FlagKind::Vip`].
    Vip {
        /// Share of customers.
        share: f64,
        /// Share of profit.
        profit_share: f64,
    },
    /// [`FlagKind::ChurnRisk`].
    ChurnRisk {
        /// Median days since the last order.
        recency_days: f64,
        /// Median days between orders: the segment's, or the shop's when `shop_gap`.
        interpurchase_days: f64,
        /// Most of the segment has ordered once: the yardstick is the shop's usual time
        /// between orders, not the segment's own.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        shop_gap: bool,
    },
    /// [`FlagKind::DiscountDependent`].
    DiscountDependent {
        /// Mean share of orders with a discount.
        discount_order_share: f64,
    },
    /// [`FlagKind::HiddenReturners`].
    HiddenReturners {
        /// Flagged customers in the segment.
        customers: usize,
        /// Their share of the segment's customers.
        share: f64,
        /// Flagged customers' share of the other customers (the rate it is compared with).
        base_share: f64,
        /// Their return rate by value.
        return_rate: f64,
        /// The return rate by value of the segment's other customers.
        others_return_rate: f64,
        /// Their share of the segment's refunds.
        refund_share: f64,
    },
    /// [`FlagKind::HighReturns`].
    HighReturns {
        /// Share of customers.
        share: f64,
        /// Share of the revenue kept after returns (revenue − refunds).
        kept_revenue_share: f64,
        /// Share of all refunds.
        refund_share: f64,
        /// Share of profit.
        profit_share: f64,
        /// Return rate by value.
        return_rate: f64,
        /// Return rate by value of the other customers (the segment itself left out).
        base_return_rate: f64,
        /// At most this much more profit over the period of the data if the return rate fell
        /// to that of the other customers and they kept buying as much (an upper bound).
        impact_profit: f64,
    },
}

impl FlagFacts {
    /// What the flag says.
    pub fn kind(&self) -> FlagKind {
        match self {
            FlagFacts::LowProfitHighReturn { .. } => FlagKind::LowProfitHighReturn,
            FlagFacts::Vip { .. } => FlagKind::Vip,
            FlagFacts::ChurnRisk { .. } => FlagKind::ChurnRisk,
            FlagFacts::DiscountDependent { .. } => FlagKind::DiscountDependent,
            FlagFacts::HiddenReturners { .. } => FlagKind::HiddenReturners,
            FlagFacts::HighReturns { .. } => FlagKind::HighReturns,
        }
    }

    /// Profit recovered at the base return rate (the two flags of a segment's own returns).
    pub fn impact_profit(&self) -> Option<f64> {
        match self {
            FlagFacts::LowProfitHighReturn { impact_profit, .. }
            | FlagFacts::HighReturns { impact_profit, .. } => Some(*impact_profit),
            _ => None,
        }
    }

    /// One example of every kind (numbers 0), for tests that every kind has its texts.
    pub fn examples() -> [FlagFacts; 6] {
        FlagKind::ALL.map(|k| match k {
            FlagKind::LowProfitHighReturn => FlagFacts::LowProfitHighReturn {
                share: 0.0,
                revenue_share: 0.0,
                kept_revenue_share: 0.0,
                refund_share: 0.0,
                profit_share: 0.0,
                return_rate: 0.0,
                base_return_rate: 0.0,
                impact_profit: 0.0,
                media_spend_at_risk: Some(0.0),
            },
            FlagKind::Vip => FlagFacts::Vip {
                share: 0.0,
                profit_share: 0.0,
            },
            FlagKind::ChurnRisk => FlagFacts::ChurnRisk {
                recency_days: 0.0,
                interpurchase_days: 1.0,
                shop_gap: true,
            },
            FlagKind::DiscountDependent => FlagFacts::DiscountDependent {
                discount_order_share: 0.0,
            },
            FlagKind::HiddenReturners => FlagFacts::HiddenReturners {
                customers: 0,
                share: 0.0,
                base_share: 0.0,
                return_rate: 0.0,
                others_return_rate: 0.0,
                refund_share: 0.0,
            },
            FlagKind::HighReturns => FlagFacts::HighReturns {
                share: 0.0,
                kept_revenue_share: 0.0,
                refund_share: 0.0,
                profit_share: 0.0,
                return_rate: 0.0,
                base_return_rate: 0.0,
                impact_profit: 0.0,
            },
        })
    }
}

/// A segment's one-line description as facts: its shares, how it orders, how long since its
/// last order and how much it returns (in segments.json: `description_facts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DescriptionFacts {
    /// Share of all customers.
    pub share: f64,
    /// Share of the base's net revenue.
    pub revenue_share: f64,
    /// Share of the base's profit.
    pub profit_share: f64,
    /// How the segment orders.
    pub orders: OrderPattern,
    /// Median days since the last order.
    pub recency_days: Option<f64>,
    /// Return rate by value.
    pub return_rate_value: Option<f64>,
    /// Share of the base's revenue after returns (net revenue − refunds); absent in files of
    /// earlier segmint versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_revenue_share: Option<f64>,
    /// Revenue after returns per customer, in the data's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_per_customer: Option<f64>,
}

/// A share in a segment against the same share among all customers (a level's share of the
/// customers, a category's share of spend, a channel's share of orders).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareOf {
    /// The level, category or channel, as the data write it.
    pub level: String,
    /// Its share in the segment.
    pub share: f64,
    /// Its share among all customers.
    pub base: f64,
}

/// One thing a segment's persona card says about who its customers are, as facts against
/// all customers (in segments.json: `persona`, tagged by `"kind"`). Each rests on a source
/// of the mapping; a source that is not mapped gives no fact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PersonaFact {
    /// Their mean age (years) against all customers'.
    Age {
        /// The segment's mean age.
        mean: f64,
        /// All customers' mean age.
        base: f64,
    },
    /// A level of a customer feature (gender, country, region, a customer attribute) more
    /// common in the segment than among all customers.
    Level {
        /// The feature (`gender`, `region`, `attr_<name>`, ...).
        feature: String,
        /// The level and its shares of customers.
        level: ShareOf,
    },
    /// Where they live: the largest regions (else countries) of the segment with their shares
    /// against all customers'; no levels when they are spread like all customers.
    Geography {
        /// `region` or `country`.
        feature: String,
        /// The two or three largest levels of the segment, the largest first (empty when
        /// they are spread like all customers).
        levels: Vec<ShareOf>,
    },
    /// Categories that take a larger share of their spend than of all customers'.
    Bought {
        /// The categories and their mean shares of spend.
        levels: Vec<ShareOf>,
    },
    /// Categories that take a larger share of their product views than of all customers'.
    Viewed {
        /// The categories and their mean shares of views.
        levels: Vec<ShareOf>,
    },
    /// Sales channels that take a larger share of their orders than of all customers'.
    Channels {
        /// The channels and their mean shares of orders.
        levels: Vec<ShareOf>,
    },
    /// A survey item or factor on which the segment answers differently from all customers.
    Survey {
        /// The feature (`survey_<item>` or `factor_<name>`).
        feature: String,
        /// The segment's mean answer.
        mean: f64,
        /// All customers' mean answer.
        base: f64,
        /// Customers of the segment who answered.
        n: usize,
        /// The answer scale: the mapping's, else the lowest and highest answer given.
        scale: [f64; 2],
        /// Higher (true) or lower than all customers.
        higher: bool,
        /// The difference is at least [`PersonaFact::CLEARLY`] standard deviations.
        clearly: bool,
    },
}

impl PersonaFact {
    /// Standardised difference from which a survey answer differs "clearly".
    pub const CLEARLY: f64 = 0.8;

    /// One fact of every kind (both directions where there are two), for tests that every
    /// fact has its texts.
    pub fn examples() -> Vec<PersonaFact> {
        let share = |level: &str, share, base| ShareOf {
            level: level.into(),
            share,
            base,
        };
        let survey = |higher, clearly| PersonaFact::Survey {
            feature: "survey_q_price".into(),
            mean: if higher { 4.1 } else { 2.2 },
            base: 3.2,
            n: 212,
            scale: [1.0, 5.0],
            higher,
            clearly,
        };
        vec![
            PersonaFact::Age {
                mean: 47.2,
                base: 39.0,
            },
            PersonaFact::Age {
                mean: 29.0,
                base: 39.0,
            },
            PersonaFact::Level {
                feature: "gender".into(),
                level: share("female", 0.7, 0.51),
            },
            PersonaFact::Level {
                feature: "gender".into(),
                level: share("male", 0.62, 0.47),
            },
            PersonaFact::Level {
                feature: "attr_marital".into(),
                level: share("Married", 0.55, 0.4),
            },
            PersonaFact::Level {
                feature: "region".into(),
                level: share("Oslo", 0.25, 0.11),
            },
            PersonaFact::Bought {
                levels: vec![share("shoes", 0.42, 0.14), share("bags", 0.2, 0.1)],
            },
            PersonaFact::Viewed {
                levels: vec![share("shoes", 0.31, 0.09)],
            },
            PersonaFact::Channels {
                levels: vec![share("app", 0.6, 0.3)],
            },
            survey(true, true),
            survey(true, false),
            survey(false, true),
            survey(false, false),
            PersonaFact::Geography {
                feature: "region".into(),
                levels: vec![share("Oslo", 0.34, 0.21), share("Vestland", 0.2, 0.18)],
            },
            PersonaFact::Geography {
                feature: "region".into(),
                levels: vec![],
            },
            PersonaFact::Geography {
                feature: "country".into(),
                levels: vec![],
            },
        ]
    }
}

/// How a segment orders, for its description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OrderPattern {
    /// Under 0.05 orders per customer: they browse (mean sessions, when there are events).
    AlmostNone {
        /// Mean sessions per customer.
        sessions: Option<f64>,
    },
    /// At least 1.5 orders per customer, with a median time between orders.
    Regular {
        /// Mean orders per customer.
        frequency: f64,
        /// Median days between orders.
        interpurchase_days: f64,
    },
    /// Orders per customer, without a time between orders.
    Orders {
        /// Mean orders per customer.
        frequency: f64,
    },
}

impl DescriptionFacts {
    /// Examples with every order pattern (and with and without the optional numbers), for
    /// tests that every fact has its texts.
    pub fn examples() -> [DescriptionFacts; 4] {
        let with = |orders| DescriptionFacts {
            share: 0.12,
            revenue_share: 0.3,
            profit_share: 0.25,
            orders,
            recency_days: Some(120.0),
            return_rate_value: Some(0.08),
            kept_revenue_share: None,
            kept_per_customer: None,
        };
        [
            with(OrderPattern::AlmostNone {
                sessions: Some(7.0),
            }),
            DescriptionFacts {
                recency_days: None,
                return_rate_value: None,
                ..with(OrderPattern::AlmostNone { sessions: None })
            },
            with(OrderPattern::Regular {
                frequency: 3.1,
                interpurchase_days: 40.0,
            }),
            DescriptionFacts {
                kept_revenue_share: Some(0.05),
                kept_per_customer: Some(1234.0),
                ..with(OrderPattern::Orders { frequency: 1.2 })
            },
        ]
    }
}

/// Why a customer is flagged (in segments.json: `"kind"` and the numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum CustomerFlag {
    /// Returns at least the configured share of what they buy by value, over at least the
    /// configured number of orders.
    HighReturns {
        /// The customer's return rate by value.
        return_rate: f64,
        /// The customer's orders.
        orders: f64,
        /// The configured return rate (`customer_return_rate`).
        threshold: f64,
        /// The configured least number of orders (`customer_min_orders`).
        min_orders: usize,
    },
}

impl CustomerFlag {
    /// One example of every kind, for tests that every kind has its texts.
    pub fn examples() -> [CustomerFlag; 1] {
        [CustomerFlag::HighReturns {
            return_rate: 0.8,
            orders: 4.0,
            threshold: 2.0 / 3.0,
            min_orders: 3,
        }]
    }
}

/// Why ingest left rows of a table out (in manifest.json: the snake-case id, with the English
/// words [`crate::i18n`] writes from it beside).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// An order line without a customer id (e.g. a guest checkout).
    GuestCheckout,
    /// An event without a customer id (an anonymous visitor).
    AnonymousVisitor,
    /// A survey answer or customer row without a customer id.
    NoCustomerId,
    /// An event without a session id.
    NoSessionId,
    /// An order line with quantity 0.
    ZeroQuantity,
    /// A return line with returned quantity 0.
    ZeroReturnedQuantity,
    /// Dated after the reference date (`as_of`).
    AfterAsOf,
    /// A customer first seen after the reference date (`as_of`).
    CustomerAfterAsOf,
    /// A product row without a product id.
    NoProductId,
    /// A return whose order id is in no order.
    ReturnWithoutOrder,
    /// A return whose order id and product id are on no order line.
    ReturnWithoutOrderLine,
}

impl SkipReason {
    /// Every reason.
    pub const ALL: [SkipReason; 11] = [
        SkipReason::GuestCheckout,
        SkipReason::AnonymousVisitor,
        SkipReason::NoCustomerId,
        SkipReason::NoSessionId,
        SkipReason::ZeroQuantity,
        SkipReason::ZeroReturnedQuantity,
        SkipReason::AfterAsOf,
        SkipReason::CustomerAfterAsOf,
        SkipReason::NoProductId,
        SkipReason::ReturnWithoutOrder,
        SkipReason::ReturnWithoutOrderLine,
    ];

    /// Whether the rows are returns with no matching order (the join coverage of `check`).
    pub fn is_unmatched_return(self) -> bool {
        matches!(
            self,
            SkipReason::ReturnWithoutOrder | SkipReason::ReturnWithoutOrderLine
        )
    }
}

/// The model file (`model.json`): features, transforms and the segment geometry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentModel {
    /// segmint version that wrote it.
    pub segmint_version: String,
    /// The chosen candidate.
    pub candidate: String,
    /// Algorithm.
    pub algorithm: String,
    /// Number of segments.
    pub k: usize,
    /// Seed of the run.
    pub seed: u64,
    /// Matrix columns.
    pub columns: Vec<String>,
    /// The prepare transforms (features → matrix).
    pub prepare: PrepareModel,
    /// Centroid of each segment in the matrix space (row = segment id).
    pub centroids: Vec<Vec<f64>>,
    /// DBSCAN only: how to place new customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dbscan: Option<DbscanGeometry>,
}

/// DBSCAN's geometry: a new customer joins the segment of the nearest core row within eps
/// (in principal-component space), else stays unassigned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbscanGeometry {
    /// Projection.
    pub pca: Pca,
    /// Radius.
    pub eps: f64,
    /// min_samples.
    pub min_samples: usize,
    /// Core rows in principal-component space.
    pub core_points: Vec<Vec<f64>>,
    /// Segment of each core row.
    pub core_segments: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segment_labels_order_by_number_then_the_rest_and_keep_their_text_in_files() {
        use SegmentLabel::*;
        let mut v = vec![
            Gone,
            Segment(SegmentId(9)),
            New,
            All,
            Unassigned,
            Segment(SegmentId(1)),
        ];
        v.sort();
        assert_eq!(
            v,
            [
                Segment(SegmentId(1)),
                Segment(SegmentId(9)),
                Unassigned,
                All,
                New,
                Gone
            ]
        );
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"["2","10","unassigned","all","new","gone"]"#);
        let back: Vec<SegmentLabel> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, v);
        for bad in [
            r#""0""#, r#""x""#, r#""-1""#, r#""""#, r#""03""#, r#""+3""#, r#"" 3""#,
        ] {
            assert!(serde_json::from_str::<SegmentLabel>(bad).is_err(), "{bad}");
        }
        assert_eq!(SegmentLabel::of(None), Unassigned);
        assert_eq!(SegmentLabel::of(Some(SegmentId(0))).to_string(), "1");
        assert_eq!(
            format!("[{:>4}|{:<11}]", Segment(SegmentId(2)), Unassigned),
            "[   3|unassigned ]"
        );
    }

    /// The `ALL` lists hold every variant, so the tests that every fact has its texts in
    /// every language (`i18n`) see every one. A new variant does not compile here until it
    /// has a slot, and this test fails until its list has it.
    #[test]
    fn all_lists_hold_every_variant() {
        use std::collections::BTreeSet;
        let name_slot = |k: &NameKind| match k {
            NameKind::AllCustomers => 0,
            NameKind::Unassigned => 1,
            NameKind::BrowsersRarelyBuy => 2,
            NameKind::SerialReturners => 3,
            NameKind::NewCustomers => 4,
            NameKind::Lapsed => 5,
            NameKind::SeasonalBuyers => 6,
            NameKind::DiscountDrivenOccasionals => 7,
            NameKind::DealSeekers => 8,
            NameKind::LoyalHighSpenders => 9,
            NameKind::FrequentBuyers => 10,
            NameKind::OccasionalBuyers => 11,
            NameKind::AverageCustomers => 12,
            NameKind::RecentBuyers => 13,
            NameKind::LongInactive => 14,
            NameKind::OneTimeBuyers => 15,
            NameKind::HighSpenders => 16,
            NameKind::LowSpenders => 17,
            NameKind::BigBaskets => 18,
            NameKind::SmallBaskets => 19,
            NameKind::LongStandingCustomers => 20,
            NameKind::RecentJoiners => 21,
            NameKind::FrequentReturners => 22,
            NameKind::HeavyBrowsers => 23,
            NameKind::Feature { .. } => 24,
            NameKind::Given(_) => 25,
            NameKind::Numbered => 26,
            NameKind::RareReturners => 27,
        };
        let slots: BTreeSet<usize> = NameKind::ALL.iter().map(name_slot).collect();
        assert_eq!(slots, (0..28).collect());
        let action_slot = |a: &Action| match a {
            Action::SuppressFromPaidMedia => 0,
            Action::ReviewSizingAndReturns => 1,
            Action::VipTreatment => 2,
            Action::Reactivation => 3,
            Action::WinBack => 4,
            Action::LimitDiscounts => 5,
            Action::Onboarding => 6,
            Action::Retarget => 7,
            Action::KeepRegular { .. } => 8,
            Action::SeasonCampaign { .. } => 9,
            Action::CheckForBots { .. } => 10,
            Action::ExcludeReturners { .. } => 11,
        };
        let slots: BTreeSet<usize> = Action::ALL.iter().map(action_slot).collect();
        assert_eq!(slots, (0..12).collect());
        let flag_slot = |k: FlagKind| match k {
            FlagKind::LowProfitHighReturn => 0,
            FlagKind::Vip => 1,
            FlagKind::ChurnRisk => 2,
            FlagKind::DiscountDependent => 3,
            FlagKind::HiddenReturners => 4,
            FlagKind::HighReturns => 5,
        };
        let slots: BTreeSet<usize> = FlagKind::ALL.into_iter().map(flag_slot).collect();
        assert_eq!(slots, (0..6).collect());
        let kinds: Vec<FlagKind> = FlagFacts::examples().iter().map(FlagFacts::kind).collect();
        assert_eq!(kinds, FlagKind::ALL);
        let skip_slot = |r: SkipReason| match r {
            SkipReason::GuestCheckout => 0,
            SkipReason::AnonymousVisitor => 1,
            SkipReason::NoCustomerId => 2,
            SkipReason::NoSessionId => 3,
            SkipReason::ZeroQuantity => 4,
            SkipReason::ZeroReturnedQuantity => 5,
            SkipReason::AfterAsOf => 6,
            SkipReason::CustomerAfterAsOf => 7,
            SkipReason::NoProductId => 8,
            SkipReason::ReturnWithoutOrder => 9,
            SkipReason::ReturnWithoutOrderLine => 10,
        };
        let slots: BTreeSet<usize> = SkipReason::ALL.into_iter().map(skip_slot).collect();
        assert_eq!(slots, (0..11).collect());
    }

    /// Facts read back as written; a segment id is its label in files.
    #[test]
    fn facts_round_trip_through_json() {
        let name = SegmentName::new(NameKind::Lapsed)
            .with(Qualifier::Feature {
                feature: "aov".into(),
                direction: Direction::Low,
            })
            .with(Qualifier::Segment(SegmentId(2)));
        let text = serde_json::to_string(&name).unwrap();
        assert_eq!(
            text,
            r#"{"kind":"lapsed","qualifiers":[{"feature":{"feature":"aov","direction":"low"}},{"segment":3}]}"#
        );
        assert_eq!(serde_json::from_str::<SegmentName>(&text).unwrap(), name);
        let text = serde_json::to_string(&DescriptionFacts::examples()[2]).unwrap();
        assert_eq!(
            text,
            r#"{"share":0.12,"revenue_share":0.3,"profit_share":0.25,"orders":{"kind":"regular","frequency":3.1,"interpurchase_days":40.0},"recency_days":120.0,"return_rate_value":0.08}"#
        );
        for facts in DescriptionFacts::examples() {
            let text = serde_json::to_string(&facts).unwrap();
            assert_eq!(
                serde_json::from_str::<DescriptionFacts>(&text).unwrap(),
                facts
            );
        }
        for flag in CustomerFlag::examples() {
            let text = serde_json::to_string(&flag).unwrap();
            assert_eq!(
                text,
                r#"{"kind":"high_returns","return_rate":0.8,"orders":4.0,"threshold":0.6666666666666666,"min_orders":3}"#
            );
            assert_eq!(serde_json::from_str::<CustomerFlag>(&text).unwrap(), flag);
        }
        for facts in FlagFacts::examples() {
            let v = serde_json::to_value(&facts).unwrap();
            assert_eq!(v["kind"], facts.kind().id());
            assert_eq!(serde_json::from_value::<FlagFacts>(v).unwrap(), facts);
        }
        assert!(serde_json::from_str::<SegmentId>("0").is_err());
    }
}

/// An assumption or adjustment a run made that the reader of the report must know about
/// (shown in the report's data-quality section). Stages record these facts; only
/// [`crate::i18n`] turns them into words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunNote {
    /// Customer ids that are e-mail addresses or phone numbers were replaced by keyed
    /// pseudonyms in every output.
    Pseudonymised {
        /// The table.
        table: String,
        /// The customer id column.
        column: String,
        /// Ids that were e-mail addresses.
        emails: usize,
        /// Ids that were phone numbers.
        phones: usize,
        /// The key file.
        key_file: String,
    },
    /// Order lines without a row in the products table.
    ProductsMissing {
        /// Lines without a product row.
        missing: usize,
        /// All order lines.
        lines: usize,
        /// The first such lines of the file.
        first_lines: Vec<usize>,
    },
    /// No unit cost or margin column: cost of goods assumes the configured margin.
    AssumedMargin {
        /// The margin, in per cent.
        margin_pct: f64,
    },
    /// No unit cost or margin column and no default margin: cost of goods is 0.
    NoCost,
    /// No order id: one customer's lines with the same timestamp are one order.
    NoOrderId,
    /// Customers signed up after the reference date: their sign-up tenure is missing.
    SignupAfterAsOf {
        /// The customers.
        customers: usize,
        /// The reference date (`2026-10-31`).
        as_of: String,
    },
    /// Values of a customer attribute listed as `missing` in the mapping.
    AttributeMissing {
        /// The attribute.
        attribute: String,
        /// Values read as not known.
        values: usize,
    },
    /// The largest number of segments tried was lowered to what the data allow.
    KMaxLowered {
        /// The configured largest number of segments.
        configured: usize,
        /// Customers.
        customers: usize,
        /// Segments the data allow.
        allowed: usize,
        /// The largest number used.
        used: usize,
        /// `Some(min_share)` when the smallest segment share limits it, `None` when two
        /// customers per segment do.
        min_share: Option<f64>,
    },
    /// The segments were found on a DataFusion Ballista cluster: the candidates swept on a
    /// seeded sample of the customers, the chosen k-means model refined on every customer.
    ClusterDiscovery {
        /// Customers in the sample the candidates were swept on.
        sample: usize,
        /// Customers in all.
        customers: u64,
        /// Seed of the sample.
        seed: u64,
        /// k-means passes over every customer.
        steps: usize,
        /// Whether the centroids settled before the step limit.
        settled: bool,
    },
}

/// Why a holdout test of one segment is unlikely to be useful (`holdout.json`), with the
/// numbers it rests on. Only [`crate::i18n`] words it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum HoldoutProblem {
    /// Too few customers to put any in both groups at this share.
    TooFewToSplit {
        /// The segment's customers.
        customers: usize,
        /// The share held out.
        share: f64,
    },
    /// No customer of the segment ordered within the window before the reference date, so
    /// the detectable lift on conversion cannot be planned.
    NoRecentOrders {
        /// The window, in days.
        window_days: f64,
    },
    /// Only a conversion lift above this share of the base rate would be detected.
    ConversionLiftTooLarge {
        /// The minimal detectable lift relative to the base rate (0.35 = 35 %).
        relative: f64,
    },
    /// The segment has no revenue to plan the detectable lift on revenue with.
    NoRevenue,
    /// Only a revenue lift per customer above this share of the base would be detected.
    RevenueLiftTooLarge {
        /// The minimal detectable lift relative to the base (0.35 = 35 %).
        relative: f64,
    },
}

impl HoldoutProblem {
    /// One of every kind, for the tests that every kind has a text in every language.
    pub fn examples() -> Vec<HoldoutProblem> {
        let all = vec![
            HoldoutProblem::TooFewToSplit {
                customers: 3,
                share: 0.1,
            },
            HoldoutProblem::NoRecentOrders { window_days: 30.0 },
            HoldoutProblem::ConversionLiftTooLarge { relative: 0.35 },
            HoldoutProblem::NoRevenue,
            HoldoutProblem::RevenueLiftTooLarge { relative: 0.42 },
        ];
        // A new kind fails to compile here until it is added above.
        for p in &all {
            match p {
                HoldoutProblem::TooFewToSplit { .. }
                | HoldoutProblem::NoRecentOrders { .. }
                | HoldoutProblem::ConversionLiftTooLarge { .. }
                | HoldoutProblem::NoRevenue
                | HoldoutProblem::RevenueLiftTooLarge { .. } => {}
            }
        }
        all
    }
}

/// What the reader of a campaign measurement (`lift.json`) or a comparison of two runs
/// (`compare.json`) should know, with its numbers. Only [`crate::i18n`] words it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum CampaignNote {
    /// A treatment or control list differs from the one the holdout wrote.
    ListChanged {
        /// The list's file name.
        file: String,
    },
    /// Orders of the orders file dated outside the post period: not counted.
    OrdersOutsideWindow {
        /// Orders (distinct order ids).
        orders: usize,
        /// Their lines.
        lines: usize,
        /// The orders file.
        file: String,
        /// The post period's first day (`2026-01-01`).
        from: String,
        /// Its last day, if it has one.
        to: Option<String>,
    },
    /// Customers who bought in the post period but are on neither list: left out.
    BuyersOffLists {
        /// The customers.
        customers: usize,
    },
    /// A segment's control group is not the size the holdout planned.
    SampleRatioMismatch {
        /// The segment.
        segment: SegmentLabel,
        /// Its name as facts.
        name: SegmentName,
        /// The χ² statistic.
        chi2: f64,
        /// Its p-value.
        p_value: f64,
        /// Control customers found.
        control: usize,
        /// Control customers planned.
        expected_control: f64,
    },
    /// The later run lacks features of the earlier one: the earlier model places the later
    /// run's customers with them imputed.
    FeaturesMissing {
        /// The features (catalog names).
        features: Vec<String>,
    },
    /// A note as words, read from a file written before notes were facts.
    Words {
        /// The words.
        text: String,
    },
}

impl CampaignNote {
    /// One of every kind, for the tests that every kind has a text in every language.
    pub fn examples() -> Vec<CampaignNote> {
        let all = vec![
            CampaignNote::ListChanged {
                file: "control.csv".into(),
            },
            CampaignNote::OrdersOutsideWindow {
                orders: 12,
                lines: 30,
                file: "orders_post.csv".into(),
                from: "2026-11-01".into(),
                to: Some("2026-11-30".into()),
            },
            CampaignNote::BuyersOffLists { customers: 7 },
            CampaignNote::SampleRatioMismatch {
                segment: SegmentLabel::Segment(SegmentId(1)),
                name: SegmentName::new(NameKind::Unassigned),
                chi2: 14.2,
                p_value: 0.00016,
                control: 80,
                expected_control: 120.0,
            },
            CampaignNote::FeaturesMissing {
                features: vec!["net_revenue".into()],
            },
            CampaignNote::Words {
                text: "as written".into(),
            },
        ];
        // A new kind fails to compile here until it is added above.
        for n in &all {
            match n {
                CampaignNote::ListChanged { .. }
                | CampaignNote::OrdersOutsideWindow { .. }
                | CampaignNote::BuyersOffLists { .. }
                | CampaignNote::SampleRatioMismatch { .. }
                | CampaignNote::FeaturesMissing { .. }
                | CampaignNote::Words { .. } => {}
            }
        }
        all
    }
}

/// Reads a list of campaign notes: facts, or the words of a file written before notes were
/// facts (kept as [`CampaignNote::Words`], so an older `lift.json` or `compare.json` still
/// reads and loses none of its notes).
pub fn campaign_notes<'de, D>(de: D) -> std::result::Result<Vec<CampaignNote>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum FactOrWords {
        Fact(CampaignNote),
        Words(String),
    }
    let v: Vec<FactOrWords> = Deserialize::deserialize(de)?;
    Ok(v.into_iter()
        .map(|n| match n {
            FactOrWords::Fact(f) => f,
            FactOrWords::Words(text) => CampaignNote::Words { text },
        })
        .collect())
}

/// What a lookalike seed or exclusion file's reader should know (the seed summary's
/// `warnings`), with its numbers. Only [`crate::i18n`] words it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "warning", rename_all = "snake_case")]
pub enum SeedWarning {
    /// More customers in the seed than a lookalike works best with.
    LargeSeed {
        /// Customers written.
        written: usize,
        /// The size above which a tighter seed is advised.
        above: usize,
    },
    /// The exclusion list is below the platform's minimum audience.
    ExclusionBelowMinimum {
        /// Matched customers written.
        written: usize,
        /// The platform's minimum.
        minimum: usize,
        /// The platform's name (`Meta`, `Google`, `TikTok`).
        platform: String,
    },
}

impl SeedWarning {
    /// One of every kind, for the tests that every kind has a text in every language.
    pub fn examples() -> Vec<SeedWarning> {
        let all = vec![
            SeedWarning::LargeSeed {
                written: 60_000,
                above: 50_000,
            },
            SeedWarning::ExclusionBelowMinimum {
                written: 40,
                minimum: 100,
                platform: "Meta".into(),
            },
        ];
        // A new kind fails to compile here until it is added above.
        for w in &all {
            match w {
                SeedWarning::LargeSeed { .. } | SeedWarning::ExclusionBelowMinimum { .. } => {}
            }
        }
        all
    }
}

/// What a point of the reach curve marks.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReachMark {
    /// A percentile of the members' distances, and whether it is the recommended threshold.
    Members {
        /// The percentile (90 for p90).
        percent: u32,
        /// Whether it is the recommended threshold.
        recommended: bool,
    },
    /// The farthest member.
    Farthest,
    /// A multiple of the recommended threshold.
    Threshold {
        /// The multiple (1.25, 1.5, 2).
        times: f64,
    },
}

/// Labels of features per report language: feature → language code (`nb`) → label.
pub type FeatureLabels =
    std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// What a candidate is, as facts a reader can be told in words: its algorithm and settings.
/// Its id (`kmeans-k6`, `dbscan-m20-e0.656`) is for files and code only; a report that
/// printed it in prose would have a Danish reader take `0.656` for 656.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CandidateSpec {
    /// k-means with `k` segments.
    KMeans {
        /// Segments.
        k: usize,
    },
    /// DBSCAN with its settings and, where known, the segments it found.
    Dbscan {
        /// Segments found (noise not counted), if known.
        k: Option<usize>,
        /// min_samples: the neighbours a core customer needs.
        min_samples: usize,
        /// The radius (principal-component space).
        eps: f64,
    },
}

impl CandidateSpec {
    /// The candidate's id: `kmeans-k{k}`, `dbscan-m{min_samples}-e{eps:.3}`.
    pub fn id(&self) -> String {
        match *self {
            CandidateSpec::KMeans { k } => format!("kmeans-k{k}"),
            CandidateSpec::Dbscan {
                min_samples, eps, ..
            } => format!("dbscan-m{min_samples}-e{eps:.3}"),
        }
    }

    /// The facts of an id written by [`CandidateSpec::id`] (a DBSCAN id does not hold its
    /// number of segments); `None` for any other text.
    ///
    /// ```
    /// use segmint::model::CandidateSpec;
    /// assert_eq!(CandidateSpec::of_id("kmeans-k6"), Some(CandidateSpec::KMeans { k: 6 }));
    /// assert_eq!(
    ///     CandidateSpec::of_id("dbscan-m20-e0.656"),
    ///     Some(CandidateSpec::Dbscan { k: None, min_samples: 20, eps: 0.656 })
    /// );
    /// assert_eq!(CandidateSpec::of_id("segment 3"), None);
    /// ```
    pub fn of_id(id: &str) -> Option<CandidateSpec> {
        if let Some(k) = id.strip_prefix("kmeans-k") {
            return Some(CandidateSpec::KMeans { k: k.parse().ok()? });
        }
        let (m, e) = id.strip_prefix("dbscan-m")?.split_once("-e")?;
        Some(CandidateSpec::Dbscan {
            k: None,
            min_samples: m.parse().ok()?,
            eps: e.parse().ok()?,
        })
    }

    /// The facts of a candidate from its algorithm, segments and DBSCAN settings (a DBSCAN
    /// candidate without its settings is described by its id, where it holds them).
    pub fn of(
        id: &str,
        algorithm: Algorithm,
        k: usize,
        eps: Option<f64>,
        min_samples: Option<usize>,
    ) -> Option<CandidateSpec> {
        match (algorithm, eps, min_samples) {
            (Algorithm::KMeans, ..) => Some(CandidateSpec::KMeans { k }),
            (Algorithm::Dbscan, Some(eps), Some(min_samples)) => Some(CandidateSpec::Dbscan {
                k: Some(k),
                min_samples,
                eps,
            }),
            (Algorithm::Dbscan, ..) => match CandidateSpec::of_id(id)? {
                CandidateSpec::Dbscan {
                    min_samples, eps, ..
                } => Some(CandidateSpec::Dbscan {
                    k: Some(k),
                    min_samples,
                    eps,
                }),
                CandidateSpec::KMeans { .. } => None,
            },
        }
    }
}

/// Which algorithm made a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Algorithm {
    /// k-means.
    KMeans,
    /// DBSCAN on principal components.
    Dbscan,
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Algorithm::KMeans => "kmeans",
            Algorithm::Dbscan => "dbscan",
        })
    }
}

/// A fitted projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pca {
    /// Column means subtracted before projecting.
    pub mean: Vec<f64>,
    /// Components, one row per component (unit length, largest entry positive).
    pub components: Vec<Vec<f64>>,
    /// Share of the total variance each component explains.
    pub explained: Vec<f64>,
}

/// How many customers a table holds and, when a customers table is mapped, how many of them
/// have no row there.
#[derive(Debug, Clone, Serialize, PartialEq, serde::Deserialize)]
pub struct SourceCount {
    /// Table.
    pub table: String,
    /// Distinct customer ids in it.
    pub customers: usize,
    /// Of them, those without a row in the customers table (every table but `customers`,
    /// when one is mapped; absent in files of earlier segmint versions). The feature table
    /// holds every customer of every table, so the customers table's count and these
    /// account for its rows: the report says so beside its count of customers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub without_customer_row: Option<usize>,
}

/// The id of one run: the first 16 hex digits of a SHA-256 over the run's tables, so the same
/// inputs and seed give the same id (outputs stay byte-identical) and a different run gives a
/// different one.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub String);

impl RunId {
    /// The id of the run whose outputs hash to these parts.
    pub fn of(parts: &[&[u8]]) -> RunId {
        let mut h = Sha256::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        for p in parts {
            h.update((p.len() as u64).to_le_bytes());
            h.update(p);
        }
        let digest = h.finalize();
        RunId(digest[..8].iter().map(|b| format!("{b:02x}")).collect())
    }
}

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
