//! The mapping file: where each input table is, how it is written, and which column is which.
//!
//! A mapping is TOML. Every table is `[name]` with file options, and `[name.columns]` naming the
//! client's column for each field segmint knows. Unknown keys are rejected, so a typo such as
//! `custmer_id` is an error with its line in the mapping, never a silently ignored setting.
//!
//! ```
//! let mapping: segmint::config::Mapping = toml::from_str(r#"
//!     [transactions]
//!     path = "orders.csv"
//!     [transactions.columns]
//!     customer_id = "Customer ID"
//!     order_id = "Order"
//!     timestamp = "Created at"
//!     quantity = "Qty"
//!     unit_price = "Price"
//! "#).unwrap();
//! assert_eq!(mapping.transactions.columns.customer_id, "Customer ID");
//! assert!(mapping.events.is_none());
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The whole mapping file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Reference date for recency and tenure (`YYYY-MM-DD`). Defaults to the latest timestamp
    /// found in the data, never the wall clock, so a rerun next month gives the same features.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// The currency of every amount of money (ISO 4217 code, e.g. `"NOK"`, `"EUR"`), shown
    /// with the amounts in the report and the summaries. A money table (transactions,
    /// returns, products) may set its own where files differ; segmint does not convert, so
    /// two different currencies are an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Whether the amounts of the data include VAT (`"included"`) or not (`"excluded"`):
    /// the report states it beside its amounts. segmint never adds or removes VAT; without
    /// it the report says the amounts are as given in the data, their VAT basis not stated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat: Option<Vat>,
    /// Order lines. Required.
    pub transactions: TransactionsTable,
    /// A separate returns table (convention (a)). Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<ReturnsTable>,
    /// Browsing events. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventsTable>,
    /// Survey answers. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<SurveyTable>,
    /// Customer profiles. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customers: Option<CustomersTable>,
    /// The product catalogue, joined to the order lines by product id. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<ProductsTable>,
    /// Options of the feature stage.
    #[serde(default)]
    pub features: FeatureOptions,
    /// Options of the prepare stage.
    #[serde(default)]
    pub prepare: PrepareOptions,
    /// Options of the clustering sweep and the selection of the proposal.
    #[serde(default)]
    pub cluster: ClusterOptions,
    /// Thresholds of the segment flags.
    #[serde(default)]
    pub flags: FlagOptions,
    /// Options of the lookalike seed exports (`segmint seeds`).
    #[serde(default)]
    pub lookalike: LookalikeOptions,
    /// Where the key that pseudonymises e-mail and phone customer ids lives.
    #[serde(default, skip_serializing_if = "PrivacyOptions::is_default")]
    pub privacy: PrivacyOptions,
    /// Which copies of the run's tables are written.
    #[serde(default, skip_serializing_if = "OutputOptions::is_default")]
    pub output: OutputOptions,
    /// How the report names the data's own words per language (`[labels.levels."Klær"]` with
    /// `nb = "klær"`, `sv = "kläder"`, `da = "tøj"`, `en = "clothing"`). Optional.
    #[serde(default, skip_serializing_if = "Labels::is_empty")]
    pub labels: Labels,
}

/// `vat`: the VAT basis of the data's amounts.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Vat {
    /// The amounts include VAT (consumer prices, as most Nordic web shops export them).
    Included,
    /// The amounts exclude VAT.
    Excluded,
}

/// `[output]`: which copies of the run's tables are written.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct OutputOptions {
    /// The CSV copies of the per-customer tables (`assignments.csv`,
    /// `flagged_customers.csv`) beside their Parquet files: `auto` (the default) up to
    /// [`CSV_COPIES_UP_TO`] rows, `always`, or `never`.
    #[serde(default)]
    pub csv_copies: CsvCopies,
}

impl OutputOptions {
    fn is_default(&self) -> bool {
        self == &OutputOptions::default()
    }
}

/// Above this many rows a per-customer table gets no CSV copy by default
/// (`[output] csv_copies = "auto"`): at a million customers `assignments.csv` alone is about
/// 50 MB and takes seconds to write, while the Parquet file holds the same rows.
pub const CSV_COPIES_UP_TO: usize = 500_000;

/// `[output] csv_copies`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum CsvCopies {
    /// Up to [`CSV_COPIES_UP_TO`] rows.
    #[default]
    Auto,
    /// Whatever the size.
    Always,
    /// None: the Parquet files only.
    Never,
}

impl CsvCopies {
    /// Whether a table of `rows` rows gets its CSV copy.
    pub fn wanted(self, rows: usize) -> bool {
        match self {
            CsvCopies::Auto => rows <= CSV_COPIES_UP_TO,
            CsvCopies::Always => true,
            CsvCopies::Never => false,
        }
    }
}

/// `[labels]`: the report's words for values of the data, per report language.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// A level of a category, channel, country, region or other categorical column (as the
    /// data write it) → language code (`nb`) → its label. Levels match as the feature names
    /// write them (`Klær` and `klaer` are one level).
    #[serde(default)]
    pub levels: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

impl Labels {
    /// Whether no label is given.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }
}

/// `[privacy]`: customer ids that are e-mail addresses or phone numbers are replaced by keyed
/// pseudonyms at ingest (see [`crate::ingest::pseudo`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PrivacyOptions {
    /// The key file (64 hex digits), relative to the mapping file. Default `segmint.key` next
    /// to the mapping; created owner-only when an id first needs it. Keep it outside the
    /// output folders and keep it to get the same pseudonyms in later runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_file: Option<PathBuf>,
}

impl PrivacyOptions {
    fn is_default(&self) -> bool {
        self == &PrivacyOptions::default()
    }
}

/// File format of one input table.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Delimited text with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
    /// Columns separated by runs of spaces or tabs, with a header line (e.g. CDNOW).
    Whitespace,
    /// An Excel workbook (`.xlsx`, also `.xlsm`, `.xlsb`, `.xls` and OpenDocument `.ods`):
    /// one worksheet (`sheet`), its first row the header.
    Xlsx,
}

impl Format {
    /// The format a file's extension names (any case): `.parquet`/`.pq` Parquet,
    /// `.xlsx`/`.xlsm`/`.xlsb`/`.xls`/`.ods` a workbook, `.txt`/`.dat` whitespace-separated
    /// text, anything else delimited text. The one place formats are told by name.
    pub fn of_path(path: &std::path::Path) -> Format {
        if crate::text::is_parquet(path) {
            return Format::Parquet;
        }
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("txt") | Some("dat") => Format::Whitespace,
            Some("xlsx") | Some("xlsm") | Some("xlsb") | Some("xls") | Some("ods") => Format::Xlsx,
            _ => Format::Csv,
        }
    }
}

/// A worksheet of a workbook: its name (`sheet = "Orders"`) or its 0-based position
/// (`sheet = 0` is the first).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum Sheet {
    /// 0-based position.
    Index(usize),
    /// Name, as on its tab.
    Name(String),
}

