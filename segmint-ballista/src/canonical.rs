//! The canonical tables: the boundary between segmint's ingest and the cluster.
//!
//! segmint's ingest (mapping, date and number parsing, return conventions, skip reasons) stays
//! the one definition of what a row means; it runs where the client's files are and writes its
//! canonical frames ([`segmint::ingest::Inputs`]) as Parquet, one folder per table, so that a
//! data lake can hold the same tables as many part files. Money is written as integer
//! micro-units (rounded half to even by [`segmint::features::micro`], as the polars path
//! sums it), so no engine rounds money again and every money sum is exact.
//!
//! ```text
//! DIR/meta.json            as_of, feature options, survey items and factors, attributes
//! DIR/ids/*.parquet        table, customer_id: every id seen in each table (the universe)
//! DIR/lines/*.parquet      customer_id, order_id, ts, quantity, gross, discount, paid, cogs
//!                          (money Int64 micro-units) [, category, channel]
//! DIR/returns/*.parquet    customer_id, order_id, quantity, refund, cogs, handling (micro)
//! DIR/events/*.parquet     customer_id, session_id, ts, kind [, category, dwell]
//! DIR/survey/*.parquet     customer_id, one column per item
//! DIR/customers/*.parquet  customer_id, age, gender, country, region, signup, attributes
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use segmint::config::Config;
use segmint::config::FeatureOptions;
use segmint::features::{FeatureSpec, micro};
use segmint::ingest::Inputs;

use crate::error::{Context, Error, Result, io};

/// What the feature plans need besides the tables.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Meta {
    /// Layout version of this file ([`segmint::run::SCHEMA_VERSION`]; 0 in a file written
    /// before it was recorded, which is refused).
    #[serde(default)]
    pub schema_version: u32,
    /// Reference date, `YYYY-MM-DD`.
    pub as_of: String,
    /// `as_of` as days since 1970-01-01.
    pub as_of_days: i32,
    /// `[features] top_categories`.
    pub top_categories: usize,
    /// `[features] return_handling_cost`, in currency units.
    pub return_handling_cost: f64,
    /// The tables written (folder names).
    pub tables: Vec<String>,
    /// Columns of each table written.
    pub columns: BTreeMap<String, Vec<String>>,
    /// Rows of each table written.
    #[serde(default)]
    pub rows: BTreeMap<String, usize>,
    /// Survey items, in column order.
    pub survey_items: Vec<String>,
    /// Survey factors: name → items averaged.
    pub survey_factors: BTreeMap<String, Vec<String>>,
    /// Survey items' answer scales (lowest, highest), where the mapping gives one.
    #[serde(default)]
    pub survey_scales: BTreeMap<String, [f64; 2]>,
    /// The `[customers.attributes]` features, in column order.
    pub customer_attributes: Vec<FeatureSpec>,
    /// What segmint's ingest did with the mapping's rows (absent in files written before it
    /// was recorded).
    #[serde(default)]
    pub ingest: Option<segmint::ingest::IngestReport>,
}

impl Meta {
    /// Whether `table` was written and has `column`.
    pub fn has(&self, table: &str, column: &str) -> bool {
        self.columns
            .get(table)
            .is_some_and(|c| c.iter().any(|n| n == column))
    }

    /// `table` in a FROM clause as `alias`; a table without rows as an empty relation that
    /// DataFusion's optimiser removes. (Ballista 55 never finishes a job that joins a stage
    /// without rows, e.g. a shop without returns.)
    pub fn from(&self, table: &str, alias: &str) -> String {
        if self.rows.get(table) == Some(&0) {
            format!("(SELECT * FROM {table} WHERE FALSE) {alias}")
        } else {
            format!("{table} {alias}")
        }
    }

    /// Reads `DIR/meta.json`.
    pub fn read(dir: &Path) -> Result<Meta> {
        let path = dir.join("meta.json");
        let redo = "write the canonical tables with `segmint-ballista canonical --config MAPPING --out DIR`";
        let text = std::fs::read_to_string(&path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound && dir.is_dir() {
                Error::Input(format!(
                    "{} has no meta.json: it is not a folder of canonical tables, or writing them did not finish; {redo}",
                    dir.display()
                ))
            } else {
                io(&path)(e)
            }
        })?;
        let meta: Meta = serde_json::from_str(&text).map_err(|e| {
            Error::Input(format!(
                "{}: not a canonical meta.json ({e}); {redo}",
                path.display()
            ))
        })?;
        segmint::run::cluster::check_schema(&path, meta.schema_version, redo)?;
        Ok(meta)
    }
}

/// The folder of `table` under `dir`.
pub fn table_dir(dir: &Path, table: &str) -> PathBuf {
    dir.join(table)
}

