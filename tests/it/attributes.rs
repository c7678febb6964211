//! `[customers.attributes]` (issue 15, must-show 4): extra customer columns as categorical,
//! ordinal (levels or bands) and numeric demographic features, by hand on a tiny file, through
//! prepare and profiles, through the real binary, and proposed by `segmint init`.

use assert_cmd::Command;
use polars::prelude::SerReader;

use crate::common::{self, close, text, value, Fixture};
use segmint::model::{Assignment, SegmentId};
use segmint::pipeline::run_features;

const TRANSACTIONS: &str = "\
order_id,customer_id,ts,qty,price
O1,A,2024-11-02 10:00,1,100
O2,B,2024-11-03 10:00,2,50
O3,C,2024-11-04 10:00,1,80
O4,D,2024-11-05 10:00,3,10
O5,E,2024-11-06 10:00,1,20
O6,F,2024-11-07 10:00,1,30
";

const CUSTOMERS: &str = "\
id,age_band,income,hh_size,tier,kids
A,35-44,Under 15K,2,Gold,None/Unknown
B,65+,50-74K,1,silver,1
C,25 – 34 år,100-124K,3,Gold,2
D,55-64,15-24K,,Bronze,3+
E,Unknown,50-74K,5,Gold,1
F,<25,Under 15K,4,Platinum,2
";

const ATTRIBUTES: &str = r#"
[customers.attributes]
age_band = { kind = "ordinal", missing = ["Unknown"] }
income = { column = "income", kind = "ordinal" }
household = { column = "hh_size", kind = "numeric" }
tier = { column = "tier", kind = "ordinal", levels = ["Bronze", "Silver", "Gold", "Platinum"] }
kids = { column = "kids", kind = "categorical", missing = ["None/Unknown"] }
"#;

fn mapping(attributes: &str) -> String {
    format!(
        r#"
as_of = "2024-12-31"
[features]
rare_level_share = 0.2
[transactions]
path = "transactions.csv"
[transactions.columns]
customer_id = "customer_id"
order_id = "order_id"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
[customers]
path = "customers.csv"
[customers.columns]
customer_id = "id"
{attributes}"#
    )
}

fn fixture(
    customers: &str,
    attributes: &str,
) -> (Fixture, segmint::Result<segmint::pipeline::FeatureRun>) {
    let f = Fixture::new();
    f.file("transactions.csv", TRANSACTIONS)
        .file("customers.csv", customers);
    let run = f
        .config(&mapping(attributes))
        .and_then(|c| run_features(&c));
    (f, run)
}

#[test]
fn attributes_become_demographic_features_by_hand() {
    let (_f, run) = fixture(CUSTOMERS, ATTRIBUTES);
    let run = run.expect("features build");
    let t = &run.features.table;
    // Bands: closed (lo + hi) / 2; "65+" next to "55-64" (width 9): 65 + 4.5; "<25" next to
    // "25-34" (width 9): 25 − 4.5; "Unknown" declared missing.
    close(value(t, "A", "attr_age_band"), 39.5);
    close(value(t, "B", "attr_age_band"), 69.5);
    close(value(t, "C", "attr_age_band"), 29.5);
    close(value(t, "D", "attr_age_band"), 59.5);
    assert_eq!(value(t, "E", "attr_age_band"), None);
    close(value(t, "F", "attr_age_band"), 20.5);
    // Income: "Under 15K" next to "15-24K" (width 9 000): 15 000 − 4 500.
    close(value(t, "A", "attr_income"), 10_500.0);
    close(value(t, "B", "attr_income"), 62_000.0);
    close(value(t, "C", "attr_income"), 112_000.0);
    close(value(t, "D", "attr_income"), 19_500.0);
    // Numeric as given; blank is missing.
    close(value(t, "A", "attr_household"), 2.0);
    assert_eq!(value(t, "D", "attr_household"), None);
    close(value(t, "E", "attr_household"), 5.0);
    // Declared levels: their position, compared ignoring case ("silver").
    close(value(t, "A", "attr_tier"), 3.0);
    close(value(t, "B", "attr_tier"), 2.0);
    close(value(t, "D", "attr_tier"), 1.0);
    close(value(t, "F", "attr_tier"), 4.0);
    // Categorical: the text; the declared missing value is missing.
    assert_eq!(text(t, "A", "attr_kids"), None);
    assert_eq!(text(t, "D", "attr_kids").as_deref(), Some("3+"));
    let spec = |n: &str| {
        run.features
            .specs
            .iter()
            .find(|s| s.name == n)
            .unwrap_or_else(|| panic!("{n} in the catalog"))
            .clone()
    };
    use segmint::features::{Group, Kind};
    assert_eq!(spec("attr_kids").kind, Kind::Categorical);
    assert_eq!(spec("attr_age_band").kind, Kind::Ordinal);
    assert_eq!(spec("attr_household").kind, Kind::Number);
    assert_eq!(spec("attr_tier").group, Group::Demographic);
    assert!(spec("attr_tier").formula.contains("Bronze = 1"));
    // The declared missing values are counted, not hidden.
    let w = &run.ingest.report.warnings;
    assert!(
        w.iter()
            .any(|w| w.contains("age_band: 1 values listed in `missing`")),
        "{w:?}"
    );
    assert!(w.iter().any(|w| w.contains("kids: 1 values")), "{w:?}");
}

