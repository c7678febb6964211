//! Reading one input file into a frame of raw values, with the line each row came from.
//!
//! CSV and whitespace files are read as text (every column a string) so that parsing, with the
//! table's decimal separator and date formats, happens in one place and a bad value is reported
//! with its line. Parquet columns keep their types.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::config::{FileOptions, Format};
use crate::error::{Error, Result};

/// Name of the column holding each row's line number (CSV: header = line 1) or row (Parquet).
pub const LINE: &str = "__line";

/// A table as read: one column per mapped field (named by the field), plus [`LINE`].
#[derive(Debug, Clone)]
pub struct RawTable {
    /// Mapping section, e.g. `transactions`.
    pub table: &'static str,
    /// The file.
    pub path: PathBuf,
    /// The values, one column per field.
    pub df: DataFrame,
    /// Field → the client's column name.
    pub columns: Vec<(String, String)>,
    /// The worksheet read, for Excel workbooks (line numbers are then its rows).
    pub sheet: Option<String>,
    /// The delimiter of a CSV file, whose values can be read again at a line when `df` no
    /// longer holds them.
    pub delimiter: Option<u8>,
}

impl RawTable {
    /// The client's column name of a field.
    pub fn column_of<'a>(&'a self, field: &'a str) -> &'a str {
        self.columns
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, c)| c.as_str())
            .unwrap_or(field)
    }

    /// Whether the field was mapped.
    pub fn has(&self, field: &str) -> bool {
        self.columns.iter().any(|(f, _)| f == field)
    }
}

/// The header columns of a file, without reading its rows (used for wide surveys).
pub fn header_columns(table: &'static str, path: &Path, opts: &FileOptions) -> Result<Vec<String>> {
    match opts.format() {
        Format::Parquet => {
            let mut lf = scan_parquet(path)?;
            let schema = lf.collect_schema().map_err(|e| read_error(path, e))?;
            Ok(schema.iter_names().map(|n| n.to_string()).collect())
        }
        Format::Xlsx => Ok(read_grid(table, path, opts)?.header),
        Format::Csv | Format::Whitespace => {
            let bytes = read_bytes(path)?;
            let text = check_text(table, path, &bytes, opts)?;
            let header = text.lines().next().unwrap_or("");
            Ok(split_header(
                header,
                opts.format(),
                opts.delimiter_byte(table)?,
            ))
        }
    }
}

/// Reads the mapped columns of a table. `fields` pairs each segmint field with its column.
pub fn read_table(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
) -> Result<RawTable> {
    let mut sheet = None;
    let df = match opts.format() {
        Format::Parquet => read_parquet(table, path, fields)?,
        Format::Csv => read_csv(table, path, opts, fields)?,
        Format::Whitespace => read_whitespace(table, path, opts, fields)?,
        Format::Xlsx => {
            let (df, name) = read_xlsx(table, path, opts, fields)?;
            sheet = Some(name);
            df
        }
    };
    Ok(RawTable {
        table,
        path: path.to_path_buf(),
        df,
        columns: fields.to_vec(),
        sheet,
        delimiter: match opts.format() {
            Format::Csv => Some(opts.delimiter_byte(table)?),
            _ => None,
        },
    })
}

/// How much of a big file is read at a time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pieces {
    /// Bytes of whole records per piece of a CSV file.
    pub csv_bytes: usize,
    /// Rows per piece of a Parquet file.
    pub parquet_rows: usize,
}

impl Pieces {
    pub(crate) const DEFAULT: Pieces = Pieces {
        csv_bytes: super::stream::BLOCK,
        parquet_rows: PARQUET_PIECE_ROWS,
    };
}

/// Reads the mapped columns of a table piece by piece, handing `each` the pieces in file order
/// with the workbook's sheet: a CSV file [`Pieces::csv_bytes`] of whole records at a time
/// ([`super::stream`]), a Parquet file [`Pieces::parquet_rows`] rows at a time
/// ([`read_parquet_pieces`]), a workbook or whitespace-separated file whole, as one piece. A CSV
/// or Parquet file is read on a thread of its own, one piece ahead of `each` ([`read_ahead`]).
pub(crate) fn read_pieces(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
    pieces: Pieces,
    mut each: impl FnMut(DataFrame, Option<String>) -> Result<()>,
) -> Result<()> {
    match opts.format() {
        Format::Csv => read_ahead(
            |give| {
                super::stream::read_csv_pieces(table, path, opts, fields, pieces.csv_bytes, give)
            },
            |df| each(df, None),
        ),
        Format::Parquet => read_ahead(
            |give| read_parquet_pieces(table, path, fields, pieces.parquet_rows, give),
            |df| each(df, None),
        ),
        Format::Xlsx | Format::Whitespace => {
            let raw = read_table(table, path, opts, fields)?;
            each(raw.df, raw.sheet)
        }
    }
}

