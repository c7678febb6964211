//! Ingest: reads the client's tables through the mapping and returns them in canonical form.
//!
//! Every input row is either used, or skipped for a reason that is counted in the
//! [`IngestReport`] (with the first few line numbers), or it stops the run with an error that
//! names the file, line, column and value. The three return conventions are turned into one
//! table of returned quantities and refunds, so later stages never see the difference:
//!
//! * (a) a separate returns table, matched to order lines by order id (and product id);
//! * (b) negative quantities in the transactions, or order ids with a cancellation prefix;
//! * (c) refunded quantity / amount columns on the order line.

pub mod bands;
pub(crate) mod parse;
pub mod pseudo;
mod read;
mod stream;
mod tables;

use chrono::NaiveDate;
use polars::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

use crate::config::Config;
use crate::error::Result;
use crate::i18n::Lang;
use crate::model::SkipReason;

pub use read::{read_sample, Sample, LINE};

/// How ingest reads dates and numbers, for `segmint init`'s sniffing.
pub mod sniff {
    pub use super::parse::{date_hits, number_hits};
    pub(crate) use super::read::{file_text, sheet_names};
    pub use super::read::{records, Record};
}

pub use tables::{load, load_contacts, load_streaming_events, load_with_as_of, EventRows};

/// Reads and types a file that is not a mapping table (e.g. prospects to score): `fields`
/// pairs a field name with the file's column, `kinds` says what each field holds. Values that
/// do not parse are errors naming file, line, column and value. The frame keeps [`LINE`].
pub(crate) fn read_typed(
    table: &'static str,
    opts: &crate::config::FileOptions,
    fields: &[(String, String)],
    kinds: &[(&str, parse::Kind)],
) -> Result<DataFrame> {
    let raw = read::read_table(table, &opts.path, opts, fields)?;
    parse::parse(&raw, opts, kinds)
}

/// The header columns of a file (CSV, Parquet or whitespace-separated).
pub(crate) fn file_columns(
    table: &'static str,
    opts: &crate::config::FileOptions,
) -> Result<Vec<String>> {
    read::header_columns(table, &opts.path, opts)
}

/// The personal fields of the customers table, in this order: read only for the seed exports
/// (the `contacts` frame), never features.
pub const CONTACT_FIELDS: [&str; 6] = [
    "email",
    "phone",
    "first_name",
    "last_name",
    "postcode",
    "country",
];

/// The inputs in canonical form.
///
/// Column names are fixed (see each field); ids are strings; money is `f64`; timestamps are
/// millisecond datetimes.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// Reference date for recency and tenure.
    pub as_of: NaiveDate,
    /// The currency of every amount of money (ISO 4217 code), when the mapping gives one.
    pub currency: Option<String>,
    /// Whether `as_of` came from the mapping (else from the latest timestamp in the data).
    pub as_of_from_config: bool,
    /// Purchase lines: `customer_id, order_id, ts, quantity, gross, discount, paid, cogs`, and
    /// `category`, `channel`, `product_id` when mapped.
    pub lines: DataFrame,
    /// Returned quantities: `customer_id, order_id, quantity, refund, cogs, handling` (handling
    /// is missing where the data has none; the configured default applies per returned order).
    pub returns: DataFrame,
    /// Browsing events, summed per customer and per session while the file was read (the
    /// events themselves are never held all at once).
    pub browsing: Option<Browsing>,
    /// Survey answers, one row per customer: `customer_id` and one column per item.
    pub survey: Option<DataFrame>,
    /// Survey item names, in column order.
    pub survey_items: Vec<String>,
    /// Survey factors: name → items averaged.
    pub survey_factors: std::collections::BTreeMap<String, Vec<String>>,
    /// The answer scale `[min, max]` of every survey item (its `[survey.item_scales]` entry,
    /// else the survey's scale).
    pub survey_scales: std::collections::BTreeMap<String, [f64; 2]>,
    /// Customer profiles: `customer_id, age, gender, country, region, signup`, and one
    /// column per `[customers.attributes]` entry, named as its feature in
    /// `customer_attributes`.
    pub customers: Option<DataFrame>,
    /// The features of the `[customers.attributes]` (demographic group), in column order.
    pub customer_attributes: Vec<crate::catalog::FeatureSpec>,
    /// Personal data for seed exports only (`customer_id` and those of `email, phone,
    /// first_name, last_name, postcode, country` that are mapped). Never used as features.
    pub contacts: Option<DataFrame>,
    /// Distinct customer ids seen in each table before any row was skipped, so a customer
    /// whose rows were all skipped (e.g. all after `as_of`) is still accounted for.
    pub ids_by_source: Vec<(String, Series)>,
    /// Rows read, used and skipped per table.
    pub report: IngestReport,
}

/// The browsing events of the kept rows (skips and the reference date applied), summed as the
/// file is read in pieces: what the browsing features need, at the size of the customers and
/// their sessions rather than of the events.
#[derive(Debug, Clone)]
pub struct Browsing {
    /// One row per customer with events: `customer_id`, `events`, `product_views`,
    /// `cart_adds`, `searches` (counts, `u32`), `first_ts`, `last_ts` (milliseconds, `i64`),
    /// `dwell_sum` (seconds, `f64`) and `dwell_n` (events with a dwell time, `u32`).
    pub customers: DataFrame,
    /// One row per customer with events: `customer_id`, `sessions`, and the sessions with a
    /// cart add (`cart_sessions`), with a cart add and a purchase (`cart_purchase_sessions`),
    /// with a view (`view_sessions`), with a view and a purchase (`view_purchase_sessions`)
    /// (counts, `u32`).
    pub sessions: DataFrame,
    /// When categories are mapped: one row per (`customer_id`, `category`) with views,
    /// `views` (`u32`).
    pub category_views: Option<DataFrame>,
    /// Whether a dwell time is mapped.
    pub has_dwell: bool,
}

