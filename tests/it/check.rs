//! `segmint check` (issue 15): the numbers of a tiny shop, counted by hand from
//! tests/fixtures/check/*.csv, and a broken file named by file, line and column; the
//! `[products]` table's join and its errors.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::str::contains;

use crate::common;

fn segmint() -> Command {
    Command::cargo_bin("segmint").unwrap()
}

/// The fixture copied to a fresh folder, so a test can break one file.
fn shop() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let src = common::repo().join("tests/fixtures/check");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let mapping = dir.path().join("mapping.toml");
    (dir, mapping)
}

fn replace(dir: &Path, file: &str, from: &str, to: &str) {
    let p = dir.join(file);
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{from} not in {file}");
    std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn a_clean_mapping_reports_rows_ranges_and_joins() {
    let (dir, mapping) = shop();
    let before: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    let out = segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    // orders.csv: 6 lines; line 5 is a guest (no customer id), line 6 has quantity 0.
    assert!(
        text.contains("transactions          6 rows read,         4 used,         2 skipped"),
        "{text}"
    );
    assert!(
        text.contains("1 skipped: no customer id (e.g. a guest checkout) (lines 5)"),
        "{text}"
    );
    assert!(
        text.contains("1 skipped: quantity is 0 (lines 6)"),
        "{text}"
    );
    // returns.csv: O7 was never ordered.
    assert!(
        text.contains("returns               2 rows read,         1 used,         1 skipped"),
        "{text}"
    );
    // The 4 lines used: O1 (2 lines, C1), O2 (C2), O5 (C9), 2 to 10 January.
    assert!(
        text.contains(
            "order lines: 4 from 2024-01-02 00:00 to 2024-01-10 00:00: 3 orders by 3 customers"
        ),
        "{text}"
    );
    assert!(
        text.contains("events from 2024-01-04 10:00 to 2024-01-08 09:30"),
        "{text}"
    );
    // C1 (2 lines) and C2 have a customer row, C9 has none.
    assert!(
        text.contains("join: order lines with a customer row: 3 of 4 (75.0%)"),
        "{text}"
    );
    assert!(
        text.contains("join: returns with a matching order: 1 of 2 (50.0%)"),
        "{text}"
    );
    // Survey: C1 bought, C3 (quantity 0 only) and C4 did not.
    assert!(
        text.contains("join: survey customers who also bought: 1 of 3 (33.3%)"),
        "{text}"
    );
    // Events: C2 bought, C5 did not.
    assert!(
        text.contains("join: event customers who also bought: 1 of 2 (50.0%)"),
        "{text}"
    );
    // products.csv has P1 only (and P3, never sold): lines 3 and 6 (P2) find no product and
    // are kept; the join is counted over the 6 lines read.
    assert!(
        text.contains("products              2 rows read,         2 used,         0 skipped"),
        "{text}"
    );
    assert!(
        text.contains("join: order lines with a product row: 4 of 6 (66.7%)"),
        "{text}"
    );
    assert!(
        text.contains("2 of 6 order lines have no row in [products] (first lines: 3, 6)"),
        "{text}"
    );
    assert!(text.contains("no problems"), "{text}");
    let after: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(before.len(), after.len(), "check writes nothing");
}

#[test]
fn a_broken_order_file_is_named_by_file_line_and_column() {
    let (dir, mapping) = shop();
    replace(
        dir.path(),
        "orders.csv",
        "O2,C2,2024-01-05,P1,1,",
        "O2,C2,2024-01-05,P1,1x,",
    );
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .code(1)
        .stdout(contains("1 problem(s):"))
        .stdout(contains("[transactions]"))
        .stdout(contains("orders.csv, line 4, column \"qty\""))
        .stdout(contains("\"1x\""));
}

#[test]
fn problems_in_two_tables_are_both_named() {
    let (dir, mapping) = shop();
    // An answer outside the 1–5 scale (line 3) and a short row in customers (line 4).
    replace(dir.path(), "survey.csv", "C3,2,2,1", "C3,2,9,1");
    replace(dir.path(), "customers.csv", "C3,1975", "C3");
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .code(1)
        .stdout(contains("2 problem(s):"))
        .stdout(contains("[survey]"))
        .stdout(contains("survey.csv, line 3, column \"q2\""))
        .stdout(contains("[customers]"))
        .stdout(contains("customers.csv, line 4, column \"birth_year\""));
}

#[test]
fn a_todo_left_by_init_stops_check_with_its_line() {
    let (dir, mapping) = shop();
    replace(
        dir.path(),
        "mapping.toml",
        "quantity = \"qty\"",
        "quantity = \"TODO: the quantity column\"",
    );
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .failure()
        .stderr(contains(
            "line 10: [transactions.columns] quantity = \"TODO: the quantity column\" is a TODO",
        ));
}

#[test]
fn a_repeated_product_is_named_with_both_lines() {
    let (dir, mapping) = shop();
    replace(dir.path(), "products.csv", "P3,Hats,Fjell", "P1,Hats,Fjell");
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .code(1)
        .stdout(contains("[transactions]"))
        .stdout(contains(
            "products.csv, line 3, column \"sku\": \"P1\" appears twice (first on line 2)",
        ));
}

#[test]
fn product_values_fill_lines_without_their_own() {
    let (dir, mapping) = shop();
    // The lines carry their own category for P2 and one P1 line: the line's value wins there;
    // the other P1 line takes the product's.
    let lines = "order_id,customer_id,order_date,sku,qty,price,cat\n\
                 O1,C1,2024-01-02,P1,1,10.00,\n\
                 O1,C1,2024-01-02,P2,2,5.00,Socks\n\
                 O2,C2,2024-01-05,P1,1,10.00,Boots\n";
    std::fs::write(dir.path().join("orders.csv"), lines).unwrap();
    replace(
        dir.path(),
        "mapping.toml",
        "unit_price = \"price\"",
        "unit_price = \"price\"\ncategory = \"cat\"",
    );
    let config = segmint::config::Config::load(&mapping).unwrap();
    let inputs = segmint::ingest::load(&config).unwrap();
    let cats: Vec<Option<String>> = inputs
        .lines
        .column("category")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.map(String::from))
        .collect();
    assert_eq!(
        cats,
        [
            Some("Shoes".into()),
            Some("Socks".into()),
            Some("Boots".into())
        ]
    );
    let join = inputs.report.products.unwrap();
    assert_eq!(
        (join.lines, join.found, join.first_missing_lines),
        (3, 2, vec![3])
    );
}
