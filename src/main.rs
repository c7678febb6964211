//! The `segmint` command line: parses arguments, calls one function of
//! [`segmint::pipeline::commands`] and prints what it did. No stage logic lives here.

mod print;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use segmint::campaign::lift::Primary;
use segmint::cluster::sweep::{Algorithm, Progress};
use segmint::i18n::Lang;
use segmint::lookalike::normalize::Platform;
use segmint::pipeline::ballista;
use segmint::pipeline::commands::{self, ReportOptions, RunOptions};
use segmint::select::Overrides;

/// Discover customer segments from a shop's own exports.
#[derive(Parser)]
#[command(name = "segmint", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the synthetic demo shop (with planted segments) and run the pipeline on it.
    Demo {
        /// Customers to generate.
        #[arg(long, default_value_t = 3000)]
        customers: usize,
        /// Seed of the generator.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Folder for the demo data; the pipeline's outputs go to its subfolder `out/`.
        #[arg(long, default_value = "demo")]
        out: PathBuf,
        /// Where to write the client report.
        #[arg(long, default_value = "reports/demo")]
        report_dir: PathBuf,
        /// Also hold 20% of every segment out of a campaign (demo/holdout.json) and write a
        /// post period with a planted lift per segment (demo/post_period.csv, and its truth).
        #[arg(long)]
        post_period: bool,
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Build the customer feature table and the clustering matrix.
    Features {
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Build features, run the k-means and DBSCAN sweeps, and propose segments.
    Discover {
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Profile the segments of a discover run: sizes, money, what sets them apart, names,
    /// actions, flags.
    Profile {
        /// The mapping file (for the flag thresholds).
        #[arg(long)]
        config: PathBuf,
        /// The discover output folder; the profiles are written there too.
        #[arg(long = "in")]
        dir: PathBuf,
    },
    /// discover + profile + report in one go.
    Run {
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
        /// Output folder (the report goes to its subfolder `report/`).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        run: RunArgs,
        #[command(flatten)]
        report: ReportArgs,
        /// Print the wall time of every stage (to standard error), for benchmarks.
        #[arg(long)]
        timings: bool,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Write the client report (HTML, Markdown, JSON and charts) of a profiled run.
    Report {
        /// The output folder of `segmint run` (or of discover + profile).
        #[arg(long = "in")]
        dir: PathBuf,
        /// Where to write the report (default: DIR/report).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The output of `segmint compare --to DIR` (its folder or compare.json), for the
        /// section "Segments over time" (default: DIR/compare, when it exists).
        #[arg(long)]
        compare: Option<PathBuf>,
        /// The output of `segmint lift` on a holdout of DIR (its folder or lift.json), for the
        /// section "Campaign results" (default: DIR/lift, when it exists).
        #[arg(long)]
        lift: Option<PathBuf>,
        #[command(flatten)]
        report: ReportArgs,
    },
    /// Put customers into the segments of an earlier `discover` run.
    Assign {
        /// model.json of the earlier run.
        #[arg(long)]
        model: PathBuf,
        /// The mapping file of the customers to assign.
        #[arg(long)]
        config: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        engine: EngineArgs,
    },
    /// Read the headers of your files and write a commented mapping file with guesses.
    Init {
        /// The export files (CSV, Parquet or whitespace-separated text).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Where to write the mapping.
        #[arg(long, default_value = "mapping.toml")]
        out: PathBuf,
        /// Overwrite an existing mapping file.
        #[arg(long)]
        force: bool,
    },
    /// Read every table of a mapping (all rows, nothing written) and report rows used and
    /// skipped, the data's ranges, how well the tables join and the first problems. Exits 1
    /// when a table has a problem.
    Check {
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
    },
    /// Print the feature catalog as Markdown (docs/features.md).
    Catalog,
    /// Write a segment's customers as an ad platform's customer file (identifiers normalised
    /// and SHA-256 hashed), for lookalike audiences.
    Seeds {
        /// The profiled run folder (discover + profile output).
        #[arg(long = "in")]
        dir: PathBuf,
        /// Segment id or name.
        #[arg(long)]
        segment: String,
        /// Target platform.
        #[arg(long)]
        platform: PlatformArg,
        /// The seed file to write (CSV); counts go to <name>.summary.json next to it.
        #[arg(long)]
        out: PathBuf,
        /// The mapping file (default: the one recorded in the run's manifest.json).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Keep customers flagged for high returns in the seed.
        #[arg(long)]
        keep_returners: bool,
        /// Also write every flagged high-return customer to this file, in the same format, for
        /// suppression.
        #[arg(long)]
        exclusions: Option<PathBuf>,
    },
    /// Rank prospects by similarity to a segment (distance and a seed-vs-rest classifier).
    Score {
        /// model.json of a profiled run (the run's files next to it train the classifier).
        #[arg(long)]
        model: PathBuf,
        /// Segment id or name.
        #[arg(long)]
        segment: String,
        /// Prospects: CSV or Parquet with an id column and feature columns as in
        /// features.parquet.
        #[arg(long)]
        prospects: PathBuf,
        /// The ranking to write (CSV); <name>.reach.csv and <name>.summary.json go next to it.
        #[arg(long)]
        out: PathBuf,
    },
    /// Compare two profiled runs: migration between their segments, matched segments, their
    /// changes and drifted features, and A's model on B's customers.
    Compare {
        /// The earlier run folder (A).
        #[arg(long)]
        from: PathBuf,
        /// The later run folder (B).
        #[arg(long)]
        to: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Language of the chart and the report section (compare.md): en, nb, sv or da.
        #[arg(long, default_value = "en")]
        lang: LangArg,
    },
    /// Hold a deterministic control group out of a campaign, the same share of every segment.
    Holdout {
        /// The profiled run folder.
        #[arg(long = "in")]
        dir: PathBuf,
        /// Share of every segment held out (e.g. 0.1).
        #[arg(long)]
        share: f64,
        /// Salt of the draw, e.g. the campaign's name: another salt gives other groups.
        #[arg(long)]
        salt: String,
        /// The manifest to write (JSON); <name>.treatment.csv and <name>.control.csv go next
        /// to it.
        #[arg(long)]
        out: PathBuf,
        /// Campaign window in days, for the minimum detectable effects.
        #[arg(long, default_value_t = 30.0)]
        window_days: f64,
    },
    /// Measure a campaign's lift per segment: treatment against the held-out control group.
    Lift {
        /// The holdout manifest (its lists next to it).
        #[arg(long)]
        holdout: PathBuf,
        /// The post-period orders, in the format of the mapping's [transactions].
        #[arg(long)]
        orders: PathBuf,
        /// The post period's returns, in the format of the mapping's [returns].
        #[arg(long)]
        returns: Option<PathBuf>,
        /// The mapping file.
        #[arg(long)]
        config: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Percentile at which revenue and profit are winsorised for the t tests (1 = none).
        #[arg(long, default_value_t = 0.99)]
        winsor: f64,
        /// Bootstrap resamples.
        #[arg(long, default_value_t = 2000)]
        resamples: usize,
        /// Seed of the bootstrap.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The metric Holm's correction is applied to.
        #[arg(long, default_value = "revenue")]
        primary: PrimaryArg,
        /// Adjust revenue with the pre-period net revenue of the run (CUPED).
        #[arg(long)]
        cuped: bool,
        /// Significance level.
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        /// Language of the chart and the report section (lift.md): en, nb, sv or da.
        #[arg(long, default_value = "en")]
        lang: LangArg,
        /// First day of the post period, YYYY-MM-DD (default: the day after the holdout
        /// run's as_of). Orders dated outside the period are not counted.
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// Last day of the post period, YYYY-MM-DD, included (default: no end).
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
    },
}

/// Options of the runs that cluster.
#[derive(clap::Args, Clone, Debug)]
struct RunArgs {
    /// Force k-means with this many segments.
    #[arg(long)]
    k: Option<usize>,
    /// Only consider this algorithm.
    #[arg(long)]
    algorithm: Option<AlgorithmArg>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// Where the work runs.
#[derive(clap::Args, Clone, Debug)]
struct EngineArgs {
    /// `local` (this machine, polars) or `ballista` (a DataFusion Ballista cluster, through the
    /// segmint-ballista program; see docs/distributed.md).
    #[arg(long, value_enum, default_value_t = EngineArg::Local)]
    engine: EngineArg,
    /// The Ballista scheduler (with --engine ballista).
    #[arg(
        long,
        value_name = "df://HOST:PORT",
        required_if_eq("engine", "ballista")
    )]
    scheduler: Option<String>,
    /// Partitions of each stage on the cluster (with --engine ballista).
    #[arg(long, requires = "scheduler")]
    partitions: Option<usize>,
}

/// `--engine`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum EngineArg {
    Local,
    Ballista,
}

impl EngineArgs {
    /// The cluster, when the work runs on one.
    fn cluster(&self) -> segmint::error::Result<Option<ballista::Cluster>> {
        ballista::Cluster::choose(
            self.engine == EngineArg::Ballista,
            self.scheduler.as_deref(),
            self.partitions,
        )
    }
}

/// Options of the client report.
#[derive(clap::Args, Clone, Debug)]
struct ReportArgs {
    /// Language of the report: en, nb (Norwegian bokmål), sv or da.
    #[arg(long, default_value = "en")]
    lang: LangArg,
    /// Title of the report (default: "Customer segments" in the report's language).
    #[arg(long)]
    title: Option<String>,
}

/// `--algorithm`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum AlgorithmArg {
    Kmeans,
    Dbscan,
}