/// How a table's file is read: the file keys every table section has.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileOptions {
    /// Path of the file, relative to the mapping file.
    pub path: PathBuf,
    /// `csv`, `parquet`, `whitespace` or `xlsx`; by default guessed from the extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// CSV field delimiter: one character, `"\t"` for tabs. Default `,`.
    #[serde(default = "default_delimiter")]
    pub delimiter: String,
    /// Decimal separator of numbers: `.` (default) or `,` (Nordic exports: `1 234,50`).
    #[serde(default = "default_decimal")]
    pub decimal: String,
    /// Thousands separator to remove from numbers, if any. Spaces (also no-break spaces) are
    /// always removed. With `decimal = ","` a `.` is removed as a thousands separator by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thousands: Option<String>,
    /// chrono formats tried in order for dates and timestamps (`%Y-%m-%d`, `%d.%m.%Y %H:%M`, ...).
    /// Default: ISO 8601 variants, `%d.%m.%Y` and `%Y%m%d`.
    #[serde(default = "default_date_formats")]
    pub date_formats: Vec<String>,
    /// Excel workbooks: the worksheet, by name or 0-based position. Default: the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Sheet>,
}

/// Declares a table section: the file keys of [`FileOptions`] plus the section's own keys, in
/// one struct (serde's `flatten` cannot be combined with `deny_unknown_fields`).
macro_rules! table_section {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Path of the file, relative to the mapping file.
            pub path: PathBuf,
            /// `csv`, `parquet`, `whitespace` or `xlsx`; by default guessed from the
            /// extension.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub format: Option<Format>,
            /// CSV field delimiter: one character, `"\t"` for tabs. Default `,`.
            #[serde(default = "default_delimiter")]
            pub delimiter: String,
            /// Decimal separator: `.` (default) or `,`.
            #[serde(default = "default_decimal")]
            pub decimal: String,
            /// Thousands separator to remove from numbers, if any.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub thousands: Option<String>,
            /// chrono formats tried in order for dates and timestamps.
            #[serde(default = "default_date_formats")]
            pub date_formats: Vec<String>,
            /// Excel workbooks: the worksheet, by name or 0-based position. Default: the
            /// first.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub sheet: Option<Sheet>,
            /// Money tables: the currency of this file's amounts (ISO 4217), where it is not
            /// the mapping's `currency`.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub currency: Option<String>,
            $($(#[$fm])* pub $field: $ty,)*
        }

        impl $name {
            /// The file keys of this section.
            pub fn file(&self) -> FileOptions {
                FileOptions {
                    path: self.path.clone(),
                    format: self.format,
                    delimiter: self.delimiter.clone(),
                    decimal: self.decimal.clone(),
                    thousands: self.thousands.clone(),
                    date_formats: self.date_formats.clone(),
                    sheet: self.sheet.clone(),
                }
            }
        }
    };
}

fn default_delimiter() -> String {
    ",".into()
}
fn default_decimal() -> String {
    ".".into()
}

/// The date formats tried when a table names none.
pub fn default_date_formats() -> Vec<String> {
    [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%d.%m.%Y",
        "%Y%m%d",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

impl FileOptions {
    /// A file of `format` read as written: `,` between fields, `.` before decimals, no
    /// thousands separator, no date formats of its own, the first worksheet. For files
    /// segmint reads without a mapping (samples for `init`, prospects, its own Parquet).
    pub fn plain(path: &std::path::Path, format: Format) -> FileOptions {
        FileOptions {
            path: path.to_path_buf(),
            format: Some(format),
            delimiter: ",".into(),
            decimal: ".".into(),
            thousands: None,
            date_formats: Vec::new(),
            sheet: None,
        }
    }

    /// The format, from the setting or else the file extension.
    pub fn format(&self) -> Format {
        self.format.unwrap_or_else(|| Format::of_path(&self.path))
    }

    /// The delimiter as one byte.
    pub fn delimiter_byte(&self, table: &str) -> Result<u8> {
        match self.delimiter.as_str() {
            "\\t" | "\t" | "tab" => Ok(b'\t'),
            d if d.len() == 1 => Ok(d.as_bytes()[0]),
            d => Err(Error::Mapping(format!(
                "[{table}] delimiter = {d:?}: the delimiter must be one ASCII character (or \"\\t\")"
            ))),
        }
    }
}

table_section! {
    /// `[transactions]`: one row per order line.
    TransactionsTable {
        /// Order ids starting with this prefix are cancellations (UCI Online Retail uses `C`): their
        /// lines are returns. The prefix is removed to find the original order.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cancel_prefix: Option<String>,
        /// Which column is which.
        columns: TransactionColumns,
    }
}

/// Column names of `[transactions]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TransactionColumns {
    /// Customer id (required).
    pub customer_id: String,
    /// Order id. Optional: without it, one customer's lines at one timestamp are one order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Order timestamp (required).
    pub timestamp: String,
    /// Quantity (required). A negative quantity is a returned quantity.
    pub quantity: String,
    /// Unit price before discount. One of `unit_price` and `line_total` is required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<String>,
    /// Amount paid for the line, after discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line_total: Option<String>,
    /// Product id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// Product category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Unit cost of goods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<String>,
    /// Gross margin in percent of the unit price (used when there is no unit cost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_pct: Option<String>,
    /// Discount amount on the line (absolute, in money).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<String>,
    /// Discount in percent of the line's price before discount (0–100), for exports that give
    /// a rate (`Rabatt %`) instead of an amount; the amount is derived from it (with a line
    /// total only: total × rate / (100 − rate)). Map `discount` or `discount_pct`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_pct: Option<String>,
    /// Sales channel (web, app, store, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// Refunded quantity on the line (Shopify style, convention (c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded_quantity: Option<String>,
    /// Refunded amount on the line (Shopify style, convention (c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refunded_amount: Option<String>,
}

table_section! {
    /// `[returns]`: a separate returns table keyed by order id (convention (a)).
    ReturnsTable {
        /// Which column is which.
        columns: ReturnColumns,
    }
}

/// Column names of `[returns]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReturnColumns {
    /// Order id of the returned purchase (required).
    pub order_id: String,
    /// Product id; with it a return is matched to its order line, without it to the order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// Returned quantity (required).
    pub quantity: String,
    /// Refunded amount. Without it the refund is the quantity at the price paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund: Option<String>,
    /// Cost of handling the return.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling_cost: Option<String>,
    /// When the return was registered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<String>,
}

table_section! {
    /// `[events]`: browsing events.
    EventsTable {
        /// Which raw event names mean what; names not listed are `other`.
        #[serde(default)]
        event_types: EventTypes,
        /// Which column is which.
        columns: EventColumns,
    }
}

/// Column names of `[events]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventColumns {
    /// Customer id (required).
    pub customer_id: String,
    /// Session id (required).
    pub session_id: String,
    /// Event timestamp (required).
    pub timestamp: String,
    /// Event type (required); mapped through `[events.event_types]`.
    pub event_type: String,
    /// Category of the viewed product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Seconds spent on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell_seconds: Option<String>,
    /// Milliseconds spent on the page (GA4's `engagement_time_msec`), read as seconds / 1000.
    /// Map `dwell_seconds` or `dwell_milliseconds`, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell_milliseconds: Option<String>,
}

