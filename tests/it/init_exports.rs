//! `segmint init` on six differently named exports (issue 15): it exits 0, the mapping holds
//! the roles and columns written below (by hand, from each export's documentation), and the
//! smallest command that reads every table (`segmint check`) and `segmint features` run on it,
//! or fail naming the TODO.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use polars::prelude::SerReader;
use predicates::str::contains;

use crate::common;

fn segmint() -> Command {
    Command::cargo_bin("segmint").unwrap()
}

fn fixture(rel: &str) -> PathBuf {
    common::repo().join("tests/fixtures/init").join(rel)
}

/// Runs `segmint init` on the files; returns the folder, the mapping's path, the mapping
/// parsed as TOML and what init printed.
fn init(files: &[&str]) -> (tempfile::TempDir, PathBuf, toml::Value, String) {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("mapping.toml");
    let mut cmd = segmint();
    cmd.arg("init");
    for f in files {
        cmd.arg(fixture(f));
    }
    let out = cmd.arg("--out").arg(&mapping).assert().success();
    let stdout = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(text.starts_with("# segmint mapping"), "{text}");
    let value: toml::Value = toml::from_str(&text).unwrap();
    (dir, mapping, value, stdout)
}

/// `[table.columns]` key → column, as written.
fn col<'a>(m: &'a toml::Value, table: &str, key: &str) -> Option<&'a str> {
    m.get(table)?.get("columns")?.get(key)?.as_str()
}

fn file_of(m: &toml::Value, table: &str) -> Option<String> {
    let p = m.get(table)?.get("path")?.as_str()?;
    Path::new(p)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
}

/// `segmint check` and `segmint features` both succeed on the mapping.
fn runs(dir: &Path, mapping: &Path) {
    segmint()
        .args(["check", "--config"])
        .arg(mapping)
        .assert()
        .success()
        .stdout(contains("no problems: every table reads"));
    segmint()
        .args(["features", "--config"])
        .arg(mapping)
        .arg("--out")
        .arg(dir.join("run"))
        .assert()
        .success()
        .stdout(contains("customers"));
}

#[test]
fn shopify_orders_export() {
    let (dir, mapping, m, stdout) = init(&["shopify/orders_export_1.csv"]);
    assert_eq!(
        file_of(&m, "transactions").as_deref(),
        Some("orders_export_1.csv")
    );
    for (key, column) in [
        ("customer_id", "Email"),
        ("order_id", "Name"),
        ("timestamp", "Created at"),
        ("quantity", "Lineitem quantity"),
        ("unit_price", "Lineitem price"),
        ("product_id", "Lineitem sku"),
        ("brand", "Vendor"),
        ("discount", "Lineitem discount"),
        ("channel", "Source"),
        ("refunded_amount", "Refunded Amount"),
    ] {
        assert_eq!(col(&m, "transactions", key), Some(column), "{key}");
    }
    // "Total" is an order total on the first line of each order, not a line amount.
    assert_eq!(col(&m, "transactions", "line_total"), None);
    assert_eq!(
        m["transactions"]["date_formats"].as_array().unwrap()[0].as_str(),
        Some("%Y-%m-%d %H:%M:%S %z")
    );
    assert!(stdout.contains("e-mail addresses"), "{stdout}");
    // The Currency column holds NOK on every line: the mapping's currency.
    assert_eq!(m["currency"].as_str(), Some("NOK"));
    assert!(stdout.contains("currency = \"NOK\""), "{stdout}");
    for t in ["returns", "events", "survey", "customers"] {
        assert!(m.get(t).is_none(), "{t}");
    }
    runs(dir.path(), &mapping);
}

#[test]
fn woocommerce_order_export() {
    let (dir, mapping, m, _) = init(&["woocommerce/wc-order-export.csv"]);
    for (key, column) in [
        ("customer_id", "Customer ID"),
        ("order_id", "Order ID"),
        ("timestamp", "Date Created"),
        ("quantity", "Qty"),
        ("unit_price", "Item Price"),
        ("line_total", "Line Total"),
        ("product_id", "SKU"),
    ] {
        assert_eq!(col(&m, "transactions", key), Some(column), "{key}");
    }
    runs(dir.path(), &mapping);
}

