//! Names, descriptions, suggested actions and flags, by rules over the profile numbers.
//!
//! Names, descriptions, actions and flags are typed facts ([`SegmentName`],
//! [`DescriptionFacts`], [`Action`], [`FlagFacts`]);
//! [`crate::i18n`] turns them into words (the English ones below, and nb, sv, da).
//!
//! Every rule compares the segment with the shop's own base (all customers), so that a rule
//! means the same in a grocery panel (weekly orders, most of them discounted) as in a fashion
//! shop; an absolute level is only a floor (e.g. the configured return rate). Names (the first
//! rule that holds, then made unique):
//! - "Browsers, rarely buy": under a third of the base's orders per customer, more browsing
//!   than the base (standardised lift of sessions or views > 0.3);
//! - "Serial returners": return rate by value at or above the flag threshold and at least
//!   twice that of the other customers;
//! - "New customers": median tenure ≤ 90 days and at most half the base's;
//! - "Lapsed": median recency at least twice the base's and ≥ 365 days or ≥ 5 of the shop's
//!   usual gaps between orders (the base's median days between orders);
//! - "Seasonal buyers": at least half their orders in November–December and twice the base's
//!   share;
//! - "Discount-driven occasionals" / "Deal seekers": discounted order share at or above the
//!   flag threshold and 1.25 × the base's (occasionals only when occasional as "Occasional
//!   buyers" below: a grocery segment with 27 orders against a base of 46, or the demo's
//!   discount hunters with 7.0, about the base's frequency, are not occasional);
//! - "Loyal high spenders": frequency and revenue well above the base (lifts ≥ 0.8 and 0.5),
//!   and no segment with another name spends more per customer after returns (else
//!   "Frequent buyers"; [`spenders_in_order`], which names outspent "High spenders" after
//!   their next clear feature where they have one);
//! - "Frequent buyers": frequency well above the base (lift ≥ 0.8);
//! - "Occasional buyers": under half the base's orders per customer, and a median gap
//!   between orders of two months or more (or no repeat orders): a grocery segment that
//!   orders every 15 days against a weekly base is not occasional;
//! - else a phrase for the most distinguishing feature ("Recent buyers", "Big baskets", ...,
//!   or "High …" / "Low …" with the feature's catalog label, never a raw column name;
//!   "One-time buyers" only under 1.5 orders per customer, else "Few orders"), when that
//!   feature is at least [`CLEAR_LIFT`] standard deviations from the base and, for a
//!   feature of non-negative values, at least [`MATERIAL_DIFFERENCE`] of the base's mean
//!   away from it (else the next feature);
//! - else "Average customers" (a large remainder segment, near the base on everything).
//!
//! A name another segment already has takes a qualifier: the first of its distinguishing
//! features that makes it unique and that the name does not already say (", high …"; never
//! "New customers, few days since first order"), else its segment label ("Lapsed 3").

use super::{Flag, SegmentProfile};
use crate::config::FlagOptions;
use crate::model::{
    Action, DescriptionFacts, Direction, FlagFacts, NameKind, OrderPattern, Qualifier, SegmentName,
};

fn stat(p: &SegmentProfile, feature: &str) -> Option<f64> {
    p.features
        .iter()
        .find(|f| f.feature == feature)
        .and_then(|f| f.mean)
}

fn lift(p: &SegmentProfile, feature: &str) -> f64 {
    p.features
        .iter()
        .find(|f| f.feature == feature)
        .and_then(|f| f.lift)
        .unwrap_or(0.0)
}

/// `x ≥ factor × base`, where a missing base counts as 0.
fn above(x: Option<f64>, base: Option<f64>, factor: f64) -> bool {
    x.is_some_and(|x| x >= factor * base.unwrap_or(0.0))
}

/// Return rate by value of every customer outside the segment (the base without it), so a
/// large returner segment does not raise its own yardstick.
fn rest_return_rate(p: &SegmentProfile, base: &SegmentProfile) -> f64 {
    let revenue = base.net_revenue - p.net_revenue;
    if revenue > 0.0 {
        ((base.refunds - p.refunds) / revenue).max(0.0)
    } else {
        0.0
    }
}