impl From<AlgorithmArg> for Algorithm {
    fn from(a: AlgorithmArg) -> Algorithm {
        match a {
            AlgorithmArg::Kmeans => Algorithm::KMeans,
            AlgorithmArg::Dbscan => Algorithm::Dbscan,
        }
    }
}

/// `--platform`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum PlatformArg {
    Meta,
    Google,
    Tiktok,
}

impl From<PlatformArg> for Platform {
    fn from(p: PlatformArg) -> Platform {
        match p {
            PlatformArg::Meta => Platform::Meta,
            PlatformArg::Google => Platform::Google,
            PlatformArg::Tiktok => Platform::Tiktok,
        }
    }
}

/// `--primary`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum PrimaryArg {
    Revenue,
    Conversion,
}

impl From<PrimaryArg> for Primary {
    fn from(p: PrimaryArg) -> Primary {
        match p {
            PrimaryArg::Revenue => Primary::Revenue,
            PrimaryArg::Conversion => Primary::Conversion,
        }
    }
}

/// `--lang`.
#[derive(ValueEnum, Clone, Copy, Debug)]
enum LangArg {
    En,
    Nb,
    Sv,
    Da,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Nb => Lang::Nb,
            LangArg::Sv => Lang::Sv,
            LangArg::Da => Lang::Da,
        }
    }
}

