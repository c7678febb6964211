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
        let text = std::fs::read_to_string(&path).map_err(io(&path))?;
        let redo = "write the canonical tables with `segmint-ballista canonical --config MAPPING --out DIR`";
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

/// Writes the canonical tables of `inputs` under `dir` (created if missing; a table folder
/// that exists is replaced). Returns what it wrote.
pub fn export(inputs: &Inputs, opts: &FeatureOptions, dir: &Path) -> Result<Meta> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut columns = BTreeMap::new();
    let mut rows = BTreeMap::new();
    let mut tables = Vec::new();
    let mut put = |name: &str, df: DataFrame| -> Result<()> {
        rows.insert(name.to_string(), df.height());
        columns.insert(
            name.to_string(),
            df.get_column_names()
                .iter()
                .map(|c| c.to_string())
                .collect(),
        );
        tables.push(name.to_string());
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
    put("ids", ids)?;

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
    put("lines", lines)?;
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
    put("returns", returns)?;
    if let Some(b) = &inputs.browsing {
        let ev = b.rows.as_ref().ok_or_else(|| {
            Error::Input(
                "the events were summed without keeping them: read the inputs with \
                 segmint::ingest::load_keeping_events"
                    .into(),
            )
        })?;
        let ev = select_present(
            ev,
            &[
                "customer_id",
                "session_id",
                "ts",
                "kind",
                "category",
                "dwell",
            ],
            &[],
        )?;
        put("events", ev)?;
    }
    if let Some(sv) = &inputs.survey {
        let mut cols = vec!["customer_id".to_string()];
        cols.extend(inputs.survey_items.iter().cloned());
        let sv = sv.select(cols).ctx("selecting the survey items")?;
        put("survey", sv)?;
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
        put("customers", c)?;
    }

    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch is a date");
    let meta = Meta {
        schema_version: segmint::run::SCHEMA_VERSION,
        as_of: inputs.as_of.to_string(),
        as_of_days: (inputs.as_of - epoch).num_days() as i32,
        top_categories: opts.top_categories,
        return_handling_cost: opts.return_handling_cost,
        tables,
        columns,
        rows,
        survey_items: inputs.survey_items.clone(),
        survey_factors: inputs.survey_factors.clone(),
        survey_scales: inputs.survey_scales.clone(),
        customer_attributes: inputs.customer_attributes.clone(),
        ingest: Some(inputs.report.clone()),
    };
    let path = dir.join("meta.json");
    segmint::run::write::write_atomic(&path, &segmint::run::json(&meta)?, false)?;
    Ok(meta)
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

fn write_table(dir: &Path, name: &str, mut df: DataFrame) -> Result<()> {
    let folder = table_dir(dir, name);
    if folder.exists() {
        std::fs::remove_dir_all(&folder).map_err(io(&folder))?;
    }
    std::fs::create_dir_all(&folder).map_err(io(&folder))?;
    let path = folder.join("part-0.parquet");
    let file = std::fs::File::create(&path).map_err(io(&path))?;
    ParquetWriter::new(file)
        .finish(&mut df)
        .ctx(&format!("writing {}", path.display()))?;
    Ok(())
}
