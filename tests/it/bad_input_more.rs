//! Bad input under attack (issue 14, cases 5–11 and 13–16): each case stops with a message
//! naming the file, the line and the column (or the mapping key and its line), or gives the
//! right result. Never a panic, never a silently wrong number.

use crate::common;

use std::path::Path;
use std::time::Duration;

use crate::common::Fixture;
use assert_cmd::Command;
use segmint::pipeline::run_features;

fn segmint() -> Command {
    let mut c = Command::cargo_bin("segmint").unwrap();
    c.timeout(Duration::from_secs(120));
    c
}

const MAPPING: &str = r#"
[transactions]
path = "t.csv"
[transactions.columns]
customer_id = "customer"
order_id = "order"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
"#;

/// Runs the feature stage on the fixture and returns the error message.
fn error(f: &Fixture, mapping: &str) -> String {
    match f.config(mapping) {
        Err(e) => e.to_string(),
        Ok(config) => match run_features(&config) {
            Err(e) => e.to_string(),
            Ok(_) => panic!("expected an error"),
        },
    }
}

#[track_caller]
fn assert_names(message: &str, parts: &[&str]) {
    for p in parts {
        assert!(
            message.contains(p),
            "message {message:?} does not mention {p:?}"
        );
    }
}

fn with_section(mapping: &str, section: &str, keys: &str) -> String {
    format!("{mapping}\n[{section}]\n{keys}\n")
}

// ---- case 5: decimal comma and a "." that is not a thousands separator ----

const NORDIC: &str = r#"
[transactions]
path = "t.csv"
delimiter = ";"
decimal = ","
[transactions.columns]
customer_id = "customer"
order_id = "order"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
"#;

#[test]
fn decimal_comma_refuses_a_point_decimal() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order;customer;ts;qty;price\nO1;A;2024-01-05;1;1 234,50\nO2;B;2024-02-01;1;849.00\n",
    );
    let m = error(&f, NORDIC);
    assert_names(&m, &["t.csv", "line 3", "column \"price\"", "\"849.00\""]);
}

#[test]
fn decimal_comma_refuses_a_comma_before_a_point() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order;customer;ts;qty;price\nO1;A;2024-01-05;1;1.234,50\nO2;B;2024-02-01;1;1,234.50\n",
    );
    let m = error(&f, NORDIC);
    assert_names(&m, &["t.csv", "line 3", "column \"price\"", "\"1,234.50\""]);
}

#[test]
fn decimal_comma_reads_grouped_thousands() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order;customer;ts;qty;price\nO1;A;2024-01-05;1;1.234,50\nO2;B;2024-02-01;2;12.345.678,25\nO3;C;2024-02-01;1;7\n",
    );
    let run = run_features(&f.config(NORDIC).unwrap()).unwrap();
    let t = &run.features.table;
    common::close(common::value(t, "A", "net_revenue"), 1234.5);
    common::close(common::value(t, "B", "net_revenue"), 24_691_356.5);
    common::close(common::value(t, "C", "net_revenue"), 7.0);
}

// ---- case 6: money beyond the bound ----

#[test]
fn a_line_amount_beyond_the_money_bound_is_an_error_with_its_place() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10\nO2,B,2024-02-01,1000000,1e15\n",
    );
    let m = error(&f, MAPPING);
    assert_names(
        &m,
        &["t.csv", "line 3", "column \"price\"", "\"1e15\"", "10^12"],
    );
}

#[test]
fn a_price_of_1e20_is_an_error_with_its_place() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10\nO2,B,2024-02-01,1,1e20\n",
    );
    let m = error(&f, MAPPING);
    assert_names(&m, &["t.csv", "line 3", "column \"price\"", "\"1e20\""]);
}

#[test]
fn a_table_whose_money_adds_up_beyond_the_bound_names_the_line_where_it_passes() {
    let f = Fixture::new();
    let mut t = String::from("order,customer,ts,qty,price\n");
    for i in 0..8 {
        t.push_str(&format!("O{i},C{i},2024-01-05,1,900000000000\n"));
    }
    f.file("t.csv", &t);
    let m = error(&f, MAPPING);
    // 5 × 9e11 = 4.5e12 passes 4e12 on the 5th data row, line 6.
    assert_names(&m, &["t.csv", "line 6", "column \"price\"", "4 × 10^12"]);
}

