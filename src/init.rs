//! `segmint init`: a first mapping file, guessed from the files' headers and first rows.
//!
//! [`sniff`] reads the start of one file (format, delimiter, decimal separator, date formats,
//! header and sample rows); [`guess`] decides which file is which table and which column is
//! which field; [`render`] writes the guess as a commented mapping file. Every guess is written
//! where the user can check it: the file lists the columns left unmapped and, as commented-out
//! keys, the optional fields no column was found for.

use std::cmp::Reverse;
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::config::{
    default_date_formats, CustomerColumns, CustomersTable, EventColumns, EventTypes, EventsTable,
    FeatureOptions, FileOptions, Format, Mapping, PrepareOptions, ReturnColumns, ReturnsTable,
    Scale, SurveyColumns, SurveyLayout, SurveyTable, TransactionColumns, TransactionsTable,
};
use crate::error::{Error, Result};

/// Most data rows [`sniff`] keeps as samples.
pub const MAX_SAMPLES: usize = 50;

/// What [`sniff`] learned from the start of one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sniffed {
    /// The file, as given.
    pub path: PathBuf,
    /// How the file is written.
    pub format: Format,
    /// Field delimiter (`' '` for whitespace-separated files, `,` for Parquet).
    pub delimiter: char,
    /// Decimal separator of numbers.
    pub decimal: char,
    /// Thousands separator seen in numbers, if any.
    pub thousands: Option<char>,
    /// chrono formats that read the samples of the date and time columns (empty: none found).
    pub date_formats: Vec<String>,
    /// The header.
    pub columns: Vec<String>,
    /// Up to [`MAX_SAMPLES`] data rows (none for Parquet).
    pub samples: Vec<Vec<String>>,
    /// What sniffing noticed that the user should check (ambiguous dates, mixed decimals).
    pub notes: Vec<String>,
}

/// The tables of a mapping.
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
}

impl Role {
    /// Every table, in mapping order.
    pub const ALL: [Role; 5] = [
        Role::Transactions,
        Role::Returns,
        Role::Events,
        Role::Survey,
        Role::Customers,
    ];

    /// The table's section name in the mapping file.
    pub fn section(self) -> &'static str {
        match self {
            Role::Transactions => "transactions",
            Role::Returns => "returns",
            Role::Events => "events",
            Role::Survey => "survey",
            Role::Customers => "customers",
        }
    }

    fn specs(self) -> &'static [Spec] {
        match self {
            Role::Transactions => TX_SPECS,
            Role::Returns => RET_SPECS,
            Role::Events => EV_SPECS,
            Role::Survey => SV_SPECS,
            Role::Customers => CU_SPECS,
        }
    }

    /// Words in file names that hint at the table (normalised).
    fn file_words(self) -> &'static [&'static str] {
        match self {
            Role::Transactions => TX_FILES,
            Role::Returns => RET_FILES,
            Role::Events => EV_FILES,
            Role::Survey => SV_FILES,
            Role::Customers => CU_FILES,
        }
    }
}

/// A guessed mapping, with what the guesses were based on.
#[derive(Debug, Clone, PartialEq)]
pub struct Guess {
    /// The mapping.
    pub mapping: Mapping,
    /// Notes on the file set as a whole: files claimed by two tables, files not used.
    pub notes: Vec<String>,
    /// One entry per table in the mapping.
    pub tables: Vec<TableGuess>,
}

impl Guess {
    /// Every note (general, per table and per field) as one line each, for printing.
    pub fn all_notes(&self) -> Vec<String> {
        let mut v = self.notes.clone();
        for t in &self.tables {
            let s = t.role.section();
            v.push(format!("[{s}] {}: {}", t.file.display(), t.reason));
            v.extend(t.field_notes.iter().map(|(k, n)| format!("[{s}] {k}: {n}")));
            v.extend(t.notes.iter().map(|n| format!("[{s}] {n}")));
        }
        v
    }
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
    /// Remarks on single fields, `(field, remark)`; [`render`] writes them next to the key.
    pub field_notes: Vec<(String, String)>,
    /// Remarks on the table.
    pub notes: Vec<String>,
    /// Columns of the file no field uses.
    pub unmapped: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// Synonyms, normalised: lowercase, letters and digits only ("Customer ID" -> "customerid").

use syn::*;

#[rustfmt::skip]
mod syn {
pub(super) const CUSTOMER: &[&str] = &[
    "customerid", "customer", "customerno", "customernumber", "customernr", "custid", "clientid",
    "userid", "memberid", "accountid", "kundeid", "kundenr", "kundenummer", "kundnr", "kundnummer",
    "kundid", "kunde", "kund", "medlemsnummer", "medlemsnr",
];
pub(super) const EMAIL: &[&str] = &[
    "email", "emailaddress", "customeremail", "epost", "epostadresse", "emailadresse", "mail",
    "mailadresse", "mejl",
];
pub(super) const ORDER: &[&str] = &[
    "orderid", "ordernumber", "orderno", "ordernr", "ordernum", "order", "invoice", "invoiceno",
    "invoiceid", "invoicenumber", "transactionid", "receiptid", "receiptno", "ordreid", "ordrenr",
    "ordrenummer", "ordre", "ordernummer", "bestillingsnr", "bestillingsnummer", "fakturanr",
    "fakturanummer", "originalorderid", "originalorder",
];
pub(super) const TX_TIME: &[&str] = &[
    "timestamp", "orderdate", "orderdatetime", "ordertime", "ordertimestamp", "createdat",
    "created", "invoicedate", "purchasedate", "purchasetime", "transactiondate", "transactiontime",
    "saledate", "orderedat", "placedat", "datetime", "date", "time", "tidspunkt", "tidpunkt",
    "dato", "datum", "ordredato", "orderdatum", "kjøpsdato", "köpdatum", "købsdato", "tid",
];
pub(super) const EV_TIME: &[&str] = &[
    "eventtime", "eventdatetime", "timestamp", "datetime", "time", "eventtimestamp", "createdat",
    "eventdate", "date", "tidspunkt", "tidpunkt", "dato", "datum", "tid",
];
pub(super) const RET_TIME: &[&str] = &[
    "returndate", "returnedat", "returntimestamp", "returntime", "refunddate", "refundedat",
    "timestamp", "createdat", "date", "datetime", "returdato", "returdatum", "tidspunkt", "dato",
    "datum",
];
pub(super) const QTY: &[&str] = &[
    "quantity", "qty", "lineitemquantity", "numberofcds", "quantityordered", "units", "unitssold",
    "numberofitems", "items", "antall", "antal", "mængde", "maengde", "mengde", "stk", "antalstk",
    "styck", "count",
];
pub(super) const RET_QTY: &[&str] = &[
    "returnedquantity", "returnquantity", "returnqty", "returnedqty", "quantityreturned",
    "refundedquantity", "quantity", "qty", "units", "antall", "antal", "mængde", "mengde",
    "returnertantall", "returneratantal", "returneretantal",
];
pub(super) const PRICE: &[&str] = &[
    "unitprice", "price", "lineitemprice", "itemprice", "priceeach", "priceperunit", "salesprice",
    "saleprice", "listprice", "enhetspris", "pris", "styckpris", "stykpris", "stykkpris",
    "enhedspris",
];
pub(super) const TOTAL: &[&str] = &[
    "linetotal", "lineamount", "linetotalamount", "lineitemtotal", "linenet", "amount", "total",
    "totalprice", "totalamount", "sales", "salesamount", "revenue", "netamount", "value",
    "dollarvalue", "beløp", "belopp", "beløb", "totalt", "totalpris", "sum", "summa", "linjesum",
    "radsumma", "omsetning", "omsättning",
];
pub(super) const PRODUCT: &[&str] = &[
    "productid", "sku", "lineitemsku", "stockcode", "itemid", "productcode", "itemcode",
    "articleid", "articlenumber", "articleno", "variantsku", "variantid", "ean", "produktid",
    "produktnr", "produktnummer", "artikkelnr", "artikkelnummer", "artikelnr", "artikelnummer",
    "varenr", "varenummer", "product", "lineitemname",
];
pub(super) const CATEGORY: &[&str] = &[
    "category", "productcategory", "itemcategory", "categoryname", "producttype", "department",
    "kategori", "produktkategori", "varekategori", "varegruppe", "varugrupp", "produkttype",
    "produkttyp",
];
pub(super) const BRAND: &[&str] = &[
    "brand", "brandname", "vendor", "manufacturer", "merke", "märke", "mærke", "varemerke",
    "varumärke", "varemærke", "marke", "maerke",
];
pub(super) const COST: &[&str] = &[
    "unitcost", "cost", "costprice", "cogs", "costofgoods", "purchaseprice", "enhetskost",
    "kostnad", "kostpris", "innkjøpspris", "inköpspris", "indkøbspris", "kost",
];
pub(super) const MARGIN: &[&str] = &[
    "marginpct", "marginpercent", "margin", "grossmargin", "grossmarginpct", "dekningsgrad",
    "bruttomargin", "marginal", "avanse",
];
pub(super) const DISCOUNT: &[&str] = &[
    "discount", "lineitemdiscount", "linediscount", "discountamount", "discountvalue", "rabatt",
    "rabat", "rabattbeløp", "rabattbelopp", "rabatbeløb",
];
pub(super) const CHANNEL: &[&str] = &[
    "channel", "saleschannel", "orderchannel", "source", "sourcename", "kanal", "salgskanal",
    "försäljningskanal",
];
pub(super) const REF_QTY: &[&str] = &[
    "refundedquantity", "refundedqty", "returnedquantity", "returnedqty", "quantityreturned",
    "lineitemrefundedquantity", "returnertantall", "returneratantal", "returneretantal",
];
pub(super) const REF_AMT: &[&str] = &[
    "refundedamount", "refundamount", "refunded", "refund", "refundtotal", "refusjon",
    "refusjonsbeløp", "refundert", "återbetalning", "återbetalt", "återbetalatbelopp",
    "tilbagebetaling", "tilbagebetalt", "returbeløp", "returbelopp",
];
pub(super) const REFUND: &[&str] = &[
    "refund", "refundamount", "refundedamount", "refunded", "refundvalue", "amount", "value",
    "refusjon", "refusjonsbeløp", "återbetalning", "återbetalningsbelopp", "återbetalt",
    "tilbagebetaling", "beløp", "belopp", "beløb", "returbeløp", "returbelopp",
];
pub(super) const HANDLING: &[&str] = &[
    "handlingcost", "returncost", "returnhandlingcost", "returnshippingcost", "returnfee",
    "processingcost", "returkostnad", "returkost", "returomkostning", "returomkostninger",
    "returfrakt", "håndteringskostnad", "hanteringskostnad",
];
pub(super) const EV_CUSTOMER: &[&str] = &[
    "userid", "customerid", "customer", "customerno", "customernumber", "kundeid", "kundenr",
    "kundnummer", "kundnr", "memberid", "userpseudoid", "visitorid", "clientid", "anonymousid",
    "deviceid",
];
pub(super) const SESSION: &[&str] = &[
    "sessionid", "gasessionid", "session", "visitid", "sessionkey", "sesjonid", "sesjon",
    "sessionsid",
];
pub(super) const EV_TYPE: &[&str] = &[
    "eventtype", "eventname", "event", "eventaction", "action", "type", "hendelse", "hendelsestype",
    "händelse", "händelsetyp", "hændelse", "hændelsestype",
];
pub(super) const EV_CATEGORY: &[&str] = &[
    "itemcategory", "category", "productcategory", "pagecategory", "categoryname", "kategori",
    "produktkategori",
];
pub(super) const DWELL: &[&str] = &[
    "dwellseconds", "dwelltime", "dwell", "engagementtimesec", "engagementtimeseconds",
    "timeonpage", "timeonpageseconds", "secondsonpage", "durationseconds", "duration", "seconds",
    "engagementtime", "engagementtimemsec", "tidpåside", "varighet",
];
pub(super) const BIRTH: &[&str] = &[
    "birthyear", "yearofbirth", "byear", "fødselsår", "födelseår", "fodselsar", "fodelsear",
    "fødselsaar", "født", "född", "fodt",
];
pub(super) const AGE: &[&str] = &["age", "alder", "ålder", "alter"];
pub(super) const GENDER: &[&str] = &["gender", "sex", "kjønn", "kjonn", "kön", "kon", "køn"];
pub(super) const COUNTRY: &[&str] = &[
    "country", "countrycode", "countryname", "land", "landkode", "landskod", "billingcountry",
    "shippingcountry", "nation",
];
pub(super) const REGION: &[&str] = &[
    "region", "state", "province", "county", "fylke", "län", "lan", "landsdel", "delstat",
    "billingprovince", "shippingprovince", "kommune", "kommun",
];
pub(super) const POSTCODE: &[&str] = &[
    "postcode", "postalcode", "zip", "zipcode", "postnummer", "postnr", "postkode", "billingzip",
    "shippingzip",
];
pub(super) const SIGNUP: &[&str] = &[
    "signupdate", "signedup", "signedupat", "signup", "createdat", "registered", "registeredat",
    "registrationdate", "customersince", "firstseen", "joindate", "joined", "membersince",
    "registreringsdato", "registreringsdatum", "registrert", "medlemsiden", "opprettet", "oprettet",
    "skapad",
];
pub(super) const PHONE: &[&str] = &[
    "phone", "phonenumber", "mobile", "mobilephone", "cellphone", "telephone", "mobil", "telefon",
    "telefonnummer", "mobilnummer", "tlf", "tel",
];
pub(super) const FIRST: &[&str] = &["firstname", "givenname", "fornavn", "förnamn", "fornamn"];
pub(super) const LAST: &[&str] = &[
    "lastname", "surname", "familyname", "etternavn", "efternamn", "efternavn",
];
pub(super) const QUESTION: &[&str] = &[
    "question", "questionid", "item", "spørsmål", "sporsmal", "fråga", "fraga", "spørgsmål",
];
pub(super) const ANSWER: &[&str] = &[
    "answer", "response", "score", "rating", "value", "svar", "verdi", "värde", "værdi",
];
/// Order-level columns of a Shopify export (filled on each order's first line only).
pub(super) const SHOPIFY_ORDER_LEVEL: &[&str] = &[
    "total", "subtotal", "discountamount", "shipping", "taxes",
];
pub(super) const TX_FILES: &[&str] = &[
    "order", "transaction", "sales", "purchase", "invoice", "ordre", "salg", "kjøp", "köp",
    "försäljning", "retail", "cdnow",
];
pub(super) const RET_FILES: &[&str] = &[
    "return", "refund", "retur",
];
pub(super) const EV_FILES: &[&str] = &[
    "event", "session", "clickstream", "pageview", "analytics", "ga4", "hendelse", "händelse",
    "hændelse",
];
pub(super) const SV_FILES: &[&str] = &[
    "survey", "questionnaire", "response", "undersøkelse", "undersökning", "undersøgelse", "enkät",
    "spørreskjema",
];
pub(super) const CU_FILES: &[&str] = &[
    "customer", "user", "member", "profile", "kunde", "kund", "medlem",
];
/// Parts of column names that say "date or time".
pub(super) const DATE_WORDS: &[&str] = &[
    "date", "time", "dato", "datum", "tidspunkt", "tidpunkt", "created", "registered", "signup",
    "since", "joined",
];
/// Date formats tried besides the defaults (Shopify, UCI, day-first and month-first).
pub(super) const EXTRA_DATE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S %z", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%m/%d/%Y", "%Y%m%d",
];
}

