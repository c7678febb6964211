//! More bad input, one row per case (issue 14, must-show 2): each stops with a message naming
//! the file, the line and the column (or the mapping key and its line). README lists them.

use crate::common::Fixture;
use segmint::pipeline::run_features;

const MAPPING: &str = r#"[transactions]
path = "t.csv"
[transactions.columns]
customer_id = "customer"
order_id = "order"
timestamp = "ts"
quantity = "qty"
unit_price = "price"
"#;

const TX: &str = "order,customer,ts,qty,price\nO1,A,2024-01-05,1,10.50\nO2,B,2024-02-01,2,20\n";

/// One case: extra files, the mapping, and what the message must name.
struct Case {
    name: &'static str,
    files: Vec<(&'static str, Vec<u8>)>,
    mapping: String,
    expect: Vec<&'static str>,
}

fn case(
    name: &'static str,
    files: &[(&'static str, &str)],
    mapping: String,
    expect: &[&'static str],
) -> Case {
    Case {
        name,
        files: files
            .iter()
            .map(|(n, t)| (*n, t.as_bytes().to_vec()))
            .collect(),
        mapping,
        expect: expect.to_vec(),
    }
}

fn tx_with(extra_columns: &str) -> String {
    format!("{MAPPING}{extra_columns}")
}

fn cases() -> Vec<Case> {
    let tx6 = |header: &str, row2: &str, row3: &str| {
        format!("order,customer,ts,qty,price,{header}\nO1,A,2024-01-05,1,10,{row2}\nO2,B,2024-02-01,2,20,{row3}\n")
    };
    let mut v = vec![
        case(
            "negative unit cost",
            &[("t.csv", &tx6("cost", "4", "-2"))],
            tx_with("unit_cost = \"cost\"\n"),
            &["t.csv", "line 3", "column \"cost\"", "\"-2\"", "negative unit cost"],
        ),
        case(
            "margin above 100%",
            &[("t.csv", &tx6("m", "40", "140"))],
            tx_with("margin_pct = \"m\"\n"),
            &["t.csv", "line 3", "column \"m\"", "\"140\"", "margin above 100%"],
        ),
        case(
            "negative discount",
            &[("t.csv", &tx6("d", "1", "-1"))],
            tx_with("discount = \"d\"\n"),
            &["t.csv", "line 3", "column \"d\"", "\"-1\""],
        ),
        case(
            "negative refunded amount",
            &[("t.csv", &tx6("ra", "0", "-5"))],
            tx_with("refunded_amount = \"ra\"\n"),
            &["t.csv", "line 3", "column \"ra\"", "\"-5\""],
        ),
        case(
            "negative line total on a bought line",
            &[(
                "t.csv",
                "order,customer,ts,qty,total\nO1,A,2024-01-05,1,10\nO2,B,2024-02-01,2,-20\n",
            )],
            MAPPING.replace("unit_price = \"price\"", "line_total = \"total\""),
            &["t.csv", "line 3", "column \"total\"", "\"-20\""],
        ),
        case(
            "blank unit price",
            &[("t.csv", &TX.replace(",20\n", ",\n"))],
            MAPPING.to_string(),
            &["t.csv", "line 3", "column \"price\"", "empty"],
        ),
        case(
            "spaces that do not group thousands",
            &[("t.csv", &TX.replace(",20\n", ",12 34\n"))],
            MAPPING.to_string(),
            &["t.csv", "line 3", "column \"price\"", "\"12 34\""],
        ),
        case(
            "NUL bytes in the middle of a file",
            &[("t.csv", &TX.replace("O2,B", "O2,\0B"))],
            MAPPING.to_string(),
            &["t.csv", "line 3", "NUL"],
        ),
        case(
            "extra field in a whitespace file",
            &[("t.txt", "id date n amount\n1 19970101 1 11.77\n2 19970102 2 3.5 9\n")],
            "[transactions]\npath = \"t.txt\"\n[transactions.columns]\ncustomer_id = \"id\"\ntimestamp = \"date\"\nquantity = \"n\"\nline_total = \"amount\"\n".into(),
            &["t.txt", "line 3", "column \"amount\"", "5 values", "4 columns"],
        ),
        case(
            "returns: negative handling cost",
            &[("t.csv", TX), ("r.csv", "order,qty,h\nO1,1,5\nO2,1,-5\n")],
            format!("{MAPPING}\n[returns]\npath = \"r.csv\"\n[returns.columns]\norder_id = \"order\"\nquantity = \"qty\"\nhandling_cost = \"h\"\n"),
            &["r.csv", "line 3", "column \"h\"", "\"-5\""],
        ),
        case(
            "returns: blank quantity",
            &[("t.csv", TX), ("r.csv", "order,qty\nO1,1\nO2,\n")],
            format!("{MAPPING}\n[returns]\npath = \"r.csv\"\n[returns.columns]\norder_id = \"order\"\nquantity = \"qty\"\n"),
            &["r.csv", "line 3", "column \"qty\"", "empty"],
        ),
        case(
            "returns: a header but no rows",
            &[("t.csv", TX), ("r.csv", "order,qty\n")],
            format!("{MAPPING}\n[returns]\npath = \"r.csv\"\n[returns.columns]\norder_id = \"order\"\nquantity = \"qty\"\n"),
            &["r.csv", "header but no rows", "[returns]"],
        ),
        case(
            "returns: a refund beyond the money bound",
            &[("t.csv", TX), ("r.csv", "order,qty,refund\nO1,1,5\nO2,1,2e12\n")],
            format!("{MAPPING}\n[returns]\npath = \"r.csv\"\n[returns.columns]\norder_id = \"order\"\nquantity = \"qty\"\nrefund = \"refund\"\n"),
            &["r.csv", "line 3", "column \"refund\"", "\"2e12\"", "10^12"],
        ),
        case(
            "events: blank event type",
            &[("t.csv", TX), ("e.csv", "u,s,t,e\nA,s1,2024-01-01,page_view\nA,s1,2024-01-01,\n")],
            format!("{MAPPING}\n[events]\npath = \"e.csv\"\n[events.columns]\ncustomer_id = \"u\"\nsession_id = \"s\"\ntimestamp = \"t\"\nevent_type = \"e\"\n"),
            &["e.csv", "line 3", "column \"e\"", "empty"],
        ),
        case(
            "events: a column the file does not have",
            &[("t.csv", TX), ("e.csv", "u,s,t,e\nA,s1,2024-01-01,page_view\n")],
            format!("{MAPPING}\n[events]\npath = \"e.csv\"\n[events.columns]\ncustomer_id = \"user\"\nsession_id = \"s\"\ntimestamp = \"t\"\nevent_type = \"e\"\n"),
            &["e.csv", "\"user\"", "[events.columns]"],
        ),
        case(
            "customers: age outside 0–120",
            &[("t.csv", TX), ("c.csv", "id,age\nA,40\nB,140\n")],
            format!("{MAPPING}\n[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\nage = \"age\"\n"),
            &["c.csv", "line 3", "column \"age\"", "\"140\""],
        ),
        case(
            "customers: missing file",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[customers]\npath = \"nowhere.csv\"\n[customers.columns]\ncustomer_id = \"id\"\n"),
            &["nowhere.csv"],
        ),
        case(
            "customers: a short row",
            &[("t.csv", TX), ("c.csv", "id,country,region\nA,NO,Oslo\nB,SE\n")],
            format!("{MAPPING}\n[customers]\npath = \"c.csv\"\n[customers.columns]\ncustomer_id = \"id\"\ncountry = \"country\"\nregion = \"region\"\n"),
            &["c.csv", "line 3", "column \"region\"", "2 values"],
        ),
        case(
            "long survey: the same question twice",
            &[("t.csv", TX), ("s.csv", "id,question,answer\nA,q1,3\nA,q1,4\n")],
            format!("{MAPPING}\n[survey]\npath = \"s.csv\"\nlayout = \"long\"\n[survey.columns]\ncustomer_id = \"id\"\nquestion = \"question\"\nanswer = \"answer\"\n"),
            &["s.csv", "lines 2 and 3", "column \"id\"", "appears twice"],
        ),
        case(
            "mapping: a delimiter of two characters",
            &[("t.csv", TX)],
            MAPPING.replace("path = \"t.csv\"", "path = \"t.csv\"\ndelimiter = \";;\""),
            &["mapping.toml", "line 3", "\";;\"", "one ASCII character", "[transactions]"],
        ),
        case(
            "mapping: survey scale with min above max",
            &[("t.csv", TX), ("s.csv", "id,q1\nA,3\n")],
            format!("{MAPPING}\n[survey]\npath = \"s.csv\"\nscale = {{ min = 5, max = 1 }}\n[survey.columns]\ncustomer_id = \"id\"\n"),
            &["mapping.toml", "line 12", "[survey] scale"],
        ),
        case(
            "mapping: winsorize outside [0, 1]",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[prepare]\nwinsorize = [0.6, 0.4]\n"),
            &["mapping.toml", "line 11", "winsorize"],
        ),
        case(
            "mapping: as_of not a date",
            &[("t.csv", TX)],
            format!("as_of = \"31.12.2024\"\n{MAPPING}"),
            &["mapping.toml", "line 1", "as_of", "YYYY-MM-DD"],
        ),
        case(
            "mapping: a calling code with a plus",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[lookalike]\ndefault_country_code = \"+47\"\n"),
            &["mapping.toml", "line 11", "default_country_code"],
        ),
        case(
            "mapping: a negative group weight",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[prepare]\nweights = {{ behaviour = -1 }}\n"),
            &["mapping.toml", "line 11", "[prepare.weights] behaviour"],
        ),
        case(
            "mapping: k_min below 2",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[cluster]\nk_min = 1\n"),
            &["mapping.toml", "line 11", "k_min = 1"],
        ),
        case(
            "mapping: dbscan_eps_factors not positive",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[cluster]\ndbscan_eps_factors = [1.0, 0.0]\n"),
            &["mapping.toml", "line 11", "dbscan_eps_factors"],
        ),
        case(
            "mapping: max_segments below 2",
            &[("t.csv", TX)],
            format!("{MAPPING}\n[cluster]\nmax_segments = 1\n"),
            &["mapping.toml", "line 11", "max_segments = 1"],
        ),
    ];
    v.push(case(
        "mapping: bootstrap_share of 1",
        &[("t.csv", TX)],
        format!("{MAPPING}\n[cluster]\nbootstrap_share = 1.0\n"),
        &["mapping.toml", "line 11", "bootstrap_share"],
    ));
    v
}

#[test]
fn every_case_names_its_place() {
    let cases = cases();
    assert!(cases.len() >= 29);
    for c in cases {
        let f = Fixture::new();
        for (name, bytes) in &c.files {
            f.bytes(name, bytes);
        }
        let message = match f.config(&c.mapping) {
            Err(e) => e.to_string(),
            Ok(config) => match run_features(&config) {
                Err(e) => e.to_string(),
                Ok(_) => panic!("{}: expected an error", c.name),
            },
        };
        for part in &c.expect {
            assert!(
                message.contains(part),
                "{}: message {message:?} does not mention {part:?}",
                c.name
            );
        }
    }
}