/// Raw event names for each canonical event type (compared case-insensitively).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct EventTypes {
    /// Product or page views.
    #[serde(default = "default_view")]
    pub view: Vec<String>,
    /// Add-to-cart events.
    #[serde(default = "default_cart")]
    pub cart: Vec<String>,
    /// Searches.
    #[serde(default = "default_search")]
    pub search: Vec<String>,
    /// Purchases.
    #[serde(default = "default_purchase")]
    pub purchase: Vec<String>,
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
fn default_view() -> Vec<String> {
    strings(&["view", "page_view", "view_item", "product_view", "pageview"])
}
fn default_cart() -> Vec<String> {
    strings(&["cart", "add_to_cart", "addtocart", "cart_add"])
}
fn default_search() -> Vec<String> {
    strings(&["search", "view_search_results"])
}
fn default_purchase() -> Vec<String> {
    strings(&["purchase", "transaction", "order"])
}

impl Default for EventTypes {
    fn default() -> Self {
        EventTypes {
            view: default_view(),
            cart: default_cart(),
            search: default_search(),
            purchase: default_purchase(),
        }
    }
}

/// Layout of the survey table.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum SurveyLayout {
    /// One row per customer, one column per item.
    #[default]
    Wide,
    /// One row per (customer, question, answer).
    Long,
}

/// A numeric answer scale, e.g. Likert 1–5.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    /// Lowest allowed answer.
    pub min: f64,
    /// Highest allowed answer.
    pub max: f64,
}

impl Default for Scale {
    fn default() -> Self {
        Scale { min: 1.0, max: 5.0 }
    }
}

table_section! {
    /// `[survey]`: survey answers.
    SurveyTable {
        /// `wide` (default) or `long`.
        #[serde(default)]
        layout: SurveyLayout,
        /// Wide layout: the item columns. Default: every column but the customer id.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        items: Vec<String>,
        /// Scale of every item unless `item_scales` says otherwise. Default Likert 1–5.
        #[serde(default)]
        scale: Scale,
        /// Per-item scales.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        item_scales: std::collections::BTreeMap<String, Scale>,
        /// Factors: a name and the items averaged into it.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        factors: std::collections::BTreeMap<String, Vec<String>>,
        /// How the report names an item or a factor, per report language
        /// (`[survey.labels.q_price_sensitive]` with `en = "Price-conscious"`,
        /// `nb = "Prisbevisst"`, ...). Without a label, the report shows the column's name.
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        labels: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
        /// Which column is which.
        columns: SurveyColumns,
    }
}

/// Column names of `[survey]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SurveyColumns {
    /// Customer id (required).
    pub customer_id: String,
    /// Long layout: the question column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<String>,
    /// Long layout: the answer column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

table_section! {
    /// `[customers]`: one row per customer.
    CustomersTable {
        /// Which column is which.
        columns: CustomerColumns,
        /// Further columns of the customer file, each a demographic feature `attr_<name>`
        /// (`[customers.attributes]`, keyed by a name of your choice).
        #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
        attributes: std::collections::BTreeMap<String, Attribute>,
    }
}

/// What a customer attribute holds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AttributeKind {
    /// Unordered levels (marital status, home ownership, loyalty tier): one-hot encoded,
    /// rare levels pooled, shown as composition per segment.
    Categorical,
    /// Ordered levels: with `levels`, a value's position in them (1, 2, ...); without, bands
    /// such as "35-44", "65+", "Under 15K", "50-74K" read as their midpoint.
    Ordinal,
    /// A number, read with the table's decimal and thousands separators.
    Numeric,
}

/// One `[customers.attributes]` entry, e.g. `income = { column = "INCOME_DESC", kind =
/// "ordinal" }`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// The customer file's column. Default: the attribute's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// `categorical`, `ordinal` or `numeric`.
    pub kind: AttributeKind,
    /// Ordinal only: the levels, lowest first. Without them the values are read as bands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<String>,
    /// Values that mean "not known" (e.g. "Unknown", "U"): missing, not a level. Compared
    /// after trimming, ignoring case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

impl Attribute {
    /// The column read: `column`, else the attribute's name.
    pub fn column_or<'a>(&'a self, name: &'a str) -> &'a str {
        self.column.as_deref().unwrap_or(name)
    }
}

/// Column names of `[customers]`. E-mail, phone and names are personal data: they are read only
/// for seed exports and never become features.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CustomerColumns {
    /// Customer id (required).
    pub customer_id: String,
    /// Year of birth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_year: Option<String>,
    /// Age in years (used when there is no birth year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
    /// Gender, as written by the client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// Country (code or name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postcode; its first `features.postcode_digits` characters stand in for a missing region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// Sign-up date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signup_date: Option<String>,
    /// E-mail (personal data, seeds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone (personal data, seeds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// First name (personal data, seeds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name (personal data, seeds only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
}

table_section! {
    /// `[products]`: one row per product, joined to the order lines by `product_id` (which
    /// `[transactions.columns]` must map). Where a line has its own value (category, brand,
    /// unit cost, margin), the line's wins; lines whose product is not in the table are
    /// counted and reported, never dropped.
    ProductsTable {
        /// Which column is which.
        columns: ProductColumns,
    }
}

/// Column names of `[products]`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ProductColumns {
    /// Product id (required), as in the order lines' `product_id`.
    pub product_id: String,
    /// Category: the category features come from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Sub-category or department (read and checked; no feature uses it yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subcategory: Option<String>,
    /// Brand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    /// Unit cost of goods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<String>,
    /// Gross margin in percent of the unit price (used when there is no unit cost).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub margin_pct: Option<String>,
}

/// `[features]`: options of the feature stage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FeatureOptions {
    /// Number of top categories (by total spend) that get their own spend-share feature; the
    /// rest are pooled into `other`. Default 5.
    #[serde(default = "default_top_categories")]
    pub top_categories: usize,
    /// Levels of a categorical input (country, region, gender, channel) held by less than this
    /// share of customers are pooled into `other`. Default 0.01.
    #[serde(default = "default_rare_share")]
    pub rare_level_share: f64,
    /// Handling cost charged per returned order when the data has none. Default 0.
    #[serde(default)]
    pub return_handling_cost: f64,
    /// Gross margin (percent of the price paid) assumed when the data has no cost. Without it,
    /// cost of goods is 0 and the manifest says so.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_margin_pct: Option<f64>,
    /// Characters of the postcode used as region when no region is given. Default 2.
    #[serde(default = "default_postcode_digits")]
    pub postcode_digits: usize,
}

fn default_top_categories() -> usize {
    5
}
fn default_rare_share() -> f64 {
    0.01
}
fn default_postcode_digits() -> usize {
    2
}

impl Default for FeatureOptions {
    fn default() -> Self {
        FeatureOptions {
            top_categories: default_top_categories(),
            rare_level_share: default_rare_share(),
            return_handling_cost: 0.0,
            default_margin_pct: None,
            postcode_digits: default_postcode_digits(),
        }
    }
}