impl ReportArgs {
    fn options(&self) -> ReportOptions {
        ReportOptions {
            lang: self.lang.into(),
            title: self.title.clone(),
            ..ReportOptions::default()
        }
    }
}

impl RunArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            k: self.k,
            algorithm: self.algorithm.map(Algorithm::from),
        }
    }

    fn options<'a>(&self, bar: &'a Bar) -> RunOptions<'a> {
        RunOptions {
            overrides: self.overrides(),
            progress: bar,
        }
    }

    fn setup(&self) -> anyhow::Result<()> {
        if let Some(t) = self.threads {
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            let (t, note) = segmint::config::fit_threads(t, cores)?;
            if let Some(note) = note {
                eprintln!("note: {note}");
            }
            rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build_global()
                .context("setting the number of threads")?;
        }
        Ok(())
    }
}

/// A terminal progress bar (hidden when stderr is not a terminal or with --quiet).
struct Bar(indicatif::ProgressBar);

impl Bar {
    fn new(quiet: bool) -> Bar {
        let bar = if quiet {
            indicatif::ProgressBar::hidden()
        } else {
            indicatif::ProgressBar::new(0)
        };
        bar.set_style(
            indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} fits ({eta})")
                .expect("template")
                .progress_chars("=> "),
        );
        bar.set_message("candidates");
        Bar(bar)
    }
}