/// Runs `read` on a thread of its own, one piece ahead of `each`: the next piece is read while
/// `each` works on this one, and at most one read piece waits. `each` gets the pieces in the
/// order `read` gives them; the first error stops both (the reader once it is done with the
/// piece at hand) and is the one returned (an error of `each` wins over a fault `read` met in
/// a later piece).
pub(crate) fn read_ahead<T: Send>(
    read: impl FnOnce(&mut dyn FnMut(T) -> Result<()>) -> Result<()> + Send,
    mut each: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let (send, receive) = std::sync::mpsc::sync_channel::<T>(0);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || {
            read(&mut |piece| {
                // A closed channel: `each` failed, and its error is the one returned.
                send.send(piece)
                    .map_err(|_| Error::Data("the read was stopped".into()))
            })
        });
        let mut taken = Ok(());
        for piece in receive.iter() {
            taken = each(piece);
            if taken.is_err() {
                break;
            }
        }
        // A reader waiting to hand over a piece wakes with an error and stops.
        drop(receive);
        let read = reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        taken.and(read)
    })
}

/// Reads a table and types it ([`super::parse::parse`]) piece by piece ([`read_pieces`]). A
/// CSV or Parquet file's pieces are let go once typed, so text and types of a big file are
/// never in memory together (the returned [`RawTable`] then holds no rows: messages read a
/// value again from the file, [`value_at_line`], [`value_at_row`]); a workbook's or
/// whitespace-separated file's one piece stays in the [`RawTable`].
pub(crate) fn read_parsed(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
    kinds: &[(&str, super::parse::Kind)],
    pieces: Pieces,
) -> Result<(RawTable, DataFrame)> {
    let format = opts.format();
    let mut raw = RawTable {
        table,
        path: path.to_path_buf(),
        df: DataFrame::empty(),
        columns: fields.to_vec(),
        sheet: None,
        delimiter: match format {
            Format::Csv => Some(opts.delimiter_byte(table)?),
            _ => None,
        },
    };
    let mut typed: Vec<DataFrame> = Vec::new();
    read_pieces(table, path, opts, fields, pieces, |df, sheet| {
        raw.df = df;
        raw.sheet = sheet;
        typed.push(super::parse::parse(&raw, opts, kinds)?);
        Ok(())
    })?;
    if matches!(format, Format::Csv | Format::Parquet) {
        raw.df = DataFrame::empty();
    }
    let mut typed = typed.into_iter();
    let mut df = typed.next().expect("a read with rows has a piece");
    for p in typed {
        df.vstack_mut_owned(p).map_err(|e| read_error(path, e))?;
    }
    df.rechunk_mut();
    Ok((raw, df))
}

/// The value of `column` at `row` of a Parquet file (numbered as [`LINE`] numbers its rows,
/// from 1), as [`super::parse::raw_value`] writes it, for a message about a value whose piece
/// was let go; `None` when there is no such row or the file is not Parquet.
pub(crate) fn value_at_row(path: &Path, row: u64, column: &str) -> Option<String> {
    let df = scan_parquet(path)
        .ok()?
        .slice(row.checked_sub(1)? as i64, 1)
        .select([col(column)])
        .collect()
        .ok()?;
    let v = df.column(column).ok()?.get(0).ok()?;
    Some(super::parse::any_text(v))
}

/// The text of the field in `column` of the record that starts on `line` of a CSV file (for a
/// message about a value whose text was let go); `None` when there is no such record.
pub(crate) fn value_at_line(path: &Path, delimiter: u8, line: u64, column: &str) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut header: Option<Vec<String>> = None;
    let mut start = 0usize;
    let mut found = None;
    let mut scanner = super::stream::Scanner::new(delimiter);
    let mut on_record = |r: Record, end: usize| {
        let text = String::from_utf8_lossy(&bytes[start..end]).into_owned();
        start = end;
        match &header {
            None => header = Some(split_header(&text, Format::Csv, delimiter)),
            Some(h) if r.line == line => {
                let at = h.iter().position(|c| c == column)?;
                let fields = split_quoted(text.trim_end_matches(['\r', '\n']), delimiter as char);
                found = fields.get(at).cloned();
                return None;
            }
            Some(_) => {}
        }
        Some(())
    };
    if scanner.feed(bytes, &mut |r, end| on_record(r, end).is_some()) {
        let end = bytes.len();
        on_record(scanner.finish(), end);
    }
    found
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