#[test]
fn a_huge_refund_amount_is_an_error() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,ra\nO1,A,2024-01-05,1,10,0\nO2,B,2024-02-01,1,20,5e13\n",
    );
    let m = error(&f, &format!("{MAPPING}refunded_amount = \"ra\"\n"));
    assert_names(&m, &["t.csv", "line 3", "column \"ra\""]);
}

// ---- case 7: short and long rows ----

#[test]
fn a_short_row_mid_file_is_an_error_naming_the_first_missing_column() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,cost\nO1,A,2024-01-05,1,10,4\nO2,B,2024-02-01,2\nO3,C,2024-02-01,2,5,1\n",
    );
    let m = error(&f, &format!("{MAPPING}unit_cost = \"cost\"\n"));
    assert_names(
        &m,
        &[
            "t.csv",
            "line 3",
            "column \"price\"",
            "4 values",
            "6 columns",
        ],
    );
}

#[test]
fn a_truncated_last_line_is_an_error() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,cost\nO1,A,2024-01-05,1,10,4\nO2,B,2024-02-01,2,20",
    );
    let m = error(&f, &format!("{MAPPING}unit_cost = \"cost\"\n"));
    assert_names(&m, &["t.csv", "line 3", "column \"cost\"", "5 values"]);
}

#[test]
fn a_row_with_extra_fields_is_an_error_with_its_line() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10\nO2,B,2024-02-01,2,20,oops\nO3,C,2024-02-01,2,5\n",
    );
    let m = error(&f, MAPPING);
    assert_names(&m, &["t.csv", "line 3", "6 values", "5 columns"]);
    assert!(!m.contains("truncate_ragged_lines"), "{m}");
}

#[test]
fn quoted_delimiters_and_line_breaks_are_not_extra_fields() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,note\nO1,A,2024-01-05,1,10,\"a, b\"\nO2,B,2024-02-01,2,20,\"two\nlines\"\n",
    );
    let run = run_features(&f.config(MAPPING).unwrap()).unwrap();
    common::close(common::value(&run.features.table, "B", "net_revenue"), 40.0);
}

// ---- case 8: as_of cuts everything ----

#[test]
fn customers_first_seen_after_as_of_are_left_out_and_counted() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10\nO2,B,2025-03-01,1,10\nO3,C,2024-06-01,1,10\n",
    )
    .file("c.csv", "id,signup\nA,2023-01-01\nB,2025-02-01\nC,2025-01-10\nD,2025-05-05\n");
    let mapping = format!(
        "as_of = \"2024-12-31\"\n{MAPPING}\n[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\nsignup_date = \"signup\"\n"
    );
    let run = run_features(&f.config(&mapping).unwrap()).unwrap();
    // B (first order and sign-up after as_of) and D (signed up after as_of) did not exist yet.
    assert_eq!(common::ids(&run.features.table), ["A", "C"]);
    assert_eq!(run.ingest.report.customers_after_as_of, 2);
    // C ordered before signing up: the sign-up is in the future, so its tenure is unknown,
    // never negative.
    assert_eq!(
        common::value(&run.features.table, "C", "signup_tenure_days"),
        None
    );
    common::close(
        common::value(&run.features.table, "A", "signup_tenure_days"),
        730.0,
    );
    let c = run.ingest.report.table("customers").unwrap();
    assert_eq!((c.rows_read, c.rows_used), (4, 2));
}

// ---- case 9: discounts ----

#[test]
fn a_discount_on_a_free_line_is_an_error() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,disc\nO1,A,2024-01-05,1,10,2\nO2,B,2024-02-01,1,0,5\n",
    );
    let m = error(&f, &format!("{MAPPING}discount = \"disc\"\n"));
    assert_names(
        &m,
        &["t.csv", "line 3", "column \"disc\"", "\"5\"", "more than"],
    );
}

#[test]
fn a_discount_above_the_lines_price_is_an_error() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,disc\nO1,A,2024-01-05,2,10,20\nO2,B,2024-02-01,2,10,25\n",
    );
    let m = error(&f, &format!("{MAPPING}discount = \"disc\"\n"));
    assert_names(&m, &["t.csv", "line 3", "column \"disc\"", "\"25\""]);
}

