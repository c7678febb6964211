//! `segmint init`: a first mapping file, guessed from the files' headers *and* values.
//!
//! [`sniff`] reads a sample of each file through ingest's own reader and judges its values
//! with ingest's own number and date parsers (so `init` cannot propose a setting ingest reads
//! differently); [`guess`] decides which file is which table and which column is which field,
//! from header words in six languages and from what the values look like (dates and their
//! format, whole numbers or money, e-mail addresses, phone numbers, ids shared with another
//! file, Likert answers); [`render`] writes the guess as a commented mapping file.
//!
//! `init` never refuses over names: a required field it cannot fill becomes a `TODO` value,
//! and loading a mapping that still holds one fails with an error naming it
//! ([`crate::config::Config::from_toml`]). Every guess carries its evidence, written next to
//! the key.

mod guess;
mod render;
mod sniff;
pub mod words;

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::config::{
    default_date_formats, Attribute, AttributeKind, CustomerColumns, CustomersTable, EventColumns,
    EventTypes, EventsTable, FeatureOptions, FileOptions, Format, Mapping, PrepareOptions,
    ProductColumns, ProductsTable, ReturnColumns, ReturnsTable, Scale, SurveyColumns, SurveyLayout,
    SurveyTable, TransactionColumns, TransactionsTable,
};
use crate::error::Result;

pub use guess::{Pick, Role};
pub use render::render;
pub use sniff::{is_email, is_phone, sniff, ColumnFacts, DateFacts, Sniffed, MAX_SAMPLES};

use guess::{Chosen, Kind, Matched};

/// The prefix of a value `init` could not fill.
pub const TODO: &str = "TODO";

/// A guessed mapping, with what the guesses were based on.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The mapping (required fields not found hold `TODO: ...` values).
    pub mapping: Mapping,
    /// Notes on the file set as a whole: files claimed by two tables, files not used.
    pub notes: Vec<String>,
    /// One entry per table, in mapping order (a products file included).
    pub tables: Vec<TableGuess>,
}

/// A required field `init` could not fill.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    /// The mapping key.
    pub key: String,
    /// What the column should hold, in words.
    pub what: String,
}

/// What [`guess`] decided for one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableGuess {
    /// The table.
    pub role: Role,
    /// The file, as given to [`guess`].
    pub file: PathBuf,
    /// Why the file was taken for this table.
    pub reason: String,
    /// The evidence of each mapped field, `(field, evidence)`; [`render`] writes it next to
    /// the key.
    pub evidence: Vec<(String, String)>,
    /// Fields chosen from their values alone (no header word): the first things to check.
    pub by_values: Vec<String>,
    /// Required fields no column was found for.
    pub todos: Vec<Todo>,
    /// Remarks on the table.
    pub notes: Vec<String>,
    /// Columns of the file no field uses.
    pub unmapped: Vec<String>,
    /// Columns of the file (for TODO comments).
    pub columns: Vec<String>,
}

impl Guess {
    /// Every required field not filled, as `(table, todo)`.
    pub fn todos(&self) -> Vec<(Role, &Todo)> {
        self.tables
            .iter()
            .flat_map(|t| t.todos.iter().map(move |d| (t.role, d)))
            .collect()
    }

    /// What the analyst should check, one line each: TODOs, guesses made from values alone,
    /// notes on tables and files.
    pub fn checklist(&self) -> Vec<String> {
        let mut v = Vec::new();
        for t in &self.tables {
            let s = t.role.section();
            for d in &t.todos {
                v.push(if d.key == "path" {
                    format!(
                        "[{s}] path = TODO: no file given holds {}; give its path",
                        d.what.trim_start_matches("the ")
                    )
                } else {
                    format!(
                        "[{s}] {} = TODO: no column found for {}; write the column's name",
                        d.key, d.what
                    )
                });
            }
            for k in &t.by_values {
                let ev = t
                    .evidence
                    .iter()
                    .find(|(f, _)| f == k)
                    .map(|(_, e)| e.as_str())
                    .unwrap_or("");
                v.push(format!("[{s}] {k}: chosen from the values alone ({ev})"));
            }
            v.extend(t.notes.iter().map(|n| format!("[{s}] {n}")));
        }
        v.extend(self.notes.iter().cloned());
        v
    }
}