/// One field of a table: its key and the column names that mean it.
struct Spec {
    key: &'static str,
    syns: &'static [&'static str],
    date: bool,
}

const fn f(key: &'static str, syns: &'static [&'static str]) -> Spec {
    Spec {
        key,
        syns,
        date: false,
    }
}
const fn d(key: &'static str, syns: &'static [&'static str]) -> Spec {
    Spec {
        key,
        syns,
        date: true,
    }
}

const TX_SPECS: &[Spec] = &[
    f("customer_id", CUSTOMER),
    f("order_id", ORDER),
    d("timestamp", TX_TIME),
    f("quantity", QTY),
    f("unit_price", PRICE),
    f("line_total", TOTAL),
    f("product_id", PRODUCT),
    f("category", CATEGORY),
    f("brand", BRAND),
    f("unit_cost", COST),
    f("margin_pct", MARGIN),
    f("discount", DISCOUNT),
    f("channel", CHANNEL),
    f("refunded_quantity", REF_QTY),
    f("refunded_amount", REF_AMT),
];
const RET_SPECS: &[Spec] = &[
    f("order_id", ORDER),
    f("product_id", PRODUCT),
    f("quantity", RET_QTY),
    f("refund", REFUND),
    f("handling_cost", HANDLING),
    d("timestamp", RET_TIME),
];
const EV_SPECS: &[Spec] = &[
    f("customer_id", EV_CUSTOMER),
    f("session_id", SESSION),
    d("timestamp", EV_TIME),
    f("event_type", EV_TYPE),
    f("category", EV_CATEGORY),
    f("dwell_seconds", DWELL),
];
const SV_SPECS: &[Spec] = &[
    f("customer_id", CUSTOMER),
    f("question", QUESTION),
    f("answer", ANSWER),
];
const CU_SPECS: &[Spec] = &[
    f("customer_id", CUSTOMER),
    f("birth_year", BIRTH),
    f("age", AGE),
    f("gender", GENDER),
    f("country", COUNTRY),
    f("region", REGION),
    f("postcode", POSTCODE),
    d("signup_date", SIGNUP),
    f("email", EMAIL),
    f("phone", PHONE),
    f("first_name", FIRST),
    f("last_name", LAST),
];

/// Lowercase letters and digits only: `"Customer ID"`, `"customer_id"` -> `"customerid"`.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every synonym of every field: such columns are never survey items.
fn known_names() -> HashSet<&'static str> {
    Role::ALL
        .iter()
        .flat_map(|r| r.specs().iter().flat_map(|s| s.syns.iter().copied()))
        .chain(EMAIL.iter().copied())
        .collect()
}

fn name_says(role: Role, path: &Path) -> bool {
    let stem = norm(&path.file_stem().unwrap_or_default().to_string_lossy());
    role.file_words().iter().any(|w| stem.contains(w))
}

fn list(cols: &[String]) -> String {
    cols.iter()
        .map(|c| format!("{c:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Sniffing

/// Reads the start of a delimited or whitespace-separated file: `head` is its first bytes
/// (about 64 KiB; a last line cut off in the middle is ignored).
pub fn sniff(path: &Path, head: &[u8]) -> Result<Sniffed> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        // The head may end inside a character.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(e) => {
            let at = e.valid_up_to();
            let end = head.len().min(at + e.error_len().unwrap_or(1));
            return Err(Error::NotUtf8 {
                file: path.to_path_buf(),
                line: 1 + head[..at].iter().filter(|&&b| b == b'\n').count(),
                column: "?".into(),
                bytes: head[at..end]
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<Vec<_>>()
                    .join(" "),
            });
        }
    };
    if text.trim().is_empty() {
        return Err(Error::Data(format!(
            "{}: the file is empty; segmint init needs a header line and some rows",
            path.display()
        )));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let ws_rows = whitespace_rows(text);
    let ws = split_score(&ws_rows);
    type Split = (char, (usize, usize), Vec<Vec<String>>);
    let mut best: Option<Split> = None;
    for delim in [',', ';', '\t', '|'] {
        let rows = csv_rows(text, delim);
        if let Some(sc) = split_score(&rows) {
            if best.as_ref().is_none_or(|b| sc > b.1) {
                best = Some((delim, sc, rows));
            }
        }
    }
    let ws_ext = matches!(ext.as_str(), "txt" | "dat");
    let (format, delimiter, mut rows) = match (best, ws) {
        (_, Some((p, _))) if ws_ext && p >= 900 => (Format::Whitespace, ' ', ws_rows),
        (Some((delim, _, rows)), _) => (Format::Csv, delim, rows),
        (None, Some(_)) => (Format::Whitespace, ' ', ws_rows),
        (None, None) => (Format::Csv, ',', csv_rows(text, ',')),
    };
    let columns = if rows.is_empty() {
        Vec::new()
    } else {
        rows.remove(0)
    };
    rows.retain(|r| !is_blank(r));
    rows.truncate(MAX_SAMPLES);

    let mut notes = Vec::new();
    let date_cols: Vec<usize> = (0..columns.len())
        .filter(|&i| date_like(&columns[i]))
        .collect();
    let date_formats = detect_date_formats(&columns, &rows, &date_cols, &mut notes);
    let (decimal, thousands) = detect_decimal(&rows, &date_cols, &mut notes);
    Ok(Sniffed {
        path: path.to_path_buf(),
        format,
        delimiter,
        decimal,
        thousands,
        date_formats,
        columns,
        samples: rows,
        notes,
    })
}

/// A Parquet file, known by its column names only (the CLI reads the schema).
pub fn sniff_columns(path: &Path, columns: Vec<String>) -> Sniffed {
    Sniffed {
        path: path.to_path_buf(),
        format: Format::Parquet,
        delimiter: ',',
        decimal: '.',
        thousands: None,
        date_formats: Vec::new(),
        columns,
        samples: Vec::new(),
        notes: Vec::new(),
    }
}

fn is_blank(r: &[String]) -> bool {
    r.iter().all(|v| v.trim().is_empty())
}

/// Records of delimited text, honouring double quotes; a last record without line end is
/// dropped when there are others, as the head of a file may end inside it.
fn csv_rows(text: &str, delim: char) -> Vec<Vec<String>> {
    let limit = MAX_SAMPLES + 12;
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut field_start) = (false, true);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c != '"' {
                field.push(c);
            } else if chars.peek() == Some(&'"') {
                chars.next();
                field.push('"');
            } else {
                quoted = false;
            }
            continue;
        }
        match c {
            '"' if field_start => quoted = true,
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                if records.len() >= limit {
                    return records;
                }
            }
            c if c == delim => record.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
        field_start = c == delim || c == '\n';
    }
    if (!field.is_empty() || !record.is_empty()) && records.len() < 2 {
        record.push(field);
        records.push(record);
    }
    records
}