pub(crate) fn read_error(path: &Path, e: PolarsError) -> Error {
    Error::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn scan_parquet(path: &Path) -> Result<LazyFrame> {
    if !path.exists() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    LazyFrame::scan_parquet(
        PlRefPath::from(path.to_string_lossy().as_ref()),
        ScanArgsParquet::default(),
    )
    .map_err(|e| read_error(path, e))
}

/// Checks that the bytes are non-empty UTF-8 text and returns them as text (BOM removed).
fn check_text<'a>(
    table: &'static str,
    path: &Path,
    bytes: &'a [u8],
    opts: &FileOptions,
) -> Result<&'a str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(Error::Utf16 {
            file: path.to_path_buf(),
            line: 1,
            what: "starts with a UTF-16 byte-order mark".into(),
        });
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(Error::Utf16 {
            file: path.to_path_buf(),
            line,
            what: "holds NUL bytes (UTF-16 or a binary file)".into(),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let header_end = bytes
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len());
            return Err(not_utf8(
                path,
                bytes,
                e.valid_up_to(),
                &bytes[..header_end],
                1,
                opts,
                table,
            ));
        }
    };
    check_not_empty(table, path, text)?;
    Ok(text)
}

/// The file is not empty and has a row under its header.
pub(crate) fn check_not_empty(table: &'static str, path: &Path, text: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::EmptyFile {
            file: path.to_path_buf(),
            table: table.into(),
            what: "the file is empty".into(),
        });
    }
    if text.lines().skip(1).all(|l| l.trim().is_empty()) {
        return Err(Error::EmptyFile {
            file: path.to_path_buf(),
            table: table.into(),
            what: "the file has a header but no rows".into(),
        });
    }
    Ok(())
}

/// The error for a byte that is not UTF-8 at `bytes[at]`, where `bytes` starts on line
/// `first_line` of a file whose header line is `header`.
pub(crate) fn not_utf8(
    path: &Path,
    bytes: &[u8],
    at: usize,
    header: &[u8],
    first_line: u64,
    opts: &FileOptions,
    table: &str,
) -> Error {
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + first_line as usize;
    let header = String::from_utf8_lossy(header);
    let delim = opts.delimiter_byte(table).unwrap_or(b',');
    let columns = split_header(&header, opts.format(), delim);
    let field_index = match opts.format() {
        Format::Whitespace => String::from_utf8_lossy(&bytes[line_start..at])
            .split_whitespace()
            .count()
            .saturating_sub(1),
        _ => bytes[line_start..at]
            .iter()
            .filter(|&&b| b == delim)
            .count(),
    };
    let column = columns
        .get(field_index)
        .cloned()
        .unwrap_or_else(|| "?".into());
    let end = (at + 4).min(bytes.len());
    let bad: Vec<String> = bytes[at..end]
        .iter()
        .take_while(|&&b| b >= 0x80)
        .map(|b| format!("{b:#04x}"))
        .collect();
    Error::NotUtf8 {
        file: path.to_path_buf(),
        line,
        column,
        bytes: if bad.is_empty() {
            format!("{:#04x}", bytes[at])
        } else {
            bad.join(" ")
        },
    }
}

/// Splits a header line into trimmed column names (quotes removed).
pub(crate) fn split_header(header: &str, format: Format, delimiter: u8) -> Vec<String> {
    let header = header.trim_end_matches(['\r', '\n']);
    match format {
        Format::Whitespace => header.split_whitespace().map(String::from).collect(),
        _ => split_quoted(header, delimiter as char)
            .into_iter()
            .map(|c| c.trim().to_string())
            .collect(),
    }
}