#[test]
fn discount_depth_stays_finite_with_line_totals() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,total,disc\nO1,A,2024-01-05,1,0,0\nO2,A,2024-02-01,1,8,2\n",
    );
    let mapping = MAPPING.replace("unit_price = \"price\"", "line_total = \"total\"")
        + "discount = \"disc\"\n";
    let run = run_features(&f.config(&mapping).unwrap()).unwrap();
    common::close(
        common::value(&run.features.table, "A", "discount_depth"),
        0.2,
    );
}

/// A discount given as a percentage (`Rabatt %`) is the share of the price before discount:
/// 25 % of 2 × 10 takes 5 off; with a line total only, 20 % off a line that paid 8 took 2.
#[test]
fn a_discount_percentage_becomes_the_amount_taken_off() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,pct\nO1,A,2024-01-05,2,10,25\nO2,A,2024-02-01,1,10,0\n",
    );
    let run = run_features(
        &f.config(&format!("{MAPPING}discount_pct = \"pct\"\n"))
            .unwrap(),
    )
    .unwrap();
    let t = &run.features.table;
    common::close(common::value(t, "A", "discount_depth"), 5.0 / 20.0);
    common::close(common::value(t, "A", "discount_order_share"), 0.5);
    common::close(common::value(t, "A", "net_revenue"), 15.0 + 10.0);
    f.file(
        "t.csv",
        "order,customer,ts,qty,total,pct\nO1,A,2024-01-05,1,8,20\nO2,A,2024-02-01,1,0,100\n",
    );
    let mapping = MAPPING.replace("unit_price = \"price\"", "line_total = \"total\"")
        + "discount_pct = \"pct\"\n";
    let run = run_features(&f.config(&mapping).unwrap()).unwrap();
    common::close(
        common::value(&run.features.table, "A", "discount_depth"),
        2.0 / 10.0,
    );
}

#[test]
fn a_discount_percentage_outside_0_to_100_or_a_paid_free_line_is_an_error() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price,pct\nO1,A,2024-01-05,2,10,25\nO2,B,2024-02-01,2,10,120\n",
    );
    let m = error(&f, &format!("{MAPPING}discount_pct = \"pct\"\n"));
    assert_names(
        &m,
        &["t.csv", "line 3", "column \"pct\"", "\"120\"", "above 100%"],
    );
    f.file(
        "t.csv",
        "order,customer,ts,qty,total,pct\nO1,A,2024-01-05,1,8,20\nO2,B,2024-02-01,1,5,100\n",
    );
    let mapping = MAPPING.replace("unit_price = \"price\"", "line_total = \"total\"")
        + "discount_pct = \"pct\"\n";
    let m = error(&f, &mapping);
    assert_names(
        &m,
        &["t.csv", "line 3", "column \"pct\"", "\"100\"", "paid for"],
    );
    let m = error(
        &f,
        &format!("{MAPPING}discount = \"pct\"\ndiscount_pct = \"pct\"\n"),
    );
    assert_names(&m, &["discount_pct", "both"]);
}

/// Dwell times in milliseconds (GA4's `engagement_time_msec`) are read as seconds / 1000:
/// 1,500 and 2,500 ms are a mean of 2 seconds. Mapping both units is an error.
#[test]
fn dwell_milliseconds_are_read_as_seconds() {
    let f = Fixture::new();
    f.file("t.csv", "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10\n")
        .file(
            "e.csv",
            "customer,session,ts,event,ms\nA,s1,2024-01-04,page_view,1500\nA,s1,2024-01-04,view_item,2500\n",
        );
    let events = "[events]\npath = \"e.csv\"\n[events.columns]\ncustomer_id = \"customer\"\nsession_id = \"session\"\ntimestamp = \"ts\"\nevent_type = \"event\"\n";
    let mapping = format!("{MAPPING}{events}dwell_milliseconds = \"ms\"\n");
    let run = run_features(&f.config(&mapping).unwrap()).unwrap();
    common::close(
        common::value(&run.features.table, "A", "mean_dwell_seconds"),
        2.0,
    );
    let m = error(
        &f,
        &format!("{MAPPING}{events}dwell_milliseconds = \"ms\"\ndwell_seconds = \"ms\"\n"),
    );
    assert_names(&m, &["dwell_milliseconds", "both"]);
}

// ---- case 10: [flags] and [features] numbers ----

const TX: &str = "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10.50\nO2,B,2024-02-01,2,20\n";

