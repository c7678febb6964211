//! Guessing: which column is which field (from header words *and* values), which file is which
//! table, and the evidence for each guess.

use std::cmp::Reverse;
use std::collections::HashSet;

use super::sniff::{ColumnFacts, Sniffed};
use super::words::{norm, says, stems::*, ID};

/// The tables `init` can assign a file to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// `[transactions]`: order lines.
    Transactions,
    /// `[returns]`: a separate returns table.
    Returns,
    /// `[events]`: browsing events.
    Events,
    /// `[survey]`: survey answers.
    Survey,
    /// `[customers]`: customer profiles.
    Customers,
    /// `[products]`: the product catalogue (category, brand, cost per product id).
    Products,
}

impl Role {
    /// Every table, in mapping order.
    pub const ALL: [Role; 6] = [
        Role::Transactions,
        Role::Returns,
        Role::Events,
        Role::Survey,
        Role::Customers,
        Role::Products,
    ];

    /// The table's section name in the mapping file.
    pub fn section(self) -> &'static str {
        match self {
            Role::Transactions => "transactions",
            Role::Returns => "returns",
            Role::Events => "events",
            Role::Survey => "survey",
            Role::Customers => "customers",
            Role::Products => "products",
        }
    }

    /// The fields of the table, in mapping order.
    pub(crate) fn specs(self) -> &'static [Spec] {
        match self {
            Role::Transactions => TX,
            Role::Returns => RET,
            Role::Events => EV,
            Role::Survey => SV,
            Role::Customers => CU,
            Role::Products => PR,
        }
    }

    fn file_words(self) -> &'static [&'static str] {
        match self {
            Role::Transactions => TX_FILES,
            Role::Returns => RETURN,
            Role::Events => EV_FILES,
            Role::Survey => SV_FILES,
            Role::Customers => CU_FILES,
            Role::Products => PR_FILES,
        }
    }
}

/// What a field holds, which decides the values it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An identifier.
    Id,
    /// A date or timestamp.
    Date,
    /// A count (whole numbers).
    Count,
    /// Money.
    Money,
    /// A percentage.
    Percent,
    /// Text (a level of a category).
    Text,
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A year of birth.
    Year,
    /// An age in years.
    Age,
    /// A duration.
    Seconds,
    /// A postcode (digits or text).
    Code,
}

/// One field of a table.
pub(crate) struct Spec {
    /// The mapping key.
    pub key: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether the table needs it.
    pub required: bool,
    /// How strongly a column's tokens name it (0: not at all).
    pub name: fn(&ColumnFacts) -> i32,
    /// In words, for TODO lines.
    pub what: &'static str,
}

fn t(c: &ColumnFacts) -> &[String] {
    &c.tokens
}
fn idish(c: &ColumnFacts) -> bool {
    says(t(c), ID)
}
/// Words that make a column no identifier.
fn not_id(c: &ColumnFacts) -> bool {
    says(t(c), DATE)
        || says(t(c), PRICE)
        || says(t(c), AMOUNT)
        || says(t(c), QUANTITY)
        || says(t(c), CATEGORY)
        || says(t(c), BRAND)
        || says(t(c), COST)
        || says(t(c), DISCOUNT)
        || says(t(c), EMAIL)
}
fn w(b: bool, n: i32) -> i32 {
    if b {
        n
    } else {
        0
    }
}

fn n_customer(c: &ColumnFacts) -> i32 {
    let n = norm(&c.name);
    if [
        "userpseudoid",
        "visitorid",
        "clientid",
        "anonymousid",
        "deviceid",
        "cookieid",
    ]
    .contains(&n.as_str())
    {
        return 4;
    }
    if not_id(c) || says(t(c), SESSION) || says(t(c), ORDER) && !says(t(c), CUSTOMER) {
        return 0;
    }
    w(says(t(c), CUSTOMER), 6 + w(idish(c), 2))
}

/// Whether a column's name says it holds the customer id.
pub(crate) fn names_customer(c: &ColumnFacts) -> bool {
    n_customer(c) > 0
}