fn whitespace_rows(text: &str) -> Vec<Vec<String>> {
    let mut lines: Vec<&str> = text.lines().take(MAX_SAMPLES + 12).collect();
    if !text.ends_with('\n') && lines.len() > 2 && lines.len() < MAX_SAMPLES + 12 {
        lines.pop();
    }
    lines
        .iter()
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

/// `(share of rows with the header's field count in ‰, header field count)`, if the header
/// splits into two fields or more.
fn split_score(rows: &[Vec<String>]) -> Option<(usize, usize)> {
    let n = rows.first()?.len();
    if n < 2 {
        return None;
    }
    let data: Vec<_> = rows[1..].iter().filter(|r| !is_blank(r)).collect();
    let consistent = data.iter().filter(|r| r.len() == n).count();
    let permille = match data.len() {
        0 => 1000,
        rows => 1000 * consistent / rows,
    };
    Some((permille, n))
}

fn col_values(rows: &[Vec<String>], i: usize) -> Vec<&str> {
    rows.iter()
        .filter_map(|r| r.get(i))
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Whether a column's name says it holds dates or times.
fn date_like(name: &str) -> bool {
    let n = norm(name);
    let lower = name.trim().to_lowercase();
    DATE_WORDS.iter().any(|w| n.contains(w))
        || n == "tid"
        || [" at", "_at", "-at"].iter().any(|s| lower.ends_with(s))
        || [TX_TIME, EV_TIME, RET_TIME, SIGNUP]
            .iter()
            .any(|l| l.contains(&n.as_str()))
}

/// Formats [`sniff`] tries, in order of preference.
fn date_candidates() -> Vec<String> {
    let mut v = default_date_formats();
    for &f in EXTRA_DATE_FORMATS {
        if !v.iter().any(|x| x == f) {
            v.push(f.into());
        }
    }
    v
}

fn parses(v: &str, fmt: &str) -> bool {
    if fmt.contains("%z") || fmt.contains("%:z") {
        DateTime::parse_from_str(v, fmt).is_ok()
    } else {
        NaiveDateTime::parse_from_str(v, fmt).is_ok() || NaiveDate::parse_from_str(v, fmt).is_ok()
    }
}

/// Integer microseconds since 1970, as in GA4's `event_timestamp`.
fn is_micros(vals: &[&str]) -> bool {
    !vals.is_empty()
        && vals
            .iter()
            .all(|v| v.len() >= 12 && v.bytes().all(|b| b.is_ascii_digit()))
}

/// For every date column, the fewest candidate formats that read its samples; a column whose
/// samples are mostly unreadable is taken to be no date column.
fn detect_date_formats(
    columns: &[String],
    rows: &[Vec<String>],
    date_cols: &[usize],
    notes: &mut Vec<String>,
) -> Vec<String> {
    let cands = date_candidates();
    let mut chosen = vec![false; cands.len()];
    for &c in date_cols {
        let vals = col_values(rows, c);
        let mut left = vals.clone();
        let mut picked = Vec::new();
        while !left.is_empty() {
            let (n, i) = (0..cands.len())
                .map(|i| (left.iter().filter(|v| parses(v, &cands[i])).count(), i))
                .max_by_key(|&(n, i)| (n, Reverse(i)))
                .unwrap_or((0, 0));
            if n == 0 {
                break;
            }
            picked.push(i);
            left.retain(|v| !parses(v, &cands[i]));
        }
        if vals.is_empty() || left.len() * 2 > vals.len() {
            continue;
        }
        for i in picked {
            chosen[i] = true;
            let swapped = if cands[i].starts_with("%m/%d") {
                cands[i].replacen("%m/%d", "%d/%m", 1)
            } else {
                cands[i].replacen("%d/%m", "%m/%d", 1)
            };
            let read = vals.iter().filter(|v| parses(v, &cands[i]));
            if swapped != cands[i]
                && cands.contains(&swapped)
                && read.clone().all(|v| parses(v, &swapped))
            {
                let sample = read.clone().next().unwrap_or(&"");
                notes.push(format!(
                    "column {:?}: dates such as {sample:?} read both as {} and as {swapped}; \
                     {} was chosen, change date_formats if the file means the other",
                    columns[c], cands[i], cands[i]
                ));
            }
        }
    }
    cands
        .into_iter()
        .zip(chosen)
        .filter_map(|(f, c)| c.then_some(f))
        .collect()
}

/// `Some((decimal, thousands))` when `v` is a number with an unambiguous decimal separator
/// (`1 249,50`, `-3,5`, `6.95`, `1,249.50`; not `1.249` or `12,500`).
fn number_style(v: &str) -> Option<(char, Option<char>)> {
    let body = v.strip_prefix('-').unwrap_or(v);
    for (dec, seps) in [(',', ['.', ' ', '\u{a0}']), ('.', [',', ' ', '\u{a0}'])] {
        let Some((int, frac)) = body.rsplit_once(dec) else {
            continue;
        };
        let int_ok = int.ends_with(|c: char| c.is_ascii_digit())
            && int.chars().all(|c| c.is_ascii_digit() || seps.contains(&c));
        if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) || !int_ok {
            continue;
        }
        let sep = int.chars().find(|c| !c.is_ascii_digit());
        return (sep.is_some() || frac.len() != 3).then_some((dec, sep));
    }
    None
}

fn detect_decimal(
    rows: &[Vec<String>],
    date_cols: &[usize],
    notes: &mut Vec<String>,
) -> (char, Option<char>) {
    let (mut comma, mut dot) = (0, 0);
    let mut seps: BTreeMap<char, Vec<char>> = BTreeMap::new();
    for row in rows {
        for (i, v) in row.iter().enumerate() {
            if date_cols.contains(&i) {
                continue;
            }
            if let Some((dec, sep)) = number_style(v.trim()) {
                if dec == ',' {
                    comma += 1;
                } else {
                    dot += 1;
                }
                seps.entry(dec).or_default().extend(sep);
            }
        }
    }
    let decimal = if comma > 0 && dot == 0 { ',' } else { '.' };
    if comma > 0 && dot > 0 {
        notes.push(format!(
            "numbers are written both with ',' ({comma} values) and '.' ({dot} values) as decimal \
             separator; '.' was assumed"
        ));
    }
    let seen = seps.remove(&decimal).unwrap_or_default();
    let order: &[char] = if decimal == ',' {
        &['.', ' ', '\u{a0}']
    } else {
        &[',', ' ', '\u{a0}']
    };
    (decimal, order.iter().copied().find(|c| seen.contains(c)))
}

// ---------------------------------------------------------------------------------------------
// Guessing

/// How well one file fits one table, and the columns found for its fields.
#[derive(Debug, Clone)]
struct Matched {
    role: Role,
    score: i32,
    named: bool,
    cols: Vec<(&'static str, usize)>,
    items: Vec<usize>,
    layout: SurveyLayout,
    /// Shopify order-level columns kept out of the line fields.
    reserved: Vec<usize>,
}

fn values(s: &Sniffed, i: usize) -> Vec<&str> {
    col_values(&s.samples, i)
}

fn formats(s: &Sniffed) -> Vec<String> {
    if s.date_formats.is_empty() {
        default_date_formats()
    } else {
        s.date_formats.clone()
    }
}

/// The first unused column named like the field; for dates, preferably one whose samples read.
fn find(s: &Sniffed, norms: &[String], sp: &Spec, used: &[bool]) -> Option<usize> {
    let mut cands = Vec::new();
    for syn in sp.syns {
        cands.extend((0..norms.len()).filter(|&i| !used[i] && norms[i] == *syn));
    }
    let fmts = formats(s);
    let reads = |i: usize| {
        values(s, i)
            .iter()
            .all(|v| fmts.iter().any(|f| parses(v, f)))
    };
    match sp.date {
        true => cands
            .iter()
            .copied()
            .find(|&i| reads(i))
            .or(cands.first().copied()),
        false => cands.first().copied(),
    }
}

/// `(min, max)` when every sample is a small integer, as answers on a scale are (0/1 flags
/// are not).
fn scale_range(vals: &[&str]) -> Option<(i64, i64)> {
    let nums: Vec<i64> = vals
        .iter()
        .map(|v| v.parse::<i64>().ok())
        .collect::<Option<_>>()?;
    let (lo, hi) = (*nums.iter().min()?, *nums.iter().max()?);
    (lo >= 0 && (2..=10).contains(&hi)).then_some((lo, hi))
}

fn match_role(role: Role, s: &Sniffed) -> Option<Matched> {
    let norms: Vec<String> = s.columns.iter().map(|c| norm(c)).collect();
    let has = |syns: &[&str]| norms.iter().any(|n| syns.contains(&n.as_str()));
    let got = |cols: &[(&str, usize)], k: &str| cols.iter().any(|(f, _)| *f == k);
    let mut used = vec![false; norms.len()];
    let mut cols: Vec<(&'static str, usize)> = Vec::new();
    let mut reserved = Vec::new();
    if role == Role::Transactions && norms.iter().any(|n| n == "lineitemquantity") {
        for (i, n) in norms.iter().enumerate() {
            if SHOPIFY_ORDER_LEVEL.contains(&n.as_str()) {
                used[i] = true;
                reserved.push(i);
            }
        }
        if let Some(i) = norms.iter().position(|n| n == "name") {
            used[i] = true;
            cols.push(("order_id", i));
        }
    }
    for sp in role.specs() {
        if !got(&cols, sp.key) {
            if let Some(i) = find(s, &norms, sp, &used) {
                used[i] = true;
                cols.push((sp.key, i));
            }
        }
    }
    // No customer id column: the e-mail address identifies the customer (Shopify).
    let wants_id = role.specs().iter().any(|sp| sp.key == "customer_id");
    if wants_id && !got(&cols, "customer_id") && role != Role::Events {
        if let Some(i) = EMAIL.iter().find_map(|e| norms.iter().position(|n| n == e)) {
            cols.retain(|&(_, c)| c != i);
            cols.insert(0, ("customer_id", i));
        }
    }
    let mut m = Matched {
        role,
        score: 0,
        named: name_says(role, &s.path),
        cols: Vec::new(),
        items: Vec::new(),
        layout: SurveyLayout::Wide,
        reserved,
    };
    let ok = match role {
        Role::Transactions => {
            got(&cols, "quantity") && (got(&cols, "unit_price") || got(&cols, "line_total"))
        }
        Role::Returns => {
            got(&cols, "order_id")
                && (got(&cols, "quantity") || got(&cols, "refund"))
                && (!has(PRICE) || m.named)
        }
        Role::Events => got(&cols, "event_type") && got(&cols, "session_id"),
        Role::Customers => got(&cols, "customer_id") && cols.len() >= 2 && !has(QTY),
        Role::Survey if got(&cols, "question") && got(&cols, "answer") => {
            m.layout = SurveyLayout::Long;
            got(&cols, "customer_id")
        }
        Role::Survey => {
            cols.retain(|&(k, _)| k == "customer_id");
            let known = known_names();
            let id = cols.first().map(|c| c.1);
            let candidates = (0..norms.len()).filter(|&i| {
                Some(i) != id && !known.contains(norms[i].as_str()) && !date_like(&s.columns[i])
            });
            m.items = if s.samples.is_empty() && m.named {
                candidates.collect()
            } else {
                candidates
                    .filter(|&i| scale_range(&values(s, i)).is_some())
                    .collect()
            };
            id.is_some() && m.items.len() >= 3
        }
    };
    if !ok {
        return None;
    }
    m.score = 10 + cols.len() as i32 + m.items.len().min(8) as i32 + if m.named { 2 } else { 0 };
    if role == Role::Returns && has(CUSTOMER) {
        m.score -= 3;
    }
    m.cols = cols;
    Some(m)
}

/// Guesses which file is which table and which column is which field. Paths in the mapping
/// are written relative to `mapping_dir` when the two share more than the root folder.
pub fn guess(files: &[Sniffed], mapping_dir: &Path) -> Result<Guess> {
    let mut cands: Vec<(usize, Matched)> = Vec::new();
    for (fi, s) in files.iter().enumerate() {
        cands.extend(
            Role::ALL
                .iter()
                .filter_map(|&r| match_role(r, s).map(|m| (fi, m))),
        );
    }
    cands.sort_by_key(|(fi, m)| (Reverse(m.score), *fi, m.role));
    let mut notes = Vec::new();
    let mut taken: BTreeMap<Role, (usize, Matched)> = BTreeMap::new();
    let mut file_used = vec![false; files.len()];
    for (fi, m) in cands {
        if file_used[fi] {
            continue;
        }
        if let Some((other, om)) = taken.get(&m.role) {
            notes.push(format!(
                "{} also looks like the [{}] table (score {}), but {} fits it better (score {}) \
                 and is used; segmint reads one file per table, so combine them if both belong",
                files[fi].path.display(),
                m.role.section(),
                m.score,
                files[*other].path.display(),
                om.score
            ));
            continue;
        }
        file_used[fi] = true;
        taken.insert(m.role, (fi, m));
    }
    for (s, _) in files.iter().zip(&file_used).filter(|(_, u)| !**u) {
        notes.push(format!(
            "{} is not used: its columns fit no table (columns: {})",
            s.path.display(),
            list(&s.columns)
        ));
    }
    if !taken.contains_key(&Role::Transactions) {
        let seen: Vec<String> = files
            .iter()
            .map(|s| format!("{} ({})", s.path.display(), list(&s.columns)))
            .collect();
        return Err(Error::Data(format!(
            "none of the files looks like order lines ([transactions]): that needs a quantity \
             column (quantity, qty, antall, ...) and a unit price (unit_price, price, pris, ...) \
             or amount column (line_total, amount, total, ...). Files read: {}",
            if seen.is_empty() {
                "none".to_string()
            } else {
                seen.join("; ")
            }
        )));
    }
    let mut tables = Vec::new();
    let get = |role: Role| taken.get(&role).map(|(fi, m)| (&files[*fi], m));
    let (s, m) = get(Role::Transactions).expect("checked above");
    let transactions = build_transactions(s, m, mapping_dir, &mut tables)?;
    let returns = get(Role::Returns)
        .map(|(s, m)| build_returns(s, m, mapping_dir, &mut tables))
        .transpose()?;
    let events = get(Role::Events)
        .map(|(s, m)| build_events(s, m, mapping_dir, &mut tables))
        .transpose()?;
    let survey = get(Role::Survey)
        .map(|(s, m)| build_survey(s, m, mapping_dir, &mut tables))
        .transpose()?;
    let customers = get(Role::Customers)
        .map(|(s, m)| build_customers(s, m, mapping_dir, &mut tables))
        .transpose()?;
    let mapping = Mapping {
        as_of: None,
        transactions,
        returns,
        events,
        survey,
        customers,
        features: FeatureOptions::default(),
        prepare: PrepareOptions::default(),
        cluster: Default::default(),
        flags: Default::default(),
        lookalike: Default::default(),
        privacy: Default::default(),
    };
    mapping.validate_text(&mapping_dir.join("mapping.toml"), None)?;
    Ok(Guess {
        mapping,
        notes,
        tables,
    })
}

/// Fields of a matched table, by key.
struct Fields<'a> {
    s: &'a Sniffed,
    m: &'a Matched,
}

impl Fields<'_> {
    fn col(&self, key: &str) -> Option<String> {
        let i = self.m.cols.iter().find(|(k, _)| *k == key)?.1;
        Some(self.s.columns[i].clone())
    }

    fn need(&self, key: &str) -> Result<String> {
        self.col(key).ok_or_else(|| {
            let role = self.m.role;
            let tried = role
                .specs()
                .iter()
                .find(|sp| sp.key == key)
                .map(|sp| sp.syns[..sp.syns.len().min(6)].join(", "))
                .unwrap_or_default();
            Error::Data(format!(
                "{}: looks like the [{}] table, but no column was found for `{key}` (names \
                 tried include {tried}). Columns in the file: {}. Rename the column or write \
                 [{}.columns] by hand",
                self.s.path.display(),
                role.section(),
                list(&self.s.columns),
                role.section()
            ))
        })
    }
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
        thousands: (s.decimal == '.' && s.thousands == Some(',')).then(|| ",".to_string()),
        date_formats: formats(s),
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

/// The table's remarks: odd columns, dates that do not read, unmapped columns.
fn annotate(s: &Sniffed, m: &Matched, tables: &mut Vec<TableGuess>) -> usize {
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
        field_notes: Vec::new(),
        notes: s.notes.clone(),
        unmapped: Vec::new(),
    };
    let fmts = formats(s);
    for &(key, i) in &m.cols {
        let n = norm(&s.columns[i]);
        let vals = values(s, i);
        let is_date = m.role.specs().iter().any(|sp| sp.key == key && sp.date);
        let unread = vals.iter().find(|v| !fmts.iter().any(|f| parses(v, f)));
        let note = if key == "customer_id" && EMAIL.contains(&n.as_str()) {
            "no customer id column: the e-mail address identifies the customer, so the other \
             tables must use it too"
                .to_string()
        } else if n == "userpseudoid" {
            "GA4's browser/device id: events join the other tables by customer id, so map \
             user_id instead if the export has it"
                .to_string()
        } else if n == "engagementtimemsec" {
            "milliseconds, but segmint reads seconds: divide by 1000 in the export, or dwell \
             times come out 1000 times too long"
                .to_string()
        } else if key == "margin_pct" {
            "must be percent of the unit price (40 for 40 %)".into()
        } else if key == "order_id" && !m.reserved.is_empty() {
            "Shopify's order name".into()
        } else if is_date && is_micros(&vals) {
            format!(
                "{:?} holds integer microseconds (GA4), which segmint cannot read as a time; \
                 export it as text, e.g. FORMAT_TIMESTAMP('%Y-%m-%d %H:%M:%S', \
                 TIMESTAMP_MICROS(event_timestamp)) AS event_time, and map event_time",
                s.columns[i]
            )
        } else if let (true, Some(v)) = (is_date, unread) {
            format!("values such as {v:?} match none of date_formats; add their chrono format")
        } else {
            continue;
        };
        t.field_notes.push((key.to_string(), note));
    }
    if !m.reserved.is_empty() {
        let cols: Vec<String> = m.reserved.iter().map(|&i| s.columns[i].clone()).collect();
        t.notes.push(format!(
            "Shopify export: {} are order totals (on each order's first line only), so they \
             are not used as line amounts",
            list(&cols)
        ));
    }
    let used: HashSet<usize> = m.cols.iter().map(|c| c.1).chain(m.items.clone()).collect();
    t.unmapped = (0..s.columns.len())
        .filter(|i| !used.contains(i))
        .map(|i| s.columns[i].clone())
        .collect();
    tables.push(t);
    tables.len() - 1
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
            $($field $(: $value)?),*
        }
    }};
}