/// Scaling applied by prepare.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Scaling {
    /// (x − median) / IQR (falls back to the standard deviation when the IQR is 0). A
    /// feature that is 0 for most customers gets a tiny IQR, so a small group (serial
    /// returners) can end up dominating the distances.
    Robust,
    /// (x − mean) / standard deviation, after winsorising (the default: winsorising already
    /// limits outliers, and every feature then weighs the same).
    #[default]
    Standard,
}

/// Weights of the feature groups in the clustering matrix.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GroupWeights {
    /// Purchases, returns and profit.
    #[serde(default = "one")]
    pub behaviour: f64,
    /// Browsing events.
    #[serde(default = "one")]
    pub browsing: f64,
    /// Survey answers.
    #[serde(default = "one")]
    pub psychographic: f64,
    /// Age, gender, country, region, sign-up tenure. Default 0.5: segments are formed on
    /// what customers do and described by who they are. At full weight a group of two or
    /// three wide, evenly spread columns (age, sign-up tenure) pulled k-means into cutting
    /// along them: with the planted k, the truth bench's `electronics4` scored ARI 0.55 at 1
    /// and 0.88 at 0.5, `marketplace9` 0.89 and 0.91, no shop lower (README, "Truth bench").
    #[serde(default = "half")]
    pub demographic: f64,
}

fn one() -> f64 {
    1.0
}

fn half() -> f64 {
    0.5
}

impl Default for GroupWeights {
    fn default() -> Self {
        GroupWeights {
            behaviour: 1.0,
            browsing: 1.0,
            psychographic: 1.0,
            demographic: 0.5,
        }
    }
}

/// `[prepare]`: how features become the clustering matrix.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PrepareOptions {
    /// Lower and upper quantile for winsorising. Default [0.01, 0.99].
    #[serde(default = "default_winsor")]
    pub winsorize: [f64; 2],
    /// `standard` (default) or `robust`.
    #[serde(default)]
    pub scaling: Scaling,
    /// Apply log1p to heavy-tailed money and count features. Default true.
    #[serde(default = "yes")]
    pub log_transform: bool,
    /// Per-group weights.
    #[serde(default)]
    pub weights: GroupWeights,
    /// Warn about feature pairs with |Pearson r| above this. Default 0.95.
    #[serde(default = "default_corr")]
    pub correlation_warning: f64,
    /// Features left out of the matrix (still written to features.parquet).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Of two matrix columns with |Pearson r| above this, the later is folded into the
    /// earlier (left out and reported). Default 0.98.
    #[serde(default = "default_fold")]
    pub fold_above: f64,
    /// Divide each group's columns by √(its number of features), so that a group weighs by
    /// its weight and not by its column count. Default true.
    #[serde(default = "yes")]
    pub balance_groups: bool,
    /// Add a 0/1 column per pattern of missing values. Default false: a missing value sits
    /// at its column's centre, and whether a value is missing is not a segmenting trait
    /// (indicators made k-means split survey respondents from the rest).
    #[serde(default)]
    pub missing_indicators: bool,
    /// Shrink each rate (a share of a customer's orders, views or sessions) toward the
    /// shop's own rate by the customer's number of orders, views or sessions, with a prior
    /// strength estimated from the data (beta-binomial method of moments). A one-order
    /// customer's weekend share is 0 or 1: without shrinking, such coin flips split
    /// customers into segments that are chance, not traits. Default true.
    #[serde(default = "yes")]
    pub shrink_rates: bool,
}

fn default_fold() -> f64 {
    0.98
}

fn default_winsor() -> [f64; 2] {
    [0.01, 0.99]
}
fn yes() -> bool {
    true
}
fn default_corr() -> f64 {
    0.95
}

impl Default for PrepareOptions {
    fn default() -> Self {
        PrepareOptions {
            winsorize: default_winsor(),
            scaling: Scaling::Standard,
            log_transform: true,
            weights: GroupWeights::default(),
            correlation_warning: default_corr(),
            exclude: Vec::new(),
            fold_above: default_fold(),
            balance_groups: true,
            missing_indicators: false,
            shrink_rates: true,
        }
    }
}

/// `[cluster]`: the candidate sweep and the selection rule.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ClusterOptions {
    /// Smallest k tried. Default 2.
    #[serde(default = "default_k_min")]
    pub k_min: usize,
    /// Largest k tried. Default 12.
    #[serde(default = "default_k_max")]
    pub k_max: usize,
    /// k-means starts (k-means++ seeds) per k; the sweep keeps the fit of lowest inertia.
    /// Default 10 (scikit-learn's long-standing `n_init`): with 5, every start of the
    /// 1,500-customer demo at k = 6 ended in the same poor local optimum (inertia 1824 against
    /// 1639), merging its serial returners into its loyal customers.
    #[serde(default = "default_seeds")]
    pub seeds: usize,
    /// Seed of everything random in the stage. Default 42.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Above this many customers k-means fits with mini-batches. Default 200 000.
    #[serde(default = "default_minibatch_above")]
    pub minibatch_above: usize,
    /// Above this many customers the candidates are fitted and scored on a seeded sample of
    /// this many customers, stratified along the first principal component (the k-means
    /// candidates' density valleys are read from every customer, each put in the segment of
    /// its nearest centroid), and the chosen
    /// candidate is then fitted on every customer (k-means from the sample's centroids; DBSCAN:
    /// every other customer joins the nearest core customer within eps, or is unassigned).
    /// 0: never sample. Default 12 000 (README: where sampling starts and why).
    #[serde(default = "default_sample_above")]
    pub sample_above: usize,
    /// Mini-batch size. Default 4096.
    #[serde(default = "default_batch_size")]
    pub batch_size: usize,
    /// k-means iteration limit. Default 300.
    #[serde(default = "default_max_iter")]
    pub max_iter: usize,
    /// Customers in the (stratified) silhouette sample. Default 3000.
    #[serde(default = "default_silhouette_sample")]
    pub silhouette_sample: usize,
    /// Bootstrap subsamples for the stability score. Default 3.
    #[serde(default = "default_bootstrap")]
    pub bootstrap: usize,
    /// Share of customers in each bootstrap subsample. Default 0.8.
    #[serde(default = "default_bootstrap_share")]
    pub bootstrap_share: f64,
    /// Run DBSCAN candidates too. Default true.
    #[serde(default = "yes")]
    pub dbscan: bool,
    /// DBSCAN `min_samples` values tried. Default [5, 10, 20].
    #[serde(default = "default_min_samples")]
    pub dbscan_min_samples: Vec<usize>,
    /// Multipliers of the knee eps tried. Default [0.8, 1.0, 1.25].
    #[serde(default = "default_eps_factors")]
    pub dbscan_eps_factors: Vec<f64>,
    /// Share of variance the principal components for DBSCAN explain. Default 0.8.
    #[serde(default = "default_pca_share")]
    pub pca_share: f64,
    /// At most this many principal components. Default 10.
    #[serde(default = "default_pca_max")]
    pub pca_max: usize,
    /// Every proposed segment holds at least this share of customers. Default 0.03.
    #[serde(default = "default_min_share")]
    pub min_share: f64,
    /// At most this many segments. Default 10.
    #[serde(default = "default_max_segments")]
    pub max_segments: usize,
    /// A DBSCAN candidate may leave at most this share unassigned. Default 0.15.
    #[serde(default = "default_max_noise")]
    pub max_noise: f64,
    /// A candidate must reach this stability (adjusted Rand index). Default 0.75.
    #[serde(default = "default_min_stability")]
    pub min_stability: f64,
    /// Kept so that older mappings still load; the selection rule no longer uses it (the
    /// "fewest segments among near-ties" rule collapsed proposals to 2 segments, issue 13).
    /// Default 0.05.
    #[serde(default = "default_near_tie")]
    pub near_tie: f64,
}

