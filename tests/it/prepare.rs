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

fn opts() -> PrepareOptions {
    PrepareOptions {
        winsorize: [0.0, 1.0],
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

#[test]
fn log_impute_and_robust_scale_by_hand() {
    let o = PrepareOptions {
        scaling: Scaling::Robust,
        ..opts()
    };
    let p = prepare(&features(), &o, 0.2).unwrap();
    // net_revenue: signed log1p → ln 1, ln 10, ln 100, ln 1000 = 0, 2.3026, 4.6052, 6.9078;
    // the missing value takes the median of those (3.4539); robust scale over the five
    // values [0, 2.3026, 3.4539, 4.6052, 6.9078]: median 3.4539, IQR 4.6052 − 2.3026.
    let l = |x: f64| x.ln_1p();
    let med = (l(9.0) + l(99.0)) / 2.0;
    let iqr = l(99.0) - l(9.0);
    let expected: Vec<f64> = [l(0.0), l(9.0), med, l(99.0), l(999.0)]
        .iter()
        .map(|x| (x - med) / iqr)
        .collect();
    close(&col(&p, "net_revenue"), &expected);
    // share: no log; median of present = 0.3; values [0.1,0.2,0.3,0.4,0.5]: IQR 0.2.
    close(&col(&p, "share"), &[-1.0, -0.5, 0.0, 0.5, 1.0]);
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
    let p = prepare(&features(), &opts(), 0.3).unwrap();
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
    let p = prepare(&f, &opts(), 0.2).unwrap();
    assert!(p
        .model
        .correlated
        .iter()
        .any(|c| c.a == "age" && c.b == "age2" && c.r > 0.95));
}