fn n_order(c: &ColumnFacts) -> i32 {
    if not_id(c) || says(t(c), CUSTOMER) || says(t(c), PRODUCT) || says(t(c), RETURN) {
        return 0;
    }
    w(says(t(c), ORDER), 6 + w(idish(c), 2))
}
fn n_tx_time(c: &ColumnFacts) -> i32 {
    if says(t(c), RETURN)
        || says(t(c), SIGNUP) && !says(t(c), ORDER) && norm(&c.name) != "createdat"
    {
        return w(says(t(c), DATE), 2);
    }
    w(
        says(t(c), DATE),
        5 + w(says(t(c), ORDER), 2) + w(norm(&c.name) == "createdat", 2),
    )
}
fn n_time(c: &ColumnFacts) -> i32 {
    w(says(t(c), DATE), 5)
}
fn n_ret_time(c: &ColumnFacts) -> i32 {
    w(says(t(c), DATE), 5 + w(says(t(c), RETURN), 2))
}
fn n_quantity(c: &ColumnFacts) -> i32 {
    if says(t(c), RETURN) || says(t(c), PRICE) || says(t(c), AMOUNT) && !says(t(c), QUANTITY) {
        return 0;
    }
    w(says(t(c), QUANTITY), 6)
}
fn n_ret_quantity(c: &ColumnFacts) -> i32 {
    if says(t(c), PRICE) || says(t(c), AMOUNT) {
        return 0;
    }
    w(says(t(c), QUANTITY), 6 + w(says(t(c), RETURN), 2))
}
fn n_price(c: &ColumnFacts) -> i32 {
    if says(t(c), COST) || says(t(c), RETURN) || says(t(c), DISCOUNT) {
        return 0;
    }
    let total = t(c)
        .iter()
        .any(|x| x == "total" || x.starts_with("totalpri"));
    if total || norm(&c.name).contains("compareat") {
        return w(says(t(c), PRICE), 2);
    }
    w(says(t(c), PRICE), 6 + w(says(t(c), UNIT), 2))
}
fn n_total(c: &ColumnFacts) -> i32 {
    if says(t(c), RETURN)
        || says(t(c), DISCOUNT)
        || says(t(c), COST)
        || says(t(c), HANDLING)
        || says(t(c), QUANTITY)
        || t(c).iter().any(|x| x.starts_with("tax") || x == "subtotal")
    {
        return 0;
    }
    let total_price = says(t(c), PRICE) && t(c).iter().any(|x| x.starts_with("total"));
    w(says(t(c), AMOUNT) && !says(t(c), UNIT), 5) + w(total_price, 6)
}
fn n_product(c: &ColumnFacts) -> i32 {
    if not_id(c) || says(t(c), CUSTOMER) || says(t(c), ORDER) {
        return 0;
    }
    let n = norm(&c.name);
    if [
        "sku",
        "stockcode",
        "ean",
        "gtin",
        "upc",
        "lineitemsku",
        "variantsku",
    ]
    .contains(&n.as_str())
    {
        return 8;
    }
    if t(c).iter().any(|x| {
        [
            "name",
            "description",
            "desc",
            "title",
            "navn",
            "namn",
            "beskrivelse",
        ]
        .contains(&x.as_str())
    }) {
        return 0;
    }
    w(says(t(c), PRODUCT), 4 + w(idish(c), 3))
}
fn n_category(c: &ColumnFacts) -> i32 {
    if says(t(c), EVENT) || says(t(c), SUBCATEGORY) || idish(c) && !says(t(c), CATEGORY) {
        return 0;
    }
    let sub = t(c).iter().any(|x| x == "sub");
    w(says(t(c), CATEGORY) && !sub, 6)
}
fn n_brand(c: &ColumnFacts) -> i32 {
    w(says(t(c), BRAND), 6)
}
fn n_cost(c: &ColumnFacts) -> i32 {
    if says(t(c), HANDLING) || says(t(c), RETURN) {
        return 0;
    }
    w(says(t(c), COST), 6 + w(says(t(c), UNIT), 1))
}
fn n_margin(c: &ColumnFacts) -> i32 {
    w(says(t(c), MARGIN), 6)
}
/// A header that gives a percentage (`Rabatt %`, `discount_pct`, `Rabattsats`).
fn in_percent(c: &ColumnFacts) -> bool {
    c.name.contains('%') || says(t(c), PERCENT)
}
fn n_discount(c: &ColumnFacts) -> i32 {
    if t(c)
        .iter()
        .any(|x| x == "code" || x == "name" || x == "kode")
        || in_percent(c)
    {
        return 0;
    }
    w(
        says(t(c), DISCOUNT),
        6 + w(t(c).iter().any(|x| x == "lineitem"), 2),
    )
}
fn n_discount_pct(c: &ColumnFacts) -> i32 {
    w(says(t(c), DISCOUNT) && in_percent(c), 7)
}
fn n_channel(c: &ColumnFacts) -> i32 {
    w(says(t(c), CHANNEL), 5)
}
fn n_ref_qty(c: &ColumnFacts) -> i32 {
    w(says(t(c), RETURN) && says(t(c), QUANTITY), 8)
}
fn n_ref_amt(c: &ColumnFacts) -> i32 {
    if says(t(c), QUANTITY) || says(t(c), HANDLING) || says(t(c), DATE) {
        return 0;
    }
    w(says(t(c), RETURN), 6 + w(says(t(c), AMOUNT), 1))
}
fn n_refund(c: &ColumnFacts) -> i32 {
    if says(t(c), QUANTITY) || says(t(c), HANDLING) || says(t(c), DATE) || says(t(c), ORDER) {
        return 0;
    }
    w(says(t(c), RETURN) || says(t(c), AMOUNT), 5)
}
fn n_handling(c: &ColumnFacts) -> i32 {
    w(
        says(t(c), HANDLING) || says(t(c), COST) && says(t(c), RETURN),
        6,
    )
}
fn n_session(c: &ColumnFacts) -> i32 {
    if t(c).iter().any(|x| x.starts_with("visitor")) {
        return 0;
    }
    w(says(t(c), SESSION), 7)
}
fn n_event_type(c: &ColumnFacts) -> i32 {
    if says(t(c), DATE) || idish(c) {
        return 0;
    }
    let kind = says(t(c), KIND);
    let bare = t(c).iter().any(|x| x == "type" || x == "action");
    w(says(t(c), EVENT), 4 + w(kind, 4)) + w(!says(t(c), EVENT) && bare && !says(t(c), CATEGORY), 2)
}
fn n_ev_category(c: &ColumnFacts) -> i32 {
    if idish(c) {
        return 0;
    }
    w(says(t(c), CATEGORY) && !says(t(c), EVENT), 6)
}
fn n_dwell(c: &ColumnFacts) -> i32 {
    w(says(t(c), DWELL) || norm(&c.name).contains("timeonpage"), 6)
}
fn n_question(c: &ColumnFacts) -> i32 {
    w(says(t(c), QUESTION), 6)
}
fn n_answer(c: &ColumnFacts) -> i32 {
    w(says(t(c), ANSWER) || norm(&c.name) == "value", 5)
}
fn n_birth(c: &ColumnFacts) -> i32 {
    w(says(t(c), BIRTH), 6)
}
fn n_age(c: &ColumnFacts) -> i32 {
    w(says(t(c), AGE) && !says(t(c), BIRTH), 6)
}
fn n_gender(c: &ColumnFacts) -> i32 {
    w(says(t(c), GENDER), 6)
}
fn n_country(c: &ColumnFacts) -> i32 {
    w(says(t(c), COUNTRY) && !says(t(c), REGION), 6)
}
fn n_region(c: &ColumnFacts) -> i32 {
    if says(t(c), POSTCODE) {
        return 0;
    }
    w(says(t(c), REGION), 5)
}
fn n_postcode(c: &ColumnFacts) -> i32 {
    w(says(t(c), POSTCODE), 6)
}
fn n_signup(c: &ColumnFacts) -> i32 {
    if says(t(c), ORDER) || says(t(c), BIRTH) {
        return 0;
    }
    w(says(t(c), SIGNUP), 5 + w(says(t(c), DATE), 1))
}
fn n_email(c: &ColumnFacts) -> i32 {
    w(says(t(c), EMAIL), 6)
}
fn n_phone(c: &ColumnFacts) -> i32 {
    w(says(t(c), PHONE), 6)
}
fn n_first(c: &ColumnFacts) -> i32 {
    let n = norm(&c.name);
    w(FIRST.iter().any(|f| n.contains(f)), 6)
}
fn n_last(c: &ColumnFacts) -> i32 {
    let n = norm(&c.name);
    w(LAST.iter().any(|f| n.contains(f)), 6)
}
fn n_sub(c: &ColumnFacts) -> i32 {
    w(
        says(t(c), SUBCATEGORY) || t(c).iter().any(|x| x == "sub"),
        6,
    ) + w(
        says(t(c), CATEGORY)
            && t(c)
                .iter()
                .any(|x| x.starts_with("depart") || x.starts_with("avdel")),
        1,
    )
}

