//! The files of a job on a DataFusion Ballista cluster (the `segmint-ballista` program) that
//! segmint reads back: the catalog of the cluster's feature table (`features.json`), what the
//! cluster's discovery did (`discover.json`), and the per-customer tables the cluster writes as
//! folders of Parquet part files (`features/`, `assignments/`). `segmint-ballista` writes them
//! with these same types.
//!
//! `segmint run --engine ballista` reads them into a run folder of its own
//! ([`crate::pipeline::ballista::collect`]) and profiles and reports it on this machine.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use polars::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalog::FeatureSpec;
use crate::error::{Error, PolarsContext, Result};
use crate::features::Features;
use crate::ingest::IngestReport;
use crate::model::{Assignment, RunNote};

/// `features.json`: the catalog of a feature table the cluster wrote (`features/`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClusterFeatures {
    /// Layout version of this file ([`super::SCHEMA_VERSION`]; 0 in a file written before it
    /// was recorded, which is refused).
    #[serde(default)]
    pub schema_version: u32,
    /// Reference date.
    pub as_of: String,
    /// Customers (rows), each once.
    pub customers: u64,
    /// The features in column order (all-missing ones left out, as the polars path does).
    pub specs: Vec<FeatureSpec>,
    /// Features left out because no customer has a value.
    pub dropped: Vec<String>,
    /// The Parquet folder.
    pub table: PathBuf,
    /// What segmint's ingest did with the mapping's rows before the cluster computed the
    /// features (absent in files written before it was recorded).
    #[serde(default)]
    pub ingest: Option<IngestReport>,
}

/// `discover.json`: what the cluster's discovery did.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClusterDiscovery {
    /// Layout version of this file ([`super::SCHEMA_VERSION`]; 0 in a file written before it
    /// was recorded, which is refused).
    #[serde(default)]
    pub schema_version: u32,
    /// Customers in the feature table.
    pub customers: u64,
    /// Customers in the sample the sweep ran on.
    pub sample: usize,
    /// Seed of the sample.
    pub sample_seed: u64,
    /// The chosen candidate.
    pub candidate: String,
    /// Segments of the model.
    pub k: usize,
    /// Lloyd steps run on the cluster.
    pub iterations: usize,
    /// Whether the steps stopped because no centroid moved farther than the tolerance.
    pub converged: bool,
    /// The largest centroid move of the last step.
    pub shift: f64,
    /// Customers per segment (segment 1 first), as assigned.
    pub sizes: Vec<u64>,
    /// `model.json`.
    pub model: PathBuf,
    /// The assignments: a folder of Parquet files.
    pub table: PathBuf,
    /// The sweep's notes on its options (k capped, k forced), for the run's report.
    #[serde(default)]
    pub notes: Vec<RunNote>,
}

/// The file name of [`ClusterFeatures`], next to the `features/` folder.
pub const FEATURES_JSON: &str = "features.json";
/// The file name of [`ClusterDiscovery`].
pub const DISCOVER_JSON: &str = "discover.json";

/// Refuses a file of another layout version, saying which command writes it again.
pub fn check_schema(path: &Path, found: u32, redo: &str) -> Result<()> {
    if found == super::SCHEMA_VERSION {
        return Ok(());
    }
    let why = if found == 0 {
        "no schema_version (written before files recorded one)".to_string()
    } else {
        format!("schema_version {found}")
    };
    Err(Error::Data(format!(
        "{}: {why}, but this segmint reads schema_version {}; {redo}",
        path.display(),
        super::SCHEMA_VERSION
    )))
}

