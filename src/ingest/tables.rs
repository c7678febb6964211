//! Loading each table: read, type, check rules, count skips, bring into canonical form.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use polars::prelude::*;

use super::parse::{check_rule, line_at, parse, place, raw_value_at, ts_type, Kind};
use super::pseudo::Pseudonymiser;
use super::read::{header_columns, read_table, Pieces, RawTable, LINE};
use super::{IngestReport, Inputs, Skip, TableReport};
use crate::config::{
    Config, EventTypes, FileOptions, SurveyLayout, SurveyTable, MONEY_MAX, MONEY_TOTAL_MAX,
};
use crate::error::{Error, PolarsContext, Result};
use crate::model::{RunNote, SkipReason};

/// How many line numbers a skip keeps for the report.
const SHOW_LINES: usize = 10;

fn mapped(pairs: &[(&str, Option<&String>)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .filter_map(|(f, c)| c.map(|c| (f.to_string(), c.clone())))
        .collect()
}

/// Reads every table of the mapping. The reference date is the mapping's `as_of`, or else the
/// date of the latest transaction or event.
pub fn load(config: &Config) -> Result<Inputs> {
    load_with_as_of(config, mapping_as_of(config))
}

/// Reads only the `[customers]` table and returns its personal data (`customer_id` and those
/// of `email, phone, first_name, last_name, postcode, country` that are mapped), for seed
/// exports; `None` when the mapping has no `[customers]` table. `as_of` bounds the plausible
/// years of birth, as in [`load`].
pub fn load_contacts(config: &Config, as_of: NaiveDate) -> Result<Option<DataFrame>> {
    match &config.mapping.customers {
        Some(t) => {
            let mut contacts =
                read_customers(config, t, as_of, config.mapping.features.postcode_digits)?.contacts;
            let mut pseudo = Pseudonymiser::for_config(config);
            pseudo.apply(
                &mut contacts,
                "customer_id",
                "customers",
                &t.columns.customer_id,
            )?;
            Ok(Some(contacts))
        }
        None => Ok(None),
    }
}

/// Like [`load`] with an explicit reference date (`None`: the latest date in the data).
pub fn load_with_as_of(config: &Config, as_of: Option<NaiveDate>) -> Result<Inputs> {
    load_impl(config, as_of, None)
}

/// What [`load_streaming_events`] hands over, piece by piece: the browsing events' kept rows
/// (`customer_id, session_id, ts, kind`, and `category`, `dwell` when mapped; customer ids
/// pseudonymised where ingest pseudonymises them).
pub type EventRows<'a> = &'a mut dyn FnMut(DataFrame) -> Result<()>;

/// Like [`load`] with the mapping's reference date, also handing the browsing events' rows
/// to `each` as each piece of the events table is read (pieces without kept rows are not
/// handed over; when no piece has any, one frame without rows, which says the columns): for
/// the distributed path, whose executors compute the features from them. The memory it needs
/// is that of the sums and two pieces (the one at hand and the next, read ahead), not of the
/// events. An error from `each` stops the read.
pub fn load_streaming_events(config: &Config, each: EventRows) -> Result<Inputs> {
    load_impl(config, mapping_as_of(config), Some(each))
}

fn mapping_as_of(config: &Config) -> Option<NaiveDate> {
    config
        .mapping
        .as_of
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// `rows`: where the events' own rows go besides being summed ([`load_streaming_events`]).
fn load_impl(config: &Config, as_of: Option<NaiveDate>, rows: Option<EventRows>) -> Result<Inputs> {
    load_in_pieces(config, as_of, rows, Pieces::DEFAULT)
}

fn load_in_pieces(
    config: &Config,
    as_of: Option<NaiveDate>,
    rows: Option<EventRows>,
    pieces: Pieces,
) -> Result<Inputs> {
    let m = &config.mapping;
    let mut report = IngestReport::default();
    let mut ids_by_source = Vec::new();

    let mut pseudo = Pseudonymiser::for_config(config);
    let mut tx = read_transactions(config, pieces)?;
    if let Some(p) = pseudo.apply(
        &mut tx.frame,
        "customer_id",
        "transactions",
        &m.transactions.columns.customer_id,
    )? {
        report.pseudonymised.push(p);
    }
    // Without a reference date in the mapping it is the latest date in the data, so no event
    // is after it: the events are summed as they are read, with the cut known.
    let event_cutoff = as_of.map(end_of_day_ms).unwrap_or(i64::MAX);
    let mut events = match &m.events {
        Some(t) => Some(read_events(
            config,
            t.file(),
            &t.columns,
            &t.event_types,
            event_cutoff,
            pieces,
            match rows {
                None => RowSink::Nowhere,
                Some(each) => RowSink::Each {
                    each,
                    pseudo: &mut pseudo,
                    client_column: &t.columns.customer_id,
                    handed: false,
                    empty: None,
                },
            },
        )?),
        None => None,
    };
    if let (Some(ev), Some(t)) = (&mut events, &m.events) {
        if let Some(p) = ev.pseudonymise(&mut pseudo, &t.columns.customer_id)? {
            report.pseudonymised.push(p);
        }
    }
    let as_of_from_config = as_of.is_some();
    let as_of = match as_of {
        Some(d) => d,
        None => {
            let [_, mut latest] = date_range(&tx.frame, "ts")?;
            if let Some(ev) = &events {
                latest = latest.max(ev.latest.and_then(date_of_ms));
            }
            latest.ok_or_else(|| Error::Data("no dated transaction in the data".into()))?
        }
    };
    let cutoff = end_of_day_ms(as_of);
    if as_of_from_config {
        check_as_of_in_data(config, &tx, as_of)?;
    }
    // Survey and customers are read before the reference date cuts anything, so that a
    // customer first seen after as_of can be left out of every table.
    let survey_read = match &m.survey {
        Some(t) => {
            let (mut df, items, r) = read_survey(config, t)?;
            if let Some(p) =
                pseudo.apply(&mut df, "customer_id", "survey", &t.columns.customer_id)?
            {
                report.pseudonymised.push(p);
            }
            Some((df, items, r))
        }
        None => None,
    };
    let mut customer_attributes = Vec::new();
    let customers_read = match &m.customers {
        Some(t) => {
            let read = read_customers(config, t, as_of, m.features.postcode_digits)?;
            let (mut c, mut pii, r) = (read.customers, read.contacts, read.report);
            customer_attributes = read.attributes;
            for n in read.notes {
                report.note(n);
            }
            if let Some(p) =
                pseudo.apply(&mut c, "customer_id", "customers", &t.columns.customer_id)?
            {
                report.pseudonymised.push(p);
            }
            pseudo.apply(&mut pii, "customer_id", "customers", &t.columns.customer_id)?;
            Some((c, pii, r))
        }
        None => None,
    };
    for p in report.pseudonymised.clone() {
        report.note(RunNote::Pseudonymised {
            table: p.table,
            column: p.column,
            emails: p.emails,
            phones: p.phones,
            key_file: p.key_file.display().to_string(),
        });
    }
    let future = future_customers(
        &tx.frame,
        events.as_ref().map(|e| &e.seen),
        customers_read.as_ref().map(|c| &c.0),
        cutoff,
    )?;
    report.customers_after_as_of = future.len();
    let not_future = |df: &DataFrame| -> Result<DataFrame> {
        if future.is_empty() {
            return Ok(df.clone());
        }
        df.clone()
            .lazy()
            .filter(
                col("customer_id")
                    .is_in(lit(future.clone()).implode(false), false)
                    .fill_null(lit(false))
                    .not(),
            )
            .collect()
            .ctx("leaving out customers first seen after as_of")
    };
    ids_by_source.push((
        "transactions".to_string(),
        distinct_ids(&not_future(&tx.frame)?)?,
    ));
    if let Some(ev) = &events {
        ids_by_source.push(("events".to_string(), distinct_ids(&not_future(&ev.seen)?)?));
    }

    // Transactions: skips, money, return lines.
    let mut tx_report = tx.report;
    let lines = skip_rows(
        tx.frame,
        &mut tx_report,
        &[
            (col("customer_id").is_null(), SkipReason::GuestCheckout),
            (col("quantity").eq(lit(0.0)), SkipReason::ZeroQuantity),
            (
                col("ts").cast(DataType::Int64).gt(lit(cutoff)),
                SkipReason::AfterAsOf,
            ),
        ],
    )?;
    let kept_lines = lines.height();
    let (purchases, mut returns) =
        split_returns(lines, &tx.info, m.transactions.cancel_prefix.as_deref())?;
    if kept_lines > 0 && purchases.height() == 0 {
        return Err(Error::Data(format!(
            "{}: all {kept_lines} order lines used are returns (negative quantities{}), so no customer bought anything; check the quantity column and the [transactions] settings",
            tx_report.file.display(),
            if m.transactions.cancel_prefix.is_some() {
                " or order ids with cancel_prefix"
            } else {
                ""
            }
        )));
    }
    let [first, _] = date_range(&purchases, "ts")?;
    report.first_order = first.map(|d| d.to_string());
    tx_report.rows_used =
        tx_report.rows_read - tx_report.skipped.iter().map(|s| s.rows).sum::<usize>();
    report.tables.push(tx_report);
    if let Some((r, join)) = tx.products.take() {
        if join.found < join.lines {
            report.note(RunNote::ProductsMissing {
                missing: join.lines - join.found,
                lines: join.lines,
                first_lines: join.first_missing_lines.clone(),
            });
        }
        report.tables.push(r);
        report.products = Some(join);
    }
    for n in tx.info.notes.clone() {
        report.note(n);
    }

    if let Some(t) = &m.returns {
        let (table_returns, r) = read_returns(config, t, &purchases, cutoff)?;
        report.tables.push(r);
        returns = concat_frames(vec![returns, table_returns])?;
    }

    let browsing = match events {
        Some(ev) => {
            report.tables.push(ev.report);
            let [first, _] = date_range(&ev.browsing.customers, "first_ts")?;
            report.first_event = first.map(|d| d.to_string());
            Some(ev.browsing)
        }
        None => None,
    };
    let future_rule = || {
        col("customer_id")
            .is_in(lit(future.clone()).implode(false), false)
            .fill_null(lit(false))
    };
    let (survey, survey_items) = match survey_read {
        Some((df, items, mut r)) => {
            let before = df.height();
            let df = if future.is_empty() {
                df
            } else {
                skip_rows(
                    df,
                    &mut r,
                    &[(future_rule(), SkipReason::CustomerAfterAsOf)],
                )?
            };
            r.rows_used -= before - df.height();
            ids_by_source.push(("survey".to_string(), distinct_ids(&df)?));
            report.tables.push(r);
            (Some(df), items)
        }
        None => (None, Vec::new()),
    };

    let (customers, contacts) = match customers_read {
        Some((c, pii, mut r)) => {
            let before = c.height();
            let c = if future.is_empty() {
                c
            } else {
                skip_rows(c, &mut r, &[(future_rule(), SkipReason::CustomerAfterAsOf)])?
            };
            r.rows_used -= before - c.height();
            let pii = not_future(&pii)?;
            // A sign-up after as_of (a customer who ordered before signing up) is not known
            // at as_of: tenure is missing, never negative.
            let late = c
                .clone()
                .lazy()
                .filter(col("signup").cast(DataType::Int64).gt(lit(cutoff)))
                .collect()
                .ctx("checking sign-up dates")?
                .height();
            let c = if late > 0 {
                report.note(RunNote::SignupAfterAsOf {
                    customers: late,
                    as_of: as_of.to_string(),
                });
                c.lazy()
                    .with_column(
                        when(col("signup").cast(DataType::Int64).gt(lit(cutoff)))
                            .then(lit(NULL).cast(ts_type()))
                            .otherwise(col("signup"))
                            .alias("signup"),
                    )
                    .collect()
                    .ctx("checking sign-up dates")?
            } else {
                c
            };
            ids_by_source.push(("customers".to_string(), distinct_ids(&c)?));
            report.tables.push(r);
            (Some(c), Some(pii))
        }
        None => (None, None),
    };

    // One chunk per column: polars' sums depend on chunk boundaries, which depend on how the
    // reader split the file; single chunks make every float sum the same from run to run.
    let mut purchases = purchases;
    purchases.rechunk_mut();
    returns.rechunk_mut();
    let survey_scales = m
        .survey
        .as_ref()
        .map(|s| {
            survey_items
                .iter()
                .map(|i| {
                    let sc = s.item_scales.get(i).copied().unwrap_or(s.scale);
                    (i.clone(), [sc.min, sc.max])
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Inputs {
        as_of,
        currency: m.currency(),
        as_of_from_config,
        lines: purchases,
        returns,
        browsing,
        survey,
        survey_items,
        survey_factors: m
            .survey
            .as_ref()
            .map(|s| s.factors.clone())
            .unwrap_or_default(),
        survey_scales,
        customers,
        customer_attributes,
        contacts,
        ids_by_source,
        report,
    })
}

/// The distinct customer ids of a table, in the order they first appear (the same order on
/// every run: the distributed path writes them).
fn distinct_ids(df: &DataFrame) -> Result<Series> {
    df.column("customer_id")
        .ctx("listing customer ids")?
        .as_materialized_series()
        .drop_nulls()
        .unique_stable()
        .ctx("listing customer ids")
}

/// Customers whose earliest dated row (order line, event or sign-up) is after the reference
/// date: they did not exist yet at as_of, so they are left out of every table (and counted).
/// Customers without any dated row (e.g. survey only) are kept.
fn future_customers(
    tx: &DataFrame,
    events: Option<&DataFrame>,
    customers: Option<&DataFrame>,
    cutoff: i64,
) -> Result<Series> {
    let dated = |df: &DataFrame, ts: &str| {
        df.clone().lazy().select([
            col("customer_id"),
            col(ts).cast(DataType::Int64).alias("__first"),
        ])
    };
    let mut frames = vec![dated(tx, "ts")];
    if let Some(e) = events {
        frames.push(dated(e, "__first"));
    }
    if let Some(c) = customers {
        frames.push(dated(c, "signup"));
    }
    let first = concat(frames, UnionArgs::default())
        .ctx("finding when customers were first seen")?
        .filter(col("customer_id").is_not_null())
        .group_by([col("customer_id")])
        .agg([col("__first").min()])
        .filter(col("__first").gt(lit(cutoff)))
        .sort(["customer_id"], SortMultipleOptions::default())
        .collect()
        .ctx("finding when customers were first seen")?;
    Ok(first
        .column("customer_id")
        .ctx("finding when customers were first seen")?
        .as_materialized_series()
        .clone())
}

/// A reference date from the mapping before every transaction would leave out every order:
/// an error naming the mapping line and the first transaction.
fn check_as_of_in_data(config: &Config, tx: &Tx, as_of: NaiveDate) -> Result<()> {
    let ts = tx
        .frame
        .column("ts")
        .and_then(|c| c.cast(&DataType::Int64))
        .ctx("finding the first date")?;
    let ts = ts.i64().ctx("finding the first date")?;
    let Some((i, first)) = ts
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .min_by_key(|&(_, v)| v)
    else {
        return Ok(());
    };
    if first <= end_of_day_ms(as_of) {
        return Ok(());
    }
    let date = chrono::DateTime::from_timestamp_millis(first)
        .map(|t| t.date_naive().to_string())
        .unwrap_or_default();
    let line = line_at(&tx.frame, i)?;
    let text = std::fs::read_to_string(&config.source).unwrap_or_default();
    let at = crate::config::key_line(&text, "", "as_of")
        .map(|l| format!("line {l}: "))
        .unwrap_or_default();
    Err(Error::MappingFile {
        path: config.source.clone(),
        message: format!(
            "{at}as_of = \"{as_of}\" is before the first transaction ({date}, {} line {line}): every order would be left out; set as_of to a date within the data, or remove it to use the latest date in the data",
            config.resolve(&config.mapping.transactions.file()).display()
        ),
    })
}

fn end_of_day_ms(d: NaiveDate) -> i64 {
    d.and_hms_milli_opt(23, 59, 59, 999)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or(i64::MAX)
}

/// The earliest and the latest day of a millisecond timestamp column (`None` when empty).
fn date_range(df: &DataFrame, column: &str) -> Result<[Option<NaiveDate>; 2]> {
    let v = df
        .column(column)
        .and_then(|c| c.cast(&DataType::Int64))
        .ctx("finding the first and the latest date")?;
    let v = v.i64().ctx("finding the first and the latest date")?;
    let day = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map(|t| t.date_naive())
    };
    Ok([day(v.min()), day(v.max())])
}

/// Removes rows matching each condition in turn, counting them in the report.
fn skip_rows(
    mut df: DataFrame,
    report: &mut TableReport,
    conditions: &[(Expr, SkipReason)],
) -> Result<DataFrame> {
    for (cond, reason) in conditions {
        let cond = cond.clone().fill_null(lit(false));
        // Frames that no longer carry line numbers (pivoted surveys, typed customers) count
        // their skips without lines.
        let has_lines = df.column(LINE).is_ok();
        let skipped = df
            .clone()
            .lazy()
            .filter(cond.clone())
            .select([if has_lines {
                col(LINE)
            } else {
                col("customer_id")
            }])
            .collect()
            .ctx("counting skipped rows")?;
        if skipped.height() > 0 {
            let first_lines = if has_lines {
                skipped
                    .column(LINE)
                    .and_then(|c| c.cast(&DataType::UInt64))
                    .ctx("counting skipped rows")?
                    .u64()
                    .ctx("counting skipped rows")?
                    .into_no_null_iter()
                    .take(SHOW_LINES)
                    .map(|v| v as usize)
                    .collect()
            } else {
                Vec::new()
            };
            report
                .skipped
                .push(Skip::new(*reason, skipped.height(), first_lines));
            df = df
                .lazy()
                .filter(cond.not())
                .collect()
                .ctx("skipping rows")?;
        }
    }
    Ok(df)
}

fn concat_frames(frames: Vec<DataFrame>) -> Result<DataFrame> {
    let lfs: Vec<LazyFrame> = frames.into_iter().map(|f| f.lazy()).collect();
    concat(lfs, UnionArgs::default())
        .and_then(|lf| lf.collect())
        .ctx("combining returns")
}

fn fail_blank(raw: &RawTable, parsed: &DataFrame, fields: &[&str]) -> Result<()> {
    for f in fields {
        check_rule(
            raw,
            parsed,
            f,
            col(*f).is_null(),
            "is empty, but every row needs this value",
        )?;
    }
    Ok(())
}

/// Money bounds: every amount of `field` (computed by `amount`, e.g. unit price × quantity)
/// is at most [`MONEY_MAX`] and the running total of the column over the file stays within
/// [`MONEY_TOTAL_MAX`], so that sums of micro-units never overflow. The first breach is an
/// error naming its line and column.
fn check_money(
    raw: &RawTable,
    parsed: &DataFrame,
    field: &str,
    amount: Expr,
    what: &str,
) -> Result<()> {
    if !raw.has(field) {
        return Ok(());
    }
    let a = parsed
        .clone()
        .lazy()
        .select([amount.cast(DataType::Float64).alias("__amount")])
        .collect()
        .ctx("checking money amounts")?;
    let a = a
        .column("__amount")
        .and_then(|c| c.f64().cloned())
        .ctx("checking money amounts")?;
    let mut total = 0.0f64;
    for (i, v) in a.iter().enumerate() {
        let Some(v) = v else { continue };
        // NaN and infinities are beyond the bound too.
        let within = v.abs() <= MONEY_MAX;
        let rule = if !within {
            Some(format!(
                "gives a {what} of {v:e}, beyond 10^12, segmint's bound for one amount of money (sums are exact integers of micro-units); check the value, or express the money in a larger unit (e.g. thousands)"
            ))
        } else {
            total += v.abs();
            (total > MONEY_TOTAL_MAX).then(|| {
                "takes the total of the column over the file beyond 4 × 10^12, segmint's bound for the money of one table (sums are exact integers of micro-units); express the money in a larger unit (e.g. thousands)".to_string()
            })
        };
        if let Some(rule) = rule {
            return Err(Error::InvalidValue {
                place: place(raw, field, line_at(parsed, i)?),
                value: raw_value_at(raw, parsed, field, i),
                rule,
            });
        }
    }
    Ok(())
}

fn read_raw(
    config: &Config,
    table: &'static str,
    opts: &FileOptions,
    fields: Vec<(String, String)>,
) -> Result<(RawTable, TableReport)> {
    let path = config.resolve(opts);
    let raw = read_table(table, &path, opts, &fields)?;
    let report = TableReport {
        table: table.into(),
        file: path,
        sheet: raw.sheet.clone(),
        rows_read: raw.df.height(),
        rows_used: raw.df.height(),
        skipped: Vec::new(),
    };
    Ok((raw, report))
}

/// What the transactions table has.
struct TxInfo {
    has_order: bool,
    has_price: bool,
    has_total: bool,
    has_discount: bool,
    has_cost: bool,
    has_margin: bool,
    has_refund_qty: bool,
    has_refund_amount: bool,
    default_margin: Option<f64>,
    notes: Vec<RunNote>,
    optional: Vec<&'static str>,
}

struct Tx {
    frame: DataFrame,
    report: TableReport,
    info: TxInfo,
    /// The products table read and how the lines found their products.
    products: Option<(TableReport, super::ProductJoin)>,
}

fn read_transactions(config: &Config, pieces: Pieces) -> Result<Tx> {
    let t = &config.mapping.transactions;
    let c = &t.columns;
    let fields = mapped(&[
        ("customer_id", Some(&c.customer_id)),
        ("order_id", c.order_id.as_ref()),
        ("ts", Some(&c.timestamp)),
        ("quantity", Some(&c.quantity)),
        ("unit_price", c.unit_price.as_ref()),
        ("line_total", c.line_total.as_ref()),
        ("product_id", c.product_id.as_ref()),
        ("category", c.category.as_ref()),
        ("brand", c.brand.as_ref()),
        ("unit_cost", c.unit_cost.as_ref()),
        ("margin_pct", c.margin_pct.as_ref()),
        ("discount", c.discount.as_ref()),
        ("discount_pct", c.discount_pct.as_ref()),
        ("channel", c.channel.as_ref()),
        ("refunded_quantity", c.refunded_quantity.as_ref()),
        ("refunded_amount", c.refunded_amount.as_ref()),
    ]);
    let opts = t.file();
    let path = config.resolve(&opts);
    let (raw, df) = super::read::read_parsed(
        "transactions",
        &path,
        &opts,
        &fields,
        &[
            ("customer_id", Kind::Text),
            ("order_id", Kind::Text),
            ("ts", Kind::Timestamp),
            ("quantity", Kind::Number),
            ("unit_price", Kind::Number),
            ("line_total", Kind::Number),
            ("product_id", Kind::Text),
            ("category", Kind::Text),
            ("brand", Kind::Text),
            ("unit_cost", Kind::Number),
            ("margin_pct", Kind::Number),
            ("discount", Kind::Number),
            ("discount_pct", Kind::Number),
            ("channel", Kind::Text),
            ("refunded_quantity", Kind::Number),
            ("refunded_amount", Kind::Number),
        ],
        pieces,
    )?;
    let report = TableReport {
        table: "transactions".into(),
        file: path,
        sheet: raw.sheet.clone(),
        rows_read: df.height(),
        rows_used: df.height(),
        skipped: Vec::new(),
    };
    let mut required = vec!["ts", "quantity"];
    if raw.has("unit_price") && !raw.has("line_total") {
        required.push("unit_price");
    }
    if raw.has("line_total") && !raw.has("unit_price") {
        required.push("line_total");
    }
    fail_blank(&raw, &df, &required)?;
    let negative = |f: &str, what: &str| {
        check_rule(
            &raw,
            &df,
            f,
            col(f).lt(lit(0.0)),
            &format!("is a negative {what}; it must be 0 or more (a return is a negative quantity, a refund column or a returns table)"),
        )
    };
    negative("unit_price", "unit price")?;
    negative("unit_cost", "unit cost")?;
    negative("discount", "discount")?;
    negative("refunded_quantity", "refunded quantity")?;
    negative("refunded_amount", "refunded amount")?;
    check_rule(
        &raw,
        &df,
        "margin_pct",
        col("margin_pct").gt(lit(100.0)),
        "is a margin above 100%; give the margin in percent of the price (e.g. 45 for 45%)",
    )?;
    check_rule(
        &raw,
        &df,
        "margin_pct",
        col("margin_pct").lt(lit(-100.0)),
        "is a margin below -100% (a cost above twice the price); give the margin in percent of the price (e.g. 45 for 45%)",
    )?;
    negative("discount_pct", "discount percentage")?;
    check_rule(
        &raw,
        &df,
        "discount_pct",
        col("discount_pct").gt(lit(100.0)),
        "is a discount above 100%; give the discount in percent of the price before discount (e.g. 20 for 20%)",
    )?;
    if raw.has("line_total") {
        check_rule(
            &raw,
            &df,
            "discount_pct",
            col("discount_pct")
                .eq(lit(100.0))
                .and(col("line_total").neq(lit(0.0))),
            "is a 100% discount on a line that was paid for (its line total is not 0)",
        )?;
    }
    check_rule(
        &raw,
        &df,
        "refunded_quantity",
        col("refunded_quantity").gt(col("quantity").abs()),
        "is more than the quantity bought on the line",
    )?;
    check_rule(
        &raw,
        &df,
        "line_total",
        col("line_total")
            .lt(lit(0.0))
            .and(col("quantity").gt(lit(0.0))),
        "is a negative line total on a line with a positive quantity",
    )?;
    if raw.has("discount") && raw.has("unit_price") {
        let gross = col("quantity").abs() * col("unit_price");
        check_rule(
            &raw,
            &df,
            "discount",
            col("discount").gt(gross.clone() * lit(1.0 + 1e-9) + lit(1e-6)),
            "is more than the line's unit price × quantity; a discount is the amount taken off the line, at most its price (a line without price has no discount)",
        )?;
    }
    // A cancellation prefix marks a few lines; on most of them it is a wrong mapping (order
    // ids like "CS-1001" with cancel_prefix = "C"), which would turn every sale into a return.
    if let (Some(p), true) = (t.cancel_prefix.as_deref(), raw.has("order_id")) {
        let prefixed = cancelled(p);
        let counts = df
            .clone()
            .lazy()
            .select([
                prefixed
                    .clone()
                    .sum()
                    .cast(DataType::UInt64)
                    .alias("prefixed"),
                col("order_id").count().cast(DataType::UInt64).alias("ids"),
            ])
            .collect()
            .ctx("counting cancellations")?;
        let get = |c: &str| -> Result<u64> {
            Ok(counts
                .column(c)
                .and_then(|c| c.u64().cloned())
                .ctx("counting cancellations")?
                .get(0)
                .unwrap_or(0))
        };
        let (prefixed_n, ids) = (get("prefixed")?, get("ids")?);
        if prefixed_n * 2 > ids {
            check_rule(
                &raw,
                &df,
                "order_id",
                prefixed,
                &format!(
                    "starts with cancel_prefix {p:?}, and so do {prefixed_n} of the {ids} order lines with an order id: a cancellation prefix marks a few cancelled orders, not most of them; if these are ordinary orders, remove cancel_prefix from [transactions]"
                ),
            )?;
        }
    }
    let q = || col("quantity").abs();
    check_money(
        &raw,
        &df,
        "unit_price",
        q() * col("unit_price"),
        "unit price × quantity",
    )?;
    check_money(
        &raw,
        &df,
        "line_total",
        col("line_total").abs(),
        "line total",
    )?;
    check_money(
        &raw,
        &df,
        "unit_cost",
        q() * col("unit_cost"),
        "unit cost × quantity",
    )?;
    check_money(&raw, &df, "discount", col("discount"), "discount")?;
    check_money(
        &raw,
        &df,
        "refunded_amount",
        col("refunded_amount"),
        "refunded amount",
    )?;
    // A discount rate becomes the amount taken off the line: of the price before discount
    // when there is one, else of the total paid (total × rate / (100 − rate)). A free line
    // (100 % off, total 0) has no price to take the amount from: 0.
    let df = if raw.has("discount_pct") {
        let rate = col("discount_pct") / lit(100.0);
        let of_price = col("quantity").abs() * col("unit_price") * rate.clone();
        let of_total = when(col("discount_pct").lt(lit(100.0)))
            .then(col("line_total").abs() * rate.clone() / (lit(1.0) - rate))
            .otherwise(lit(0.0));
        let amount = match (raw.has("unit_price"), raw.has("line_total")) {
            (true, true) => when(col("unit_price").is_not_null())
                .then(of_price)
                .otherwise(of_total),
            (true, false) => of_price,
            _ => of_total,
        };
        df.lazy()
            .with_column(amount.alias("discount"))
            .collect()
            .ctx("deriving the discount amount from the discount percentage")?
    } else {
        df
    };
    let (df, products, from_products) = match &config.mapping.products {
        Some(pt) if raw.has("product_id") => {
            let (prod, preport) = read_products(config, pt)?;
            let (df, join, fields) = join_products(df, prod)?;
            (df, Some((preport, join)), fields)
        }
        _ => (df, None, Vec::new()),
    };
    let has = |f: &str| raw.has(f) || from_products.iter().any(|p| p == f);
    let default_margin = config.mapping.features.default_margin_pct;
    let mut notes = Vec::new();
    if !has("unit_cost") && !has("margin_pct") {
        notes.push(match default_margin {
            Some(m) => RunNote::AssumedMargin { margin_pct: m },
            None => RunNote::NoCost,
        });
    }
    if !raw.has("order_id") {
        notes.push(RunNote::NoOrderId);
    }
    let optional = ["product_id", "category", "brand", "channel"]
        .into_iter()
        .filter(|f| has(f))
        .collect();
    let info = TxInfo {
        has_order: raw.has("order_id"),
        has_price: raw.has("unit_price"),
        has_total: raw.has("line_total"),
        has_discount: raw.has("discount") || raw.has("discount_pct"),
        has_cost: has("unit_cost"),
        has_margin: has("margin_pct"),
        has_refund_qty: raw.has("refunded_quantity"),
        has_refund_amount: raw.has("refunded_amount"),
        default_margin,
        notes,
        optional,
    };
    Ok(Tx {
        frame: df,
        report,
        info,
        products,
    })
}

/// The fields a products table can give the order lines.
const PRODUCT_FIELDS: [&str; 4] = ["category", "brand", "unit_cost", "margin_pct"];

/// Reads `[products]`: one row per product id (a repeated id is an error naming both lines),
/// rows without a product id skipped and counted.
fn read_products(
    config: &Config,
    t: &crate::config::ProductsTable,
) -> Result<(DataFrame, TableReport)> {
    let c = &t.columns;
    let fields = mapped(&[
        ("product_id", Some(&c.product_id)),
        ("category", c.category.as_ref()),
        ("subcategory", c.subcategory.as_ref()),
        ("brand", c.brand.as_ref()),
        ("unit_cost", c.unit_cost.as_ref()),
        ("margin_pct", c.margin_pct.as_ref()),
    ]);
    let opts = t.file();
    let (raw, mut report) = read_raw(config, "products", &opts, fields)?;
    let df = parse(
        &raw,
        &opts,
        &[
            ("product_id", Kind::Text),
            ("category", Kind::Text),
            ("subcategory", Kind::Text),
            ("brand", Kind::Text),
            ("unit_cost", Kind::Number),
            ("margin_pct", Kind::Number),
        ],
    )?;
    check_rule(
        &raw,
        &df,
        "unit_cost",
        col("unit_cost").lt(lit(0.0)),
        "is a negative unit cost; it must be 0 or more",
    )?;
    check_rule(
        &raw,
        &df,
        "margin_pct",
        col("margin_pct")
            .gt(lit(100.0))
            .or(col("margin_pct").lt(lit(-100.0))),
        "is a margin outside -100% to 100%; give the margin in percent of the price (e.g. 45 for 45%)",
    )?;
    check_money(&raw, &df, "unit_cost", col("unit_cost"), "unit cost")?;
    let df = skip_rows(
        df,
        &mut report,
        &[(col("product_id").is_null(), SkipReason::NoProductId)],
    )?;
    // One row per product.
    let ids = df.column("product_id").ctx("reading product ids")?;
    let ids = ids.str().ctx("reading product ids")?;
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        if let Some(&first) = seen.get(id) {
            return Err(Error::InvalidValue {
                place: place(&raw, "product_id", line_at(&df, i)?),
                value: id.to_string(),
                rule: format!(
                    "appears twice (first on line {}); [products] needs one row per product id",
                    line_at(&df, first)?
                ),
            });
        }
        seen.insert(id, i);
    }
    report.rows_used = df.height();
    Ok((df, report))
}

/// Joins the order lines to their products: a line's own value wins where both exist. Returns
/// the joined lines (in their order), how many found their product, and the fields the
/// products gave.
fn join_products(
    lines: DataFrame,
    products: DataFrame,
) -> Result<(DataFrame, super::ProductJoin, Vec<String>)> {
    let given: Vec<&str> = PRODUCT_FIELDS
        .into_iter()
        .filter(|f| products.column(f).is_ok())
        .collect();
    let mut right = vec![col("product_id"), lit(true).alias("__p_found")];
    right.extend(given.iter().map(|f| col(*f).alias(format!("__p_{f}"))));
    let joined = lines
        .lazy()
        .join(
            products.lazy().select(right),
            [col("product_id")],
            [col("product_id")],
            JoinArgs::new(JoinType::Left),
        )
        .sort([LINE], Default::default())
        .collect()
        .ctx("joining order lines to products")?;
    let found = joined
        .column("__p_found")
        .ctx("joining order lines to products")?
        .bool()
        .ctx("joining order lines to products")?;
    let missing: Vec<usize> = found
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_none())
        .map(|(i, _)| i)
        .collect();
    let first_missing_lines = missing
        .iter()
        .take(SHOW_LINES)
        .map(|&i| line_at(&joined, i))
        .collect::<Result<Vec<_>>>()?;
    let join = super::ProductJoin {
        lines: joined.height(),
        found: joined.height() - missing.len(),
        first_missing_lines,
    };
    let has = |f: &str| joined.column(f).is_ok();
    let mut exprs = Vec::new();
    for f in &given {
        let p = col(format!("__p_{f}"));
        exprs.push(if has(f) {
            coalesce(&[col(*f), p]).alias(*f)
        } else {
            p.alias(*f)
        });
    }
    let mut out = joined
        .lazy()
        .with_columns(exprs)
        .collect()
        .ctx("joining order lines to products")?;
    let drop: Vec<String> = out
        .get_column_names()
        .iter()
        .filter(|n| n.starts_with("__p_"))
        .map(|n| n.to_string())
        .collect();
    for d in drop {
        out.drop_in_place(&d)
            .ctx("joining order lines to products")?;
    }
    Ok((out, join, given.iter().map(|f| f.to_string()).collect()))
}

/// Whether an order id starts with the mapping's cancellation prefix.
fn cancelled(prefix: &str) -> Expr {
    col("order_id").str().starts_with(lit(prefix.to_string()))
}

/// Splits lines into purchases (with money columns) and returns of conventions (b) and (c).
fn split_returns(
    df: DataFrame,
    info: &TxInfo,
    cancel_prefix: Option<&str>,
) -> Result<(DataFrame, DataFrame)> {
    let q = col("quantity").abs();
    let discount = if info.has_discount {
        col("discount").fill_null(lit(0.0))
    } else if info.has_price && info.has_total {
        (q.clone() * col("unit_price") - col("line_total").abs()).clip(lit(0.0), lit(f64::INFINITY))
    } else {
        lit(0.0)
    };
    let gross = if info.has_price && !info.has_total {
        q.clone() * col("unit_price")
    } else if info.has_price {
        when(col("unit_price").is_not_null())
            .then(q.clone() * col("unit_price"))
            .otherwise(col("line_total").abs() + col("discount_"))
    } else {
        col("line_total").abs() + col("discount_")
    };
    let paid = if info.has_total && info.has_price {
        when(col("line_total").is_not_null())
            .then(col("line_total").abs())
            .otherwise(col("gross") - col("discount_"))
    } else if info.has_total {
        col("line_total").abs()
    } else {
        col("gross") - col("discount_")
    };
    let cogs = if info.has_cost {
        let fallback = match (info.has_margin, info.default_margin) {
            (true, _) => col("paid") * (lit(1.0) - col("margin_pct") / lit(100.0)),
            (false, Some(m)) => col("paid") * lit(1.0 - m / 100.0),
            (false, None) => lit(0.0),
        };
        when(col("unit_cost").is_not_null())
            .then(q.clone() * col("unit_cost"))
            .otherwise(fallback)
    } else if info.has_margin {
        col("paid") * (lit(1.0) - col("margin_pct").fill_null(lit(0.0)) / lit(100.0))
    } else if let Some(m) = info.default_margin {
        col("paid") * lit(1.0 - m / 100.0)
    } else {
        lit(0.0)
    };
    let order = if info.has_order {
        col("order_id")
    } else {
        concat_str(
            [
                col("customer_id"),
                col("ts").cast(DataType::Int64).cast(DataType::String),
            ],
            "@",
            true,
        )
    };
    let mut is_return = col("quantity").lt(lit(0.0));
    let mut order_key = order.clone();
    if let (Some(p), true) = (cancel_prefix, info.has_order) {
        let prefixed = cancelled(p);
        is_return = is_return.or(prefixed.clone().fill_null(lit(false)));
        order_key = when(prefixed)
            .then(col("order_id").str().strip_prefix(lit(p.to_string())))
            .otherwise(col("order_id"));
    }
    let mut keep = vec![
        col("customer_id"),
        col("ts"),
        col("quantity"),
        col("gross"),
        col("discount_"),
        col("paid"),
        col("cogs"),
    ];
    for f in &info.optional {
        keep.push(col(*f));
    }
    let lf = df
        .lazy()
        .with_columns([
            order_key.alias("order_id"),
            is_return.alias("__return"),
            discount.alias("discount_"),
        ])
        .with_column(gross.alias("gross"))
        .with_column(paid.alias("paid"))
        .with_column(cogs.alias("cogs"));
    let lf = if info.has_refund_qty || info.has_refund_amount {
        lf.with_columns([
            if info.has_refund_qty {
                col("refunded_quantity").fill_null(lit(0.0))
            } else {
                lit(0.0)
            }
            .alias("__rq"),
            if info.has_refund_amount {
                col("refunded_amount").fill_null(lit(0.0))
            } else {
                lit(0.0)
            }
            .alias("__ra"),
        ])
    } else {
        lf.with_columns([lit(0.0).alias("__rq"), lit(0.0).alias("__ra")])
    };
    let all = lf.collect().ctx("computing line amounts")?;

    let mut purchase_cols = vec![col("order_id")];
    purchase_cols.extend(keep.iter().cloned());
    let purchases = all
        .clone()
        .lazy()
        .filter(col("__return").not())
        .select(purchase_cols)
        .rename(["quantity", "discount_"], ["quantity", "discount"], true)
        .collect()
        .ctx("selecting purchase lines")?;

    let null_handling = lit(NULL).cast(DataType::Float64).alias("handling");
    // (b) return lines.
    let returned_lines = all.clone().lazy().filter(col("__return")).select([
        col("customer_id"),
        col("order_id"),
        col("quantity").abs().alias("quantity"),
        col("paid").alias("refund"),
        col("cogs"),
        null_handling.clone(),
    ]);
    // (c) refund columns on purchase lines.
    let unit_paid = col("paid") / col("quantity").abs();
    let refunded_qty = if info.has_refund_qty {
        col("__rq")
    } else {
        col("__ra") / unit_paid.clone()
    };
    let refunded_lines = all
        .lazy()
        .filter(
            col("__return")
                .not()
                .and(col("__rq").gt(lit(0.0)).or(col("__ra").gt(lit(0.0)))),
        )
        .with_column(refunded_qty.alias("__q"))
        .select([
            col("customer_id"),
            col("order_id"),
            col("__q").alias("quantity"),
            if info.has_refund_amount {
                col("__ra")
            } else {
                col("__q") * unit_paid
            }
            .alias("refund"),
            (col("cogs") * col("__q") / col("quantity").abs()).alias("cogs"),
            null_handling,
        ]);
    let returns = concat([returned_lines, refunded_lines], UnionArgs::default())
        .and_then(|lf| lf.collect())
        .ctx("collecting returns")?;
    Ok((purchases, returns))
}

fn read_returns(
    config: &Config,
    t: &crate::config::ReturnsTable,
    purchases: &DataFrame,
    cutoff: i64,
) -> Result<(DataFrame, TableReport)> {
    let c = &t.columns;
    let fields = mapped(&[
        ("order_id", Some(&c.order_id)),
        ("product_id", c.product_id.as_ref()),
        ("quantity", Some(&c.quantity)),
        ("refund", c.refund.as_ref()),
        ("handling", c.handling_cost.as_ref()),
        ("ts", c.timestamp.as_ref()),
    ]);
    let opts = t.file();
    let (raw, mut report) = read_raw(config, "returns", &opts, fields)?;
    let df = parse(
        &raw,
        &opts,
        &[
            ("order_id", Kind::Text),
            ("product_id", Kind::Text),
            ("quantity", Kind::Number),
            ("refund", Kind::Number),
            ("handling", Kind::Number),
            ("ts", Kind::Timestamp),
        ],
    )?;
    fail_blank(&raw, &df, &["order_id", "quantity"])?;
    check_rule(
        &raw,
        &df,
        "handling",
        col("handling").lt(lit(0.0)),
        "is a negative handling cost",
    )?;
    check_money(&raw, &df, "refund", col("refund").abs(), "refund")?;
    check_money(&raw, &df, "handling", col("handling"), "handling cost")?;
    let mut conditions = vec![(
        col("quantity").eq(lit(0.0)),
        SkipReason::ZeroReturnedQuantity,
    )];
    if raw.has("ts") {
        conditions.push((
            col("ts").cast(DataType::Int64).gt(lit(cutoff)),
            SkipReason::AfterAsOf,
        ));
    }
    let df = skip_rows(df, &mut report, &conditions)?;
    let by_product = raw.has("product_id") && purchases.column("product_id").is_ok();
    let keys: Vec<Expr> = if by_product {
        vec![col("order_id"), col("product_id")]
    } else {
        vec![col("order_id")]
    };
    // Only the lines of returned orders are summed: grouping every order line of a big shop
    // by its key costs gigabytes for groups no return matches.
    let returned = df
        .column("order_id")
        .and_then(|c| c.as_materialized_series().unique())
        .ctx("matching returns to orders")?;
    let bought = purchases
        .clone()
        .lazy()
        .filter(
            col("order_id")
                .is_in(lit(returned).implode(false), false)
                .fill_null(lit(false)),
        )
        .group_by_stable(keys.clone())
        .agg([
            col("customer_id").first().alias("customer_id"),
            col("quantity").sum().alias("__bq"),
            col("paid").sum().alias("__bp"),
            col("cogs").sum().alias("__bc"),
        ]);
    let key_names: Vec<&str> = if by_product {
        vec!["order_id", "product_id"]
    } else {
        vec!["order_id"]
    };
    let joined = df
        .lazy()
        .join(
            bought,
            key_names.iter().map(|k| col(*k)).collect::<Vec<_>>(),
            key_names.iter().map(|k| col(*k)).collect::<Vec<_>>(),
            JoinArgs::new(JoinType::Left),
        )
        .collect()
        .ctx("matching returns to orders")?;
    let unmatched = if by_product {
        SkipReason::ReturnWithoutOrderLine
    } else {
        SkipReason::ReturnWithoutOrder
    };
    let joined = skip_rows(
        joined,
        &mut report,
        &[(col("customer_id").is_null(), unmatched)],
    )?;
    report.rows_used = joined.height();
    let q = col("quantity").abs();
    let refund = if raw.has("refund") {
        when(col("refund").is_not_null())
            .then(col("refund").abs())
            .otherwise(q.clone() * col("__bp") / col("__bq"))
    } else {
        q.clone() * col("__bp") / col("__bq")
    };
    let handling = if raw.has("handling") {
        col("handling")
    } else {
        lit(NULL).cast(DataType::Float64)
    };
    let out = joined
        .lazy()
        .select([
            col(LINE),
            col("customer_id"),
            col("order_id"),
            q.clone().alias("quantity"),
            refund.alias("refund"),
            (q * col("__bc") / col("__bq")).alias("cogs"),
            handling.alias("handling"),
        ])
        .collect()
        .ctx("computing refunds")?;
    // A returned quantity far above the quantity bought can make the computed refund or cost
    // exceed the money bound: an error at its line, never an overflow.
    for amount in ["refund", "cogs"] {
        let v = out
            .column(amount)
            .and_then(|c| c.f64().cloned())
            .ctx("checking refunds")?;
        let mut total = 0.0f64;
        for (i, x) in v.iter().enumerate() {
            let Some(x) = x else { continue };
            total += x.abs();
            let within = x.abs() <= MONEY_MAX && total <= MONEY_TOTAL_MAX;
            if !within {
                let line = line_at(&out, i)?;
                return Err(Error::InvalidValue {
                    place: Box::new(crate::error::Place {
                        file: raw.path.clone(),
                        line,
                        column: raw.column_of("quantity").to_string(),
                        sheet: raw.sheet.clone(),
                    }),
                    value: out
                        .column("quantity")
                        .ctx("checking refunds")?
                        .get(i)
                        .map(|v| v.to_string())
                        .unwrap_or_default(),
                    rule: format!("gives a computed {amount} of {x:e} (the returned quantity at the price paid), beyond segmint's bound for money (10^12 per line, 4 × 10^12 per table); check the returned quantity"),
                });
            }
        }
    }
    let out = out.drop(LINE).ctx("computing refunds")?;
    Ok((out, report))
}

/// The events table read: its browsing sums, its rows' report, and when each customer was
/// first seen in it.
struct EventsRead {
    browsing: super::Browsing,
    report: TableReport,
    /// `customer_id, __first` (earliest event in milliseconds) over every row with a customer,
    /// skipped or not.
    seen: DataFrame,
    /// The latest event of any row, in milliseconds.
    latest: Option<i64>,
}

impl EventsRead {
    /// Pseudonymises the customer ids of every frame; the report counts the ids of `seen`
    /// (every customer of the file).
    fn pseudonymise(
        &mut self,
        pseudo: &mut Pseudonymiser,
        client_column: &str,
    ) -> Result<Option<super::pseudo::Pseudonymised>> {
        let found = pseudo.apply(&mut self.seen, "customer_id", "events", client_column)?;
        if found.is_some() {
            let b = &mut self.browsing;
            let mut frames = vec![&mut b.customers, &mut b.sessions];
            frames.extend(b.category_views.as_mut());
            // The rows handed over piece by piece were pseudonymised before they were.
            for df in frames {
                pseudo.apply(df, "customer_id", "events", client_column)?;
            }
        }
        Ok(found)
    }
}

fn date_of_ms(ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.date_naive())
}

/// Reads the events table in pieces ([`super::read::read_pieces`]): each piece is typed and checked (a
/// bad value stops the run naming its line), its skips counted, its kept rows summed per
/// customer, per session and per viewed category; the sums of all pieces are then added up.
/// Rows later than `cutoff` (milliseconds) are skipped.
fn read_events(
    config: &Config,
    opts: FileOptions,
    c: &crate::config::EventColumns,
    types: &EventTypes,
    cutoff: i64,
    pieces: Pieces,
    rows: RowSink,
) -> Result<EventsRead> {
    let fields = mapped(&[
        ("customer_id", Some(&c.customer_id)),
        ("session_id", Some(&c.session_id)),
        ("ts", Some(&c.timestamp)),
        ("event_type", Some(&c.event_type)),
        ("category", c.category.as_ref()),
        (
            "dwell",
            c.dwell_seconds.as_ref().or(c.dwell_milliseconds.as_ref()),
        ),
    ]);
    let path = config.resolve(&opts);
    let mut sums = EventSums::new(
        c.category.is_some(),
        c.dwell_seconds.is_some() || c.dwell_milliseconds.is_some(),
        rows,
    );
    let mut sheet = None;
    super::read::read_pieces("events", &path, &opts, &fields, pieces, |df, s| {
        sheet.clone_from(&s);
        let raw = RawTable {
            table: "events",
            path: path.clone(),
            df,
            columns: fields.clone(),
            sheet: s,
            delimiter: None,
        };
        sums.add(&raw, &opts, c, types, cutoff)
    })?;
    sums.finish(TableReport {
        table: "events".into(),
        file: path,
        sheet,
        rows_read: 0,
        rows_used: 0,
        skipped: Vec::new(),
    })
}

/// Where the events' rows go, piece by piece.
enum RowSink<'a> {
    /// Nowhere.
    Nowhere,
    /// To `each`, their customer ids pseudonymised first.
    Each {
        each: EventRows<'a>,
        pseudo: &'a mut Pseudonymiser,
        /// The client's customer id column (for the pseudonymiser's report).
        client_column: &'a str,
        /// Whether a piece with rows was handed over.
        handed: bool,
        /// A piece without rows, kept until a piece has some: an events table whose rows
        /// are all skipped is handed over as one frame without rows.
        empty: Option<DataFrame>,
    },
}