/// Guesses which file is which table and which column is which field. Paths in the mapping
/// are written relative to `mapping_dir` when the two share more than the root folder. Never
/// fails over names: what it cannot find becomes a `TODO`.
pub fn guess(files: &[Sniffed], mapping_dir: &Path) -> Result<Guess> {
    let mut notes = Vec::new();
    let chosen = guess::assign(files, &mut notes);
    let get = |role: Role| chosen.iter().find(|c| c.m.role == role);
    let mut tables = Vec::new();
    let transactions = match get(Role::Transactions) {
        Some(c) => build_transactions(files, c, mapping_dir, &mut tables),
        None => {
            tables.push(TableGuess {
                role: Role::Transactions,
                file: PathBuf::from("TODO"),
                reason: "no file given holds order lines".into(),
                evidence: Vec::new(),
                by_values: Vec::new(),
                todos: vec![Todo {
                    key: "path".into(),
                    what: "the order-lines file".into(),
                }],
                notes: Vec::new(),
                unmapped: Vec::new(),
                columns: Vec::new(),
            });
            let todo = |what: &str| format!("{TODO}: {what}");
            TransactionsTable {
                path: PathBuf::from(todo("the order-lines file (CSV or Parquet)")),
                format: None,
                delimiter: ",".into(),
                decimal: ".".into(),
                thousands: None,
                date_formats: default_date_formats(),
                sheet: None,
                currency: None,
                cancel_prefix: None,
                columns: TransactionColumns {
                    customer_id: todo("the customer id column"),
                    timestamp: todo("the order date column"),
                    quantity: todo("the quantity column"),
                    unit_price: Some(todo("the unit price column")),
                    ..Default::default()
                },
            }
        }
    };
    let returns = get(Role::Returns)
        .map(|c| build_returns(files, c, get(Role::Transactions), mapping_dir, &mut tables));
    let events = get(Role::Events)
        .map(|c| build_events(files, c, get(Role::Transactions), mapping_dir, &mut tables));
    let survey = get(Role::Survey)
        .map(|c| build_survey(files, c, get(Role::Transactions), mapping_dir, &mut tables));
    let customers = get(Role::Customers)
        .map(|c| build_customers(files, c, get(Role::Transactions), mapping_dir, &mut tables));
    // No customer on the order lines, but another file gives each order its customer (Olist):
    // say so, as segmint reads the customer from the lines.
    if let (Some(tx), Some(t)) = (get(Role::Transactions), tables.first_mut()) {
        if t.todos.iter().any(|d| d.key == "customer_id") {
            if let Some(oi) = tx.m.col("order_id") {
                for (fi, f) in files.iter().enumerate() {
                    if chosen.iter().any(|c| c.file == fi) {
                        continue;
                    }
                    let cust = f.columns.iter().position(guess::names_customer);
                    let order = (0..f.columns.len()).find(|&ci| {
                        guess::coverage(files, (tx.file, oi), (fi, ci)).is_some_and(|x| x >= 0.5)
                    });
                    if let (Some(cu), Some(or)) = (cust, order) {
                        t.notes.push(format!(
                            "{} gives each order its customer ({:?} by {:?}), but segmint reads the customer id from the order lines: join the two files on the order id before mapping, then name the customer column here",
                            f.path.display(),
                            f.columns[cu].name,
                            f.columns[or].name
                        ));
                    }
                }
            }
        }
    }
    // Products join the order lines by product id: only when the lines have one.
    let products = match get(Role::Products) {
        Some(c) if transactions.columns.product_id.is_some() => {
            Some(build_products(files, c, mapping_dir, &mut tables))
        }
        Some(c) => {
            notes.push(format!(
                "{} looks like a products table, but the order lines have no product id column to join it by; map [transactions.columns] product_id and add a [products] section",
                files[c.file].path.display()
            ));
            None
        }
        None => None,
    };
    let currency = get(Role::Transactions).and_then(|c| {
        let (code, column) = currency_column(&files[c.file])?;
        if let Some(t) = tables.iter_mut().find(|t| t.role == Role::Transactions) {
            t.unmapped.retain(|u| *u != column);
        }
        notes.push(format!(
            "currency = \"{code}\": the order lines' column {column:?} holds only {code} in the sampled lines"
        ));
        Some(code)
    });
    let mapping = Mapping {
        as_of: None,
        currency,
        vat: None,
        transactions,
        returns,
        events,
        survey,
        customers,
        products,
        features: FeatureOptions::default(),
        prepare: PrepareOptions::default(),
        cluster: Default::default(),
        flags: Default::default(),
        lookalike: Default::default(),
        privacy: Default::default(),
        output: Default::default(),
        labels: Default::default(),
    };
    Ok(Guess {
        mapping,
        notes,
        tables,
    })
}

