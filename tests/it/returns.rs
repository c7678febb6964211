//! The three return conventions give the same features for the same purchases.

use crate::common::{close, value, Fixture};
use segmint::pipeline::run_features;

const PURCHASES: &str = "\
order_id,customer_id,ts,product,qty,price,cost,discount
O1,A,2024-11-02 10:00,P1,2,100,40,20
O1,A,2024-11-02 10:00,P2,1,50,20,0
O2,A,2024-12-02 09:00,P1,1,100,40,0
O3,B,2024-06-10 08:00,P2,4,50,20,50
O4,B,2024-07-10 08:00,P3,3,10,5,0
";

const COLUMNS: &str = r#"
[transactions.columns]
customer_id = "customer_id"
order_id = "order_id"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
product_id = "product"
unit_cost = "cost"
discount = "discount"
"#;

fn head(extra: &str) -> String {
    format!("as_of = \"2024-12-31\"\n[features]\nreturn_handling_cost = 30\n[transactions]\npath = \"t.csv\"\n{extra}\n{COLUMNS}")
}

/// A returns one P1 from O1 (refund 90) and B returns all of O4 (refund 30).
fn separate_table() -> segmint::features::Features {
    let f = Fixture::new();
    f.file("t.csv", PURCHASES)
        .file("r.csv", "order,product,qty\nO1,P1,1\nO4,P3,3\n");
    let mapping = format!(
        "{}\n[returns]\npath = \"r.csv\"\n[returns.columns]\norder_id = \"order\"\nproduct_id = \"product\"\nquantity = \"qty\"\n",
        head("")
    );
    run_features(&f.config(&mapping).unwrap()).unwrap().features
}

fn negative_lines(prefix: bool) -> segmint::features::Features {
    let f = Fixture::new();
    let (o1, o4) = if prefix { ("CO1", "CO4") } else { ("O1", "O4") };
    let data = format!(
        "{PURCHASES}{o1},A,2024-11-09 10:00,P1,-1,100,40,10\n{o4},B,2024-07-20 08:00,P3,-3,10,5,0\n"
    );
    f.file("t.csv", &data);
    let extra = if prefix { "cancel_prefix = \"C\"" } else { "" };
    run_features(&f.config(&head(extra)).unwrap())
        .unwrap()
        .features
}

fn refund_columns() -> segmint::features::Features {
    let f = Fixture::new();
    let mut data = String::new();
    for (i, line) in PURCHASES.lines().enumerate() {
        let extra = match i {
            0 => ",refunded_qty,refunded",
            1 => ",1,90",
            5 => ",3,30",
            _ => ",,",
        };
        data.push_str(line);
        data.push_str(extra);
        data.push('\n');
    }
    f.file("t.csv", &data);
    let mapping = format!(
        "{}refunded_quantity = \"refunded_qty\"\nrefunded_amount = \"refunded\"\n",
        head("")
    );
    run_features(&f.config(&mapping).unwrap()).unwrap().features
}

#[test]
fn three_conventions_give_the_same_features() {
    let a = separate_table();
    let t = &a.table;
    // The expected values, by hand.
    close(value(t, "A", "refunds"), 90.0);
    close(value(t, "A", "return_rate_value"), 90.0 / 330.0);
    close(value(t, "A", "return_rate_items"), 1.0 / 4.0);
    close(value(t, "A", "return_handling_cost"), 30.0);
    close(
        value(t, "A", "contribution_profit"),
        330.0 - 90.0 - (140.0 - 40.0) - 30.0,
    );
    close(value(t, "B", "refunds"), 30.0);
    close(value(t, "B", "returned_orders"), 1.0);
    close(
        value(t, "B", "contribution_profit"),
        180.0 - 30.0 - (95.0 - 15.0) - 30.0,
    );
    for (name, other) in [
        ("negative quantities", negative_lines(false)),
        ("cancellation prefix", negative_lines(true)),
        ("refund columns", refund_columns()),
    ] {
        assert_eq!(a.specs, other.specs, "{name}: other features");
        assert!(
            a.table.equals_missing(&other.table),
            "{name}: features differ\n{}\n{}",
            a.table,
            other.table
        );
    }
}

#[test]
fn a_return_with_no_matching_order_is_counted_not_an_error() {
    let f = Fixture::new();
    f.file("t.csv", PURCHASES)
        .file("r.csv", "order,product,qty\nO1,P1,1\nO9,P1,1\nO2,P7,1\n");
    let mapping = format!(
        "{}\n[returns]\npath = \"r.csv\"\n[returns.columns]\norder_id = \"order\"\nproduct_id = \"product\"\nquantity = \"qty\"\n",
        head("")
    );
    let run = run_features(&f.config(&mapping).unwrap()).unwrap();
    let r = run.ingest.report.table("returns").unwrap();
    assert_eq!(r.rows_read, 3);
    assert_eq!(r.rows_used, 1);
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].rows, 2);
    assert_eq!(r.skipped[0].first_lines, vec![3, 4]);
    assert_eq!(
        r.skipped[0].kind,
        segmint::model::SkipReason::ReturnWithoutOrderLine
    );
    assert!(r.skipped[0].reason.contains("no matching order"));
    close(value(&run.features.table, "A", "refunds"), 90.0);
}
