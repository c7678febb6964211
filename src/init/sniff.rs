//! Sniffing one file: its format, delimiter, decimal separator and date formats, and what the
//! values of each column look like. Every value is read by ingest's own reader
//! ([`crate::ingest::read_sample`]) and judged by ingest's own number and date parsers
//! ([`crate::ingest::sniff`]), so `init` cannot propose settings that ingest reads differently.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{default_date_formats, FileOptions, Format};
use crate::error::Result;
use crate::ingest::sniff::{date_hits, number_hits, records};

use super::words::{self, stems};

/// Most data rows read from each file.
pub const MAX_SAMPLES: usize = 2000;

/// What sniffing learned about one file.
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
    /// Thousands separator to declare, if the numbers need one beyond the default.
    pub thousands: Option<char>,
    /// Date formats that read the date columns, the preferred one first (empty: none found).
    pub date_formats: Vec<String>,
    /// The columns, in file order, with what their values look like.
    pub columns: Vec<ColumnFacts>,
    /// The sampled rows (at most [`MAX_SAMPLES`]).
    pub samples: Vec<Vec<String>>,
    /// Data rows in the whole file.
    pub rows_in_file: usize,
    /// What the user should check about the file as a whole.
    pub notes: Vec<String>,
}

impl Sniffed {
    /// The column names.
    pub fn names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// The non-blank sampled values of column `i`.
    pub fn values(&self, i: usize) -> Vec<&str> {
        self.samples
            .iter()
            .filter_map(|r| r.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The distinct non-blank sampled values of column `i`.
    pub fn distinct(&self, i: usize) -> HashSet<&str> {
        self.values(i).into_iter().collect()
    }
}

/// A date column: the formats that read it and how many of its values they read.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFacts {
    /// The formats, the one that reads most first.
    pub formats: Vec<String>,
    /// Values read by one of them.
    pub read: usize,
    /// The share read by the first format alone.
    pub first_share: f64,
    /// A format that reads every value the first reads too (day and month swapped).
    pub also: Option<String>,
    /// Parquet's own date type (no format needed).
    pub typed: bool,
}

/// What the sampled values of one column look like.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnFacts {
    /// The header.
    pub name: String,
    /// Its tokens ([`words::tokens`]).
    pub tokens: Vec<String>,
    /// Non-blank values sampled.
    pub filled: usize,
    /// Distinct non-blank values.
    pub distinct: usize,
    /// Values that read as numbers with the file's separators.
    pub numeric: usize,
    /// Values that are whole numbers (digits, an optional sign).
    pub integer: usize,
    /// Numbers with a decimal separator.
    pub fractional: usize,
    /// Negative numbers.
    pub negative: usize,
    /// Smallest and largest whole number, when every value is one.
    pub int_range: Option<(i64, i64)>,
    /// The date formats that read the column, if it holds dates.
    pub date: Option<DateFacts>,
    /// Values that look like e-mail addresses.
    pub email: usize,
    /// Values that look like phone numbers (7–15 digits, `+`, spaces, dashes, brackets).
    pub phone: usize,
    /// The first non-blank value.
    pub example: Option<String>,
}

impl ColumnFacts {
    /// Share of the non-blank values that `n` is (0 when the column is blank).
    pub fn share(&self, n: usize) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            n as f64 / self.filled as f64
        }
    }

    /// Mostly numbers.
    pub fn is_numeric(&self) -> bool {
        self.filled > 0 && self.share(self.numeric) >= 0.95
    }

    /// Holds dates.
    pub fn is_date(&self) -> bool {
        self.date.is_some()
    }

    /// Money-like: numbers, some with decimals.
    pub fn is_money(&self) -> bool {
        self.is_numeric() && self.fractional > 0 && !self.is_date()
    }

    /// A count: whole numbers.
    pub fn is_count(&self) -> bool {
        self.is_numeric() && self.share(self.integer) >= 0.95 && !self.is_date()
    }

    /// Every value distinct.
    pub fn unique(&self) -> bool {
        self.filled > 0 && self.distinct == self.filled
    }

    /// An identifier could be in it: not a date, not a number with decimals.
    pub fn id_like(&self) -> bool {
        self.filled > 0 && !self.is_date() && self.fractional == 0 && self.email == 0
    }

    /// Small whole numbers from 0–3 up to 3–10 (not 0/1 flags), as answers on a Likert scale
    /// are.
    pub fn likert(&self) -> Option<(i64, i64)> {
        let (lo, hi) = self.int_range?;
        ((0..=3).contains(&lo) && (3..=10).contains(&hi) && self.distinct >= 2).then_some((lo, hi))
    }
}

/// Date formats tried: ingest's defaults, then common export formats.
pub fn date_candidates() -> Vec<String> {
    let mut v = default_date_formats();
    for f in [
        "%Y-%m-%d %H:%M:%S %z",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%m/%d/%Y %H:%M",
        "%d/%m/%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M:%S",
        "%m/%d/%Y",
        "%d/%m/%Y",
        "%d-%m-%Y %H:%M",
        "%d-%m-%Y",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d",
        "%d.%m.%y",
    ] {
        if !v.iter().any(|x| x == f) {
            v.push(f.to_string());
        }
    }
    v
}