/// A segment's returns stand out when its return rate by value is at least this many times
/// the other customers' ...
pub const HIGH_RETURNS_RATIO: f64 = 2.0;
/// ... and at least this much above it (5 percentage points): twice a rate of 1% is not a
/// problem worth a campaign.
pub const HIGH_RETURNS_POINTS: f64 = 0.05;

/// Whether a return rate `rr` stands out against the other customers' `other_rr`
/// ([`HIGH_RETURNS_RATIO`] times it and [`HIGH_RETURNS_POINTS`] above it): the high-returns
/// flag's rule, and the hidden-returners flag's test of whether a segment's other customers
/// would still be flagged without its group.
pub(super) fn returns_stand_out(rr: f64, other_rr: f64) -> bool {
    rr >= HIGH_RETURNS_RATIO * other_rr && rr - other_rr >= HIGH_RETURNS_POINTS
}

/// At most this much more profit over the period of the data if the segment's return rate
/// `rr` fell to the other customers' `other_rr` and it kept buying as much: the refunds
/// avoided at the segment's margin on what it keeps, and the handling costs avoided.
fn returns_impact(p: &SegmentProfile, rr: f64, other_rr: f64) -> f64 {
    let handling = stat(p, "return_handling_cost").unwrap_or(0.0) * p.customers as f64;
    let gross_margin = stat(p, "gross_margin").unwrap_or(0.0) * p.customers as f64;
    let kept = p.net_revenue - p.refunds;
    let margin_on_kept = if kept > 0.0 { gross_margin / kept } else { 0.0 };
    let avoided_refunds = (rr - other_rr).max(0.0) * p.net_revenue;
    let avoided_handling = if rr > 0.0 {
        handling * (1.0 - other_rr / rr).max(0.0)
    } else {
        0.0
    };
    avoided_refunds * margin_on_kept.max(0.0) + avoided_handling
}

/// How many of the shop's usual gaps between orders (the base's median) a segment must have
/// gone without an order to count as lapsed, when that is under a year.
pub(super) const LAPSED_GAPS: f64 = 5.0;

/// Whether the segment is "lapsed" by the naming rule (also decides churn flag and actions):
/// its median recency is at least twice the base's, and at least a year or [`LAPSED_GAPS`]
/// of the shop's usual gaps between orders — a grocery household gone for six months is
/// lapsed, a furniture buyer is not. The median counts only customers who ordered, so the
/// segment must also be mostly customers who ordered before and have lapsed
/// ([`super::LapsedBuyers`]): a browsing segment whose few buyers ordered long ago never
/// bought enough to lapse.
fn lapsed(p: &SegmentProfile, base: &SegmentProfile) -> bool {
    let Some(r) = p.recency_days else {
        return false;
    };
    if p.lapsed
        .as_ref()
        .is_some_and(|l| (l.customers as f64) < 0.5 * p.customers as f64)
    {
        return false;
    }
    let long = r >= YEAR_DAYS
        || base
            .interpurchase_days
            .is_some_and(|gap| gap > 0.0 && r >= LAPSED_GAPS * gap);
    long && above(p.recency_days, base.recency_days, 2.0)
}

/// The share of a churn-risk segment past the shop's lapse line from which it is reactivated
/// rather than won back "before they lapse".
pub(super) const LAPSED_PART: f64 = 1.0 / 3.0;

/// A year, in days: a segment whose last order is this long ago has lapsed whatever its
/// rhythm (and a seasonal one has skipped a season).
pub(super) const YEAR_DAYS: f64 = 365.0;

/// Share of orders in November–December from which a segment is seasonal whatever the
/// other customers do.
const SEASONAL_SHARE: f64 = 0.8;

/// Sessions per customer, as a multiple of the other customers', from which a browsing
/// segment that almost never buys is checked for bots.
const BOT_SESSIONS: f64 = 5.0;

/// The Christmas-campaign action at `as_of`: the weeks to 1 November when that is at most a
/// quarter away, 0 from November to Christmas Eve, none otherwise.
fn season_action(as_of: chrono::NaiveDate) -> Action {
    use chrono::Datelike;
    if as_of.month() == 11 || (as_of.month() == 12 && as_of.day() <= 24) {
        return Action::SeasonCampaign { weeks: Some(0) };
    }
    if as_of.month() == 12 {
        // The season is over: the next one is most of a year away.
        return Action::SeasonCampaign { weeks: None };
    }
    let start = chrono::NaiveDate::from_ymd_opt(as_of.year(), 11, 1).unwrap_or(as_of);
    let days = (start - as_of).num_days();
    Action::SeasonCampaign {
        weeks: (days <= 91).then(|| (days as u32).div_ceil(7)),
    }
}

