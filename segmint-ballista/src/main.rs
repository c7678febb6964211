//! `segmint-ballista`: segmint's features and segment assignment on a Ballista cluster, and the
//! cluster's scheduler and executor processes.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use segmint_ballista::servers::{ExecutorOptions, SchedulerOptions};
use segmint_ballista::{Engine, Result};

#[derive(Parser)]
#[command(
    name = "segmint-ballista",
    version,
    about = "segmint's features, discovery and segment assignment on Apache DataFusion Ballista"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct EngineArgs {
    /// The scheduler, df://HOST:PORT.
    #[arg(long, value_name = "df://HOST:PORT", conflicts_with = "standalone")]
    scheduler: Option<String>,
    /// Start a scheduler and an executor in this process instead.
    #[arg(long)]
    standalone: bool,
    /// Partitions of each stage.
    #[arg(long, default_value_t = 4)]
    partitions: usize,
}

impl EngineArgs {
    fn engine(&self) -> Result<Engine> {
        match (&self.scheduler, self.standalone) {
            (Some(url), false) => Ok(Engine::Remote {
                url: url.clone(),
                partitions: self.partitions,
            }),
            (None, true) => Ok(Engine::Standalone {
                partitions: self.partitions,
            }),
            _ => Err(segmint_ballista::Error::Input(
                "say where to run: --scheduler df://HOST:PORT, or --standalone".into(),
            )),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read a mapping with segmint's ingest and write its canonical tables as Parquet (the
    /// cluster's input), money as integer micro-units.
    Canonical {
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
        /// Output folder (on a filesystem every executor sees).
        #[arg(long)]
        out: PathBuf,
    },
    /// Compute the feature table on the cluster: OUT/features/*.parquet and OUT/features.json.
    Features {
        /// The mapping file (ingest runs here, writing OUT/canonical/ first).
        #[arg(
            long,
            required_unless_present = "canonical",
            conflicts_with = "canonical"
        )]
        config: Option<PathBuf>,
        /// A folder of canonical tables written by `canonical`.
        #[arg(long)]
        canonical: Option<PathBuf>,
        /// Output folder (on a filesystem every executor sees).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Assign every customer of a feature table to the nearest centroid of a segmint model:
    /// OUT/assignments/*.parquet.
    Assign {
        /// model.json of a segmint run (discover).
        #[arg(long)]
        model: PathBuf,
        /// The feature table: a folder of Parquet files written by `features`.
        #[arg(long)]
        features: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Discover segments of a feature table: the sweep on a seeded sample pulled from the
    /// cluster, then Lloyd steps and the assignment of every customer on the cluster:
    /// OUT/model.json, OUT/assignments/*.parquet, OUT/discover.json.
    Discover {
        /// The mapping file (its prepare and cluster options).
        #[arg(long)]
        config: PathBuf,
        /// The feature table: the features/ folder written by `features` (features.json next
        /// to it).
        #[arg(long)]
        features: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Customers in the sample the sweep runs on (at most).
        #[arg(long, default_value_t = 100_000)]
        sample: usize,
        /// Seed of the sample.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Lloyd steps on the cluster, at most.
        #[arg(long, default_value_t = segmint_ballista::discover::MAX_ITER)]
        max_iter: usize,
        /// Force k-means with this many segments.
        #[arg(long)]
        k: Option<usize>,
        /// Consider k-means candidates only (DBSCAN cannot run on the cluster).
        #[arg(long)]
        kmeans: bool,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Check a table the cluster wrote (features or assignments) against the one segmint's
    /// local path wrote: integers exactly, other numbers within 1e-9 relative.
    Verify {
        /// The cluster's table: a folder of Parquet parts.
        #[arg(long)]
        table: PathBuf,
        /// segmint's table (e.g. features.parquet or assignments.parquet of a run).
        #[arg(long)]
        against: PathBuf,
    },
    /// Run a scheduler until stopped.
    Scheduler {
        /// Address to bind.
        #[arg(long, default_value = "0.0.0.0")]
        bind_host: String,
        /// Host name executors and clients reach the scheduler by.
        #[arg(long, default_value = "localhost")]
        external_host: String,
        /// gRPC port.
        #[arg(long, short = 'p', default_value_t = 50050)]
        port: u16,
    },
    /// Run an executor until stopped (SIGTERM or Ctrl-C).
    Executor {
        /// Scheduler host.
        #[arg(long, default_value = "localhost")]
        scheduler_host: String,
        /// Scheduler port.
        #[arg(long, default_value_t = 50050)]
        scheduler_port: u16,
        /// Address to bind.
        #[arg(long, default_value = "0.0.0.0")]
        bind_host: String,
        /// Address registered with the scheduler.
        #[arg(long, default_value = "localhost")]
        external_host: String,
        /// Arrow Flight port (shuffle data, results).
        #[arg(long, short = 'p', default_value_t = 50051)]
        port: u16,
        /// Task gRPC port.
        #[arg(long, default_value_t = 50052)]
        grpc_port: u16,
        /// Task slots (0: every core).
        #[arg(long, short = 'c', default_value_t = 0)]
        vcores: usize,
        /// Folder for shuffle files.
        #[arg(long)]
        work_dir: Option<String>,
        /// Seconds to keep trying to reach the scheduler at start.
        #[arg(long, default_value_t = 60)]
        connect_timeout: u16,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match segmint_ballista::runtime() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command) -> Result<()> {
    match command {
        Command::Canonical { config, out } => {
            let cfg = segmint::config::Config::load(&config)?;
            let (_, meta) = segmint_ballista::canonical::write(&cfg, &out)?;
            println!(
                "wrote the canonical tables {} to {} (as_of {})",
                meta.tables.join(", "),
                out.display(),
                meta.as_of
            );
        }
        Command::Features {
            config,
            canonical,
            out,
            engine,
        } => {
            let engine = engine.engine()?;
            let started = std::time::Instant::now();
            let w = match (config, canonical) {
                (Some(c), _) => segmint_ballista::features_from_mapping(&engine, &c, &out).await?,
                (None, Some(d)) => {
                    segmint_ballista::features_from_canonical(&engine, &d, &out).await?
                }
                (None, None) => unreachable!("clap requires --config or --canonical"),
            };
            println!(
                "wrote {} features of {} customers to {} in {:.1} s{}",
                w.specs.len(),
                w.customers,
                w.table.display(),
                started.elapsed().as_secs_f64(),
                if w.dropped.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (left out, no customer has a value: {})",
                        w.dropped.join(", ")
                    )
                }
            );
        }
        Command::Assign {
            model,
            features,
            out,
            engine,
        } => {
            let engine = engine.engine()?;
            let model = segmint::run::model_file::read(&model)?.body;
            let ctx = segmint_ballista::cluster::connect(&engine).await?;
            let w = segmint_ballista::assign::write(&ctx, &model, &features, &out).await?;
            println!(
                "assigned the customers to {} segments: {}",
                w.k,
                w.table.display()
            );
        }
        Command::Discover {
            config,
            features,
            out,
            sample,
            seed,
            max_iter,
            k,
            kmeans,
            engine,
        } => {
            use segmint_ballista::discover::{DiscoverOptions, write};
            let engine = engine.engine()?;
            let cfg = segmint::config::Config::load(&config)?;
            let mut opts = DiscoverOptions::new(sample, seed);
            opts.max_iter = max_iter;
            opts.overrides.k = k;
            if kmeans {
                opts.overrides.algorithm = Some(segmint::cluster::sweep::Algorithm::KMeans);
            }
            let started = std::time::Instant::now();
            let ctx = segmint_ballista::cluster::connect(&engine).await?;
            let w = write(&ctx, &cfg, &features, &out, &opts).await?;
            println!(
                "{} segments ({}) of {} customers, swept on a sample of {}; {} Lloyd step{} on the cluster ({}, last move {:.1e}); sizes {:?}; wrote {} and {} in {:.1} s",
                w.k,
                w.candidate,
                w.customers,
                w.sample,
                w.iterations,
                if w.iterations == 1 { "" } else { "s" },
                if w.converged {
                    "converged"
                } else {
                    "stopped at --max-iter"
                },
                w.shift,
                w.sizes,
                w.model.display(),
                w.table.display(),
                started.elapsed().as_secs_f64()
            );
        }
        Command::Verify { table, against } => {
            use segmint_ballista::verify::{compare, read_table};
            let a = compare(&read_table(&against)?, &read_table(&table)?)?;
            println!(
                "equal: {} customers, {} columns (largest relative difference {:.1e})",
                a.rows, a.columns, a.max_rel_diff
            );
        }
        Command::Scheduler {
            bind_host,
            external_host,
            port,
        } => {
            segmint_ballista::servers::run_scheduler(&SchedulerOptions {
                bind_host,
                external_host,
                port,
            })
            .await?;
        }
        Command::Executor {
            scheduler_host,
            scheduler_port,
            bind_host,
            external_host,
            port,
            grpc_port,
            vcores,
            work_dir,
            connect_timeout,
        } => {
            segmint_ballista::servers::run_executor(&ExecutorOptions {
                scheduler_host,
                scheduler_port,
                bind_host,
                external_host,
                port,
                grpc_port,
                vcores,
                work_dir,
                connect_timeout_seconds: connect_timeout,
            })
            .await?;
        }
    }
    Ok(())
}
