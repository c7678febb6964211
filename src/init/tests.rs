use super::*;
use crate::config::Config;

/// Writes `text` to `name` in a fresh folder and sniffs it.
fn sniffed(dir: &tempfile::TempDir, name: &str, text: &str) -> Sniffed {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    sniff(&path).unwrap()
}

fn load(g: &Guess, dir: &Path) -> Result<Config> {
    Config::from_toml(&render(g), &dir.join("mapping.toml"))
}

#[test]
fn nordic_text_is_sniffed_through_ingests_reader() {
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "ordrer.csv",
        "\u{feff}kundenr;ordrenr;dato;antall;enhetspris;rabatt;kategori\r\n\
         1001;A-1;05.01.2024 10:22;2;1 249,50;0,00;Sko\r\n\
         1002;A-2;06.01.2024 11:03;1;349,00;50,00;\"Bukser; lange\"\r\n\
         1001;A-3;17.01.2024 09:45;3;49,90;0,00;Sokker\r\n",
    );
    assert_eq!((s.format, s.delimiter, s.decimal), (Format::Csv, ';', ','));
    assert_eq!(s.columns[0].name, "kundenr", "byte-order mark stripped");
    assert_eq!(s.samples[1][6], "Bukser; lange", "quoted delimiter kept");
    assert_eq!(s.date_formats, ["%d.%m.%Y %H:%M"]);
    let price = &s.columns[4];
    assert_eq!((price.numeric, price.fractional), (3, 3));
    let g = guess(&[s], dir.path()).unwrap();
    let c = &g.mapping.transactions.columns;
    assert_eq!(
        (
            c.customer_id.as_str(),
            c.order_id.as_deref(),
            c.timestamp.as_str()
        ),
        ("kundenr", Some("ordrenr"), "dato")
    );
    assert_eq!(c.quantity, "antall");
    assert_eq!(c.unit_price.as_deref(), Some("enhetspris"));
    assert_eq!(c.discount.as_deref(), Some("rabatt"));
    assert_eq!(c.category.as_deref(), Some("kategori"));
    let text = render(&g);
    assert!(
        text.contains(
            "# timestamp: name \"dato\"; sniffed: 100% of 3 sampled values parse as %d.%m.%Y %H:%M"
        ),
        "{text}"
    );
    assert_eq!(load(&g, dir.path()).unwrap().mapping, g.mapping);
}

#[test]
fn month_first_dates_are_found_and_the_ambiguity_named() {
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "x.csv",
        "InvoiceNo,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
         536365,6,12/1/2010 8:26,2.55,17850\n\
         536366,6,12/2/2010 8:28,1.85,17850\n\
         C536367,-1,12/3/2010 9:01,2.55,13047\n",
    );
    assert_eq!(s.date_formats, ["%m/%d/%Y %H:%M"]);
    let d = s.columns[2].date.as_ref().unwrap();
    assert_eq!(d.also.as_deref(), Some("%d/%m/%Y %H:%M"));
    let g = guess(&[s], dir.path()).unwrap();
    assert_eq!(g.mapping.transactions.cancel_prefix.as_deref(), Some("C"));
    assert!(g
        .checklist()
        .iter()
        .any(|n| n.contains("read both as %m/%d/%Y %H:%M and as %d/%m/%Y %H:%M")));
}

#[test]
fn whitespace_text_and_compact_dates() {
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "CDNOW_master.txt",
        " customer_id  date number_of_cds  dollar_value\n\
         00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n",
    );
    assert_eq!(s.format, Format::Whitespace);
    assert_eq!(s.date_formats, ["%Y%m%d"]);
    let g = guess(&[s], dir.path()).unwrap();
    let c = &g.mapping.transactions.columns;
    assert_eq!(
        (c.timestamp.as_str(), c.quantity.as_str()),
        ("date", "number_of_cds")
    );
    assert_eq!(c.line_total.as_deref(), Some("dollar_value"));
    assert_eq!(g.mapping.transactions.format, None, ".txt means whitespace");
    assert_eq!(load(&g, dir.path()).unwrap().mapping, g.mapping);
}