#[test]
fn uci_online_retail() {
    let (dir, mapping, m, stdout) = init(&["uci/Online Retail.csv"]);
    for (key, column) in [
        ("customer_id", "CustomerID"),
        ("order_id", "InvoiceNo"),
        ("timestamp", "InvoiceDate"),
        ("quantity", "Quantity"),
        ("unit_price", "UnitPrice"),
        ("product_id", "StockCode"),
    ] {
        assert_eq!(col(&m, "transactions", key), Some(column), "{key}");
    }
    assert_eq!(m["transactions"]["cancel_prefix"].as_str(), Some("C"));
    // "12/1/2010 8:26" is month first; the day-first reading is named as the alternative.
    assert_eq!(
        m["transactions"]["date_formats"].as_array().unwrap()[0].as_str(),
        Some("%m/%d/%Y %H:%M")
    );
    assert!(stdout.contains("%d/%m/%Y %H:%M"), "{stdout}");
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(
        text.contains("sniffed: 100% of 20 sampled values parse as %m/%d/%Y %H:%M"),
        "{text}"
    );
    runs(dir.path(), &mapping);
    // The guest line (no CustomerID) is skipped and counted, the C-invoice is a return.
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .success()
        .stdout(contains("1 skipped: no customer id"));
}

#[test]
fn ga4_events_alone_leave_the_order_lines_as_a_todo() {
    let (dir, mapping, m, stdout) = init(&["ga4/events_20240105.csv"]);
    for (key, column) in [
        ("customer_id", "user_id"),
        ("session_id", "ga_session_id"),
        ("timestamp", "event_date"),
        ("event_type", "event_name"),
        ("category", "item_category"),
        ("dwell_milliseconds", "engagement_time_msec"),
    ] {
        assert_eq!(col(&m, "events", key), Some(column), "{key}");
    }
    assert!(stdout.contains("TODO"), "{stdout}");
    assert!(stdout.contains("microseconds"), "{stdout}");
    let path = m["transactions"]["path"].as_str().unwrap();
    assert!(path.starts_with("TODO"), "{path}");
    for cmd in ["check", "features"] {
        let mut c = segmint();
        c.args([cmd, "--config"]).arg(&mapping);
        if cmd == "features" {
            c.arg("--out").arg(dir.path().join("run"));
        }
        c.assert()
            .failure()
            .stderr(contains("[transactions"))
            .stderr(contains("is a TODO left by `segmint init`"));
    }
}

#[test]
fn ga4_events_with_orders() {
    let (dir, mapping, m, _) = init(&["ga4/events_20240105.csv", "ga4/orders.csv"]);
    assert_eq!(file_of(&m, "transactions").as_deref(), Some("orders.csv"));
    assert_eq!(
        file_of(&m, "events").as_deref(),
        Some("events_20240105.csv")
    );
    assert_eq!(col(&m, "transactions", "unit_price"), Some("price"));
    assert_eq!(col(&m, "transactions", "timestamp"), Some("order_date"));
    // GA4's engagement time is in milliseconds: mapped so, never read as seconds.
    assert_eq!(
        col(&m, "events", "dwell_milliseconds"),
        Some("engagement_time_msec")
    );
    assert_eq!(col(&m, "events", "dwell_seconds"), None);
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(
        text.contains("100% of its ids also in") && text.contains("orders.csv (\"customer_id\")"),
        "the events' user ids join the orders: {text}"
    );
    runs(dir.path(), &mapping);
}

