//! Hand-computed features of a two-customer shop, on a Ballista cluster in the test process.

use std::path::Path;

use polars::prelude::*;

use segmint_ballista::cluster::connect;
use segmint_ballista::{Engine, canonical, features};

const MAPPING: &str = r#"as_of = "2024-01-31"

[transactions]
path = "transactions.csv"

[transactions.columns]
customer_id = "customer"
order_id = "order"
timestamp = "time"
quantity = "qty"
unit_price = "price"
discount = "discount"
channel = "channel"
"#;

// A: three orders, Mon 1 Jan, Wed 3 Jan (two lines, one discounted), Sun 7 Jan 2024.
// B: one order on Sat 2 Dec 2023, two items.
const TRANSACTIONS: &str = "customer,order,time,qty,price,discount,channel
A,1,2024-01-01 10:00:00,1,10,0,web
A,2,2024-01-03 09:00:00,1,15,5,app
A,2,2024-01-03 09:00:00,1,10,0,app
A,3,2024-01-07 23:59:00,1,30,0,web
B,4,2023-12-02 12:00:00,2,5,0,web
";

fn value(df: &DataFrame, row: usize, name: &str) -> Option<f64> {
    df.column(name)
        .unwrap_or_else(|_| panic!("column {name}"))
        .cast(&DataType::Float64)
        .expect("number")
        .f64()
        .expect("f64")
        .get(row)
}

/// The features of the canonical tables in `canon`, computed on a standalone cluster (two
/// partitions) into `out`.
async fn features_on_a_cluster(canon: &Path, out: &Path) -> features::FeaturesWritten {
    let ctx = connect(&Engine::Standalone { partitions: 2 })
        .await
        .expect("cluster");
    features::write(&ctx, canon, out).await.expect("features")
}

#[test]
fn two_customers_by_hand() {
    segmint_ballista::runtime()
        .expect("runtime")
        .block_on(async {
            let dir = tempfile::tempdir().expect("tempdir");
            std::fs::write(dir.path().join("mapping.toml"), MAPPING).expect("mapping");
            std::fs::write(dir.path().join("transactions.csv"), TRANSACTIONS)
                .expect("transactions");
            let config =
                segmint::config::Config::load(&dir.path().join("mapping.toml")).expect("config");
            let canon = dir.path().join("canonical");
            canonical::write(&config, &canon).expect("canonical");
            let out = dir.path().join("out");
            let w = features_on_a_cluster(&canon, &out).await;
            assert_eq!(w.customers, 2);
            let df = segmint_ballista::verify::read_table(Path::new(&out.join("features")))
                .expect("read");
            let ids: Vec<&str> = df
                .column("customer_id")
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .flatten()
                .collect();
            assert_eq!(ids, ["A", "B"]);
            let (a, b) = (0, 1);
            let want = [
                // name, A, B
                ("frequency", Some(3.0), Some(1.0)),
                ("recency_days", Some(24.0), Some(60.0)),
                ("tenure_days", Some(30.0), Some(60.0)),
                ("net_revenue", Some(60.0), Some(10.0)),
                ("aov", Some(20.0), Some(10.0)),
                ("items_per_order", Some(4.0 / 3.0), Some(2.0)),
                // Gaps of 2 and 4 days.
                ("interpurchase_mean_days", Some(3.0), None),
                ("interpurchase_std_days", Some(1.0), None),
                ("discount_order_share", Some(1.0 / 3.0), Some(0.0)),
                // Order 2: 5 off a gross of 25.
                ("discount_depth", Some(0.2), Some(0.0)),
                ("holiday_order_share", Some(0.0), Some(1.0)),
                ("weekend_order_share", Some(1.0 / 3.0), Some(1.0)),
                ("channel_share_web", Some(2.0 / 3.0), Some(1.0)),
                ("channel_share_app", Some(1.0 / 3.0), Some(0.0)),
                ("channel_share_other", Some(0.0), Some(0.0)),
                ("returned_orders", Some(0.0), Some(0.0)),
                ("refunds", Some(0.0), Some(0.0)),
                ("return_rate_value", Some(0.0), Some(0.0)),
                ("return_rate_items", Some(0.0), Some(0.0)),
            ];
            for (name, wa, wb) in want {
                for (row, w) in [(a, wa), (b, wb)] {
                    let got = value(&df, row, name);
                    match (w, got) {
                        (None, None) => {}
                        (Some(w), Some(g)) => assert!(
                            (w - g).abs() <= 1e-12,
                            "{name} of {}: want {w}, got {g}",
                            ids[row]
                        ),
                        _ => panic!("{name} of {}: want {w:?}, got {got:?}", ids[row]),
                    }
                }
            }
        })
}

