//! Profiles by hand on a tiny table: four customers in two segments and one unassigned.

use chrono::NaiveDate;
use polars::prelude::*;
use segmint::config::FlagOptions;
use segmint::features::{FeatureSpec, Features, Group, Kind};
use segmint::i18n::Lang;
use segmint::model::{
    Action, Assignment, CustomerFlag, FlagFacts, FlagKind, OrderPattern, SegmentId,
};
use segmint::profile::profile;

use crate::common::behaviour_spec as spec;
use segmint::profile::{Profiles, SegmentProfile};

/// The profile of a hand-made table whose columns (besides `customer_id`) are the behaviour
/// features `kinds`, customer i in segment `segment[i]` (0-based), as of 2024-01-01.
fn profile_of(table: DataFrame, kinds: &[(&str, Kind)], segment: &[usize]) -> Profiles {
    profile_with(table, kinds, segment, &FlagOptions::default())
}

/// [`profile_of`] with these flag options.
fn profile_with(
    table: DataFrame,
    kinds: &[(&str, Kind)],
    segment: &[usize],
    opts: &FlagOptions,
) -> Profiles {
    profile_run(table, kinds, segment, opts, false)
}

/// [`profile_of`] for a run without cost data ([`segmint::model::RunNote::NoCost`]).
fn profile_no_cost(table: DataFrame, kinds: &[(&str, Kind)], segment: &[usize]) -> Profiles {
    profile_run(table, kinds, segment, &FlagOptions::default(), true)
}

fn profile_run(
    table: DataFrame,
    kinds: &[(&str, Kind)],
    segment: &[usize],
    opts: &FlagOptions,
    no_cost: bool,
) -> Profiles {
    let n = table.height();
    let ids = crate::common::ids(&table);
    let features = Features {
        table,
        specs: kinds.iter().map(|&(f, k)| spec(f, k)).collect(),
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    let assignment = Assignment {
        ids,
        segment: segment.iter().map(|&s| Some(SegmentId(s))).collect(),
        distance: vec![None; n],
        silhouette: vec![None; n],
    };
    profile(&features, &assignment, opts, no_cost).unwrap()
}

/// Segment `label` ("1", "2", ...) of a profile.
fn seg<'a>(p: &'a Profiles, label: &str) -> &'a SegmentProfile {
    p.segment(segmint::model::SegmentLabel::parse(label).unwrap())
        .unwrap()
}

/// The hand-made shop of twelve customers, `c00` to `c11`, four to a segment.
const TWELVE: usize = 12;

fn twelve_ids() -> Vec<String> {
    (0..TWELVE).map(|i| format!("c{i:02}")).collect()
}

/// A column of the twelve: each segment's value for its four customers.
fn by_four(v: [f64; 3]) -> Vec<f64> {
    (0..TWELVE).map(|i| v[i / 4]).collect()
}

/// The twelve's segments (0-based).
fn fours() -> Vec<usize> {
    (0..TWELVE).map(|i| i / 4).collect()
}

fn fixture() -> (Features, Assignment) {
    // a, b in segment 1; c in segment 2; d unassigned.
    let table = df!(
        "customer_id" => ["a", "b", "c", "d"],
        "frequency" => [2.0, 4.0, 5.0, 1.0],
        "net_revenue" => [100.0, 300.0, 1000.0, 50.0],
        "refunds" => [0.0, 30.0, 900.0, 0.0],
        "contribution_profit" => [40.0, 100.0, -20.0, 10.0],
        "items_per_order" => [1.0, 2.0, 2.0, 1.0],
        "return_rate_items" => [0.0, 0.125, 0.9, 0.0],
        "return_rate_value" => [0.0, 0.1, 0.9, 0.0],
        "recency_days" => [10.0, 30.0, 20.0, 400.0],
        "country" => ["NO", "NO", "SE", "SE"],
    )
    .unwrap();
    let specs = vec![
        spec("frequency", Kind::Count),
        spec("net_revenue", Kind::Money),
        spec("refunds", Kind::Money),
        spec("contribution_profit", Kind::Money),
        spec("items_per_order", Kind::Count),
        spec("return_rate_items", Kind::Rate),
        spec("return_rate_value", Kind::Rate),
        spec("recency_days", Kind::Days),
        FeatureSpec {
            group: Group::Demographic,
            ..spec("country", Kind::Categorical)
        },
    ];
    let features = Features {
        table,
        specs,
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    // Assignment rows in another order than the features: matched by id.
    let assignment = Assignment {
        ids: vec!["d".into(), "c".into(), "b".into(), "a".into()],
        segment: vec![
            None,
            Some(SegmentId(1)),
            Some(SegmentId(0)),
            Some(SegmentId(0)),
        ],
        distance: vec![None; 4],
        silhouette: vec![None; 4],
    };
    (features, assignment)
}

#[track_caller]
fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} vs {b}");
}

#[test]
fn headline_numbers_by_hand() {
    let (f, a) = fixture();
    let p = profile(&f, &a, &FlagOptions::default(), false).unwrap();
    let base = &p.base;
    assert_eq!(base.customers, 4);
    close(base.net_revenue, 1450.0);
    close(base.refunds, 930.0);
    close(base.profit, 130.0);
    let s1 = &p.segments[0];
    assert_eq!((s1.segment.to_string().as_str(), s1.customers), ("1", 2));
    close(s1.share, 0.5);
    close(s1.net_revenue, 400.0);
    close(s1.revenue_share, 400.0 / 1450.0);
    close(s1.profit_share, 140.0 / 130.0);
    close(s1.profit_margin.unwrap(), 140.0 / 400.0);
    close(s1.return_rate_value.unwrap(), 30.0 / 400.0);
    // items: a 2·1 = 2, b 4·2 = 8; returned: b 8 · 0.125 = 1 → 1/10.
    close(s1.return_rate_items.unwrap(), 0.1);
    close(s1.aov.unwrap(), 400.0 / 6.0);
    close(s1.frequency, 3.0);
    close(s1.recency_days.unwrap(), 20.0);
    // Lift of frequency: segment mean 3, base mean 3, so 0; of net_revenue: mean 200 vs base
    // mean 362.5 with population sd sqrt(((100−362.5)² + (300−362.5)² + (1000−362.5)² + (50−362.5)²)/4).
    let sd =
        ((262.5f64.powi(2) + 62.5f64.powi(2) + 637.5f64.powi(2) + 312.5f64.powi(2)) / 4.0).sqrt();
    let nr = s1
        .features
        .iter()
        .find(|x| x.feature == "net_revenue")
        .unwrap();
    close(nr.lift.unwrap(), (200.0 - 362.5) / sd);
    close(nr.median.unwrap(), 200.0);
    // Composition: both NO, base share of NO 0.5 → over-representation 2.
    let no = s1.composition.iter().find(|c| c.level == "NO").unwrap();
    close(no.share, 1.0);
    close(no.over_representation, 2.0);
    // Unassigned customers get their own row, and everything adds up.
    assert_eq!(
        p.segments.last().unwrap().segment,
        segmint::model::SegmentLabel::Unassigned
    );
    p.reconcile().unwrap();
    // Lapsed buyers: the base's median recency is 25 days and it has no time between orders,
    // so a customer who ordered counts as lapsed after max(365, 2 × 25) = 365 days: d only
    // (1 order, 50, 400 days), who is unassigned.
    let lapsed = |s: &segmint::profile::SegmentProfile| {
        let l = s.lapsed.as_ref().unwrap();
        (l.days, l.customers, l.orders, l.net_revenue)
    };
    assert_eq!(lapsed(base), (365.0, 1, 1.0, 50.0));
    assert_eq!(lapsed(s1), (365.0, 0, 0.0, 0.0));
    assert_eq!(lapsed(p.segments.last().unwrap()), (365.0, 1, 1.0, 50.0));
    // 10% of one customer at an average order value of 50: 5.
    let lapsed_base = base.lapsed.as_ref().unwrap();
    close(lapsed_base.reactivation_revenue(0.1, 50.0).unwrap(), 5.0);
    assert_eq!(
        s1.lapsed.as_ref().unwrap().reactivation_revenue(0.1, 50.0),
        None
    );
}