fn split_quoted(line: &str, delimiter: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// Checks that every mapped column is in the header; explains a wrong delimiter.
pub(crate) fn check_columns(
    table: &'static str,
    path: &Path,
    sheet: Option<&str>,
    header_line: &str,
    header: &[String],
    opts: &FileOptions,
    fields: &[(String, String)],
) -> Result<()> {
    let Some((field, column)) = fields.iter().find(|(_, c)| !header.contains(c)) else {
        return Ok(());
    };
    if opts.format() == Format::Csv {
        let expected = opts.delimiter_byte(table)?;
        for other in [b',', b';', b'\t', b'|'] {
            if other == expected {
                continue;
            }
            let alt = split_header(header_line, Format::Csv, other);
            if alt.len() > header.len() && fields.iter().all(|(_, c)| alt.contains(c)) {
                let show = |b: u8| {
                    if b == b'\t' {
                        "\\t".to_string()
                    } else {
                        (b as char).to_string()
                    }
                };
                return Err(Error::WrongDelimiter {
                    file: path.to_path_buf(),
                    table: table.into(),
                    expected: show(expected),
                    found_fields: header.len(),
                    other: show(other),
                    other_fields: alt.len(),
                });
            }
        }
    }
    Err(Error::MissingColumn(Box::new(
        crate::error::MissingColumn {
            file: path.to_path_buf(),
            sheet: sheet.map(str::to_string),
            table: table.into(),
            field: field.clone(),
            column: column.clone(),
            available: header
                .iter()
                .map(|c| format!("{c:?}"))
                .collect::<Vec<_>>()
                .join(", "),
        },
    )))
}

fn read_csv(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
) -> Result<DataFrame> {
    let mut pieces = Vec::new();
    super::stream::read_csv_pieces(table, path, opts, fields, super::stream::BLOCK, |df| {
        pieces.push(df);
        Ok(())
    })?;
    let mut pieces = pieces.into_iter();
    let mut df = pieces.next().expect("a read with rows has a piece");
    for p in pieces {
        df.vstack_mut_owned(p).map_err(|e| read_error(path, e))?;
    }
    df.rechunk_mut();
    Ok(df)
}

/// One record of a delimited text, as [`records`] finds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// The line the record starts on (1-based).
    pub line: u64,
    /// Its number of fields.
    pub fields: usize,
    /// Whether the record is empty (a blank line).
    pub blank: bool,
}

/// The records of a delimited text, the header first, at most `limit` of them: quotes are
/// respected (a quote opens a quoted field only at the start of a field; inside one, `""` is
/// a quote), so a quoted line break does not end a record.
pub fn records(text: &str, delimiter: u8, limit: usize) -> Vec<Record> {
    let mut out = Vec::new();
    if limit > 0 {
        super::stream::for_each_record(text, delimiter, |r| {
            out.push(r);
            out.len() < limit
        });
    }
    out
}

/// A sample of a file, read the way `read_table` reads it (for `segmint init`).
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The header.
    pub columns: Vec<String>,
    /// Up to the asked number of data rows, every value as text (missing: empty).
    pub rows: Vec<Vec<String>>,
    /// The line each sampled row starts on.
    pub lines: Vec<u64>,
    /// Data rows in the whole file (records, blank lines not counted).
    pub rows_in_file: usize,
    /// The first record whose field count differs from the header's, as an error (the sample
    /// stops before it).
    pub problem: Option<String>,
    /// Parquet columns that are typed dates or times.
    pub temporal: Vec<String>,
}

/// The text of a delimited or whitespace file, checked as [`read_table`] checks it (UTF-8,
/// byte-order marks, NUL bytes, empty files); `delimiter` only names the column of a bad byte.
pub(crate) fn file_text(table: &'static str, path: &Path, opts: &FileOptions) -> Result<String> {
    let bytes = read_bytes(path)?;
    Ok(check_text(table, path, &bytes, opts)?.to_string())
}

