//! `segmint check`: reads every table of a mapping (all rows, nothing written) and says what
//! it found: rows read, used and skipped per table, the ranges of the data, how well the tables
//! join, and the first problems with their file, line and column.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use polars::prelude::*;

use crate::config::Config;
use crate::error::{Error, PolarsContext, Result};
use crate::ingest::{Inputs, TableReport};

/// What `segmint check` found.
#[derive(Debug)]
pub struct CheckDone {
    /// The mapping checked.
    pub config: PathBuf,
    /// Rows read, used and skipped (with reasons) per table, in mapping order. Empty when the
    /// order lines could not be read.
    pub tables: Vec<TableReport>,
    /// The ranges of the order lines (and events), when they could be read.
    pub ranges: Option<Ranges>,
    /// How well the tables join.
    pub joins: Vec<Join>,
    /// Notes about assumptions ingest made.
    pub warnings: Vec<String>,
    /// The first problems: at most one per table, each naming file, line, column and value.
    pub problems: Vec<Problem>,
}

impl CheckDone {
    /// Whether every table was read without a problem.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The ranges of the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranges {
    /// Earliest and latest order line used.
    pub orders_from: Option<NaiveDateTime>,
    /// Latest order line used.
    pub orders_to: Option<NaiveDateTime>,
    /// Order lines used.
    pub order_lines: usize,
    /// Distinct orders among them.
    pub orders: usize,
    /// Distinct customers with an order line.
    pub customers: usize,
    /// Earliest and latest event, if events are mapped.
    pub events_from: Option<NaiveDateTime>,
    /// Latest event.
    pub events_to: Option<NaiveDateTime>,
    /// The reference date used (the mapping's `as_of` or the latest date).
    pub as_of: chrono::NaiveDate,
}

/// Which join a [`Join`] measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinKind {
    /// Order lines whose customer has a row in `[customers]`.
    LinesWithCustomerRow,
    /// Rows of `[returns]` matched to an order (line).
    ReturnsWithOrder,
    /// Customers of `[survey]` who also bought.
    SurveyCustomersWhoBought,
    /// Customers of `[events]` who also bought.
    EventCustomersWhoBought,
    /// Order lines (as read) whose product has a row in `[products]`.
    LinesWithProductRow,
}

/// One join: `matched` of `total`.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// What is joined.
    pub kind: JoinKind,
    /// Rows or customers that join.
    pub matched: usize,
    /// Rows or customers in all.
    pub total: usize,
}

/// A problem found while reading a table.
#[derive(Debug)]
pub struct Problem {
    /// The table whose reading failed (`None`: the mapping as a whole).
    pub table: Option<&'static str>,
    /// The error, naming file, line, column and value.
    pub error: Error,
}

const OPTIONAL: [&str; 4] = ["returns", "events", "survey", "customers"];

/// The mapping without some optional tables.
fn only(config: &Config, keep: Option<&str>) -> Config {
    let mut c = config.clone();
    let m = &mut c.mapping;
    if keep != Some("returns") {
        m.returns = None;
    }
    if keep != Some("events") {
        m.events = None;
    }
    if keep != Some("survey") {
        m.survey = None;
    }
    if keep != Some("customers") {
        m.customers = None;
    }
    c
}

/// `segmint check`: reads every table of the mapping (all rows; it writes nothing but, as every
/// command does, the pseudonymisation key next to the mapping the first time e-mail or phone
/// ids need one). A mapping
/// that cannot be loaded (a syntax error, a `TODO` left by `init`) is an error; problems in
/// the data are listed in [`CheckDone::problems`] (at most one per table: when the order lines
/// fail, the other tables are checked on their own where they can be).
///
/// ```no_run
/// let done = segmint::pipeline::commands::check("mapping.toml".as_ref())?;
/// for p in &done.problems {
///     eprintln!("{}", p.error);
/// }
/// println!("{}", if done.ok() { "ready" } else { "fix the problems first" });
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn check(config: &Path) -> Result<CheckDone> {
    let cfg = Config::load(config)?;
    let mut done = CheckDone {
        config: config.to_path_buf(),
        tables: Vec::new(),
        ranges: None,
        joins: Vec::new(),
        warnings: Vec::new(),
        problems: Vec::new(),
    };
    match crate::ingest::load(&cfg) {
        Ok(inputs) => {
            summarise(&inputs, &mut done)?;
            return Ok(done);
        }
        Err(e) => done.problems.push(Problem {
            table: None,
            error: e,
        }),
    }
    // Find which tables fail: the order lines alone, then each other table with them.
    match crate::ingest::load(&only(&cfg, None)) {
        Err(e) => {
            done.problems[0].table = Some("transactions");
            done.problems[0].error = e;
        }
        Ok(_) => {
            done.problems.clear();
            for t in OPTIONAL {
                let c = only(&cfg, Some(t));
                let present = match t {
                    "returns" => c.mapping.returns.is_some(),
                    "events" => c.mapping.events.is_some(),
                    "survey" => c.mapping.survey.is_some(),
                    _ => c.mapping.customers.is_some(),
                };
                if !present {
                    continue;
                }
                if let Err(e) = crate::ingest::load(&c) {
                    done.problems.push(Problem {
                        table: Some(t),
                        error: e,
                    });
                }
            }
            if done.problems.is_empty() {
                // Each table reads on its own, but not together (e.g. as_of).
                done.problems.push(Problem {
                    table: None,
                    error: crate::ingest::load(&cfg)
                        .err()
                        .unwrap_or_else(|| Error::Data("the tables do not read together".into())),
                });
            }
        }
    }
    Ok(done)
}

