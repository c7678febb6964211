//! Typing raw columns: numbers with the table's decimal separator, timestamps with its date
//! formats, trimmed text. A value that does not parse is an error naming its file, line,
//! column and value; nothing is silently turned into a missing value.

use polars::prelude::*;

use crate::config::FileOptions;
use crate::error::{Error, Place, Result};
use crate::ingest::read::{RawTable, LINE};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text, trimmed; empty becomes missing.
    Text,
    /// A number.
    Number,
    /// A date or date and time (stored as a millisecond datetime).
    Timestamp,
}

/// The data type timestamps are stored in.
pub(crate) fn ts_type() -> DataType {
    DataType::Datetime(TimeUnit::Milliseconds, None)
}

/// Parses the mapped fields of `raw` (those present) into typed columns named by the field,
/// keeping [`LINE`]. Fields not mapped are left out.
pub(crate) fn parse(
    raw: &RawTable,
    opts: &FileOptions,
    kinds: &[(&str, Kind)],
) -> Result<DataFrame> {
    let mut exprs = vec![col(LINE)];
    let mut checks: Vec<(&str, Kind)> = Vec::new();
    let shape = TextShape::of(raw, opts, kinds)?;
    for &(field, kind) in kinds {
        if !raw.has(field) {
            continue;
        }
        let dtype = raw
            .df
            .column(field)
            .map_err(|e| polars_err("reading a mapped column", e))?
            .dtype()
            .clone();
        let is_text = dtype == DataType::String;
        let plain = shape.plain(field);
        let cleaned = if is_text && !plain {
            blank_to_null(col(field).str().strip_chars(lit(NULL)))
        } else {
            col(field)
        };
        let parsed = match kind {
            Kind::Text => {
                if is_text {
                    cleaned.clone()
                } else {
                    col(field).cast(DataType::String)
                }
            }
            Kind::Number => {
                if is_text && shape.grouped(field) {
                    number_expr(cleaned.clone(), opts)
                } else if is_text {
                    plain_number_expr(cleaned.clone(), opts)
                } else {
                    col(field).cast(DataType::Float64)
                }
            }
            Kind::Timestamp => match dtype {
                DataType::Datetime(_, _) | DataType::Date => col(field).cast(ts_type()),
                // A workbook's date column may hold plain serial numbers (days since
                // 1899-12-30) where the cells lack a date format.
                DataType::String if opts.format() == crate::config::Format::Xlsx => coalesce(&[
                    timestamp_expr(cleaned.clone(), &opts.date_formats),
                    excel_serial(number_expr(cleaned.clone(), opts)),
                ]),
                DataType::String => timestamp_expr(cleaned.clone(), &opts.date_formats),
                _ => timestamp_expr(col(field).cast(DataType::String), &opts.date_formats),
            },
        };
        if kind != Kind::Text {
            let mut bad = cleaned.clone().is_not_null().and(parsed.clone().is_null());
            if kind == Kind::Number {
                bad = bad.or(parsed.clone().is_finite().not().fill_null(lit(false)));
                if is_text && shape.grouped(field) {
                    bad = bad.or(badly_grouped(cleaned.clone(), opts));
                }
            }
            exprs.push(bad.alias(format!("__bad_{field}")));
            checks.push((field, kind));
        }
        exprs.push(parsed.alias(field));
    }
    let mut df = raw
        .df
        .clone()
        .lazy()
        .select(exprs)
        .collect()
        .map_err(|e| polars_err("parsing values", e))?;
    for (field, kind) in checks {
        let name = format!("__bad_{field}");
        if let Some(i) = first_true(&df, &name)? {
            let value = raw_value(raw, field, i);
            let fix = |keys: &str| {
                if raw.table == "prospects" {
                    "fix the value in the prospects file".to_string()
                } else {
                    format!("fix the value or set {keys} in [{}]", raw.table)
                }
            };
            let expected = match kind {
                Kind::Number => format!(
                    "a number (decimal separator {:?}{}, digits grouped by three); {}",
                    opts.decimal,
                    thousands_of(opts)
                        .map(|t| format!(", thousands separator {t:?}"))
                        .unwrap_or_default(),
                    fix("`decimal`/`thousands`")
                ),
                _ => format!(
                    "a date in one of the formats {}; {}",
                    opts.date_formats.join(", "),
                    fix("`date_formats`")
                ),
            };
            return Err(Error::BadValue {
                place: place(raw, field, line_at(&df, i)?),
                value,
                expected,
            });
        }
        df.drop_in_place(&name)
            .map_err(|e| polars_err("dropping a check column", e))?;
    }
    Ok(df)
}