/// Reads the header and up to `max_rows` rows of a file with the reader and options ingest
/// uses (polars' CSV reader with every column as text, the same quote handling, the same
/// whitespace splitting, Parquet columns cast to text).
pub fn read_sample(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    max_rows: usize,
) -> Result<Sample> {
    match opts.format() {
        Format::Parquet => {
            let mut lf = scan_parquet(path)?;
            let schema = lf.collect_schema().map_err(|e| read_error(path, e))?;
            let columns: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
            let temporal = schema
                .iter()
                .filter(|(_, t)| matches!(t, DataType::Date | DataType::Datetime(_, _)))
                .map(|(n, _)| n.to_string())
                .collect();
            let rows_in_file = lf
                .clone()
                .select([len()])
                .collect()
                .ok()
                .and_then(|d| d.column("len").ok()?.get(0).ok()?.extract::<u64>())
                .unwrap_or(0) as usize;
            let df = lf
                .limit(max_rows as IdxSize)
                .select([all().as_expr().cast(DataType::String)])
                .collect()
                .map_err(|e| read_error(path, e))?;
            let rows = frame_rows(&df);
            let lines = (1..=rows.len() as u64).collect();
            Ok(Sample {
                columns,
                rows,
                lines,
                rows_in_file,
                problem: None,
                temporal,
            })
        }
        Format::Xlsx => {
            let grid = read_grid(table, path, opts)?;
            let n = grid.header.len();
            Ok(Sample {
                columns: grid.header,
                rows: grid
                    .rows
                    .iter()
                    .take(max_rows)
                    .map(|r| {
                        (0..n)
                            .map(|j| r.get(j).cloned().flatten().unwrap_or_default())
                            .collect()
                    })
                    .collect(),
                lines: grid.row_numbers.iter().take(max_rows).copied().collect(),
                rows_in_file: grid.rows.len(),
                problem: None,
                temporal: Vec::new(),
            })
        }
        Format::Whitespace => {
            let text = file_text(table, path, opts)?;
            let mut lines = text.lines().enumerate();
            let header = split_header(
                lines.next().map(|(_, l)| l).unwrap_or(""),
                Format::Whitespace,
                b' ',
            );
            let mut sample = Sample {
                columns: header.clone(),
                rows: Vec::new(),
                lines: Vec::new(),
                rows_in_file: 0,
                problem: None,
                temporal: Vec::new(),
            };
            for (i, line) in lines {
                if line.trim().is_empty() {
                    continue;
                }
                sample.rows_in_file += 1;
                let parts: Vec<String> = line.split_whitespace().map(String::from).collect();
                if parts.len() != header.len() && sample.problem.is_none() {
                    sample.problem = Some(format!(
                        "line {}: {} values but the header has {} columns",
                        i + 1,
                        parts.len(),
                        header.len()
                    ));
                }
                if sample.problem.is_none() && sample.rows.len() < max_rows {
                    sample.rows.push(parts);
                    sample.lines.push(i as u64 + 1);
                }
            }
            Ok(sample)
        }
        Format::Csv => {
            let text = file_text(table, path, opts)?;
            let delimiter = opts.delimiter_byte(table)?;
            let header = split_header(text.lines().next().unwrap_or(""), Format::Csv, delimiter);
            let all = records(&text, delimiter, usize::MAX);
            let data: Vec<&Record> = all.iter().skip(1).filter(|r| !r.blank).collect();
            let bad = data.iter().position(|r| r.fields != header.len());
            let problem = bad.map(|i| {
                let r = data[i];
                format!(
                    "line {}: {} values but the header has {} columns",
                    r.line,
                    r.fields,
                    header.len()
                )
            });
            let take = bad.unwrap_or(data.len()).min(max_rows);
            let lines: Vec<u64> = data[..take].iter().map(|r| r.line).collect();
            let rows = if take == 0 {
                Vec::new()
            } else {
                let lf = LazyCsvReader::new(PlRefPath::from(path.to_string_lossy().as_ref()))
                    .with_separator(delimiter)
                    .with_has_header(true)
                    .with_infer_schema_length(Some(0))
                    .with_missing_is_null(true)
                    .with_n_rows(Some(take))
                    .finish()
                    .map_err(|e| read_error(path, e))?;
                frame_rows(&lf.collect().map_err(|e| read_error(path, e))?)
            };
            Ok(Sample {
                columns: header,
                lines: lines[..rows.len().min(lines.len())].to_vec(),
                rows,
                rows_in_file: data.len(),
                problem,
                temporal: Vec::new(),
            })
        }
    }
}

/// One worksheet as text: every cell as the CSV path would see it ([`cell_text`]).
pub(crate) struct Grid {
    /// The worksheet's name.
    pub sheet: String,
    /// The header row, trimmed.
    pub header: Vec<String>,
    /// Data rows (blank rows left out), one value per header column; empty cells `None`.
    pub rows: Vec<Vec<Option<String>>>,
    /// The 1-based Excel row of each data row.
    pub row_numbers: Vec<u64>,
}

/// Days from Excel's day 0 (1899-12-30, after its 1900 leap-year bug) to 1970-01-01.
pub(crate) const EXCEL_EPOCH_DAYS: f64 = 25569.0;

/// A number as CSV text with the table's decimal separator (no thousands separator): whole
/// numbers without decimals.
fn number_text(x: f64, decimal: &str) -> String {
    let s = if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    };
    if decimal == "." {
        s
    } else {
        s.replace('.', decimal)
    }
}

