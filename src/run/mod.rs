//! The run folder: every file segmint writes, its one serde type, its reader and its writer.
//!
//! | file | written by | type | personal data |
//! |---|---|---|---|
//! | `manifest.json` | features, discover | [`Manifest`] | no |
//! | `features.parquet` | features, discover | [`features`] | yes (per customer) |
//! | `matrix.parquet` | features, discover | [`features`] | yes (per customer) |
//! | `assignments.parquet`, `.csv` | discover, assign | [`assignments`] | yes (per customer) |
//! | `candidates.json`, `.csv` | discover | [`Candidates`] | no |
//! | `model.json` | discover | [`crate::model::SegmentModel`] ([`model_file`]) | no |
//! | `profiles.parquet`, `.csv` | profile | [`profiles`] | no |
//! | `segments.json` | profile | [`SegmentsFile`] | yes (the flagged customers' ids) |
//! | `flagged_customers.parquet`, `.csv` | profile | [`flagged`] | yes (per customer) |
//! | `lookalike/<id>-<name>.json` | profile | [`LookalikeFile`] | no |
//! | `report/report.{html,md,json}`, `report/charts/*` | report | [`report`] | no |
//!
//! The files a job on a Ballista cluster writes and segmint reads back (`features.json`,
//! `discover.json`, Parquet folders): [`cluster`].
//!
//! Every JSON file starts with a header: `schema_version` ([`SCHEMA_VERSION`]) and the
//! `run_id` of the run it belongs to ([`RunId`]). Parquet and CSV files carry no header; the
//! folder's marker (`.segmint`, see [`write`](mod@write)) records the run id of every file written.
//!
//! Writing ([`write::OutDir`]): every file is written to a temporary file in its folder and
//! renamed into place; a lock file (`.segmint.lock`) is held while a command writes; a command
//! never overwrites a file that a different stage (or no segmint command) wrote, nor an input;
//! files holding personal data are written owner-only (0600) on unix.
//!
//! Reading ([`folder::RunFolder`]): every file read must belong to the run of
//! `manifest.json`; a mixture of runs is refused with a message saying what to re-run.

pub mod assignments;
pub mod candidates;
pub mod cluster;
pub mod compare;
pub mod features;
pub mod flagged;
pub mod folder;
pub mod holdout;
pub mod lift;
pub mod lookalike;
pub mod manifest;
pub mod model_file;
pub mod profiles;
pub mod report;
pub mod segments;
pub mod write;

use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::model::{FeatureLabels, RunId};
pub use candidates::{CandidateRecord, Candidates};
pub use folder::RunFolder;
pub use lookalike::LookalikeFile;
pub use manifest::Manifest;
pub use segments::SegmentsFile;
pub use write::{OutDir, Output, Stage};

use crate::error::{Error, PolarsContext, Result};

/// Version of the layout of the run folder's JSON files; raised when a field changes meaning
/// or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Names of the run folder's files.
pub mod names {
    /// What went in and how.
    pub const MANIFEST: &str = "manifest.json";
    /// Per-customer features.
    pub const FEATURES: &str = "features.parquet";
    /// The clustering matrix.
    pub const MATRIX: &str = "matrix.parquet";
    /// Segments per customer (Parquet).
    pub const ASSIGNMENTS: &str = "assignments.parquet";
    /// Segments per customer (CSV).
    pub const ASSIGNMENTS_CSV: &str = "assignments.csv";
    /// Every candidate (JSON).
    pub const CANDIDATES: &str = "candidates.json";
    /// Every candidate (CSV).
    pub const CANDIDATES_CSV: &str = "candidates.csv";
    /// The fitted segmentation.
    pub const MODEL: &str = "model.json";
    /// Profiles per segment (Parquet).
    pub const PROFILES: &str = "profiles.parquet";
    /// Profiles per segment (CSV).
    pub const PROFILES_CSV: &str = "profiles.csv";
    /// The profiles with names, actions, flags and the flagged customers.
    pub const SEGMENTS: &str = "segments.json";
    /// Customers flagged for high returns (Parquet).
    pub const FLAGGED: &str = "flagged_customers.parquet";
    /// Customers flagged for high returns (CSV).
    pub const FLAGGED_CSV: &str = "flagged_customers.csv";
    /// Folder of the segments' lookalike vectors.
    pub const LOOKALIKE_DIR: &str = "lookalike";
    /// The report's content for machines.
    pub const REPORT_JSON: &str = "report.json";
    /// The report's folder inside a run folder (`segmint run`, `segmint report`'s default).
    pub const REPORT_DIR: &str = "report";
    /// A comparison of two runs (in the later run's `compare/` folder by default).
    pub const COMPARE_JSON: &str = "compare.json";
    /// The default folder of `segmint compare`'s files inside the later run.
    pub const COMPARE_DIR: &str = "compare";
    /// A campaign measurement (in the run's `lift/` folder by default).
    pub const LIFT_JSON: &str = "lift.json";
    /// The default folder of `segmint lift`'s files inside the run.
    pub const LIFT_DIR: &str = "lift";
}