/// What the text columns of a frame hold, found in one pass before they are typed, so that
/// the common case costs little: values without surrounding blanks or empty strings need no
/// trimming, numbers without spaces or thousands separators no cleaning.
struct TextShape {
    /// Text fields with a value to trim or an empty value.
    untidy: Vec<String>,
    /// Number fields with a space or a thousands separator in some value.
    grouped: Vec<String>,
}

impl TextShape {
    fn of(raw: &RawTable, opts: &FileOptions, kinds: &[(&str, Kind)]) -> Result<TextShape> {
        let mut seps: Vec<char> = vec![' ', '\u{a0}', '\u{202f}'];
        if let Some(t) = thousands_of(opts) {
            seps.extend(t.chars());
        }
        let mut shape = TextShape {
            untidy: Vec::new(),
            grouped: Vec::new(),
        };
        for &(field, kind) in kinds {
            let Ok(c) = raw.df.column(field) else {
                continue;
            };
            let Ok(values) = c.str() else {
                continue;
            };
            // A look at the ends of each value (and, for numbers, its characters): no
            // value is copied.
            let untidy = values.iter().flatten().any(|v| {
                v.is_empty()
                    || v.chars().next().is_some_and(char::is_whitespace)
                    || v.chars().next_back().is_some_and(char::is_whitespace)
            });
            if untidy {
                shape.untidy.push(field.to_string());
            }
            if kind == Kind::Number && values.iter().flatten().any(|v| v.contains(seps.as_slice()))
            {
                shape.grouped.push(field.to_string());
            }
        }
        Ok(shape)
    }

    /// Whether every value of a text field is already trimmed and not empty.
    fn plain(&self, field: &str) -> bool {
        !self.untidy.iter().any(|f| f == field)
    }

    /// Whether some value of a number field holds a space or a thousands separator.
    fn grouped(&self, field: &str) -> bool {
        self.grouped.iter().any(|f| f == field)
    }
}

/// Number parsing for values without spaces or thousands separators: the decimal separator
/// becomes `.`. Gives what [`number_expr`] gives on such values.
fn plain_number_expr(e: Expr, opts: &FileOptions) -> Expr {
    if opts.decimal == "." {
        e.cast(DataType::Float64)
    } else {
        e.str()
            .replace_all(lit(opts.decimal.clone()), lit("."), true)
            .cast(DataType::Float64)
    }
}

fn blank_to_null(e: Expr) -> Expr {
    when(e.clone().str().len_bytes().eq(lit(0u32)))
        .then(lit(NULL).cast(DataType::String))
        .otherwise(e)
}

