//! Invariants over random transaction files: every customer once, totals conserved.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use segmint::pipeline::run_features;

#[derive(Debug, Clone)]
struct Line {
    customer: u8,
    order: u8,
    day: u8,
    qty: i8,
    cents: u32,
    discount_cents: u32,
}

fn line() -> impl Strategy<Value = Line> {
    (
        0u8..8,
        0u8..12,
        1u8..28,
        prop_oneof![1i8..5, -2i8..0],
        0u32..50_000,
        0u32..500,
    )
        .prop_map(|(customer, order, day, qty, cents, discount_cents)| Line {
            customer,
            order,
            day,
            qty,
            cents,
            discount_cents,
        })
}

const MAPPING: &str = r#"
as_of = "2024-03-31"
[transactions]
path = "t.csv"
[transactions.columns]
customer_id = "customer"
order_id = "order"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
discount = "discount"
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn every_customer_once_and_money_conserved(lines in prop::collection::vec(line(), 1..40)) {
        let f = common::Fixture::new();
        let mut csv = String::from("order,customer,ts,qty,price,discount\n");
        let mut paid = 0.0;
        let mut refunds = 0.0;
        let mut orders: BTreeSet<(u8, u8)> = BTreeSet::new();
        let mut customers = BTreeSet::new();
        // An order belongs to the customer of its first line.
        let mut owner: BTreeMap<u8, u8> = BTreeMap::new();
        for l in &lines {
            let c = *owner.entry(l.order).or_insert(l.customer);
            let price = l.cents as f64 / 100.0;
            let gross = price * l.qty.unsigned_abs() as f64;
            let discount = (l.discount_cents as f64 / 100.0).min(gross);
            let amount = gross - discount;
            if l.qty > 0 {
                paid += amount;
                orders.insert((c, l.order));
            } else {
                refunds += amount;
            }
            customers.insert(format!("C{c}"));
            csv.push_str(&format!(
                "O{},C{},2024-03-{:02} 10:00,{},{:.2},{:.2}\n",
                l.order, c, l.day, l.qty, price, discount
            ));
        }
        f.file("t.csv", &csv);
        // Order lines that are all returns are refused, with what to check (no customer
        // bought anything: most likely a misread quantity column).
        if lines.iter().all(|l| l.qty < 0) {
            let e = run_features(&f.config(MAPPING).unwrap()).unwrap_err().to_string();
            prop_assert!(e.contains("t.csv") && e.contains("are returns"), "{}", e);
            return Ok(());
        }
        let run = run_features(&f.config(MAPPING).unwrap()).unwrap();
        let t = &run.features.table;
        let ids: BTreeSet<String> = common::ids(t).into_iter().collect();
        prop_assert_eq!(ids.len(), t.height());
        prop_assert_eq!(ids, customers);
        let sum = |c: &str| t.column(c).unwrap().f64().unwrap().iter().flatten().sum::<f64>();
        prop_assert!((sum("net_revenue") - paid).abs() < 1e-6);
        prop_assert!((sum("refunds") - refunds).abs() < 1e-6);
        prop_assert_eq!(sum("frequency") as usize, orders.len());
        // Profit identity (no cost, no handling): profit = revenue − refunds, per customer.
        let profit = t.column("contribution_profit").unwrap().f64().unwrap().clone();
        let revenue = t.column("net_revenue").unwrap().f64().unwrap().clone();
        let refund = t.column("refunds").unwrap().f64().unwrap().clone();
        for i in 0..t.height() {
            let expected = revenue.get(i).unwrap() - refund.get(i).unwrap();
            prop_assert!((profit.get(i).unwrap() - expected).abs() < 1e-6);
        }
        // The matrix has a row per customer and only finite values.
        prop_assert_eq!(run.prepared.matrix.nrows(), t.height());
        prop_assert!(run.prepared.matrix.iter().all(|x| x.is_finite()));
    }
}
