//! What a segment's first suggested action could bring: an [`Opportunity`] sized from the
//! segment's own numbers under a stated assumption. The assumptions are round, modest shares
//! (a tenth of the customers respond, a quarter of the discount is not given), stated beside
//! every size so that a reader can scale them.

use super::SegmentProfile;
use crate::model::{Action, Opportunity};

/// VIP treatment: share more of their revenue after returns kept.
pub const VIP_KEPT: f64 = 0.05;
/// Reactivation: share of the lapsed buyers who come back for one order.
pub const REACTIVATION_RESPONSE: f64 = 0.10;
/// Win-back: share of the customers who place one more order.
pub const WIN_BACK_RESPONSE: f64 = 0.10;
/// Onboarding: share of the new customers with one order so far who place a second order.
pub const SECOND_ORDER: f64 = 0.10;
/// Retargeting: share of the browsers who place one order.
pub const RETARGET_CONVERSION: f64 = 0.02;
/// Fewer discounts: share of the discount not given (no order lost).
pub const LESS_DISCOUNT: f64 = 0.25;
/// Season campaign: share more orders in November–December.
pub const SEASON_MORE: f64 = 0.10;

/// The mean of a feature over the segment's customers with a value.
fn mean_of(s: &SegmentProfile, feature: &str) -> Option<f64> {
    s.features.iter().find(|f| f.feature == feature)?.mean
}