fn summarise(inputs: &Inputs, done: &mut CheckDone) -> Result<()> {
    done.tables = inputs.report.tables.clone();
    done.warnings = inputs.report.warnings.clone();
    let lines = &inputs.lines;
    let buyers = ids(lines, "customer_id")?;
    let orders = lines
        .column("order_id")
        .ctx("counting orders")?
        .n_unique()
        .ctx("counting orders")?;
    let (orders_from, orders_to) = span(lines, "ts")?;
    let (events_from, events_to) = match &inputs.browsing {
        Some(b) => {
            let (from, _) = span(&b.customers, "first_ts")?;
            let (_, to) = span(&b.customers, "last_ts")?;
            (from, to)
        }
        None => (None, None),
    };
    done.ranges = Some(Ranges {
        orders_from,
        orders_to,
        order_lines: lines.height(),
        orders,
        customers: buyers.len(),
        events_from,
        events_to,
        as_of: inputs.as_of,
    });
    if let Some(c) = &inputs.customers {
        let known = ids(c, "customer_id")?;
        let col = lines.column("customer_id").ctx("joining customers")?;
        let matched = col
            .str()
            .ctx("joining customers")?
            .iter()
            .filter(|v| v.is_some_and(|v| known.contains(v)))
            .count();
        done.joins.push(Join {
            kind: JoinKind::LinesWithCustomerRow,
            matched,
            total: lines.height(),
        });
    }
    if let Some(p) = &inputs.report.products {
        done.joins.push(Join {
            kind: JoinKind::LinesWithProductRow,
            matched: p.found,
            total: p.lines,
        });
    }
    if let Some(r) = inputs.report.table("returns") {
        let unmatched: usize = r
            .skipped
            .iter()
            .filter(|s| s.kind.is_unmatched_return())
            .map(|s| s.rows)
            .sum();
        done.joins.push(Join {
            kind: JoinKind::ReturnsWithOrder,
            matched: r.rows_read - unmatched,
            total: r.rows_read,
        });
    }
    for (df, kind) in [
        (inputs.survey.as_ref(), JoinKind::SurveyCustomersWhoBought),
        (
            inputs.browsing.as_ref().map(|b| &b.customers),
            JoinKind::EventCustomersWhoBought,
        ),
    ] {
        if let Some(df) = df {
            let theirs = ids(df, "customer_id")?;
            done.joins.push(Join {
                kind,
                matched: theirs.iter().filter(|c| buyers.contains(*c)).count(),
                total: theirs.len(),
            });
        }
    }
    Ok(())
}

/// Distinct non-missing values of a text column.
fn ids(df: &DataFrame, column: &str) -> Result<HashSet<String>> {
    let c = df.column(column).ctx("reading customer ids")?;
    let c = c.cast(&DataType::String).ctx("reading customer ids")?;
    Ok(c.str()
        .ctx("reading customer ids")?
        .iter()
        .flatten()
        .map(String::from)
        .collect())
}

/// Earliest and latest `ts`.
fn span(df: &DataFrame, column: &str) -> Result<(Option<NaiveDateTime>, Option<NaiveDateTime>)> {
    let ms = df
        .column(column)
        .ctx("reading timestamps")?
        .cast(&DataType::Int64)
        .ctx("reading timestamps")?;
    let ms = ms.i64().ctx("reading timestamps")?;
    let at = |v: Option<i64>| {
        v.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|d| d.naive_utc())
    };
    Ok((at(ms.min()), at(ms.max())))
}