fn base_name(p: &SegmentProfile, base: &SegmentProfile, o: &FlagOptions) -> NameKind {
    let rr = p.return_rate_value.unwrap_or(0.0);
    let browsing = lift(p, "sessions").max(lift(p, "product_views"));
    if p.frequency < base.frequency / 3.0 && browsing > 0.3 {
        return NameKind::BrowsersRarelyBuy;
    }
    if rr >= o.segment_return_rate && rr >= 2.0 * rest_return_rate(p, base) {
        return NameKind::SerialReturners;
    }
    if is_new(p) && p.tenure_days.unwrap_or(0.0) <= 0.5 * base.tenure_days.unwrap_or(f64::INFINITY)
    {
        return NameKind::NewCustomers;
    }
    // Nearly all orders in the Christmas season: seasonal, however long ago the last season.
    let holiday = stat(p, "holiday_order_share");
    if holiday.is_some_and(|h| h >= SEASONAL_SHARE) {
        return NameKind::SeasonalBuyers;
    }
    if lapsed(p, base) {
        return NameKind::Lapsed;
    }
    if holiday.is_some_and(|h| h >= 0.5) && above(holiday, stat(base, "holiday_order_share"), 2.0) {
        return NameKind::SeasonalBuyers;
    }
    let discount = stat(p, "discount_order_share");
    if discount.is_some_and(|d| d >= o.discount_share)
        && above(discount, stat(base, "discount_order_share"), 1.25)
    {
        return if occasional(p, base) {
            NameKind::DiscountDrivenOccasionals
        } else {
            NameKind::DealSeekers
        };
    }
    if lift(p, "frequency") >= 0.8 && lift(p, "net_revenue") >= 0.5 {
        return NameKind::LoyalHighSpenders;
    }
    if lift(p, "frequency") >= 0.8 {
        return NameKind::FrequentBuyers;
    }
    if occasional(p, base) {
        return NameKind::OccasionalBuyers;
    }
    // Named after its most distinguishing feature only where that feature sets it well apart
    // from the base (as "well above" means for frequency, a lift of 0.8 standard deviations):
    // a large remainder segment is near the base on everything, and "Few cart adds" (−0.59,
    // 54 % of a hostile shop's customers) read as a finding where there is none.
    let clear = |f: &crate::profile::FeatureStat| f.lift.is_some_and(|l| l.abs() >= CLEAR_LIFT);
    // A clear lift that is not a material difference does not name the segment either: the
    // next feature may (CDNOW's customers all first bought in one quarter, so three weeks
    // less tenure, 481 days against 502, is −0.92 standard deviations: not "new").
    let first = p
        .top_features
        .iter()
        .find(|f| !clear(f) || material(f, base));
    match first {
        // Set apart by few returns: named so only where the segment returns under half of
        // what the other customers do (not where few orders make few returns).
        Some(f)
            if RETURN_FEATURES.contains(&f.feature.as_str())
                && Direction::of_lift(f.lift) == Direction::Low
                && base.refunds > 0.0
                && p.net_revenue > 0.0
                && p.return_rate_value.is_some()
                && rr < 0.5 * rest_return_rate(p, base) =>
        {
            NameKind::RareReturners
        }
        Some(f) if clear(f) => feature_phrase(p, f),
        _ => NameKind::AverageCustomers,
    }
}

/// The name for "this feature sets the segment apart" ([`phrase`]), except that "One-time
/// buyers" is kept for segments where most bought about once (under 1.5 orders per
/// customer); above, few orders are "Few orders".
fn feature_phrase(p: &SegmentProfile, f: &crate::profile::FeatureStat) -> NameKind {
    match (f.feature.as_str(), Direction::of_lift(f.lift)) {
        ("frequency", Direction::Low) if p.frequency >= 1.5 => NameKind::Feature {
            feature: f.feature.clone(),
            direction: Direction::Low,
        },
        (feature, direction) => phrase(feature, direction),
    }
}