/// The folder under a canonical `dir` that the events' files are written into before they
/// become `dir/events` (a folder left by a failed run is removed by the next).
const EVENTS_STAGING: &str = ".events.partial";

/// The events written as Parquet files, one per piece of the events table that has rows.
struct EventFiles {
    /// The folder of the files, `part-00000.parquet`, `part-00001.parquet`, …
    dir: PathBuf,
    /// Files written (at least one when the mapping has events: an events table whose rows
    /// are all skipped is one file without rows, which still says the columns).
    files: usize,
    /// Rows written, over all files.
    rows: usize,
    /// The columns of every file, in order.
    columns: Vec<String>,
}

impl EventFiles {
    /// Writes `rows` as the next file (segmint's Parquet settings, written atomically).
    fn add(&mut self, rows: DataFrame) -> segmint::error::Result<()> {
        let path = self.dir.join(format!("part-{:05}.parquet", self.files));
        segmint::run::write::write_atomic(&path, &segmint::run::parquet(&rows)?, false)?;
        if self.files == 0 {
            self.columns = rows
                .get_column_names()
                .iter()
                .map(|c| c.to_string())
                .collect();
        }
        self.files += 1;
        self.rows += rows.height();
        Ok(())
    }
}

/// Reads the mapping `config` with segmint's ingest and writes its canonical tables under
/// `dir`: the events as ingest reads them, one Parquet file per piece of the events table
/// that has rows ([`segmint::ingest::load_streaming_events`]), so the client holds the sums
/// and two pieces of the events (the one at hand and the next, read ahead), not all of them (a
/// workbook or a whitespace-separated file is one piece); then the other tables. Returns the
/// inputs and what it wrote. On an error the staging folder of the events is removed.
pub fn write(config: &Config, dir: &Path) -> Result<(Inputs, Meta)> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let staging = dir.join(EVENTS_STAGING);
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    std::fs::create_dir_all(&staging).map_err(io(&staging))?;
    // Best effort on an error: the error says what went wrong, a leftover folder (as large
    // as the events) would not.
    let clean = |e: Error| {
        let _ = std::fs::remove_dir_all(&staging);
        e
    };
    let mut events = EventFiles {
        dir: staging.clone(),
        files: 0,
        rows: 0,
        columns: Vec::new(),
    };
    let inputs = segmint::ingest::load_streaming_events(config, &mut |rows| events.add(rows))
        .map_err(|e| clean(e.into()))?;
    let meta = export(&inputs, &events, &config.mapping.features, dir).map_err(clean)?;
    if staging.exists() {
        // A mapping without events leaves the folder empty.
        std::fs::remove_dir_all(&staging).map_err(io(&staging))?;
    }
    Ok((inputs, meta))
}