/// A column named as a currency (`Currency`, `Valuta`, `Währung`) whose sampled values are
/// all one ISO 4217-like code (three letters): the code in capitals, and the column.
fn currency_column(s: &Sniffed) -> Option<(String, String)> {
    const WORDS: &[&str] = &[
        "currency",
        "currencycode",
        "valuta",
        "valutakode",
        "valutakod",
        "wahrung",
        "währung",
        "munteenheid",
    ];
    s.columns.iter().enumerate().find_map(|(i, c)| {
        let name = words::norm(&c.name);
        if !WORDS.contains(&name.as_str()) {
            return None;
        }
        let mut codes: Vec<String> = s.values(i).iter().map(|v| v.to_uppercase()).collect();
        codes.sort_unstable();
        codes.dedup();
        match codes.as_slice() {
            [code] if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) => {
                Some((code.clone(), c.name.clone()))
            }
            _ => None,
        }
    })
}

/// Fields of a matched table, by key.
struct Fields<'a> {
    s: &'a Sniffed,
    m: &'a Matched,
}

impl Fields<'_> {
    fn col(&self, key: &str) -> Option<String> {
        Some(self.s.columns[self.m.col(key)?].name.clone())
    }

    /// The column, or a TODO value (recorded in the table's guess).
    fn need(&self, key: &str, t: &mut TableGuess) -> String {
        self.col(key).unwrap_or_else(|| {
            let what = self
                .m
                .role
                .specs()
                .iter()
                .find(|s| s.key == key)
                .map_or(key, |s| s.what);
            t.todos.push(Todo {
                key: key.to_string(),
                what: what.to_string(),
            });
            format!("{TODO}: {what}")
        })
    }
}

fn table_guess(files: &[Sniffed], c: &Chosen) -> TableGuess {
    let s = &files[c.file];
    let m = &c.m;
    let mut t = TableGuess {
        role: m.role,
        file: s.path.clone(),
        reason: format!(
            "its columns fit this table best (score {}){}",
            m.score,
            if m.named {
                "; the file name agrees"
            } else {
                ""
            }
        ),
        evidence: m
            .picks
            .iter()
            .map(|p| (p.key.to_string(), p.evidence.clone()))
            .collect(),
        by_values: m
            .picks
            .iter()
            .filter(|p| p.by_values)
            .map(|p| p.key.to_string())
            .collect(),
        todos: Vec::new(),
        notes: s.notes.clone(),
        unmapped: Vec::new(),
        columns: s.names(),
    };
    for c in &s.columns {
        if let Some(d) = c.date.as_ref().filter(|d| d.also.is_some()) {
            let other = d.also.clone().unwrap_or_default();
            t.notes.push(format!(
                "column {:?}: dates such as {:?} read both as {} and as {other}; {} was chosen, swap date_formats if the file means the other",
                c.name,
                c.example.clone().unwrap_or_default(),
                d.formats[0],
                d.formats[0]
            ));
        }
    }
    if !m.reserved.is_empty() {
        let cols: Vec<String> = m
            .reserved
            .iter()
            .map(|&i| format!("{:?}", s.columns[i].name))
            .collect();
        t.notes.push(format!(
            "Shopify export: {} are order totals (on each order's first line only), so they are not used as line amounts",
            cols.join(", ")
        ));
    }
    let used: HashSet<usize> = m
        .picks
        .iter()
        .map(|p| p.column)
        .chain(m.items.iter().copied())
        .collect();
    t.unmapped = (0..s.columns.len())
        .filter(|i| !used.contains(i))
        .map(|i| s.columns[i].name.clone())
        .collect();
    t
}

fn add_note(t: &mut TableGuess, key: &str, note: String) {
    if let Some(e) = t.evidence.iter_mut().find(|(k, _)| k == key) {
        e.1.push_str(". ");
        e.1.push_str(&note);
    }
}