/// What happened to the rows of every table.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Deserialize)]
pub struct IngestReport {
    /// One entry per table read, in mapping order.
    pub tables: Vec<TableReport>,
    /// Notes about assumptions (e.g. no cost column, so cost of goods is 0), in plain
    /// English: the words of `notes`.
    pub warnings: Vec<String>,
    /// The same notes as facts, for the report to state in its language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<crate::model::RunNote>,
    /// Customer id columns holding e-mail addresses or phone numbers, pseudonymised.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pseudonymised: Vec<pseudo::Pseudonymised>,
    /// Customers left out because their earliest dated row (order, event or sign-up) is after
    /// the reference date: they did not exist yet at as_of.
    #[serde(default)]
    pub customers_after_as_of: usize,
    /// How the order lines found their products, when a `[products]` table is mapped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<ProductJoin>,
    /// The date of the first order used (`YYYY-MM-DD`): with the reference date, the period
    /// the data cover. Absent in run folders written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_order: Option<String>,
    /// The date of the first browsing event used (`YYYY-MM-DD`): with the reference date, the
    /// period the browsing features (sessions, carts, the share of them that ended in a
    /// purchase) cover. Absent without an events table and in run folders written before it
    /// was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_event: Option<String>,
}

impl IngestReport {
    /// Whether the run had no cost data at all (no unit cost, margin column or default
    /// margin): cost of goods was taken as 0, so what the profiles call profit is revenue
    /// after returns and their handling ([`crate::model::RunNote::NoCost`]).
    pub fn no_cost(&self) -> bool {
        self.notes.contains(&crate::model::RunNote::NoCost)
    }
}

impl IngestReport {
    /// Records a note: the fact and its plain English words.
    pub fn note(&mut self, note: crate::model::RunNote) {
        self.warnings.push(crate::i18n::note_plain(&note));
        self.notes.push(note);
    }
}

/// Order lines joined to the `[products]` table.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Deserialize)]
pub struct ProductJoin {
    /// Order lines read.
    pub lines: usize,
    /// Lines whose product id is in the products table.
    pub found: usize,
    /// The first few lines whose product is missing (kept, with their own values or none).
    pub first_missing_lines: Vec<usize>,
}

/// Rows of one table.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct TableReport {
    /// Mapping section.
    pub table: String,
    /// The file read.
    pub file: PathBuf,
    /// The worksheet read, for Excel workbooks (skipped rows are then its rows).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Data rows in the file.
    pub rows_read: usize,
    /// Rows used.
    pub rows_used: usize,
    /// Rows left out, by reason.
    pub skipped: Vec<Skip>,
}

/// Rows left out of a table for one reason.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Skip {
    /// Why, as a fact (`"kind"` in manifest.json).
    pub kind: SkipReason,
    /// Why, in plain English, as [`crate::i18n`] writes `kind` (for readers of
    /// manifest.json; messages use [`Skip::reason_in`]).
    pub reason: String,
    /// How many rows.
    pub rows: usize,
    /// The first few line numbers (CSV: header = line 1; Parquet: row number).
    pub first_lines: Vec<usize>,
}

impl Skip {
    /// `rows` rows left out for `kind`, the first of them at `first_lines`.
    pub fn new(kind: SkipReason, rows: usize, first_lines: Vec<usize>) -> Skip {
        Skip {
            kind,
            reason: Lang::En.skip_reason(kind).to_string(),
            rows,
            first_lines,
        }
    }

    /// Why, in `lang`.
    pub fn reason_in(&self, lang: Lang) -> &'static str {
        lang.skip_reason(self.kind)
    }
}

impl IngestReport {
    /// The report of one table, if it was read.
    pub fn table(&self, name: &str) -> Option<&TableReport> {
        self.tables.iter().find(|t| t.table == name)
    }
}

impl Inputs {
    /// Reads every table of the mapping.
    pub fn load(config: &Config) -> Result<Inputs> {
        load(config)
    }

    /// What a run keeps once its features are built; the tables are let go (at a million
    /// customers the order lines alone hold gigabytes, which the later stages do not need).
    pub fn into_ingested(self) -> Ingested {
        Ingested {
            as_of: self.as_of,
            as_of_from_config: self.as_of_from_config,
            report: self.report,
        }
    }
}

/// What a run keeps of its [`Inputs`] after the features: the reference date and what happened
/// to the rows of every table (the seed exports read the personal data again, with
/// [`load_contacts`]).
#[derive(Debug, Clone)]
pub struct Ingested {
    /// Reference date for recency and tenure.
    pub as_of: NaiveDate,
    /// Whether `as_of` came from the mapping (else from the latest timestamp in the data).
    pub as_of_from_config: bool,
    /// Rows read, used and skipped per table.
    pub report: IngestReport,
}
