//! Excel input (issue 15, must-show 5): a workbook read through the same parsing rules as CSV
//! gives the same features; errors name file, sheet, row and column; `init` and `check` take
//! workbooks.

use assert_cmd::Command;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use crate::common::Fixture;
use segmint::pipeline::run_features;

/// The order lines as CSV, with a decimal comma and Nordic dates.
const CSV: &str = "\
ordre;kunde;tid;antall;pris
O1;A;02.11.2024 10:00;2;100,5
O1;A;02.11.2024 10:00;1;50
O2;B;03.12.2024 09:30;4;12,25
O3;A;22.12.2024 12:00;1;99
O4;C;10.06.2024 08:00;3;7
";

fn mapping(orders: &str, extra: &str) -> String {
    format!(
        r#"
as_of = "2024-12-31"
[transactions]
path = "{orders}"
delimiter = ";"
decimal = ","
date_formats = ["%d.%m.%Y %H:%M"]
{extra}
[transactions.columns]
customer_id = "kunde"
order_id = "ordre"
timestamp = "tid"
quantity = "antall"
unit_price = "pris"
"#
    )
}

/// The same lines as a workbook: a "Notes" sheet first, the lines on sheet "Orders";
/// timestamps as date cells except O2's, a plain serial number (3 Dec 2024 09:30 =
/// 45629.395833…); prices as numbers; ids as text.
fn workbook(path: &std::path::Path, bad_price: bool) {
    let mut wb = Workbook::new();
    wb.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write_string(0, 0, "exported 2025-01-02")
        .unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Orders").unwrap();
    let date = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    for (j, h) in ["ordre", "kunde", "tid", "antall", "pris"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, f64, f64); 5] = [
        ("O1", "A", "2024-11-02T10:00:00", 2.0, 100.5),
        ("O1", "A", "2024-11-02T10:00:00", 1.0, 50.0),
        ("O2", "B", "serial", 4.0, 12.25),
        ("O3", "A", "2024-12-22T12:00:00", 1.0, 99.0),
        ("O4", "C", "2024-06-10T08:00:00", 3.0, 7.0),
    ];
    for (i, (o, c, t, q, p)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *o).unwrap();
        ws.write_string(r, 1, *c).unwrap();
        if *t == "serial" {
            ws.write_number(r, 2, 45629.0 + 9.5 / 24.0).unwrap();
        } else {
            let dt = ExcelDateTime::parse_from_str(t).unwrap();
            ws.write_datetime_with_format(r, 2, &dt, &date).unwrap();
        }
        ws.write_number(r, 3, *q).unwrap();
        if bad_price && i == 3 {
            ws.write_string(r, 4, "ninety-nine").unwrap();
        } else {
            ws.write_number(r, 4, *p).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_workbook_gives_the_same_features_as_the_csv() {
    let f = Fixture::new();
    f.file("orders.csv", CSV);
    workbook(&f.path("orders.xlsx"), false);
    let csv = run_features(&f.config(&mapping("orders.csv", "")).unwrap()).unwrap();
    let xlsx = run_features(
        &f.config(&mapping("orders.xlsx", "sheet = \"Orders\""))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(csv.features.specs, xlsx.features.specs);
    assert!(
        csv.features.table.equals_missing(&xlsx.features.table),
        "{}\nvs\n{}",
        csv.features.table,
        xlsx.features.table
    );
    // The serial number read as 3 Dec 2024 (B's recency: 28 days before as_of), and prices
    // with decimals: A paid 2 × 100.5 + 50 + 99 = 350.
    crate::common::close(
        crate::common::value(&xlsx.features.table, "B", "recency_days"),
        28.0,
    );
    crate::common::close(
        crate::common::value(&xlsx.features.table, "A", "net_revenue"),
        350.0,
    );
    // By position too (0-based: the second sheet).
    let by_index = run_features(&f.config(&mapping("orders.xlsx", "sheet = 1")).unwrap()).unwrap();
    assert!(csv.features.table.equals_missing(&by_index.features.table));
    let report = &xlsx.ingest.report.tables[0];
    assert_eq!((report.rows_read, report.rows_used), (5, 5));
}

#[test]
fn workbook_errors_name_file_sheet_row_and_column() {
    let f = Fixture::new();
    workbook(&f.path("orders.xlsx"), true);
    let e = f
        .config(&mapping("orders.xlsx", "sheet = \"Orders\""))
        .and_then(|c| run_features(&c))
        .expect_err("a text price fails")
        .to_string();
    // Row 5 as Excel numbers it: header row 1, O3 the fourth data row.
    assert!(
        e.contains("orders.xlsx, sheet \"Orders\", row 5, column \"pris\""),
        "{e}"
    );
    assert!(e.contains("ninety-nine"), "{e}");
    // The first sheet by default: "Notes" has no such columns.
    let e = f
        .config(&mapping("orders.xlsx", ""))
        .and_then(|c| run_features(&c))
        .expect_err("the notes sheet is not the orders")
        .to_string();
    assert!(e.contains("sheet \"Notes\""), "{e}");
    // A sheet that does not exist lists those that do.
    let e = f
        .config(&mapping("orders.xlsx", "sheet = \"Ordrer\""))
        .and_then(|c| run_features(&c))
        .expect_err("no such sheet")
        .to_string();
    assert!(e.contains("\"Notes\"") && e.contains("\"Orders\""), "{e}");
}

#[test]
fn init_and_check_take_a_workbook() {
    let f = Fixture::new();
    // A workbook whose only sheet holds the order lines (ISO dates, decimal points).
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let date = Format::new().set_num_format("yyyy-mm-dd hh:mm");
    for (j, h) in [
        "order_id",
        "customer_id",
        "created_at",
        "quantity",
        "unit_price",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for i in 0..30u32 {
        let r = i + 1;
        ws.write_string(r, 0, format!("O{}", i / 2)).unwrap();
        ws.write_string(r, 1, format!("C{}", i % 7)).unwrap();
        let dt = ExcelDateTime::from_ymd(2024, 1 + (i % 12) as u8, 1 + (i % 28) as u8)
            .unwrap()
            .and_hms(10, 30, 0)
            .unwrap();
        ws.write_datetime_with_format(r, 2, &dt, &date).unwrap();
        ws.write_number(r, 3, 1 + i % 3).unwrap();
        ws.write_number(r, 4, 9.5 + i as f64).unwrap();
    }
    wb.save(f.path("export.xlsx")).unwrap();
    let mapping = f.path("mapping.toml");
    Command::cargo_bin("segmint")
        .unwrap()
        .arg("init")
        .arg(f.path("export.xlsx"))
        .arg("--out")
        .arg(&mapping)
        .assert()
        .success();
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(text.contains("path = \"export.xlsx\""), "{text}");
    assert!(text.contains("timestamp = \"created_at\""), "{text}");
    let out = Command::cargo_bin("segmint")
        .unwrap()
        .args(["check", "--config"])
        .arg(&mapping)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8_lossy(&out);
    assert!(out.contains("30"), "{out}");
    assert!(
        out.contains("7 customers") || out.contains("customers: 7"),
        "{out}"
    );
}

#[test]
fn workbook_column_and_duplicate_errors_and_skips_name_the_sheet() {
    let f = Fixture::new();
    workbook(&f.path("orders.xlsx"), false);
    // A mapped column the sheet lacks: the header row of that sheet.
    let e = f
        .config(&mapping("orders.xlsx", "sheet = \"Orders\"").replace("\"pris\"", "\"price\""))
        .and_then(|c| run_features(&c))
        .expect_err("no column price")
        .to_string();
    assert!(e.contains("orders.xlsx, sheet \"Orders\", row 1:"), "{e}");
    assert!(e.contains("\"price\"") && e.contains("\"pris\""), "{e}");
    // A customer twice in a customers sheet: both rows as Excel numbers them.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Kunder").unwrap();
    for (r, (id, country)) in [("kunde", "land"), ("A", "NO"), ("B", "SE"), ("A", "DK")]
        .iter()
        .enumerate()
    {
        ws.write_string(r as u32, 0, *id).unwrap();
        ws.write_string(r as u32, 1, *country).unwrap();
    }
    wb.save(f.path("customers.xlsx")).unwrap();
    let customers = "[customers]\npath = \"customers.xlsx\"\n[customers.columns]\ncustomer_id = \"kunde\"\ncountry = \"land\"\n";
    let e = f
        .config(&format!(
            "{}{customers}",
            mapping("orders.xlsx", "sheet = \"Orders\"")
        ))
        .and_then(|c| run_features(&c))
        .expect_err("a duplicated customer fails")
        .to_string();
    assert!(
        e.contains("customers.xlsx, sheet \"Kunder\", rows 2 and 4, column \"kunde\""),
        "{e}"
    );
    // The table's report names the sheet, so skipped rows read as its rows.
    let ok = run_features(
        &f.config(&mapping("orders.xlsx", "sheet = \"Orders\""))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(ok.ingest.report.tables[0].sheet.as_deref(), Some("Orders"));
}