/// Revenue after returns per customer, what a "high spenders" name compares: a segment of
/// serial returners buys the most before its returns, but the shop keeps little of it.
fn spend(p: &SegmentProfile) -> f64 {
    if p.customers > 0 {
        (p.net_revenue - p.refunds) / p.customers as f64
    } else {
        0.0
    }
}

/// Names checked against each other: a segment is called loyal high spenders — "top
/// customers" in nb, sv and da — only when no segment with another name spends more per
/// customer after returns. Each rule compares a segment with the base, so two segments can
/// both be well above it; the one that spends less would read as a contradiction beside the
/// other's numbers (overlap6's "Loyal high spenders" kept less per customer than its "Big
/// baskets"). Loyal high spenders outspent so are named for their frequency ("Frequent
/// buyers", which their rule implies); high spenders named for their revenue alone keep
/// the name only where nothing else sets them clearly apart (the next clear feature names
/// them otherwise).
fn spenders_in_order(
    segments: &[SegmentProfile],
    base: &SegmentProfile,
    mut kinds: Vec<Option<NameKind>>,
) -> Vec<Option<NameKind>> {
    let spender = |k: &NameKind| matches!(k, NameKind::LoyalHighSpenders | NameKind::HighSpenders);
    // Demoting only lowers the others' bar: one pass over the best other spend is enough.
    let others_best = segments
        .iter()
        .zip(&kinds)
        .filter(|(_, k)| k.as_ref().is_some_and(|k| !spender(k)))
        .map(|(p, _)| spend(p))
        .fold(f64::NEG_INFINITY, f64::max);
    for (p, kind) in segments.iter().zip(kinds.iter_mut()) {
        let Some(k) = kind.as_mut() else { continue };
        if !spender(k) || spend(p) >= others_best {
            continue;
        }
        *k = match k {
            NameKind::LoyalHighSpenders => NameKind::FrequentBuyers,
            _ => next_clear_phrase(p, base).unwrap_or(NameKind::HighSpenders),
        };
    }
    kinds
}

/// The phrase of the segment's first clearly and materially distinguishing feature
/// ([`CLEAR_LIFT`], [`MATERIAL_DIFFERENCE`]) other than its revenue and profit.
/// Its returns (which grow with what it buys) do not name a segment outspent by another
/// either ([`feature_phrase`] names it, as in [`base_name`]).
fn next_clear_phrase(p: &SegmentProfile, base: &SegmentProfile) -> Option<NameKind> {
    p.top_features
        .iter()
        .filter(|f| {
            !MONEY.contains(&f.feature.as_str()) && !RETURN_FEATURES.contains(&f.feature.as_str())
        })
        .find(|f| f.lift.is_some_and(|l| l.abs() >= CLEAR_LIFT) && material(f, base))
        .map(|f| feature_phrase(p, f))
}

/// The features of revenue and profit: what a "high spenders" name says.
const MONEY: [&str; 3] = ["net_revenue", "gross_margin", "contribution_profit"];

/// The features that take the cost of goods off revenue: without cost data
/// ([`crate::model::RunNote::NoCost`]) they are the revenue after returns (and their
/// handling) under a name that speaks of margin and profit, so they qualify no name and
/// state no strength (the report's tables name them for what they hold).
const COST_FEATURES: [&str; 2] = ["gross_margin", "contribution_profit"];

/// The least relative difference from the base's mean (a fifth of it) at which a feature of
/// non-negative values names a segment: the floor under [`CLEAR_LIFT`], whose standard
/// deviations are small where every customer is alike.
pub const MATERIAL_DIFFERENCE: f64 = 0.2;

/// Whether the segment's mean of `f` is at least [`MATERIAL_DIFFERENCE`] of the base's mean
/// away from it (for a base mean up to 1, which may be a share, of the smaller of it and the
/// room to 1); where the base mean or the segment's is not positive there is no such
/// yardstick, and the feature passes.
fn material(f: &crate::profile::FeatureStat, base: &SegmentProfile) -> bool {
    match (f.mean, stat(base, &f.feature)) {
        (Some(m), Some(b)) if b > 0.0 && m >= 0.0 => {
            // A share near 1 has little room above it: its yardstick is the room left
            // (a base of 0.9 discounted orders can rise by 0.1 at most).
            let room = if b <= 1.0 { b.min(1.0 - b) } else { b };
            (m - b).abs() >= MATERIAL_DIFFERENCE * room
        }
        _ => true,
    }
}

