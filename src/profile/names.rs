//! Names, descriptions, suggested actions and flags, by rules over the profile numbers.
//!
//! Every rule compares the segment with the shop's own base (all customers), so that a rule
//! means the same in a grocery panel (weekly orders, most of them discounted) as in a fashion
//! shop; an absolute level is only a floor (e.g. the configured return rate). Names (the first
//! rule that holds, then made unique):
//! - "Browsers, rarely buy": under a third of the base's orders per customer, more browsing
//!   than the base (standardised lift of sessions or views > 0.3);
//! - "Serial returners": return rate by value at or above the flag threshold and at least
//!   twice the base's;
//! - "New customers": median tenure ≤ 90 days and at most half the base's;
//! - "Lapsed": median recency ≥ 365 days and at least twice the base's;
//! - "Seasonal buyers": at least half their orders in November–December and twice the base's
//!   share;
//! - "Discount-driven occasionals" / "Deal seekers": discounted order share at or above the
//!   flag threshold and 1.25 × the base's (occasionals when they order less than the base);
//! - "Loyal high spenders": frequency and revenue well above the base (lifts ≥ 0.8 and 0.5);
//! - "Frequent buyers": frequency well above the base (lift ≥ 0.8);
//! - "Occasional buyers": under half the base's orders per customer;
//! - else a phrase for the most distinguishing feature ("Recent buyers", "Big baskets", ...,
//!   or "High …" / "Low …" with the feature's catalog label, never a raw column name).

use super::{Flag, SegmentProfile};
use crate::config::FlagOptions;
use crate::i18n::Lang;

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

fn pct(x: f64) -> String {
    format!("{:.0}%", 100.0 * x)
}

/// The feature's readable label (lower case), for names and actions.
fn words(feature: &str) -> String {
    Lang::En.feature(feature).to_lowercase()
}

/// `x ≥ factor × base`, where a missing base counts as 0.
fn above(x: Option<f64>, base: Option<f64>, factor: f64) -> bool {
    x.is_some_and(|x| x >= factor * base.unwrap_or(0.0))
}

/// Whether the segment is "lapsed" by the naming rule (also decides churn flag and actions).
fn lapsed(p: &SegmentProfile, base: &SegmentProfile) -> bool {
    p.recency_days.is_some_and(|r| r >= 365.0) && above(p.recency_days, base.recency_days, 2.0)
}

fn base_name(p: &SegmentProfile, base: &SegmentProfile, o: &FlagOptions) -> String {
    let rr = p.return_rate_value.unwrap_or(0.0);
    let base_rr = base.return_rate_value.unwrap_or(0.0);
    let browsing = lift(p, "sessions").max(lift(p, "product_views"));
    if p.frequency < base.frequency / 3.0 && browsing > 0.3 {
        return "Browsers, rarely buy".into();
    }
    if rr >= o.segment_return_rate && rr >= 2.0 * base_rr {
        return "Serial returners".into();
    }
    if p.tenure_days.is_some_and(|t| t <= 90.0)
        && p.tenure_days.unwrap_or(0.0) <= 0.5 * base.tenure_days.unwrap_or(f64::INFINITY)
    {
        return "New customers".into();
    }
    if lapsed(p, base) {
        return "Lapsed".into();
    }
    let holiday = stat(p, "holiday_order_share");
    if holiday.is_some_and(|h| h >= 0.5) && above(holiday, stat(base, "holiday_order_share"), 2.0) {
        return "Seasonal buyers".into();
    }
    let discount = stat(p, "discount_order_share");
    if discount.is_some_and(|d| d >= o.discount_share)
        && above(discount, stat(base, "discount_order_share"), 1.25)
    {
        return if p.frequency < base.frequency {
            "Discount-driven occasionals".into()
        } else {
            "Deal seekers".into()
        };
    }
    if lift(p, "frequency") >= 0.8 && lift(p, "net_revenue") >= 0.5 {
        return "Loyal high spenders".into();
    }
    if lift(p, "frequency") >= 0.8 {
        return "Frequent buyers".into();
    }
    if p.frequency < 0.5 * base.frequency {
        return "Occasional buyers".into();
    }
    match p.top_features.first() {
        Some(f) => phrase(&f.feature, f.lift.unwrap_or(0.0) >= 0.0),
        None => "Average customers".into(),
    }
}

