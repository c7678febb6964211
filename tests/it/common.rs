//! Helpers shared by the integration tests: fixtures in a temporary folder.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use polars::prelude::*;
use segmint::config::Config;

/// A temporary folder holding fixture files.
pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes a file (text).
    pub fn file(&self, name: &str, content: &str) -> &Self {
        self.bytes(name, content.as_bytes())
    }

    /// Writes a file (bytes).
    pub fn bytes(&self, name: &str, content: &[u8]) -> &Self {
        std::fs::write(self.path(name), content).expect("write fixture");
        self
    }

    /// Writes `mapping.toml` and parses it.
    pub fn config(&self, mapping: &str) -> segmint::Result<Config> {
        self.file("mapping.toml", mapping);
        Config::load(&self.path("mapping.toml"))
    }
}

/// The numeric value of `feature` for customer `id` (None when missing).
pub fn value(df: &DataFrame, id: &str, feature: &str) -> Option<f64> {
    let row = row_of(df, id);
    let c = df
        .column(feature)
        .unwrap_or_else(|_| panic!("no feature {feature}"))
        .cast(&DataType::Float64)
        .unwrap();
    c.f64().unwrap().get(row)
}

/// The text value of `feature` for customer `id`.
pub fn text(df: &DataFrame, id: &str, feature: &str) -> Option<String> {
    let row = row_of(df, id);
    let c = df
        .column(feature)
        .unwrap_or_else(|_| panic!("no feature {feature}"));
    c.str().unwrap().get(row).map(String::from)
}

pub fn row_of(df: &DataFrame, id: &str) -> usize {
    let ids = df.column("customer_id").unwrap().str().unwrap().clone();
    let row = ids.iter().position(|v| v == Some(id));
    row.unwrap_or_else(|| panic!("no customer {id}"))
}

/// The customer ids in order.
pub fn ids(df: &DataFrame) -> Vec<String> {
    df.column("customer_id")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|s| s.unwrap().to_string())
        .collect()
}

/// Asserts two floats are equal within 1e-9 (relative).
#[track_caller]
pub fn close(actual: Option<f64>, expected: f64) {
    let a = actual.expect("value is missing");
    assert!(
        (a - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "expected {expected}, got {a}"
    );
}

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the bundled sample shop (`data/sample`) in a temporary folder.
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(repo().join("data/sample")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.path().join(p.file_name().unwrap())).unwrap();
    }
    dir
}

/// Ids in column `column` of a CSV text (header on line 1), read without segmint.
pub fn csv_ids(text: &str, delimiter: char, column: &str) -> std::collections::BTreeSet<String> {
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(delimiter).collect();
    let at = header.iter().position(|h| *h == column).unwrap();
    lines
        .filter_map(|l| l.split(delimiter).nth(at))
        .filter(|v| !v.is_empty())
        .map(String::from)
        .collect()
}

/// A behaviour feature of the given kind, as the hand-made profile fixtures declare it.
pub fn behaviour_spec(name: &str, kind: segmint::features::Kind) -> segmint::features::FeatureSpec {
    segmint::features::FeatureSpec {
        name: name.into(),
        group: segmint::features::Group::Behaviour,
        kind,
        formula: String::new(),
        levels: Vec::new(),
        scale: None,
    }
}