/// The standardised lift (in standard deviations of all customers) at which a segment's most
/// distinguishing feature names it; below it, nothing sets the segment clearly apart and it is
/// "Average customers".
pub const CLEAR_LIFT: f64 = 0.8;

/// The features of returns and their costs: what "returners" names say, and no strength.
const RETURN_FEATURES: &[&str] = &[
    "return_rate_value",
    "return_rate_items",
    "refunds",
    "returned_orders",
    "return_handling_cost",
];

/// What a campaign can lean on: the segment's most distinguishing feature where it is high,
/// other than returns, their costs, discounts and time without orders or visits (a segment is
/// not set apart by few cart adds, by its refunds or by the discounts it takes in a way a
/// campaign builds on: those are costs to control, not strengths).
pub(super) fn strength(p: &SegmentProfile, no_cost: bool) -> Option<String> {
    // Time without orders or visits: high is not a strength (nor are returns).
    const IDLE: [&str; 6] = [
        "recency_days",
        "interpurchase_mean_days",
        "interpurchase_std_days",
        "days_since_last_visit",
        // Costs, not strengths.
        "discount_order_share",
        "discount_depth",
    ];
    p.top_features
        .iter()
        .find(|f| {
            let name = f.feature.as_str();
            let cost = no_cost && COST_FEATURES.contains(&name);
            Direction::of_lift(f.lift) == Direction::High
                && !RETURN_FEATURES.contains(&name)
                && !IDLE.contains(&name)
                && !cost
        })
        .map(|f| f.feature.clone())
}

/// Median days since the first order up to which a segment is new: an onboarding series is
/// its action, and its small profit so far is no finding (it has had no time to bring more).
pub const NEW_TENURE_DAYS: f64 = 90.0;

/// Whether the segment's customers are new ([`NEW_TENURE_DAYS`]).
pub fn is_new(p: &SegmentProfile) -> bool {
    p.tenure_days.is_some_and(|t| t <= NEW_TENURE_DAYS)
}

/// Median days between orders from which a segment that orders less than the base may be
/// called occasional: customers who order again within two months are regulars, however
/// often the base orders (a grocery segment every 15 days against a weekly base).
const OCCASIONAL_GAP_DAYS: f64 = 60.0;

/// Under half the base's orders per customer, and not regulars ([`OCCASIONAL_GAP_DAYS`];
/// a segment without repeat buyers has no gap and may be occasional).
fn occasional(p: &SegmentProfile, base: &SegmentProfile) -> bool {
    p.frequency < 0.5 * base.frequency
        && p.interpurchase_days
            .is_none_or(|d| d >= OCCASIONAL_GAP_DAYS)
}

/// Features a name already says: a qualifier from one of them repeats the name ("New
/// customers, few days since first order").
fn said_by(kind: &NameKind) -> &'static [&'static str] {
    const TENURE: &[&str] = &["tenure_days", "signup_tenure_days"];
    match kind {
        NameKind::NewCustomers | NameKind::RecentJoiners | NameKind::LongStandingCustomers => {
            TENURE
        }
        NameKind::Lapsed | NameKind::LongInactive | NameKind::RecentBuyers => &["recency_days"],
        NameKind::SeasonalBuyers => &["holiday_order_share"],
        NameKind::SerialReturners | NameKind::FrequentReturners | NameKind::RareReturners => {
            RETURN_FEATURES
        }
        NameKind::DealSeekers => &["discount_order_share", "discount_depth"],
        NameKind::DiscountDrivenOccasionals => &[
            "discount_order_share",
            "discount_depth",
            "frequency",
            "interpurchase_mean_days",
        ],
        NameKind::OccasionalBuyers => &["frequency", "interpurchase_mean_days"],
        NameKind::FrequentBuyers | NameKind::OneTimeBuyers => &["frequency"],
        NameKind::LoyalHighSpenders => &[
            "frequency",
            "net_revenue",
            "gross_margin",
            "contribution_profit",
        ],
        NameKind::HighSpenders | NameKind::LowSpenders => {
            &["net_revenue", "gross_margin", "contribution_profit"]
        }
        NameKind::BigBaskets | NameKind::SmallBaskets => &["aov", "items_per_order"],
        NameKind::HeavyBrowsers => &["sessions", "events", "product_views"],
        NameKind::BrowsersRarelyBuy => &[
            "sessions",
            "events",
            "product_views",
            "frequency",
            "view_to_purchase",
            "cart_to_purchase",
        ],
        _ => &[],
    }
}