impl Progress for Bar {
    fn start(&self, jobs: u64) {
        self.0.set_length(jobs);
    }
    fn tick(&self) {
        self.0.inc(1);
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", message(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes, each cause once: segmint's errors already end with their cause
/// ("transactions.csv: No such file or directory"), which `{:#}` would print again.
fn message(e: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    out
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    // Output folders are checked before any work.
    match &cli.command {
        Command::Features { out, .. }
        | Command::Discover { out, .. }
        | Command::Run { out, .. }
        | Command::Assign { out, .. }
        | Command::Compare { out, .. }
        | Command::Lift { out, .. }
        | Command::Demo { out, .. } => segmint::config::check_output_folder(out)?,
        Command::Report { out: Some(out), .. } => segmint::config::check_output_folder(out)?,
        _ => {}
    }
    match cli.command {
        Command::Features {
            config,
            out,
            engine,
        } => {
            if let Some(cluster) = engine.cluster()? {
                let job = ballista::Job::Features {
                    config: &config,
                    out: &out,
                };
                ballista::submit(&job, &cluster)?;
                return Ok(ExitCode::SUCCESS);
            }
            let done = commands::features(&config, &out)?;
            print::features(&done);
        }
        Command::Demo {
            customers,
            seed,
            out,
            report_dir,
            post_period,
            run,
            report,
        } => {
            run.setup()?;
            let bar = Bar::new(run.quiet);
            let done = commands::demo(
                &segmint::demo::DemoParams { customers, seed },
                &out,
                &report_dir,
                run.options(&bar),
                &report.options(),
                post_period,
            )?;
            bar.0.finish_and_clear();
            print::demo(&done);
        }
        Command::Discover {
            config,
            out,
            run,
            engine,
        } => {
            if let Some(cluster) = engine.cluster()? {
                let over = run.overrides();
                let job =
                    ballista::Job::discover(&config, &out, over.k, over.algorithm, run.threads)?;
                ballista::submit(&job, &cluster)?;
                return Ok(ExitCode::SUCCESS);
            }
            run.setup()?;
            let bar = Bar::new(run.quiet);
            let done = commands::discover(&config, &out, run.options(&bar))?;
            bar.0.finish_and_clear();
            print::discover(&done);
        }
        Command::Profile { config, dir } => print::profile(&commands::profile(&config, &dir)?),
        Command::Run {
            config,
            out,
            run,
            report,
            timings,
            engine,
        } => {
            if let Some(cluster) = engine.cluster()? {
                if timings {
                    anyhow::bail!("--timings is for the local engine; the cluster's program prints what each step did");
                }
                let done = commands::run_on_cluster(
                    &config,
                    &out,
                    run.overrides(),
                    run.threads,
                    &cluster,
                    &report.options(),
                )?;
                print::cluster_run(&done);
                print::profile(&done.profile);
                print::report(&done.report);
                return Ok(ExitCode::SUCCESS);
            }
            run.setup()?;
            let bar = Bar::new(run.quiet);
            let done = commands::run(&config, &out, run.options(&bar), &report.options())?;
            bar.0.finish_and_clear();
            print::discover(&done.discover);
            print::profile(&done.profile);
            print::report(&done.report);
            if timings {
                print::timings(&done.timings);
            }
        }
        Command::Report {
            dir,
            out,
            compare,
            lift,
            report,
        } => {
            let out = out.unwrap_or_else(|| dir.join(segmint::run::names::REPORT_DIR));
            let opts = ReportOptions {
                compare,
                lift,
                ..report.options()
            };
            print::report(&commands::report(&dir, &out, &opts)?);
        }
        Command::Assign {
            model,
            config,
            out,
            engine,
        } => {
            if let Some(cluster) = engine.cluster()? {
                let job = ballista::Job::Assign {
                    model: &model,
                    config: &config,
                    out: &out,
                };
                ballista::submit(&job, &cluster)?;
                return Ok(ExitCode::SUCCESS);
            }
            print::assign(&commands::assign(&model, &config, &out)?)
        }
        Command::Init { files, out, force } => print::init(&commands::init(&files, &out, force)?),
        Command::Check { config } => {
            let done = commands::check(&config)?;
            print::check(&done);
            if !done.ok() {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Catalog => print!("{}", commands::catalog()),
        Command::Seeds {
            dir,
            segment,
            platform,
            out,
            config,
            keep_returners,
            exclusions,
        } => print::seeds(&commands::seeds(&commands::SeedArgs {
            dir,
            segment,
            platform: platform.into(),
            out,
            config,
            keep_returners,
            exclusions,
        })?),
        Command::Score {
            model,
            segment,
            prospects,
            out,
        } => print::score(&commands::score(&model, &segment, &prospects, &out)?),
        Command::Compare {
            from,
            to,
            out,
            lang,
        } => print::compare(&commands::compare(&from, &to, &out, lang.into())?),
        Command::Holdout {
            dir,
            share,
            salt,
            out,
            window_days,
        } => {
            let mut opts = segmint::campaign::holdout::HoldoutOptions::new(share, &salt);
            opts.window_days = window_days;
            print::holdout(&commands::holdout(&dir, &opts, &out)?)
        }
        Command::Lift {
            holdout,
            orders,
            returns,
            config,
            out,
            winsor,
            resamples,
            seed,
            primary,
            cuped,
            alpha,
            lang,
            from,
            to,
        } => print::lift(&commands::lift(&commands::LiftArgs {
            holdout,
            orders,
            returns,
            config,
            out,
            winsor,
            resamples,
            seed,
            primary: primary.into(),
            cuped,
            alpha,
            lang: lang.into(),
            from,
            to,
        })?),
    }
    Ok(ExitCode::SUCCESS)
}
