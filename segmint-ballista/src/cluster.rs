//! Connecting to a Ballista cluster: a remote scheduler, or one started in this process.

use std::path::Path;

use ballista::prelude::{SessionConfigExt, SessionContextExt};
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{ParquetReadOptions, SessionConfig, SessionContext};

use crate::error::{Context, Error, Result};

/// Where the plans run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// A scheduler at `df://HOST:PORT` with its executors.
    Remote {
        /// `df://HOST:PORT`.
        url: String,
        /// Partitions of each stage (DataFusion's `target_partitions`).
        partitions: usize,
    },
    /// A scheduler and one executor in this process (tests, one-machine runs).
    Standalone {
        /// Partitions of each stage, and the executor's task slots.
        partitions: usize,
    },
}

/// A session on the cluster.
pub async fn connect(engine: &Engine) -> Result<SessionContext> {
    let config = |partitions: usize| {
        SessionConfig::new_with_ballista()
            .with_target_partitions(partitions.max(1))
            .with_ballista_job_name("segmint")
    };
    match engine {
        Engine::Remote { url, partitions } => {
            if !url.starts_with("df://") {
                return Err(Error::Input(format!(
                    "scheduler `{url}`: give it as df://HOST:PORT (e.g. df://127.0.0.1:50050)"
                )));
            }
            let state = SessionStateBuilder::new()
                .with_config(config(*partitions))
                .with_default_features()
                .build();
            SessionContext::remote_with_state(url, state)
                .await
                .ctx(&format!("connecting to the scheduler at {url}"))
        }
        Engine::Standalone { partitions } => {
            let cfg = config(*partitions).with_ballista_standalone_parallelism(*partitions);
            let state = SessionStateBuilder::new()
                .with_config(cfg)
                .with_default_features()
                .build();
            SessionContext::standalone_with_state(state)
                .await
                .ctx("starting a scheduler and an executor in this process")
        }
    }
}

/// A local path as a table location every node can resolve: absolute, and with a trailing
/// `/` for a folder (DataFusion lists a folder's files only with it).
pub fn location(path: &Path, folder: bool) -> Result<String> {
    let abs = std::path::absolute(path).map_err(crate::error::io(path))?;
    let mut s = abs.to_str().map(String::from).ok_or_else(|| {
        Error::Input(format!(
            "{}: the path is not valid UTF-8; use a plain path",
            abs.display()
        ))
    })?;
    if folder && !s.ends_with('/') {
        s.push('/');
    }
    Ok(s)
}

/// Registers the Parquet files of `folder` as `name`.
pub async fn register_parquet(ctx: &SessionContext, name: &str, folder: &Path) -> Result<()> {
    let loc = location(folder, true)?;
    ctx.deregister_table(name)
        .ctx(&format!("replacing table {name}"))?;
    ctx.register_parquet(name, &loc, ParquetReadOptions::default())
        .await
        .ctx(&format!("registering {loc} as table {name}"))
}