/// The name for "this feature is high (or low)".
fn phrase(feature: &str, direction: Direction) -> NameKind {
    use Direction::{High, Low};
    match (feature, direction) {
        ("recency_days", Low) => NameKind::RecentBuyers,
        ("recency_days", High) => NameKind::LongInactive,
        ("frequency", High) => NameKind::FrequentBuyers,
        ("frequency", Low) => NameKind::OneTimeBuyers,
        ("net_revenue" | "gross_margin" | "contribution_profit", High) => NameKind::HighSpenders,
        ("net_revenue" | "gross_margin" | "contribution_profit", Low) => NameKind::LowSpenders,
        ("aov", High) => NameKind::BigBaskets,
        ("aov", Low) => NameKind::SmallBaskets,
        ("tenure_days", High) => NameKind::LongStandingCustomers,
        ("tenure_days", Low) => NameKind::RecentJoiners,
        ("return_rate_value" | "return_rate_items" | "refunds", High) => {
            NameKind::FrequentReturners
        }
        ("discount_order_share" | "discount_depth", High) => NameKind::DealSeekers,
        ("sessions" | "events" | "product_views", High) => NameKind::HeavyBrowsers,
        _ => NameKind::Feature {
            feature: feature.to_string(),
            direction,
        },
    }
}

/// The facts of a segment's description: its shares, how it orders (almost no orders under
/// 0.05 per customer; every so many days from 1.5 orders with a time between orders), its
/// median recency and return rate.
/// `returns`: whether the shop recorded any return at all; without one, "0 % returned"
/// would read as a finding (CDNOW and grocery panels have no return data).
fn description(p: &SegmentProfile, base: &SegmentProfile, returns: bool) -> DescriptionFacts {
    let orders = match (p.interpurchase_days, p.frequency) {
        (_, f) if f < 0.05 => OrderPattern::AlmostNone {
            sessions: stat(p, "sessions"),
        },
        (Some(d), f) if f >= 1.5 => OrderPattern::Regular {
            frequency: f,
            interpurchase_days: d,
        },
        (_, f) => OrderPattern::Orders { frequency: f },
    };
    DescriptionFacts {
        share: p.share,
        revenue_share: p.revenue_share,
        profit_share: p.profit_share,
        orders,
        recency_days: p.recency_days,
        return_rate_value: p.return_rate_value.filter(|_| returns),
        kept_revenue_share: {
            let kept = base.net_revenue - base.refunds;
            Some(if kept > 0.0 {
                (p.net_revenue - p.refunds) / kept
            } else {
                0.0
            })
        },
        kept_per_customer: (p.customers > 0)
            .then(|| (p.net_revenue - p.refunds) / p.customers as f64),
    }
}