/// A date cell as text in the first of the table's date formats that reads it back exactly
/// (the time included), else ISO 8601 (`%Y-%m-%d`, with ` %H:%M:%S` when it has a time).
fn date_text(dt: chrono::NaiveDateTime, formats: &[String]) -> String {
    use std::fmt::Write as _;
    let midnight = dt.time() == chrono::NaiveTime::MIN;
    for f in formats {
        let mut s = String::new();
        if write!(s, "{}", dt.format(f)).is_err() {
            continue;
        }
        let back = chrono::NaiveDateTime::parse_from_str(&s, f)
            .ok()
            .or_else(|| {
                chrono::NaiveDate::parse_from_str(&s, f)
                    .ok()
                    .filter(|_| midnight)
                    .map(|d| d.and_time(chrono::NaiveTime::MIN))
            });
        if back == Some(dt) {
            return s;
        }
    }
    if midnight {
        dt.format("%Y-%m-%d").to_string()
    } else {
        dt.format("%Y-%m-%d %H:%M:%S").to_string()
    }
}

/// A cell as the text a CSV export would hold: numbers with the table's decimal separator,
/// date cells in the table's date format, booleans `true`/`false`, error cells as Excel shows
/// them (`#N/A`); empty cells `None`.
fn cell_text(c: &calamine::Data, opts: &FileOptions) -> Option<String> {
    use calamine::Data;
    match c {
        Data::Empty => None,
        Data::String(s) => Some(s.clone()),
        Data::Int(i) => Some(i.to_string()),
        Data::Float(f) => Some(number_text(*f, &opts.decimal)),
        Data::Bool(b) => Some(b.to_string()),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, mo, da, h, mi, s, ms) = d.to_ymd_hms_milli();
            let dt = chrono::NaiveDate::from_ymd_opt(y.into(), mo.into(), da.into())
                .and_then(|date| date.and_hms_milli_opt(h.into(), mi.into(), s.into(), ms.into()));
            match dt {
                Some(dt) => Some(date_text(dt, &opts.date_formats)),
                None => Some(number_text(d.as_f64(), &opts.decimal)),
            }
        }
        Data::DateTime(d) => Some(number_text(d.as_f64(), &opts.decimal)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.clone()),
        Data::Error(e) => Some(e.to_string()),
    }
}

/// The worksheets of a workbook, in tab order.
pub(crate) fn sheet_names(path: &Path) -> Result<Vec<String>> {
    use calamine::Reader;
    let book = calamine::open_workbook_auto(path).map_err(|e| Error::Read {
        file: path.to_path_buf(),
        message: format!("cannot open the workbook: {e}"),
    })?;
    Ok(book.sheet_names())
}