macro_rules! spec {
    ($key:literal, $kind:ident, $req:literal, $name:ident, $what:literal) => {
        Spec {
            key: $key,
            kind: Kind::$kind,
            required: $req,
            name: $name,
            what: $what,
        }
    };
}

#[rustfmt::skip]
static TX: &[Spec] = &[
    spec!("customer_id", Id, true, n_customer, "the customer id (customer, kunde, kund, klant, household, member...)"),
    spec!("order_id", Id, false, n_order, "the order id"),
    spec!("timestamp", Date, true, n_tx_time, "the order date or time"),
    spec!("quantity", Count, true, n_quantity, "the quantity (quantity, qty, units, antall, antal, menge, aantal...)"),
    spec!("unit_price", Money, false, n_price, "the unit price"),
    spec!("line_total", Money, false, n_total, "the line amount"),
    spec!("product_id", Id, false, n_product, "the product id"),
    spec!("category", Text, false, n_category, "the category"),
    spec!("brand", Text, false, n_brand, "the brand"),
    spec!("unit_cost", Money, false, n_cost, "the unit cost"),
    spec!("margin_pct", Percent, false, n_margin, "the margin in percent"),
    spec!("discount", Money, false, n_discount, "the discount amount"),
    spec!("discount_pct", Percent, false, n_discount_pct, "the discount in percent"),
    spec!("channel", Text, false, n_channel, "the sales channel"),
    spec!("refunded_quantity", Count, false, n_ref_qty, "the refunded quantity"),
    spec!("refunded_amount", Money, false, n_ref_amt, "the refunded amount"),
];
#[rustfmt::skip]
static RET: &[Spec] = &[
    spec!("order_id", Id, true, n_order, "the order id of the returned purchase"),
    spec!("product_id", Id, false, n_product, "the product id"),
    spec!("quantity", Count, true, n_ret_quantity, "the returned quantity"),
    spec!("refund", Money, false, n_refund, "the refunded amount"),
    spec!("handling_cost", Money, false, n_handling, "the handling cost"),
    spec!("timestamp", Date, false, n_ret_time, "the return date"),
];
#[rustfmt::skip]
static EV: &[Spec] = &[
    spec!("customer_id", Id, true, n_customer, "the customer (or visitor) id"),
    spec!("session_id", Id, true, n_session, "the session id"),
    spec!("timestamp", Date, true, n_time, "the event time"),
    spec!("event_type", Text, true, n_event_type, "the event name or type"),
    spec!("category", Text, false, n_ev_category, "the viewed category"),
    spec!("dwell_seconds", Seconds, false, n_dwell, "the seconds on the page"),
];
#[rustfmt::skip]
static SV: &[Spec] = &[
    spec!("customer_id", Id, true, n_customer, "the customer id"),
    spec!("question", Text, false, n_question, "the question"),
    spec!("answer", Count, false, n_answer, "the answer"),
];
#[rustfmt::skip]
static CU: &[Spec] = &[
    spec!("customer_id", Id, true, n_customer, "the customer id"),
    spec!("birth_year", Year, false, n_birth, "the year of birth"),
    spec!("age", Age, false, n_age, "the age"),
    spec!("gender", Text, false, n_gender, "the gender"),
    spec!("country", Text, false, n_country, "the country"),
    spec!("region", Text, false, n_region, "the region"),
    spec!("postcode", Code, false, n_postcode, "the postcode"),
    spec!("signup_date", Date, false, n_signup, "the sign-up date"),
    spec!("email", Email, false, n_email, "the e-mail address"),
    spec!("phone", Phone, false, n_phone, "the phone number"),
    spec!("first_name", Text, false, n_first, "the first name"),
    spec!("last_name", Text, false, n_last, "the last name"),
];
#[rustfmt::skip]
static PR: &[Spec] = &[
    spec!("product_id", Id, true, n_product, "the product id"),
    spec!("category", Text, false, n_category, "the category"),
    spec!("subcategory", Text, false, n_sub, "the sub-category or department"),
    spec!("brand", Text, false, n_brand, "the brand"),
    spec!("unit_cost", Money, false, n_cost, "the unit cost"),
    spec!("margin_pct", Percent, false, n_margin, "the margin in percent"),
];