#[test]
fn columns_without_telling_names_are_guessed_from_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "export.csv",
        "a,b,c,d\n\
         X1,2024-01-05,2,19.90\n\
         X2,2024-01-06,1,5.50\n\
         X1,2024-01-07,1,7.25\n\
         X3,2024-01-09,3,12.00\n\
         X2,2024-01-09,1,3.10\n",
    );
    let g = guess(&[s], dir.path()).unwrap();
    let c = &g.mapping.transactions.columns;
    assert_eq!((c.timestamp.as_str(), c.quantity.as_str()), ("b", "c"));
    assert_eq!(c.line_total.as_deref(), Some("d"));
    assert!(c.customer_id.starts_with("TODO"), "{}", c.customer_id);
    let t = &g.tables[0];
    assert_eq!(t.by_values, ["timestamp", "quantity", "line_total"]);
    assert_eq!(g.todos().len(), 1);
    // The mapping as written fails, naming the TODO and its line.
    let text = render(&g);
    let line = text
        .lines()
        .position(|l| l.starts_with("customer_id = \"TODO"))
        .unwrap()
        + 1;
    let err = load(&g, dir.path()).unwrap_err().to_string();
    assert!(
        err.contains(&format!("line {line}: [transactions.columns] customer_id"))
            && err.contains("TODO"),
        "{err}"
    );
}

#[test]
fn a_file_set_without_order_lines_still_gives_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "kunder.csv",
        "kundnummer,födelseår,kön\n7,1980,K\n8,1991,M\n9,1975,K\n",
    );
    let g = guess(&[s], dir.path()).unwrap();
    let cu = g.mapping.customers.as_ref().unwrap();
    assert_eq!(cu.columns.customer_id, "kundnummer");
    assert_eq!(cu.columns.birth_year.as_deref(), Some("födelseår"));
    assert!(g
        .mapping
        .transactions
        .path
        .to_string_lossy()
        .starts_with("TODO"));
    let err = load(&g, dir.path()).unwrap_err().to_string();
    assert!(
        err.contains("TODO") && err.contains("[transactions"),
        "{err}"
    );
}

#[test]
fn a_wide_survey_is_found_by_its_likert_answers() {
    let dir = tempfile::tempdir().unwrap();
    let tx = sniffed(
        &dir,
        "orders.csv",
        "customer_id,order_date,qty,price\nC1,2024-01-05,1,10.00\nC2,2024-01-06,2,5.00\nC3,2024-01-06,1,7.50\n",
    );
    let sv = sniffed(
        &dir,
        "answers.csv",
        "respondent,c1,c2,c3,c4\nC1,4,5,2,3\nC2,1,3,4,7\nC3,2,2,6,1\n",
    );
    let g = guess(&[tx, sv], dir.path()).unwrap();
    let s = g.mapping.survey.as_ref().expect("a survey");
    assert_eq!(s.columns.customer_id, "respondent", "joined by its ids");
    assert_eq!(s.items, ["c1", "c2", "c3", "c4"]);
    assert_eq!((s.scale.min, s.scale.max), (1.0, 7.0));
    assert_eq!(load(&g, dir.path()).unwrap().mapping, g.mapping);
    // A commented-out label stub per item, which reads as a mapping once uncommented.
    let text = render(&g);
    assert!(
        text.contains(
            "# [survey.labels]\n# \"c1\" = { en = \"\", nb = \"\", sv = \"\", da = \"\" }\n"
        ),
        "{text}"
    );
    let filled = text
        .replace("# [survey.labels]", "[survey.labels]")
        .replace(
            "# \"c1\" = { en = \"\"",
            "\"c1\" = { en = \"Price-conscious\"",
        )
        .replace("# \"c", "\"c");
    let m = Config::from_toml(&filled, &dir.path().join("mapping.toml"))
        .unwrap()
        .mapping;
    let labels = &m.survey.as_ref().unwrap().labels;
    assert_eq!(labels.len(), 4);
    assert_eq!(labels["c1"]["en"], "Price-conscious");
    assert_eq!(labels["c2"]["nb"], "");
}

#[test]
fn emails_and_phones_are_known_by_content() {
    assert!(is_email("ann@example.com"));
    assert!(!is_email("ann@example"));
    assert!(is_phone("+47 912 34 567"));
    assert!(is_phone("004744154070"));
    assert!(!is_phone("17850"));
    assert!(!is_phone("536365"));
}

#[test]
fn relative_paths() {
    assert_eq!(
        relative_to(Path::new("/data/raw/orders.csv"), Path::new("/data/out")),
        Path::new("../raw/orders.csv")
    );
    assert_eq!(
        relative_to(Path::new("/a/b.csv"), Path::new("/c")),
        Path::new("/a/b.csv")
    );
}