impl RowSink<'_> {
    /// Takes the rows of one piece.
    fn take(&mut self, mut rows: DataFrame) -> Result<()> {
        if let RowSink::Each {
            each,
            pseudo,
            client_column,
            handed,
            empty,
        } = self
        {
            if rows.height() == 0 {
                if !*handed && empty.is_none() {
                    *empty = Some(rows);
                }
                return Ok(());
            }
            pseudo.apply(&mut rows, "customer_id", "events", client_column)?;
            *handed = true;
            each(rows)?;
        }
        Ok(())
    }

    /// After the last piece.
    fn finish(self) -> Result<()> {
        if let RowSink::Each {
            each,
            handed: false,
            empty,
            ..
        } = self
        {
            let empty =
                empty.ok_or_else(|| Error::Data("the events table gave no piece".into()))?;
            each(empty)?;
        }
        Ok(())
    }
}

/// The running sums of the events table, piece by piece.
struct EventSums<'a> {
    has_category: bool,
    has_dwell: bool,
    rows_read: usize,
    skipped: Vec<Skip>,
    latest: Option<i64>,
    seen: Vec<DataFrame>,
    customers: Vec<DataFrame>,
    sessions: Vec<DataFrame>,
    category_views: Vec<DataFrame>,
    rows: RowSink<'a>,
}