/// A table section: the file keys of a [`FileOptions`] plus the section's own fields.
macro_rules! with_file {
    ($ty:ident, $file:expr, { $($field:ident $(: $value:expr)?),* $(,)? }) => {{
        let f: FileOptions = $file;
        $ty {
            path: f.path,
            format: f.format,
            delimiter: f.delimiter,
            decimal: f.decimal,
            thousands: f.thousands,
            date_formats: f.date_formats,
            sheet: f.sheet,
            currency: None,
            $($field $(: $value)?),*
        }
    }};
}

fn build_transactions(
    files: &[Sniffed],
    ch: &Chosen,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> TransactionsTable {
    let s = &files[ch.file];
    let c = Fields { s, m: &ch.m };
    let mut t = table_guess(files, ch);
    let (unit_price, line_total) = match (c.col("unit_price"), c.col("line_total")) {
        (None, None) => {
            t.todos.push(Todo {
                key: "unit_price".into(),
                what: "the unit price (or, as line_total, the line amount)".into(),
            });
            (
                Some(format!(
                    "{TODO}: the unit price column (or set line_total to the line amount)"
                )),
                None,
            )
        }
        other => other,
    };
    let columns = TransactionColumns {
        customer_id: c.need("customer_id", &mut t),
        order_id: c.col("order_id"),
        timestamp: c.need("timestamp", &mut t),
        quantity: c.need("quantity", &mut t),
        unit_price,
        line_total,
        product_id: c.col("product_id"),
        category: c.col("category"),
        brand: c.col("brand"),
        unit_cost: c.col("unit_cost"),
        margin_pct: c.col("margin_pct"),
        discount: c.col("discount"),
        discount_pct: c.col("discount_pct"),
        channel: c.col("channel"),
        refunded_quantity: c.col("refunded_quantity"),
        refunded_amount: c.col("refunded_amount"),
    };
    // Cancellations: order ids that start with a letter prefix where the others are numbers
    // (UCI Online Retail's "C536379"). Only where most ids are plain numbers: the header
    // alone ("Invoice") says nothing of ids like "CS-1001", which would all read as
    // cancellations.
    let mut cancel_prefix = None;
    if let Some(i) = ch.m.col("order_id") {
        let vals = s.values(i);
        let prefixed: Vec<&&str> = vals
            .iter()
            .filter(|v| {
                v.starts_with('C') && v[1..].bytes().all(|b| b.is_ascii_digit()) && v.len() > 1
            })
            .collect();
        let numeric = vals
            .iter()
            .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
            .count();
        let named_uci = matches!(norm_of(s, i).as_str(), "invoice" | "invoiceno");
        if numeric * 2 > vals.len() && (!prefixed.is_empty() || named_uci) {
            cancel_prefix = Some("C".to_string());
            add_note(
                &mut t,
                "order_id",
                "invoices starting with C are cancellations (UCI Online Retail): cancel_prefix = \"C\"".into(),
            );
        }
    }
    if let Some(i) = ch.m.col("customer_id") {
        let by_values =
            ch.m.picks
                .iter()
                .any(|p| p.key == "customer_id" && p.by_values);
        if !by_values && s.columns[i].share(s.columns[i].email) >= 0.8 {
            add_note(
                &mut t,
                "customer_id",
                "e-mail addresses identify the customer here, so the other tables must use them too (they are pseudonymised at ingest)".into(),
            );
        }
    }
    date_warnings(s, &ch.m, &mut t);
    tables.push(t);
    with_file!(TransactionsTable, file_options(s, dir), {
        cancel_prefix,
        columns,
    })
}

fn norm_of(s: &Sniffed, i: usize) -> String {
    words::norm(&s.columns[i].name)
}

/// Notes on date fields whose values do not read, or are GA4 microseconds.
fn date_warnings(s: &Sniffed, m: &Matched, t: &mut TableGuess) {
    for p in &m.picks {
        let spec = m.role.specs().iter().find(|sp| sp.key == p.key);
        if spec.is_some_and(|sp| sp.kind == Kind::Date) {
            let c = &s.columns[p.column];
            if let Some(d) = &c.date {
                if d.read < c.filled {
                    t.notes.push(format!(
                        "{} of {} sampled values of {:?} match none of the date formats: add their chrono format to date_formats, or `segmint check` names them",
                        c.filled - d.read,
                        c.filled,
                        c.name
                    ));
                }
            }
        }
    }
}

/// Columns holding integer microseconds since 1970 (GA4's `event_timestamp`).
fn epoch_unit(c: &ColumnFacts) -> Option<&'static str> {
    let (lo, hi) = c.int_range?;
    if lo >= 100_000_000_000_000 && hi < 100_000_000_000_000_000 {
        Some("microseconds")
    } else if lo >= 100_000_000_000 && hi < 100_000_000_000_000 {
        Some("milliseconds")
    } else {
        None
    }
}