/// What the values of a column say about a field: `None` rules it out, else a bonus and the
/// evidence in words.
fn value_fit(kind: Kind, c: &ColumnFacts) -> Option<(i32, String)> {
    let pct = |n: usize| format!("{:.0}%", 100.0 * c.share(n));
    let of = format!("of {} sampled values", c.filled);
    if c.filled == 0 {
        return Some((0, "no value in the sampled rows".into()));
    }
    match kind {
        Kind::Date => {
            let d = c.date.as_ref()?;
            if d.typed {
                return Some((5, "a Parquet date column".into()));
            }
            let mut s = format!(
                "{} {of} parse as {}",
                pct((d.first_share * c.filled as f64).round() as usize),
                d.formats[0]
            );
            if d.formats.len() > 1 {
                s.push_str(&format!(
                    ", {} with {}",
                    pct(d.read),
                    d.formats[1..].join(" or ")
                ));
            }
            Some((5, s))
        }
        _ if c.is_date() => None,
        Kind::Id => {
            if !c.id_like() {
                return None;
            }
            let how = if c.unique() {
                "every value distinct".to_string()
            } else {
                format!("{} distinct {of}", c.distinct)
            };
            Some((1, how))
        }
        Kind::Count => {
            if c.is_count() {
                let (lo, hi) = c.int_range.unwrap_or((0, 0));
                Some((3, format!("whole numbers {lo} to {hi}")))
            } else if c.is_numeric() {
                Some((0, format!("numbers, {} with decimals", pct(c.fractional))))
            } else {
                None
            }
        }
        Kind::Money | Kind::Seconds => {
            if !c.is_numeric() {
                return None;
            }
            if c.fractional > 0 {
                Some((3, format!("numbers, {} with decimals", pct(c.fractional))))
            } else {
                Some((1, "whole numbers".into()))
            }
        }
        Kind::Percent => {
            let ok = c.is_numeric();
            ok.then(|| (1, "numbers".into()))
        }
        Kind::Text => {
            if c.email > 0 {
                return None;
            }
            if c.is_numeric() {
                Some((-1, format!("numbers, {} distinct", c.distinct)))
            } else {
                Some((1, format!("text, {} distinct {of}", c.distinct)))
            }
        }
        Kind::Email => (c.share(c.email) >= 0.8)
            .then(|| (6, format!("{} {of} are e-mail addresses", pct(c.email)))),
        Kind::Phone => (c.share(c.phone) >= 0.8)
            .then(|| (3, format!("{} {of} look like phone numbers", pct(c.phone)))),
        Kind::Year => {
            let (lo, hi) = c.int_range?;
            (lo >= 1900 && hi <= 2030).then(|| (3, format!("years {lo} to {hi}")))
        }
        Kind::Age => {
            let (lo, hi) = c.int_range?;
            (lo >= 0 && hi <= 120).then(|| (2, format!("whole numbers {lo} to {hi}")))
        }
        Kind::Code => Some((0, format!("{} distinct", c.distinct))),
    }
}