/// A JSON file's header ([`SCHEMA_VERSION`] and the run id) followed by its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamped<T> {
    /// Layout version of the file (0: written before schema versions).
    #[serde(default)]
    pub schema_version: u32,
    /// The run the file belongs to (absent in files of segmint 0.1 before run ids).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_id: Option<RunId>,
    /// The content.
    #[serde(flatten)]
    pub body: T,
}

impl<T> Stamped<T> {
    /// `body` with the header of run `run_id`.
    pub fn new(run_id: &RunId, body: T) -> Stamped<T> {
        Stamped {
            schema_version: SCHEMA_VERSION,
            run_id: Some(run_id.clone()),
            body,
        }
    }
}

/// Rows per row group of the Parquet outputs, about: polars cuts a table of n rows into
/// n / `ROW_GROUP_ROWS` groups of equal size (at least one), so a reader of a million-customer
/// table reads (or skips, by the statistics) about a quarter of a million rows at a time.
pub const ROW_GROUP_ROWS: usize = 262_144;

/// A frame as Parquet bytes (zstd-compressed, statistics on, row groups of about
/// [`ROW_GROUP_ROWS`] rows).
pub fn parquet(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .with_row_group_size(Some(ROW_GROUP_ROWS))
        .finish(&mut df)
        .ctx("writing Parquet")?;
    Ok(buf)
}

/// A frame as CSV bytes (comma, header, `.` decimals).
pub fn csv(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let mut buf = Vec::new();
    CsvWriter::new(&mut buf)
        .include_header(true)
        .finish(&mut df)
        .ctx("writing CSV")?;
    Ok(buf)
}

/// A value as pretty JSON with a final newline.
pub fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::Data(format!("cannot write JSON: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// Reads a JSON file of the run folder; `what` names it in messages.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    serde_json::from_str(&text).map_err(|e| Error::Read {
        file: path.to_path_buf(),
        message: format!("not a segmint {what}: {e}"),
    })
}

/// Reads a JSON file that must carry the header of this segmint ([`Stamped`]): its
/// `schema_version` must be [`SCHEMA_VERSION`] and its `run_id` present. Returns the run id and
/// the content. `what` names the file in messages (`holdout manifest`), `redo` the command that
/// writes it (`segmint holdout`): a file without the header, or of another schema version, is
/// refused with a message saying to run that command again.
pub fn read_stamped<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    redo: &str,
) -> Result<(RunId, T)> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let refuse = |message: String| Error::Read {
        file: path.to_path_buf(),
        message,
    };
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| refuse(format!("not a segmint {what}: {e}")))?;
    match value.get("schema_version").and_then(|v| v.as_u64()) {
        None => {
            return Err(refuse(format!(
                "not a segmint {what} this version can read: it has no `schema_version` header (written by an older segmint, or not by segmint); run `{redo}` again"
            )))
        }
        Some(v) if v != u64::from(SCHEMA_VERSION) => {
            return Err(refuse(format!(
                "a segmint {what} of schema_version {v}, but segmint {} reads schema_version {SCHEMA_VERSION}: run `{redo}` again with this segmint",
                env!("CARGO_PKG_VERSION")
            )))
        }
        Some(_) => {}
    }
    let Some(run_id) = value
        .get("run_id")
        .and_then(|v| v.as_str())
        .map(str::to_string)
    else {
        return Err(refuse(format!(
            "not a segmint {what} this version can read: it has no `run_id` header; run `{redo}` again"
        )));
    };
    let stamped: Stamped<T> =
        serde_json::from_value(value).map_err(|e| refuse(format!("not a segmint {what}: {e}")))?;
    Ok((RunId(run_id), stamped.body))
}