fn default_k_min() -> usize {
    2
}
fn default_k_max() -> usize {
    12
}
fn default_seeds() -> usize {
    10
}
fn default_seed() -> u64 {
    42
}
fn default_sample_above() -> usize {
    12_000
}
fn default_minibatch_above() -> usize {
    200_000
}
fn default_batch_size() -> usize {
    4096
}
fn default_max_iter() -> usize {
    300
}
fn default_silhouette_sample() -> usize {
    3000
}
fn default_bootstrap() -> usize {
    3
}
fn default_bootstrap_share() -> f64 {
    0.8
}
fn default_min_samples() -> Vec<usize> {
    vec![5, 10, 20]
}
fn default_eps_factors() -> Vec<f64> {
    vec![0.8, 1.0, 1.25]
}
fn default_pca_share() -> f64 {
    0.8
}
fn default_pca_max() -> usize {
    10
}
fn default_min_share() -> f64 {
    0.03
}
fn default_max_segments() -> usize {
    10
}
fn default_max_noise() -> f64 {
    0.15
}
fn default_min_stability() -> f64 {
    0.75
}
fn default_near_tie() -> f64 {
    0.05
}

impl Default for ClusterOptions {
    fn default() -> Self {
        toml::from_str("").expect("defaults")
    }
}

/// `[flags]`: when a segment or a customer is flagged.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FlagOptions {
    /// A segment returning at least this share of its revenue by value is high-return.
    /// Default 0.5.
    #[serde(default = "default_segment_return_rate")]
    pub segment_return_rate: f64,
    /// ... and low-profit when its profit share / revenue share is below this. Default 0.5.
    #[serde(default = "default_profit_ratio")]
    pub profit_to_revenue_share: f64,
    /// A customer returning at least this share by value ... Default two thirds (a customer
    /// who returned 2 of 3 equal orders is included).
    #[serde(default = "default_customer_return_rate")]
    pub customer_return_rate: f64,
    /// ... over at least this many orders is flagged. Default 3.
    #[serde(default = "default_customer_min_orders")]
    pub customer_min_orders: usize,
    /// Paid-media cost per customer per year, to state the spend at risk. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub media_cost_per_customer: Option<f64>,
    /// A segment whose median recency exceeds this many times its median days between
    /// orders is a churn risk. Default 2.
    #[serde(default = "default_churn_factor")]
    pub churn_factor: f64,
    /// A segment with at least this share of discounted orders is discount-dependent.
    /// Default 0.7.
    #[serde(default = "default_discount_share")]
    pub discount_share: f64,
    /// A segment that is not high-return as a whole, where at least this share of the
    /// customers are flagged for high returns (customer by customer) and at least twice the
    /// shop's share, hides a group of serial returners: flagged, and its first action leaves
    /// them out. Default 0.2.
    #[serde(default = "default_hidden_returners_share")]
    pub hidden_returners_share: f64,
}

fn default_segment_return_rate() -> f64 {
    0.5
}
fn default_profit_ratio() -> f64 {
    0.5
}
fn default_customer_return_rate() -> f64 {
    2.0 / 3.0
}
fn default_customer_min_orders() -> usize {
    3
}
fn default_churn_factor() -> f64 {
    2.0
}
fn default_discount_share() -> f64 {
    0.7
}
fn default_hidden_returners_share() -> f64 {
    0.2
}

impl Default for FlagOptions {
    fn default() -> Self {
        toml::from_str("").expect("defaults")
    }
}

/// `[lookalike]`: how `segmint seeds` writes the ad platforms' customer files.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LookalikeOptions {
    /// Calling code (digits, no `+`, e.g. `"47"`) that completes local phone numbers of
    /// customers whose own country is not known. Without it such numbers are dropped and
    /// counted, never guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_country_code: Option<String>,
    /// Feature (a column of features.parquet) written as Meta's `value` column, for
    /// value-based lookalikes. Default `contribution_profit` (return-adjusted profit); `""`
    /// leaves the column out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Google only: remove the dots before the `@` of gmail.com / googlemail.com addresses
    /// before hashing, as Google documents as an option. Default false.
    #[serde(default)]
    pub gmail_remove_dots: bool,
}

impl LookalikeOptions {
    /// The feature of Meta's value column, if any.
    pub fn value_feature(&self) -> Option<&str> {
        match self.value.as_deref() {
            None => Some("contribution_profit"),
            Some("") => None,
            Some(v) => Some(v),
        }
    }
}

/// A mapping together with the folder its relative paths start from.
#[derive(Debug, Clone)]
pub struct Config {
    /// The parsed mapping.
    pub mapping: Mapping,
    /// Folder of the mapping file.
    pub base_dir: PathBuf,
    /// Path of the mapping file, for messages.
    pub source: PathBuf,
}

impl Config {
    /// Parses mapping text. `source` names the file in messages; relative table paths start
    /// from its folder.
    pub fn from_toml(text: &str, source: &Path) -> Result<Config> {
        let mapping: Mapping = toml::from_str(text).map_err(|e| Error::MappingFile {
            path: source.to_path_buf(),
            message: e.to_string(),
        })?;
        mapping.check_todos(source, text)?;
        mapping.validate_text(source, Some(text))?;
        Ok(Config {
            mapping,
            base_dir: source
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from(".")),
            source: source.to_path_buf(),
        })
    }

    /// Reads and parses a mapping file.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        Config::from_toml(&text, path)
    }

    /// Full path of a table's file.
    pub fn resolve(&self, file: &FileOptions) -> PathBuf {
        if file.path.is_absolute() {
            file.path.clone()
        } else {
            self.base_dir.join(&file.path)
        }
    }
}

