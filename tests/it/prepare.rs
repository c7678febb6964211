//! prepare: transforms checked by hand on a tiny table.

use chrono::NaiveDate;
use polars::prelude::*;
use segmint::config::{PrepareOptions, Scaling};
use segmint::features::{FeatureSpec, Features, Group, Kind};
use segmint::prepare::{prepare, Encoding};

fn spec(name: &str, group: Group, kind: Kind) -> FeatureSpec {
    FeatureSpec {
        name: name.into(),
        group,
        kind,
        formula: String::new(),
        levels: Vec::new(),
        scale: None,
    }
}

fn features() -> Features {
    let table = df!(
        "customer_id" => ["a", "b", "c", "d", "e"],
        "net_revenue" => [Some(0.0), Some(9.0), None, Some(99.0), Some(999.0)],
        "share" => [Some(0.1), Some(0.2), None, Some(0.4), Some(0.5)],
        "flat" => [1.0, 1.0, 1.0, 1.0, 1.0],
        "country" => [Some("NO"), Some("NO"), Some("SE"), None, Some("DK")],
        "age" => [20.0, 30.0, 40.0, 50.0, 60.0],
    )
    .unwrap();
    Features {
        table,
        specs: vec![
            spec("net_revenue", Group::Behaviour, Kind::Money),
            spec("share", Group::Behaviour, Kind::Rate),
            spec("flat", Group::Behaviour, Kind::Count),
            spec("country", Group::Demographic, Kind::Categorical),
            spec("age", Group::Demographic, Kind::Years),
        ],
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    }
}

/// No winsorising; no folding (five rows make spurious near-perfect correlations: folding
/// has its own test below).
fn opts() -> PrepareOptions {
    PrepareOptions {
        winsorize: [0.0, 1.0],
        fold_above: 1.0,
        ..PrepareOptions::default()
    }
}

fn col(p: &segmint::prepare::Prepared, name: &str) -> Vec<f64> {
    let j = p
        .model
        .names()
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no column {name}: {:?}", p.model.names()));
    p.matrix.column(j).to_vec()
}

#[track_caller]
fn close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-9, "{a:?} vs {b:?}");
    }
}

/// A feature value that is not a finite number is an error naming the feature and the
/// customer, not a panic in winsorising (a NaN quantile made `f64::clamp` panic).
#[test]
fn a_value_that_is_not_finite_is_an_error_naming_feature_and_customer() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut f = features();
        f.table
            .with_column(Column::new(
                "share".into(),
                [Some(0.1), Some(bad), None, Some(0.4), Some(0.5)],
            ))
            .unwrap();
        let err = prepare(&f, &opts(), 0.2).unwrap_err().to_string();
        assert!(
            err.contains("feature share of customer b") && err.contains("not a finite number"),
            "{err}"
        );
    }
}

#[test]
fn log_impute_and_robust_scale_by_hand() {
    let o = PrepareOptions {
        scaling: Scaling::Robust,
        missing_indicators: true,
        balance_groups: false,
        ..opts()
    };
    let p = prepare(&features(), &o, 0.2).unwrap();
    // net_revenue: signed log1p → ln 1, ln 10, ln 100, ln 1000 for the four customers with a
    // value; robust centre and scale from those four (issue 13: scaled on the customers who
    // have a value): median (ln 10 + ln 100) / 2; quartiles by linear interpolation at
    // positions 0.75 and 2.25: 0.75·ln 10 and ln 100 + 0.25·(ln 1000 − ln 100). The missing
    // value sits at the centre: 0.
    let l = |x: f64| x.ln_1p();
    let med = (l(9.0) + l(99.0)) / 2.0;
    let iqr = (l(99.0) + 0.25 * (l(999.0) - l(99.0))) - 0.75 * l(9.0);
    let expected: Vec<f64> = [(l(0.0) - med) / iqr, (l(9.0) - med) / iqr, 0.0]
        .into_iter()
        .chain([l(99.0), l(999.0)].iter().map(|x| (x - med) / iqr))
        .collect();
    close(&col(&p, "net_revenue"), &expected);
    // share: present [0.1, 0.2, 0.4, 0.5]: median 0.3, quartiles 0.175 and 0.425 (IQR 0.25).
    close(&col(&p, "share"), &[-0.8, -0.4, 0.0, 0.4, 0.8]);
    // One missing indicator for both (same pattern), named after the first.
    close(&col(&p, "missing:net_revenue"), &[0.0, 0.0, 1.0, 0.0, 0.0]);
    let Encoding::Missing { features } = &p
        .model
        .columns
        .iter()
        .find(|c| c.name == "missing:net_revenue")
        .unwrap()
        .encoding
    else {
        panic!("not a missing indicator")
    };
    assert_eq!(features, &["net_revenue", "share"]);
    // flat is constant: dropped and said so.
    assert!(p.model.dropped.iter().any(|d| d.name == "flat"));
    assert!(!p.model.names().contains(&"flat".to_string()));
}