#[test]
fn categorical_attribute_is_one_hot_with_rare_levels_pooled_and_profiled() {
    let (_f, run) = fixture(CUSTOMERS, ATTRIBUTES);
    let run = run.expect("features build");
    let names = run.prepared.model.names();
    // kids: "1" and "2" held by 2 of 6 customers each (≥ 0.2); "3+" by 1 of 6 (< 0.2): pooled.
    for c in ["attr_kids=1", "attr_kids=2", "attr_kids=other"] {
        assert!(names.iter().any(|n| n == c), "{c} not in {names:?}");
    }
    assert!(!names.iter().any(|n| n == "attr_kids=3+"), "{names:?}");
    // Segment 1 = A, B, C; segment 2 = D, E, F.
    let assignment = Assignment {
        ids: ["A", "B", "C", "D", "E", "F"].map(String::from).to_vec(),
        segment: [0, 0, 0, 1, 1, 1].map(|s| Some(SegmentId(s))).to_vec(),
        distance: vec![None; 6],
        silhouette: vec![None; 6],
    };
    let p =
        segmint::profile::profile(&run.features, &assignment, &Default::default(), false).unwrap();
    let s1 = &p.segments[0];
    let kid = |level: &str| {
        s1.composition
            .iter()
            .find(|c| c.feature == "attr_kids" && c.level == level)
            .unwrap_or_else(|| panic!("kids = {level} in segment 1"))
    };
    // Segment 1: B has "1", C has "2" (A missing) → 1/3 each; base 2/6 each.
    close(Some(kid("1").share), 1.0 / 3.0);
    close(Some(kid("1").base_share), 2.0 / 6.0);
    close(Some(kid("2").over_representation), 1.0);
    let stat = |name: &str| {
        s1.features
            .iter()
            .find(|f| f.feature == name)
            .unwrap_or_else(|| panic!("{name} profiled"))
            .clone()
    };
    // Tier mean in segment 1: (3 + 2 + 3) / 3 = 8/3, the base's mean (3+2+3+1+3+4)/6 too: lift 0.
    close(stat("attr_tier").mean, 8.0 / 3.0);
    close(stat("attr_tier").lift, 0.0);
    // Income in segment 1: (10 500 + 62 000 + 112 000) / 3 = 61 500, above the base's
    // 276 500 / 6.
    close(stat("attr_income").mean, 61_500.0);
    assert!(stat("attr_income").lift.unwrap() > 0.0);
    // Ordinal attributes also show their composition by level, labelled as written.
    let level = |feature: &str, level: &str| {
        s1.composition
            .iter()
            .find(|c| c.feature == feature && c.level == level)
            .unwrap_or_else(|| panic!("{feature} = {level} in segment 1: {:?}", s1.composition))
    };
    // Tier in segment 1: Gold (A, C), Silver (B) → 2/3 and 1/3; base Gold 3/6, Silver 1/6.
    close(Some(level("attr_tier", "Gold").share), 2.0 / 3.0);
    close(Some(level("attr_tier", "Gold").base_share), 3.0 / 6.0);
    close(Some(level("attr_tier", "Silver").over_representation), 2.0);
    // The declared level's own spelling, not the file's ("silver").
    assert!(!s1.composition.iter().any(|c| c.level == "silver"));
    // Bands: "Under 15K" held by A in segment 1 (1/3) and by A and F in the base (2/6).
    close(Some(level("attr_income", "Under 15K").share), 1.0 / 3.0);
    close(
        Some(level("attr_income", "Under 15K").base_share),
        2.0 / 6.0,
    );
    // Age: A 35-44, B 65+, C "25 – 34 år" → a third each; E's "Unknown" is no level.
    close(Some(level("attr_age_band", "65+").share), 1.0 / 3.0);
    assert!(!s1
        .composition
        .iter()
        .any(|c| c.feature == "attr_age_band" && c.level == "Unknown"));
    // The levels travel with the feature's spec (manifest.json), lowest first.
    let tier = run
        .features
        .specs
        .iter()
        .find(|s| s.name == "attr_tier")
        .unwrap();
    let labels: Vec<&str> = tier.levels.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(labels, ["Bronze", "Silver", "Gold", "Platinum"]);
}