/// A write of the canonical tables that stops half way (here: the returns' folder cannot be
/// replaced, after the ids and the order lines were) leaves no meta.json, so the old meta.json
/// never stands beside new tables, and reading the folder says to write it again.
#[test]
fn a_write_that_stops_half_way_leaves_no_meta() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("mapping.toml"), MAPPING).expect("mapping");
    std::fs::write(dir.path().join("transactions.csv"), TRANSACTIONS).expect("transactions");
    let config = segmint::config::Config::load(&dir.path().join("mapping.toml")).expect("config");
    let canon = dir.path().join("canonical");
    canonical::write(&config, &canon).expect("first write");
    assert!(canonical::Meta::read(&canon).is_ok());
    let lines = canon.join("lines").join("part-0.parquet");
    let before = std::fs::metadata(&lines)
        .expect("lines")
        .modified()
        .expect("mtime");
    std::fs::remove_dir_all(canon.join("returns")).expect("returns folder");
    std::fs::write(canon.join("returns"), b"a file where a folder was").expect("returns file");
    std::thread::sleep(std::time::Duration::from_millis(20));
    let err = canonical::write(&config, &canon).expect_err("the returns cannot be replaced");
    assert!(err.to_string().contains("returns"), "{err}");
    let after = std::fs::metadata(&lines)
        .expect("lines")
        .modified()
        .expect("mtime");
    assert!(
        after > before,
        "the order lines were written again before the error"
    );
    assert!(!canon.join("meta.json").exists());
    let err = canonical::Meta::read(&canon)
        .expect_err("no meta.json")
        .to_string();
    assert!(
        err.contains("has no meta.json") && err.contains("segmint-ballista canonical"),
        "{err}"
    );
}

/// `canonical::write` into a folder written before: the old events folder is replaced and a
/// staging folder left by a failed run is removed. An events table whose every row is after
/// the reference date is one file without rows (with the events' columns), and the cluster
/// computes the features from it: both customers, no browsing.
#[test]
fn canonical_write_replaces_old_folders_and_keeps_an_events_table_without_rows() {
    segmint_ballista::runtime()
        .expect("runtime")
        .block_on(async {
            let dir = tempfile::tempdir().expect("tempdir");
            let mapping = format!(
                "{MAPPING}
[events]
path = \"events.csv\"

[events.columns]
customer_id = \"visitor\"
session_id = \"session\"
timestamp = \"time\"
event_type = \"event\"

[events.event_types]
view = [\"page_view\"]
purchase = [\"purchase\"]
"
            );
            std::fs::write(dir.path().join("mapping.toml"), mapping).expect("mapping");
            std::fs::write(dir.path().join("transactions.csv"), TRANSACTIONS)
                .expect("transactions");
            // After as_of (2024-01-31): every row is skipped.
            std::fs::write(
                dir.path().join("events.csv"),
                "visitor,session,time,event\nA,s1,2024-02-02 10:00:00,page_view\nB,s2,2024-02-03 11:00:00,purchase\n",
            )
            .expect("events");
            let config =
                segmint::config::Config::load(&dir.path().join("mapping.toml")).expect("config");
            let canon = dir.path().join("canonical");
            for old in ["events", ".events.partial"] {
                std::fs::create_dir_all(canon.join(old)).expect("old folder");
                std::fs::write(canon.join(old).join("part-00007.parquet"), b"not parquet")
                    .expect("old file");
            }
            let (_, meta) = canonical::write(&config, &canon).expect("canonical");
            assert_eq!(meta.rows.get("events"), Some(&0));
            assert_eq!(
                meta.columns.get("events").map(Vec::as_slice),
                Some(&["customer_id", "session_id", "ts", "kind"].map(String::from)[..])
            );
            let mut files: Vec<String> = std::fs::read_dir(canon.join("events"))
                .expect("events folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            files.sort();
            assert_eq!(files, ["part-00000.parquet"]);
            assert!(!canon.join(".events.partial").exists());
            let out = dir.path().join("out");
            let w = features_on_a_cluster(&canon, &out).await;
            assert_eq!(w.customers, 2);
        });
}