#[test]
fn one_hot_pools_rare_levels() {
    // NO holds 2 of 5 customers (40%), SE and DK 20% each: with a 30% threshold they pool.
    // Demographics at weight 1 (the default is 0.5), so one-hot columns hold 0 and 1.
    let mut o = PrepareOptions {
        missing_indicators: true,
        balance_groups: false,
        ..opts()
    };
    o.weights.demographic = 1.0;
    let p = prepare(&features(), &o, 0.3).unwrap();
    close(&col(&p, "country=NO"), &[1.0, 1.0, 0.0, 0.0, 0.0]);
    close(&col(&p, "country=other"), &[0.0, 0.0, 1.0, 0.0, 1.0]);
    close(&col(&p, "missing:country"), &[0.0, 0.0, 0.0, 1.0, 0.0]);
    assert!(!p.model.names().contains(&"country=SE".to_string()));
}

#[test]
fn group_weights_standard_scaling_and_winsorising() {
    let mut o = opts();
    o.scaling = Scaling::Standard;
    o.weights.demographic = 2.0;
    o.winsorize = [0.25, 0.75];
    o.balance_groups = false;
    let p = prepare(&features(), &o, 0.2).unwrap();
    // age: clipped to [30, 50] → 30,30,40,50,50: mean 40, std sqrt(80) ; weight 2.
    let s = 80f64.sqrt();
    close(
        &col(&p, "age"),
        &[-20.0 / s, -20.0 / s, 0.0, 20.0 / s, 20.0 / s],
    );
}

#[test]
fn transform_reproduces_the_matrix_and_handles_unseen_levels() {
    let f = features();
    let p = prepare(&f, &opts(), 0.2).unwrap();
    let again = p.model.transform(&f.table).unwrap();
    assert_eq!(again, p.matrix);
    let json = serde_json::to_string(&p.model).unwrap();
    let model: segmint::prepare::PrepareModel = serde_json::from_str(&json).unwrap();
    assert_eq!(model, p.model);
    let new = df!(
        "customer_id" => ["z"],
        "net_revenue" => [9.0],
        "share" => [0.2],
        "flat" => [1.0],
        "country" => ["FI"],
        "age" => [30.0],
    )
    .unwrap();
    let m = model.transform(&new).unwrap();
    assert_eq!(m.nrows(), 1);
    let names = model.names();
    let other = names.iter().position(|n| n == "country=other");
    let no = names.iter().position(|n| n == "country=NO").unwrap();
    assert_eq!(m[[0, no]], 0.0);
    if let Some(o) = other {
        assert_eq!(m[[0, o]], 1.0);
    }
}

#[test]
fn correlated_pairs_are_reported() {
    let mut f = features();
    f.table
        .with_column(Column::new("age2".into(), [40.0, 60.0, 80.0, 100.0, 121.0]))
        .unwrap();
    f.specs.push(spec("age2", Group::Demographic, Kind::Years));
    let o = PrepareOptions {
        fold_above: 1.0,
        ..opts()
    };
    let p = prepare(&f, &o, 0.2).unwrap();
    assert!(p
        .model
        .correlated
        .iter()
        .any(|c| c.a == "age" && c.b == "age2" && c.r > 0.95));
}