/// One field's column and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// The mapping key.
    pub key: &'static str,
    /// Column index in the file.
    pub column: usize,
    /// The evidence, in words ("name says date; sniffed: 100% of 50 values parse as ...").
    pub evidence: String,
    /// Chosen by values alone (no header word): check it.
    pub by_values: bool,
}

/// How well one file fits one table.
#[derive(Debug, Clone)]
pub(crate) struct Matched {
    pub role: Role,
    pub score: i32,
    pub core: bool,
    pub named: bool,
    pub picks: Vec<Pick>,
    /// Wide survey items and their scale range.
    pub items: Vec<usize>,
    /// Shopify order-level columns kept out of the line fields.
    pub reserved: Vec<usize>,
}

impl Matched {
    pub fn col(&self, key: &str) -> Option<usize> {
        self.picks.iter().find(|p| p.key == key).map(|p| p.column)
    }
    pub fn has(&self, key: &str) -> bool {
        self.col(key).is_some()
    }
}

/// Share of the distinct values of `s`'s column `i` found in some id column of another file,
/// with that file and column.
pub(crate) fn best_join(files: &[Sniffed], me: usize, i: usize) -> Option<(f64, usize, usize)> {
    let mine = files[me].distinct(i);
    if mine.len() < 3 {
        return None;
    }
    let mut best: Option<(f64, usize, usize)> = None;
    for (fi, f) in files.iter().enumerate() {
        if fi == me {
            continue;
        }
        for (ci, c) in f.columns.iter().enumerate() {
            if !c.id_like() || c.distinct < 3 {
                continue;
            }
            let theirs = f.distinct(ci);
            let shared = mine.iter().filter(|v| theirs.contains(*v)).count();
            let share = shared as f64 / mine.len() as f64;
            if share >= 0.2 && best.is_none_or(|b| share > b.0) {
                best = Some((share, fi, ci));
            }
        }
    }
    best
}