/// Pieces after which partial sums per customer are added up.
const MERGE_EVERY: usize = 8;

/// Parts of the customers whose sessions are added up together at the end of the events.
const SESSION_PARTS: u32 = 8;

/// The part of every customer id (FNV-1a of its bytes, modulo [`SESSION_PARTS`]): the same id
/// is in the same part in every piece.
fn session_part(ids: &StringChunked) -> Vec<u32> {
    ids.iter()
        .map(|v| {
            let h = v
                .unwrap_or("")
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
                });
            (h % u64::from(SESSION_PARTS)) as u32
        })
        .collect()
}

fn stack(frames: Vec<DataFrame>) -> Result<LazyFrame> {
    let lfs: Vec<LazyFrame> = frames.into_iter().map(|f| f.lazy()).collect();
    concat(lfs, UnionArgs::default()).ctx("adding up the pieces of the events")
}

// Stable group-bys (in the order customers first appear in the file): the order of a table,
// and the order in which sums are added, never depend on the threads.

fn merge_customers(frames: Vec<DataFrame>) -> Result<DataFrame> {
    stack(frames)?
        .group_by_stable([col("customer_id")])
        .agg([
            col("events").sum(),
            col("product_views").sum(),
            col("cart_adds").sum(),
            col("searches").sum(),
            col("first_ts").min(),
            col("last_ts").max(),
            col("dwell_sum").sum(),
            col("dwell_n").sum(),
        ])
        .collect()
        .ctx("summing events per customer")
}