/// A readable name for "this feature is high (or low)".
fn phrase(feature: &str, high: bool) -> String {
    let known = match (feature, high) {
        ("recency_days", false) => "Recent buyers",
        ("recency_days", true) => "Long inactive",
        ("frequency", true) => "Frequent buyers",
        ("frequency", false) => "One-time buyers",
        ("net_revenue" | "gross_margin" | "contribution_profit", true) => "High spenders",
        ("net_revenue" | "gross_margin" | "contribution_profit", false) => "Low spenders",
        ("aov", true) => "Big baskets",
        ("aov", false) => "Small baskets",
        ("tenure_days", true) => "Long-standing customers",
        ("tenure_days", false) => "Recent joiners",
        ("return_rate_value" | "return_rate_items" | "refunds", true) => "Frequent returners",
        ("discount_order_share" | "discount_depth", true) => "Deal seekers",
        ("sessions" | "events" | "product_views", true) => "Heavy browsers",
        _ => "",
    };
    if !known.is_empty() {
        return known.into();
    }
    format!("{} {}", if high { "High" } else { "Low" }, words(feature))
}

fn description(p: &SegmentProfile) -> String {
    let mut parts = vec![format!(
        "{} of customers, {} of revenue, {} of profit",
        pct(p.share),
        pct(p.revenue_share),
        pct(p.profit_share)
    )];
    match (p.interpurchase_days, p.frequency) {
        (_, f) if f < 0.05 => {
            let s = stat(p, "sessions")
                .map(|s| format!("; {s:.0} sessions on average"))
                .unwrap_or_default();
            parts.push(format!("almost no orders{s}"));
        }
        (Some(d), f) if f >= 1.5 => {
            parts.push(format!("{f:.1} orders each, one every {d:.0} days"))
        }
        (_, f) => parts.push(format!("{f:.1} orders each")),
    }
    if let Some(r) = p.recency_days {
        parts.push(format!("last order {r:.0} days ago (median)"));
    }
    if let Some(rr) = p.return_rate_value {
        parts.push(format!("{} returned by value", pct(rr)));
    }
    parts.join("; ")
}