impl Mapping {
    /// Fails on the first value still starting with `TODO` (left by `segmint init` where it
    /// found no column), naming its line, section and key.
    pub fn check_todos(&self, source: &Path, text: &str) -> Result<()> {
        fn walk(v: &toml::Value, at: &mut Vec<String>) -> Option<(Vec<String>, String)> {
            match v {
                toml::Value::String(s) if s.trim_start().starts_with("TODO") => {
                    Some((at.clone(), s.clone()))
                }
                toml::Value::Table(t) => t.iter().find_map(|(k, v)| {
                    at.push(k.clone());
                    let found = walk(v, at);
                    at.pop();
                    found
                }),
                _ => None,
            }
        }
        let Ok(value) = toml::Value::try_from(self) else {
            return Ok(());
        };
        // Tables in mapping order, so the first TODO reported is the first in the file.
        let order = [
            "transactions",
            "returns",
            "events",
            "survey",
            "customers",
            "products",
        ];
        let mut found = None;
        for section in order {
            if let Some(v) = value.get(section) {
                let mut at = vec![section.to_string()];
                if let Some(f) = walk(v, &mut at) {
                    found = Some(f);
                    break;
                }
            }
        }
        let Some((path, todo)) = found else {
            return Ok(());
        };
        let (key, section) = path
            .split_last()
            .map_or((String::new(), String::new()), |(k, s)| {
                (k.clone(), s.join("."))
            });
        let line = key_line(text, &section, &key)
            .map(|l| format!("line {l}: "))
            .unwrap_or_default();
        Err(Error::MappingFile {
            path: source.to_path_buf(),
            message: format!(
                "{line}[{section}] {key} = {todo:?} is a TODO left by `segmint init`: it found no column for it; write the file's column name there (the comment above lists the columns)"
            ),
        })
    }

    /// The currency of the money tables (transactions, returns, products): a table's own
    /// `currency`, else the mapping's; `None` when none is given. [`Mapping::validate`]
    /// ensures they agree.
    pub fn currency(&self) -> Option<String> {
        self.money_currencies().into_iter().next().map(|(_, c)| c)
    }

