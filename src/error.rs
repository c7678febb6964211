//! Errors. Each says what went wrong, where (file, line, column, value) and what to do.

use std::path::PathBuf;

/// Result with segmint's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in an input file a value stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The input file.
    pub file: PathBuf,
    /// 1-based line of the record (CSV: the header is line 1) or, for Parquet, 1-based row.
    pub line: usize,
    /// The client's column name.
    pub column: String,
    /// The worksheet, for Excel workbooks (`line` is then the 1-based row, as Excel shows it).
    pub sheet: Option<String>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sheet {
            Some(sheet) => write!(
                f,
                "{}, sheet {sheet:?}, row {}, column {:?}",
                self.file.display(),
                self.line,
                self.column
            ),
            None => write!(
                f,
                "{}, line {}, column {:?}",
                self.file.display(),
                self.line,
                self.column
            ),
        }
    }
}

/// `file, line N` or, in a workbook, `file, sheet "S", row N`.
fn at_row(file: &std::path::Path, sheet: Option<&str>, line: usize) -> String {
    match sheet {
        Some(s) => format!("{}, sheet {s:?}, row {line}", file.display()),
        None => format!("{}, line {line}", file.display()),
    }
}

/// `file, lines A and B` or, in a workbook, `file, sheet "S", rows A and B`.
fn at_rows(file: &std::path::Path, sheet: Option<&str>, a: usize, b: usize) -> String {
    match sheet {
        Some(s) => format!("{}, sheet {s:?}, rows {a} and {b}", file.display()),
        None => format!("{}, lines {a} and {b}", file.display()),
    }
}

/// A mapped column that is not in the file (boxed in [`Error::MissingColumn`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: the mapping names column {column:?} for `{field}` in [{table}], but the file has no such column. Columns in the file: {available}. Fix the mapping's [{table}.columns] entry", at_row(file, sheet.as_deref(), 1))]
pub struct MissingColumn {
    /// The input file.
    pub file: PathBuf,
    /// The worksheet, for Excel workbooks.
    pub sheet: Option<String>,
    /// The mapping section.
    pub table: String,
    /// The segmint field.
    pub field: String,
    /// The column the mapping names.
    pub column: String,
    /// The file's columns, for the message.
    pub available: String,
}

/// A repeated customer id (boxed in [`Error::DuplicateCustomer`] to keep errors small).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}, column {column:?}: customer {id:?} appears twice; the [{table}] table needs one row per customer{what}", at_rows(file, sheet.as_deref(), *first_line, *line))]
pub struct Duplicate {
    /// The input file.
    pub file: PathBuf,
    /// The worksheet, for Excel workbooks (the lines are then its rows).
    pub sheet: Option<String>,
    /// The mapping section.
    pub table: String,
    /// Extra detail (e.g. " and question").
    pub what: String,
    /// The customer id column.
    pub column: String,
    /// The duplicated id (with the question for long surveys).
    pub id: String,
    /// Line of the first occurrence.
    pub first_line: usize,
    /// Line of the second occurrence.
    pub line: usize,
}