/// Names every segment (uniquely), writes descriptions, suggests actions and raises flags.
pub(super) fn name_and_flag(
    base: &mut SegmentProfile,
    segments: &mut [SegmentProfile],
    o: &FlagOptions,
    as_of: chrono::NaiveDate,
    no_cost: bool,
) {
    let returns = base.refunds > 0.0;
    let b = base.clone();
    base.set_description(description(&b, &b, returns));
    let first: Vec<Option<NameKind>> = segments
        .iter()
        .map(|p| p.segment.is_segment().then(|| base_name(p, base, o)))
        .collect();
    let kinds = spenders_in_order(segments, base, first.clone());
    let mut taken: Vec<SegmentName> = Vec::new();
    for ((p, kind), first) in segments.iter_mut().zip(kinds).zip(first) {
        let Some(kind) = kind else {
            p.set_description(description(p, base, returns));
            continue;
        };
        // Outspent high spenders are not called high spenders by a qualifier either.
        let outspent = first.as_ref() != Some(&kind);
        let mut name = SegmentName::new(kind);
        if taken.contains(&name) {
            let said = said_by(&name.kind);
            let qualified = p
                .top_features
                .iter()
                .filter(|f| {
                    let repeats = said.contains(&f.feature.as_str())
                        || (outspent && MONEY.contains(&f.feature.as_str()))
                        || (no_cost && COST_FEATURES.contains(&f.feature.as_str()))
                        || matches!(&name.kind, NameKind::Feature { feature, .. } if *feature == f.feature);
                    !repeats
                })
                .map(|f| {
                    name.with(Qualifier::Feature {
                        feature: f.feature.clone(),
                        direction: Direction::of_lift(f.lift),
                    })
                })
                .find(|n| !taken.contains(n));
            name = match (qualified, p.segment.segment()) {
                (Some(n), _) => n,
                (None, Some(id)) => name.with(Qualifier::Segment(id)),
                (None, None) => name,
            };
        }
        taken.push(name.clone());
        p.set_name(name);
        p.set_description(description(p, base, returns));
    }
    let best_profit = segments
        .iter()
        .filter(|p| p.segment.is_segment() && p.customers > 0)
        .map(|p| p.profit / p.customers as f64)
        .fold(f64::NEG_INFINITY, f64::max);
    for p in segments.iter_mut() {
        if !p.segment.is_segment() {
            continue;
        }
        let rr = p.return_rate_value.unwrap_or(0.0);
        let media = o.media_cost_per_customer.map(|c| c * p.customers as f64);
        let mut actions = Vec::new();
        // Low profit, high returns.
        // Low profit: a loss, or a margin below the configured share of the base's margin
        // (the same as profit share / revenue share when the shop makes a profit; still
        // meaningful when the shop as a whole makes a loss).
        let margin = |q: &SegmentProfile| (q.net_revenue > 0.0).then(|| q.profit / q.net_revenue);
        let low_profit = p.profit < 0.0
            || match (margin(p), margin(base)) {
                (Some(m), Some(b)) if b > 0.0 => m < o.profit_to_revenue_share * b,
                (Some(m), Some(b)) => m < b,
                _ => false,
            };
        // Measured against the other customers: the segment's own returns would otherwise
        // raise the rate it is compared with.
        let other_rr = rest_return_rate(p, base);
        let kept = |q: &SegmentProfile| q.net_revenue - q.refunds;
        let kept_revenue_share = if kept(base) > 0.0 {
            kept(p) / kept(base)
        } else {
            0.0
        };
        let mut high_returns = false;
        if rr >= o.segment_return_rate && rr >= HIGH_RETURNS_RATIO * other_rr && low_profit {
            p.flags.push(Flag::new(FlagFacts::LowProfitHighReturn {
                share: p.share,
                revenue_share: p.revenue_share,
                kept_revenue_share,
                refund_share: p.refund_share,
                profit_share: p.profit_share,
                return_rate: rr,
                base_return_rate: other_rr,
                impact_profit: returns_impact(p, rr, other_rr),
                media_spend_at_risk: media,
            }));
            // The cause first (its size is the returns' upper bound), then the ad teams' part.
            actions.push(Action::ReviewSizingAndReturns);
            actions.push(Action::SuppressFromPaidMedia);
        } else if returns_stand_out(rr, other_rr) {
            // Below the low-profit flag (profitable all the same, or under its return rate):
            // the returns are worth tackling, and the review comes after the segment's own
            // first action; no suppression from paid media.
            p.flags.push(Flag::new(FlagFacts::HighReturns {
                share: p.share,
                kept_revenue_share,
                refund_share: p.refund_share,
                profit_share: p.profit_share,
                return_rate: rr,
                base_return_rate: other_rr,
                impact_profit: returns_impact(p, rr, other_rr),
            }));
            high_returns = true;
        }
        if p.customers > 0
            && p.profit / p.customers as f64 == best_profit
            && p.profit > 0.0
            && p.profit_share >= 1.5 * p.share
        {
            p.flags.push(Flag::new(FlagFacts::Vip {
                share: p.share,
                profit_share: p.profit_share,
            }));
            actions.push(Action::VipTreatment);
        }
        let seasonal = p
            .name_facts
            .as_ref()
            .is_some_and(|n| n.kind == NameKind::SeasonalBuyers);
        if seasonal {
            actions.push(season_action(as_of));
        }
        // Seasonal buyers wait most of a year between orders: they are gone only when they
        // skipped the last season (a year or more since their last order).
        let gone = lapsed(p, base) && (!seasonal || p.recency_days.is_some_and(|r| r >= YEAR_DAYS));
        if gone {
            // Seasonal buyers who skipped the last season are reactivated first: the season
            // campaign stays, second.
            let at = actions
                .iter()
                .position(|a| matches!(a, Action::SeasonCampaign { .. }))
                .unwrap_or(actions.len());
            actions.insert(at, Action::Reactivation);
        }
        // Seasonal buyers order about once a season: a long wait since their last order is
        // their rhythm, and the season campaign is the one to send them, not a win-back.
        // The yardstick is the segment's own time between orders; where most of its customers
        // have ordered once (no rhythm of their own), the shop's: one-time buyers gone for
        // several of the shop's usual gaps are fading, not "regular".
        // New customers have had no time to order again: onboarding, not a win-back.
        let mostly_once = !is_new(p) && p.one_order_customers.is_some_and(|k| 2 * k >= p.customers);
        let (gap, shop_gap) = if p.frequency >= 1.5 {
            (p.interpurchase_days, false)
        } else if mostly_once {
            (base.interpurchase_days, true)
        } else {
            (None, false)
        };
        if let (Some(r), Some(i), false) = (p.recency_days, gap, gone || seasonal) {
            if i > 0.0 && r > o.churn_factor * i {
                p.flags.push(Flag::new(FlagFacts::ChurnRisk {
                    recency_days: r,
                    interpurchase_days: i,
                    shop_gap,
                }));
                // "Before they lapse" only while most have not: where a third or more are
                // past the shop's lapse line already, the reactivation offer (sized on them).
                let lapsed_share = p
                    .lapsed
                    .as_ref()
                    .map_or(0.0, |l| l.customers as f64 / p.customers.max(1) as f64);
                actions.push(if lapsed_share >= LAPSED_PART {
                    Action::Reactivation
                } else {
                    Action::WinBack
                });
            }
        }
        if let Some(d) = stat(p, "discount_order_share").filter(|&d| {
            d >= o.discount_share && above(Some(d), stat(base, "discount_order_share"), 1.25)
        }) {
            p.flags.push(Flag::new(FlagFacts::DiscountDependent {
                discount_order_share: d,
            }));
            actions.push(Action::LimitDiscounts);
        } else if p
            .name_facts
            .as_ref()
            .is_some_and(|n| n.kind == NameKind::DealSeekers)
            && p.profit_share < p.share
        {
            // Named for their discounts (relative to the shop) and bringing less than their
            // share of profit: below the flag's level, but the discounts are still the lever.
            actions.push(Action::LimitDiscounts);
        }
        // A second-purchase incentive for new customers, when some have one order so far.
        if is_new(p) && p.one_order_customers.is_none_or(|n| n > 0) {
            actions.push(Action::Onboarding);
        }
        if p.frequency < base.frequency / 3.0 && lift(p, "sessions") > 0.3 {
            // Against the other customers: the segment itself would raise the average.
            let others = base.customers.saturating_sub(p.customers) as f64;
            let ratio = match (stat(p, "sessions"), stat(base, "sessions")) {
                (Some(s), Some(b)) if others > 0.0 => {
                    let rest = (b * base.customers as f64 - s * p.customers as f64) / others;
                    if rest > 0.0 {
                        s / rest
                    } else {
                        0.0
                    }
                }
                _ => 0.0,
            };
            if ratio >= BOT_SESSIONS {
                actions.push(Action::CheckForBots {
                    sessions_ratio: ratio.round() as u32,
                });
            }
            actions.push(Action::Retarget);
        }
        if high_returns {
            actions.push(Action::ReviewSizingAndReturns);
        }
        if actions.is_empty() {
            actions.push(Action::KeepRegular {
                feature: strength(p, no_cost),
            });
        }
        p.set_actions(actions);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_season_action_follows_the_reference_date() {
        let on = |y, m, d| season_action(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap());
        let weeks = |w| Action::SeasonCampaign { weeks: w };
        assert_eq!(on(2026, 10, 31), weeks(Some(1)));
        assert_eq!(on(2026, 10, 15), weeks(Some(3)));
        assert_eq!(on(2026, 8, 2), weeks(Some(13)));
        assert_eq!(on(2026, 7, 31), weeks(None));
        assert_eq!(on(2026, 11, 20), weeks(Some(0)));
        assert_eq!(on(2026, 12, 24), weeks(Some(0)));
        assert_eq!(on(2026, 12, 31), weeks(None));
        assert_eq!(on(2026, 3, 1), weeks(None));
    }
}
