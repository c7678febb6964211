//! Ingest fuzzed (issue 14, must-show 3): CSV bytes (valid rows, hostile values, random byte
//! damage, truncation, BOMs, UTF-16) with a random mapping (delimiter, decimal separator,
//! thousands separator, date formats, as_of, cancellation prefix, cost, refund and customers
//! columns) through `ingest::load` and `features::build`. Every input must give features or a
//! typed error — never a panic — within seconds.
//!
//! CI runs a short smoke (64 inputs). The long run, in release mode (the count and the time
//! are printed; stated in README):
//!
//! ```sh
//! SEGMINT_FUZZ_CASES=1000000 cargo test --release --test it fuzz_ingest -- --nocapture
//! ```

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config as PtConfig, TestCaseError, TestRunner};
use segmint::config::Config;

/// One hostile value of a field.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(String::new()),
        4 => (0u32..100_000).prop_map(|n| n.to_string()),
        3 => (-1000.0f64..1000.0).prop_map(|f| format!("{f:.2}")),
        2 => (-1000.0f64..1000.0).prop_map(|f| format!("{f:.2}").replace('.', ",")),
        1 => any::<f64>().prop_map(|f| f.to_string()),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        6 => prop::sample::select(vec![
            "0", "-0", "1", "-1", "2", "1e15", "1e20", "-1e308", "1e308", "9e12", "NaN", "inf",
            "-inf", "1.234,50", "1,234.50", "849.00", "1 234", "1 234,5", "12.345.678,9",
            "0,5", ".5", "5.", "+3", "--3", "1e", "0x10", "١٢٣", "\"a,b\"", "\"\"", "\"",
            "a\"b", "2024-01-05", "2024-02-30", "31.12.2024 10:00", "19970101", "2024-01-05T10:11:12",
            "1970-01-01", "9999-12-31", "0000-01-01", "kari@example.com", "+47 412 34 567",
            "004741234567", "C123", "web", "app", "Skjønnhet", "<script>", "\u{feff}x", "  ",
            "\t", "K1", "K2", "K3", "O1", "O2", "1985", "2191", "M", "F",
        ])
        .prop_map(String::from),
        2 => "[ -~]{0,10}",
        1 => "\\PC{0,6}",
    ]
}

/// A row: random values, or a well-formed start (customer, date, quantity, money) with random
/// values after it, so that many inputs load and reach the feature stage.
fn row() -> impl Strategy<Value = Vec<String>> {
    let good = (
        prop::sample::select(vec!["K1", "K2", "K3", "kari@example.com", ""]),
        prop::sample::select(vec![
            "2024-01-05",
            "2024-03-01 10:00:00",
            "2023-12-31",
            "2024-02-29",
        ]),
        prop::sample::select(vec!["1", "2", "-1", "3"]),
        prop::sample::select(vec!["10", "12.50", "0", "199.00"]),
        prop::collection::vec(value(), 10),
    )
        .prop_map(|(c, t, q, p, rest)| {
            let mut v = vec![
                c.to_string(),
                t.to_string(),
                q.to_string(),
                p.to_string(),
                p.to_string(),
            ];
            for (i, r) in rest.into_iter().enumerate() {
                // Mostly plain values after the money columns.
                v.push(match (r.len() + i) % 8 {
                    0 => r,
                    1 | 2 => "1".into(),
                    3 => "0".into(),
                    _ => String::new(),
                });
            }
            v
        });
    prop_oneof![1 => prop::collection::vec(value(), 14), 6 => good]
}

/// The columns a transactions file may have: (field in the mapping, header name).
const TX_FIELDS: [(&str, &str); 12] = [
    ("customer_id", "customer"),
    ("timestamp", "ts"),
    ("quantity", "qty"),
    ("unit_price", "price"),
    ("line_total", "total"),
    ("order_id", "order"),
    ("unit_cost", "cost"),
    ("discount", "disc"),
    ("category", "cat"),
    ("channel", "chan"),
    ("refunded_quantity", "rq"),
    ("refunded_amount", "ra"),
];

#[derive(Debug, Clone)]
struct Case {
    /// Which optional columns (index ≥ 3 in TX_FIELDS) the file has.
    optional: Vec<bool>,
    /// Price or line total (or both: 2).
    money: u8,
    rows: Vec<Vec<String>>,
    delimiter: u8,
    decimal_comma: bool,
    thousands: Option<&'static str>,
    date_formats: Option<Vec<&'static str>>,
    as_of: Option<String>,
    cancel_prefix: bool,
    margin: Option<f64>,
    customers: Option<Vec<Vec<String>>>,
    /// Byte damage: (position as a share of the length, byte).
    damage: Vec<(f64, u8)>,
    truncate: Option<f64>,
    encoding: u8,
}