/// Names every segment (uniquely), writes descriptions, suggests actions and raises flags.
pub(super) fn name_and_flag(
    base: &mut SegmentProfile,
    segments: &mut [SegmentProfile],
    o: &FlagOptions,
) {
    base.description = description(base);
    let mut taken: Vec<String> = Vec::new();
    for p in segments.iter_mut() {
        if p.segment == "unassigned" {
            p.description = description(p);
            continue;
        }
        let mut name = base_name(p, base, o);
        if taken.contains(&name) {
            let qualifier = p
                .top_features
                .iter()
                .map(|f| {
                    format!(
                        "{} {}",
                        if f.lift.unwrap_or(0.0) >= 0.0 {
                            "high"
                        } else {
                            "low"
                        },
                        words(&f.feature)
                    )
                })
                .find(|q| !taken.contains(&format!("{name}, {q}")));
            name = match qualifier {
                Some(q) => format!("{name}, {q}"),
                None => format!("{name} {}", p.segment),
            };
        }
        taken.push(name.clone());
        p.name = name;
        p.description = description(p);
    }
    let base_rr = base.return_rate_value.unwrap_or(0.0);
    let best_profit = segments
        .iter()
        .filter(|p| p.segment != "unassigned" && p.customers > 0)
        .map(|p| p.profit / p.customers as f64)
        .fold(f64::NEG_INFINITY, f64::max);
    for p in segments.iter_mut() {
        if p.segment == "unassigned" {
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
        if rr >= o.segment_return_rate && rr >= 2.0 * base_rr && low_profit {
            let handling = stat(p, "return_handling_cost").unwrap_or(0.0) * p.customers as f64;
            let gross_margin = stat(p, "gross_margin").unwrap_or(0.0) * p.customers as f64;
            let kept = p.net_revenue - p.refunds;
            let margin_on_kept = if kept > 0.0 { gross_margin / kept } else { 0.0 };
            let avoided_refunds = (rr - base_rr).max(0.0) * p.net_revenue;
            let avoided_handling = if rr > 0.0 {
                handling * (1.0 - base_rr / rr).max(0.0)
            } else {
                0.0
            };
            let impact = avoided_refunds * margin_on_kept.max(0.0) + avoided_handling;
            p.flags.push(Flag {
                kind: "low_profit_high_return".into(),
                message: format!(
                    "{} of customers bring {} of revenue but {} of profit: they return {} by value (all customers: {}). If their return rate fell to the base rate, profit would rise by about {:.0}{}.",
                    pct(p.share),
                    pct(p.revenue_share),
                    pct(p.profit_share),
                    pct(rr),
                    pct(base_rr),
                    impact,
                    media
                        .map(|m| format!("; paid media spent on them: about {m:.0} a year"))
                        .unwrap_or_default()
                ),
                impact_profit: Some(impact),
                media_spend_at_risk: media,
            });
            actions.push("Suppress from paid media and from lookalike seeds".to_string());
            actions
                .push("Review sizing guidance and the return policy for what they buy".to_string());
        }
        if p.customers > 0
            && p.profit / p.customers as f64 == best_profit
            && p.profit > 0.0
            && p.profit_share >= 1.5 * p.share
        {
            p.flags.push(Flag {
                kind: "vip".into(),
                message: format!(
                    "The most valuable segment: {} of customers, {} of profit",
                    pct(p.share),
                    pct(p.profit_share)
                ),
                impact_profit: None,
                media_spend_at_risk: None,
            });
            actions
                .push("VIP treatment: early access and service perks rather than discounts".into());
        }
        let gone = lapsed(p, base);
        if gone {
            actions.push(
                "Reactivation offer to the most valuable; deprioritise the rest in paid media"
                    .into(),
            );
        }
        if let (Some(r), Some(i), false) = (p.recency_days, p.interpurchase_days, gone) {
            if p.frequency >= 1.5 && r > o.churn_factor * i {
                p.flags.push(Flag {
                    kind: "churn_risk".into(),
                    message: format!(
                        "Last order {r:.0} days ago (median), {:.1}× their usual {i:.0} days between orders",
                        r / i
                    ),
                    impact_profit: None,
                    media_spend_at_risk: None,
                });
                actions.push("Win-back campaign before they lapse for good".into());
            }
        }
        if let Some(d) = stat(p, "discount_order_share").filter(|&d| {
            d >= o.discount_share && above(Some(d), stat(base, "discount_order_share"), 1.25)
        }) {
            p.flags.push(Flag {
                kind: "discount_dependent".into(),
                message: format!("{} of their orders carry a discount", pct(d)),
                impact_profit: None,
                media_spend_at_risk: None,
            });
            actions.push("Limit blanket discounts; test full-price offers and bundles".into());
        }
        if p.tenure_days.is_some_and(|t| t <= 90.0) {
            actions
                .push("Onboarding series with a second-purchase incentive within 30 days".into());
        }
        if p.frequency < base.frequency / 3.0 && lift(p, "sessions") > 0.3 {
            actions.push("Retarget with the categories they browse; cart reminders".into());
        }
        if actions.is_empty() {
            actions.push(format!(
                "Keep in regular campaigns; lean on what sets them apart ({})",
                p.top_features
                    .first()
                    .map(|f| words(&f.feature))
                    .unwrap_or_else(|| "nothing stands out".into())
            ));
        }
        p.actions = actions;
    }
}
