//! A scheduler and an executor as processes, built from the same DataFusion as the client, so
//! CI and a deployment need no `cargo install` of the stock binaries.

use std::sync::Arc;

use ballista_executor::executor_process::{ExecutorProcessConfig, start_executor_process};
use ballista_scheduler::cluster::BallistaCluster;
use ballista_scheduler::config::SchedulerConfig;
use ballista_scheduler::scheduler_process::start_server;

use crate::error::{Error, Result};

/// Where a scheduler listens.
#[derive(Debug, Clone)]
pub struct SchedulerOptions {
    /// Address to bind, e.g. `0.0.0.0` or `127.0.0.1`.
    pub bind_host: String,
    /// Host name executors and clients use to reach the scheduler.
    pub external_host: String,
    /// gRPC port (clients connect to `df://external_host:port`).
    pub port: u16,
}

/// Runs a scheduler until the process is stopped.
pub async fn run_scheduler(o: &SchedulerOptions) -> Result<()> {
    let mut cfg = SchedulerConfig::default()
        .with_hostname(o.external_host.clone())
        .with_port(o.port);
    cfg.bind_host = o.bind_host.clone();
    let addr = format!("{}:{}", o.bind_host, o.port);
    let address = addr.parse().map_err(|e| {
        Error::Input(format!(
            "scheduler address `{addr}`: {e}; give --bind-host as an IP address"
        ))
    })?;
    let cluster = BallistaCluster::new_from_config(&cfg)
        .await
        .map_err(|e| Error::Server(format!("starting the scheduler's cluster state: {e}")))?;
    start_server(cluster, address, Arc::new(cfg))
        .await
        .map_err(|e| Error::Server(format!("scheduler on {addr}: {e}")))
}

/// Where an executor listens and which scheduler it serves.
#[derive(Debug, Clone)]
pub struct ExecutorOptions {
    /// Scheduler host.
    pub scheduler_host: String,
    /// Scheduler port.
    pub scheduler_port: u16,
    /// Address to bind.
    pub bind_host: String,
    /// Address registered with the scheduler (what other nodes use to fetch shuffle data).
    pub external_host: String,
    /// Arrow Flight port (shuffle data and results).
    pub port: u16,
    /// Task gRPC port.
    pub grpc_port: u16,
    /// Task slots (0: all cores).
    pub vcores: usize,
    /// Folder for shuffle files (a temporary folder if `None`).
    pub work_dir: Option<String>,
    /// Seconds to keep retrying the scheduler at start.
    pub connect_timeout_seconds: u16,
}

/// Runs an executor until it receives SIGTERM or Ctrl-C.
pub async fn run_executor(o: &ExecutorOptions) -> Result<()> {
    let vcores = if o.vcores == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        o.vcores
    };
    let cfg = ExecutorProcessConfig {
        bind_host: o.bind_host.clone(),
        external_host: Some(o.external_host.clone()),
        port: o.port,
        grpc_port: o.grpc_port,
        scheduler_host: o.scheduler_host.clone(),
        scheduler_port: o.scheduler_port,
        scheduler_connect_timeout_seconds: o.connect_timeout_seconds,
        vcores,
        work_dir: o.work_dir.clone(),
        ..Default::default()
    };
    start_executor_process(Arc::new(cfg)).await.map_err(|e| {
        Error::Server(format!(
            "executor on {}:{} (scheduler {}:{}): {e}",
            o.bind_host, o.port, o.scheduler_host, o.scheduler_port
        ))
    })
}