/// Issue 13: missing values sit at the centre, no 0/1 indicator of missingness enters the
/// matrix, and `survey_answered` stays out (respondents vs the rest was an artefact split).
#[test]
fn missing_values_sit_at_the_centre_without_indicators() {
    let mut f = features();
    f.table
        .with_column(Column::new(
            "survey_answered".into(),
            [1.0, 0.0, 0.0, 1.0, 0.0],
        ))
        .unwrap();
    f.specs.push(spec(
        "survey_answered",
        Group::Psychographic,
        Kind::Indicator,
    ));
    let p = prepare(&f, &opts(), 0.2).unwrap();
    assert!(
        p.model.names().iter().all(|n| !n.starts_with("missing:")),
        "{:?}",
        p.model.names()
    );
    assert!(!p.model.names().contains(&"survey_answered".to_string()));
    assert!(p.model.dropped.iter().any(|d| d.name == "survey_answered"));
    // Customer c has no net_revenue and no share: 0 on both axes.
    assert_eq!(col(&p, "net_revenue")[2], 0.0);
    assert_eq!(col(&p, "share")[2], 0.0);
    // The centre is the mean of the customers with a value: their column sums to 0.
    let rev = col(&p, "net_revenue");
    assert!(rev.iter().sum::<f64>().abs() < 1e-9);
}