#[test]
fn nordic_erp_export() {
    let (dir, mapping, m, _) = init(&[
        "nordic/kundregister.csv",
        "nordic/returer.csv",
        "nordic/ordrelinjer.csv",
    ]);
    assert_eq!(
        file_of(&m, "transactions").as_deref(),
        Some("ordrelinjer.csv")
    );
    assert_eq!(file_of(&m, "returns").as_deref(), Some("returer.csv"));
    assert_eq!(
        file_of(&m, "customers").as_deref(),
        Some("kundregister.csv")
    );
    let t = &m["transactions"];
    assert_eq!(t["delimiter"].as_str(), Some(";"));
    assert_eq!(t["decimal"].as_str(), Some(","));
    assert_eq!(
        t["date_formats"].as_array().unwrap()[0].as_str(),
        Some("%d.%m.%Y %H:%M")
    );
    for (key, column) in [
        ("customer_id", "Kundenummer"),
        ("order_id", "Ordrenr"),
        ("timestamp", "Ordredato"),
        ("quantity", "Antall"),
        ("unit_price", "Pris eks. mva"),
        ("line_total", "Beløp"),
        ("product_id", "Varenr"),
        ("category", "Varegruppe"),
        ("brand", "Merke"),
        ("discount", "Rabatt"),
        ("channel", "Kanal"),
    ] {
        assert_eq!(col(&m, "transactions", key), Some(column), "{key}");
    }
    for (key, column) in [
        ("order_id", "Ordrenr"),
        ("product_id", "Varenr"),
        ("quantity", "Antall"),
        ("refund", "Refusjon"),
        ("timestamp", "Returdato"),
    ] {
        assert_eq!(col(&m, "returns", key), Some(column), "{key}");
    }
    for (key, column) in [
        ("customer_id", "Kundnr"),
        ("birth_year", "Födelseår"),
        ("gender", "Kön"),
        ("country", "Land"),
        ("region", "Län"),
        ("postcode", "Postnr"),
        ("email", "E-post"),
        ("signup_date", "Registrerad"),
    ] {
        assert_eq!(col(&m, "customers", key), Some(column), "{key}");
    }
    runs(dir.path(), &mapping);
}

#[test]
fn grocery_panel() {
    let (dir, mapping, m, stdout) = init(&[
        "grocery/transaction_data.csv",
        "grocery/product.csv",
        "grocery/hh_demographic.csv",
    ]);
    for (key, column) in [
        ("customer_id", "household_id"),
        ("order_id", "basket_id"),
        ("timestamp", "day"),
        ("quantity", "units"),
        ("unit_price", "unit_price_eur"),
        ("line_total", "sales_value"),
        ("product_id", "product_id"),
        ("discount", "retail_disc"),
    ] {
        assert_eq!(col(&m, "transactions", key), Some(column), "{key}");
    }
    assert_eq!(
        file_of(&m, "customers").as_deref(),
        Some("hh_demographic.csv")
    );
    assert_eq!(col(&m, "customers", "customer_id"), Some("household_id"));
    // The product file becomes [products], joined by product_id; its department is the category.
    assert!(stdout.contains("[products] <- "), "{stdout}");
    assert_eq!(file_of(&m, "products").as_deref(), Some("product.csv"));
    for (key, column) in [
        ("product_id", "product_id"),
        ("category", "department"),
        ("brand", "brand"),
    ] {
        assert_eq!(col(&m, "products", key), Some(column), "{key}");
    }
    assert_eq!(col(&m, "transactions", "category"), None);
    runs(dir.path(), &mapping);
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .success()
        .stdout(contains(
            "join: order lines with a product row: 61 of 61 (100.0%)",
        ));
    // Category features come from the products table.
    let file = std::fs::File::open(dir.path().join("run/features.parquet")).unwrap();
    let features = polars::prelude::ParquetReader::new(file).finish().unwrap();
    let names: Vec<String> = features
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert!(
        names.iter().any(|n| n == "category_share_produce"),
        "{names:?}"
    );
}

#[test]
fn init_never_overwrites_a_reviewed_mapping() {
    let (_dir, mapping, _, _) = init(&["woocommerce/wc-order-export.csv"]);
    segmint()
        .arg("init")
        .arg(fixture("woocommerce/wc-order-export.csv"))
        .arg("--out")
        .arg(&mapping)
        .assert()
        .failure()
        .stderr(contains("--force"));
}

#[test]
fn a_parquet_export_is_sampled_by_ingests_reader() {
    use polars::prelude::{CsvReadOptions, DataType, ParquetWriter};
    let dir = tempfile::tempdir().unwrap();
    let csv = common::repo().join("tests/fixtures/check/orders.csv");
    let mut df = CsvReadOptions::default()
        .with_infer_schema_length(Some(0))
        .try_into_reader_with_file_path(Some(csv))
        .unwrap()
        .finish()
        .unwrap();
    // Numbers as numbers, dates as text: as many exports write them.
    df.with_column(df.column("qty").unwrap().cast(&DataType::Int64).unwrap())
        .unwrap();
    df.with_column(
        df.column("price")
            .unwrap()
            .cast(&DataType::Float64)
            .unwrap(),
    )
    .unwrap();
    let path = dir.path().join("orders.parquet");
    ParquetWriter::new(std::fs::File::create(&path).unwrap())
        .finish(&mut df)
        .unwrap();
    let mapping = dir.path().join("mapping.toml");
    segmint()
        .arg("init")
        .arg(&path)
        .arg("--out")
        .arg(&mapping)
        .assert()
        .success();
    let m: toml::Value = toml::from_str(&std::fs::read_to_string(&mapping).unwrap()).unwrap();
    for (key, column) in [
        ("customer_id", "customer_id"),
        ("order_id", "order_id"),
        ("timestamp", "order_date"),
        ("quantity", "qty"),
        ("unit_price", "price"),
        ("product_id", "sku"),
    ] {
        assert_eq!(col(&m, "transactions", key), Some(column), "{key}");
    }
    assert_eq!(
        m["transactions"]["date_formats"].as_array().unwrap()[0].as_str(),
        Some("%Y-%m-%d")
    );
    segmint()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .success()
        .stdout(contains(
            "transactions          6 rows read,         4 used,         2 skipped",
        ));
}