/// Everything that can go wrong in segmint's library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The mapping file could not be parsed or is inconsistent.
    #[error("mapping file {}: {message}", path.display())]
    MappingFile {
        /// The mapping file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A mapping setting is invalid.
    #[error("mapping: {0}")]
    Mapping(String),
    /// A mapped column is not in the file (boxed to keep errors small).
    #[error("{0}")]
    MissingColumn(Box<MissingColumn>),
    /// The file is empty or has a header but no rows.
    #[error("{}: {what}; {} needs a header line and at least one row", file.display(), if table == "prospects" { "a prospects file".to_string() } else { format!("a [{table}] file") })]
    EmptyFile {
        /// The input file.
        file: PathBuf,
        /// The mapping section.
        table: String,
        /// "the file is empty" or "the file has a header but no rows".
        what: String,
    },
    /// The file seems to use another delimiter than the mapping says.
    #[error("{}, line 1: the header splits into {found_fields} column(s) on {expected:?} but into {other_fields} on {other:?}; set delimiter = {other:?} in [{table}]", file.display())]
    WrongDelimiter {
        /// The input file.
        file: PathBuf,
        /// The mapping section.
        table: String,
        /// The delimiter the mapping gives.
        expected: String,
        /// Fields found with it.
        found_fields: usize,
        /// The delimiter the file seems to use.
        other: String,
        /// Fields found with that.
        other_fields: usize,
    },
    /// A byte sequence that is not UTF-8.
    #[error("{}, line {line}, column {column:?}: bytes {bytes} are not valid UTF-8; re-export the file as UTF-8 (from Excel: \"CSV UTF-8\")", file.display())]
    NotUtf8 {
        /// The input file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// The column the bytes fall in (or `?`).
        column: String,
        /// The offending bytes in hex.
        bytes: String,
    },
    /// A UTF-16 (or binary) file where UTF-8 text was expected.
    #[error("{}, line {line}, column 1: the file {what}; re-export it as UTF-8 (from Excel: \"CSV UTF-8\")", file.display())]
    Utf16 {
        /// The input file.
        file: PathBuf,
        /// 1-based line of the first offending byte.
        line: usize,
        /// What was found.
        what: String,
    },
    /// A row with more or fewer fields than the header.
    #[error("{}, line {line}, column {column:?}: {found} values but the header has {expected} columns; {}", file.display(), if found < expected { "the row is short (cut off, or a value missing): complete it or remove it" } else { "the row has extra fields: quote values that hold the delimiter, or remove the extra fields" })]
    FieldCount {
        /// The input file.
        file: PathBuf,
        /// 1-based line where the record starts.
        line: usize,
        /// The first missing column (short rows) or the last column (long rows).
        column: String,
        /// Fields in the row.
        found: usize,
        /// Columns in the header.
        expected: usize,
    },
    /// A value could not be read as what its column holds.
    #[error("{place}: cannot read {value:?} as {expected}")]
    BadValue {
        /// Where.
        place: Box<Place>,
        /// The raw value.
        value: String,
        /// What was expected ("a number with decimal separator ','", "a date like %Y-%m-%d", ...).
        expected: String,
    },
    /// A value was read but breaks a rule (negative price, answer outside its scale, ...).
    #[error("{place}: {value:?} {rule}")]
    InvalidValue {
        /// Where.
        place: Box<Place>,
        /// The raw value.
        value: String,
        /// The rule it breaks and what to do.
        rule: String,
    },
    /// A customer appears twice in a table that needs one row per customer.
    #[error("{0}")]
    DuplicateCustomer(Box<Duplicate>),
    /// A file could not be parsed by the CSV or Parquet reader.
    #[error("{}: {message}", file.display())]
    Read {
        /// The input file.
        file: PathBuf,
        /// The reader's message.
        message: String,
    },
    /// The data cannot give what was asked (e.g. no customer at all).
    #[error("{0}")]
    Data(String),
    /// A chart could not be drawn.
    #[error("chart {0}; this is a bug, please report it")]
    Render(String),
    /// The distributed engine (the `segmint-ballista` program) is missing or failed.
    #[error("--engine ballista: {0}")]
    Engine(String),
    /// An internal dataframe operation failed.
    #[error("dataframe operation failed ({context}): {source}")]
    Polars {
        /// What segmint was doing.
        context: String,
        /// The cause.
        source: polars::error::PolarsError,
    },
}

/// Adds context to polars errors.
pub(crate) trait PolarsContext<T> {
    /// Wraps a polars error with what segmint was doing.
    fn ctx(self, context: &str) -> Result<T>;
}

impl<T> PolarsContext<T> for std::result::Result<T, polars::error::PolarsError> {
    fn ctx(self, context: &str) -> Result<T> {
        self.map_err(|source| Error::Polars {
            context: context.to_string(),
            source,
        })
    }
}
