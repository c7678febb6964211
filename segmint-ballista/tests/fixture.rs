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
            let ctx = connect(&Engine::Standalone { partitions: 2 })
                .await
                .expect("cluster");
            let out = dir.path().join("out");
            let w = features::write(&ctx, &canon, &out).await.expect("features");
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