#[test]
fn bad_attribute_values_name_file_line_column_and_value() {
    // An ordinal value not among the declared levels.
    let bad_level = CUSTOMERS.replace("Platinum", "Diamond");
    let (_f, run) = fixture(&bad_level, ATTRIBUTES);
    let e = run.expect_err("an unknown level fails").to_string();
    assert!(e.contains("customers.csv"), "{e}");
    assert!(e.contains("line 7"), "{e}");
    assert!(e.contains("tier"), "{e}");
    assert!(e.contains("Diamond"), "{e}");
    assert!(e.contains("levels"), "{e}");
    // A band that does not read.
    let bad_band = CUSTOMERS.replace("50-74K,1,silver", "fifty-ish,1,silver");
    let (_f, run) = fixture(&bad_band, ATTRIBUTES);
    let e = run.expect_err("a bad band fails").to_string();
    assert!(e.contains("line 3"), "{e}");
    assert!(e.contains("income"), "{e}");
    assert!(e.contains("fifty-ish"), "{e}");
    // Not a number in a numeric attribute.
    let bad_number = CUSTOMERS.replace(",5,Gold", ",five,Gold");
    let (_f, run) = fixture(&bad_number, ATTRIBUTES);
    let e = run.expect_err("a non-number fails").to_string();
    assert!(e.contains("line 6"), "{e}");
    assert!(e.contains("hh_size"), "{e}");
    assert!(e.contains("five"), "{e}");
    // Levels on a categorical attribute are a mapping error.
    let (_f, run) = fixture(
        CUSTOMERS,
        "[customers.attributes]\nkids = { kind = \"categorical\", levels = [\"1\", \"2\"] }\n",
    );
    let e = run.expect_err("levels on a categorical fail").to_string();
    assert!(e.contains("ordinal"), "{e}");
}

