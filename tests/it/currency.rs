//! Money with its currency (issue 15, must-show 6): the mapping's `currency` is checked,
//! recorded in the manifest and shown with every amount of the report and the CLI summary, in
//! each language's own format (the formats themselves are pinned in `i18n`'s unit tests).

use assert_cmd::Command;

use crate::common::{self, Fixture};

const ORDERS: &str =
    "order_id,customer_id,ts,qty,price\nO1,A,2024-11-02,1,100\nO2,B,2024-11-03,2,50\n";

fn mapping(top: &str, returns: &str) -> String {
    format!(
        r#"{top}
[transactions]
path = "orders.csv"
[transactions.columns]
customer_id = "customer_id"
order_id = "order_id"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
[returns]
path = "returns.csv"
{returns}
[returns.columns]
order_id = "order"
quantity = "qty"
"#
    )
}

fn error_of(top: &str, returns: &str) -> String {
    let f = Fixture::new();
    f.file("orders.csv", ORDERS)
        .file("returns.csv", "order,qty\nO1,1\n");
    f.config(&mapping(top, returns))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

#[test]
fn currencies_are_iso_codes_and_never_mixed() {
    // One currency for all, or the same per table: fine.
    assert_eq!(error_of("currency = \"NOK\"", ""), "");
    assert_eq!(error_of("currency = \"NOK\"", "currency = \"NOK\""), "");
    // Tables in different currencies: segmint does not convert.
    let e = error_of("currency = \"NOK\"", "currency = \"EUR\"");
    assert!(
        e.contains("[returns] is in EUR but [transactions] in NOK"),
        "{e}"
    );
    assert!(e.contains("does not convert"), "{e}");
    // Not an ISO 4217 code.
    let e = error_of("currency = \"kr\"", "");
    assert!(e.contains("ISO 4217"), "{e}");
    assert!(e.contains("line 1"), "{e}");
}

/// Issue 18: the mapping may state whether the amounts include VAT; anything but
/// `included` or `excluded` is an error with its line.
#[test]
fn vat_is_included_excluded_or_not_stated() {
    assert_eq!(error_of("vat = \"included\"", ""), "");
    assert_eq!(error_of("currency = \"NOK\"\nvat = \"excluded\"", ""), "");
    let e = error_of("vat = \"gross\"", "");
    assert!(e.contains("line 1") && e.contains("included"), "{e}");
}

#[test]
fn the_report_and_the_summary_show_money_with_its_currency() {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(common::repo().join("data/sample")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    let m = dir.path().join("mapping.toml");
    let text = std::fs::read_to_string(&m).unwrap();
    // The sample mapping names its currency, as the demo's does.
    assert!(text.contains("\ncurrency = \"NOK\"\n"), "{text}");
    // Its VAT basis left out here: the report says the amounts are as given (issue 18; the
    // sample's own report, with `vat = "included"`, is in the report tests' snapshots).
    let vat = text
        .lines()
        .find(|l| l.starts_with("vat = "))
        .expect("the sample mapping states its VAT basis");
    std::fs::write(&m, text.replace(&format!("{vat}\n"), "")).unwrap();
    let run = dir.path().join("run");
    let out = Command::cargo_bin("segmint")
        .unwrap()
        .args(["run", "--k", "4", "--config"])
        .arg(&m)
        .arg("--out")
        .arg(&run)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["currency"], "NOK");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(run.join("report/report.json")).unwrap()).unwrap();
    assert_eq!(report["currency"], "NOK");
    let revenue = report["net_revenue"].as_f64().unwrap();
    // English: the code first, digits grouped by commas.
    let en = format!("NOK\u{a0}{}", segmint::i18n::Lang::En.number(revenue, 0));
    assert!(out.contains(&format!("net revenue {en}")), "{out}");
    let md = std::fs::read_to_string(run.join("report/report.md")).unwrap();
    assert!(md.contains(&en), "{md}");
    assert!(manifest.get("vat").is_none() && report.get("vat").is_none());
    assert!(
        md.contains(
            "\nAmounts are as given in the data; whether they include VAT is not stated.\n"
        ),
        "{md}"
    );
    // Norwegian: `1 234 kr`.
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["report", "--lang", "nb", "--in"])
        .arg(&run)
        .arg("--out")
        .arg(run.join("report_nb"))
        .assert()
        .success();
    let nb = format!("{}\u{a0}kr", segmint::i18n::Lang::Nb.number(revenue, 0));
    let md = std::fs::read_to_string(run.join("report_nb/report.md")).unwrap();
    assert!(md.contains(&nb), "{md}");
    assert!(md.contains("det er ikke oppgitt om de er inkl. eller ekskl. mva."));
    let html = std::fs::read_to_string(run.join("report_nb/report.html")).unwrap();
    assert!(html.contains(&nb));
}