/// Writes the canonical tables of `inputs` under `dir` (created if missing; a table folder
/// that exists is replaced). The events' files are moved into `dir/events`, so they must be
/// on the same filesystem as `dir` ([`write`] puts them there). Returns what it wrote.
fn export(inputs: &Inputs, f: &EventFiles, opts: &FeatureOptions, dir: &Path) -> Result<Meta> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut w = Written::default();
    let put = |w: &mut Written, name: &str, df: DataFrame| -> Result<()> {
        let names = df
            .get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect();
        w.record(name, df.height(), names);
        write_table(dir, name, df)
    };

    let mut ids: Vec<DataFrame> = Vec::new();
    for (table, s) in &inputs.ids_by_source {
        let id = s.clone().with_name("customer_id".into());
        let n = id.len();
        let t = Series::new("table".into(), vec![table.as_str(); n]);
        ids.push(DataFrame::new_infer_height(vec![t.into(), id.into()]).ctx("listing ids")?);
    }
    let ids = match ids.split_first() {
        None => DataFrame::new_infer_height(vec![
            Series::new_empty("table".into(), &DataType::String).into(),
            Series::new_empty("customer_id".into(), &DataType::String).into(),
        ])
        .ctx("listing ids")?,
        Some((first, rest)) => {
            let mut all = first.clone();
            for r in rest {
                all.vstack_mut(r).ctx("listing ids")?;
            }
            all
        }
    };
    // meta.json says which tables belong together: it goes before the first table is
    // replaced and comes back (written atomically) after the last, so a write that stops half
    // way leaves no meta.json beside a mix of old and new tables, and nothing reads them.
    let meta_path = dir.join("meta.json");
    if meta_path.exists() {
        std::fs::remove_file(&meta_path).map_err(io(&meta_path))?;
        segmint::run::write::sync_folder(dir)?;
    }
    put(&mut w, "ids", ids)?;

    let lines = select_present(
        &inputs.lines,
        &[
            "customer_id",
            "order_id",
            "ts",
            "quantity",
            "gross",
            "discount",
            "paid",
            "cogs",
            "category",
            "channel",
        ],
        &["gross", "discount", "paid", "cogs"],
    )?;
    put(&mut w, "lines", lines)?;
    let returns = select_present(
        &inputs.returns,
        &[
            "customer_id",
            "order_id",
            "quantity",
            "refund",
            "cogs",
            "handling",
        ],
        &["refund", "cogs", "handling"],
    )?;
    put(&mut w, "returns", returns)?;
    if inputs.browsing.is_some() {
        if f.files == 0 {
            return Err(Error::Input(format!(
                "no events file was written to {}: read the inputs with canonical::write",
                f.dir.display()
            )));
        }
        let wanted: Vec<&str> = EVENT_COLUMNS
            .iter()
            .copied()
            .filter(|c| f.columns.iter().any(|n| n == c))
            .collect();
        if f.columns != wanted {
            return Err(Error::Input(format!(
                "the events' files in {} have the columns {:?}, not the canonical {:?}",
                f.dir.display(),
                f.columns,
                wanted
            )));
        }
        let folder = table_dir(dir, "events");
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(io(&folder))?;
        }
        std::fs::rename(&f.dir, &folder).map_err(io(&folder))?;
        w.record("events", f.rows, f.columns.clone());
    }
    if let Some(sv) = &inputs.survey {
        let mut cols = vec!["customer_id".to_string()];
        cols.extend(inputs.survey_items.iter().cloned());
        let sv = sv.select(cols).ctx("selecting the survey items")?;
        put(&mut w, "survey", sv)?;
    }
    if let Some(c) = &inputs.customers {
        let mut cols: Vec<String> = [
            "customer_id",
            "age",
            "gender",
            "country",
            "region",
            "signup",
        ]
        .map(String::from)
        .to_vec();
        cols.extend(inputs.customer_attributes.iter().map(|s| s.name.clone()));
        let c = c.select(cols).ctx("selecting the customer profiles")?;
        put(&mut w, "customers", c)?;
    }

    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch is a date");
    let meta = Meta {
        schema_version: segmint::run::SCHEMA_VERSION,
        as_of: inputs.as_of.to_string(),
        as_of_days: (inputs.as_of - epoch).num_days() as i32,
        top_categories: opts.top_categories,
        return_handling_cost: opts.return_handling_cost,
        tables: w.tables,
        columns: w.columns,
        rows: w.rows,
        survey_items: inputs.survey_items.clone(),
        survey_factors: inputs.survey_factors.clone(),
        survey_scales: inputs.survey_scales.clone(),
        customer_attributes: inputs.customer_attributes.clone(),
        ingest: Some(inputs.report.clone()),
    };
    // Every table's folder (new, replaced or renamed in) reaches the disk before meta.json.
    segmint::run::write::sync_folder(dir)?;
    segmint::run::write::write_atomic(&meta_path, &segmint::run::json(&meta)?, false)?;
    Ok(meta)
}

/// The canonical events' columns, in order (`category` and `dwell` when mapped).
const EVENT_COLUMNS: [&str; 6] = [
    "customer_id",
    "session_id",
    "ts",
    "kind",
    "category",
    "dwell",
];

/// The tables written so far: their names in order, columns and rows.
#[derive(Default)]
struct Written {
    tables: Vec<String>,
    columns: BTreeMap<String, Vec<String>>,
    rows: BTreeMap<String, usize>,
}

impl Written {
    fn record(&mut self, name: &str, rows: usize, columns: Vec<String>) {
        self.rows.insert(name.to_string(), rows);
        self.columns.insert(name.to_string(), columns);
        self.tables.push(name.to_string());
    }
}

/// The columns of `wanted` that `df` has, money columns as Int64 micro-units.
fn select_present(df: &DataFrame, wanted: &[&str], money: &[&str]) -> Result<DataFrame> {
    let present: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|c| df.column(c).is_ok())
        .collect();
    let exprs: Vec<Expr> = present
        .iter()
        .map(|c| {
            if money.contains(c) {
                micro(col(*c)).alias(*c)
            } else {
                col(*c)
            }
        })
        .collect();
    df.clone()
        .lazy()
        .select(exprs)
        .collect()
        .ctx("writing a canonical table")
}

/// Writes a table as one Parquet file in its folder, as the events' files are written: through
/// a temporary file that is flushed to the disk before it is renamed (and, on Unix, its folder
/// after it); `export` flushes `dir` once before `meta.json`, so `meta.json` never stands
/// beside a table whose bytes or entry a power cut could still lose.
fn write_table(dir: &Path, name: &str, df: DataFrame) -> Result<()> {
    let folder = table_dir(dir, name);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).map_err(io(&folder))?;
    }
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    let path = folder.join("part-0.parquet");
    segmint::run::write::write_atomic(&path, &segmint::run::parquet(&df)?, false)?;
    Ok(())
}