/// The sample shop with three attributes appended to its customers file.
fn sample_with_attributes() -> tempfile::TempDir {
    let dir = common::sample_copy();
    let customers = std::fs::read_to_string(dir.path().join("customers.csv")).unwrap();
    let bands = ["Under 15K", "15-24K", "25-49K", "50-74K", "75-99K", "100K+"];
    let tiers = ["Bronze", "Silver", "Gold"];
    let homes = ["Owner", "Renter", "Unknown"];
    let mut out = String::new();
    for (i, line) in customers.lines().enumerate() {
        if i == 0 {
            out.push_str(&format!("{line},income_band,loyalty_tier,home\n"));
        } else {
            out.push_str(&format!(
                "{line},{},{},{}\n",
                bands[i % bands.len()],
                tiers[(i / 7) % tiers.len()],
                homes[i % 3]
            ));
        }
    }
    std::fs::write(dir.path().join("customers.csv"), out).unwrap();
    let mut mapping = std::fs::read_to_string(dir.path().join("mapping.toml")).unwrap();
    let at = mapping.find("# Lookalike seeds").unwrap();
    mapping.insert_str(
        at,
        "[customers.attributes]\n\
         income = { column = \"income_band\", kind = \"ordinal\" }\n\
         loyalty_tier = { kind = \"ordinal\", levels = [\"Bronze\", \"Silver\", \"Gold\"] }\n\
         home = { kind = \"categorical\", missing = [\"Unknown\"] }\n\n",
    );
    std::fs::write(dir.path().join("mapping.toml"), mapping).unwrap();
    dir
}

#[test]
fn cli_run_shows_attributes_in_features_and_segments() {
    let dir = sample_with_attributes();
    let run = dir.path().join("run");
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["run", "--quiet", "--k", "4", "--config"])
        .arg(dir.path().join("mapping.toml"))
        .arg("--out")
        .arg(&run)
        .assert()
        .success();
    let file = std::fs::File::open(run.join("features.parquet")).unwrap();
    let features = polars::prelude::ParquetReader::new(file).finish().unwrap();
    // Customer 1 (line 2 of the file): bands[1] = "15-24K" → 19 500; tier Bronze → 1.
    let id = "K000001";
    close(value(&features, id, "attr_income"), 19_500.0);
    close(value(&features, id, "attr_loyalty_tier"), 1.0);
    assert_eq!(text(&features, id, "attr_home").as_deref(), Some("Renter"));
    let segments: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("segments.json")).unwrap()).unwrap();
    let first = &segments["segments"][0];
    let has = |list: &str, feature: &str| {
        first[list]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["feature"] == feature)
    };
    assert!(has("composition", "attr_home"), "{}", first["composition"]);
    assert!(has("features", "attr_income"));
    assert!(has("features", "attr_loyalty_tier"));
    let manifest = std::fs::read_to_string(run.join("manifest.json")).unwrap();
    assert!(
        manifest.contains("home: 200 values listed in `missing`"),
        "{manifest}"
    );
}

#[test]
fn init_proposes_attributes_with_their_evidence() {
    let f = Fixture::new();
    f.file("orders.csv", TRANSACTIONS)
        .file("customers.csv", CUSTOMERS);
    let out = f.path("mapping.toml");
    Command::cargo_bin("segmint")
        .unwrap()
        .arg("init")
        .arg(f.path("orders.csv"))
        .arg(f.path("customers.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("[customers.attributes]"), "{text}");
    let config = segmint::config::Config::load(&out).expect("the proposal loads");
    let attrs = &config.mapping.customers.as_ref().unwrap().attributes;
    use segmint::config::AttributeKind::*;
    let kind = |c: &str| {
        attrs
            .values()
            .find(|a| a.column.as_deref() == Some(c))
            .unwrap_or_else(|| panic!("{c} proposed in {text}"))
            .kind
    };
    assert_eq!(kind("age_band"), Ordinal);
    assert_eq!(kind("income"), Ordinal);
    assert_eq!(kind("hh_size"), Numeric);
    // Loyalty tiers are ordered by rank whatever their case (Bronze < silver < Gold <
    // Platinum); it was categorical before init knew tier words.
    assert_eq!(kind("tier"), Ordinal);
    let tier = attrs
        .values()
        .find(|a| a.column.as_deref() == Some("tier"))
        .unwrap();
    assert_eq!(tier.levels, ["Bronze", "silver", "Gold", "Platinum"]);
    assert_eq!(kind("kids"), Ordinal);
    assert!(text.contains("sniffed"), "{text}");
    // The proposal runs as written.
    run_features(&config).expect("the proposed attributes read");
}