fn case() -> impl Strategy<Value = Case> {
    let rows = prop::collection::vec(row(), 1..10);
    let customers = prop::option::weighted(
        0.3,
        prop::collection::vec(prop::collection::vec(value(), 4), 0..6),
    );
    let damage = prop::collection::vec(
        (
            0.0f64..1.0,
            prop::sample::select(vec![b'\n', b'\r', b',', b';', b'"', 0u8, 0xFF, 0xC3, b' ']),
        ),
        0..2,
    );
    (
        (
            prop::collection::vec(prop::bool::weighted(0.3), 9),
            0u8..3,
            rows,
            prop::sample::select(vec![b',', b';', b'\t', b'|']),
            prop::bool::weighted(0.2),
            prop::option::weighted(0.2, prop::sample::select(vec![".", ",", " ", "'"])),
        ),
        (
            prop::option::weighted(
                0.15,
                prop::sample::select(vec![
                    vec!["%Y-%m-%d"],
                    vec!["%d.%m.%Y %H:%M", "%Y%m%d"],
                    vec!["%s"],
                    vec!["%Y-%m-%dT%H:%M:%S"],
                ]),
            ),
            prop::option::weighted(
                0.4,
                prop::sample::select(vec!["2000-01-01", "2024-06-30", "2024-12-31", "2100-01-01"])
                    .prop_map(String::from),
            ),
            any::<bool>(),
            prop::option::weighted(0.2, -50.0f64..150.0),
            customers,
            damage,
            prop::option::weighted(0.1, 0.0f64..1.0),
            0u8..24,
        ),
    )
        .prop_map(
            |(
                (optional, money, rows, delimiter, decimal_comma, thousands),
                (date_formats, as_of, cancel_prefix, margin, customers, damage, truncate, encoding),
            )| Case {
                optional,
                money,
                rows,
                delimiter,
                decimal_comma,
                thousands,
                date_formats,
                as_of,
                cancel_prefix,
                margin,
                customers,
                damage,
                truncate,
                encoding,
            },
        )
}

fn quote(v: &str, delimiter: u8) -> String {
    if v.contains(delimiter as char) && !v.starts_with('"') {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_string()
    }
}