fn merge_category_views(frames: Vec<DataFrame>) -> Result<DataFrame> {
    stack(frames)?
        .group_by_stable([col("customer_id"), col("category")])
        .agg([col("views").sum()])
        .collect()
        .ctx("summing views per category")
}

fn merge_seen(frames: Vec<DataFrame>) -> Result<DataFrame> {
    stack(frames)?
        .group_by_stable([col("customer_id")])
        .agg([col("__first").min()])
        .collect()
        .ctx("finding when customers were first seen")
}

impl<'a> EventSums<'a> {
    fn new(has_category: bool, has_dwell: bool, rows: RowSink<'a>) -> EventSums<'a> {
        EventSums {
            has_category,
            has_dwell,
            rows_read: 0,
            skipped: Vec::new(),
            latest: None,
            seen: Vec::new(),
            customers: Vec::new(),
            sessions: Vec::new(),
            category_views: Vec::new(),
            rows,
        }
    }

    /// Types, checks and sums one piece of the file.
    fn add(
        &mut self,
        raw: &RawTable,
        opts: &FileOptions,
        c: &crate::config::EventColumns,
        types: &EventTypes,
        cutoff: i64,
    ) -> Result<()> {
        let df = parse(
            raw,
            opts,
            &[
                ("customer_id", Kind::Text),
                ("session_id", Kind::Text),
                ("ts", Kind::Timestamp),
                ("event_type", Kind::Text),
                ("category", Kind::Text),
                ("dwell", Kind::Number),
            ],
        )?;
        fail_blank(raw, &df, &["ts", "event_type"])?;
        check_rule(
            raw,
            &df,
            "dwell",
            col("dwell").lt(lit(0.0)),
            "is a negative dwell time",
        )?;
        self.rows_read += df.height();
        let kind = event_kind(&df, types)?;
        let mut sel = vec![
            col(LINE),
            col("customer_id"),
            col("session_id"),
            col("ts"),
            kind.alias("kind"),
        ];
        if self.has_category {
            sel.push(col("category"));
        }
        if self.has_dwell {
            sel.push(if c.dwell_milliseconds.is_some() {
                (col("dwell") / lit(1000.0)).alias("dwell")
            } else {
                col("dwell")
            });
        }
        let df = df.lazy().select(sel).collect().ctx("typing events")?;
        let ms = col("ts").cast(DataType::Int64);
        let mut report = TableReport {
            table: "events".into(),
            file: raw.path.clone(),
            sheet: raw.sheet.clone(),
            rows_read: 0,
            rows_used: 0,
            skipped: Vec::new(),
        };
        let skip = [
            (col("customer_id").is_null(), SkipReason::AnonymousVisitor),
            (col("session_id").is_null(), SkipReason::NoSessionId),
            (ms.clone().gt(lit(cutoff)), SkipReason::AfterAsOf),
        ];
        // The rows left out still tell when their customer was first seen, and the latest
        // event (the reference date when the mapping gives none).
        let left_out = skip.iter().fold(lit(false), |acc, (c, _)| {
            acc.or(c.clone().fill_null(lit(false)))
        });
        let summary = df
            .clone()
            .lazy()
            .select([
                ms.clone().max().alias("latest"),
                left_out.clone().any(true).alias("any_left_out"),
            ])
            .collect()
            .ctx("finding the latest event")?;
        let value = |c: &str| {
            summary
                .column(c)
                .and_then(|c| c.get(0).map(|v| v.into_static()))
        };
        self.latest = self.latest.max(
            value("latest")
                .ctx("finding the latest event")?
                .extract::<i64>(),
        );
        if value("any_left_out").ctx("finding the latest event")? == AnyValue::Boolean(true) {
            self.seen.push(
                df.clone()
                    .lazy()
                    .filter(left_out.and(col("customer_id").is_not_null()))
                    .group_by_stable([col("customer_id")])
                    .agg([ms.clone().min().alias("__first")])
                    .collect()
                    .ctx("finding when customers were first seen")?,
            );
        }
        let kept = skip_rows(df, &mut report, &skip)?;
        for s in report.skipped {
            match self.skipped.iter_mut().find(|k| k.kind == s.kind) {
                Some(k) => {
                    k.rows += s.rows;
                    let room = SHOW_LINES.saturating_sub(k.first_lines.len());
                    k.first_lines.extend(s.first_lines.into_iter().take(room));
                }
                None => self.skipped.push(s),
            }
        }
        let is = |k: &str| col("kind").eq(lit(kind_code(k)));
        let count = |k: &str| is(k).sum().cast(DataType::UInt32);
        let lf = kept.clone().lazy();
        // One group-by over the events, per session; the customers' sums are then added up
        // from the sessions (about a fifth of the rows).
        let dwell = if self.has_dwell {
            vec![
                col("dwell").sum().alias("dwell_sum"),
                col("dwell").count().cast(DataType::UInt32).alias("dwell_n"),
            ]
        } else {
            vec![lit(0.0).alias("dwell_sum"), lit(0u32).alias("dwell_n")]
        };
        let mut aggs = vec![
            len().cast(DataType::UInt32).alias("events"),
            count("view").alias("product_views"),
            count("cart").alias("cart_adds"),
            count("search").alias("searches"),
            is("purchase").any(true).alias("p"),
            ms.clone().min().alias("first_ts"),
            ms.max().alias("last_ts"),
        ];
        aggs.extend(dwell);
        let by_session = lf
            .clone()
            .group_by_stable([col("customer_id"), col("session_id")])
            .agg(aggs)
            .collect()
            .ctx("summing events per session")?;
        // Customers in the order they first appear, as in the events: a customer's first
        // session is the one of its first event.
        self.customers
            .push(merge_customers(vec![by_session.clone()])?);
        let mut sessions = by_session
            .lazy()
            .select([
                col("customer_id"),
                col("session_id"),
                col("product_views").gt(lit(0u32)).alias("v"),
                col("cart_adds").gt(lit(0u32)).alias("c"),
                col("p"),
            ])
            .collect()
            .ctx("summing events per session")?;
        let part = session_part(
            sessions
                .column("customer_id")
                .and_then(|c| c.str())
                .ctx("summing events per session")?,
        );
        sessions
            .with_column(Column::new("__part".into(), part))
            .ctx("summing events per session")?;
        self.sessions.push(sessions);
        if self.has_category {
            self.category_views.push(
                lf.filter(is("view"))
                    .group_by_stable([col("customer_id"), col("category")])
                    .agg([len().cast(DataType::UInt32).alias("views")])
                    .collect()
                    .ctx("summing views per category")?,
            );
        }
        // Customers come back in every piece of a file in time order: their partial sums are
        // added up every few pieces, so they stay at the size of the customers.
        if self.customers.len() >= MERGE_EVERY {
            self.customers = vec![merge_customers(std::mem::take(&mut self.customers))?];
        }
        if self.category_views.len() >= MERGE_EVERY {
            self.category_views = vec![merge_category_views(std::mem::take(
                &mut self.category_views,
            ))?];
        }
        if self.seen.len() >= MERGE_EVERY {
            self.seen = vec![merge_seen(std::mem::take(&mut self.seen))?];
        }
        if !matches!(self.rows, RowSink::Nowhere) {
            let mut names = kept.get_column_names_owned();
            names.retain(|n| n != LINE);
            let sel: Vec<Expr> = names
                .iter()
                .map(|n| {
                    if n == "kind" {
                        kind_name(col("kind")).alias("kind")
                    } else {
                        col(n.clone())
                    }
                })
                .collect();
            self.rows
                .take(kept.lazy().select(sel).collect().ctx("keeping events")?)?;
        }
        Ok(())
    }

    /// Adds up the sums of every piece.
    fn finish(self, mut report: TableReport) -> Result<EventsRead> {
        let customers = merge_customers(self.customers)?;
        // A session cut by the end of a piece is counted once. The sessions are added up
        // one part of the customers at a time (parts by a hash of the id, fixed when each
        // piece was summed), so the session keys are never all grouped at once.
        let mut parts = Vec::with_capacity(SESSION_PARTS as usize);
        for part in 0..SESSION_PARTS {
            let frames: Vec<LazyFrame> = self
                .sessions
                .iter()
                .map(|f| f.clone().lazy().filter(col("__part").eq(lit(part))))
                .collect();
            parts.push(
                concat(frames, UnionArgs::default())
                    .ctx("summing events per session")?
                    .group_by_stable([col("customer_id"), col("session_id")])
                    .agg([col("v").any(true), col("c").any(true), col("p").any(true)])
                    .group_by_stable([col("customer_id")])
                    .agg([
                        len().cast(DataType::UInt32).alias("sessions"),
                        col("c").sum().cast(DataType::UInt32).alias("cart_sessions"),
                        col("c")
                            .and(col("p"))
                            .sum()
                            .cast(DataType::UInt32)
                            .alias("cart_purchase_sessions"),
                        col("v").sum().cast(DataType::UInt32).alias("view_sessions"),
                        col("v")
                            .and(col("p"))
                            .sum()
                            .cast(DataType::UInt32)
                            .alias("view_purchase_sessions"),
                    ])
                    .collect()
                    .ctx("summing events per session")?,
            );
        }
        drop(self.sessions);
        let sessions = stack(parts)?.collect().ctx("summing events per session")?;
        let mut seen = self.seen;
        seen.push(
            customers
                .clone()
                .lazy()
                .select([col("customer_id"), col("first_ts").alias("__first")])
                .collect()
                .ctx("finding when customers were first seen")?,
        );
        let seen = merge_seen(seen)?;
        let category_views = if self.has_category {
            Some(merge_category_views(self.category_views)?)
        } else {
            None
        };
        self.rows.finish()?;
        report.rows_read = self.rows_read;
        // In the order of the reasons, as one piece lists them: which reason a later piece
        // met first must not reorder the report.
        let mut skipped = self.skipped;
        skipped.sort_by_key(|s| SkipReason::ALL.iter().position(|r| *r == s.kind));
        report.skipped = skipped;
        report.rows_used = self.rows_read - report.skipped.iter().map(|s| s.rows).sum::<usize>();
        Ok(EventsRead {
            browsing: super::Browsing {
                customers,
                sessions,
                category_views,
                has_dwell: self.has_dwell,
            },
            report,
            seen,
            latest: self.latest,
        })
    }
}

/// The kind of every event (`purchase`, `cart`, `search`, `view`, `other`) from its type and
/// the mapping's lists (compared without case; the first list in that order that names a type
/// wins): each distinct type is looked up once.
fn event_kind(df: &DataFrame, types: &EventTypes) -> Result<Expr> {
    let distinct = df
        .column("event_type")
        .ctx("reading event types")?
        .unique()
        .ctx("reading event types")?;
    let lists = [
        ("purchase", &types.purchase),
        ("cart", &types.cart),
        ("search", &types.search),
        ("view", &types.view),
    ];
    let mut by_kind: Vec<(&str, Vec<String>)> =
        lists.iter().map(|(k, _)| (*k, Vec::new())).collect();
    for v in distinct.str().ctx("reading event types")?.iter().flatten() {
        let lower = v.to_lowercase();
        if let Some(i) = lists
            .iter()
            .position(|(_, l)| l.iter().any(|t| t.to_lowercase() == lower))
        {
            by_kind[i].1.push(v.to_string());
        }
    }
    let mut kind = lit(KIND_OTHER);
    for (k, values) in by_kind.into_iter().rev() {
        if values.is_empty() {
            continue;
        }
        kind = when(
            col("event_type")
                .is_in(lit(Series::new("".into(), values)).implode(false), false)
                .fill_null(lit(false)),
        )
        .then(lit(kind_code(k)))
        .otherwise(kind);
    }
    Ok(kind)
}

/// Event kinds as small codes while the events are summed (comparing codes, not text).
const KINDS: [&str; 5] = ["other", "view", "cart", "search", "purchase"];
const KIND_OTHER: u8 = 0;

fn kind_code(kind: &str) -> u8 {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

/// The kind's name for a code column.
fn kind_name(code: Expr) -> Expr {
    let mut e = lit(KINDS[0]);
    for (i, k) in KINDS.iter().enumerate().skip(1) {
        e = when(code.clone().eq(lit(i as u8)))
            .then(lit(*k))
            .otherwise(e);
    }
    e
}

/// Finds the first repeated id and fails with [`Error::DuplicateCustomer`].
fn check_unique(raw: &RawTable, df: &DataFrame, keys: &[&str], what: &str) -> Result<()> {
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    let cols: Vec<&StringChunked> = keys
        .iter()
        .map(|k| df.column(k).and_then(|c| c.str()))
        .collect::<std::result::Result<_, _>>()
        .ctx("checking for duplicates")?;
    for i in 0..df.height() {
        let key: Vec<String> = cols
            .iter()
            .map(|c| c.get(i).unwrap_or("").to_string())
            .collect();
        if key[0].is_empty() {
            continue;
        }
        if let Some(&first) = seen.get(&key) {
            return Err(Error::DuplicateCustomer(Box::new(
                crate::error::Duplicate {
                    file: raw.path.clone(),
                    sheet: raw.sheet.clone(),
                    table: raw.table.into(),
                    what: what.into(),
                    column: raw.column_of(keys[0]).into(),
                    id: key.join(" / "),
                    first_line: line_at(df, first)?,
                    line: line_at(df, i)?,
                },
            )));
        }
        seen.insert(key, i);
    }
    Ok(())
}

fn read_survey(config: &Config, t: &SurveyTable) -> Result<(DataFrame, Vec<String>, TableReport)> {
    let opts = t.file();
    let c = &t.columns;
    let (df, items, raw, mut report) = match t.layout {
        SurveyLayout::Wide => {
            let path = config.resolve(&opts);
            let items: Vec<String> = if t.items.is_empty() {
                header_columns("survey", &path, &opts)?
                    .into_iter()
                    .filter(|h| h != &c.customer_id)
                    .collect()
            } else {
                t.items.clone()
            };
            let mut fields = vec![("customer_id".to_string(), c.customer_id.clone())];
            fields.extend(items.iter().map(|i| (format!("item:{i}"), i.clone())));
            let (raw, report) = read_raw(config, "survey", &opts, fields)?;
            let kinds: Vec<(String, Kind)> =
                std::iter::once(("customer_id".to_string(), Kind::Text))
                    .chain(items.iter().map(|i| (format!("item:{i}"), Kind::Number)))
                    .collect();
            let kinds_ref: Vec<(&str, Kind)> =
                kinds.iter().map(|(f, k)| (f.as_str(), *k)).collect();
            let df = parse(&raw, &opts, &kinds_ref)?;
            for i in &items {
                let sc = t.item_scales.get(i).copied().unwrap_or(t.scale);
                let f = format!("item:{i}");
                check_rule(
                    &raw,
                    &df,
                    &f,
                    col(f.as_str()).lt(lit(sc.min)).or(col(f.as_str()).gt(lit(sc.max))),
                    &format!(
                        "is outside the scale {}–{} declared for {i:?} in [survey]; fix the answer or declare the item's scale in [survey.item_scales]",
                        sc.min, sc.max
                    ),
                )?;
            }
            check_unique(&raw, &df, &["customer_id"], "")?;
            let renamed: Vec<Expr> = std::iter::once(col("customer_id"))
                .chain(std::iter::once(col(LINE)))
                .chain(
                    items
                        .iter()
                        .map(|i| col(format!("item:{i}")).alias(i.as_str())),
                )
                .collect();
            let df = df.lazy().select(renamed).collect().ctx("typing survey")?;
            (df, items, raw, report)
        }
        SurveyLayout::Long => {
            let (q, a) = (
                c.question.clone().unwrap_or_default(),
                c.answer.clone().unwrap_or_default(),
            );
            let fields = vec![
                ("customer_id".to_string(), c.customer_id.clone()),
                ("question".to_string(), q),
                ("answer".to_string(), a),
            ];
            let (raw, report) = read_raw(config, "survey", &opts, fields)?;
            let df = parse(
                &raw,
                &opts,
                &[
                    ("customer_id", Kind::Text),
                    ("question", Kind::Text),
                    ("answer", Kind::Number),
                ],
            )?;
            fail_blank(&raw, &df, &["question"])?;
            // Scale check per question.
            let mut rule = lit(false);
            let mut scale_of_default = col("answer")
                .lt(lit(t.scale.min))
                .or(col("answer").gt(lit(t.scale.max)));
            for (item, sc) in &t.item_scales {
                let is = col("question").eq(lit(item.clone()));
                rule = rule.or(is.clone().and(
                    col("answer")
                        .lt(lit(sc.min))
                        .or(col("answer").gt(lit(sc.max))),
                ));
                scale_of_default = scale_of_default.and(is.not());
            }
            check_rule(
                &raw,
                &df,
                "answer",
                rule.or(scale_of_default),
                "is outside the scale declared for its question in [survey]; fix the answer or the scale ([survey] scale or [survey.item_scales])",
            )?;
            check_unique(&raw, &df, &["customer_id", "question"], " and question")?;
            let items: Vec<String> = if t.items.is_empty() {
                let q = df
                    .column("question")
                    .ctx("listing survey questions")?
                    .as_materialized_series()
                    .drop_nulls()
                    .unique()
                    .ctx("listing survey questions")?;
                let mut v: Vec<String> = q
                    .str()
                    .ctx("listing survey questions")?
                    .iter()
                    .flatten()
                    .map(String::from)
                    .collect();
                v.sort();
                v
            } else {
                t.items.clone()
            };
            // Pivot by joining one column per item.
            let ids = df
                .clone()
                .lazy()
                .group_by_stable([col("customer_id")])
                .agg([col(LINE).min()]);
            let mut wide = ids;
            for i in &items {
                let one = df
                    .clone()
                    .lazy()
                    .filter(col("question").eq(lit(i.clone())))
                    .select([col("customer_id"), col("answer").alias(i.as_str())]);
                wide = wide.left_join(one, col("customer_id"), col("customer_id"));
            }
            let wide = wide
                .sort([LINE], SortMultipleOptions::default())
                .collect()
                .ctx("pivoting the survey")?;
            (wide, items, raw, report)
        }
    };
    let _ = raw;
    let before = df.height();
    let df = skip_rows(
        df,
        &mut report,
        &[(col("customer_id").is_null(), SkipReason::NoCustomerId)],
    )?;
    report.rows_used = report.rows_read - (before - df.height());
    let df = df.drop(LINE).ctx("typing survey")?;
    Ok((df, items, report))
}

/// The mapped field of a customer attribute.
fn attr_field(name: &str) -> String {
    format!("attr:{name}")
}

/// Reads the `[customers.attributes]` of a parsed customers frame into their feature
/// columns: categorical as text, numeric as numbers, ordinal as a level's position or a
/// band's midpoint ([`super::bands`]). A value that is neither a declared level nor a band
/// is an error naming its file, line, column and value.
fn read_attributes(
    raw: &RawTable,
    df: &mut DataFrame,
    t: &crate::config::CustomersTable,
    report: &mut IngestReport,
) -> Result<Vec<crate::catalog::FeatureSpec>> {
    use crate::catalog::{slug, LevelLabel};
    use crate::catalog::{FeatureSpec, Group, Kind as FKind};
    use crate::config::AttributeKind;
    let mut specs = Vec::new();
    for (name, a) in &t.attributes {
        let field = attr_field(name);
        let column = a.column_or(name);
        let feature = format!("attr_{}", slug(name));
        let (kind, formula) = match a.kind {
            AttributeKind::Categorical => (
                FKind::Categorical,
                format!("`{column}` of the customers file as written (trimmed); levels held by fewer than [features] rare_level_share of customers are pooled into `other`"),
            ),
            AttributeKind::Numeric => (FKind::Number, format!("`{column}` of the customers file as a number")),
            AttributeKind::Ordinal if !a.levels.is_empty() => (
                FKind::Ordinal,
                format!(
                    "position of `{column}` in the declared levels: {}",
                    a.levels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| format!("{l} = {}", i + 1))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ),
            AttributeKind::Ordinal => (
                FKind::Ordinal,
                format!("midpoint of the band in `{column}` (\"35-44\" = 39.5, \"50-74K\" = 62000; an open band such as \"65+\" or \"Under 15K\" lies half the width of the nearest closed band beyond its bound)"),
            ),
        };
        let mut level_labels = Vec::new();
        if a.kind == AttributeKind::Ordinal {
            let values = crate::frame::column_str(df, &field)?;
            let missing: Vec<String> = a.missing.iter().map(|m| m.trim().to_lowercase()).collect();
            let mut skipped = 0usize;
            let values: Vec<Option<String>> = values
                .into_iter()
                .map(|v| {
                    v.filter(|v| {
                        let known = !missing.contains(&v.to_lowercase());
                        skipped += usize::from(!known);
                        known
                    })
                })
                .collect();
            let fail = |i: usize, rule: String| -> Result<()> {
                Err(Error::InvalidValue {
                    place: place(raw, &field, line_at(df, i)?),
                    value: values[i].clone().unwrap_or_default(),
                    rule,
                })
            };
            let numbers: Vec<Option<f64>> = if a.levels.is_empty() {
                let distinct: Vec<&str> = values
                    .iter()
                    .flatten()
                    .map(String::as_str)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                let mids = match super::bands::midpoints(&distinct) {
                    Ok(m) => m,
                    Err(j) => {
                        let i = values
                            .iter()
                            .position(|v| v.as_deref() == Some(distinct[j]))
                            .unwrap_or(0);
                        fail(i, format!(
                            "is not a band segmint reads (such as \"35-44\", \"65+\", \"Under 15K\", \"50-74K\"); list the levels lowest first with `levels` in [customers.attributes] {name}, or add the value to its `missing` list"
                        ))?;
                        unreachable!("fail returns an error")
                    }
                };
                let by: HashMap<&str, f64> =
                    distinct.iter().copied().zip(mids.iter().copied()).collect();
                for (label, value) in distinct.iter().zip(mids) {
                    if !level_labels.iter().any(|l: &LevelLabel| l.value == value) {
                        level_labels.push(LevelLabel {
                            value,
                            label: label.to_string(),
                        });
                    }
                }
                level_labels.sort_by(|a, b| a.value.total_cmp(&b.value));
                values.iter().map(|v| v.as_deref().map(|v| by[v])).collect()
            } else {
                let levels: Vec<String> =
                    a.levels.iter().map(|l| l.trim().to_lowercase()).collect();
                level_labels = a
                    .levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| LevelLabel {
                        value: i as f64 + 1.0,
                        label: l.trim().to_string(),
                    })
                    .collect();
                let mut out = Vec::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    match v {
                        None => out.push(None),
                        Some(v) => match levels.iter().position(|l| *l == v.to_lowercase()) {
                            Some(p) => out.push(Some(p as f64 + 1.0)),
                            None => {
                                fail(i, format!(
                                    "is not one of the levels declared in [customers.attributes] {name} ({}); add it to `levels` in its place, or to `missing`",
                                    a.levels.iter().map(|l| format!("{l:?}")).collect::<Vec<_>>().join(", ")
                                ))?;
                            }
                        },
                    }
                }
                out
            };
            if skipped > 0 {
                report.note(RunNote::AttributeMissing {
                    attribute: name.to_string(),
                    values: skipped,
                });
            }
            df.with_column(Column::new(field.as_str().into(), numbers))
                .ctx("reading customer attributes")?;
        } else if !a.missing.is_empty() {
            let missing: Vec<String> = a.missing.iter().map(|m| m.trim().to_lowercase()).collect();
            let list = lit(Series::new("".into(), missing)).implode(false);
            let hit = col(field.as_str())
                .cast(DataType::String)
                .str()
                .to_lowercase()
                .is_in(list, false)
                .fill_null(lit(false));
            let n = df
                .clone()
                .lazy()
                .filter(hit.clone())
                .collect()
                .ctx("reading customer attributes")?
                .height();
            if n > 0 {
                report.note(RunNote::AttributeMissing {
                    attribute: name.to_string(),
                    values: n,
                });
            }
            *df = df
                .clone()
                .lazy()
                .with_column(
                    when(hit)
                        .then(lit(NULL))
                        .otherwise(col(field.as_str()))
                        .alias(field.as_str()),
                )
                .collect()
                .ctx("reading customer attributes")?;
        }
        specs.push(
            FeatureSpec::new(feature, Group::Demographic, kind, formula).with_levels(level_labels),
        );
    }
    Ok(specs)
}