/// The opportunity of `action` for segment `s` (`base`: all customers, for the shop's
/// average order value); `None` where the numbers it needs are missing (no orders, no
/// lapsed buyer, no discount).
pub fn opportunity(
    action: &Action,
    s: &SegmentProfile,
    base: &SegmentProfile,
) -> Option<Opportunity> {
    let customers = s.customers;
    let n = customers as f64;
    let aov = s.aov.filter(|a| *a > 0.0);
    Some(match action {
        Action::VipTreatment => {
            let kept = s.net_revenue - s.refunds;
            (kept > 0.0).then_some(Opportunity::KeepMore {
                share: VIP_KEPT,
                kept_revenue: kept,
                value: VIP_KEPT * kept,
            })?
        }
        // At the segment's average order value, the number its card shows: the lapsed
        // buyers are most of the segment (the rule of the name "Lapsed", which alone leads
        // with reactivation), so their own value differs from it only by a few customers,
        // and two values both called the segment's would read as a contradiction.
        Action::Reactivation => {
            let l = s.lapsed.as_ref()?;
            let aov = aov?;
            Opportunity::Reactivate {
                customers: l.customers,
                days: l.days,
                share: REACTIVATION_RESPONSE,
                aov,
                value: l.reactivation_revenue(REACTIVATION_RESPONSE, aov)?,
            }
        }
        Action::WinBack => {
            let aov = aov?;
            Opportunity::WinBack {
                customers,
                share: WIN_BACK_RESPONSE,
                aov,
                value: WIN_BACK_RESPONSE * n * aov,
            }
        }
        // A second order is the next one only for the customers with one order so far (new
        // customers with 1.4 orders each are not all waiting for their second).
        Action::Onboarding => {
            let aov = aov?;
            let once = s.one_order_customers.filter(|n| *n > 0)?;
            Opportunity::SecondOrder {
                customers: once,
                share: SECOND_ORDER,
                aov,
                value: SECOND_ORDER * once as f64 * aov,
            }
        }
        Action::Retarget => {
            let aov = base.aov.filter(|a| *a > 0.0)?;
            Opportunity::Convert {
                customers,
                share: RETARGET_CONVERSION,
                aov,
                value: RETARGET_CONVERSION * n * aov,
            }
        }
        Action::LimitDiscounts => {
            // Revenue is after discount: on the discounted orders (their share of the revenue
            // taken as their share of the orders) the discount was depth / (1 − depth) of it.
            let share = mean_of(s, "discount_order_share")?;
            let depth = mean_of(s, "discount_depth")?;
            if !(0.0..1.0).contains(&depth) || depth == 0.0 || share <= 0.0 {
                return None;
            }
            let discount = s.net_revenue * share * depth / (1.0 - depth);
            Opportunity::LessDiscount {
                discount,
                share: LESS_DISCOUNT,
                value: LESS_DISCOUNT * discount,
            }
        }
        // One campaign, one season: the orders of one season, not of every season in the data.
        Action::SeasonCampaign { .. } => {
            let aov = aov?;
            let orders = s.season_orders?;
            (orders > 0.0).then_some(Opportunity::SeasonOrders {
                orders,
                share: SEASON_MORE,
                aov,
                value: SEASON_MORE * orders * aov,
            })?
        }
        // Fewer returns come from the sizing and the terms, not from the ad lists: only the
        // review carries the returns' upper bound.
        Action::ReviewSizingAndReturns => Opportunity::FewerReturns {
            value: s.flags.iter().find_map(|f| f.facts.impact_profit())?,
        },
        Action::SuppressFromPaidMedia => return None,
        Action::CheckForBots { .. } => Opportunity::NotSizedBots,
        Action::KeepRegular { .. } => Opportunity::NotSizedRegular,
        Action::ExcludeReturners { .. } => Opportunity::NotSizedExclusion,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// A segment of 100 customers: 50 000 before returns, 10 000 refunded, 250 an order, two
    /// orders each on average (60 of them with one order so far); half their orders discounted
    /// by a fifth; 60% of orders in Nov–Dec, over two seasons: 60 orders a season.
    fn segment(aov: f64) -> SegmentProfile {
        let stat = |f: &str, m: f64| serde_json::json!({"feature": f, "mean": m, "median": m, "lift": 0.0});
        serde_json::from_value(serde_json::json!({
            "segment": "1", "name": "x", "description": "x", "customers": 100, "share": 0.1,
            "net_revenue": 50000.0, "refunds": 10000.0, "profit": 9000.0,
            "revenue_share": 0.1, "refund_share": 0.1, "profit_share": 0.1,
            "aov": aov, "frequency": 2.0, "one_order_customers": 60, "season_orders": 60.0,
            "features": [
                stat("discount_order_share", 0.5),
                stat("discount_depth", 0.2),
                stat("holiday_order_share", 0.6)
            ],
            "top_features": [], "composition": [], "survey": [], "actions": [], "flags": []
        }))
        .unwrap()
    }

    #[test]
    fn every_action_sized_from_the_segments_own_numbers() {
        let s = segment(250.0);
        let base = segment(400.0);
        let value = |a: Action| opportunity(&a, &s, &base).and_then(|o| o.value());
        let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-6);
        // VIP: 5% of the 40 000 kept after returns.
        assert!(close(value(Action::VipTreatment), 2_000.0));
        // Win-back: 10% of 100 customers × 250.
        assert!(close(value(Action::WinBack), 2_500.0));
        // Onboarding (issue 18): a second order only for the 60 with one order so far, 10% of
        // them × 250 (not 10% of all 100).
        assert!(close(value(Action::Onboarding), 1_500.0));
        assert!(matches!(
            opportunity(&Action::Onboarding, &s, &base),
            Some(Opportunity::SecondOrder { customers: 60, .. })
        ));
        assert!(Lang::Nb
            .opportunity(&opportunity(&Action::Onboarding, &s, &base).unwrap(), Some("NOK"), "", false)
            .starts_with("60 av dem har bare handlet én gang så langt; hvis 10\u{a0}% av disse handlet for andre gang"));
        let mut none_once = s.clone();
        none_once.one_order_customers = Some(0);
        assert_eq!(opportunity(&Action::Onboarding, &none_once, &base), None);
        // Retargeting: 2% of 100 × the shop's 400.
        assert!(close(value(Action::Retarget), 800.0));
        // Discounts: 50 000 × 0.5 × 0.2 / 0.8 = 6 250 given; a quarter of it.
        let op = opportunity(&Action::LimitDiscounts, &s, &base).unwrap();
        assert!(
            matches!(op, Opportunity::LessDiscount { discount, .. } if (discount - 6_250.0).abs() < 1e-6)
        );
        assert!(close(op.value(), 1_562.5));
        // Season (issue 18): 100 × 2 × 0.6 = 120 orders in Nov–Dec over two seasons, 60 in
        // one; 10% more × 250. One campaign is sized on one season.
        assert!(close(
            value(Action::SeasonCampaign { weeks: Some(4) }),
            1_500.0
        ));
        // Not sized, said so; and no size without the numbers it needs.
        assert_eq!(
            opportunity(&Action::CheckForBots { sessions_ratio: 9 }, &s, &base),
            Some(Opportunity::NotSizedBots)
        );
        assert_eq!(
            opportunity(&Action::KeepRegular { feature: None }, &s, &base),
            Some(Opportunity::NotSizedRegular)
        );
        assert_eq!(opportunity(&Action::SuppressFromPaidMedia, &s, &base), None);
        assert_eq!(opportunity(&Action::Reactivation, &s, &base), None);
    }

    /// Issue 18: the reactivation is sized at the segment's average order value, the one its
    /// card shows (783 on the card beside 782 in the sizing was one number twice).
    #[test]
    fn reactivation_takes_the_average_order_value_the_card_shows() {
        // 100 customers at 250 an order; 90 of them lapsed, at 200 an order of their own
        // (18 000 over 90 orders).
        let mut s = segment(250.0);
        s.lapsed = Some(super::super::LapsedBuyers {
            refunds: 0.0,
            days: 365.0,
            customers: 90,
            orders: 90.0,
            net_revenue: 18_000.0,
        });
        let op = opportunity(&Action::Reactivation, &s, &s).unwrap();
        // 10% of the 90 lapsed buyers × 250 = 2 250 (not × 200 = 1 800).
        assert_eq!(
            op,
            Opportunity::Reactivate {
                customers: 90,
                days: 365.0,
                share: REACTIVATION_RESPONSE,
                aov: 250.0,
                value: 2_250.0,
            }
        );
        for lang in Lang::ALL {
            let card = lang.money(s.aov.unwrap(), Some("NOK"));
            let text = lang.opportunity(&op, Some("NOK"), "", false);
            assert!(text.contains(&format!("({card})")), "{lang:?}: {text}");
        }
        // A segment without orders has no average order value to size it with.
        s.aov = None;
        assert_eq!(opportunity(&Action::Reactivation, &s, &s), None);
    }

    /// Issue 18: every size says what it is an amount of (the sizes' column mixed profit and
    /// revenue unsaid), and its sentence names the same measure in every language.
    #[test]
    fn every_size_names_its_measure() {
        use crate::model::Measure;
        let s = segment(250.0);
        let mut lapsed = s.clone();
        lapsed.lapsed = Some(super::super::LapsedBuyers {
            refunds: 0.0,
            days: 365.0,
            customers: 10,
            orders: 20.0,
            net_revenue: 5_000.0,
        });
        let measure = |a: Action, s: &SegmentProfile| opportunity(&a, s, s).unwrap().measure();
        assert_eq!(
            measure(Action::VipTreatment, &s),
            Some(Measure::RevenueAfterReturns)
        );
        for a in [
            Action::WinBack,
            Action::Onboarding,
            Action::Retarget,
            Action::SeasonCampaign { weeks: None },
        ] {
            assert_eq!(measure(a, &s), Some(Measure::RevenueBeforeReturns));
        }
        assert_eq!(
            measure(Action::Reactivation, &lapsed),
            Some(Measure::RevenueBeforeReturns)
        );
        assert_eq!(measure(Action::LimitDiscounts, &s), Some(Measure::Profit));
        assert_eq!(
            Opportunity::FewerReturns { value: 1.0 }.measure(),
            Some(Measure::Profit)
        );
        assert_eq!(measure(Action::KeepRegular { feature: None }, &s), None);
        let sized = [
            Action::VipTreatment,
            Action::WinBack,
            Action::Onboarding,
            Action::Retarget,
            Action::LimitDiscounts,
            Action::SeasonCampaign { weeks: None },
        ]
        .map(|a| opportunity(&a, &s, &s).unwrap());
        let more = [
            opportunity(&Action::Reactivation, &lapsed, &lapsed).unwrap(),
            Opportunity::FewerReturns { value: 1234.0 },
        ];
        for op in sized.iter().chain(&more) {
            for lang in Lang::ALL {
                let word = lang.measure(op.measure(), false).to_lowercase();
                let text = lang.opportunity(op, Some("NOK"), "", false).to_lowercase();
                // "revenue after returns" whole; "revenue" or "profit" for the others.
                let named = match op.measure() {
                    Some(Measure::RevenueAfterReturns) => word.clone(),
                    _ => word.split(' ').next().unwrap().to_string(),
                };
                assert!(
                    text.contains(&named),
                    "{lang:?} {op:?}: {named:?} in {text}"
                );
            }
        }
        assert_eq!(
            Lang::Nb.measure(Some(Measure::Profit), false),
            "Fortjeneste"
        );
        // Without cost data: revenue after returns and their handling (what the sizes are).
        assert_eq!(
            Lang::Nb.measure(Some(Measure::Profit), true),
            "Omsetning etter returer og returhåndtering"
        );
        assert_eq!(Lang::Nb.measure(None, false), "–");
    }

    #[test]
    fn every_opportunity_states_its_assumption_in_every_language() {
        let s = segment(250.0);
        let season = opportunity(&Action::SeasonCampaign { weeks: None }, &s, &s).unwrap();
        assert_eq!(
            Lang::Nb.opportunity(&season, Some("NOK"), "", false),
            "hvis julekampanjen ga 10\u{a0}% flere ordrer enn de 60 de legger inn i én julesesong (november–desember; i snitt siden hver kundes første ordre), ville det med segmentets gjennomsnittlige ordreverdi (250\u{a0}kr) gi omkring 1\u{a0}500\u{a0}kr i omsetning per sesong (forutsetning: 10\u{a0}% flere ordrer i sesongen; før kostnader)."
        );
        // Two significant digits: 1 562.5 is about 1 600.
        let discount = opportunity(&Action::LimitDiscounts, &s, &s).unwrap();
        assert!(Lang::En
            .opportunity(
                &discount,
                Some("EUR"),
                "from 2024-01-01 to 2025-12-31",
                false
            )
            .contains("profit would rise by about €1,600 (assumption: 25% less discount"));
        let all = [
            Action::VipTreatment,
            Action::WinBack,
            Action::Onboarding,
            Action::Retarget,
            Action::LimitDiscounts,
            Action::SeasonCampaign { weeks: None },
            Action::CheckForBots { sessions_ratio: 9 },
            Action::KeepRegular { feature: None },
        ]
        .map(|a| opportunity(&a, &s, &s).unwrap());
        let extra = [
            Opportunity::FewerReturns { value: 1234.0 },
            Opportunity::Reactivate {
                customers: 16,
                days: 365.0,
                share: 0.1,
                aov: 300.0,
                value: 480.0,
            },
        ];
        for op in all.iter().chain(&extra) {
            for lang in Lang::ALL {
                let text = lang.opportunity(op, Some("NOK"), &lang.period(None, ""), false);
                assert!(!text.contains('{'), "{lang:?} {op:?}: {text}");
                if lang != Lang::En && op.value().is_some() {
                    assert_ne!(
                        text,
                        Lang::En.opportunity(op, Some("NOK"), "", false),
                        "{op:?}"
                    );
                }
            }
        }
    }

    /// Without cost data the sizes measured in profit say revenue after returns, in every
    /// language, and their column says so too.
    #[test]
    fn sizes_in_a_shop_without_cost_data_are_revenue_not_profit() {
        let ops = [
            Opportunity::FewerReturns { value: 1000.0 },
            Opportunity::LessDiscount {
                discount: 400.0,
                share: 0.25,
                value: 100.0,
            },
        ];
        for op in &ops {
            let en = Lang::En.opportunity(op, None, "", true);
            assert!(en.contains("revenue after returns"), "{en}");
            assert!(!en.contains("profit"), "{en}");
            for lang in [Lang::Nb, Lang::Sv, Lang::Da] {
                assert_ne!(
                    lang.opportunity(op, None, "", true),
                    lang.opportunity(op, None, "", false),
                    "{lang:?}"
                );
            }
            assert_eq!(
                Lang::Sv.measure(op.measure(), true),
                "Omsättning efter returer och returhantering"
            );
        }
    }
}
