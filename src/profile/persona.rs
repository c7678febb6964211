//! Who a segment is: the facts of its persona card, each against all customers, each from a
//! source the mapping has (a source that is not mapped gives no fact). [`crate::i18n`] turns
//! them into sentences.
//!
//! Every rule compares the segment with the shop's own base and has a floor in absolute
//! terms, so that a fact is a real difference and not noise:
//! - age: at least [`MIN_AGE_YEARS`] years and [`MIN_LIFT`] standard deviations from all
//!   customers' mean;
//! - a level of a customer feature (gender, country, region, a customer attribute): at least
//!   [`MIN_SHARE`] of the segment and over-represented
//!   ([`Composition::over_represented`](super::Composition::over_represented): [`MIN_OVER`]
//!   times its share among all customers, [`MIN_POINTS`] above it and at least
//!   [`MIN_CUSTOMERS`] customers, the rule of the report's over-represented groups); at most
//!   two levels per feature;
//! - where they live (a region column, else a country column): always one fact, the two or
//!   three largest levels of the segment against all customers, or that they are spread like
//!   all customers when no level is over-represented (the same rule) nor under
//!   1/[`MIN_OVER`] of its share among all customers, [`MIN_POINTS`] below it with
//!   [`MIN_CUSTOMERS`] customers;
//! - categories bought, categories viewed, channels: a mean share of at least [`MIN_SHARE`],
//!   [`MIN_OVER`] times all customers' and [`MIN_POINTS`] above it; at most three; spend and
//!   channel shares only for a segment with at least [`MIN_ORDERS`] orders per customer
//!   (else they would describe its few buyers), view shares only with views;
//! - survey answers: at least [`MIN_LIFT`] standard deviations from all customers' mean and
//!   at least [`MIN_RESPONDENTS`] answers in the segment; the three strongest.

use super::{FeatureStat, SegmentProfile};
use crate::model::{PersonaFact, ShareOf};

/// Standardised difference from all customers from which age or a survey answer is said.
pub const MIN_LIFT: f64 = 0.3;
/// Years from all customers' mean age from which age is said.
pub const MIN_AGE_YEARS: f64 = 3.0;
/// Smallest share of the segment (or of its spend, views or orders) that is said.
pub const MIN_SHARE: f64 = 0.10;
/// Times all customers' share from which a share is said.
pub const MIN_OVER: f64 = 1.25;
/// Percentage points above all customers' mean share from which a share of spend, views or
/// orders is said.
pub const MIN_POINTS: f64 = 0.05;
/// Customers a level must have in the segment to be said.
pub const MIN_CUSTOMERS: f64 = 10.0;
/// Orders per customer from which a segment's spend and channel shares are said.
pub const MIN_ORDERS: f64 = 0.5;
/// Answers in the segment from which a survey item is said.
pub const MIN_RESPONDENTS: usize = 10;

fn stat<'a>(p: &'a SegmentProfile, feature: &str) -> Option<&'a FeatureStat> {
    p.features.iter().find(|f| f.feature == feature)
}

/// The over-represented shares of the numeric features named `prefix<level>` (`other` left
/// out), the largest ratio first, at most three.
fn shares(p: &SegmentProfile, base: &SegmentProfile, prefix: &str) -> Vec<ShareOf> {
    let mut out: Vec<(f64, ShareOf)> = p
        .features
        .iter()
        .filter_map(|f| {
            let level = f.feature.strip_prefix(prefix)?;
            if level == "other" {
                return None;
            }
            let share = f.mean?;
            let b = stat(base, &f.feature)?.mean?;
            (share >= MIN_SHARE && b > 0.0 && share >= MIN_OVER * b && share - b >= MIN_POINTS)
                .then(|| {
                    (
                        share / b,
                        ShareOf {
                            level: level.to_string(),
                            share,
                            base: b,
                        },
                    )
                })
        })
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.level.cmp(&b.1.level)));
    out.into_iter().take(3).map(|(_, s)| s).collect()
}