/// Matches one file's columns to one table's fields.
pub(crate) fn match_role(role: Role, files: &[Sniffed], fi: usize) -> Matched {
    let s = &files[fi];
    let cols = &s.columns;
    let mut used = vec![false; cols.len()];
    let mut picks: Vec<Pick> = Vec::new();
    let mut reserved = Vec::new();
    let norms: Vec<String> = cols.iter().map(|c| norm(&c.name)).collect();
    // Shopify: order-level amounts (on an order's first line only) are no line amounts; the
    // order's name ("#1001") is its id.
    if matches!(role, Role::Transactions) && norms.iter().any(|n| n == "lineitemquantity") {
        for (i, n) in norms.iter().enumerate() {
            if ["total", "subtotal", "discountamount", "shipping", "taxes"].contains(&n.as_str()) {
                used[i] = true;
                reserved.push(i);
            }
        }
        if let Some(i) = norms.iter().position(|n| n == "name") {
            used[i] = true;
            picks.push(Pick {
                key: "order_id",
                column: i,
                evidence: "Shopify's order name".into(),
                by_values: false,
            });
        }
    }
    // Every (field, column) pair with its score, best first; each column serves one field.
    let mut pairs: Vec<(i32, usize, usize, String)> = Vec::new();
    for (si, sp) in role.specs().iter().enumerate() {
        for (ci, c) in cols.iter().enumerate() {
            let name = (sp.name)(c);
            if name <= 0 {
                continue;
            }
            let Some((bonus, why)) = value_fit(sp.kind, c) else {
                continue;
            };
            let mut score = name + bonus;
            let mut evidence = format!("name {:?}; sniffed: {why}", c.name);
            if sp.key == "customer_id" {
                if let Some((share, of, oc)) = best_join(files, fi, ci) {
                    score += 3;
                    evidence.push_str(&format!(
                        "; {:.0}% of its ids also in {} ({:?})",
                        100.0 * share,
                        files[of].path.display(),
                        files[of].columns[oc].name
                    ));
                }
            }
            pairs.push((score, si, ci, evidence));
        }
    }
    pairs.sort_by_key(|(score, si, ci, _)| (Reverse(*score), *si, *ci));
    for (_, si, ci, evidence) in pairs {
        let key = role.specs()[si].key;
        if used[ci] || picks.iter().any(|p| p.key == key) {
            continue;
        }
        used[ci] = true;
        picks.push(Pick {
            key,
            column: ci,
            evidence,
            by_values: false,
        });
    }
    let mut m = Matched {
        role,
        score: 0,
        core: false,
        named: name_says(role, s),
        picks,
        items: Vec::new(),
        reserved,
    };
    by_values(&mut m, files, fi, &mut used);
    let mc = m.clone();
    let has = |k: &str| mc.has(k);
    let tx_like = cols.iter().any(|c| n_quantity(c) > 0 || n_price(c) > 0);
    let returnish = m.named
        || cols.iter().any(|c| says(&c.tokens, RETURN)) && !cols.iter().any(|c| n_price(c) > 0);
    let id_unique = |k: &str| mc.col(k).is_some_and(|i| cols[i].unique());
    let picks = mc.picks.len();
    let items = mc.items.len();
    m.core = match role {
        Role::Transactions => {
            (has("unit_price") || has("line_total"))
                && has("timestamp")
                && (has("quantity") || has("customer_id"))
        }
        Role::Returns => has("order_id") && (has("quantity") || has("refund")) && returnish,
        Role::Events => {
            has("event_type")
                && has("customer_id")
                && (has("session_id") || has("timestamp") || mc.named)
        }
        Role::Survey => has("customer_id") && (items >= 3 || has("question") && has("answer")),
        Role::Customers => {
            has("customer_id") && !tx_like && (picks >= 2 || mc.named && id_unique("customer_id"))
        }
        Role::Products => {
            has("product_id")
                && id_unique("product_id")
                && picks >= 2
                && !cols.iter().any(|c| n_customer(c) > 0 || n_quantity(c) > 0)
        }
    };
    let field_score: i32 = m
        .picks
        .iter()
        .map(|p| {
            let sp = role.specs().iter().find(|s| s.key == p.key);
            let base = if p.by_values { 3 } else { 6 };
            base + sp.map_or(0, |s| if s.required { 3 } else { 0 })
        })
        .sum();
    m.score = field_score
        + m.items.len().min(8) as i32
        + w(m.named, 4)
        + w(
            matches!(role, Role::Customers) && id_unique("customer_id"),
            3,
        );
    if role == Role::Returns && has("customer_id") {
        m.score -= 3;
    }
    m
}