/// The customers table as read.
struct CustomersRead {
    customers: DataFrame,
    contacts: DataFrame,
    report: TableReport,
    attributes: Vec<crate::catalog::FeatureSpec>,
    notes: Vec<RunNote>,
}

fn read_customers(
    config: &Config,
    t: &crate::config::CustomersTable,
    as_of: NaiveDate,
    postcode_digits: usize,
) -> Result<CustomersRead> {
    let c = &t.columns;
    let mut fields = mapped(&[
        ("customer_id", Some(&c.customer_id)),
        ("birth_year", c.birth_year.as_ref()),
        ("age", c.age.as_ref()),
        ("gender", c.gender.as_ref()),
        ("country", c.country.as_ref()),
        ("region", c.region.as_ref()),
        ("postcode", c.postcode.as_ref()),
        ("signup", c.signup_date.as_ref()),
        ("email", c.email.as_ref()),
        ("phone", c.phone.as_ref()),
        ("first_name", c.first_name.as_ref()),
        ("last_name", c.last_name.as_ref()),
    ]);
    let attr_kinds: Vec<(String, Kind)> = t
        .attributes
        .iter()
        .map(|(name, a)| {
            fields.push((attr_field(name), a.column_or(name).to_string()));
            let kind = match a.kind {
                crate::config::AttributeKind::Numeric => Kind::Number,
                _ => Kind::Text,
            };
            (attr_field(name), kind)
        })
        .collect();
    let opts = t.file();
    let (raw, mut report) = read_raw(config, "customers", &opts, fields)?;
    let mut kinds: Vec<(&str, Kind)> = attr_kinds.iter().map(|(f, k)| (f.as_str(), *k)).collect();
    kinds.extend([
        ("customer_id", Kind::Text),
        ("birth_year", Kind::Number),
        ("age", Kind::Number),
        ("gender", Kind::Text),
        ("country", Kind::Text),
        ("region", Kind::Text),
        ("postcode", Kind::Text),
        ("signup", Kind::Timestamp),
        ("email", Kind::Text),
        ("phone", Kind::Text),
        ("first_name", Kind::Text),
        ("last_name", Kind::Text),
    ]);
    let mut df = parse(&raw, &opts, &kinds)?;
    let mut notes = IngestReport::default();
    let attributes = read_attributes(&raw, &mut df, t, &mut notes)?;
    let year = as_of.year() as f64;
    check_rule(
        &raw,
        &df,
        "birth_year",
        col("birth_year")
            .lt(lit(year - 120.0))
            .or(col("birth_year").gt(lit(year))),
        &format!(
            "is not a plausible year of birth (expected {} to {}: at most 120 years before, and not after, the reference date as_of = {as_of})",
            year - 120.0,
            year
        ),
    )?;
    check_rule(
        &raw,
        &df,
        "age",
        col("age").lt(lit(0.0)).or(col("age").gt(lit(120.0))),
        "is not a plausible age (expected 0 to 120)",
    )?;
    check_unique(&raw, &df, &["customer_id"], "")?;
    let df = skip_rows(
        df,
        &mut report,
        &[(col("customer_id").is_null(), SkipReason::NoCustomerId)],
    )?;
    report.rows_used = df.height();

    let age = match (raw.has("birth_year"), raw.has("age")) {
        (true, true) => when(col("birth_year").is_not_null())
            .then(lit(year) - col("birth_year"))
            .otherwise(col("age")),
        (true, false) => lit(year) - col("birth_year"),
        (false, true) => col("age"),
        (false, false) => lit(NULL).cast(DataType::Float64),
    };
    let text = |f: &str| {
        if raw.has(f) {
            col(f)
        } else {
            lit(NULL).cast(DataType::String)
        }
    };
    let g = text("gender").str().to_lowercase();
    let female = [
        "f", "female", "woman", "w", "k", "kvinne", "kvinna", "kvinde", "dame", "kv",
    ];
    let male = ["m", "male", "man", "mann", "mand", "herre", "mn"];
    let list = |v: &[&str]| {
        lit(Series::new(
            "".into(),
            v.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        ))
        .implode(false)
    };
    let gender = when(g.clone().is_in(list(&female), false))
        .then(lit("female"))
        .when(g.clone().is_in(list(&male), false))
        .then(lit("male"))
        .when(g.is_not_null())
        .then(lit("other"))
        .otherwise(lit(NULL).cast(DataType::String));
    let country = text("country").str().to_uppercase();
    let postcode_region = when(text("postcode").is_not_null())
        .then(
            concat_str(
                [
                    country.clone().fill_null(lit("")),
                    text("postcode")
                        .str()
                        .replace_all(lit(" "), lit(""), true)
                        .str()
                        .head(lit(postcode_digits as i64)),
                ],
                "-",
                false,
            )
            .str()
            .strip_chars(lit("-")),
        )
        .otherwise(lit(NULL).cast(DataType::String));
    let region = if raw.has("region") {
        when(col("region").is_not_null())
            .then(col("region"))
            .otherwise(postcode_region)
    } else {
        postcode_region
    };
    let signup = if raw.has("signup") {
        col("signup")
    } else {
        lit(NULL).cast(ts_type())
    };
    let mut select = vec![
        col("customer_id"),
        age.alias("age"),
        gender.alias("gender"),
        country.alias("country"),
        region.alias("region"),
        signup.alias("signup"),
    ];
    for ((name, _), spec) in t.attributes.iter().zip(&attributes) {
        select.push(col(attr_field(name).as_str()).alias(spec.name.as_str()));
    }
    let customers = df
        .clone()
        .lazy()
        .select(select)
        .collect()
        .ctx("typing customers")?;
    let mut pii = vec![col("customer_id")];
    for f in super::CONTACT_FIELDS {
        if raw.has(f) {
            pii.push(col(f));
        }
    }
    let contacts = df.lazy().select(pii).collect().ctx("typing customers")?;
    Ok(CustomersRead {
        customers,
        contacts,
        report,
        attributes,
        notes: notes.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample shop's events as a Parquet file (types as polars infers them from the CSV),
    /// and the mapping pointed at it.
    fn sample_with_parquet_events(dir: &std::path::Path) -> (Config, Config, usize) {
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        let csv = Config::load(&sample.join("mapping.toml")).expect("sample mapping");
        let mut df = CsvReadOptions::default()
            .with_has_header(true)
            .try_into_reader_with_file_path(Some(sample.join("events.csv")))
            .and_then(|r| r.finish())
            .expect("sample events");
        let path = dir.join("events.parquet");
        let file = std::fs::File::create(&path).expect("parquet file");
        // Small row groups, so that pieces start inside and at the edges of row groups.
        ParquetWriter::new(file)
            .with_row_group_size(Some(4000))
            .finish(&mut df)
            .expect("parquet written");
        let mut parquet = csv.clone();
        parquet
            .mapping
            .events
            .as_mut()
            .expect("sample has events")
            .path = path;
        (csv, parquet, df.height())
    }

    /// Rewrites a Parquet file with `change` applied to its frame.
    fn rewrite(path: &std::path::Path, change: impl FnOnce(&mut DataFrame)) {
        let mut df = ParquetReader::new(std::fs::File::open(path).expect("open"))
            .finish()
            .expect("read back");
        change(&mut df);
        let file = std::fs::File::create(path).expect("rewrite");
        ParquetWriter::new(file)
            .with_row_group_size(Some(4000))
            .finish(&mut df)
            .expect("written");
    }

    /// A text column with the values at `rows` (0-based) replaced by `value` (`None`: null).
    fn set_text(df: &mut DataFrame, column: &str, rows: &[usize], value: Option<&str>) {
        let values: Vec<Option<String>> = df
            .column(column)
            .and_then(|c| c.cast(&DataType::String))
            .expect("column")
            .str()
            .expect("text")
            .iter()
            .enumerate()
            .map(|(i, v)| {
                if rows.contains(&i) {
                    value.map(str::to_string)
                } else {
                    v.map(str::to_string)
                }
            })
            .collect();
        df.with_column(Column::new(column.into(), values))
            .expect("replaced");
    }

    fn pieces_of(parquet_rows: usize) -> Pieces {
        Pieces {
            csv_bytes: super::super::stream::BLOCK,
            parquet_rows,
        }
    }

    /// The browsing sums: per customer, per session, per viewed category.
    fn same_browsing(a: &Inputs, b: &Inputs, what: &str) {
        let (x, y) = (
            a.browsing.as_ref().expect("browsing"),
            b.browsing.as_ref().expect("browsing"),
        );
        assert!(x.customers.equals_missing(&y.customers), "{what}");
        assert!(x.sessions.equals_missing(&y.sessions), "{what}");
        let (cx, cy) = (
            x.category_views.as_ref().expect("categories"),
            y.category_views.as_ref().expect("categories"),
        );
        assert!(cx.equals_missing(cy), "{what}");
    }

    /// What the events give: browsing sums, the ingest report, the customers by source.
    fn same_events(a: &Inputs, b: &Inputs, what: &str) {
        same_browsing(a, b, what);
        assert_eq!(a.report, b.report, "{what}");
        assert_eq!(a.as_of, b.as_of, "{what}");
        assert_eq!(a.ids_by_source.len(), b.ids_by_source.len(), "{what}");
        // Compared as sets: the order of first appearance can differ between piece sizes.
        let sorted = |s: &Series| s.sort(SortOptions::default()).expect("sorted");
        for ((ta, ia), (tb, ib)) in a.ids_by_source.iter().zip(&b.ids_by_source) {
            assert_eq!(ta, tb, "{what}");
            assert!(sorted(ia).equals_missing(&sorted(ib)), "{what}: {ta}");
        }
    }

    #[test]
    fn parquet_events_read_in_pieces_sum_as_the_csv_read_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (csv, parquet, rows) = sample_with_parquet_events(dir.path());
        let whole = load_in_pieces(&csv, None, None, Pieces::DEFAULT).expect("csv read");
        assert!(rows > 20_000, "the sample has {rows} events");
        // 1 000 rows (28 pieces, a session cut at most edges), 4 001 (one row past a row
        // group), and the file in one piece.
        for parquet_rows in [1_000, 4_001, rows] {
            let read = load_in_pieces(&parquet, None, None, pieces_of(parquet_rows))
                .expect("parquet read");
            same_browsing(&whole, &read, &format!("pieces of {parquet_rows}"));
        }
    }

    #[test]
    fn skipped_events_are_counted_and_listed_alike_in_pieces_and_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, parquet, rows) = sample_with_parquet_events(dir.path());
        let ev = parquet.mapping.events.as_ref().expect("events");
        let (customer, session) = (
            ev.columns.customer_id.clone(),
            ev.columns.session_id.clone(),
        );
        // Sessions without an id from row 1 500 on, anonymous visitors from row 2 600 on (in
        // pieces of 1 000 rows the second piece meets a missing session before the third meets
        // an anonymous visitor), rows after the reference date at the end (events in time order).
        rewrite(&ev.path, |df| {
            let late: Vec<usize> = (2_600..rows).step_by(97).collect();
            set_text(df, &customer, &late, None);
            let no_session: Vec<usize> = (1_500..rows).step_by(89).collect();
            set_text(df, &session, &no_session, Some(""));
        });
        let as_of = NaiveDate::from_ymd_opt(2025, 9, 30);
        let whole = load_in_pieces(&parquet, as_of, None, pieces_of(rows)).expect("whole");
        let events = events_report(&whole);
        let kinds: Vec<SkipReason> = events.skipped.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                SkipReason::AnonymousVisitor,
                SkipReason::NoSessionId,
                SkipReason::AfterAsOf
            ]
        );
        for parquet_rows in [1_000, 4_001] {
            let read =
                load_in_pieces(&parquet, as_of, None, pieces_of(parquet_rows)).expect("pieces");
            same_events(&whole, &read, &format!("pieces of {parquet_rows}"));
        }
    }

    /// Reads with `rows` handed to a collector; returns the inputs and the frames handed over.
    fn streamed(
        config: &Config,
        as_of: Option<NaiveDate>,
        pieces: Pieces,
    ) -> (Inputs, Vec<DataFrame>) {
        let mut frames = Vec::new();
        let mut each = |df: DataFrame| -> Result<()> {
            frames.push(df);
            Ok(())
        };
        let read = load_in_pieces(config, as_of, Some(&mut each), pieces).expect("read");
        (read, frames)
    }

    fn stacked(frames: &[DataFrame]) -> DataFrame {
        stack(frames.to_vec())
            .and_then(|lf| lf.collect().ctx("stacking"))
            .expect("stacked")
    }

    /// The ingest report's entry for the events table.
    fn events_report(read: &Inputs) -> &TableReport {
        read.report
            .tables
            .iter()
            .find(|t| t.table == "events")
            .expect("events report")
    }

    /// Events handed over piece by piece (the distributed path writes them as its canonical
    /// table): one frame per piece with rows, together the rows of a read in one piece, in the
    /// same order; the sums and the report are those of a read that hands nothing over; the
    /// frames hold exactly the rows the sums count (events per customer); customer ids that
    /// are e-mail addresses are pseudonymised before they are handed over; rows after the
    /// reference date are left out.
    #[test]
    fn events_handed_over_piece_by_piece_are_the_events_summed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, mut parquet, rows) = sample_with_parquet_events(dir.path());
        // The pseudonyms' key goes to the temporary folder, not next to the sample's mapping.
        parquet.mapping.privacy.key_file = Some(dir.path().join("segmint.key"));
        let ev = parquet.mapping.events.as_ref().expect("events");
        let customer = ev.columns.customer_id.clone();
        rewrite(&ev.path, |df| {
            let by_email: Vec<usize> = (0..rows).step_by(7).collect();
            set_text(df, &customer, &by_email, Some("kari.nordmann@example.no"));
        });
        let as_of = NaiveDate::from_ymd_opt(2025, 9, 30);
        let summed = load_in_pieces(&parquet, as_of, None, pieces_of(1_000)).expect("summed");
        let (whole, one) = streamed(&parquet, as_of, pieces_of(rows));
        let (pieces, many) = streamed(&parquet, as_of, pieces_of(1_000));
        same_events(&summed, &whole, "whole");
        same_events(&summed, &pieces, "pieces");
        assert_eq!(one.len(), 1);
        // The pieces after the reference date (the events are in time order) have no rows
        // and are not handed over.
        assert!(
            (2..rows.div_ceil(1_000)).contains(&many.len()),
            "{} frames",
            many.len()
        );
        assert!(many.iter().all(|f| f.height() > 0));
        let events = events_report(&whole);
        assert!(
            events
                .skipped
                .iter()
                .any(|s| s.kind == SkipReason::AfterAsOf),
            "some rows are after as_of"
        );
        let (a, b) = (stacked(&one), stacked(&many));
        assert_eq!(
            (a.height(), b.height()),
            (events.rows_used, events.rows_used)
        );
        let names: Vec<String> = a.get_column_names().iter().map(|c| c.to_string()).collect();
        assert_eq!(
            names,
            [
                "customer_id",
                "session_id",
                "ts",
                "kind",
                "category",
                "dwell"
            ]
        );
        assert!(
            a.equals_missing(&b),
            "pieces hand over the rows of one read, in order"
        );
        // Events per customer counted from the rows are the sums' counts.
        let counted = a
            .clone()
            .lazy()
            .group_by([col("customer_id")])
            .agg([len().cast(DataType::UInt32).alias("n")])
            .join(
                whole
                    .browsing
                    .as_ref()
                    .expect("browsing")
                    .customers
                    .clone()
                    .lazy(),
                [col("customer_id")],
                [col("customer_id")],
                JoinArgs::new(JoinType::Full),
            )
            .filter(col("n").neq_missing(col("events")))
            .collect()
            .expect("compared");
        assert_eq!(counted.height(), 0, "{counted}");
        let ids = a
            .column("customer_id")
            .expect("ids")
            .str()
            .expect("text")
            .clone();
        assert!(
            ids.iter().flatten().all(|v| !v.contains('@')),
            "no e-mail address is handed over"
        );
        assert!(ids
            .iter()
            .flatten()
            .any(|v| v.starts_with(super::super::pseudo::PREFIX)));
    }

    /// An events table whose rows are all left out is handed over as one frame without
    /// rows, which still says the columns (the cluster's reader needs a schema).
    #[test]
    fn events_without_rows_are_one_frame_without_rows() {
        let config = Config::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample/mapping.toml"),
        )
        .expect("sample mapping");
        let mut pseudo = Pseudonymiser::for_config(&config);
        let mut frames = Vec::new();
        let mut each = |df: DataFrame| -> Result<()> {
            frames.push(df);
            Ok(())
        };
        let mut sink = RowSink::Each {
            each: &mut each,
            pseudo: &mut pseudo,
            client_column: "visitor",
            handed: false,
            empty: None,
        };
        let empty = df!(
            "customer_id" => Vec::<String>::new(),
            "session_id" => Vec::<String>::new(),
            "kind" => Vec::<String>::new()
        )
        .expect("frame");
        sink.take(empty.clone()).expect("first piece");
        sink.take(empty.clone()).expect("second piece");
        sink.finish().expect("finished");
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].height(), 0);
        assert_eq!(frames[0].schema(), empty.schema());
    }

    /// Distinct ids come in the order they first appear, whatever the hashing does: the
    /// canonical `ids` table is the same file on every run.
    #[test]
    fn distinct_ids_keep_the_order_of_first_appearance() {
        // 500 ids in a scrambled order (i·7919 mod 500), each twice, with nulls between.
        let order: Vec<usize> = (0..500).map(|i| i * 7919 % 500).collect();
        let mut ids: Vec<Option<String>> = Vec::new();
        for round in 0..2 {
            for &i in &order {
                ids.push(Some(format!("c{i}")));
                if (i + round) % 9 == 0 {
                    ids.push(None);
                }
            }
        }
        let df = df!("customer_id" => ids).expect("frame");
        let got: Vec<String> = distinct_ids(&df)
            .expect("ids")
            .str()
            .expect("text")
            .iter()
            .flatten()
            .map(str::to_string)
            .collect();
        let want: Vec<String> = order.iter().map(|i| format!("c{i}")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn in_pieces_the_first_bad_row_of_the_file_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, parquet, _) = sample_with_parquet_events(dir.path());
        let ev = parquet.mapping.events.as_ref().expect("events");
        let dwell = ev.columns.dwell_seconds.clone().expect("dwell mapped");
        let ts = ev.columns.timestamp.clone();
        // A negative dwell time at row 2 500 and a timestamp that is no date at row 3 700.
        rewrite(&ev.path, |df| {
            set_text(df, &dwell, &[2_499], Some("-3"));
            set_text(df, &ts, &[3_699], Some("not a date"));
        });
        let Err(err) = load_in_pieces(&parquet, None, None, pieces_of(1_000)) else {
            panic!("a negative dwell time is refused");
        };
        let err = err.to_string();
        assert!(err.contains("2500"), "{err}");
        assert!(err.contains(&dwell), "{err}");
        assert!(err.contains("-3"), "{err}");
        // Read whole, every value is typed before the rules are checked: the date is named.
        let Err(err) = load_in_pieces(&parquet, None, None, pieces_of(usize::MAX)) else {
            panic!("the bad date is refused");
        };
        let err = err.to_string();
        assert!(err.contains("3700") && err.contains("not a date"), "{err}");
    }

    #[test]
    fn a_bad_order_line_of_a_parquet_file_is_named_with_its_row_and_value() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, mut parquet, _) = sample_with_parquet_events(dir.path());
        // The sample's order lines as Parquet, the prices typed as numbers, the other
        // columns as the text of the export.
        let sample = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
        let mut df = CsvReadOptions::default()
            .with_has_header(true)
            .with_infer_schema_length(Some(0))
            .map_parse_options(|p| p.with_separator(b';'))
            .try_into_reader_with_file_path(Some(sample.join("transactions.csv")))
            .and_then(|r| r.finish())
            .expect("sample order lines");
        let price = parquet
            .mapping
            .transactions
            .columns
            .unit_price
            .clone()
            .expect("price");
        let prices: Vec<Option<f64>> = df
            .column(&price)
            .expect("prices")
            .str()
            .expect("text")
            .iter()
            .enumerate()
            .map(|(i, v)| {
                // "1 399,00": grouped by a space, decimal comma.
                let v = v.and_then(|v| {
                    v.chars()
                        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '-'))
                        .collect::<String>()
                        .replace(',', ".")
                        .parse::<f64>()
                        .ok()
                });
                if i == 2_499 {
                    Some(-5.5)
                } else {
                    v
                }
            })
            .collect();
        df.with_column(Column::new(price.as_str().into(), prices))
            .expect("typed prices");
        let path = dir.path().join("transactions.parquet");
        ParquetWriter::new(std::fs::File::create(&path).expect("file"))
            .with_row_group_size(Some(700))
            .finish(&mut df)
            .expect("written");
        parquet.mapping.transactions.path = path;
        // Slices of 1 000 rows: the bad price is in the third; the typed slices are kept,
        // their values let go, and the message reads the value again from the file at its row.
        for rows in [1_000, usize::MAX] {
            let Err(err) = load_in_pieces(&parquet, None, None, pieces_of(rows)) else {
                panic!("a negative price is refused");
            };
            let err = err.to_string();
            assert!(err.contains("transactions.parquet"), "{err}");
            assert!(err.contains("2500"), "{err}");
            assert!(err.contains(&price), "{err}");
            assert!(err.contains("-5.5"), "{err}");
        }
    }
}