#[test]
fn order_items_without_customers_point_to_the_file_that_has_them() {
    let dir = tempfile::tempdir().unwrap();
    // Olist-shaped: the items lack the customer; the orders file has it.
    let items = sniffed(
        &dir,
        "order_items.csv",
        "order_id,order_item_id,product_id,shipping_limit_date,price,freight_value\n\
         a1,1,p1,2017-09-19 09:45:35,58.90,13.29\n\
         a2,1,p2,2017-05-03 11:05:13,239.90,19.93\n\
         a3,1,p3,2018-01-18 14:48:30,199.00,17.87\n",
    );
    let orders = sniffed(
        &dir,
        "orders.csv",
        "order_id,customer_id,order_status\na1,c9,delivered\na2,c8,delivered\na3,c9,delivered\n",
    );
    // Retail-Rocket-shaped events: visitor ids, millisecond times, no session.
    let events = sniffed(
        &dir,
        "events.csv",
        "timestamp,visitorid,event,itemid\n1433221332117,257597,view,355908\n\
         1433224214164,992329,view,248676\n1433221999827,111016,addtocart,318965\n",
    );
    let g = guess(&[items, orders, events], dir.path()).unwrap();
    let c = &g.mapping.transactions.columns;
    assert!(c.customer_id.starts_with(TODO));
    assert!(
        c.quantity.starts_with(TODO),
        "an item number is no quantity"
    );
    assert_eq!(c.line_total, None, "freight is no line amount");
    let notes = g.checklist().join("\n");
    assert!(
        notes.contains("gives each order its customer (\"customer_id\" by \"order_id\")"),
        "{notes}"
    );
    let e = g.mapping.events.as_ref().expect("named events file");
    assert_eq!(e.columns.customer_id, "visitorid");
    assert_eq!(e.columns.event_type, "event");
    assert!(e.columns.session_id.starts_with(TODO));
    assert!(notes.contains("integer milliseconds since 1970"), "{notes}");
}

#[test]
fn a_header_named_invoice_does_not_make_letter_ids_cancellations() {
    // UCI's header with plain numeric ids: the prefix is guessed even when the sample holds no
    // cancellation; ids that start with a letter themselves are ordinary orders.
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "x.csv",
        "Invoice,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
         536365,6,2010-12-01,2.55,17850\n\
         536366,6,2010-12-02,1.85,17850\n",
    );
    let g = guess(&[s], dir.path()).unwrap();
    assert_eq!(g.mapping.transactions.cancel_prefix.as_deref(), Some("C"));
    let dir = tempfile::tempdir().unwrap();
    let s = sniffed(
        &dir,
        "x.csv",
        "Invoice,Quantity,InvoiceDate,UnitPrice,CustomerID\n\
         CS-0008557,1,2010-12-01,2.55,17850\n\
         CS-0013353,6,2010-12-02,1.85,17850\n\
         CS-0013354,2,2010-12-03,1.85,17851\n",
    );
    let g = guess(&[s], dir.path()).unwrap();
    assert_eq!(g.mapping.transactions.cancel_prefix, None);
}

#[test]
fn swedish_headers_and_event_names_without_diacritics_are_read() {
    // A hostile test shop's Swedish export, written without å, ä, ö: the events file was
    // "not used", its dwell time in milliseconds unmapped, and every event counted as other.
    let dir = tempfile::tempdir().unwrap();
    let orders = sniffed(
        &dir,
        "ordrar.csv",
        "kundnr,ordernr,orderdatum,antal,styckpris,inkopspris\n\
         705582,SO1,2024-03-20 01:10:09,1,46.95,26.89\n\
         705583,SO2,2024-03-21 01:10:09,2,16.95,6.89\n",
    );
    let events = sniffed(
        &dir,
        "handelser.csv",
        "kundnr,session,tidpunkt,handelse,visningstid_ms\n\
         705582,s1,2024-03-19 05:54:34,sidvisning,52999\n\
         705582,s1,2024-03-19 05:55:34,sokning,1000\n\
         705582,s1,2024-03-19 05:56:34,lagt_i_varukorg,2000\n\
         705582,s1,2024-03-19 05:57:34,kop,3000\n\
         705583,s2,2024-03-19 05:58:34,scrolla,3000\n",
    );
    let g = guess(&[orders, events], dir.path()).unwrap();
    assert_eq!(
        g.mapping.transactions.columns.unit_cost.as_deref(),
        Some("inkopspris")
    );
    let e = g.mapping.events.as_ref().expect("the events file is used");
    assert_eq!(e.columns.event_type, "handelse");
    assert_eq!(
        e.columns.dwell_milliseconds.as_deref(),
        Some("visningstid_ms")
    );
    let t = &e.event_types;
    assert!(t.view.contains(&"sidvisning".to_string()), "{t:?}");
    assert!(t.search.contains(&"sokning".to_string()), "{t:?}");
    assert!(t.cart.contains(&"lagt_i_varukorg".to_string()), "{t:?}");
    assert!(t.purchase.contains(&"kop".to_string()), "{t:?}");
    let notes = g.checklist().join("\n");
    assert!(notes.contains("event names read by their words"), "{notes}");
    assert!(
        notes.contains("\"scrolla\""),
        "unknown names are still listed: {notes}"
    );
}
