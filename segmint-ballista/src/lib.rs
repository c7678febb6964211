//! # segmint-ballista
//!
//! segmint's feature table and segment assignment as Apache DataFusion plans on a Ballista
//! cluster (a scheduler and executors), for shops that outgrow one machine. It is its own
//! workspace crate so that segmint's default build never compiles DataFusion.
//!
//! ```text
//! mapping ──segmint ingest (where the files are)──▶ canonical Parquet (shared FS)
//!         ──DataFusion plans on the executors──▶ features/*.parquet
//!         ──seeded sample → segmint's sweep here; Lloyd on the executors──▶ model.json
//!         ──nearest centroid on the executors──▶ assignments/*.parquet
//! ```
//!
//! * [`canonical`]: segmint's ingest output as Parquet, money in integer micro-units.
//! * [`features`]: the feature catalog as SQL, mirroring the polars path feature by feature.
//! * [`assign`]: every customer to the nearest centroid of a segmint model, as one query.
//! * [`discover`]: the sweep on a seeded sample, Lloyd and the assignment on the cluster.
//! * [`cluster`]: a session on a remote scheduler (`df://HOST:PORT`) or in this process.
//! * [`servers`]: a scheduler and an executor process from the same build.
//! * [`verify`]: a table the cluster wrote against the one segmint's local path wrote.
//!
//! Library code never prints and never exits: every function returns [`Result`].
#![deny(missing_docs)]

pub mod assign;
pub mod canonical;
pub mod cluster;
pub mod discover;
pub mod error;
pub mod features;
pub mod servers;
pub mod verify;

use std::path::Path;

pub use cluster::Engine;
pub use error::{Error, Result};

/// Stack of every runtime thread: DataFusion's planner and Ballista's plan (de)serialisation
/// recurse over the feature query's expression trees, deeper than the default 2 MiB holds in a
/// debug build.
pub const THREAD_STACK: usize = 64 << 20;

/// The async runtime the CLI and the tests run the cluster's client (and a standalone
/// cluster) on.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .thread_stack_size(THREAD_STACK)
        .enable_all()
        .build()
        .map_err(|e| Error::Server(format!("cannot start the async runtime: {e}")))
}

/// Reads the mapping `config` with segmint's ingest, writes the canonical tables to
/// `out/canonical/` and computes the features on `engine` into `out/features/`.
pub async fn features_from_mapping(
    engine: &Engine,
    config: &Path,
    out: &Path,
) -> Result<features::FeaturesWritten> {
    let cfg = segmint::config::Config::load(config)?;
    let canonical = out.join("canonical");
    canonical::write(&cfg, &canonical)?;
    features_from_canonical(engine, &canonical, out).await
}

/// Computes the features of the canonical tables in `canonical` on `engine` into
/// `out/features/`.
pub async fn features_from_canonical(
    engine: &Engine,
    canonical: &Path,
    out: &Path,
) -> Result<features::FeaturesWritten> {
    let ctx = cluster::connect(engine).await?;
    features::write(&ctx, canonical, out).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: every JSON file has a `schema_version`; a file without one, or of another
    /// version, is refused with what writes it again.
    #[test]
    fn json_files_of_another_schema_version_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let path = dir.join("meta.json");
        let meta = canonical::Meta {
            schema_version: segmint::run::SCHEMA_VERSION,
            as_of: "2025-12-31".into(),
            as_of_days: 20453,
            top_categories: 8,
            return_handling_cost: 49.0,
            tables: vec!["transactions".into()],
            columns: Default::default(),
            rows: Default::default(),
            survey_items: vec![],
            survey_factors: Default::default(),
            survey_scales: Default::default(),
            customer_attributes: vec![],
            ingest: None,
        };
        let text = String::from_utf8(segmint::run::json(&meta).unwrap()).unwrap();
        assert!(text.contains("\"schema_version\": 1"), "{text}");
        std::fs::write(&path, &text).unwrap();
        assert_eq!(canonical::Meta::read(&dir).unwrap(), meta);
        let old = text.replace("\"schema_version\": 1,", "");
        std::fs::write(&path, old).unwrap();
        let err = canonical::Meta::read(&dir).unwrap_err().to_string();
        assert!(
            err.contains("no schema_version") && err.contains("segmint-ballista canonical"),
            "{err}"
        );
        let next = text.replace("\"schema_version\": 1,", "\"schema_version\": 2,");
        std::fs::write(&path, next).unwrap();
        let err = canonical::Meta::read(&dir).unwrap_err().to_string();
        assert!(err.contains("schema_version 2"), "{err}");
    }
}