fn name_says(role: Role, s: &Sniffed) -> bool {
    let stem = norm(&s.path.file_stem().unwrap_or_default().to_string_lossy());
    role.file_words().iter().any(|w| stem.contains(&norm(w)))
}

/// Fills fields no header word named from the values alone: dates, counts, money, e-mails,
/// phones, ids that join other files, event names, Likert answers.
fn by_values(m: &mut Matched, files: &[Sniffed], fi: usize, used: &mut [bool]) {
    let s = &files[fi];
    let cols = &s.columns;
    let free = |used: &[bool]| (0..cols.len()).filter(|&i| !used[i]).collect::<Vec<_>>();
    let add = |m: &mut Matched, used: &mut [bool], key: &'static str, i: usize, why: String| {
        used[i] = true;
        m.picks.push(Pick {
            key,
            column: i,
            evidence: format!("no header word; sniffed: {why}"),
            by_values: true,
        });
    };
    let role = m.role;
    let wants = |m: &Matched, k: &str| role.specs().iter().any(|s| s.key == k) && !m.has(k);
    // E-mail and phone by content.
    for (key, kind) in [("email", Kind::Email), ("phone", Kind::Phone)] {
        if wants(m, key) {
            if let Some((i, why)) = free(used)
                .into_iter()
                .find_map(|i| value_fit(kind, &cols[i]).map(|(_, why)| (i, why)))
            {
                add(m, used, key, i, why);
            }
        }
    }
    // The time of an order line or event: the free date column read best.
    if wants(m, "timestamp") && matches!(role, Role::Transactions | Role::Events) {
        let best = free(used)
            .into_iter()
            .filter(|&i| cols[i].is_date())
            .max_by_key(|&i| (cols[i].date.as_ref().map_or(0, |d| d.read), Reverse(i)));
        if let Some(i) = best {
            let why = value_fit(Kind::Date, &cols[i])
                .map(|x| x.1)
                .unwrap_or_default();
            add(m, used, "timestamp", i, why);
        }
    }
    // The customer id: an id column that joins another file, or the customers' e-mail.
    if wants(m, "customer_id") {
        let joined = free(used)
            .into_iter()
            .filter(|&i| cols[i].id_like() && !not_id(&cols[i]))
            .filter_map(|i| best_join(files, fi, i).map(|j| (i, j)))
            .max_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then(b.0.cmp(&a.0)));
        if let Some((i, (share, of, oc))) = joined {
            add(
                m,
                used,
                "customer_id",
                i,
                format!(
                    "{:.0}% of its ids also in {} ({:?})",
                    100.0 * share,
                    files[of].path.display(),
                    files[of].columns[oc].name
                ),
            );
        } else if let Some(i) = m.col("email").or_else(|| {
            free(used)
                .into_iter()
                .find(|&i| value_fit(Kind::Email, &cols[i]).is_some())
        }) {
            m.picks.retain(|p| p.key != "email");
            used[i] = false;
            add(
                m,
                used,
                "customer_id",
                i,
                format!(
                    "no customer id column; {:?} holds e-mail addresses, which then identify the customer (the other tables must use them too; they are pseudonymised at ingest)",
                    cols[i].name
                ),
            );
        }
    }
    if role == Role::Transactions {
        if wants(m, "quantity") {
            // Small whole numbers that repeat: a count, not an id.
            let best = free(used)
                .into_iter()
                .filter(|&i| {
                    let c = &cols[i];
                    c.is_count()
                        && !not_id(c)
                        && !idish(c)
                        && c.int_range
                            .is_some_and(|(lo, hi)| lo >= -1000 && hi <= 1000 && hi > 0)
                        && (c.distinct < c.filled || c.distinct <= 10)
                })
                .min_by_key(|&i| (cols[i].int_range.map_or(0, |r| r.1), i));
            if let Some(i) = best {
                let (lo, hi) = cols[i].int_range.unwrap_or((0, 0));
                add(
                    m,
                    used,
                    "quantity",
                    i,
                    format!("small whole numbers {lo} to {hi} that repeat, as quantities do"),
                );
            }
        }
        if !m.has("unit_price") && !m.has("line_total") {
            let best = free(used)
                .into_iter()
                .find(|&i| cols[i].is_money() && !not_id_words_money(&cols[i]));
            if let Some(i) = best {
                add(m, used, "line_total", i, "numbers with decimals, as money is; taken as the line amount — if it is the price of one unit, rename the key to unit_price".into());
            }
        }
    }
    if role == Role::Events && wants(m, "event_type") {
        let known = [
            "view",
            "page_view",
            "view_item",
            "add_to_cart",
            "purchase",
            "search",
            "cart",
            "session_start",
            "scroll",
            "click",
        ];
        let best = free(used).into_iter().find(|&i| {
            let vals = s.values(i);
            !cols[i].is_numeric()
                && cols[i].distinct <= 50
                && vals
                    .iter()
                    .any(|v| known.contains(&v.to_lowercase().as_str()))
        });
        if let Some(i) = best {
            add(
                m,
                used,
                "event_type",
                i,
                "holds event names such as view, add_to_cart, purchase".into(),
            );
        }
    }
    if role == Role::Survey && !(m.has("question") && m.has("answer")) {
        m.items = free(used)
            .into_iter()
            .filter(|&i| cols[i].likert().is_some() && !cols[i].is_date())
            .collect();
    }
}