#[test]
fn flag_and_feature_numbers_are_checked_with_their_line() {
    for (section, key, value) in [
        ("flags", "segment_return_rate", "nan"),
        ("flags", "customer_return_rate", "-1"),
        ("flags", "churn_factor", "-5"),
        ("flags", "discount_share", "1.5"),
        ("flags", "profit_to_revenue_share", "inf"),
        ("flags", "media_cost_per_customer", "-3"),
        ("flags", "customer_min_orders", "0"),
        ("flags", "hidden_returners_share", "0"),
        ("flags", "hidden_returners_share", "1.5"),
        ("features", "return_handling_cost", "-100"),
        ("features", "return_handling_cost", "nan"),
        ("features", "default_margin_pct", "120"),
        ("features", "rare_level_share", "nan"),
        ("prepare", "correlation_warning", "nan"),
        ("cluster", "pca_max", "0"),
        ("cluster", "near_tie", "-1"),
        ("cluster", "min_stability", "nan"),
    ] {
        let f = Fixture::new();
        f.file("t.csv", TX);
        let mapping = with_section(MAPPING, section, &format!("{key} = {value}"));
        let line = mapping
            .lines()
            .position(|l| l.starts_with(key))
            .map(|i| i + 1)
            .unwrap();
        let m = error(&f, &mapping);
        assert_names(
            &m,
            &[
                "mapping.toml",
                &format!("line {line}"),
                &format!("[{section}] {key}"),
            ],
        );
    }
}

// ---- case 11 and 15/16: runs of the binary on a small shop ----

/// 16 customers in three categories, with a mapping for a fast k-means-only sweep.
fn small_shop(f: &Fixture, cluster: &str) -> std::path::PathBuf {
    let mut t = String::from("order,customer,ts,qty,price,category\n");
    let cats = ["shoes", "bags", "hats"];
    for c in 0..16 {
        for o in 0..(1 + c % 4) {
            let day = 1 + (c * 3 + o * 7) % 27;
            let cat = cats[(c + o) % 3];
            let price = 10 + (c * 37 + o * 11) % 200;
            t.push_str(&format!(
                "O{c}-{o},C{c:02},2024-{:02}-{day:02},{},{price},{cat}\n",
                1 + (c + o) % 12,
                1 + o % 3
            ));
        }
    }
    f.file("t.csv", &t);
    let mapping = format!(
        "as_of = \"2024-12-31\"\n{MAPPING}category = \"category\"\n\n[cluster]\ndbscan = false\nseeds = 1\nbootstrap = 2\n{cluster}\n"
    );
    f.file("mapping.toml", &mapping);
    f.path("mapping.toml")
}

#[test]
fn assign_takes_a_share_of_zero_for_a_category_nobody_in_the_batch_bought() {
    let f = Fixture::new();
    let mapping = small_shop(&f, "k_min = 2\nk_max = 3");
    segmint()
        .args(["discover", "--quiet", "--k", "2", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(f.path("run"))
        .assert()
        .success();
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("run/model.json")).unwrap()).unwrap();
    assert!(model.to_string().contains("category_share_hats"));
    // A batch without hats.
    let b = Fixture::new();
    b.file(
        "t.csv",
        "order,customer,ts,qty,price,category\nN1,X1,2024-05-01,1,50,shoes\nN2,X2,2024-06-01,2,30,bags\nN3,X2,2024-07-01,1,30,shoes\n",
    );
    b.file(
        "mapping.toml",
        &format!("as_of = \"2024-12-31\"\n{MAPPING}category = \"category\"\n"),
    );
    segmint()
        .args(["assign", "--model"])
        .arg(f.path("run/model.json"))
        .arg("--config")
        .arg(b.path("mapping.toml"))
        .arg("--out")
        .arg(b.path("out"))
        .assert()
        .success();
    let a = std::fs::read_to_string(b.path("out/assignments.csv")).unwrap();
    assert_eq!(a.lines().count(), 3, "{a}");
    assert!(a.contains("X1,") && a.contains("X2,"), "{a}");
}