/// The transactions file and the mapping of a case.
fn render(c: &Case) -> (Vec<u8>, Option<String>, String) {
    let d = c.delimiter;
    let mut fields: Vec<(&str, &str)> = TX_FIELDS[..3].to_vec();
    match c.money {
        0 => fields.push(TX_FIELDS[3]),
        1 => fields.push(TX_FIELDS[4]),
        _ => fields.extend([TX_FIELDS[3], TX_FIELDS[4]]),
    }
    for (i, on) in c.optional.iter().enumerate() {
        if *on && 5 + i < TX_FIELDS.len() {
            fields.push(TX_FIELDS[5 + i]);
        }
    }
    let sep = (d as char).to_string();
    let mut text = fields.iter().map(|f| f.1).collect::<Vec<_>>().join(&sep);
    text.push('\n');
    for r in &c.rows {
        let line: Vec<String> = fields
            .iter()
            .enumerate()
            .map(|(i, _)| quote(&r[i % r.len()], d))
            .collect();
        text.push_str(&line.join(&sep));
        text.push('\n');
    }
    let mut bytes = text.into_bytes();
    for &(at, b) in &c.damage {
        let i = ((bytes.len() as f64) * at) as usize;
        bytes.insert(i.min(bytes.len()), b);
    }
    if let Some(t) = c.truncate {
        bytes.truncate(((bytes.len() as f64) * t) as usize);
    }
    match c.encoding {
        0 => bytes.splice(0..0, [0xEF, 0xBB, 0xBF]).for_each(drop),
        1 => {
            let s = String::from_utf8_lossy(&bytes).to_string();
            bytes = vec![0xFF, 0xFE];
            for u in s.encode_utf16() {
                bytes.extend_from_slice(&u.to_le_bytes());
            }
        }
        _ => {}
    }
    let customers = c.customers.as_ref().map(|rows| {
        let mut t = String::from("id,born,signup,email\n");
        for r in rows {
            t.push_str(
                &r.iter()
                    .map(|v| quote(v, b','))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            t.push('\n');
        }
        t
    });
    let mut m = String::new();
    if let Some(a) = &c.as_of {
        m.push_str(&format!("as_of = \"{a}\"\n"));
    }
    m.push_str("[transactions]\npath = \"t.csv\"\n");
    let delim = if d == b'\t' { "\\t".to_string() } else { sep };
    m.push_str(&format!("delimiter = \"{delim}\"\n"));
    if c.decimal_comma {
        m.push_str("decimal = \",\"\n");
    }
    if let Some(t) = c.thousands {
        m.push_str(&format!("thousands = \"{t}\"\n"));
    }
    if let Some(f) = &c.date_formats {
        let list: Vec<String> = f.iter().map(|x| format!("\"{x}\"")).collect();
        m.push_str(&format!("date_formats = [{}]\n", list.join(", ")));
    }
    if c.cancel_prefix {
        m.push_str("cancel_prefix = \"C\"\n");
    }
    m.push_str("[transactions.columns]\n");
    for (f, h) in &fields {
        m.push_str(&format!("{f} = \"{h}\"\n"));
    }
    if let Some(g) = c.margin {
        m.push_str(&format!("[features]\ndefault_margin_pct = {g}\n"));
    }
    if customers.is_some() {
        m.push_str("[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\nbirth_year = \"born\"\nsignup_date = \"signup\"\nemail = \"email\"\n");
    }
    (bytes, customers, m)
}

/// Runs one case; `Err` only for a panic or a hang (a typed error is a pass).
fn run_case(dir: &std::path::Path, c: &Case) -> Result<(), TestCaseError> {
    let (tx, customers, mapping) = render(c);
    std::fs::write(dir.join("t.csv"), &tx).unwrap();
    if let Some(cu) = &customers {
        std::fs::write(dir.join("c.csv"), cu).unwrap();
    }
    let start = Instant::now();
    let source = dir.join("mapping.toml");
    let result = std::panic::catch_unwind(|| {
        let config = Config::from_toml(&mapping, &source)?;
        let inputs = segmint::ingest::load(&config)?;
        let features = segmint::features::build(&inputs, &config.mapping.features)?;
        Ok::<usize, segmint::Error>(features.customers())
    });
    let took = start.elapsed();
    match result {
        Err(_) => Err(TestCaseError::fail(format!(
            "panic on\n{mapping}\n{:?}",
            String::from_utf8_lossy(&tx)
        ))),
        Ok(Err(e)) if e.to_string().is_empty() => {
            Err(TestCaseError::fail("an error without a message"))
        }
        Ok(_) if took > Duration::from_secs(10) => Err(TestCaseError::fail(format!(
            "took {took:?} on\n{mapping}\n{:?}",
            String::from_utf8_lossy(&tx)
        ))),
        Ok(_) => Ok(()),
    }
}

#[test]
fn ingest_never_panics_or_hangs_on_hostile_csv() {
    let cases: u32 = std::env::var("SEGMINT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64);
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::new(PtConfig {
        cases,
        failure_persistence: None,
        ..PtConfig::default()
    });
    let start = Instant::now();
    let counts = std::cell::Cell::new((0u64, 0u64));
    let result = runner.run(&case(), |c| {
        let (n, ok) = counts.get();
        let r = run_case(dir.path(), &c);
        counts.set((n + 1, ok + u64::from(r.is_ok())));
        r
    });
    let (n, _) = counts.get();
    println!(
        "fuzz_ingest: {n} inputs in {:.1} s ({:.2} ms each)",
        start.elapsed().as_secs_f64(),
        1000.0 * start.elapsed().as_secs_f64() / n.max(1) as f64
    );
    result.unwrap();
}

/// The generator makes inputs that load, not only errors (else the fuzz tests little).
#[test]
fn the_fuzz_generator_makes_loadable_inputs_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = case();
    let (mut ok, mut err) = (0, 0);
    for _ in 0..300 {
        let c = strategy.new_tree(&mut runner).unwrap().current();
        let (tx, customers, mapping) = render(&c);
        std::fs::write(dir.path().join("t.csv"), &tx).unwrap();
        if let Some(cu) = &customers {
            std::fs::write(dir.path().join("c.csv"), cu).unwrap();
        }
        let r = Config::from_toml(&mapping, &dir.path().join("mapping.toml"))
            .and_then(|config| segmint::ingest::load(&config));
        match r {
            Ok(_) => ok += 1,
            Err(e) => {
                err += 1;
                if std::env::var("FUZZ_SHOW").is_ok() {
                    println!(
                        "ERR {}",
                        e.to_string().chars().take(160).collect::<String>()
                    );
                }
            }
        }
    }
    println!("{ok} inputs loaded, {err} gave an error");
    assert!(ok >= 15 && err >= 30, "{ok} loaded, {err} errors");
}
