//! Exporters return bytes; [`write_files`] is the one place that writes them to disk.

use std::path::{Path, PathBuf};

use polars::prelude::*;
use serde::Serialize;

use crate::error::{Error, PolarsContext, Result};
use crate::pipeline::FeatureRun;

/// A file to write: name relative to the output folder, and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// A frame as Parquet bytes (zstd-compressed, statistics on).
pub fn parquet(df: &DataFrame) -> Result<Vec<u8>> {
    let mut df = df.clone();
    let mut buf = Vec::new();
    ParquetWriter::new(&mut buf)
        .finish(&mut df)
        .ctx("writing Parquet")?;
    Ok(buf)
}

/// A value as pretty JSON with a final newline.
pub fn json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    let mut v = serde_json::to_vec_pretty(value)
        .map_err(|e| Error::Data(format!("cannot write JSON: {e}")))?;
    v.push(b'\n');
    Ok(v)
}

/// The outputs of `segmint features`: features.parquet, matrix.parquet, manifest.json.
pub fn feature_outputs(run: &FeatureRun) -> Result<Vec<OutputFile>> {
    Ok(vec![
        ("features.parquet".into(), parquet(&run.features.table)?),
        ("matrix.parquet".into(), parquet(&run.prepared.to_frame()?)?),
        ("manifest.json".into(), json(&run.manifest())?),
    ])
}

/// Writes files into `dir` (created if needed); returns the paths written.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| Error::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}