fn build_returns(
    files: &[Sniffed],
    ch: &Chosen,
    tx: Option<&Chosen>,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> ReturnsTable {
    let s = &files[ch.file];
    let c = Fields { s, m: &ch.m };
    let mut t = table_guess(files, ch);
    let columns = ReturnColumns {
        order_id: c.need("order_id", &mut t),
        product_id: c.col("product_id"),
        quantity: c.need("quantity", &mut t),
        refund: c.col("refund"),
        handling_cost: c.col("handling_cost"),
        timestamp: c.col("timestamp"),
    };
    join_evidence(files, ch, "order_id", tx, &mut t);
    date_warnings(s, &ch.m, &mut t);
    tables.push(t);
    with_file!(ReturnsTable, file_options(s, dir), { columns })
}

/// Adds to `key`'s evidence the share of its sampled values found in the same key of the
/// order lines.
fn join_evidence(
    files: &[Sniffed],
    ch: &Chosen,
    key: &str,
    tx: Option<&Chosen>,
    t: &mut TableGuess,
) {
    let (Some(mine), Some(tx)) = (ch.m.col(key), tx) else {
        return;
    };
    let Some(theirs) = tx.m.col(key) else { return };
    if let Some(share) = guess::coverage(files, (ch.file, mine), (tx.file, theirs)) {
        add_note(
            t,
            key,
            format!(
                "{:.0}% of the sampled ids are in the sampled order lines",
                100.0 * share
            ),
        );
    }
}

fn build_events(
    files: &[Sniffed],
    ch: &Chosen,
    tx: Option<&Chosen>,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> EventsTable {
    let s = &files[ch.file];
    let c = Fields { s, m: &ch.m };
    let mut t = table_guess(files, ch);
    let mut columns = EventColumns {
        customer_id: c.need("customer_id", &mut t),
        session_id: c.need("session_id", &mut t),
        timestamp: c.need("timestamp", &mut t),
        event_type: c.need("event_type", &mut t),
        category: c.col("category"),
        dwell_seconds: c.col("dwell_seconds"),
        dwell_milliseconds: None,
    };
    if let Some(i) = ch.m.col("customer_id") {
        if norm_of(s, i) == "userpseudoid" {
            add_note(&mut t, "customer_id", "GA4's browser/device id: events join the other tables by customer id, so map user_id instead if the export has it".into());
        }
    }
    if let Some(i) = ch.m.col("dwell_seconds") {
        if norm_of(s, i).contains("msec") || norm_of(s, i).ends_with("ms") {
            columns.dwell_milliseconds = columns.dwell_seconds.take();
            for (key, _) in t.evidence.iter_mut().filter(|(k, _)| k == "dwell_seconds") {
                *key = "dwell_milliseconds".into();
            }
            add_note(&mut t, "dwell_milliseconds", "the name says milliseconds: mapped as `dwell_milliseconds`, read as seconds / 1000".into());
        }
    }
    if let Some((i, unit)) = s
        .columns
        .iter()
        .enumerate()
        .find_map(|(i, c)| epoch_unit(c).map(|u| (i, u)))
    {
        if Some(i) != ch.m.col("timestamp") {
            let used = if columns.timestamp.starts_with(TODO) {
                String::new()
            } else {
                format!(" {:?} is used instead.", columns.timestamp)
            };
            t.notes.push(format!(
                "{:?} holds integer {unit} since 1970, which segmint cannot read as a time.{used} For full times export it as text (GA4: FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%S', TIMESTAMP_MICROS(event_timestamp)) AS event_time) and map that column",
                s.columns[i].name
            ));
        }
    }
    let mut event_types = EventTypes::default();
    let known: HashSet<String> = [
        &event_types.view,
        &event_types.cart,
        &event_types.search,
        &event_types.purchase,
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect();
    if let Some(i) = ch.m.col("event_type") {
        let mut other: Vec<String> = Vec::new();
        let mut guessed: Vec<String> = Vec::new();
        for v in s.values(i) {
            if known.contains(&v.to_lowercase()) || other.iter().chain(&guessed).any(|o| o == v) {
                continue;
            }
            // Event names in the client's language, by their words ("sidvisning",
            // "lagt_i_varukorg", "kop"): listed under the kind they name, for the user to check.
            let list = match words::event_kind(v) {
                Some(words::EventKind::View) => &mut event_types.view,
                Some(words::EventKind::Cart) => &mut event_types.cart,
                Some(words::EventKind::Search) => &mut event_types.search,
                Some(words::EventKind::Purchase) => &mut event_types.purchase,
                None => {
                    other.push(v.to_string());
                    continue;
                }
            };
            list.push(v.to_string());
            guessed.push(v.to_string());
        }
        if !guessed.is_empty() {
            t.notes.push(format!(
                "event names read by their words (check them under [events.event_types]): {}",
                render::list(&guessed)
            ));
        }
        if !other.is_empty() {
            other.truncate(12);
            t.notes.push(format!(
                "event names that count as `other`: {}; list any that mean a view, cart, search or purchase under [events.event_types]",
                render::list(&other)
            ));
        }
    }
    join_evidence(files, ch, "customer_id", tx, &mut t);
    date_warnings(s, &ch.m, &mut t);
    tables.push(t);
    with_file!(EventsTable, file_options(s, dir), {
        event_types,
        columns,
    })
}

fn build_survey(
    files: &[Sniffed],
    ch: &Chosen,
    tx: Option<&Chosen>,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> SurveyTable {
    let s = &files[ch.file];
    let m = &ch.m;
    let c = Fields { s, m };
    let mut t = table_guess(files, ch);
    let long = m.has("question") && m.has("answer");
    let columns = SurveyColumns {
        customer_id: c.need("customer_id", &mut t),
        question: c.col("question").filter(|_| long),
        answer: c.col("answer").filter(|_| long),
    };
    let mut scale = Scale::default();
    let ranges: Vec<(i64, i64)> = if long {
        m.col("answer")
            .and_then(|i| s.columns[i].int_range)
            .into_iter()
            .collect()
    } else {
        m.items
            .iter()
            .filter_map(|&i| s.columns[i].likert())
            .collect()
    };
    if let (Some(lo), Some(hi)) = (
        ranges.iter().map(|r| r.0).min(),
        ranges.iter().map(|r| r.1).max(),
    ) {
        scale = Scale {
            min: if lo >= 1 { 1.0 } else { 0.0 },
            max: match hi {
                ..=5 => 5.0,
                6..=7 => 7.0,
                _ => 10.0,
            },
        };
        t.notes.push(format!(
            "answers run from {lo} to {hi}: scale {}–{} assumed{}",
            scale.min,
            scale.max,
            if long {
                String::new()
            } else {
                format!(
                    "; items are the {} columns of small whole numbers (Likert-like)",
                    m.items.len()
                )
            }
        ));
    }
    join_evidence(files, ch, "customer_id", tx, &mut t);
    tables.push(t);
    with_file!(SurveyTable, file_options(s, dir), {
        layout: if long { SurveyLayout::Long } else { SurveyLayout::Wide },
        items: if long { Vec::new() } else { m.items.iter().map(|&i| s.columns[i].name.clone()).collect() },
        scale,
        item_scales: BTreeMap::new(),
        factors: BTreeMap::new(),
        labels: BTreeMap::new(),
        columns,
    })
}

fn build_products(
    files: &[Sniffed],
    ch: &Chosen,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> ProductsTable {
    let s = &files[ch.file];
    let c = Fields { s, m: &ch.m };
    let mut t = table_guess(files, ch);
    let columns = ProductColumns {
        product_id: c.need("product_id", &mut t),
        category: c.col("category"),
        subcategory: c.col("subcategory"),
        brand: c.col("brand"),
        unit_cost: c.col("unit_cost"),
        margin_pct: c.col("margin_pct"),
    };
    tables.push(t);
    with_file!(ProductsTable, file_options(s, dir), { columns })
}

fn build_customers(
    files: &[Sniffed],
    ch: &Chosen,
    tx: Option<&Chosen>,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> CustomersTable {
    let s = &files[ch.file];
    let c = Fields { s, m: &ch.m };
    let mut t = table_guess(files, ch);
    let columns = CustomerColumns {
        customer_id: c.need("customer_id", &mut t),
        birth_year: c.col("birth_year"),
        age: c.col("age"),
        gender: c.col("gender"),
        country: c.col("country"),
        region: c.col("region"),
        postcode: c.col("postcode"),
        signup_date: c.col("signup_date"),
        email: c.col("email"),
        phone: c.col("phone"),
        first_name: c.col("first_name"),
        last_name: c.col("last_name"),
    };
    join_evidence(files, ch, "customer_id", tx, &mut t);
    date_warnings(s, &ch.m, &mut t);
    let attributes = propose_attributes(s, &mut t);
    tables.push(t);
    with_file!(CustomersTable, file_options(s, dir), { columns, attributes })
}

/// `[customers.attributes]` for the customer file's unmapped columns, from their sampled
/// values: numbers → `numeric`; values that read as bands ("35-44", "65+", "Under 15K") →
/// `ordinal`, the few that do not (e.g. "Unknown") listed as `missing`; a few distinct
/// repeated strings → `categorical`. Ids, dates, e-mails, phones and free text are left out.
/// Each proposal's evidence goes to the table's guess as `attributes.<name>`.
fn propose_attributes(s: &Sniffed, t: &mut TableGuess) -> BTreeMap<String, Attribute> {
    use crate::ingest::bands::{midpoints, parse_band, Band};
    let mut out: BTreeMap<String, Attribute> = BTreeMap::new();
    let mut used = Vec::new();
    for name in t.unmapped.clone() {
        let Some(i) = s.columns.iter().position(|c| c.name == name) else {
            continue;
        };
        let c = &s.columns[i];
        if c.filled == 0
            || c.is_date()
            || c.share(c.email) >= 0.5
            || c.share(c.phone) >= 0.5
            || words::norm(&name).ends_with("id")
        {
            continue;
        }
        let values = s.values(i);
        let mut distinct: Vec<&str> = values.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let quoted = |v: &[&str]| {
            v.iter()
                .take(6)
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let bands: Vec<&str> = distinct
            .iter()
            .copied()
            .filter(|v| parse_band(v).is_some())
            .collect();
        let open_or_range = bands
            .iter()
            .any(|v| !matches!(parse_band(v), Some(Band::Exact(_))));
        let others: Vec<&str> = distinct
            .iter()
            .copied()
            .filter(|v| parse_band(v).is_none())
            .collect();
        let other_rows = values.iter().filter(|v| others.contains(v)).count();
        let (attr, evidence) = if c.is_numeric() {
            if c.unique() && c.filled > 20 {
                continue;
            }
            (
                Attribute {
                    column: Some(name.clone()),
                    kind: AttributeKind::Numeric,
                    levels: Vec::new(),
                    missing: Vec::new(),
                },
                format!(
                    "sniffed: {} of {} sampled values read as numbers",
                    c.numeric, c.filled
                ),
            )
        } else if bands.len() >= 2
            && open_or_range
            && others.len() <= 2
            && other_rows * 2 < values.len()
        {
            let mids = midpoints(&bands).unwrap_or_default();
            let shown: Vec<String> = bands
                .iter()
                .zip(&mids)
                .take(4)
                .map(|(b, m)| format!("{b:?} = {m}"))
                .collect();
            (
                Attribute {
                    column: Some(name.clone()),
                    kind: AttributeKind::Ordinal,
                    levels: Vec::new(),
                    missing: others.iter().map(|o| o.to_string()).collect(),
                },
                format!(
                    "sniffed: {} distinct values read as bands, each its midpoint ({}){}",
                    bands.len(),
                    shown.join(", "),
                    if others.is_empty() {
                        String::new()
                    } else {
                        format!("; {} not a band, taken as not known", quoted(&others))
                    }
                ),
            )
        } else if let Some((levels, unknown)) = tiers(&distinct).filter(|(_, unknown)| {
            values.iter().filter(|v| unknown.contains(v)).count() * 2 < values.len()
        }) {
            let evidence = format!(
                "sniffed: {} distinct values are membership tiers, read in this order: {}{}",
                levels.len(),
                levels.join(" < "),
                if unknown.is_empty() {
                    String::new()
                } else {
                    format!("; {} not a tier, taken as not known", quoted(&unknown))
                }
            );
            (
                Attribute {
                    column: Some(name.clone()),
                    kind: AttributeKind::Ordinal,
                    levels: levels.iter().map(|l| l.to_string()).collect(),
                    missing: unknown.iter().map(|o| o.to_string()).collect(),
                },
                evidence,
            )
        } else if distinct.len() <= 20 && distinct.len() < values.len() {
            (
                Attribute {
                    column: Some(name.clone()),
                    kind: AttributeKind::Categorical,
                    levels: Vec::new(),
                    missing: Vec::new(),
                },
                format!(
                    "sniffed: {} distinct values in {} sampled ({}); if they have an order, make it ordinal with levels = [...] lowest first",
                    distinct.len(),
                    values.len(),
                    quoted(&distinct)
                ),
            )
        } else {
            continue;
        };
        let mut key = crate::catalog::slug(&name);
        if out.contains_key(&key) {
            key = (2..)
                .map(|n| format!("{key}_{n}"))
                .find(|k| !out.contains_key(k))
                .unwrap_or(key);
        }
        t.evidence.push((format!("attributes.{key}"), evidence));
        used.push(name);
        out.insert(key, attr);
    }
    if !out.is_empty() {
        t.unmapped.retain(|u| !used.contains(u));
        t.notes.push(format!(
            "{} unmapped columns proposed as [customers.attributes] ({}): check each kind, and the levels' order of ordinal ones",
            out.len(),
            out.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    out
}

/// Loyalty tiers by rank, in English, Norwegian, Swedish, Danish, German and Dutch.
const TIERS: &[&[&str]] = &[
    &["bronze", "bronse", "brons"],
    &["silver", "sølv", "silber", "zilver"],
    &["gold", "gull", "guld", "goud"],
    &["platinum", "platina", "platin"],
    &["diamond", "diamant"],
];

/// When at least two of the distinct values are loyalty tiers (Bronze, Sølv, Guld, ...) and
/// at most two are not (e.g. "Unknown"): the tiers lowest first, and the others.
fn tiers<'a>(distinct: &[&'a str]) -> Option<(Vec<&'a str>, Vec<&'a str>)> {
    let rank = |v: &str| {
        let v = v.trim().to_lowercase();
        TIERS.iter().position(|words| words.contains(&v.as_str()))
    };
    let mut ranked: Vec<(usize, &str)> = distinct
        .iter()
        .filter_map(|v| rank(v).map(|r| (r, *v)))
        .collect();
    let others: Vec<&str> = distinct
        .iter()
        .copied()
        .filter(|v| rank(v).is_none())
        .collect();
    ranked.sort();
    ranked.dedup_by_key(|(r, _)| *r);
    (ranked.len() >= 2 && ranked.len() + others.len() == distinct.len() && others.len() <= 2)
        .then(|| (ranked.into_iter().map(|(_, v)| v).collect(), others))
}

/// The file keys of a table, with the path made relative to the mapping's folder.
fn file_options(s: &Sniffed, dir: &Path) -> FileOptions {
    let path = relative_to(&s.path, dir);
    let mut f = FileOptions {
        path,
        format: None,
        delimiter: match s.format {
            Format::Csv => s.delimiter.to_string(),
            _ => ",".into(),
        },
        decimal: s.decimal.to_string(),
        thousands: s.thousands.map(|c| c.to_string()),
        date_formats: if s.date_formats.is_empty() {
            default_date_formats()
        } else {
            s.date_formats.clone()
        },
        sheet: None,
    };
    if f.format() != s.format {
        f.format = Some(s.format);
    }
    f
}

/// Lexically relative path from `base` to `path`; `path` itself (made absolute) when the two
/// share no more than the root.
fn relative_to(path: &Path, base: &Path) -> PathBuf {
    fn absolute(p: &Path) -> Option<PathBuf> {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(p)
        };
        let mut out = PathBuf::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        Some(out)
    }
    let (Some(p), Some(b)) = (absolute(path), absolute(base)) else {
        return path.to_path_buf();
    };
    let (pc, bc): (Vec<_>, Vec<_>) = (p.components().collect(), b.components().collect());
    let roots = pc
        .iter()
        .take_while(|c| matches!(c, Component::Prefix(_) | Component::RootDir))
        .count();
    let common = pc.iter().zip(&bc).take_while(|(a, b)| a == b).count();
    if common <= roots {
        return p;
    }
    let mut out: PathBuf = (common..bc.len()).map(|_| Component::ParentDir).collect();
    out.extend(&pc[common..]);
    out
}

#[cfg(test)]
mod tests;