/// The thousands separator of a table: the configured one, else `.` with a decimal comma.
fn thousands_of(opts: &FileOptions) -> Option<String> {
    match (&opts.thousands, opts.decimal.as_str()) {
        (Some(t), _) => Some(t.clone()),
        (None, ",") => Some(".".to_string()),
        _ => None,
    }
    .filter(|t| !t.trim().is_empty())
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .map(|c| {
            if "\\.+*?()|[]{}^$#&-~".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// True where a value holds a thousands separator (or a space) that does not separate groups
/// of three digits before the decimal separator: with `decimal = ","`, `849.00` (a decimal
/// point) and `1,234.50` (separators swapped) are errors, never 84900 or 1.2345.
fn badly_grouped(e: Expr, opts: &FileOptions) -> Expr {
    let mut seps = String::from(" \u{a0}\u{202f}");
    if let Some(t) = thousands_of(opts) {
        seps.push_str(&t);
    }
    let class: String = seps.chars().map(|c| regex_escape(&c.to_string())).collect();
    let d = regex_escape(&opts.decimal);
    let has_sep = format!("[{class}]");
    let grouped = format!("^[+-]?[0-9]{{1,3}}(?:[{class}][0-9]{{3}})+(?:{d}[0-9]*)?$");
    e.clone()
        .str()
        .contains(lit(has_sep), true)
        .and(e.str().contains(lit(grouped), true).not())
        .fill_null(lit(false))
}

/// Number parsing: spaces (also no-break and narrow no-break) and the thousands separator are
/// removed, the decimal separator becomes `.`.
fn number_expr(e: Expr, opts: &FileOptions) -> Expr {
    let mut e = e;
    for space in [" ", "\u{a0}", "\u{202f}"] {
        e = e.str().replace_all(lit(space), lit(""), true);
    }
    if let Some(t) = thousands_of(opts) {
        e = e.str().replace_all(lit(t), lit(""), true);
    }
    if opts.decimal != "." {
        e = e
            .str()
            .replace_all(lit(opts.decimal.clone()), lit("."), true);
    }
    e.cast(DataType::Float64)
}

/// An Excel serial date (days since 1899-12-30; 61 is 1900-03-01, the first day after
/// Excel's 1900 leap-year bug; at most 9999-12-31) as a timestamp; other numbers missing.
fn excel_serial(days: Expr) -> Expr {
    let ms = ((days.clone() - lit(crate::ingest::read::EXCEL_EPOCH_DAYS)) * lit(86_400_000.0))
        .round(0, RoundMode::HalfToEven)
        .cast(DataType::Int64)
        .cast(ts_type());
    when(days.clone().gt_eq(lit(61.0)).and(days.lt(lit(2_958_466.0))))
        .then(ms)
        .otherwise(lit(NULL).cast(ts_type()))
}

/// Tries each format in turn; the first that reads the value wins.
fn timestamp_expr(e: Expr, formats: &[String]) -> Expr {
    let tries: Vec<Expr> = formats
        .iter()
        .map(|f| {
            // Polars' cache of parsed values pays where values repeat (dates, minutes: the
            // lines of an order) and halves the speed where nearly every value is new
            // (timestamps to the second: browsing events).
            let to_the_second = ["%S", "%T", "%s", "%+", "%c", "%f"]
                .iter()
                .any(|t| f.contains(t));
            let options = StrptimeOptions {
                format: Some(f.as_str().into()),
                strict: false,
                exact: true,
                cache: !to_the_second,
            };
            let has_time = ["%H", "%M", "%S", "%T", "%R", "%I", "%s"]
                .iter()
                .any(|t| f.contains(t));
            if has_time {
                e.clone().str().strptime(ts_type(), options, lit("raise"))
            } else {
                e.clone().str().to_date(options).cast(ts_type())
            }
        })
        .collect();
    if tries.is_empty() {
        return lit(NULL).cast(ts_type());
    }
    coalesce(&tries)
}

/// Which of `values` each of `formats` reads, the way ingest reads a date column (for
/// `segmint init`): `hits[f][i]` is true when format `f` reads value `i` (trimmed; blank
/// values are never read).
pub fn date_hits(values: &[&str], formats: &[String]) -> Result<Vec<Vec<bool>>> {
    let df = DataFrame::new_infer_height(vec![Column::new("v".into(), values)])
        .map_err(|e| polars_err("sniffing dates", e))?;
    let v = blank_to_null(col("v").str().strip_chars(lit(NULL)));
    let exprs: Vec<Expr> = formats
        .iter()
        .enumerate()
        .map(|(i, f)| {
            timestamp_expr(v.clone(), std::slice::from_ref(f))
                .is_not_null()
                .alias(format!("f{i}"))
        })
        .collect();
    if exprs.is_empty() {
        return Ok(Vec::new());
    }
    let out = df
        .lazy()
        .select(exprs)
        .collect()
        .map_err(|e| polars_err("sniffing dates", e))?;
    bool_columns(&out)
}

/// Which of `values` read as numbers with the table's decimal and thousands separators, the
/// way ingest reads a number column (grouping checked, non-finite values refused).
pub fn number_hits(values: &[&str], opts: &FileOptions) -> Result<Vec<bool>> {
    let df = DataFrame::new_infer_height(vec![Column::new("v".into(), values)])
        .map_err(|e| polars_err("sniffing numbers", e))?;
    let v = blank_to_null(col("v").str().strip_chars(lit(NULL)));
    let parsed = number_expr(v.clone(), opts);
    let ok = parsed
        .clone()
        .is_not_null()
        .and(parsed.is_finite().fill_null(lit(false)))
        .and(badly_grouped(v, opts).not())
        .fill_null(lit(false))
        .alias("ok");
    let out = df
        .lazy()
        .select([ok])
        .collect()
        .map_err(|e| polars_err("sniffing numbers", e))?;
    Ok(bool_columns(&out)?.pop().unwrap_or_default())
}

fn bool_columns(df: &DataFrame) -> Result<Vec<Vec<bool>>> {
    df.columns()
        .iter()
        .map(|c| {
            c.bool()
                .map(|b| b.iter().map(|x| x.unwrap_or(false)).collect())
                .map_err(|e| polars_err("sniffing values", e))
        })
        .collect()
}

/// Index of the first `true` in a boolean column, if any.
pub(crate) fn first_true(df: &DataFrame, name: &str) -> Result<Option<usize>> {
    let c = df
        .column(name)
        .and_then(|c| c.bool().cloned())
        .map_err(|e| polars_err("reading a check column", e))?;
    let found = c.iter().position(|v| v == Some(true));
    Ok(found)
}

/// The line number at row `i`.
pub(crate) fn line_at(df: &DataFrame, i: usize) -> Result<usize> {
    let v = df
        .column(LINE)
        .and_then(|c| c.get(i).map(|v| v.extract::<u64>().unwrap_or(0)))
        .map_err(|e| polars_err("reading line numbers", e))?;
    Ok(v as usize)
}

/// The raw (unparsed) value of a field at row `i` of `parsed`, for messages: from the text
/// kept with `raw`, or, when the text was let go once typed ([`RawTable::released`]), read
/// again from the file at the row's line.
pub(crate) fn raw_value_at(raw: &RawTable, parsed: &DataFrame, field: &str, i: usize) -> String {
    if raw.df.height() > i {
        return raw_value(raw, field, i);
    }
    let Ok(line) = line_at(parsed, i) else {
        return String::new();
    };
    let column = raw.column_of(field);
    match raw.delimiter {
        Some(delimiter) => {
            crate::ingest::read::value_at_line(&raw.path, delimiter, line as u64, column)
        }
        None => crate::ingest::read::value_at_row(&raw.path, line as u64, column),
    }
    .unwrap_or_default()
}

/// The raw (unparsed) value of a field at row `i`, for messages.
pub(crate) fn raw_value(raw: &RawTable, field: &str, i: usize) -> String {
    raw.df
        .column(field)
        .and_then(|c| c.get(i).map(|v| v.into_static()))
        .map(any_text)
        .unwrap_or_default()
}

/// A value as a message shows it: text as it is, missing as empty.
pub(crate) fn any_text(v: AnyValue) -> String {
    match v {
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Null => String::new(),
        v => v.to_string(),
    }
}

/// Where a field's value at a line stands.
pub(crate) fn place(raw: &RawTable, field: &str, line: usize) -> Box<Place> {
    Box::new(Place {
        file: raw.path.clone(),
        line,
        column: raw.column_of(field).to_string(),
        sheet: raw.sheet.clone(),
    })
}

/// Fails with [`Error::InvalidValue`] at the first row where `mask` (evaluated on the parsed
/// frame) is true.
pub(crate) fn check_rule(
    raw: &RawTable,
    parsed: &DataFrame,
    field: &str,
    mask: Expr,
    rule: &str,
) -> Result<()> {
    if !raw.has(field) {
        return Ok(());
    }
    let flags = parsed
        .clone()
        .lazy()
        .select([mask.fill_null(lit(false)).alias("__rule")])
        .collect()
        .map_err(|e| polars_err("checking values", e))?;
    if let Some(i) = first_true(&flags, "__rule")? {
        return Err(Error::InvalidValue {
            place: place(raw, field, line_at(parsed, i)?),
            value: raw_value_at(raw, parsed, field, i),
            rule: rule.to_string(),
        });
    }
    Ok(())
}

/// Wraps a polars error.
pub(crate) fn polars_err(context: &str, source: PolarsError) -> Error {
    Error::Polars {
        context: context.to_string(),
        source,
    }
}