fn build_transactions(
    s: &Sniffed,
    m: &Matched,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> Result<TransactionsTable> {
    let c = Fields { s, m };
    let columns = TransactionColumns {
        customer_id: c.need("customer_id")?,
        order_id: c.col("order_id"),
        timestamp: c.need("timestamp")?,
        quantity: c.need("quantity")?,
        unit_price: c.col("unit_price"),
        line_total: c.col("line_total"),
        product_id: c.col("product_id"),
        category: c.col("category"),
        brand: c.col("brand"),
        unit_cost: c.col("unit_cost"),
        margin_pct: c.col("margin_pct"),
        discount: c.col("discount"),
        channel: c.col("channel"),
        refunded_quantity: c.col("refunded_quantity"),
        refunded_amount: c.col("refunded_amount"),
    };
    let t = annotate(s, m, tables);
    let uci = columns
        .order_id
        .as_deref()
        .is_some_and(|o| matches!(norm(o).as_str(), "invoice" | "invoiceno"));
    if uci {
        tables[t].field_notes.push((
            "cancel_prefix".into(),
            "UCI Online Retail: invoices starting with C are cancellations".into(),
        ));
    }
    Ok(with_file!(TransactionsTable, file_options(s, dir), {
        cancel_prefix: uci.then(|| "C".to_string()),
        columns,
    }))
}

fn build_returns(
    s: &Sniffed,
    m: &Matched,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> Result<ReturnsTable> {
    let c = Fields { s, m };
    let columns = ReturnColumns {
        order_id: c.need("order_id")?,
        product_id: c.col("product_id"),
        quantity: c.need("quantity")?,
        refund: c.col("refund"),
        handling_cost: c.col("handling_cost"),
        timestamp: c.col("timestamp"),
    };
    annotate(s, m, tables);
    Ok(with_file!(ReturnsTable, file_options(s, dir), {
        columns,
    }))
}

fn build_events(
    s: &Sniffed,
    m: &Matched,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> Result<EventsTable> {
    let c = Fields { s, m };
    let columns = EventColumns {
        customer_id: c.need("customer_id")?,
        session_id: c.need("session_id")?,
        timestamp: c.need("timestamp")?,
        event_type: c.need("event_type")?,
        category: c.col("category"),
        dwell_seconds: c.col("dwell_seconds"),
    };
    let t = annotate(s, m, tables);
    let norms: Vec<String> = s.columns.iter().map(|c| norm(c)).collect();
    if let Some(i) = norms.iter().position(|n| n == "eventtimestamp") {
        if s.columns[i] != columns.timestamp && is_micros(&values(s, i)) {
            tables[t].notes.push(format!(
                "{:?} holds integer microseconds (GA4), which segmint cannot read; {:?} is used \
                 instead. For full times export event_time as text and map it",
                s.columns[i], columns.timestamp
            ));
        }
    }
    let types = EventTypes::default();
    let known: HashSet<String> = [types.view, types.cart, types.search, types.purchase]
        .concat()
        .into_iter()
        .collect();
    let mut other: Vec<String> = Vec::new();
    if let Some(i) = s.columns.iter().position(|c| *c == columns.event_type) {
        for v in values(s, i) {
            if !known.contains(&v.to_lowercase()) && !other.iter().any(|o| o == v) {
                other.push(v.to_string());
            }
        }
    }
    if !other.is_empty() {
        other.truncate(12);
        tables[t].notes.push(format!(
            "event names in the first rows that count as `other`: {}; list any that mean a \
             view, cart, search or purchase under [events.event_types]",
            list(&other)
        ));
    }
    Ok(with_file!(EventsTable, file_options(s, dir), {
        event_types: EventTypes::default(),
        columns,
    }))
}

fn build_survey(
    s: &Sniffed,
    m: &Matched,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> Result<SurveyTable> {
    let c = Fields { s, m };
    let columns = SurveyColumns {
        customer_id: c.need("customer_id")?,
        question: c.col("question"),
        answer: c.col("answer"),
    };
    let t = annotate(s, m, tables);
    let mut scale = Scale::default();
    if m.layout == SurveyLayout::Wide {
        let ranges: Vec<(i64, i64)> = m
            .items
            .iter()
            .filter_map(|&i| scale_range(&values(s, i)))
            .collect();
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
            tables[t].notes.push(format!(
                "answers in the first rows run from {lo} to {hi}: scale {}–{} assumed",
                scale.min, scale.max
            ));
        } else {
            tables[t].notes.push(
                "no sample answers (Parquet): every column but the customer id was taken as an \
                 item; check the items and the scale"
                    .into(),
            );
        }
    }
    Ok(with_file!(SurveyTable, file_options(s, dir), {
        layout: m.layout,
        items: m.items.iter().map(|&i| s.columns[i].clone()).collect(),
        scale,
        item_scales: BTreeMap::new(),
        factors: BTreeMap::new(),
        columns,
    }))
}

fn build_customers(
    s: &Sniffed,
    m: &Matched,
    dir: &Path,
    tables: &mut Vec<TableGuess>,
) -> Result<CustomersTable> {
    let c = Fields { s, m };
    let columns = CustomerColumns {
        customer_id: c.need("customer_id")?,
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
    annotate(s, m, tables);
    Ok(with_file!(CustomersTable, file_options(s, dir), {
        columns,
    }))
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// A TOML string (quotes and escapes included).
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A TOML array of strings, one item a line when it gets long.
fn q_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| q(s)).collect();
    let line = format!("[{}]", items.join(", "));
    if line.chars().count() <= 80 {
        return line;
    }
    format!("[\n    {},\n]", items.join(",\n    "))
}

fn q_scale(s: &Scale) -> String {
    let num = |x: f64| toml::Value::Float(x).to_string();
    format!("{{ min = {}, max = {} }}", num(s.min), num(s.max))
}

/// Writes `text` as comment lines of at most about 100 characters.
fn comment(o: &mut String, text: &str) {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut line = String::from("#");
    for w in clean.split(' ').filter(|w| !w.is_empty()) {
        if line.len() > 3 && line.chars().count() + 1 + w.chars().count() > 98 {
            o.push_str(&line);
            o.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(w);
    }
    o.push_str(&line);
    o.push('\n');
}

type Pairs<'a> = Vec<(&'static str, Option<&'a String>)>;

/// Writes one table section: remarks, file keys, the table's own keys and its columns.
fn section(
    o: &mut String,
    g: &Guess,
    role: Role,
    f: &FileOptions,
    own: &[(&str, String)],
    cols: Pairs<'_>,
) {
    let name = role.section();
    let tg = g.tables.iter().find(|t| t.role == role);
    o.push('\n');
    if let Some(t) = tg {
        comment(
            o,
            &format!("[{name}] from {}: {}.", t.file.display(), t.reason),
        );
        for n in &t.notes {
            comment(o, &format!("Note: {n}"));
        }
    }
    let _ = writeln!(o, "[{name}]");
    let _ = writeln!(o, "path = {}", q(&f.path.to_string_lossy()));
    if let Some(fmt) = f.format {
        let fmt = match fmt {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
            Format::Whitespace => "whitespace",
        };
        let _ = writeln!(o, "format = {}", q(fmt));
    }
    let eff = f.format();
    if eff == Format::Csv || f.delimiter != "," {
        let _ = writeln!(o, "delimiter = {}", q(&f.delimiter));
    }
    if eff != Format::Parquet || f.decimal != "." {
        let _ = writeln!(o, "decimal = {}", q(&f.decimal));
    }
    if let Some(t) = &f.thousands {
        let _ = writeln!(o, "thousands = {}", q(t));
    }
    if eff != Format::Parquet || f.date_formats != default_date_formats() {
        let _ = writeln!(o, "date_formats = {}", q_list(&f.date_formats));
    }
    let field_note = |k: &str| {
        tg.and_then(|t| t.field_notes.iter().find(|(f, _)| f == k))
            .map(|(_, n)| n.chars().map(|c| if c.is_control() { ' ' } else { c }))
            .map(|n| format!("  # {}", n.collect::<String>()))
            .unwrap_or_default()
    };
    for (k, v) in own {
        let _ = writeln!(o, "{k} = {v}{}", field_note(k));
    }
    let _ = writeln!(o, "\n[{name}.columns]");
    for (k, v) in cols {
        match v {
            Some(c) => {
                let _ = writeln!(o, "{k} = {}{}", q(c), field_note(k));
            }
            None => {
                let _ = writeln!(o, "# {k} = \"\"");
            }
        }
    }
    if let Some(t) = tg.filter(|t| !t.unmapped.is_empty()) {
        comment(o, &format!("Columns not used: {}", list(&t.unmapped)));
    }
}

/// Writes a guess as a commented mapping file that [`crate::config::Config::from_toml`] reads
/// back as `g.mapping`.
pub fn render(g: &Guess) -> String {
    let m = &g.mapping;
    let mut o =
        String::from("# segmint mapping — written by \"segmint init\"; check every guess\n");
    comment(
        &mut o,
        "Paths are relative to this file; column names must match the file's header exactly. A \
         commented-out key (# key = \"\") is an optional field no column was found for: fill it \
         in and remove the #.",
    );
    for n in &g.notes {
        comment(&mut o, &format!("Note: {n}"));
    }
    if let Some(d) = &m.as_of {
        let _ = writeln!(o, "\nas_of = {}", q(d));
    }

    let t = &m.transactions;
    let c = &t.columns;
    let own: Vec<_> = t
        .cancel_prefix
        .iter()
        .map(|p| ("cancel_prefix", q(p)))
        .collect();
    #[rustfmt::skip]
    let cols = vec![
        ("customer_id", Some(&c.customer_id)), ("order_id", c.order_id.as_ref()),
        ("timestamp", Some(&c.timestamp)), ("quantity", Some(&c.quantity)),
        ("unit_price", c.unit_price.as_ref()), ("line_total", c.line_total.as_ref()),
        ("product_id", c.product_id.as_ref()), ("category", c.category.as_ref()),
        ("brand", c.brand.as_ref()), ("unit_cost", c.unit_cost.as_ref()),
        ("margin_pct", c.margin_pct.as_ref()), ("discount", c.discount.as_ref()),
        ("channel", c.channel.as_ref()), ("refunded_quantity", c.refunded_quantity.as_ref()),
        ("refunded_amount", c.refunded_amount.as_ref()),
    ];
    section(&mut o, g, Role::Transactions, &t.file(), &own, cols);

    if let Some(r) = &m.returns {
        let c = &r.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("order_id", Some(&c.order_id)), ("product_id", c.product_id.as_ref()),
            ("quantity", Some(&c.quantity)), ("refund", c.refund.as_ref()),
            ("handling_cost", c.handling_cost.as_ref()), ("timestamp", c.timestamp.as_ref()),
        ];
        section(&mut o, g, Role::Returns, &r.file(), &[], cols);
    }

    if let Some(e) = &m.events {
        let c = &e.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("customer_id", Some(&c.customer_id)), ("session_id", Some(&c.session_id)),
            ("timestamp", Some(&c.timestamp)), ("event_type", Some(&c.event_type)),
            ("category", c.category.as_ref()), ("dwell_seconds", c.dwell_seconds.as_ref()),
        ];
        section(&mut o, g, Role::Events, &e.file(), &[], cols);
        let ty = &e.event_types;
        if *ty != EventTypes::default() {
            o.push_str("\n[events.event_types]\n");
            for (k, v) in [
                ("view", &ty.view),
                ("cart", &ty.cart),
                ("search", &ty.search),
                ("purchase", &ty.purchase),
            ] {
                let _ = writeln!(o, "{k} = {}", q_list(v));
            }
        }
    }

    if let Some(s) = &m.survey {
        let mut own = Vec::new();
        if s.layout == SurveyLayout::Long {
            own.push(("layout", q("long")));
        }
        if !s.items.is_empty() {
            own.push(("items", q_list(&s.items)));
        }
        if s.scale != Scale::default() {
            own.push(("scale", q_scale(&s.scale)));
        }
        let c = &s.columns;
        let cols = vec![
            ("customer_id", Some(&c.customer_id)),
            ("question", c.question.as_ref()),
            ("answer", c.answer.as_ref()),
        ];
        section(&mut o, g, Role::Survey, &s.file(), &own, cols);
        if !s.item_scales.is_empty() {
            o.push_str("\n[survey.item_scales]\n");
            for (k, v) in &s.item_scales {
                let _ = writeln!(o, "{} = {}", q(k), q_scale(v));
            }
        }
        if !s.factors.is_empty() {
            o.push_str("\n[survey.factors]\n");
            for (k, v) in &s.factors {
                let _ = writeln!(o, "{} = {}", q(k), q_list(v));
            }
        }
    }

    if let Some(cu) = &m.customers {
        let c = &cu.columns;
        #[rustfmt::skip]
        let cols = vec![
            ("customer_id", Some(&c.customer_id)), ("birth_year", c.birth_year.as_ref()),
            ("age", c.age.as_ref()), ("gender", c.gender.as_ref()),
            ("country", c.country.as_ref()), ("region", c.region.as_ref()),
            ("postcode", c.postcode.as_ref()), ("signup_date", c.signup_date.as_ref()),
            ("email", c.email.as_ref()), ("phone", c.phone.as_ref()),
            ("first_name", c.first_name.as_ref()), ("last_name", c.last_name.as_ref()),
        ];
        section(&mut o, g, Role::Customers, &cu.file(), &[], cols);
    }

    #[derive(Serialize)]
    struct Rest<'a> {
        #[serde(skip_serializing_if = "Option::is_none")]
        features: Option<&'a FeatureOptions>,
        #[serde(skip_serializing_if = "Option::is_none")]
        prepare: Option<&'a PrepareOptions>,
    }
    let rest = Rest {
        features: (m.features != FeatureOptions::default()).then_some(&m.features),
        prepare: (m.prepare != PrepareOptions::default()).then_some(&m.prepare),
    };
    if rest.features.is_some() || rest.prepare.is_some() {
        if let Ok(text) = toml::to_string(&rest) {
            o.push('\n');
            o.push_str(&text);
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn p(name: &str) -> PathBuf {
        Path::new("/shop").join(name)
    }

    fn one(name: &str, text: &str) -> Guess {
        guess(
            &[sniff(&p(name), text.as_bytes()).unwrap()],
            Path::new("/shop"),
        )
        .unwrap()
    }

    fn round_trip(g: &Guess) {
        let text = render(g);
        let cfg = Config::from_toml(&text, &Path::new("/shop").join("mapping.toml"))
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(cfg.mapping, g.mapping, "{text}");
    }

    #[test]
    fn init_synonyms_are_normalised() {
        for sp in Role::ALL.iter().flat_map(|r| r.specs()) {
            for syn in sp.syns {
                assert_eq!(norm(syn), *syn);
            }
        }
        assert_eq!(norm("Customer ID"), "customerid");
        assert_eq!(norm("Fødsels_år"), "fødselsår");
    }

    #[test]
    fn init_shopify_export() {
        let header: Vec<&str> = "Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,Billing Zip,Billing Country,Refunded Amount,Vendor,Id,Source,Lineitem discount"
            .split(',')
            .collect();
        let row = |vals: &[(&str, &str)]| -> String {
            let get = |h: &&str| vals.iter().find(|(k, _)| k == h).map_or("", |(_, v)| *v);
            header.iter().map(get).collect::<Vec<_>>().join(",")
        };
        #[rustfmt::skip]
        let first = [
            ("Name", "#1001"), ("Email", "ann@example.com"), ("Financial Status", "paid"),
            ("Paid at", "2024-01-05 13:22:10 +0100"), ("Currency", "NOK"), ("Subtotal", "998.00"),
            ("Shipping", "49.00"), ("Taxes", "199.60"), ("Total", "1047.00"),
            ("Discount Amount", "50.00"), ("Created at", "2024-01-05 13:22:10 +0100"),
            ("Lineitem quantity", "2"), ("Lineitem name", "\"Wool sweater, grey\""),
            ("Lineitem price", "499.00"), ("Lineitem sku", "SW-GREY-M"), ("Billing Zip", "0150"),
            ("Billing Country", "NO"), ("Refunded Amount", "0.00"), ("Vendor", "Nordwool"),
            ("Id", "5501"), ("Source", "web"), ("Lineitem discount", "50.00"),
        ];
        #[rustfmt::skip]
        let second = [
            ("Name", "#1001"), ("Email", "ann@example.com"),
            ("Created at", "2024-01-05 13:22:10 +0100"), ("Lineitem quantity", "1"),
            ("Lineitem name", "Socks"), ("Lineitem price", "99.00"), ("Lineitem sku", "SO-1"),
            ("Vendor", "Nordwool"), ("Lineitem discount", "0.00"),
        ];
        let text = format!("{}\n{}\n{}\n", header.join(","), row(&first), row(&second));
        let s = sniff(&p("orders_export.csv"), text.as_bytes()).unwrap();
        assert_eq!((s.format, s.delimiter, s.decimal), (Format::Csv, ',', '.'));
        assert_eq!(s.samples[0][13], "Wool sweater, grey");
        assert_eq!(s.date_formats, ["%Y-%m-%d %H:%M:%S %z"]);
        let g = guess(&[s], Path::new("/shop")).unwrap();
        let t = &g.mapping.transactions;
        let c = &t.columns;
        assert_eq!(t.path, Path::new("orders_export.csv"));
        assert_eq!(c.customer_id, "Email");
        assert_eq!(c.order_id.as_deref(), Some("Name"));
        assert_eq!(c.timestamp, "Created at");
        assert_eq!(c.quantity, "Lineitem quantity");
        assert_eq!(c.unit_price.as_deref(), Some("Lineitem price"));
        assert_eq!(c.line_total, None, "Total is an order total");
        assert_eq!(c.product_id.as_deref(), Some("Lineitem sku"));
        assert_eq!(c.brand.as_deref(), Some("Vendor"));
        assert_eq!(c.discount.as_deref(), Some("Lineitem discount"));
        assert_eq!(c.channel.as_deref(), Some("Source"));
        assert_eq!(c.refunded_amount.as_deref(), Some("Refunded Amount"));
        assert_eq!(t.cancel_prefix, None);
        assert!(g.mapping.customers.is_none());
        let tg = &g.tables[0];
        assert!(tg.unmapped.contains(&"Total".to_string()));
        assert!(tg.notes.iter().any(|n| n.contains("Shopify")));
        assert!(tg.field_notes.iter().any(|(k, _)| k == "customer_id"));
        round_trip(&g);
    }

    #[test]
    fn init_uci_online_retail() {
        let text = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n\
            489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,12/1/2009 7:45,6.95,13085,United Kingdom\n\
            489434,79323P,PINK CHERRY LIGHTS,12,12/1/2009 7:45,6.75,13085,United Kingdom\n\
            C489449,22087,PAPER BUNTING WHITE LACE,-12,12/1/2009 10:33,2.95,16321,Australia\n\
            489450,2208";
        let s = sniff(&p("online_retail_II.csv"), text.as_bytes()).unwrap();
        assert_eq!(s.samples.len(), 3, "the cut-off last line is dropped");
        assert_eq!(s.date_formats, ["%m/%d/%Y %H:%M"]);
        assert!(s.notes.iter().any(|n| n.contains("%d/%m/%Y %H:%M")));
        let g = guess(&[s], Path::new("/shop")).unwrap();
        let t = &g.mapping.transactions;
        assert_eq!(t.cancel_prefix.as_deref(), Some("C"));
        assert_eq!(t.date_formats, ["%m/%d/%Y %H:%M"]);
        let c = &t.columns;
        assert_eq!(
            (
                c.customer_id.as_str(),
                c.order_id.as_deref(),
                c.timestamp.as_str()
            ),
            ("Customer ID", Some("Invoice"), "InvoiceDate")
        );
        assert_eq!(c.unit_price.as_deref(), Some("Price"));
        assert_eq!(c.product_id.as_deref(), Some("StockCode"));
        round_trip(&g);

        // Version I names.
        let g = one(
            "Online Retail.csv",
            "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
             536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850,United Kingdom\n",
        );
        let c = &g.mapping.transactions.columns;
        assert_eq!(g.mapping.transactions.cancel_prefix.as_deref(), Some("C"));
        assert_eq!(
            (c.customer_id.as_str(), c.quantity.as_str()),
            ("CustomerID", "Quantity")
        );
        assert_eq!(c.unit_price.as_deref(), Some("UnitPrice"));
    }

    #[test]
    fn init_ga4_events() {
        let orders = sniff(
            &p("orders.csv"),
            b"customer_id,order_id,created_at,qty,price\nC1,O1,2024-01-05,1,10.00\n",
        )
        .unwrap();
        let text = "event_date,event_timestamp,event_name,user_pseudo_id,user_id,ga_session_id,\
            item_category,engagement_time_msec\n\
            20240105,1704460930123456,view_item,1234.5678,C1,1704460000,Shoes,3500\n\
            20240105,1704460990123456,add_to_cart,1234.5678,C1,1704460000,Shoes,1200\n\
            20240105,1704461990123456,scroll,1234.5678,C1,1704460000,,800\n";
        let ev = sniff(&p("ga4_export.csv"), text.as_bytes()).unwrap();
        assert_eq!(ev.date_formats, ["%Y%m%d"]);
        let g = guess(&[orders.clone(), ev], Path::new("/shop")).unwrap();
        let e = g.mapping.events.as_ref().unwrap();
        let c = &e.columns;
        assert_eq!(c.customer_id, "user_id");
        assert_eq!(c.session_id, "ga_session_id");
        assert_eq!(c.timestamp, "event_date", "the micros column does not read");
        assert_eq!(c.event_type, "event_name");
        assert_eq!(c.category.as_deref(), Some("item_category"));
        assert_eq!(c.dwell_seconds.as_deref(), Some("engagement_time_msec"));
        let tg = g.tables.iter().find(|t| t.role == Role::Events).unwrap();
        assert!(tg.notes.iter().any(|n| n.contains("microseconds")));
        assert!(tg.notes.iter().any(|n| n.contains("\"scroll\"")));
        assert!(tg
            .field_notes
            .iter()
            .any(|(k, n)| k == "dwell_seconds" && n.contains("milli")));
        round_trip(&g);

        // Only microseconds: mapped, with the advice to export event_time.
        let ev = sniff(
            &p("events.csv"),
            b"user_pseudo_id,session_id,event_timestamp,event_name,engagement_time_sec\n\
              1.2,S1,1704460930123456,page_view,12\n",
        )
        .unwrap();
        let g = guess(&[orders.clone(), ev], Path::new("/shop")).unwrap();
        let e = g.mapping.events.as_ref().unwrap();
        assert_eq!(e.columns.timestamp, "event_timestamp");
        assert_eq!(e.columns.customer_id, "user_pseudo_id");
        assert_eq!(
            e.columns.dwell_seconds.as_deref(),
            Some("engagement_time_sec")
        );
        let notes = g.all_notes().join("\n");
        assert!(
            notes.contains("microseconds") && notes.contains("event_time"),
            "{notes}"
        );
        assert!(notes.contains("user_id instead"), "{notes}");

        // event_time preferred over event_timestamp.
        let ev = sniff(
            &p("events.csv"),
            b"user_id,session_id,event_timestamp,event_time,event_name\n\
              C1,S1,1704460930123456,2024-01-05 13:22:10,page_view\n",
        )
        .unwrap();
        let g = guess(&[orders, ev], Path::new("/shop")).unwrap();
        assert_eq!(g.mapping.events.unwrap().columns.timestamp, "event_time");
    }

    #[test]
    fn init_cdnow_whitespace() {
        let text = " customer_id  date number_of_cds  dollar_value\n\
            00001 19970101 1 11.77\n00002 19970112 1 12.00\n00002 19970112 5 77.00\n";
        let s = sniff(&p("CDNOW_master.txt"), text.as_bytes()).unwrap();
        assert_eq!(s.format, Format::Whitespace);
        assert_eq!(
            s.columns,
            ["customer_id", "date", "number_of_cds", "dollar_value"]
        );
        assert_eq!(s.date_formats, ["%Y%m%d"]);
        let g = guess(&[s], Path::new("/shop")).unwrap();
        let t = &g.mapping.transactions;
        assert_eq!(t.format, None, ".txt means whitespace already");
        let c = &t.columns;
        assert_eq!(
            (c.timestamp.as_str(), c.quantity.as_str()),
            ("date", "number_of_cds")
        );
        assert_eq!(c.line_total.as_deref(), Some("dollar_value"));
        assert_eq!(
            (c.order_id.as_deref(), c.unit_price.as_deref()),
            (None, None)
        );
        round_trip(&g);

        // Whitespace-separated under another name: format written out.
        let s = sniff(&p("cdnow.csv"), text.as_bytes()).unwrap();
        assert_eq!(s.format, Format::Whitespace);
        let g = guess(&[s], Path::new("/shop")).unwrap();
        assert_eq!(g.mapping.transactions.format, Some(Format::Whitespace));
        assert!(render(&g).contains("format = \"whitespace\""));
        round_trip(&g);
    }

    #[test]
    fn init_nordic_semicolons_and_decimal_comma() {
        let text = "\u{feff}kundenr;ordrenr;dato;antall;enhetspris;rabatt;kategori;merke;kanal\r\n\
            1001;A-1;05.01.2024;2;1 249,50;0,00;Sko;Nike;nett\r\n\
            1002;A-2;06.01.2024;1;349,00;50,00;Bukser;\"Levi's\";butikk\r\n";
        let s = sniff(&p("ordrer.csv"), text.as_bytes()).unwrap();
        assert_eq!((s.delimiter, s.decimal, s.thousands), (';', ',', Some(' ')));
        assert_eq!(s.columns[0], "kundenr", "BOM stripped");
        assert_eq!(s.date_formats, ["%d.%m.%Y"]);
        let g = guess(&[s], Path::new("/shop")).unwrap();
        let t = &g.mapping.transactions;
        assert_eq!((t.delimiter.as_str(), t.decimal.as_str()), (";", ","));
        let c = &t.columns;
        assert_eq!(c.customer_id, "kundenr");
        assert_eq!(c.order_id.as_deref(), Some("ordrenr"));
        assert_eq!(
            (c.timestamp.as_str(), c.quantity.as_str()),
            ("dato", "antall")
        );
        assert_eq!(c.unit_price.as_deref(), Some("enhetspris"));
        assert_eq!(c.discount.as_deref(), Some("rabatt"));
        assert_eq!(c.category.as_deref(), Some("kategori"));
        assert_eq!(c.brand.as_deref(), Some("merke"));
        assert_eq!(c.channel.as_deref(), Some("kanal"));
        round_trip(&g);

        // Swedish customers, tab-separated.
        let s = sniff(
            &p("kunder.tsv"),
            "kundnummer\tfödelseår\tkön\tland\tlän\tpostnr\te-post\n7\t1980\tK\tSE\tSkåne\t21115\ta@b.se\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(s.delimiter, '\t');
        let m = match_role(Role::Customers, &s).unwrap();
        let keys: Vec<&str> = m.cols.iter().map(|c| c.0).collect();
        let want = "customer_id,birth_year,gender,country,region,postcode,email";
        assert_eq!(keys.join(","), want);
    }

    fn five_files() -> Vec<Sniffed> {
        let files: [(&str, &str); 6] = [
            (
                "survey.csv",
                "customer_id,q1,q2,q3,q4\nC1,4,5,2,3\nC2,1,3,4,7\n",
            ),
            (
                "customers.csv",
                "customer_id,birth_year,gender,country,postcode,email,signup_date\n\
                 C1,1985,F,NO,0150,ann@example.com,2023-05-01\n",
            ),
            (
                "events.csv",
                "user_id,session_id,event_time,event_name,item_category,engagement_time_sec\n\
                 C1,S1,2024-01-04 10:00:00,view_item,shoes,35\n",
            ),
            (
                "returns.csv",
                "order_id,product_id,returned_quantity,refund_amount,return_date\n\
                 O1,P1,1,499.00,2024-01-20\n",
            ),
            (
                "orders.csv",
                "order_id,customer_id,order_date,product_id,category,quantity,unit_price,channel\n\
                 O1,C1,2024-01-05,P1,shoes,1,499.00,web\n",
            ),
            ("notes.csv", "remark,author\nhello,me\n"),
        ];
        files
            .iter()
            .map(|(n, t)| sniff(&p(n), t.as_bytes()).unwrap())
            .collect()
    }

    #[test]
    fn init_roles_of_five_files() {
        let g = guess(&five_files(), Path::new("/shop")).unwrap();
        let m = &g.mapping;
        assert_eq!(m.transactions.path, Path::new("orders.csv"));
        let r = m.returns.as_ref().unwrap();
        assert_eq!(r.path, Path::new("returns.csv"));
        assert_eq!(r.columns.quantity, "returned_quantity");
        assert_eq!(r.columns.refund.as_deref(), Some("refund_amount"));
        assert_eq!(r.columns.timestamp.as_deref(), Some("return_date"));
        assert_eq!(m.events.as_ref().unwrap().path, Path::new("events.csv"));
        let s = m.survey.as_ref().unwrap();
        assert_eq!(s.path, Path::new("survey.csv"));
        assert_eq!(s.items, ["q1", "q2", "q3", "q4"]);
        assert_eq!((s.scale.min, s.scale.max), (1.0, 7.0));
        let cu = m.customers.as_ref().unwrap();
        assert_eq!(cu.path, Path::new("customers.csv"));
        assert_eq!(cu.columns.signup_date.as_deref(), Some("signup_date"));
        assert_eq!(cu.columns.email.as_deref(), Some("email"));
        assert!(g.notes.iter().any(|n| n.contains("notes.csv is not used")));
        round_trip(&g);

        // 0/1 flags are no survey answers.
        let cu = "customer_id,gender,newsletter,has_children,vip\nC1,F,1,0,0\nC2,M,0,1,0\n";
        let cu = sniff(&p("crm.csv"), cu.as_bytes()).unwrap();
        assert!(match_role(Role::Survey, &cu).is_none());
        assert!(match_role(Role::Customers, &cu).is_some());

        // A second order file loses the role and is not taken for returns or customers.
        let mut files = five_files();
        let mut second = files[4].clone();
        second.path = p("orders_2023.csv");
        files.push(second);
        let g = guess(&files, Path::new("/shop")).unwrap();
        assert_eq!(g.mapping.transactions.path, Path::new("orders.csv"));
        assert!(g
            .notes
            .iter()
            .any(|n| n.contains("orders_2023.csv also looks like")));
        assert!(g
            .notes
            .iter()
            .any(|n| n.contains("orders_2023.csv is not used")));
    }

    #[test]
    fn init_render_round_trips() {
        let mut g = guess(&five_files(), Path::new("/shop")).unwrap();
        let text = render(&g);
        assert!(text.starts_with("# segmint mapping — written by \"segmint init\""));
        assert!(text.contains("# unit_cost = \"\""));
        assert!(text.contains("date_formats = [\"%Y-%m-%d\"]"));
        round_trip(&g);

        // Settings init never writes itself, and awkward names.
        let m = &mut g.mapping;
        m.as_of = Some("2024-06-30".into());
        m.transactions.columns.brand = Some("Merke \"x\" \\ ø".into());
        m.transactions.delimiter = "\t".into();
        m.transactions.thousands = Some(",".into());
        let s = m.survey.as_mut().unwrap();
        s.layout = SurveyLayout::Long;
        s.columns.question = Some("q".into());
        s.columns.answer = Some("a".into());
        s.item_scales.insert(
            "q 1".into(),
            Scale {
                min: 0.0,
                max: 10.0,
            },
        );
        s.factors
            .insert("price focus".into(), vec!["q1".into(), "q2".into()]);
        m.events
            .as_mut()
            .unwrap()
            .event_types
            .cart
            .push("basket".into());
        m.features.top_categories = 8;
        m.prepare.weights.browsing = 0.5;
        m.prepare.exclude = vec!["age".into()];
        m.customers = Some(CustomersTable {
            path: "/elsewhere/c.parquet".into(),
            format: None,
            delimiter: ",".into(),
            decimal: ".".into(),
            thousands: None,
            date_formats: default_date_formats(),
            columns: CustomerColumns {
                customer_id: "id".into(),
                ..Default::default()
            },
        });
        round_trip(&g);
    }

    #[test]
    fn init_parquet_and_paths() {
        let orders = sniff_columns(
            Path::new("/data/raw/orders.parquet"),
            "customer_id,order_id,timestamp,quantity,line_total"
                .split(',')
                .map(String::from)
                .collect(),
        );
        let g = guess(&[orders], Path::new("/data/out")).unwrap();
        let t = &g.mapping.transactions;
        assert_eq!(t.path, Path::new("../raw/orders.parquet"));
        assert_eq!(
            (t.format, t.date_formats.clone()),
            (None, default_date_formats())
        );
        let text = render(&g);
        assert!(
            !text.contains("delimiter") && !text.contains("date_formats"),
            "{text}"
        );
        round_trip(&g);
        assert_eq!(
            relative_to(Path::new("/a/b.csv"), Path::new("/c")),
            Path::new("/a/b.csv")
        );
    }

    #[test]
    fn init_errors() {
        let cu = sniff(&p("customers.csv"), b"customer_id,gender\nC1,F\n").unwrap();
        let err = guess(&[cu], Path::new("/shop")).unwrap_err().to_string();
        assert!(
            err.contains("[transactions]") && err.contains("customers.csv"),
            "{err}"
        );
        assert!(matches!(
            guess(&[], Path::new("/shop")),
            Err(Error::Data(_))
        ));

        let tx = sniff(&p("orders.csv"), b"customer_id,qty,price\nC1,1,9.5\n").unwrap();
        let err = guess(&[tx], Path::new("/shop")).unwrap_err().to_string();
        assert!(
            err.contains("`timestamp`") && err.contains("\"qty\""),
            "{err}"
        );

        assert!(sniff(&p("empty.csv"), b"\xEF\xBB\xBF\n").is_err());
        let latin1 = b"kundenr;f\xf8dsels\xe5r\n1;1980\n";
        assert!(matches!(
            sniff(&p("k.csv"), latin1),
            Err(Error::NotUtf8 { line: 1, .. })
        ));
    }

    #[test]
    fn init_number_styles() {
        assert_eq!(number_style("1 249,50"), Some((',', Some(' '))));
        assert_eq!(number_style("-3,5"), Some((',', None)));
        assert_eq!(number_style("1.249,50"), Some((',', Some('.'))));
        assert_eq!(number_style("1,249.50"), Some(('.', Some(','))));
        assert_eq!(number_style("6.95"), Some(('.', None)));
        assert_eq!(number_style("1.249"), None);
        assert_eq!(number_style("12,500"), None);
        assert_eq!(number_style("05.01.2024"), None);
        assert_eq!(number_style("A-1"), None);
    }
}