/// Reads a Parquet file of the run folder.
pub fn read_parquet(path: &Path) -> Result<DataFrame> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    ParquetReader::new(file).finish().map_err(|e| Error::Read {
        file: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parquet_outputs_come_in_row_groups() {
        let n = 2 * ROW_GROUP_ROWS + 10;
        let df = DataFrame::new_infer_height(vec![Column::new(
            "segment".into(),
            (0..n as i64).collect::<Vec<_>>(),
        )])
        .unwrap();
        let bytes = parquet(&df).unwrap();
        let mut r = ParquetReader::new(std::io::Cursor::new(bytes));
        let groups: Vec<usize> = r
            .get_metadata()
            .unwrap()
            .row_groups
            .iter()
            .map(|g| g.num_rows())
            .collect();
        // polars cuts a table into n / ROW_GROUP_ROWS groups of equal size.
        assert_eq!(groups, [ROW_GROUP_ROWS + 5, ROW_GROUP_ROWS + 5]);
    }

    #[test]
    fn run_ids_follow_the_content() {
        let a = RunId::of(&[b"abc", b"def"]);
        assert_eq!(a, RunId::of(&[b"abc", b"def"]));
        assert_ne!(a, RunId::of(&[b"abcd", b"ef"]), "parts are length-prefixed");
        assert_eq!(a.0.len(), 16);
        assert!(a.0.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn the_header_comes_first_and_reads_back() {
        #[derive(Debug, PartialEq, Serialize, Deserialize)]
        struct Body {
            segmint_version: String,
            k: usize,
        }
        let s = Stamped::new(
            &RunId("0123456789abcdef".into()),
            Body {
                segmint_version: "0.1.0".into(),
                k: 3,
            },
        );
        let text = String::from_utf8(json(&s).unwrap()).unwrap();
        assert!(
            text.starts_with("{\n  \"schema_version\": 1,\n  \"run_id\": \"0123456789abcdef\",\n  \"segmint_version\""),
            "{text}"
        );
        let back: Stamped<Body> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, s);
        let old: Stamped<Body> =
            serde_json::from_str(r#"{"segmint_version": "0.1.0", "k": 2}"#).unwrap();
        assert_eq!((old.schema_version, old.run_id), (0, None));
    }

    #[test]
    fn read_stamped_wants_the_current_header() {
        #[derive(Debug, PartialEq, Deserialize)]
        struct Body {
            k: usize,
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        let read = |text: &str| {
            std::fs::write(&path, text).unwrap();
            read_stamped::<Body>(&path, "thing", "segmint thing")
        };
        let (id, body) = read(r#"{"schema_version": 1, "run_id": "ab12", "k": 3}"#).unwrap();
        assert_eq!((id, body), (RunId("ab12".into()), Body { k: 3 }));
        let e = read(r#"{"k": 3}"#).unwrap_err().to_string();
        assert!(
            e.contains("no `schema_version` header") && e.contains("run `segmint thing` again"),
            "{e}"
        );
        let e = read(r#"{"schema_version": 2, "run_id": "ab12", "k": 3}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("schema_version 2") && e.contains("reads schema_version 1"),
            "{e}"
        );
        let e = read(r#"{"schema_version": 1, "k": 3}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no `run_id` header"), "{e}");
        let e = read(r#"{"schema_version": 1, "run_id": "ab12"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("not a segmint thing") && e.contains("missing field `k`"),
            "{e}"
        );
    }
}