    /// Each money table with a currency, and that currency.
    fn money_currencies(&self) -> Vec<(&'static str, String)> {
        let tables: [(&'static str, bool, Option<&String>); 3] = [
            ("transactions", true, self.transactions.currency.as_ref()),
            (
                "returns",
                self.returns.is_some(),
                self.returns.as_ref().and_then(|t| t.currency.as_ref()),
            ),
            (
                "products",
                self.products.is_some(),
                self.products.as_ref().and_then(|t| t.currency.as_ref()),
            ),
        ];
        tables
            .into_iter()
            .filter(|(_, present, _)| *present)
            .filter_map(|(t, _, own)| Some((t, own.or(self.currency.as_ref())?.clone())))
            .collect()
    }

    /// Checks settings that TOML types alone cannot.
    pub fn validate(&self, source: &Path) -> Result<()> {
        let text = std::fs::read_to_string(source).ok();
        self.validate_text(source, text.as_deref())
    }

    /// [`Mapping::validate`] with the mapping's text, so that a message names the line of the
    /// offending key.
    pub fn validate_text(&self, source: &Path, text: Option<&str>) -> Result<()> {
        let at = |section: &str, key: &str, message: String| Error::MappingFile {
            path: source.to_path_buf(),
            message: match text.and_then(|t| key_line(t, section, key)) {
                Some(line) => format!("line {line}: {message}"),
                None => message,
            },
        };
        let bad = |message: String| Error::MappingFile {
            path: source.to_path_buf(),
            message,
        };
        let t = &self.transactions.columns;
        if t.unit_price.is_none() && t.line_total.is_none() {
            return Err(at(
                "transactions.columns",
                "customer_id",
                "[transactions.columns] needs `unit_price` or `line_total` \
                 (or both): segmint cannot compute revenue without one of them"
                    .into(),
            ));
        }
        if t.discount.is_some() && t.discount_pct.is_some() {
            return Err(at(
                "transactions.columns",
                "discount_pct",
                "[transactions.columns] maps both `discount` (an amount) and `discount_pct` \
                 (a percentage): keep the one the export has and remove the other"
                    .into(),
            ));
        }
        if let Some(e) = &self.events {
            if e.columns.dwell_seconds.is_some() && e.columns.dwell_milliseconds.is_some() {
                return Err(at(
                    "events.columns",
                    "dwell_milliseconds",
                    "[events.columns] maps both `dwell_seconds` and `dwell_milliseconds`: keep \
                     the one whose unit the export has and remove the other"
                        .into(),
                ));
            }
        }
        if let Some(s) = &self.survey {
            if s.layout == SurveyLayout::Long
                && (s.columns.question.is_none() || s.columns.answer.is_none())
            {
                return Err(at(
                    "survey",
                    "layout",
                    "[survey] layout = \"long\" needs `question` and `answer` in [survey.columns]"
                        .into(),
                ));
            }
            for (name, sc) in std::iter::once(("scale".to_string(), &s.scale))
                .chain(s.item_scales.iter().map(|(k, v)| (k.clone(), v)))
            {
                if sc.min.partial_cmp(&sc.max) != Some(std::cmp::Ordering::Less)
                    || !sc.min.is_finite()
                    || !sc.max.is_finite()
                {
                    let section = if name == "scale" {
                        "survey"
                    } else {
                        "survey.item_scales"
                    };
                    return Err(at(
                        section,
                        &name,
                        format!(
                            "[survey] {name}: min ({}) must be below max ({}), both finite",
                            sc.min, sc.max
                        ),
                    ));
                }
            }
        }
        if let Some(cu) = &self.customers {
            let mut seen: std::collections::BTreeMap<String, &str> = Default::default();
            for (name, a) in &cu.attributes {
                let section = "customers.attributes";
                let slug = crate::text::column_slug(name);
                if let Some(other) = seen.insert(slug.clone(), name) {
                    return Err(at(section, name, format!(
                        "[customers.attributes] {other:?} and {name:?} both become the feature attr_{slug}; rename one"
                    )));
                }
                if a.kind != AttributeKind::Ordinal && !a.levels.is_empty() {
                    return Err(at(section, name, format!(
                        "[customers.attributes] {name}: `levels` orders an ordinal attribute; remove it or set kind = \"ordinal\""
                    )));
                }
                let mut levels = std::collections::BTreeSet::new();
                for l in &a.levels {
                    if l.trim().is_empty() || !levels.insert(l.trim().to_lowercase()) {
                        return Err(at(section, name, format!(
                            "[customers.attributes] {name}: level {l:?} is blank or listed twice; list each level once, lowest first"
                        )));
                    }
                }
                if let Some(m) = a
                    .missing
                    .iter()
                    .find(|m| levels.contains(&m.trim().to_lowercase()))
                {
                    return Err(at(section, name, format!(
                        "[customers.attributes] {name}: {m:?} is both a level and a missing value; keep it in one list"
                    )));
                }
            }
        }
        // Currencies: ISO 4217 codes, only on money tables, and one currency in all.
        let own: [(&str, Option<&String>); 6] = [
            ("transactions", self.transactions.currency.as_ref()),
            (
                "returns",
                self.returns.as_ref().and_then(|t| t.currency.as_ref()),
            ),
            (
                "products",
                self.products.as_ref().and_then(|t| t.currency.as_ref()),
            ),
            (
                "events",
                self.events.as_ref().and_then(|t| t.currency.as_ref()),
            ),
            (
                "survey",
                self.survey.as_ref().and_then(|t| t.currency.as_ref()),
            ),
            (
                "customers",
                self.customers.as_ref().and_then(|t| t.currency.as_ref()),
            ),
        ];
        let iso = |c: &str| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase());
        if let Some(c) = self.currency.as_ref().filter(|c| !iso(c)) {
            return Err(at("", "currency", format!(
                "currency = {c:?}: write the ISO 4217 code in capitals, e.g. \"NOK\", \"SEK\", \"DKK\" or \"EUR\""
            )));
        }
        for (section, c) in own {
            let Some(c) = c else { continue };
            if !iso(c) {
                return Err(at(section, "currency", format!(
                    "[{section}] currency = {c:?}: write the ISO 4217 code in capitals, e.g. \"NOK\" or \"EUR\""
                )));
            }
            if matches!(section, "events" | "survey" | "customers") {
                return Err(at(section, "currency", format!(
                    "[{section}] currency = {c:?}: this table holds no money; set `currency` at the top of the mapping or on [transactions], [returns] or [products]"
                )));
            }
        }
        let money = self.money_currencies();
        if let Some((t2, c2)) = money.iter().find(|(_, c)| *c != money[0].1) {
            let (t1, c1) = &money[0];
            return Err(at(t2, "currency", format!(
                "[{t2}] is in {c2} but [{t1}] in {c1}: segmint does not convert currencies; convert the amounts of one file to the other's currency first, then give that currency"
            )));
        }
        let mut files: Vec<(&str, FileOptions)> = vec![("transactions", self.transactions.file())];
        files.extend(self.returns.as_ref().map(|t| ("returns", t.file())));
        files.extend(self.events.as_ref().map(|t| ("events", t.file())));
        files.extend(self.survey.as_ref().map(|t| ("survey", t.file())));
        files.extend(self.customers.as_ref().map(|t| ("customers", t.file())));
        files.extend(self.products.as_ref().map(|t| ("products", t.file())));
        if self.products.is_some() && self.transactions.columns.product_id.is_none() {
            return Err(at(
                "products",
                "path",
                "[products] is joined to the order lines by product id: map `product_id` in [transactions.columns] too".into(),
            ));
        }
        for (section, f) in &files {
            if let Err(e) = f.delimiter_byte(section) {
                let m = e.to_string();
                let m = m.trim_start_matches("mapping: ").to_string();
                return Err(at(section, "delimiter", m));
            }
            if !matches!(f.decimal.as_str(), "." | ",") {
                return Err(at(
                    section,
                    "decimal",
                    format!(
                        "[{section}] decimal = {:?}: the decimal separator must be \".\" or \",\"",
                        f.decimal
                    ),
                ));
            }
        }
        let [lo, hi] = self.prepare.winsorize;
        if !(0.0..0.5).contains(&lo) || !(0.5..=1.0).contains(&hi) {
            return Err(at("prepare", "winsorize", format!(
                "[prepare] winsorize = [{lo}, {hi}]: the lower quantile must be in [0, 0.5) and the upper in [0.5, 1]"
            )));
        }
        if let Some(d) = &self.as_of {
            if chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_err() {
                return Err(at(
                    "",
                    "as_of",
                    format!("as_of = {d:?}: write the reference date as YYYY-MM-DD"),
                ));
            }
        }
        // Numbers: every check names the key, its value and the allowed range. NaN fails
        // every range (a comparison with NaN is false), so `nan` is never taken as 0.
        let range = |section: &str, key: &str, v: f64, ok: bool, allowed: &str| -> Result<()> {
            if ok && v.is_finite() {
                Ok(())
            } else {
                Err(at(
                    section,
                    key,
                    format!("[{section}] {key} = {v}: must be {allowed}"),
                ))
            }
        };
        let f = &self.features;
        range(
            "features",
            "rare_level_share",
            f.rare_level_share,
            (0.0..1.0).contains(&f.rare_level_share),
            "in [0, 1)",
        )?;
        range(
            "features",
            "return_handling_cost",
            f.return_handling_cost,
            (0.0..=MONEY_MAX).contains(&f.return_handling_cost),
            "a cost of 0 or more (at most 10^12)",
        )?;
        if let Some(m) = f.default_margin_pct {
            range(
                "features",
                "default_margin_pct",
                m,
                (0.0..=100.0).contains(&m),
                "a margin in percent of the price, from 0 to 100",
            )?;
        }
        if f.top_categories > 1000 {
            return Err(at(
                "features",
                "top_categories",
                format!(
                    "[features] top_categories = {}: at most 1000",
                    f.top_categories
                ),
            ));
        }
        let g = &self.flags;
        let share = |key: &str, v: f64| {
            range(
                "flags",
                key,
                v,
                v > 0.0 && v <= 1.0,
                "a share above 0 and at most 1 (e.g. 0.5 for 50%)",
            )
        };
        share("segment_return_rate", g.segment_return_rate)?;
        share("customer_return_rate", g.customer_return_rate)?;
        share("discount_share", g.discount_share)?;
        share("hidden_returners_share", g.hidden_returners_share)?;
        range(
            "flags",
            "profit_to_revenue_share",
            g.profit_to_revenue_share,
            g.profit_to_revenue_share >= 0.0,
            "a ratio of 0 or more",
        )?;
        range(
            "flags",
            "churn_factor",
            g.churn_factor,
            g.churn_factor > 0.0,
            "a factor above 0",
        )?;
        if let Some(m) = g.media_cost_per_customer {
            range(
                "flags",
                "media_cost_per_customer",
                m,
                (0.0..=MONEY_MAX).contains(&m),
                "a cost of 0 or more (at most 10^12)",
            )?;
        }
        if g.customer_min_orders == 0 {
            return Err(at(
                "flags",
                "customer_min_orders",
                "[flags] customer_min_orders = 0: must be at least 1".into(),
            ));
        }
        range(
            "prepare",
            "correlation_warning",
            self.prepare.correlation_warning,
            self.prepare.correlation_warning > 0.0 && self.prepare.correlation_warning <= 1.0,
            "a correlation above 0 and at most 1",
        )?;
        let c = &self.cluster;
        if c.k_min < 2 || c.k_max < c.k_min {
            return Err(at("cluster", if c.k_min < 2 { "k_min" } else { "k_max" }, format!(
                "[cluster] k_min = {}, k_max = {}: k_min must be at least 2 and k_max at least k_min",
                c.k_min, c.k_max
            )));
        }
        for (key, v, min) in [
            ("seeds", c.seeds, 1),
            ("max_iter", c.max_iter, 1),
            ("batch_size", c.batch_size, 1),
            ("silhouette_sample", c.silhouette_sample, 10),
            ("max_segments", c.max_segments, 2),
        ] {
            if v < min {
                return Err(at(
                    "cluster",
                    key,
                    format!("[cluster] {key} = {v}: must be at least {min}"),
                ));
            }
        }
        if c.dbscan && c.pca_max == 0 {
            return Err(at(
                "cluster",
                "pca_max",
                "[cluster] pca_max = 0: DBSCAN runs on at least 1 principal component; set pca_max to 1 or more, or dbscan = false to run k-means only".into(),
            ));
        }
        range(
            "cluster",
            "bootstrap_share",
            c.bootstrap_share,
            c.bootstrap_share > 0.0 && c.bootstrap_share < 1.0,
            "between 0 and 1",
        )?;
        if c.dbscan_min_samples.iter().any(|&m| m < 2) {
            return Err(at(
                "cluster",
                "dbscan_min_samples",
                "[cluster] dbscan_min_samples must be at least 2".into(),
            ));
        }
        if c.dbscan_eps_factors
            .iter()
            .any(|&f| f.is_nan() || f <= 0.0 || !f.is_finite())
        {
            return Err(at(
                "cluster",
                "dbscan_eps_factors",
                "[cluster] dbscan_eps_factors must be positive and finite".into(),
            ));
        }
        range(
            "cluster",
            "min_share",
            c.min_share,
            (0.0..1.0).contains(&c.min_share),
            "in [0, 1)",
        )?;
        range(
            "cluster",
            "max_noise",
            c.max_noise,
            (0.0..1.0).contains(&c.max_noise),
            "in [0, 1)",
        )?;
        range(
            "cluster",
            "pca_share",
            c.pca_share,
            (0.0..=1.0).contains(&c.pca_share),
            "in [0, 1]",
        )?;
        range(
            "cluster",
            "min_stability",
            c.min_stability,
            (0.0..=1.0).contains(&c.min_stability),
            "in [0, 1]",
        )?;
        range(
            "cluster",
            "near_tie",
            c.near_tie,
            c.near_tie >= 0.0,
            "0 or more",
        )?;
        if let Some(cc) = &self.lookalike.default_country_code {
            if !(1..=3).contains(&cc.len())
                || !cc.bytes().all(|b| b.is_ascii_digit())
                || cc.starts_with('0')
            {
                return Err(at("lookalike", "default_country_code", format!(
                    "[lookalike] default_country_code = {cc:?}: write the calling code as 1 to 3 digits without `+` or `00`, e.g. \"47\" for Norway"
                )));
            }
        }
        let w = self.prepare.weights;
        for (name, v) in [
            ("behaviour", w.behaviour),
            ("browsing", w.browsing),
            ("psychographic", w.psychographic),
            ("demographic", w.demographic),
        ] {
            if !(v >= 0.0 && v.is_finite()) {
                return Err(at(
                    "prepare",
                    "weights",
                    format!(
                        "[prepare.weights] {name} = {v}: weights must be finite and not negative"
                    ),
                ));
            }
        }
        let _ = bad;
        Ok(())
    }
}