fn not_id_words_money(c: &ColumnFacts) -> bool {
    says(&c.tokens, COST)
        || says(&c.tokens, DISCOUNT)
        || says(&c.tokens, RETURN)
        || says(&c.tokens, HANDLING)
}

/// One table and the file chosen for it.
#[derive(Debug, Clone)]
pub(crate) struct Chosen {
    pub file: usize,
    pub m: Matched,
}

/// Assigns each file at most one table and each table at most one file, best fits first; a
/// file that fits nothing well is still taken for the order lines when no file fits them.
pub(crate) fn assign(files: &[Sniffed], notes: &mut Vec<String>) -> Vec<Chosen> {
    let mut cands: Vec<(usize, Matched)> = Vec::new();
    for fi in 0..files.len() {
        for role in Role::ALL {
            cands.push((fi, match_role(role, files, fi)));
        }
    }
    cands.sort_by_key(|(fi, m)| (Reverse(m.core), Reverse(m.score), *fi, m.role));
    let mut chosen: Vec<Chosen> = Vec::new();
    let mut file_used = vec![false; files.len()];
    for (fi, m) in &cands {
        if !m.core || file_used[*fi] {
            continue;
        }
        if let Some(other) = chosen.iter().find(|c| c.m.role == m.role) {
            notes.push(format!(
                "{} also looks like the [{}] table (score {}), but {} fits it better (score {}) and is used; segmint reads one file per table, so combine them if both belong",
                files[*fi].path.display(),
                m.role.section(),
                m.score,
                files[other.file].path.display(),
                other.m.score
            ));
            continue;
        }
        file_used[*fi] = true;
        chosen.push(Chosen {
            file: *fi,
            m: m.clone(),
        });
    }
    if !chosen.iter().any(|c| c.m.role == Role::Transactions) {
        let best = cands
            .iter()
            .filter(|(fi, m)| m.role == Role::Transactions && !file_used[*fi])
            .max_by_key(|(fi, m)| (m.score, Reverse(*fi)));
        if let Some((fi, m)) = best {
            file_used[*fi] = true;
            notes.push(format!(
                "no file clearly holds order lines; {} fits them best and was taken for [transactions]: check every column there",
                files[*fi].path.display()
            ));
            chosen.push(Chosen {
                file: *fi,
                m: m.clone(),
            });
        }
    }
    for (s, _) in files.iter().zip(&file_used).filter(|(_, u)| !**u) {
        notes.push(format!(
            "{} is not used: its columns fit no table well (columns: {})",
            s.path.display(),
            s.columns
                .iter()
                .map(|c| format!("{:?}", c.name))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    chosen.sort_by_key(|c| c.m.role);
    chosen
}

/// Distinct values of `a` (file, column) found in `b`, as a share.
pub(crate) fn coverage(files: &[Sniffed], a: (usize, usize), b: (usize, usize)) -> Option<f64> {
    let mine = files[a.0].distinct(a.1);
    if mine.is_empty() {
        return None;
    }
    let theirs: HashSet<&str> = files[b.0].distinct(b.1);
    Some(mine.iter().filter(|v| theirs.contains(*v)).count() as f64 / mine.len() as f64)
}
