//! The `segmint` command line: a thin layer over the library.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use segmint::config::Config;
use segmint::export;

/// Discover customer segments from a shop's own exports.
#[derive(Parser)]
#[command(name = "segmint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the customer feature table and the clustering matrix.
    Features {
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
    },
    /// Print the feature catalog as Markdown (docs/features.md).
    Catalog,
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Features { config, out } => features(&config, &out)?,
        Command::Catalog => print!("{}", segmint::features::catalog::markdown()),
    }
    Ok(ExitCode::SUCCESS)
}

fn features(config: &std::path::Path, out: &std::path::Path) -> anyhow::Result<()> {
    let config = Config::load(config)?;
    let run = segmint::pipeline::run_features(&config)?;
    let files = export::feature_outputs(&run)?;
    export::write_files(out, &files).context("writing the outputs")?;
    summary(&run);
    println!(
        "wrote features.parquet, matrix.parquet, manifest.json to {}",
        out.display()
    );
    Ok(())
}

fn summary(run: &segmint::pipeline::FeatureRun) {
    for t in &run.inputs.report.tables {
        println!(
            "{:<13} {:>9} rows read, {:>9} used  ({})",
            t.table,
            t.rows_read,
            t.rows_used,
            t.file.display()
        );
        for s in &t.skipped {
            println!("{:>13} {:>9} skipped: {}", "", s.rows, s.reason);
        }
    }
    for w in &run.inputs.report.warnings {
        println!("note: {w}");
    }
    println!(
        "{} customers, {} features, matrix {} × {} (as_of {})",
        run.features.customers(),
        run.features.specs.len(),
        run.prepared.matrix.nrows(),
        run.prepared.matrix.ncols(),
        run.inputs.as_of
    );
}