/// Where the segment's customers live: the region column's levels, else the country
/// column's; `None` when neither is mapped.
fn geography(p: &SegmentProfile) -> Option<PersonaFact> {
    let feature = ["region", "country"]
        .into_iter()
        .find(|f| p.composition.iter().any(|c| c.feature == *f))?;
    let mut levels: Vec<&super::Composition> = p
        .composition
        .iter()
        .filter(|c| c.feature == feature)
        .collect();
    let n = p.customers as f64;
    // A level whose share among all customers is missing from the segment differs too.
    let differs = levels.iter().any(|c| {
        let under = c.share * MIN_OVER <= c.base_share
            && c.base_share - c.share >= MIN_POINTS
            && (c.base_share - c.share) * n >= MIN_CUSTOMERS - 1e-9;
        c.over_represented(p.customers) || under
    });
    if !differs {
        return Some(PersonaFact::Geography {
            feature: feature.to_string(),
            levels: Vec::new(),
        });
    }
    // The largest first; among equals the more over-represented.
    levels.sort_by(|a, b| {
        b.share
            .total_cmp(&a.share)
            .then(b.over_representation.total_cmp(&a.over_representation))
            .then(a.level.cmp(&b.level))
    });
    let keep = levels
        .iter()
        .enumerate()
        .take_while(|(i, c)| *i < 2 || c.share >= MIN_SHARE)
        .take(3)
        .count();
    Some(PersonaFact::Geography {
        feature: feature.to_string(),
        levels: levels[..keep]
            .iter()
            .map(|c| ShareOf {
                level: c.level.clone(),
                share: c.share,
                base: c.base_share,
            })
            .collect(),
    })
}