/// Issue 13: a group weighs by its weight, not by its column count.
#[test]
fn each_group_weighs_as_a_group() {
    let table = df!(
        "customer_id" => ["a", "b", "c", "d", "e", "f"],
        "b1" => [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
        "b2" => [3.0, 1.0, 4.0, 1.0, 5.0, 9.0],
        "b3" => [2.0, 7.0, 1.0, 8.0, 2.0, 8.0],
        "b4" => [0.0, 1.0, 0.0, 0.0, 1.0, 1.0],
        "d1" => [30.0, 41.0, 25.0, 60.0, 33.0, 47.0],
    )
    .unwrap();
    let f = Features {
        table,
        specs: vec![
            spec("b1", Group::Behaviour, Kind::Rate),
            spec("b2", Group::Behaviour, Kind::Rate),
            spec("b3", Group::Behaviour, Kind::Rate),
            spec("b4", Group::Behaviour, Kind::Rate),
            spec("d1", Group::Demographic, Kind::Years),
        ],
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    let p = prepare(&f, &opts(), 0.2).unwrap();
    assert_eq!(p.model.columns.len(), 5, "{:?}", p.model.dropped);
    // Standard scaling gives every column variance 1; balanced, each group's columns add up
    // to its weight squared: behaviour (weight 1) 4 × 1/4, demographic (default weight 0.5)
    // 1 × 0.25.
    let variance = |name: &str| {
        let v = col(&p, name);
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64
    };
    let behaviour: f64 = ["b1", "b2", "b3", "b4"].iter().map(|n| variance(n)).sum();
    assert!((behaviour - 1.0).abs() < 1e-9, "{behaviour}");
    assert!((variance("d1") - 0.25).abs() < 1e-9, "{}", variance("d1"));
    assert!((p.model.columns[0].weight - 0.5).abs() < 1e-12);
}

/// Issue 13: without costs or returns, gross margin and contribution profit equal net
/// revenue; they fold into it instead of counting three times.
#[test]
fn near_identical_columns_fold_into_the_first() {
    let table = df!(
        "customer_id" => ["a", "b", "c", "d", "e"],
        "net_revenue" => [10.0, 200.0, 35.0, 80.0, 1000.0],
        "gross_margin" => [10.0, 200.0, 35.0, 80.0, 1000.0],
        "contribution_profit" => [10.0, 200.0, 35.0, 80.0, 1000.5],
        "frequency" => [1.0, 3.0, 1.0, 2.0, 2.0],
    )
    .unwrap();
    let f = Features {
        table,
        specs: vec![
            spec("net_revenue", Group::Behaviour, Kind::Money),
            spec("gross_margin", Group::Behaviour, Kind::Money),
            spec("contribution_profit", Group::Behaviour, Kind::Money),
            spec("frequency", Group::Behaviour, Kind::Count),
        ],
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    };
    let o = PrepareOptions {
        fold_above: PrepareOptions::default().fold_above,
        ..opts()
    };
    let p = prepare(&f, &o, 0.2).unwrap();
    assert_eq!(p.model.names(), vec!["net_revenue", "frequency"]);
    for gone in ["gross_margin", "contribution_profit"] {
        let d = p.model.dropped.iter().find(|d| d.name == gone).unwrap();
        assert!(
            d.reason.starts_with("folded into net_revenue"),
            "{}",
            d.reason
        );
        // The reason is a fact too, in words in every language.
        assert!(
            matches!(&d.why, Some(segmint::model::DropReason::Folded { into, r })
                if into == "net_revenue" && *r > 0.99),
            "{:?}",
            d.why
        );
        let nb = segmint::i18n::Lang::Nb.drop_reason(d.why.as_ref().unwrap());
        assert!(nb.starts_with("slått sammen med net_revenue"), "{nb}");
    }
}

/// A table of `weekend_order_share` over orders (`frequency`), with `groups` of
/// (customers, orders each, share) rows.
fn rates(groups: &[(usize, f64, f64)]) -> Features {
    let (mut ids, mut freq, mut share) = (Vec::new(), Vec::new(), Vec::new());
    for &(count, orders, x) in groups {
        for _ in 0..count {
            ids.push(format!("c{}", ids.len()));
            freq.push(orders);
            share.push(x);
        }
    }
    Features {
        table: df!("customer_id" => ids, "frequency" => freq, "weekend_order_share" => share)
            .unwrap(),
        specs: vec![
            spec("frequency", Group::Behaviour, Kind::Count),
            spec("weekend_order_share", Group::Behaviour, Kind::Rate),
        ],
        sources: vec![],
        as_of: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
    }
}

/// Issue 13: rates seen on few orders move toward the shop's rate by a prior estimated from
/// the data (beta-binomial method of moments), computed here by hand.
#[test]
fn rates_on_few_orders_shrink_toward_the_shop_rate() {
    // 40 customers with 2 orders (shares 0 ×10, ½ ×20, 1 ×10) and 40 with 4 (0 ×20, 1 ×20).
    // Pooled rate μ = (½·2·20 + 1·2·10 + 1·4·20) / 240 = ½; variance v = 15/80 = 0.1875;
    // h = mean(1/n) = 0.375; τ² = (v − μ(1−μ)h) / (1 − h) = 0.15; strength = ¼/0.15 − 1 = ⅔.
    let f = rates(&[
        (10, 2.0, 0.0),
        (20, 2.0, 0.5),
        (10, 2.0, 1.0),
        (20, 4.0, 0.0),
        (20, 4.0, 1.0),
    ]);
    let p = prepare(&f, &opts(), 0.2).unwrap();
    let c = p
        .model
        .columns
        .iter()
        .find(|c| c.name == "weekend_order_share")
        .unwrap();
    let Encoding::Numeric {
        shrink: Some(sh), ..
    } = &c.encoding
    else {
        panic!("not shrunk: {:?}", c.encoding)
    };
    assert_eq!(sh.trials, "frequency");
    assert!((sh.rate - 0.5).abs() < 1e-12);
    assert!((sh.strength - 2.0 / 3.0).abs() < 1e-12, "{}", sh.strength);
    // A share of 1 on 2 orders becomes (2 + ½·⅔) / (2 + ⅔) = 0.875, on 4 orders
    // (4 + ⅓) / (4 + ⅔) = 13/14: the column is the shrunk share, standardised.
    let raw = col(&p, "weekend_order_share");
    let (on2, on4) = (raw[30], raw[60]);
    assert!(on4 > on2, "more orders, further from the shop's rate");
    let shrunk = |x: f64, n: f64| (x * n + 0.5 * sh.strength) / (n + sh.strength);
    let xs: Vec<f64> = [
        (10, 2.0, 0.0),
        (20, 2.0, 0.5),
        (10, 2.0, 1.0),
        (20, 4.0, 0.0),
        (20, 4.0, 1.0),
    ]
    .iter()
    .flat_map(|&(c, n, x)| std::iter::repeat_n(shrunk(x, n), c))
    .collect();
    let mean = xs.iter().sum::<f64>() / 80.0;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 80.0).sqrt();
    let w = c.weight;
    assert!((shrunk(1.0, 2.0) - 0.875).abs() < 1e-12);
    assert!((on2 - (0.875 - mean) / sd * w).abs() < 1e-9, "{on2}");
    assert!((on4 - (13.0 / 14.0 - mean) / sd * w).abs() < 1e-9, "{on4}");
    // The model reproduces the matrix (e.g. for `assign`).
    let again = p.model.transform(&f.table).unwrap();
    assert!((&again - &p.matrix).iter().all(|d| d.abs() < 1e-12));
}

/// Issue 13: a share that differs between customers no more than coin flips do is left out
/// (one-order customers' weekend share is 0 or 1 by chance) and reported.
#[test]
fn rates_that_vary_only_by_chance_are_left_out() {
    // Everyone has 2 orders and the same weekend chance ½: shares 0, ½, 1 in binomial
    // proportions ¼, ½, ¼. v = 0.125 = μ(1−μ)·h, so τ² = 0.
    let f = rates(&[(25, 2.0, 0.0), (50, 2.0, 0.5), (25, 2.0, 1.0)]);
    let p = prepare(&f, &opts(), 0.2).unwrap();
    assert!(!p.model.names().contains(&"weekend_order_share".to_string()));
    let d = p
        .model
        .dropped
        .iter()
        .find(|d| d.name == "weekend_order_share")
        .expect("reported");
    assert!(d.reason.contains("chance"), "{}", d.reason);
    // Switched off, the share stays in the matrix as it is.
    let keep = PrepareOptions {
        shrink_rates: false,
        ..opts()
    };
    let p = prepare(&f, &keep, 0.2).unwrap();
    assert!(p.model.names().contains(&"weekend_order_share".to_string()));
}

/// Demographics weigh half by default (`[prepare.weights] demographic = 0.5`): on the truth
/// bench's `electronics4` (four planted segments that differ in what they buy, with ages and
/// sign-up dates spread widely within each), k-means with the planted k recovers the plant at
/// the default weight, while at weight 1 it cuts the largest segment along age and sign-up
/// tenure instead. Best of five seeds, as the sweep keeps its best fit.
#[test]
fn demographics_at_half_weight_let_k_means_find_segments_formed_by_behaviour() {
    use linfa::ParamGuard;
    use segmint::cluster::kmeans::KMeansParams;
    use segmint::config::Config;
    use segmint::truth::{compare, generate, presets};

    let preset = presets::by_name("electronics4")
        .unwrap()
        .with_customers(1500);
    let shop = generate(&preset, 42).unwrap();
    let dir = tempfile::tempdir().unwrap();
    shop.write(dir.path()).unwrap();
    let mut config = Config::load(&dir.path().join("mapping.toml")).unwrap();
    assert_eq!(config.mapping.prepare.weights.demographic, 0.5);
    let mut ari_at = |weight: f64| {
        config.mapping.prepare.weights.demographic = weight;
        let run = segmint::pipeline::run_features(&config).unwrap();
        let best = (0..5)
            .map(|seed| {
                KMeansParams::new(preset.planted_k())
                    .seed(seed)
                    .check()
                    .unwrap()
                    .fit_view(run.prepared.matrix.view())
                    .unwrap()
            })
            .min_by(|a, b| a.inertia.total_cmp(&b.inertia))
            .unwrap();
        let segments: Vec<Option<usize>> = best.labels.iter().map(|&l| Some(l)).collect();
        compare(&shop.truth, &run.prepared.ids, &segments)
            .unwrap()
            .ari
            .unwrap()
    };
    let (half, full) = (ari_at(0.5), ari_at(1.0));
    assert!(half >= 0.85, "ARI at the default weight 0.5: {half:.3}");
    assert!(full < 0.75, "ARI at weight 1: {full:.3}");
}