/// Reads one worksheet of a workbook (`opts.sheet`, default the first) as text.
pub(crate) fn read_grid(table: &'static str, path: &Path, opts: &FileOptions) -> Result<Grid> {
    use calamine::Reader;
    if !path.exists() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let read_err = |message: String| Error::Read {
        file: path.to_path_buf(),
        message,
    };
    let mut book = calamine::open_workbook_auto(path)
        .map_err(|e| read_err(format!("cannot open the workbook: {e}")))?;
    let names = book.sheet_names();
    let listed = || {
        names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{i}: {n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sheet = match &opts.sheet {
        None => names.first().cloned(),
        Some(crate::config::Sheet::Index(i)) => names.get(*i).cloned(),
        Some(crate::config::Sheet::Name(n)) => names.iter().find(|s| *s == n).cloned(),
    }
    .ok_or_else(|| {
        read_err(match &opts.sheet {
            None => "the workbook has no worksheet".into(),
            Some(s) => format!(
                "[{table}] sheet = {}: no such worksheet; the workbook has {}. Set `sheet` to a name or a 0-based position",
                match s {
                    crate::config::Sheet::Index(i) => i.to_string(),
                    crate::config::Sheet::Name(n) => format!("{n:?}"),
                },
                listed()
            ),
        })
    })?;
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| read_err(format!("sheet {sheet:?}: {e}")))?;
    let first_row = range.start().map_or(0, |(r, _)| r as u64);
    let mut rows = range.rows().enumerate();
    let header: Vec<String> = match rows.next() {
        Some((_, r)) => r
            .iter()
            .map(|c| cell_text(c, opts).unwrap_or_default().trim().to_string())
            .collect(),
        None => {
            return Err(Error::EmptyFile {
                file: path.to_path_buf(),
                table: table.into(),
                what: format!("sheet {sheet:?} is empty"),
            })
        }
    };
    let mut grid = Grid {
        sheet: sheet.clone(),
        header,
        rows: Vec::new(),
        row_numbers: Vec::new(),
    };
    for (i, r) in rows {
        let cells: Vec<Option<String>> = r.iter().map(|c| cell_text(c, opts)).collect();
        if cells
            .iter()
            .all(|c| c.as_deref().is_none_or(|s| s.trim().is_empty()))
        {
            continue;
        }
        grid.rows.push(cells);
        grid.row_numbers.push(first_row + i as u64 + 1);
    }
    if grid.rows.is_empty() {
        return Err(Error::EmptyFile {
            file: path.to_path_buf(),
            table: table.into(),
            what: format!("sheet {sheet:?} has a header but no rows"),
        });
    }
    Ok(grid)
}

/// Reads the mapped columns of a worksheet; returns the frame and the sheet's name.
fn read_xlsx(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
) -> Result<(DataFrame, String)> {
    let grid = read_grid(table, path, opts)?;
    check_columns(
        table,
        path,
        Some(&grid.sheet),
        "",
        &grid.header,
        opts,
        fields,
    )?;
    let mut columns = vec![Column::new(LINE.into(), grid.row_numbers.clone())];
    for (f, c) in fields {
        let j = grid.header.iter().position(|h| h == c).unwrap_or(0);
        let v: Vec<Option<&str>> = grid
            .rows
            .iter()
            .map(|r| r.get(j).and_then(|x| x.as_deref()))
            .collect();
        columns.push(Column::new(f.as_str().into(), v));
    }
    let df = DataFrame::new_infer_height(columns).map_err(|e| read_error(path, e))?;
    Ok((df, grid.sheet))
}

/// Every row of a frame of text columns, missing values as empty text.
fn frame_rows(df: &DataFrame) -> Vec<Vec<String>> {
    let cols: Vec<Vec<String>> = df
        .columns()
        .iter()
        .map(|c| {
            c.str()
                .map(|s| s.iter().map(|v| v.unwrap_or("").to_string()).collect())
                .unwrap_or_else(|_| vec![String::new(); df.height()])
        })
        .collect();
    (0..df.height())
        .map(|i| cols.iter().map(|c| c[i].clone()).collect())
        .collect()
}

fn select_fields(lf: LazyFrame, fields: &[(String, String)]) -> LazyFrame {
    let mut exprs = vec![col(LINE).cast(DataType::UInt64)];
    exprs.extend(
        fields
            .iter()
            .map(|(f, c)| col(c.as_str()).alias(f.as_str())),
    );
    lf.select(exprs)
}

fn read_parquet(
    table: &'static str,
    path: &Path,
    fields: &[(String, String)],
) -> Result<DataFrame> {
    let mut whole = None;
    read_parquet_pieces(table, path, fields, usize::MAX, |df| {
        whole = Some(df);
        Ok(())
    })?;
    Ok(whole.expect("a file with rows is one piece"))
}

/// Rows of a Parquet file read at a time by [`read_parquet_pieces`]: about what a 32 MB CSV
/// piece of browsing events holds.
pub(crate) const PARQUET_PIECE_ROWS: usize = 1 << 19;

/// Reads the mapped columns of a Parquet file `rows` rows at a time (a slice of the lazy
/// scan each, so polars reads only the row groups it needs), every piece with its rows'
/// numbers in [`LINE`] as [`read_table`] numbers them; `each` gets the pieces in file order.
pub(crate) fn read_parquet_pieces(
    table: &'static str,
    path: &Path,
    fields: &[(String, String)],
    rows: usize,
    mut each: impl FnMut(DataFrame) -> Result<()>,
) -> Result<()> {
    let mut lf = scan_parquet(path)?;
    let schema = lf.collect_schema().map_err(|e| read_error(path, e))?;
    let header: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let opts = FileOptions::plain(path, Format::Parquet);
    check_columns(table, path, None, "", &header, &opts, fields)?;
    let count = lf
        .clone()
        .select([len()])
        .collect()
        .map_err(|e| read_error(path, e))?;
    let total = count
        .column("len")
        .and_then(|c| c.get(0).map(|v| v.extract::<u64>()))
        .map_err(|e| read_error(path, e))?
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| Error::Read {
            file: path.to_path_buf(),
            message: "polars gave no row count for the file".into(),
        })?;
    if total == 0 {
        return Err(Error::EmptyFile {
            file: path.to_path_buf(),
            table: table.into(),
            what: "the file has no rows".into(),
        });
    }
    // Polars' own reader refuses files of more rows than its index type holds.
    let index = |v: usize| {
        IdxSize::try_from(v).map_err(|_| Error::Read {
            file: path.to_path_buf(),
            message: format!("row {v} is beyond the rows polars can number"),
        })
    };
    let rows = rows.max(1);
    let mut start = 0;
    while start < total {
        let take = rows.min(total - start);
        // The slice straight on the scan (polars then reads only its row groups; a row index
        // put before it keeps the slice from reaching the reader), numbered after.
        let piece = lf
            .clone()
            .slice(start as i64, index(take)?)
            .with_row_index(LINE, Some(index(start + 1)?));
        let df = select_fields(piece, fields)
            .collect()
            .map_err(|e| read_error(path, e))?;
        start += take;
        each(df)?;
    }
    Ok(())
}