#[test]
fn threads_beyond_the_cores_are_capped_with_a_message() {
    let f = Fixture::new();
    let mapping = small_shop(&f, "k_min = 2\nk_max = 3");
    let out = segmint()
        .args(["discover", "--quiet", "--threads", "100000", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(f.path("run"))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert_names(&text, &["--threads 100000", "cores"]);
}

#[test]
fn threads_zero_is_refused() {
    let f = Fixture::new();
    let mapping = small_shop(&f, "");
    let out = segmint()
        .args(["discover", "--quiet", "--threads", "0", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(f.path("run"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_names(&String::from_utf8_lossy(&out.stderr), &["--threads 0"]);
}

#[test]
fn k_max_beyond_what_the_data_allows_is_capped_with_a_message() {
    let f = Fixture::new();
    let mapping = small_shop(&f, "k_max = 1000");
    let out = segmint()
        .args(["discover", "--quiet", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(f.path("run"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_names(&stdout, &["k_max = 1000", "16 customers", "k_max = 8"]);
    let c: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.path("run/candidates.json")).unwrap()).unwrap();
    let max_k = c["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["k"].as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(max_k, 8);
}

#[test]
fn forced_k_gets_a_message_about_k_itself() {
    for (k, expected) in [
        ("0", "--k 0: at least 2 segments"),
        ("1", "--k 1: at least 2 segments"),
        ("12", "--k 12: 16 customers can be split into at most 8"),
    ] {
        let f = Fixture::new();
        let mapping = small_shop(&f, "");
        let out = segmint()
            .args(["discover", "--quiet", "--k", k, "--config"])
            .arg(&mapping)
            .arg("--out")
            .arg(f.path("run"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--k {k}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_names(&err, &[expected]);
        assert!(!err.contains("k_min/k_max"), "{err}");
    }
    // A forced k outside k_min..k_max is fitted, not refused.
    let f = Fixture::new();
    let mapping = small_shop(&f, "k_min = 2\nk_max = 3");
    segmint()
        .args(["discover", "--quiet", "--k", "5", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(f.path("run"))
        .assert()
        .success();
}

// ---- case 13: e-mail and phone numbers as customer ids ----

#[test]
fn email_and_phone_ids_are_pseudonymised_with_a_keyed_hash_and_a_typed_warning() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price\nO1,kari.nordmann@example.com,2024-01-05,1,10\nO2,+47 412 34 567,2024-02-01,2,20\nO3,K3,2024-02-01,1,5\nO4,kari.nordmann@example.com,2024-03-05,1,10\n",
    )
    .file(
        "c.csv",
        "id,email,country\nkari.nordmann@example.com,kari.nordmann@example.com,NO\n+47 412 34 567,,NO\nK3,k3@example.com,SE\n",
    );
    let mapping = format!(
        "{MAPPING}\n[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\nemail = \"email\"\ncountry = \"country\"\n"
    );
    let config = f.config(&mapping).unwrap();
    let run = run_features(&config).unwrap();
    let ids = common::ids(&run.features.table);
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&"K3".to_string()), "{ids:?}");
    assert!(
        ids.iter().all(|i| !i.contains('@') && !i.contains("412")),
        "{ids:?}"
    );
    // Both orders of the e-mail customer are one customer; the key file was made owner-only.
    let key = f.path("segmint.key");
    assert!(key.exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let freq: Vec<f64> = ids
        .iter()
        .filter(|i| *i != "K3")
        .map(|i| common::value(&run.features.table, i, "frequency").unwrap())
        .collect();
    assert!(freq.contains(&2.0), "{freq:?}");
    let p = &run.ingest.report.pseudonymised;
    assert!(
        p.iter()
            .any(|w| w.table == "transactions" && w.emails == 1 && w.phones == 1),
        "{p:?}"
    );
    // The customers table joins on the same pseudonyms, and the contacts keep the real e-mail.
    let inputs = segmint::ingest::Inputs::load(&config).unwrap();
    let contacts = inputs.contacts.as_ref().unwrap();
    let cids = common::ids(contacts);
    for id in &ids {
        assert!(cids.contains(id), "{id} not in {cids:?}");
    }
    let again = run_features(&f.config(&mapping).unwrap()).unwrap();
    assert_eq!(
        common::ids(&again.features.table),
        ids,
        "same key, same ids"
    );
    // Another key gives other pseudonyms.
    let g = Fixture::new();
    std::fs::copy(f.path("t.csv"), g.path("t.csv")).unwrap();
    std::fs::copy(f.path("c.csv"), g.path("c.csv")).unwrap();
    let other = run_features(&g.config(&mapping).unwrap()).unwrap();
    assert_ne!(common::ids(&other.features.table), ids);
}

/// The demo shop of 600 customers with e-mails as customer ids (as in CRM and GA4 exports),
/// an HTML region and a hostile title: no e-mail reaches any output, the seeds still find the
/// customers' e-mails, the Markdown report escapes the HTML.
#[test]
fn a_run_on_email_ids_writes_no_email_and_the_report_escapes_html() {
    use segmint::demo::{generate, DemoParams};
    let dir = tempfile::tempdir().unwrap();
    let data = generate(&DemoParams {
        customers: 600,
        seed: 7,
    })
    .unwrap();
    // id → e-mail, from the customers table.
    let customers = data
        .files
        .iter()
        .find(|(n, _)| n == "customers.csv")
        .unwrap()
        .1
        .clone();
    let mut lines = customers.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let id_col = header.iter().position(|h| *h == "customer_id").unwrap();
    let email_col = header.iter().position(|h| *h == "email").unwrap();
    let region_col = header.iter().position(|h| *h == "region").unwrap();
    let mut email_of = std::collections::BTreeMap::new();
    for l in lines {
        let p: Vec<&str> = l.split(',').collect();
        let e = if p[email_col].is_empty() {
            format!("{}@nomail.example", p[id_col].to_lowercase())
        } else {
            p[email_col].to_string()
        };
        email_of.insert(p[id_col].to_string(), e);
    }
    assert!(email_of.len() >= 500);
    // The serial returners (a segment of their own) all live in a region with an HTML name,
    // so that it is over-represented in a segment and shows in the report's composition.
    let truth = &data.files.iter().find(|(n, _)| n == "truth.csv").unwrap().1;
    let returners: std::collections::BTreeSet<String> = truth
        .lines()
        .filter(|l| l.ends_with(",serial_returners"))
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert!(returners.len() > 30);
    let hostile = "<img src=x onerror=alert(1)>";
    for (name, text) in &data.files {
        let mut text = text.clone();
        if name.ends_with(".csv") && name != "truth.csv" {
            // Replace ids (whole fields) by e-mails.
            text = text
                .lines()
                .enumerate()
                .map(|(i, l)| {
                    let sep = if l.contains(';') { ';' } else { ',' };
                    let mut p: Vec<String> = l.split(sep).map(String::from).collect();
                    if name == "customers.csv" && i > 0 && returners.contains(&p[id_col]) {
                        p[region_col] = hostile.to_string();
                    }
                    for v in p.iter_mut() {
                        if let Some(e) = email_of.get(v.as_str()) {
                            *v = e.clone();
                        }
                    }
                    p.join(&sep.to_string())
                })
                .collect::<Vec<_>>()
                .join("\n")
                + "\n";
        }
        if name == "mapping.toml" {
            text.push_str(
                "\n[cluster]\nk_min = 4\nk_max = 4\ndbscan = false\nseeds = 1\nbootstrap = 2\n",
            );
        }
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let run = dir.path().join("run");
    segmint()
        .args([
            "run",
            "--quiet",
            "--title",
            "<script>alert(1)</script>",
            "--config",
        ])
        .arg(dir.path().join("mapping.toml"))
        .arg("--out")
        .arg(&run)
        .timeout(Duration::from_secs(300))
        .assert()
        .success();
    let seeds = dir.path().join("seeds");
    segmint()
        .args([
            "seeds",
            "--platform",
            "meta",
            "--keep-returners",
            "--segment",
            "1",
            "--in",
        ])
        .arg(&run)
        .arg("--out")
        .arg(seeds.join("meta.csv"))
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(seeds.join("meta.summary.json")).unwrap()).unwrap();
    // The members are found in the customers table (browsing-only visitors have no row).
    let members = summary["members"].as_u64().unwrap();
    assert!(
        summary["without_contact"].as_u64().unwrap() * 5 < members,
        "{summary}"
    );
    assert!(summary["written"].as_u64().unwrap() >= 100, "{summary}");
    // No output holds an e-mail.
    let mut files = Vec::new();
    files_under(&run, &mut files);
    files_under(&seeds, &mut files);
    assert!(files.len() > 10);
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).to_string();
        for e in email_of.values() {
            assert!(!text.contains(e.as_str()), "{} holds {e}", f.display());
        }
    }
    let md = std::fs::read_to_string(run.join("report/report.md")).unwrap();
    assert!(
        !md.contains("<script>") && !md.contains("<img"),
        "raw HTML in report.md"
    );
    assert!(md.contains("&lt;script&gt;") || md.contains("&lt;script>"));
    assert!(md.contains("&lt;img"));
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

// ---- case 16: messages that say what is wrong ----

#[test]
fn as_of_before_the_data_names_the_date_not_a_birth_year() {
    let f = Fixture::new();
    f.file("t.csv", TX)
        .file("c.csv", "id,born\nA,1985\nB,2001\n");
    let mapping = format!(
        "as_of = \"2000-01-01\"\n{MAPPING}\n[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\nbirth_year = \"born\"\n"
    );
    let m = error(&f, &mapping);
    assert_names(
        &m,
        &[
            "mapping.toml",
            "line 1",
            "as_of",
            "2000-01-01",
            "2024-01-05",
        ],
    );
    assert!(!m.contains("year of birth"), "{m}");
}

#[test]
fn a_birth_year_after_as_of_says_so() {
    let f = Fixture::new();
    f.file("t.csv", TX)
        .file("c.csv", "id,born\nA,1985\nB,2030\n");
    let mapping = format!(
        "as_of = \"2024-12-31\"\n{MAPPING}\n[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\nbirth_year = \"born\"\n"
    );
    let m = error(&f, &mapping);
    assert_names(
        &m,
        &["c.csv", "line 3", "column \"born\"", "\"2030\"", "as_of"],
    );
}

#[test]
fn features_refuses_a_matrix_without_columns() {
    let f = Fixture::new();
    f.file(
        "t.csv",
        "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10\nO2,B,2024-01-05,1,10\nO3,C,2024-01-05,1,10\n",
    );
    f.file("mapping.toml", MAPPING);
    let out = segmint()
        .args(["features", "--config"])
        .arg(f.path("mapping.toml"))
        .arg("--out")
        .arg(f.path("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert_names(
        &String::from_utf8_lossy(&out.stderr),
        &["no feature varies between customers"],
    );
}

#[test]
fn utf16_file_is_named_as_such() {
    let f = Fixture::new();
    let mut bytes = vec![0xFF, 0xFE];
    for u in TX.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    f.bytes("t.csv", &bytes);
    let m = error(&f, MAPPING);
    assert_names(&m, &["t.csv", "line 1", "UTF-16", "UTF-8"]);
    assert!(!m.contains('\0'), "{m:?}");
}

#[test]
fn out_at_an_existing_file_fails_before_any_work() {
    let f = Fixture::new();
    // The data has a bad value: an early check of --out reports the output, not the value.
    f.file("t.csv", &TX.replace("2,20", "2x,20"));
    f.file("mapping.toml", MAPPING);
    f.file("taken", "not a folder");
    let out = segmint()
        .args(["features", "--config"])
        .arg(f.path("mapping.toml"))
        .arg("--out")
        .arg(f.path("taken"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_names(&err, &["taken", "not a folder"]);
    // (Without the path, whose random temporary folder may hold "2x" itself.)
    let dir = f.path("").display().to_string();
    assert!(!err.replace(&dir, "").contains("2x"), "{err}");
}

#[test]
fn report_of_a_missing_folder_says_it_does_not_exist() {
    let f = Fixture::new();
    let out = segmint()
        .args(["report", "--in"])
        .arg(f.path("no-such-run"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_names(&err, &["no-such-run", "does not exist"]);
    assert!(!err.contains("segments.json"), "{err}");
}

#[test]
fn prospects_messages_name_no_mapping_section() {
    let model: segmint::prepare::PrepareModel = serde_json::from_str(
        r#"{"columns":[{"name":"frequency","group":"behaviour","encoding":{"type":"numeric","feature":"frequency","log":"none","impute":0.0,"clip":[0.0,10.0],"center":0.0,"scale":1.0},"weight":1.0}],"dropped":[],"correlated":[]}"#,
    )
    .unwrap();
    let f = Fixture::new();
    f.file("p.csv", "id,frequency\nP1,2\nP2,two\n");
    let m = segmint::lookalike::score::read_prospects(&f.path("p.csv"), &model)
        .unwrap_err()
        .to_string();
    assert_names(&m, &["p.csv", "line 3", "column \"frequency\"", "\"two\""]);
    assert!(!m.contains("[prospects]"), "{m}");
    f.file("q.csv", "id,frequency\n");
    let m = segmint::lookalike::score::read_prospects(&f.path("q.csv"), &model)
        .unwrap_err()
        .to_string();
    assert_names(&m, &["q.csv", "no rows"]);
    assert!(!m.contains("[prospects]"), "{m}");
}