/// The persona facts of segment `p` against the base, in card order: age, customer features
/// (geography last), categories bought and viewed, channels, survey answers.
pub(super) fn persona(p: &SegmentProfile, base: &SegmentProfile) -> Vec<PersonaFact> {
    let mut out = Vec::new();
    if let (Some(seg), Some(all)) = (stat(p, "age"), stat(base, "age")) {
        if let (Some(mean), Some(b), Some(lift)) = (seg.mean, all.mean, seg.lift) {
            if (mean - b).abs() >= MIN_AGE_YEARS && lift.abs() >= MIN_LIFT {
                out.push(PersonaFact::Age { mean, base: b });
            }
        }
    }
    // Levels of customer features; where they live is its own fact, after them.
    let geographic = |f: &str| f == "country" || f == "region";
    let mut levels: Vec<&super::Composition> = p
        .composition
        .iter()
        .filter(|c| {
            !geographic(&c.feature)
                && c.share >= MIN_SHARE
                && c.over_represented(p.customers)
                && c.level != "other"
        })
        .collect();
    // The profile lists the most over-represented first; keep that order within a feature.
    levels.sort_by_key(|c| (geographic(&c.feature), c.feature.clone()));
    let mut per_feature: std::collections::BTreeMap<&str, usize> = Default::default();
    for c in levels {
        let k = per_feature.entry(c.feature.as_str()).or_default();
        if *k < 2 {
            *k += 1;
            out.push(PersonaFact::Level {
                feature: c.feature.clone(),
                level: ShareOf {
                    level: c.level.clone(),
                    share: c.share,
                    base: c.base_share,
                },
            });
        }
    }
    if let Some(g) = geography(p) {
        out.push(g);
    }
    if p.frequency >= MIN_ORDERS {
        let bought = shares(p, base, "category_share_");
        if !bought.is_empty() {
            out.push(PersonaFact::Bought { levels: bought });
        }
    }
    if stat(p, "product_views")
        .and_then(|v| v.mean)
        .is_some_and(|v| v >= 1.0)
    {
        let viewed = shares(p, base, "category_view_share_");
        if !viewed.is_empty() {
            out.push(PersonaFact::Viewed { levels: viewed });
        }
    }
    if p.frequency >= MIN_ORDERS {
        let channels = shares(p, base, "channel_share_");
        if !channels.is_empty() {
            out.push(PersonaFact::Channels { levels: channels });
        }
    }
    let mut survey: Vec<PersonaFact> = Vec::new();
    let mut strength: Vec<f64> = Vec::new();
    for s in &p.survey {
        let all = base.survey.iter().find(|b| b.feature == s.feature);
        let (Some(mean), Some(lift), Some(n), Some(scale), Some(b)) =
            (s.mean, s.lift, s.n, s.scale, all.and_then(|a| a.mean))
        else {
            continue;
        };
        if lift.abs() < MIN_LIFT || n < MIN_RESPONDENTS {
            continue;
        }
        let at = strength
            .iter()
            .position(|x| lift.abs() > *x)
            .unwrap_or(strength.len());
        strength.insert(at, lift.abs());
        survey.insert(
            at,
            PersonaFact::Survey {
                feature: s.feature.clone(),
                mean,
                base: b,
                n,
                scale,
                higher: lift > 0.0,
                clearly: lift.abs() >= PersonaFact::CLEARLY,
            },
        );
    }
    survey.truncate(3);
    out.extend(survey);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(customers: usize, regions: &[(&str, f64, f64)]) -> SegmentProfile {
        let composition: Vec<_> = regions
            .iter()
            .map(|&(level, share, base)| {
                serde_json::json!({"feature": "region", "level": level, "share": share,
                    "base_share": base, "over_representation": share / base})
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "segment": "1", "name": "x", "description": "x", "customers": customers,
            "share": 0.1, "net_revenue": 0.0, "refunds": 0.0, "profit": 0.0,
            "revenue_share": 0.1, "refund_share": 0.1, "profit_share": 0.1, "frequency": 0.0,
            "features": [], "top_features": [], "composition": composition, "survey": [],
            "actions": [], "flags": []
        }))
        .unwrap()
    }

    #[test]
    fn geography_is_always_one_fact() {
        // Spread like all customers: no share 1.25 times (or under 1/1.25 of) the base's
        // and 5 points from it.
        let like = segment(
            200,
            &[
                ("Oslo", 0.36, 0.34),
                ("Vestland", 0.33, 0.33),
                ("Viken", 0.31, 0.33),
            ],
        );
        assert_eq!(
            geography(&like),
            Some(PersonaFact::Geography {
                feature: "region".into(),
                levels: vec![]
            })
        );
        // Oslo 1.5 times its base share: the three largest, the largest first (a level under
        // 10% only while fewer than two are named).
        let oslo = segment(
            200,
            &[
                ("Oslo", 0.51, 0.34),
                ("Vestland", 0.3, 0.33),
                ("Viken", 0.12, 0.2),
                ("Agder", 0.07, 0.13),
            ],
        );
        let Some(PersonaFact::Geography { levels, .. }) = geography(&oslo) else {
            panic!()
        };
        let names: Vec<&str> = levels.iter().map(|l| l.level.as_str()).collect();
        assert_eq!(names, ["Oslo", "Vestland", "Viken"]);
        assert_eq!((levels[0].share, levels[0].base), (0.51, 0.34));
        // The same difference in a segment of 20: under 10 customers apart, like all.
        let small = segment(20, &[("Oslo", 0.45, 0.34), ("Vestland", 0.55, 0.66)]);
        assert!(
            matches!(geography(&small), Some(PersonaFact::Geography { levels, .. }) if levels.is_empty())
        );
        // No region or country column: no fact.
        assert_eq!(geography(&segment(20, &[])), None);
    }

    /// Issue 18: "No region stands out" was printed above a table of over-represented regions
    /// (the table took any level at 5% of the segment and 1.2 times its base share): the card
    /// and the table now use one rule, so a region is in the table exactly when the card says
    /// where they live.
    #[test]
    fn no_region_stands_out_exactly_when_none_is_over_represented() {
        let over = |p: &SegmentProfile| -> Vec<String> {
            p.composition
                .iter()
                .filter(|c| c.over_represented(p.customers))
                .map(|c| c.level.clone())
                .collect()
        };
        let like_all = |p: &SegmentProfile| matches!(geography(p), Some(PersonaFact::Geography { levels, .. }) if levels.is_empty());
        // 200 customers: Västra Götaland 10% against 7% (1.43 times, but 3 points) and Rogaland
        // 7% against 6%: neither stands out (the old table listed Västra Götaland).
        let spread = segment(
            200,
            &[
                ("Oslo", 0.36, 0.34),
                ("Vestland", 0.47, 0.53),
                ("Västra Götaland", 0.10, 0.07),
                ("Rogaland", 0.07, 0.06),
            ],
        );
        assert!(like_all(&spread));
        assert!(over(&spread).is_empty());
        // 60 customers, Trøndelag 15% against 6%: 9 customers, under 10 (in the old table).
        let small = segment(60, &[("Trøndelag", 0.15, 0.06), ("Oslo", 0.85, 0.94)]);
        assert!(like_all(&small));
        assert!(over(&small).is_empty());
        // 200 customers, Oslo 51% against 34%: it stands out, in the card and the table.
        let oslo = segment(200, &[("Oslo", 0.51, 0.34), ("Vestland", 0.49, 0.66)]);
        assert!(!like_all(&oslo));
        assert_eq!(over(&oslo), ["Oslo"]);
    }
}