#[test]
fn high_return_segment_and_customers_are_flagged() {
    let (f, a) = fixture();
    let p = profile(&f, &a, &FlagOptions::default(), false).unwrap();
    let s2 = &p.segments[1];
    assert_eq!(s2.name, "Serial returners");
    // c alone: 1 of 4 customers, 1000 of 1450 revenue (69%), −20 of 130 profit (−15%), 5
    // orders and no time between orders in the table, 20 days, 900/1000 returned.
    let facts = s2.description_facts.as_ref().unwrap();
    assert_eq!(facts.orders, OrderPattern::Orders { frequency: 5.0 });
    // Kept after returns: 1000 − 900 = 100 of 1450 − 930 = 520 (19%), 100 per customer.
    assert_eq!(
        s2.description,
        "25% of customers, 69% of revenue before returns and 19% after returns, -15% of profit; 100 per customer after returns; 5.0 orders each; last order 20 days ago (median); 90% returned by value"
    );
    assert_eq!(
        s2.description_in(Lang::Nb, Some("NOK"), false),
        "25\u{a0}% av kundene, 69\u{a0}% av omsetningen før returer og 19\u{a0}% etter returer, −15\u{a0}% av fortjenesten; 100\u{a0}kr per kunde etter returer; 5,0 ordrer i snitt; siste ordre for 20 dager siden (median); 90\u{a0}% av verdien returnert."
    );
    let flag = s2
        .flags
        .iter()
        .find(|f| f.kind() == FlagKind::LowProfitHighReturn)
        .unwrap();
    assert!(
        flag.message.contains("return 90% by value"),
        "{}",
        flag.message
    );
    assert!(s2
        .actions
        .iter()
        .any(|a| a.contains("Suppress from paid media")));
    // Customer-level: c returned 90% over 5 orders (>= 0.67 over >= 3).
    let ids: Vec<&str> = p
        .flagged_customers
        .iter()
        .map(|c| c.customer_id.as_str())
        .collect();
    assert_eq!(ids, ["c"]);
    let c = &p.flagged_customers[0];
    let CustomerFlag::HighReturns {
        return_rate,
        orders,
        threshold,
        min_orders,
    } = c.flag;
    assert!((return_rate - 0.9).abs() < 1e-9, "{return_rate}");
    assert_eq!((orders, threshold, min_orders), (5.0, 2.0 / 3.0, 3));
    assert_eq!(
        c.reason,
        "returned 90% of the value bought over 5 orders (threshold 67% over at least 3)"
    );
    assert_eq!(
        c.reason_in(Lang::Sv),
        "returnerade 90\u{a0}% av köpvärdet på 5 order (tröskel 67\u{a0}% vid minst 3 order)"
    );
    assert!(p.segments[0]
        .flags
        .iter()
        .all(|f| f.kind() != FlagKind::LowProfitHighReturn));
}

#[test]
fn mismatched_assignments_are_an_error() {
    let (f, mut a) = fixture();
    a.ids[0] = "zz".into();
    let err = profile(&f, &a, &FlagOptions::default(), false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("\"d\""), "{err}");
}

/// Issue 13: "lapsed" was 365 days whatever the shop; a grocery household that bought every
/// week and has been gone for half a year is lapsed too, a furniture buyer gone as long is not.
#[test]
fn lapsed_is_measured_in_the_shops_own_gaps_between_orders() {
    let shop = |gap: f64| {
        // a–d buy and bought recently; e, f stopped 160 and 180 days ago.
        let table = df!(
            "customer_id" => ["a", "b", "c", "d", "e", "f"],
            "frequency" => [40.0, 40.0, 40.0, 40.0, 20.0, 20.0],
            "net_revenue" => [4000.0, 4000.0, 4000.0, 4000.0, 2000.0, 2000.0],
            "refunds" => [0.0; 6],
            "contribution_profit" => [400.0, 400.0, 400.0, 400.0, 200.0, 200.0],
            "recency_days" => [3.0, 5.0, 7.0, 9.0, 160.0, 180.0],
            "interpurchase_mean_days" => [gap, gap, gap, gap, gap, gap],
        )
        .unwrap();
        let specs = vec![
            spec("frequency", Kind::Count),
            spec("net_revenue", Kind::Money),
            spec("refunds", Kind::Money),
            spec("contribution_profit", Kind::Money),
            spec("recency_days", Kind::Days),
            spec("interpurchase_mean_days", Kind::Days),
        ];
        let features = Features {
            table,
            specs,
            sources: vec![],
            as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        };
        let assignment = Assignment {
            ids: ["a", "b", "c", "d", "e", "f"].map(String::from).to_vec(),
            segment: [0, 0, 0, 0, 1, 1].map(|s| Some(SegmentId(s))).to_vec(),
            distance: vec![None; 6],
            silhouette: vec![None; 6],
        };
        let p = profile(&features, &assignment, &FlagOptions::default(), false).unwrap();
        (p.segments[0].name.clone(), p.segments[1].name.clone())
    };
    // Weekly buyers: median recency 170 ≥ 2 × the base's 8 and ≥ 5 × 7 days.
    let (stay, gone) = shop(7.0);
    assert_eq!(gone, "Lapsed");
    assert_ne!(stay, "Lapsed");
    // A purchase every 300 days: 170 days without one is not lapsed (under a year and under
    // five gaps).
    let (_, gone) = shop(300.0);
    assert_ne!(gone, "Lapsed");
}