/// A discount column whose header gives a percentage (`Rabatt %`) is mapped as
/// `discount_pct`, never as an amount; a purchase price (`innpris`) in a products file is the
/// unit cost.
#[test]
fn a_percentage_discount_and_a_purchase_price_are_recognised() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ordrelinjer.csv"),
        "Ordrenr;Ordredato;Kundenr;Varenr;Antall;Beløp inkl. mva;Rabatt %\n\
         500001;07.08.2025 02:35;K-00001;V1;1;556,00;20\n\
         500002;09.08.2025 19:35;K-00002;V2;2;1003,50;0\n\
         500003;10.08.2025 11:05;K-00001;V2;1;401,40;40\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("varer.csv"),
        "varenr,varegruppe,merke,innpris\nV1,Sneakers,Nordlys,310.5\nV2,Boots,Fjell,402\n",
    )
    .unwrap();
    let mapping = dir.path().join("mapping.toml");
    segmint()
        .arg("init")
        .arg(dir.path().join("ordrelinjer.csv"))
        .arg(dir.path().join("varer.csv"))
        .arg("--out")
        .arg(&mapping)
        .assert()
        .success();
    let m: toml::Value = toml::from_str(&std::fs::read_to_string(&mapping).unwrap()).unwrap();
    assert_eq!(col(&m, "transactions", "discount_pct"), Some("Rabatt %"));
    assert_eq!(col(&m, "transactions", "discount"), None);
    assert_eq!(col(&m, "products", "unit_cost"), Some("innpris"));
    runs(dir.path(), &mapping);
}

/// A customer column of loyalty tiers (Bronse, Sølv, Gull) is proposed as an ordinal
/// attribute with its levels in rank order, a value that is no tier as not known.
#[test]
fn loyalty_tiers_are_proposed_as_ordered_levels() {
    let dir = tempfile::tempdir().unwrap();
    let mut orders = String::from("order_id,customer_id,order_date,qty,amount\n");
    let mut customers = String::from("customer_id,kundeklubb\n");
    let tiers = [
        "Gull", "Bronse", "Sølv", "Bronse", "Ukjent", "Sølv", "Gull", "Bronse",
    ];
    for (i, tier) in tiers.iter().enumerate() {
        orders.push_str(&format!(
            "O{i},C{i},2025-0{}-10,1,{}\n",
            1 + i % 9,
            100 + 10 * i
        ));
        customers.push_str(&format!("C{i},{tier}\n"));
    }
    std::fs::write(dir.path().join("orders.csv"), orders).unwrap();
    std::fs::write(dir.path().join("customers.csv"), customers).unwrap();
    let mapping = dir.path().join("mapping.toml");
    segmint()
        .arg("init")
        .arg(dir.path().join("orders.csv"))
        .arg(dir.path().join("customers.csv"))
        .arg("--out")
        .arg(&mapping)
        .assert()
        .success();
    let text = std::fs::read_to_string(&mapping).unwrap();
    let m: toml::Value = toml::from_str(&text).unwrap();
    let attr = &m["customers"]["attributes"]["kundeklubb"];
    assert_eq!(attr["kind"].as_str(), Some("ordinal"), "{text}");
    let list = |k: &str| -> Vec<&str> {
        attr[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect()
    };
    assert_eq!(list("levels"), ["Bronse", "Sølv", "Gull"]);
    assert_eq!(list("missing"), ["Ukjent"]);
    assert!(text.contains("are membership tiers"), "{text}");
    runs(dir.path(), &mapping);
}