/// Whitespace-separated text (columns separated by runs of blanks, e.g. CDNOW). Values cannot
/// contain blanks, so a line with more or fewer fields than the header is an error.
fn read_whitespace(
    table: &'static str,
    path: &Path,
    opts: &FileOptions,
    fields: &[(String, String)],
) -> Result<DataFrame> {
    let bytes = read_bytes(path)?;
    let text = check_text(table, path, &bytes, opts)?;
    let mut lines = text.lines().enumerate();
    let header_line = lines.next().map(|(_, l)| l).unwrap_or("");
    let header = split_header(header_line, Format::Whitespace, b' ');
    check_columns(table, path, None, header_line, &header, opts, fields)?;
    let wanted: Vec<usize> = fields
        .iter()
        .map(|(_, c)| header.iter().position(|h| h == c).unwrap_or(0))
        .collect();
    let mut line_numbers: Vec<u64> = Vec::new();
    let mut values: Vec<Vec<&str>> = vec![Vec::new(); fields.len()];
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        if parts.len() != header.len() {
            let column = header
                .get(parts.len().min(header.len().saturating_sub(1)))
                .cloned()
                .unwrap_or_default();
            return Err(Error::FieldCount {
                file: path.to_path_buf(),
                line: i + 1,
                column,
                found: parts.len(),
                expected: header.len(),
            });
        }
        line_numbers.push(i as u64 + 1);
        for (v, &w) in values.iter_mut().zip(&wanted) {
            v.push(parts[w]);
        }
    }
    let mut columns = vec![Column::new(LINE.into(), line_numbers)];
    for ((f, _), v) in fields.iter().zip(values) {
        columns.push(Column::new(f.as_str().into(), v));
    }
    DataFrame::new_infer_height(columns).map_err(|e| read_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parquet_of(dir: &Path, n: usize) -> PathBuf {
        let mut df = df!(
            "a" => (0..n as i64).collect::<Vec<_>>(),
            "b" => (0..n).map(|i| format!("v{i}")).collect::<Vec<_>>(),
        )
        .expect("frame");
        let path = dir.join(format!("t{n}.parquet"));
        ParquetWriter::new(std::fs::File::create(&path).expect("file"))
            .with_row_group_size(Some(700))
            .finish(&mut df)
            .expect("written");
        path
    }

    #[test]
    fn parquet_pieces_number_their_rows_as_the_whole_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fields = vec![("x".to_string(), "b".to_string())];
        // 2 345 rows: pieces of 1 000, 1 000 and 345; 2 000 rows: exactly two pieces.
        for (n, sizes) in [
            (2_345, vec![1_000, 1_000, 345]),
            (2_000, vec![1_000, 1_000]),
        ] {
            let path = parquet_of(dir.path(), n);
            let mut pieces: Vec<DataFrame> = Vec::new();
            read_parquet_pieces("events", &path, &fields, 1_000, |df| {
                pieces.push(df);
                Ok(())
            })
            .expect("read in pieces");
            let heights: Vec<usize> = pieces.iter().map(DataFrame::height).collect();
            assert_eq!(heights, sizes, "{n} rows");
            let whole = read_parquet("events", &path, &fields).expect("read whole");
            let lines = |df: &DataFrame| -> Vec<u64> {
                df.column(LINE)
                    .expect("lines")
                    .u64()
                    .expect("u64")
                    .into_no_null_iter()
                    .collect()
            };
            let firsts: Vec<u64> = pieces.iter().map(|p| lines(p)[0]).collect();
            assert_eq!(firsts[..2], [1, 1_001], "{n} rows");
            let mut all = pieces[0].clone();
            for p in &pieces[1..] {
                all.vstack_mut(p).expect("stacked");
            }
            assert_eq!(lines(&all), (1..=n as u64).collect::<Vec<_>>());
            assert!(all.equals_missing(&whole), "{n} rows");
        }
    }

    #[test]
    fn split_quoted_keeps_delimiters_inside_quotes() {
        assert_eq!(
            split_quoted(r#"a,"b,c","d""e""#, ','),
            vec!["a", "b,c", r#"d"e"#]
        );
    }
}