/// Issue 13, must-show 5: "occasionals" only for a discount-driven segment that orders under
/// half as often as the base. Three segments of four: deal seekers with 4 orders (the base
/// mean is 14 / 3 ≈ 4.7: below it, but not occasional), regulars with 9, and discount buyers
/// with 1 order. The old rule (fewer orders than the base) called the first "occasionals".
#[test]
fn discount_driven_occasionals_order_under_half_as_often_as_the_base() {
    let col = |a: f64, b: f64, c: f64| by_four([a, b, c]);
    let ids = twelve_ids();
    let table = df!(
        "customer_id" => ids.clone(),
        "frequency" => col(4.0, 9.0, 1.0),
        "discount_order_share" => col(0.95, 0.1, 0.9),
        "net_revenue" => col(400.0, 1800.0, 80.0),
        "refunds" => col(0.0, 0.0, 0.0),
        "contribution_profit" => col(100.0, 600.0, 20.0),
        "recency_days" => col(30.0, 20.0, 60.0),
    )
    .unwrap();
    let specs = vec![
        spec("frequency", Kind::Count),
        spec("discount_order_share", Kind::Rate),
        spec("net_revenue", Kind::Money),
        spec("refunds", Kind::Money),
        spec("contribution_profit", Kind::Money),
        spec("recency_days", Kind::Days),
    ];
    let features = Features {
        table,
        specs,
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    let assignment = Assignment {
        segment: fours().into_iter().map(|s| Some(SegmentId(s))).collect(),
        ids,
        distance: vec![None; TWELVE],
        silhouette: vec![None; TWELVE],
    };
    let p = profile(&features, &assignment, &FlagOptions::default(), false).unwrap();
    let name = |label: &str| {
        let s = p
            .segment(segmint::model::SegmentLabel::parse(label).unwrap())
            .unwrap();
        s.name_facts.as_ref().map(|n| n.kind.clone())
    };
    use segmint::model::NameKind;
    assert_eq!(name("1"), Some(NameKind::DealSeekers));
    assert_eq!(name("3"), Some(NameKind::DiscountDrivenOccasionals));
    // No customer returned anything (no return data): descriptions say nothing of returns
    // rather than "0% returned by value".
    for s in &p.segments {
        let facts = s.description_facts.as_ref().unwrap();
        assert_eq!(facts.return_rate_value, None);
        assert!(!s.description.contains("returned"), "{}", s.description);
    }
}

/// Deal seekers below the discount-dependence flag's 70% still get the discount lever when
/// they bring less than their share of profit, and discounts are never "what sets them apart"
/// to lean on (the truth bench's overlap6: "Deal seekers", 53% of orders discounted against
/// 30%, 23% of customers and 14% of profit, were told to "keep in regular campaigns; lean on
/// the high share of orders with discount"). Three segments of four; segment 1 takes a
/// discount on 55% of its orders (the others 10% and 20%) and brings 4 × `profit` of the
/// profit against 4 × 200 and 4 × 150.
#[test]
fn deal_seekers_below_the_flag_get_the_discount_lever_never_lean_on_discounts() {
    let col = |a: f64, b: f64, c: f64| by_four([a, b, c]);
    let shop = |profit: f64| {
        let table = df!(
            "customer_id" => twelve_ids(),
            "frequency" => col(4.0, 5.0, 4.0),
            "discount_order_share" => col(0.55, 0.1, 0.2),
            "net_revenue" => col(400.0, 500.0, 450.0),
            "refunds" => col(0.0, 0.0, 0.0),
            "contribution_profit" => col(profit, 200.0, 150.0),
        )
        .unwrap();
        profile_of(
            table,
            &[
                ("frequency", Kind::Count),
                ("discount_order_share", Kind::Rate),
                ("net_revenue", Kind::Money),
                ("refunds", Kind::Money),
                ("contribution_profit", Kind::Money),
            ],
            &fours(),
        )
    };
    use segmint::model::NameKind;
    // 160 of 1,560 profit (10%) for a third of the customers.
    let p = shop(40.0);
    let s1 = seg(&p, "1");
    assert_eq!(
        s1.name_facts.as_ref().map(|n| n.kind.clone()),
        Some(NameKind::DealSeekers)
    );
    assert!(s1.flags.is_empty(), "{:?}", s1.flags);
    assert_eq!(
        s1.action_facts.as_deref(),
        Some(&[Action::LimitDiscounts][..])
    );
    // 800 of 2,200 (36%) for a third: no lever needed, and nothing to lean on but discounts.
    let p = shop(200.0);
    let actions = seg(&p, "1").action_facts.clone().unwrap();
    assert!(
        matches!(&actions[..], [Action::KeepRegular { feature }] if feature.as_deref() != Some("discount_order_share")),
        "{actions:?}"
    );
}

/// A hostile test shop (grocery, weekly base): a discount segment that orders every 15 days,
/// under half as often as the base, was named "Discount-driven occasionals". Occasional needs
/// a gap between orders of two months or more; a segment without repeat orders may be one.
#[test]
fn customers_who_order_every_two_weeks_are_not_occasional() {
    let col = |a: f64, b: f64, c: f64| by_four([a, b, c]);
    let shop = |gap_2: Option<f64>| {
        let gaps: Vec<Option<f64>> = by_four([7.0, gap_2.unwrap_or(0.0), 120.0])
            .into_iter()
            .enumerate()
            .map(|(i, g)| (gap_2.is_some() || !(4..8).contains(&i)).then_some(g))
            .collect();
        let table = df!(
            "customer_id" => twelve_ids(),
            // The base orders 24.3 times on average; segment 2 a third of that.
            "frequency" => col(60.0, 10.0, 3.0),
            "discount_order_share" => col(0.1, 0.9, 0.9),
            "net_revenue" => col(6000.0, 800.0, 240.0),
            "refunds" => col(0.0, 0.0, 0.0),
            "contribution_profit" => col(600.0, 80.0, 24.0),
            "recency_days" => col(3.0, 10.0, 20.0),
            "interpurchase_mean_days" => gaps,
        )
        .unwrap();
        let p = profile_of(
            table,
            &[
                ("frequency", Kind::Count),
                ("discount_order_share", Kind::Rate),
                ("net_revenue", Kind::Money),
                ("refunds", Kind::Money),
                ("contribution_profit", Kind::Money),
                ("recency_days", Kind::Days),
                ("interpurchase_mean_days", Kind::Days),
            ],
            &fours(),
        );
        let name = |label: &str| seg(&p, label).name_facts.as_ref().map(|n| n.kind.clone());
        (name("2"), name("3"))
    };
    use segmint::model::NameKind;
    // Every 15 days: deal seekers; every 120 days: discount-driven occasionals.
    assert_eq!(
        shop(Some(15.0)),
        (
            Some(NameKind::DealSeekers),
            Some(NameKind::DiscountDrivenOccasionals)
        )
    );
    // Every 60 days is at the bound: occasional; no repeat orders known: occasional.
    assert_eq!(
        shop(Some(60.0)).0,
        Some(NameKind::DiscountDrivenOccasionals)
    );
    assert_eq!(shop(None).0, Some(NameKind::DiscountDrivenOccasionals));
}

/// A hostile test shop's two new-customer segments: "New customers" and "New customers, few
/// days since first order". The qualifier must say something the name does not: the first
/// distinguishing feature other than tenure.
#[test]
fn a_qualifier_does_not_repeat_its_name() {
    let n = 16;
    let ids: Vec<String> = (0..n).map(|i| format!("c{i:02}")).collect();
    // Segments 1 and 2 joined weeks ago, segment 3 (half the customers) years ago; segment 2
    // joined later than segment 1 and differs from it in nothing else.
    let of = |i: usize| match i {
        0..4 => 0,
        4..8 => 1,
        _ => 2,
    };
    let by = |v: [f64; 3]| -> Vec<f64> { (0..n).map(|i| v[of(i)]).collect() };
    let table = df!(
        "customer_id" => ids,
        "tenure_days" => by([80.0, 5.0, 900.0]),
        "frequency" => by([1.0, 1.0, 8.0]),
        "aov" => by([100.0, 100.0, 100.0]),
        "net_revenue" => by([100.0, 100.0, 800.0]),
        "refunds" => by([0.0, 0.0, 0.0]),
        "contribution_profit" => by([20.0, 20.0, 160.0]),
        "recency_days" => by([30.0, 30.0, 30.0]),
    )
    .unwrap();
    let p = profile_of(
        table,
        &[
            ("tenure_days", Kind::Days),
            ("frequency", Kind::Count),
            ("aov", Kind::Money),
            ("net_revenue", Kind::Money),
            ("refunds", Kind::Money),
            ("contribution_profit", Kind::Money),
            ("recency_days", Kind::Days),
        ],
        &(0..n).map(of).collect::<Vec<_>>(),
    );
    use segmint::model::{NameKind, Qualifier};
    let facts = |label: &str| seg(&p, label).name_facts.clone().unwrap();
    let (one, two) = (facts("1"), facts("2"));
    assert_eq!(
        (&one.kind, &two.kind),
        (&NameKind::NewCustomers, &NameKind::NewCustomers)
    );
    assert_eq!(
        seg(&p, "2").top_features[0].feature,
        "tenure_days",
        "the fixture's point: tenure sets segment 2 apart most"
    );
    assert!(!two.qualifiers.is_empty());
    for q in &two.qualifiers {
        assert!(
            !matches!(q, Qualifier::Feature { feature, .. } if feature == "tenure_days"),
            "{two:?}"
        );
    }
}

/// A hostile test shop's catch-all segment "Few cart adds" was told to "lean on what sets them
/// apart (cart adds)", and a segment set apart by its returns to lean on its returns. The
/// action names the first distinguishing feature that is high and not a cost; none: nothing
/// stands out.
#[test]
fn keep_regular_leans_on_a_strength() {
    let table = df!(
        "customer_id" => twelve_ids(),
        "frequency" => by_four([4.0, 4.0, 4.0]),
        "net_revenue" => by_four([400.0, 400.0, 400.0]),
        "refunds" => by_four([0.0, 40.0, 0.0]),
        "contribution_profit" => by_four([100.0, 100.0, 100.0]),
        "recency_days" => by_four([30.0, 30.0, 30.0]),
        // Segment 1: far fewer cart adds (its top feature), a slightly better cart-to-purchase rate.
        "cart_adds" => by_four([1.0, 12.0, 12.0]),
        "cart_to_purchase" => [0.2, 0.5, 0.3, 0.4, 0.1, 0.5, 0.2, 0.4, 0.1, 0.5, 0.2, 0.4],
        // Segment 2: returns set it apart, and nothing high but them.
        "return_rate_value" => by_four([0.0, 0.1, 0.0]),
    )
    .unwrap();
    let p = profile_of(
        table,
        &[
            ("frequency", Kind::Count),
            ("net_revenue", Kind::Money),
            ("refunds", Kind::Money),
            ("contribution_profit", Kind::Money),
            ("recency_days", Kind::Days),
            ("cart_adds", Kind::Count),
            ("cart_to_purchase", Kind::Rate),
            ("return_rate_value", Kind::Rate),
        ],
        &fours(),
    );
    use segmint::model::Action;
    let one = seg(&p, "1");
    assert_eq!(
        one.top_features[0].feature, "cart_adds",
        "the fixture's point"
    );
    assert_eq!(
        one.action_facts.as_deref(),
        Some(
            &[Action::KeepRegular {
                feature: Some("cart_to_purchase".into())
            }][..]
        ),
        "{:?}",
        one.actions
    );
    let two = seg(&p, "2");
    assert!(
        two.action_facts
            .as_deref()
            .unwrap()
            .iter()
            .all(|a| !matches!(a, Action::KeepRegular { feature: Some(f) } if f.contains("return") || f == "refunds")),
        "{:?}",
        two.actions
    );
}

/// Forty customers in two segments of twenty: the first older (50 against 30), mostly women,
/// half in Oslo, spending more on shoes and answering the price item 5 and the fun item 1;
/// the second the opposite. Segment 1's persona says each of these and nothing else; a
/// source the table does not have (channels, views) gives no sentence.
#[test]
fn persona_facts_from_a_hand_made_table() {
    let halves = |a: f64, b: f64| [vec![a; 20], vec![b; 20]].concat();
    let ids: Vec<String> = (0..40).map(|i| format!("p{i:02}")).collect();
    let gender: Vec<&str> = (0..40)
        .map(|i| match (i < 20, i % 5 == 0) {
            (true, false) | (false, true) => "female",
            _ => "male",
        })
        .collect();
    let region: Vec<&str> = (0..40)
        .map(|i| {
            if i < 20 && i % 2 == 0 {
                "Oslo"
            } else {
                "Bergen"
            }
        })
        .collect();
    let table = df!(
        "customer_id" => ids.clone(),
        "frequency" => halves(2.0, 2.0),
        "net_revenue" => halves(500.0, 500.0),
        "refunds" => halves(0.0, 0.0),
        "contribution_profit" => halves(100.0, 100.0),
        "age" => halves(50.0, 30.0),
        "gender" => gender,
        "region" => region,
        "category_share_shoes" => halves(0.6, 0.2),
        "category_share_bags" => halves(0.2, 0.5),
        "survey_q_price" => halves(5.0, 2.0),
        "survey_q_fun" => halves(1.0, 7.0),
    )
    .unwrap();
    let demographic = |name: &str, kind| FeatureSpec {
        group: Group::Demographic,
        ..spec(name, kind)
    };
    let specs = vec![
        spec("frequency", Kind::Count),
        spec("net_revenue", Kind::Money),
        spec("refunds", Kind::Money),
        spec("contribution_profit", Kind::Money),
        demographic("age", Kind::Years),
        demographic("gender", Kind::Categorical),
        demographic("region", Kind::Categorical),
        spec("category_share_shoes", Kind::Rate),
        spec("category_share_bags", Kind::Rate),
        // The price item's scale is the mapping's; the fun item has none, so its scale is
        // the lowest and highest answer given (1–7).
        FeatureSpec {
            scale: Some([1.0, 5.0]),
            ..spec("survey_q_price", Kind::Score)
        },
        spec("survey_q_fun", Kind::Score),
    ];
    let features = Features {
        table,
        specs,
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    let assignment = Assignment {
        segment: (0..40).map(|i| Some(SegmentId(i / 20))).collect(),
        ids,
        distance: vec![None; 40],
        silhouette: vec![None; 40],
    };
    let p = profile(&features, &assignment, &FlagOptions::default(), false).unwrap();
    let label = |f: &str| f.trim_start_matches("survey_").replace('_', " ");
    let say = |s: &segmint::profile::SegmentProfile, lang: Lang| -> Vec<String> {
        s.persona
            .as_ref()
            .unwrap()
            .iter()
            .map(|f| lang.persona(f, &label))
            .collect()
    };
    // Age: 50 against a mean of 40 (sd 10: lift 1). Women: 16 of 20 (80%) against 20 of 40.
    // Oslo: 10 of 20 against 10 of 40. Shoes: 0.6 against 0.4 (1.5×, 20 points); bags are
    // under the base. Price: 5 against 3.5 (sd 1.5: lift 1, clearly); fun: 1 against 4 (sd 3).
    assert_eq!(
        say(&p.segments[0], Lang::En),
        [
            "They are older than customers overall: 50 years on average against 40.",
            "The share of women is higher than among customers overall: 80% against 50%.",
            "Where they live, against all customers: Oslo (50% against 25%) and Bergen (50% against 75%).",
            "They spend a larger share of their money on shoes (60% against 40%) than customers overall.",
            "On “q price” they score clearly higher than customers overall: 5.0 against 3.5 on a 1–5 scale (n = 20).",
            "On “q fun” they score clearly lower than customers overall: 1.0 against 4.0 on a 1–7 scale (n = 20).",
        ]
    );
    assert_eq!(
        say(&p.segments[0], Lang::Nb)[..2],
        [
            "De er eldre enn kundene generelt: 50 år i snitt mot 40.",
            "Andelen kvinner er høyere enn blant kundene generelt: 80\u{a0}% mot 50\u{a0}%.",
        ]
    );
    // The second segment: younger, men, bags; Bergen is 100% against 75% (1.33×).
    assert_eq!(
        say(&p.segments[1], Lang::En)[..3],
        [
            "They are younger than customers overall: 30 years on average against 40.",
            "The share of men is higher than among customers overall: 80% against 50%.",
            "Where they live, against all customers: Bergen (100% against 75%).",
        ]
    );
    // The survey table's numbers: respondents and scale.
    let price = &p.segments[0].survey[0];
    assert_eq!(
        (price.feature.as_str(), price.n, price.scale),
        ("survey_q_price", Some(20), Some([1.0, 5.0]))
    );
    assert_eq!(p.segments[0].survey[1].scale, Some([1.0, 7.0]));
    // A table with none of these sources but a country: one sentence, where they live.
    let (f, a) = fixture();
    let plain = profile(&f, &a, &FlagOptions::default(), false).unwrap();
    for s in plain.segments.iter().filter(|s| s.segment.is_segment()) {
        let persona = s.persona.as_ref().unwrap();
        assert!(
            persona.len() == 1
                && matches!(
                    &persona[0],
                    segmint::model::PersonaFact::Geography { feature, .. } if feature == "country"
                ),
            "{persona:?}"
        );
    }
}

/// Serial returners inside a segment that is not high-return as a whole: segment 1 (25
/// customers with 8 orders and 1,000 each) holds `flagged` who returned 900 each, the others 50;
/// segment 2 (35 customers, 4 orders) returned nothing, or 900 for `elsewhere` of them. With 10
/// flagged in segment 1 and none elsewhere: 10 / 25 = 0.4 of it (at least 0.2, and at least
/// twice the other customers' 0 / 35); it returns 9,750 of 25,000 (0.39 < 0.5): not
/// high-return as a whole. By hand: their rate 9,000 / 10,000 = 0.9, the rest's 750 / 15,000
/// = 0.05, their share of its refunds 9,000 / 9,750.
#[test]
fn a_hidden_group_of_serial_returners_is_flagged_and_left_out() {
    let table = |flagged: usize, others_refund: f64, elsewhere: usize| {
        let ids: Vec<String> = (0..60).map(|i| format!("c{i:02}")).collect();
        let seg1 = |i: usize| i < 25;
        let frequency: Vec<f64> = (0..60).map(|i| if seg1(i) { 8.0 } else { 4.0 }).collect();
        let revenue: Vec<f64> = (0..60).map(|_| 1000.0).collect();
        let refunds: Vec<f64> = (0..60)
            .map(|i| match i {
                i if i < flagged => 900.0,
                i if seg1(i) => others_refund,
                i if i < 25 + elsewhere => 900.0,
                _ => 0.0,
            })
            .collect();
        let rate: Vec<f64> = refunds.iter().map(|r| r / 1000.0).collect();
        df!(
            "customer_id" => ids,
            "frequency" => frequency,
            "net_revenue" => revenue,
            "refunds" => refunds,
            "return_rate_value" => rate,
        )
        .unwrap()
    };
    let kinds = [
        ("frequency", Kind::Count),
        ("net_revenue", Kind::Money),
        ("refunds", Kind::Money),
        ("return_rate_value", Kind::Rate),
    ];
    let segment: Vec<usize> = (0..60).map(|i| usize::from(i >= 25)).collect();
    let hidden_of = |p: &Profiles, label: &str| {
        seg(p, label)
            .flags
            .iter()
            .find(|f| f.kind() == FlagKind::HiddenReturners)
            .map(|f| f.facts.clone())
    };
    let p = profile_of(table(10, 50.0, 0), &kinds, &segment);
    assert_eq!(p.flagged_customers.len(), 10);
    let s1 = seg(&p, "1");
    let facts = hidden_of(&p, "1").expect("segment 1 hides its returners");
    match facts {
        FlagFacts::HiddenReturners {
            customers,
            share,
            base_share,
            return_rate,
            others_return_rate,
            refund_share,
        } => {
            assert_eq!(customers, 10);
            assert!((share - 0.4).abs() < 1e-12, "{share}");
            assert_eq!(base_share, 0.0);
            assert!((return_rate - 0.9).abs() < 1e-12, "{return_rate}");
            assert!((others_return_rate - 0.05).abs() < 1e-12);
            assert!((refund_share - 9000.0 / 9750.0).abs() < 1e-12);
        }
        ref other => panic!("{other:?}"),
    }
    assert!(!s1
        .flags
        .iter()
        .any(|f| f.kind() == FlagKind::LowProfitHighReturn));
    // Second, after the segment's own first action (which keeps its size and plan).
    let actions = s1.action_facts.as_deref().unwrap();
    assert!(actions.len() >= 2, "{actions:?}");
    assert_eq!(actions[1], Action::ExcludeReturners { customers: 10 });
    assert!(hidden_of(&p, "2").is_none());
    let nb = Lang::Nb
        .flag_message(&facts, Some("NOK"), None, "2024-01-01", false)
        .replace(['\u{a0}', '\u{202f}'], " ");
    assert!(
        nb.starts_with("10 av kundene (40 % av segmentet, mot 0 % av de andre kundene) er flagget på grunn av mange returer"),
        "{nb}"
    );
    // Above the configured share: no flag.
    let strict = FlagOptions {
        hidden_returners_share: 0.5,
        ..FlagOptions::default()
    };
    assert!(hidden_of(
        &profile_with(table(10, 50.0, 0), &kinds, &segment, &strict),
        "1"
    )
    .is_none());
    // Fewer than 10 flagged customers are not a group: 9 of 25 (0.36).
    assert!(hidden_of(&profile_of(table(9, 50.0, 0), &kinds, &segment), "1").is_none());
    // Returners all over the shop: 10 of segment 2's 35 flagged too (0.29); 0.4 in segment 1
    // is not twice that.
    let p = profile_of(table(10, 50.0, 10), &kinds, &segment);
    assert_eq!(p.flagged_customers.len(), 20);
    assert!(hidden_of(&p, "1").is_none());
    // The segment as a whole returns far more than the others (0.39 against 0) and is flagged
    // for it: the group explains it when the segment's other customers alone would not be
    // (20 of 1,000, 2 points above the others), and the hidden flag takes its place; not when
    // they would (150 of 1,000: 15 points), and both stand.
    let high = |p: &Profiles| {
        seg(p, "1")
            .flags
            .iter()
            .any(|f| f.kind() == FlagKind::HighReturns)
    };
    let p = profile_of(table(10, 20.0, 0), &kinds, &segment);
    assert!(
        hidden_of(&p, "1").is_some() && !high(&p),
        "{:?}",
        seg(&p, "1").flags
    );
    assert!(!seg(&p, "1")
        .action_facts
        .as_deref()
        .unwrap()
        .contains(&Action::ReviewSizingAndReturns));
    let p = profile_of(table(10, 150.0, 0), &kinds, &segment);
    assert!(
        hidden_of(&p, "1").is_some() && high(&p),
        "{:?}",
        seg(&p, "1").flags
    );
    assert!(seg(&p, "1")
        .action_facts
        .as_deref()
        .unwrap()
        .contains(&Action::ReviewSizingAndReturns));
    // A segment named for its returns (9,000 + 15 × 450 of 25,000 = 0.63, the rest 0) is not
    // hiding them, though not low-profit here (no profit column: its margin is the base's).
    let p = profile_of(table(10, 450.0, 0), &kinds, &segment);
    assert_eq!(seg(&p, "1").name, "Serial returners");
    assert!(!seg(&p, "1")
        .flags
        .iter()
        .any(|f| f.kind() == FlagKind::LowProfitHighReturn));
    assert!(hidden_of(&p, "1").is_none());
}

/// A segment that returns far more than the other customers but still earns its share is
/// flagged for its returns (relative to the others, not the absolute 50% of the low-profit
/// flag), and told to tackle them rather than "keep in regular campaigns". Segment 1: 20
/// customers with 1,000 each, `refund` each returned, gross margin 400 each; segment 2: 40
/// customers returning 20 of 1,000. By hand at 200: the rate 4,000 / 20,000 = 0.2 against
/// 800 / 40,000 = 0.02 (10×, 18 points); 4,000 of the 4,800 refunds; 16,000 of the 55,200
/// kept. The profit it could add: (0.2 − 0.02) × 20,000 refunds avoided at its margin on what
/// it keeps, 8,000 / 16,000 = 0.5: 1,800.
#[test]
fn a_profitable_segment_with_far_more_returns_than_the_rest_is_told_to_tackle_them() {
    let table = |refund: f64| {
        let ids: Vec<String> = (0..60).map(|i| format!("c{i:02}")).collect();
        let refunds: Vec<f64> = (0..60)
            .map(|i| if i < 20 { refund } else { 20.0 })
            .collect();
        df!(
            "customer_id" => ids,
            "frequency" => vec![4.0; 60],
            "net_revenue" => vec![1000.0; 60],
            "refunds" => refunds.clone(),
            "gross_margin" => vec![400.0; 60],
            "return_rate_value" => refunds.iter().map(|r| r / 1000.0).collect::<Vec<f64>>(),
        )
        .unwrap()
    };
    let kinds = [
        ("frequency", Kind::Count),
        ("net_revenue", Kind::Money),
        ("refunds", Kind::Money),
        ("gross_margin", Kind::Money),
        ("return_rate_value", Kind::Rate),
    ];
    let segment: Vec<usize> = (0..60).map(|i| usize::from(i >= 20)).collect();
    let p = profile_of(table(200.0), &kinds, &segment);
    let s1 = seg(&p, "1");
    assert!(!s1
        .flags
        .iter()
        .any(|f| f.kind() == FlagKind::LowProfitHighReturn));
    let facts = s1
        .flags
        .iter()
        .find(|f| f.kind() == FlagKind::HighReturns)
        .map(|f| f.facts.clone())
        .expect("segment 1 is flagged for its returns");
    match facts {
        FlagFacts::HighReturns {
            return_rate,
            base_return_rate,
            refund_share,
            kept_revenue_share,
            impact_profit,
            ..
        } => {
            assert!((return_rate - 0.2).abs() < 1e-12, "{return_rate}");
            assert!((base_return_rate - 0.02).abs() < 1e-12);
            assert!((refund_share - 4000.0 / 4800.0).abs() < 1e-12);
            assert!((kept_revenue_share - 16000.0 / 55200.0).abs() < 1e-12);
            assert!((impact_profit - 1800.0).abs() < 1e-6, "{impact_profit}");
        }
        ref other => panic!("{other:?}"),
    }
    assert_eq!(
        s1.action_facts.as_deref(),
        Some(&[Action::ReviewSizingAndReturns][..])
    );
    // Sized by the flag's upper bound.
    let size =
        segmint::profile::opportunity::opportunity(&Action::ReviewSizingAndReturns, s1, &p.base)
            .and_then(|o| o.value());
    assert!(size.is_some_and(|v| (v - 1800.0).abs() < 1e-6), "{size:?}");
    assert!(seg(&p, "2").flags.is_empty());
    let sv = Lang::Sv
        .flag_message(&facts, Some("SEK"), None, "2024-01-01", false)
        .replace(['\u{a0}', '\u{202f}'], " ");
    assert!(
        sv.starts_with("De returnerar 20 % av värdet (övriga kunder: 2 %) och står för 83 % av alla återbetalningar"),
        "{sv}"
    );
    // 6% against 2% is three times the rate but 4 points: not a problem worth a campaign.
    let p = profile_of(table(60.0), &kinds, &segment);
    assert!(seg(&p, "1").flags.is_empty(), "{:?}", seg(&p, "1").flags);
    assert!(matches!(
        seg(&p, "1").action_facts.as_deref(),
        Some([Action::KeepRegular { .. }])
    ));
}

/// A season campaign is sized on one season (issue 18: on the hostile `sports` shop it was
/// sized on every season in the data, about twice). As of 2024-01-01: customer 0 ordered 4
/// times since 2022-01-01 (730 days), half in November–December: 2 orders over the seasons
/// 2022 and 2023, 1 a season; customer 1 ordered twice since 2023-11-22 (40 days), both in the
/// season: 2 in one season. The segment places 3 orders a season, not 4.
#[test]
fn a_season_campaign_is_sized_on_one_season() {
    let table = df!(
        "customer_id" => ["c0", "c1"],
        "frequency" => [4.0, 2.0],
        "net_revenue" => [400.0, 200.0],
        "holiday_order_share" => [0.5, 1.0],
        "tenure_days" => [730.0, 40.0],
    )
    .unwrap();
    let kinds = [
        ("frequency", Kind::Count),
        ("net_revenue", Kind::Money),
        ("holiday_order_share", Kind::Rate),
        ("tenure_days", Kind::Days),
    ];
    let p = profile_of(table, &kinds, &[0, 0]);
    let s = seg(&p, "1");
    assert_eq!(s.season_orders, Some(3.0));
    assert_eq!(p.base.season_orders, Some(3.0));
    // 10% more of 3 orders at 100 an order.
    let size = segmint::profile::opportunity::opportunity(
        &Action::SeasonCampaign { weeks: None },
        s,
        &p.base,
    )
    .and_then(|o| o.value());
    assert!(size.is_some_and(|v| (v - 30.0).abs() < 1e-9), "{size:?}");
}

/// One-time buyers gone for many of the shop's usual gaps are fading, not "regular" (issue 18:
/// the hostile `sports` shop's "Occasional buyers", 1.4 orders each and 286 days since their
/// last order, were told to "keep in regular campaigns"). Segment 1: 20 customers, 14 with one
/// order and 6 with two (100 days apart), last order 300 days ago; segment 2: 20 customers with
/// 10 orders 30 days apart, last order 20 days ago. The shop's usual gap is the median of 6 ×
/// 100 and 20 × 30: 30 days; 300 > 2 × 30. Not lapsed: the base's median recency is 160 and
/// 300 is under twice that.
#[test]
fn one_time_buyers_gone_for_many_of_the_shops_gaps_are_a_churn_risk() {
    let seg1 = |i: usize| i < 20;
    let shop = |long_gone: usize| {
        let table = df!(
        "customer_id" => (0..40).map(|i| format!("c{i:02}")).collect::<Vec<_>>(),
        "frequency" => (0..40).map(|i| match i { i if i < 14 => 1.0, i if seg1(i) => 2.0, _ => 10.0 }).collect::<Vec<f64>>(),
        "net_revenue" => vec![100.0; 40],
        "recency_days" => (0..40).map(|i| match i { i if i < long_gone => 400.0, i if seg1(i) => 300.0, _ => 20.0 }).collect::<Vec<f64>>(),
        "interpurchase_mean_days" => (0..40).map(|i| match i { i if i < 14 => None, i if seg1(i) => Some(100.0), _ => Some(30.0) }).collect::<Vec<Option<f64>>>(),
    )
    .unwrap();
        let kinds = [
            ("frequency", Kind::Count),
            ("net_revenue", Kind::Money),
            ("recency_days", Kind::Days),
            ("interpurchase_mean_days", Kind::Days),
        ];
        let segment: Vec<usize> = (0..40).map(|i| usize::from(!seg1(i))).collect();
        profile_of(table, &kinds, &segment)
    };
    let p = shop(0);
    let s1 = seg(&p, "1");
    let churn = s1
        .flags
        .iter()
        .find(|f| f.kind() == FlagKind::ChurnRisk)
        .map(|f| f.facts.clone())
        .expect("segment 1 is a churn risk");
    assert_eq!(
        churn,
        FlagFacts::ChurnRisk {
            recency_days: 300.0,
            interpurchase_days: 30.0,
            shop_gap: true,
        }
    );
    assert_eq!(s1.action_facts.as_deref(), Some(&[Action::WinBack][..]));
    assert_eq!(
        Lang::En.flag_message(&churn, None, None, "2024-01-01", false),
        "Last order 300 days ago (median), 10.0× the shop’s usual 30 days between orders; most of them have ordered only once."
    );
    assert!(seg(&p, "2").flags.is_empty());
    // 7 of the 20 (a third or more) gone for 400 days, past the shop's lapse line (twice the
    // base's median recency, 160): reactivated, not won back "before they lapse".
    let p = shop(7);
    let s1 = seg(&p, "1");
    assert_eq!(
        s1.lapsed.as_ref().map(|l| (l.days, l.customers)),
        Some((320.0, 7))
    );
    assert!(s1.flags.iter().any(|f| f.kind() == FlagKind::ChurnRisk));
    assert_eq!(
        s1.action_facts.as_deref(),
        Some(&[Action::Reactivation][..])
    );
    // 6 of 20 is under a third: won back.
    assert_eq!(
        seg(&shop(6), "1").action_facts.as_deref(),
        Some(&[Action::WinBack][..])
    );
}

/// New one-time buyers in a shop whose customers reorder weekly are onboarded, not told to be
/// won back as well: 20 customers with one order 40 days ago (their first), beside 20 who order
/// every 7 days. 40 days is more than twice the shop's gap, but they have had no time to
/// order again.
#[test]
fn new_one_time_buyers_are_onboarded_not_won_back() {
    let seg1 = |i: usize| i < 20;
    let table = df!(
        "customer_id" => (0..40).map(|i| format!("c{i:02}")).collect::<Vec<_>>(),
        "frequency" => (0..40).map(|i| if seg1(i) { 1.0 } else { 30.0 }).collect::<Vec<f64>>(),
        "net_revenue" => vec![100.0; 40],
        "recency_days" => (0..40).map(|i| if seg1(i) { 40.0 } else { 3.0 }).collect::<Vec<f64>>(),
        "tenure_days" => (0..40).map(|i| if seg1(i) { 40.0 } else { 400.0 }).collect::<Vec<f64>>(),
        "interpurchase_mean_days" => (0..40).map(|i| (!seg1(i)).then_some(7.0)).collect::<Vec<Option<f64>>>(),
    )
    .unwrap();
    let kinds = [
        ("frequency", Kind::Count),
        ("net_revenue", Kind::Money),
        ("recency_days", Kind::Days),
        ("tenure_days", Kind::Days),
        ("interpurchase_mean_days", Kind::Days),
    ];
    let segment: Vec<usize> = (0..40).map(|i| usize::from(!seg1(i))).collect();
    let p = profile_of(table, &kinds, &segment);
    let s1 = seg(&p, "1");
    assert!(s1.flags.is_empty(), "{:?}", s1.flags);
    assert_eq!(s1.action_facts.as_deref(), Some(&[Action::Onboarding][..]));
}

/// A segment set apart by its few returns, in a shop with returns, is named for it ("Customers
/// who keep what they buy"), not "Few orders with returns" (`benches/unseen` beauty at half spread:
/// 12 orders each and a return rate of 0.01% against 4.5%).
/// Segments 1 and 3 (four customers each) never returned; segment 2 returned 25% by value.
#[test]
fn a_segment_set_apart_by_few_returns_is_named_for_it() {
    let table = df!(
        "customer_id" => twelve_ids(),
        "frequency" => by_four([4.0, 4.0, 4.0]),
        "net_revenue" => by_four([400.0, 400.0, 400.0]),
        "returned_orders" => by_four([0.0, 2.0, 0.0]),
        "refunds" => by_four([0.0, 100.0, 0.0]),
        "return_rate_value" => by_four([0.0, 0.25, 0.0]),
        // Segment 3 is set apart by its many cart adds first.
        "cart_adds" => by_four([4.0, 4.0, 20.0]),
    )
    .unwrap();
    let p = profile_of(
        table,
        &[
            ("frequency", Kind::Count),
            ("net_revenue", Kind::Money),
            ("returned_orders", Kind::Count),
            ("refunds", Kind::Money),
            ("return_rate_value", Kind::Rate),
            ("cart_adds", Kind::Count),
        ],
        &fours(),
    );
    let one = seg(&p, "1");
    assert!(
        ["returned_orders", "refunds", "return_rate_value"]
            .contains(&one.top_features[0].feature.as_str()),
        "the fixture's point: {:?}",
        one.top_features[0]
    );
    assert_eq!(one.name, "Customers who keep what they buy");
    assert_eq!(one.name_in(Lang::Nb), "Kunder som sjelden returnerer");
    assert_eq!(one.name_in(Lang::Da), "Kunder, der sjældent returnerer");
    assert_eq!(seg(&p, "2").name, "Frequent returners");
    // Segment 3 returns nothing too, but many cart adds set it apart first.
    let three = seg(&p, "3").name_facts.as_ref().unwrap();
    assert_ne!(
        three.kind,
        segmint::model::NameKind::RareReturners,
        "{three:?}"
    );
}

/// A segment is named after its most distinguishing feature only where that feature sets it
/// well apart from the base (`CLEAR_LIFT`, 0.8 standard deviations); a remainder near the base on
/// everything is "Average customers" (`benches/unseen` sports, draw 1: "Few cart adds" for 54 % of
/// the customers at a lift of −0.59). Cart adds 4, 20 and 9 per customer, four customers each:
/// lifts −1.05, 1.35 and −0.30.
#[test]
fn a_segment_near_the_base_on_everything_is_not_named_after_a_feature() {
    let table = df!(
        "customer_id" => twelve_ids(),
        "frequency" => by_four([4.0, 4.0, 4.0]),
        "net_revenue" => by_four([400.0, 400.0, 400.0]),
        "cart_adds" => by_four([4.0, 20.0, 9.0]),
    )
    .unwrap();
    let p = profile_of(
        table,
        &[
            ("frequency", Kind::Count),
            ("net_revenue", Kind::Money),
            ("cart_adds", Kind::Count),
        ],
        &fours(),
    );
    let lift = |s: &str| seg(&p, s).top_features[0].lift.unwrap();
    assert!((lift("1") + 1.05).abs() < 0.01, "{}", lift("1"));
    assert!((lift("3") + 0.30).abs() < 0.01, "{}", lift("3"));
    assert_eq!(seg(&p, "1").name, "Few cart adds");
    assert_eq!(seg(&p, "2").name, "Many cart adds");
    assert_eq!(seg(&p, "3").name, "Average customers");
    assert_eq!(seg(&p, "3").name_in(Lang::Sv), "Genomsnittskunder");
}

#[test]
fn a_column_repeating_another_is_shown_once_in_what_sets_a_segment_apart() {
    // Without return handling costs, return-adjusted profit is gross margin, customer by
    // customer: the table shows the earlier of the two (catalog order) once.
    let margin = by_four([300.0, 50.0, 20.0]);
    let run = |profit: Vec<f64>| {
        let table = df!(
            "customer_id" => twelve_ids(),
            "frequency" => by_four([9.0, 4.0, 2.0]),
            "gross_margin" => margin.clone(),
            "contribution_profit" => profit,
        )
        .unwrap();
        let p = profile_of(
            table,
            &[
                ("frequency", Kind::Count),
                ("gross_margin", Kind::Money),
                ("contribution_profit", Kind::Money),
            ],
            &fours(),
        );
        let top: Vec<String> = seg(&p, "1")
            .top_features
            .iter()
            .map(|f| f.feature.clone())
            .collect();
        top
    };
    let top = run(margin.clone());
    assert!(top.contains(&"gross_margin".to_string()), "{top:?}");
    assert!(!top.contains(&"contribution_profit".to_string()), "{top:?}");
    // One customer's handling cost makes them two columns again.
    let mut profit = margin.clone();
    profit[0] -= 10.0;
    let top = run(profit);
    assert!(top.contains(&"gross_margin".to_string()), "{top:?}");
    assert!(top.contains(&"contribution_profit".to_string()), "{top:?}");
}

/// Names are checked against each other (issue 13, must-show 5; issue 18): "Loyal high
/// spenders" ("Lojale toppkunder") are not outspent per customer, after returns, by a
/// segment named for something else. 20 frequent customers spending 2,000 each, 20 with big
/// baskets (two orders) spending `big` each and returning `returned` of it, and 40 small
/// customers at 100: the frequent ones are high spenders against the base either way
/// (lifts of frequency 1.7 and of revenue ≥ 0.7), but only where the big baskets keep less.
#[test]
fn high_spenders_are_not_outspent_by_a_segment_with_another_name() {
    use segmint::model::NameKind;
    let names = |big: f64, returned: f64| {
        let group = |i: usize| match i {
            0..20 => 0,
            20..40 => 1,
            _ => 2,
        };
        let per = |v: [f64; 3]| (0..80).map(|i| v[group(i)]).collect::<Vec<f64>>();
        let table = df!(
            "customer_id" => (0..80).map(|i| format!("c{i:02}")).collect::<Vec<_>>(),
            "frequency" => per([10.0, 2.0, 1.0]),
            "net_revenue" => per([2000.0, big, 100.0]),
            "refunds" => per([0.0, returned, 0.0]),
            "aov" => per([200.0, big / 2.0, 100.0]),
        )
        .unwrap();
        let kinds = [
            ("frequency", Kind::Count),
            ("net_revenue", Kind::Money),
            ("refunds", Kind::Money),
            ("aov", Kind::Money),
        ];
        let segment: Vec<usize> = (0..80).map(group).collect();
        let p = profile_of(table, &kinds, &segment);
        ["1", "2"].map(|l| seg(&p, l).name_facts.as_ref().map(|n| n.kind.clone()))
    };
    // The big baskets spend less per customer: the frequent ones are the top spenders.
    assert_eq!(
        names(1900.0, 0.0),
        [
            Some(NameKind::LoyalHighSpenders),
            Some(NameKind::BigBaskets)
        ]
    );
    // They spend more: the frequent ones are named for what they do more than anyone.
    assert_eq!(
        names(2200.0, 0.0),
        [Some(NameKind::FrequentBuyers), Some(NameKind::BigBaskets)]
    );
    // They spend more before returns but keep 2,200 − 300 = 1,900: the frequent ones stay
    // the top spenders (a shop keeps little of what serial returners buy).
    assert_eq!(names(2200.0, 300.0)[0], Some(NameKind::LoyalHighSpenders));
}

/// A clear lift is not enough to name a segment when the difference itself is small (issue
/// 13, must-show 5: a minimum absolute level under the relative rule): two halves whose
/// tenure is 480 and 520 days are a standard deviation apart, but 4 % from the base's 500 is
/// not "relatively new" (CDNOW, where every customer first bought in one quarter), and the
/// next feature, bigger baskets, names the segment; 300 days against 700 is new enough.
#[test]
fn a_clear_lift_names_a_segment_only_where_the_difference_is_material() {
    use segmint::model::NameKind;
    let name = |newer: f64, older: f64| {
        let table = df!(
            "customer_id" => (0..80).map(|i| format!("c{i:02}")).collect::<Vec<_>>(),
            "frequency" => vec![3.0; 80],
            "tenure_days" => (0..80).map(|i| if i < 40 { newer } else { older }).collect::<Vec<f64>>(),
            // 160 against 100 on average, with spread: 0.83 standard deviations, behind
            // tenure's 1.0, and 23 % above the base's 130.
            "aov" => (0..80)
                .map(|i| if i < 40 { 160.0 } else { 100.0 } + if i % 2 == 0 { 20.0 } else { -20.0 })
                .collect::<Vec<f64>>(),
        )
        .unwrap();
        let kinds = [
            ("frequency", Kind::Count),
            ("tenure_days", Kind::Days),
            ("aov", Kind::Money),
        ];
        let segment: Vec<usize> = (0..80).map(|i| usize::from(i >= 40)).collect();
        let p = profile_of(table, &kinds, &segment);
        let s = seg(&p, "1");
        assert!(
            s.top_features[0].lift.unwrap() <= -0.8,
            "{:?}",
            s.top_features[0]
        );
        s.name_facts.as_ref().map(|n| n.kind.clone())
    };
    assert_eq!(name(300.0, 700.0), Some(NameKind::RecentJoiners));
    // Tenure leads but is not material: the next feature names the segment.
    assert_eq!(name(480.0, 520.0), Some(NameKind::BigBaskets));
}

/// An outspent "High spenders" segment is named after its next clear, material feature (here
/// its many searches), not after its revenue: 20 customers spending 1,500 with 30 searches
/// each on average, 10 with fewer orders spending `other` and 70 small customers at 100.
#[test]
fn outspent_high_spenders_are_named_after_their_next_feature() {
    use segmint::model::{Direction, NameKind};
    let name = |other: f64| {
        let group = |i: usize| match i {
            0..20 => 0,
            20..30 => 1,
            _ => 2,
        };
        let per = |v: [f64; 3]| (0..100).map(|i| v[group(i)]).collect::<Vec<f64>>();
        let searches: Vec<f64> = (0..100)
            .map(|i| match (group(i), i % 2) {
                (0, 0) => 0.0,
                (0, _) => 60.0,
                (_, 0) => 0.0,
                _ => 10.0,
            })
            .collect();
        let table = df!(
            "customer_id" => (0..100).map(|i| format!("c{i:03}")).collect::<Vec<_>>(),
            "frequency" => per([3.0, 2.0, 3.0]),
            "net_revenue" => per([1500.0, other, 100.0]),
            "searches" => searches,
        )
        .unwrap();
        let kinds = [
            ("frequency", Kind::Count),
            ("net_revenue", Kind::Money),
            ("searches", Kind::Count),
        ];
        let segment: Vec<usize> = (0..100).map(group).collect();
        let p = profile_of(table, &kinds, &segment);
        seg(&p, "1").name_facts.as_ref().map(|n| n.kind.clone())
    };
    assert_eq!(name(1400.0), Some(NameKind::HighSpenders));
    assert_eq!(
        name(1700.0),
        Some(NameKind::Feature {
            feature: "searches".into(),
            direction: Direction::High,
        })
    );
}

/// An outspent spender that takes a name another segment already has is not told apart by
/// its revenue, gross margin or profit either (a hostile review: "Frequent buyers, high
/// revenue" beside big baskets that keep more): 20 frequent buyers spending 300, 20 as
/// frequent spending 2,000 (loyal high spenders against the base, but outspent), 10 big
/// baskets spending 2,200 in 3 orders and 50 small customers at 100. The second frequent
/// segment is told apart by its order value. Without cost data (`no_cost`) the margin and
/// profit are the revenue after returns; any segment whose name is taken is then not told
/// apart by them (they would read "high gross margin" for revenue): `check` gives the
/// qualifier of segment 2 with and without cost data.
#[test]
fn an_outspent_segment_is_not_qualified_by_its_revenue() {
    use segmint::model::{Direction, NameKind, Qualifier};
    let group = |i: usize| match i {
        0..20 => 0,
        20..40 => 1,
        40..50 => 2,
        _ => 3,
    };
    let per = |v: [f64; 4]| (0..100).map(|i| v[group(i)]).collect::<Vec<f64>>();
    let money = [300.0, 2000.0, 2200.0, 100.0];
    let table = || {
        df!(
            "customer_id" => (0..100).map(|i| format!("c{i:03}")).collect::<Vec<_>>(),
            "frequency" => per([10.0, 10.0, 3.0, 1.0]),
            "net_revenue" => per(money),
            "refunds" => per([0.0; 4]),
            "gross_margin" => per(money),
            "contribution_profit" => per(money),
            "aov" => per([30.0, 200.0, 733.0, 100.0]),
        )
        .unwrap()
    };
    let kinds = [
        ("frequency", Kind::Count),
        ("net_revenue", Kind::Money),
        ("refunds", Kind::Money),
        ("gross_margin", Kind::Money),
        ("contribution_profit", Kind::Money),
        ("aov", Kind::Money),
    ];
    let segment: Vec<usize> = (0..100).map(group).collect();
    let aov = Qualifier::Feature {
        feature: "aov".into(),
        direction: Direction::High,
    };
    for p in [
        profile_of(table(), &kinds, &segment),
        profile_no_cost(table(), &kinds, &segment),
    ] {
        let name = |l: &str| seg(&p, l).name_facts.clone().unwrap();
        assert_eq!(name("1").kind, NameKind::FrequentBuyers, "{:?}", name("1"));
        let second = name("2");
        // Its revenue is its strongest feature, yet not what tells it apart.
        assert_eq!(seg(&p, "2").top_features[0].feature, "net_revenue");
        assert_eq!(second.kind, NameKind::FrequentBuyers, "{second:?}");
        assert_eq!(second.qualifiers, vec![aov.clone()], "{second:?}");
    }
}

/// Without cost data a segment whose name is taken is not told apart by its gross margin or
/// profit (the revenue after returns under another name), though it is with cost data:
/// two lapsed segments of 10 customers each, the second with bigger margins and more searches,
/// and 80 active customers.
#[test]
fn without_cost_data_no_name_speaks_of_margin() {
    use segmint::model::{Direction, Qualifier};
    let group = |i: usize| match i {
        0..10 => 0,
        10..20 => 1,
        _ => 2,
    };
    let per = |v: [f64; 3], spread: f64| {
        (0..100)
            .map(|i| v[group(i)] + if i % 2 == 0 { spread } else { -spread })
            .collect::<Vec<f64>>()
    };
    let table = || {
        df!(
            "customer_id" => (0..100).map(|i| format!("c{i:03}")).collect::<Vec<_>>(),
            "recency_days" => per([900.0, 900.0, 30.0], 0.0),
            "gross_margin" => per([100.0, 200.0, 100.0], 40.0),
            "searches" => per([2.0, 5.0, 2.0], 2.0),
        )
        .unwrap()
    };
    let kinds = [
        ("recency_days", Kind::Days),
        ("gross_margin", Kind::Money),
        ("searches", Kind::Count),
    ];
    let segment: Vec<usize> = (0..100).map(group).collect();
    let qualifier = |p: &Profiles| {
        let n = seg(p, "2").name_facts.clone().unwrap();
        assert_eq!(
            n.kind,
            seg(p, "1").name_facts.clone().unwrap().kind,
            "{n:?}"
        );
        n.qualifiers
    };
    let high = |f: &str| Qualifier::Feature {
        feature: f.into(),
        direction: Direction::High,
    };
    assert_eq!(
        qualifier(&profile_of(table(), &kinds, &segment)),
        vec![high("gross_margin")]
    );
    assert_eq!(
        qualifier(&profile_no_cost(table(), &kinds, &segment)),
        vec![high("searches")]
    );
}

/// In a shop whose customers are mostly gone (one cohort followed long after its first
/// orders, as CDNOW) a customer gone a year has lapsed, however long the others have been
/// gone: 20 customers with 2 orders, the last 500 days ago, and 20 with 8, the last 450 days
/// ago, 80 days between orders. Twice the base's median recency (475) would be 950 days,
/// past anything in the data; the lapse line is a year, every customer is past it, and the
/// churn risks are reactivated, not won back "before they lapse".
#[test]
fn in_a_shop_mostly_gone_a_year_without_an_order_is_lapsed() {
    let seg1 = |i: usize| i < 20;
    let table = df!(
        "customer_id" => (0..40).map(|i| format!("c{i:02}")).collect::<Vec<_>>(),
        "frequency" => (0..40).map(|i| if seg1(i) { 2.0 } else { 8.0 }).collect::<Vec<f64>>(),
        "net_revenue" => (0..40).map(|i| if seg1(i) { 100.0 } else { 400.0 }).collect::<Vec<f64>>(),
        "recency_days" => (0..40).map(|i| if seg1(i) { 500.0 } else { 450.0 }).collect::<Vec<f64>>(),
        "interpurchase_mean_days" => vec![80.0; 40],
    )
    .unwrap();
    let kinds = [
        ("frequency", Kind::Count),
        ("net_revenue", Kind::Money),
        ("recency_days", Kind::Days),
        ("interpurchase_mean_days", Kind::Days),
    ];
    let segment: Vec<usize> = (0..40).map(|i| usize::from(!seg1(i))).collect();
    let p = profile_of(table, &kinds, &segment);
    for label in ["1", "2"] {
        let s = seg(&p, label);
        assert_eq!(
            s.lapsed.as_ref().map(|l| (l.days, l.customers)),
            Some((365.0, 20)),
            "{label}"
        );
        let actions = s.action_facts.clone().unwrap_or_default();
        assert!(!actions.contains(&Action::WinBack), "{label}: {actions:?}");
    }
    assert!(seg(&p, "1")
        .action_facts
        .as_deref()
        .is_some_and(|a| a.contains(&Action::Reactivation)));
}