/// Sniffs one file (CSV, whitespace-separated text or Parquet).
pub fn sniff(path: &Path) -> Result<Sniffed> {
    let mut notes = Vec::new();
    let by_name = Format::of_path(path);
    let (format, delimiter) = if by_name == Format::Parquet {
        (Format::Parquet, ',')
    } else if by_name == Format::Xlsx {
        let sheets = crate::ingest::sniff::sheet_names(path)?;
        if sheets.len() > 1 {
            notes.push(format!(
                "the workbook has {} worksheets ({}): the first is read; set `sheet` to another's name or 0-based position",
                sheets.len(),
                sheets
                    .iter()
                    .map(|s| format!("{s:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        (Format::Xlsx, ',')
    } else {
        let probe = FileOptions::plain(path, Format::Csv);
        let text = crate::ingest::sniff::file_text("init", path, &probe)?;
        layout(&text, by_name == Format::Whitespace)
    };
    let mut opts = FileOptions {
        delimiter: delimiter.to_string(),
        ..FileOptions::plain(path, format)
    };
    let sample = crate::ingest::read_sample("init", path, &opts, MAX_SAMPLES)?;
    if let Some(p) = &sample.problem {
        notes.push(format!(
            "{p}: only the rows before it were sniffed; `segmint check` names every such row"
        ));
    }
    let rows = sample.rows;
    let col_values = |i: usize| -> Vec<&str> {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    };

    // Dates first: date columns are left out of the decimal vote.
    let cands = date_candidates();
    let mut dates: Vec<Option<DateFacts>> = Vec::new();
    for (i, name) in sample.columns.iter().enumerate() {
        if sample.temporal.contains(name) {
            dates.push(Some(DateFacts {
                formats: Vec::new(),
                read: col_values(i).len(),
                first_share: 1.0,
                also: None,
                typed: true,
            }));
            continue;
        }
        dates.push(date_facts(name, &col_values(i), &cands)?);
    }

    // Decimal separator: the reading of ingest's number parser that reads most values.
    if format != Format::Parquet {
        let mut pooled: Vec<&str> = Vec::new();
        for (i, date) in dates.iter().enumerate() {
            if date.is_none() {
                pooled.extend(
                    col_values(i)
                        .into_iter()
                        .filter(|v| v.bytes().any(|b| b.is_ascii_digit()))
                        .take(300),
                );
            }
        }
        let mut best: Option<(usize, &str, Option<&str>)> = None;
        for (dec, th) in [(".", None), (",", None), (".", Some(","))] {
            opts.decimal = dec.into();
            opts.thousands = th.map(String::from);
            let n = number_hits(&pooled, &opts)?.iter().filter(|&&b| b).count();
            if best.is_none_or(|b| n > b.0) {
                best = Some((n, dec, th));
            }
        }
        let (_, dec, th) = best.unwrap_or((0, ".", None));
        opts.decimal = dec.into();
        opts.thousands = th.map(String::from);
    }

    let mut columns = Vec::new();
    for (i, name) in sample.columns.iter().enumerate() {
        let vals = col_values(i);
        let numeric = number_hits(&vals, &opts)?;
        let mut c = ColumnFacts {
            name: name.clone(),
            tokens: words::tokens(name),
            filled: vals.len(),
            distinct: vals.iter().collect::<HashSet<_>>().len(),
            numeric: numeric.iter().filter(|&&b| b).count(),
            integer: 0,
            fractional: 0,
            negative: 0,
            int_range: None,
            date: dates[i].take(),
            email: vals.iter().filter(|v| is_email(v)).count(),
            phone: vals.iter().filter(|v| is_phone(v)).count(),
            example: vals.first().map(|v| v.to_string()),
        };
        let mut ints = Vec::new();
        for (v, ok) in vals.iter().zip(&numeric) {
            if !ok {
                continue;
            }
            if v.starts_with('-') {
                c.negative += 1;
            }
            match v.parse::<i64>() {
                Ok(n) => {
                    c.integer += 1;
                    ints.push(n);
                }
                Err(_) if v.contains(opts.decimal.as_str()) => c.fractional += 1,
                Err(_) => {}
            }
        }
        if !ints.is_empty() && ints.len() == vals.len() {
            c.int_range = Some((
                *ints.iter().min().unwrap_or(&0),
                *ints.iter().max().unwrap_or(&0),
            ));
        }
        columns.push(c);
    }

    // The file's date formats: the chosen ones, in the order of preference.
    let mut date_formats: Vec<String> = Vec::new();
    for c in &columns {
        if let Some(d) = &c.date {
            for f in &d.formats {
                if !date_formats.contains(f) {
                    date_formats.push(f.clone());
                }
            }
        }
    }
    Ok(Sniffed {
        path: path.to_path_buf(),
        format,
        delimiter: if format == Format::Whitespace {
            ' '
        } else {
            delimiter
        },
        decimal: opts.decimal.chars().next().unwrap_or('.'),
        thousands: opts.thousands.as_deref().and_then(|t| t.chars().next()),
        date_formats,
        columns,
        samples: rows,
        rows_in_file: sample.rows_in_file,
        notes,
    })
}

/// Format and delimiter of a text file: the delimiter under which (ingest's quote rules) the
/// most records have the header's field count; whitespace for `.txt`/`.dat` files that split
/// evenly on blanks, or when no delimiter splits the header.
fn layout(text: &str, whitespace_by_name: bool) -> (Format, char) {
    let mut best: Option<((usize, usize), char)> = None;
    for d in [',', ';', '\t', '|'] {
        let recs = records(text, d as u8, 201);
        let Some(head) = recs.first() else { continue };
        if head.fields < 2 {
            continue;
        }
        let data: Vec<_> = recs[1..].iter().filter(|r| !r.blank).collect();
        let same = data.iter().filter(|r| r.fields == head.fields).count();
        let permille = if data.is_empty() {
            1000
        } else {
            1000 * same / data.len()
        };
        let score = (permille, head.fields);
        if best.is_none_or(|b| score > b.0) {
            best = Some((score, d));
        }
    }
    let lines: Vec<usize> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(201)
        .map(|l| l.split_whitespace().count())
        .collect();
    let ws = lines.first().filter(|&&n| n >= 2).map(|&n| {
        let same = lines[1..].iter().filter(|&&m| m == n).count();
        1000 * same / lines.len().saturating_sub(1).max(1)
    });
    match (best, ws) {
        (_, Some(p)) if whitespace_by_name && p >= 900 => (Format::Whitespace, ' '),
        (Some(((p, _), d)), _) if p >= 500 => (Format::Csv, d),
        (_, Some(p)) if p >= 900 => (Format::Whitespace, ' '),
        (Some((_, d)), _) => (Format::Csv, d),
        (None, _) => (Format::Csv, ','),
    }
}

/// The formats that read a column's values, when they read most of them (80%, or half when the
/// name says date). Whole numbers count as dates (`%Y%m%d`) only when the name says date.
fn date_facts(name: &str, vals: &[&str], cands: &[String]) -> Result<Option<DateFacts>> {
    if vals.is_empty() || !vals.iter().any(|v| v.bytes().any(|b| b.is_ascii_digit())) {
        return Ok(None);
    }
    let all_digits = vals.iter().all(|v| v.bytes().all(|b| b.is_ascii_digit()));
    if all_digits && !words::says(&words::tokens(name), stems::DATE) {
        return Ok(None);
    }
    let hits = date_hits(vals, cands)?;
    let mut left: Vec<bool> = vec![true; vals.len()];
    let mut picked: Vec<usize> = Vec::new();
    loop {
        let (n, f) = (0..cands.len())
            .map(|f| {
                let n = (0..vals.len()).filter(|&i| left[i] && hits[f][i]).count();
                (n, std::cmp::Reverse(f))
            })
            .max()
            .map(|(n, r)| (n, r.0))
            .unwrap_or((0, 0));
        if n == 0 || picked.len() >= 3 {
            break;
        }
        picked.push(f);
        for (i, l) in left.iter_mut().enumerate() {
            if hits[f][i] {
                *l = false;
            }
        }
    }
    let read = left.iter().filter(|l| !**l).count();
    let named = words::says(&words::tokens(name), stems::DATE);
    let needed = if named { 0.5 } else { 0.8 };
    if picked.is_empty() || (read as f64) < needed * vals.len() as f64 {
        return Ok(None);
    }
    let first = picked[0];
    let first_n = hits[first].iter().filter(|&&b| b).count();
    let slashed = cands[first].contains("%d/%m") || cands[first].contains("%m/%d");
    let also = (0..cands.len()).find(|&g| {
        slashed
            && g != first
            && (cands[g].contains("%d/%m") || cands[g].contains("%m/%d"))
            && (0..vals.len()).all(|i| !hits[first][i] || hits[g][i])
    });
    Ok(Some(DateFacts {
        formats: picked.iter().map(|&f| cands[f].clone()).collect(),
        read,
        first_share: first_n as f64 / vals.len() as f64,
        also: also.map(|g| cands[g].clone()),
        typed: false,
    }))
}

/// `name@domain.tld`.
pub fn is_email(v: &str) -> bool {
    let Some((user, domain)) = v.split_once('@') else {
        return false;
    };
    !user.is_empty()
        && !v.contains(' ')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
}

/// 7–15 digits with `+`, spaces, dashes, dots or brackets, and a `+`, `00` or `0` in front or
/// a separator inside (so that a plain id is no phone number).
pub fn is_phone(v: &str) -> bool {
    let digits = v.bytes().filter(|b| b.is_ascii_digit()).count();
    let allowed = v
        .bytes()
        .all(|b| b.is_ascii_digit() || b"+ -().".contains(&b));
    let marked = v.starts_with('+')
        || v.starts_with("00")
        || v.starts_with('(')
        || v.trim().contains(' ')
        || v.contains('-');
    allowed && (7..=15).contains(&digits) && marked
}