/// Reads the JSON file `path` of type `what`; `missing` says what to give when it cannot be
/// read, `redo` what writes it again when it is not one.
fn read_json<T: serde::de::DeserializeOwned>(
    path: &Path,
    what: &str,
    missing: &str,
    redo: &str,
) -> Result<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Data(format!("{}: {e}; {missing}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::Data(format!("{}: not a {what} ({e}); {redo}", path.display())))
}

/// Reads `features.json` of the feature table in the folder `features` (the file sits next
/// to the folder).
pub fn read_catalog(features: &Path) -> Result<ClusterFeatures> {
    let path = features
        .parent()
        .map(|p| p.join(FEATURES_JSON))
        .unwrap_or_else(|| PathBuf::from(FEATURES_JSON));
    let redo = "compute the features again (`segmint-ballista features`)";
    let missing = "give the features/ folder that `segmint-ballista features` wrote (features.json next to it)";
    let catalog: ClusterFeatures =
        read_json(&path, "features.json of segmint-ballista", missing, redo)?;
    check_schema(&path, catalog.schema_version, redo)?;
    Ok(catalog)
}

/// Reads `discover.json` in `dir`.
pub fn read_discovery(dir: &Path) -> Result<ClusterDiscovery> {
    let path = dir.join(DISCOVER_JSON);
    let redo = "discover again (`segmint-ballista discover`)";
    let missing = "give the folder that `segmint-ballista discover` wrote";
    let d: ClusterDiscovery = read_json(&path, "discover.json of segmint-ballista", missing, redo)?;
    check_schema(&path, d.schema_version, redo)?;
    Ok(d)
}

/// Reads a Parquet file, or every `*.parquet` part of a folder, sorted by `customer_id`.
pub fn read_table(path: &Path) -> Result<DataFrame> {
    let files: Vec<PathBuf> = if path.is_dir() {
        let mut f: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
            .collect();
        f.sort();
        f
    } else {
        vec![path.to_path_buf()]
    };
    let mut all: Option<DataFrame> = None;
    for f in &files {
        let df = super::read_parquet(f)?;
        match &mut all {
            None => all = Some(df),
            Some(a) => {
                a.vstack_mut(&df).map_err(|e| Error::Read {
                    file: f.clone(),
                    message: format!("its columns differ from the other parts' ({e})"),
                })?;
            }
        }
    }
    let df = all.ok_or_else(|| {
        Error::Data(format!(
            "{}: no Parquet file there; give a table the cluster wrote",
            path.display()
        ))
    })?;
    if df.column("customer_id").is_err() {
        return Err(Error::Data(format!(
            "{}: no customer_id column",
            path.display()
        )));
    }
    df.sort(["customer_id"], SortMultipleOptions::default())
        .ctx("sorting by customer_id")
}

/// The cluster's feature table in the folder `features` with its catalog, as segmint
/// features (sorted by customer id, each customer once).
pub fn read_features(features: &Path) -> Result<(ClusterFeatures, Features)> {
    let catalog = read_catalog(features)?;
    let as_of = NaiveDate::parse_from_str(&catalog.as_of, "%Y-%m-%d").map_err(|e| {
        Error::Data(format!(
            "{}: as_of {:?} is not a date ({e}); compute the features again",
            features.display(),
            catalog.as_of
        ))
    })?;
    let table = read_table(features)?;
    let ids = table.column("customer_id").ctx("reading the features")?;
    let distinct = ids.n_unique().ctx("reading the features")?;
    if distinct != table.height() || table.height() as u64 != catalog.customers {
        return Err(Error::Data(format!(
            "{}: {} rows for {distinct} customers, features.json says {}: compute the features again",
            features.display(),
            table.height(),
            catalog.customers
        )));
    }
    let mut names = vec!["customer_id".to_string()];
    names.extend(catalog.specs.iter().map(|s| s.name.clone()));
    let table = table.select(names).map_err(|e| {
        Error::Data(format!(
            "{}: a feature of features.json is not in the table ({e}); compute the features again",
            features.display()
        ))
    })?;
    let features = Features {
        table,
        specs: catalog.specs.clone(),
        sources: Vec::new(),
        as_of,
    };
    Ok((catalog, features))
}

/// The cluster's assignments in the folder `table` (`customer_id`, `segment` 1-based,
/// `distance`, `silhouette`), sorted by customer id.
pub fn read_assignments(table: &Path) -> Result<Assignment> {
    let df = read_table(table)?;
    super::assignments::from_frame(&df)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(dir: &Path, name: &str, ids: &[&str], segments: &[u32]) {
        let mut df = DataFrame::new_infer_height(vec![
            Column::new("customer_id".into(), ids.to_vec()),
            Column::new("segment".into(), segments.to_vec()),
            Column::new("distance".into(), vec![0.5f64; ids.len()]),
            Column::new("silhouette".into(), vec![0.25f64; ids.len()]),
        ])
        .unwrap();
        let file = std::fs::File::create(dir.join(name)).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();
    }

    #[test]
    fn the_parts_of_a_folder_are_read_as_one_table_sorted_by_customer() {
        let dir = tempfile::tempdir().unwrap();
        part(dir.path(), "part-1.parquet", &["c", "a"], &[2, 1]);
        part(dir.path(), "part-0.parquet", &["b"], &[1]);
        std::fs::write(dir.path().join("_SUCCESS"), "").unwrap();
        let a = read_assignments(dir.path()).unwrap();
        assert_eq!(a.ids, ["a", "b", "c"]);
        let seg: Vec<Option<usize>> = a.segment.iter().map(|s| s.map(|s| s.index())).collect();
        assert_eq!(seg, [Some(0), Some(0), Some(1)]);
        let e = read_table(&dir.path().join("none"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("none"), "{e}");
        let empty = tempfile::tempdir().unwrap();
        let e = read_table(empty.path()).unwrap_err().to_string();
        assert!(e.contains("no Parquet file"), "{e}");
    }

    #[test]
    fn a_catalog_of_another_layout_is_refused_with_the_command_that_writes_it() {
        let dir = tempfile::tempdir().unwrap();
        let features = dir.path().join("features");
        let catalog = ClusterFeatures {
            schema_version: 0,
            as_of: "2026-10-31".into(),
            customers: 1,
            specs: Vec::new(),
            dropped: Vec::new(),
            table: features.clone(),
            ingest: None,
        };
        let write = |c: &ClusterFeatures| {
            std::fs::write(
                dir.path().join(FEATURES_JSON),
                serde_json::to_string(c).unwrap(),
            )
            .unwrap()
        };
        write(&catalog);
        let e = read_catalog(&features).unwrap_err().to_string();
        assert!(
            e.contains("no schema_version") && e.contains("segmint-ballista features"),
            "{e}"
        );
        write(&ClusterFeatures {
            schema_version: super::super::SCHEMA_VERSION,
            ..catalog
        });
        assert_eq!(read_catalog(&features).unwrap().customers, 1);
    }
}