/// The largest money amount of one value or one order line, in currency units: 10^12.
/// Money is summed exactly as 64-bit integers of micro-units (10^-6), which hold 9.2 × 10^18
/// micro-units; a larger amount is an error naming its file, line and column.
pub const MONEY_MAX: f64 = 1e12;

/// The largest total of one money column over a whole table: 4 × 10^12 currency units, so that
/// no sum of micro-units can overflow (a cost derived from a margin down to -100% is at most
/// twice the price: 8 × 10^12 < 9.2 × 10^12).
pub const MONEY_TOTAL_MAX: f64 = 4e12;

/// The 1-based line of `key = ...` in `[section]` of a mapping text (`""`: before any section).
pub fn key_line(text: &str, section: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if let Some(h) = l.strip_prefix('[') {
            current = h
                .trim_start_matches('[')
                .split(']')
                .next()
                .unwrap_or("")
                .trim()
                .to_string();
            continue;
        }
        if current != section {
            continue;
        }
        let Some(rest) = l.strip_prefix(key) else {
            continue;
        };
        let rest = rest.trim_start();
        if rest.starts_with('=') {
            return Some(i + 1);
        }
    }
    None
}

impl ClusterOptions {
    /// These options fitted to `n` customers (and a forced `k`): a forced k outside
    /// `k_min..=k_max` widens the range; `k_max` is capped at what the data allows — at most
    /// n / 2 segments (two customers each) and at most 1 / `min_share` (each segment must hold
    /// `min_share` of the customers) — with a note saying so. A forced k below 2 or above
    /// n / 2 is an error about k itself.
    pub fn fit_to(
        &self,
        n: usize,
        forced_k: Option<usize>,
    ) -> Result<(ClusterOptions, Vec<crate::model::RunNote>)> {
        let mut o = self.clone();
        let mut notes = Vec::new();
        let by_share = if o.min_share > 0.0 {
            (1.0 / o.min_share).floor() as usize
        } else {
            usize::MAX
        };
        let by_size = n / 2;
        let cap = by_size.min(by_share);
        if let Some(k) = forced_k {
            if k < 2 {
                return Err(Error::Data(format!(
                    "--k {k}: at least 2 segments are needed (k = 2 splits the customers in two); leave --k out to let segmint choose"
                )));
            }
            if k > by_size {
                return Err(Error::Data(format!(
                    "--k {k}: {n} customers can be split into at most {by_size} segments (two customers each); choose a smaller k"
                )));
            }
            o.k_min = o.k_min.min(k);
            o.k_max = o.k_max.max(k);
        }
        let floor = forced_k.unwrap_or(0).max(o.k_min);
        if o.k_max > cap && o.k_max > floor {
            let new_max = cap.max(floor);
            notes.push(crate::model::RunNote::KMaxLowered {
                configured: o.k_max,
                customers: n,
                allowed: cap,
                used: new_max,
                min_share: (by_size > by_share).then_some(o.min_share),
            });
            o.k_max = new_max;
        }
        if o.k_min > o.k_max {
            return Err(Error::Data(format!(
                "[cluster] k_min = {}: {n} customers allow at most {cap} segments; lower k_min",
                o.k_min
            )));
        }
        Ok((o, notes))
    }
}

/// The worker threads to use for `--threads requested` on a machine with `cores` cores:
/// 0 is an error; more than the cores is capped at the cores, with a note (more threads only
/// add overhead, and tens of thousands of them exhaust the machine).
pub fn fit_threads(requested: usize, cores: usize) -> Result<(usize, Option<String>)> {
    if requested == 0 {
        return Err(Error::Data(
            "--threads 0: give at least 1 thread, or leave --threads out to use every core".into(),
        ));
    }
    let cores = cores.max(1);
    if requested > cores {
        return Ok((
            cores,
            Some(format!(
                "--threads {requested} is more than the {cores} cores of this machine: using {cores}"
            )),
        ));
    }
    Ok((requested, None))
}

/// Checks, before any work, that an output folder can be one: a path that exists must be a
/// folder.
pub fn check_output_folder(path: &Path) -> Result<()> {
    if path.exists() && !path.is_dir() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "this is a file, not a folder: --out names the folder the outputs go to; choose another path",
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_copies_stop_above_half_a_million_rows_by_default() {
        assert!(CsvCopies::Auto.wanted(CSV_COPIES_UP_TO));
        assert!(!CsvCopies::Auto.wanted(CSV_COPIES_UP_TO + 1));
        assert!(CsvCopies::Always.wanted(10_000_000));
        assert!(!CsvCopies::Never.wanted(1));
        assert_eq!(OutputOptions::default().csv_copies, CsvCopies::Auto);
    }
}
