//! The `segmint` command line: a thin layer over the library.

mod cli_campaign;
mod cli_lookalike;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use segmint::cluster::sweep::{Algorithm, Progress};
use segmint::config::Config;
use segmint::export;
use segmint::pipeline::SegmentModel;
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
    },
    /// Write the client report (HTML, Markdown, JSON and charts) of a profiled run.
    Report {
        /// The output folder of `segmint run` (or of discover + profile).
        #[arg(long = "in")]
        dir: PathBuf,
        /// Where to write the report (default: DIR/report).
        #[arg(long)]
        out: Option<PathBuf>,
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
        #[arg(long, value_parser = ["meta", "google", "tiktok"])]
        platform: String,
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
        #[arg(long, default_value = "en", value_parser = ["en", "nb", "sv", "da"])]
        lang: String,
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
        #[arg(long, default_value = "revenue", value_parser = ["revenue", "conversion"])]
        primary: String,
        /// Adjust revenue with the pre-period net revenue of the run (CUPED).
        #[arg(long)]
        cuped: bool,
        /// Significance level.
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        /// Language of the chart and the report section (lift.md): en, nb, sv or da.
        #[arg(long, default_value = "en", value_parser = ["en", "nb", "sv", "da"])]
        lang: String,
    },
}

/// Options of the runs that cluster.
#[derive(clap::Args, Clone, Debug)]
struct RunArgs {
    /// Force k-means with this many segments.
    #[arg(long)]
    k: Option<usize>,
    /// Only consider this algorithm.
    #[arg(long, value_parser = ["kmeans", "dbscan"])]
    algorithm: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
}

/// Options of the client report.
#[derive(clap::Args, Clone, Debug)]
struct ReportArgs {
    /// Language of the report: en, nb (Norwegian bokmål), sv or da.
    #[arg(long, default_value = "en", value_parser = ["en", "nb", "sv", "da"])]
    lang: String,
    /// Title of the report (default: "Customer segments" in the report's language).
    #[arg(long)]
    title: Option<String>,
}

impl RunArgs {
    fn overrides(&self) -> Overrides {
        Overrides {
            k: self.k,
            algorithm: self.algorithm.as_deref().map(|a| match a {
                "dbscan" => Algorithm::Dbscan,
                _ => Algorithm::KMeans,
            }),
        }
    }

    fn setup(&self) -> anyhow::Result<()> {
        if let Some(t) = self.threads {
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
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    match cli.command {
        Command::Features { config, out } => features(&config, &out)?,
        Command::Demo {
            customers,
            seed,
            out,
            report_dir,
            post_period,
            run,
            report: r,
        } => {
            run.setup()?;
            demo(customers, seed, &out, &run, post_period)?;
            report(&out.join("out"), &report_dir, &r)?;
        }
        Command::Discover { config, out, run } => {
            run.setup()?;
            discover(&config, &out, &run)?;
        }
        Command::Profile { config, dir } => profile(&config, &dir)?,
        Command::Run {
            config,
            out,
            run,
            report: r,
        } => {
            run.setup()?;
            discover(&config, &out, &run)?;
            profile(&config, &out)?;
            report(&out, &out.join("report"), &r)?;
        }
        Command::Report {
            dir,
            out,
            report: r,
        } => {
            let out = out.unwrap_or_else(|| dir.join("report"));
            report(&dir, &out, &r)?;
        }
        Command::Assign { model, config, out } => assign(&model, &config, &out)?,
        Command::Init { files, out, force } => init(&files, &out, force)?,
        Command::Catalog => print!("{}", segmint::features::catalog::markdown()),
        Command::Seeds {
            dir,
            segment,
            platform,
            out,
            config,
            keep_returners,
            exclusions,
        } => cli_lookalike::seeds(cli_lookalike::SeedArgs {
            dir,
            segment,
            platform,
            out,
            config,
            keep_returners,
            exclusions,
        })?,
        Command::Score {
            model,
            segment,
            prospects,
            out,
        } => cli_lookalike::score(&model, &segment, &prospects, &out)?,
        Command::Compare {
            from,
            to,
            out,
            lang,
        } => cli_campaign::compare(&from, &to, &out, &lang)?,
        Command::Holdout {
            dir,
            share,
            salt,
            out,
            window_days,
        } => {
            let mut opts = segmint::campaign::holdout::HoldoutOptions::new(share, &salt);
            opts.window_days = window_days;
            cli_campaign::holdout(&dir, &opts, &out)?
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
        } => cli_campaign::lift(cli_campaign::LiftArgs {
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
        })?,
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

fn discover(config: &std::path::Path, out: &std::path::Path, args: &RunArgs) -> anyhow::Result<()> {
    let config = Config::load(config)?;
    let bar = Bar::new(args.quiet);
    let d = segmint::pipeline::discover(&config, args.overrides(), &bar)?;
    bar.0.finish_and_clear();
    let files = export::discover_outputs(&d)?;
    export::write_files(out, &files).context("writing the outputs")?;
    summary(&d.run);
    print_proposal(&d);
    println!("wrote {} files to {}", files.len(), out.display());
    Ok(())
}

fn print_proposal(d: &segmint::pipeline::Discovery) {
    let p = &d.proposal;
    println!(
        "{} candidates; proposal: {} — {}",
        d.sweep.candidates.len(),
        p.chosen,
        p.reason
    );
    if let Some(dis) = &p.disagreement {
        println!("{dis}");
    }
    let n = d.assignment.segment.len() as f64;
    for s in 0..d.model.k {
        let size = d
            .assignment
            .segment
            .iter()
            .filter(|&&x| x == Some(s))
            .count();
        println!(
            "  segment {:>2}: {:>7} customers ({:.1}%)",
            s + 1,
            size,
            100.0 * size as f64 / n
        );
    }
    let noise = d.assignment.segment.iter().filter(|x| x.is_none()).count();
    if noise > 0 {
        println!(
            "  unassigned: {noise} customers ({:.1}%)",
            100.0 * noise as f64 / n
        );
    }
}

fn assign(
    model_path: &std::path::Path,
    config: &std::path::Path,
    out: &std::path::Path,
) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(model_path)
        .with_context(|| format!("reading {}", model_path.display()))?;
    let model: SegmentModel = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a segmint model.json", model_path.display()))?;
    let config = Config::load(config)?;
    let inputs = segmint::ingest::Inputs::load(&config)?;
    let features = segmint::features::build(&inputs, &config.mapping.features)?;
    let a = model.assign(&features)?;
    let frame = export::assignment_frame(&a)?;
    let files = vec![
        ("assignments.parquet".to_string(), export::parquet(&frame)?),
        ("assignments.csv".to_string(), export::csv(&frame)?),
    ];
    export::write_files(out, &files).context("writing the outputs")?;
    let assigned = a.segment.iter().filter(|s| s.is_some()).count();
    println!(
        "{} customers, {assigned} assigned to the model's {} segments; wrote assignments to {}",
        a.ids.len(),
        model.k,
        out.display()
    );
    Ok(())
}

fn init(files: &[PathBuf], out: &std::path::Path, force: bool) -> anyhow::Result<()> {
    use std::io::Read;
    if out.exists() && !force {
        anyhow::bail!(
            "{} exists already; pass --force to overwrite it or --out to choose another file",
            out.display()
        );
    }
    let mut sniffed = Vec::new();
    for f in files {
        let is_parquet = matches!(
            f.extension()
                .and_then(|e| e.to_str())
                .map(|e| e.to_ascii_lowercase())
                .as_deref(),
            Some("parquet") | Some("pq")
        );
        if is_parquet {
            let columns = segmint::ingest::parquet_columns(f)?;
            sniffed.push(segmint::init::sniff_columns(f, columns));
        } else {
            let mut head = Vec::new();
            std::fs::File::open(f)
                .with_context(|| format!("opening {}", f.display()))?
                .take(64 * 1024)
                .read_to_end(&mut head)
                .with_context(|| format!("reading {}", f.display()))?;
            sniffed.push(segmint::init::sniff(f, &head)?);
        }
    }
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let guess = segmint::init::guess(&sniffed, dir)?;
    std::fs::write(out, segmint::init::render(&guess))
        .with_context(|| format!("writing {}", out.display()))?;
    for t in &guess.tables {
        println!("[{}] <- {}", t.role.section(), t.file.display());
    }
    for n in guess.all_notes() {
        println!("note: {n}");
    }
    println!(
        "wrote {}: check every guess, then run `segmint features --config {}`",
        out.display(),
        out.display()
    );
    Ok(())
}

fn demo(
    customers: usize,
    seed: u64,
    out: &std::path::Path,
    args: &RunArgs,
    post_period: bool,
) -> anyhow::Result<()> {
    let params = segmint::demo::DemoParams { customers, seed };
    let data = segmint::demo::generate(&params)?;
    let files: Vec<export::OutputFile> = data
        .files
        .iter()
        .map(|(name, text)| (name.clone(), text.as_bytes().to_vec()))
        .collect();
    export::write_files(out, &files).context("writing the demo data")?;
    println!(
        "wrote a demo shop of {customers} customers (seed {seed}) to {}: {}",
        out.display(),
        data.files
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    let run_dir = out.join("out");
    discover(&out.join("mapping.toml"), &run_dir, args)?;
    profile(&out.join("mapping.toml"), &run_dir)?;
    if post_period {
        cli_campaign::demo_post_period(&params, &data.truth, out)?;
    }
    let truth: std::collections::BTreeMap<&str, usize> = data
        .truth
        .iter()
        .map(|(id, s)| (id.as_str(), *s as usize))
        .collect();
    let assignments = std::fs::read_to_string(run_dir.join("assignments.csv"))?;
    let (mut found, mut planted) = (Vec::new(), Vec::new());
    for line in assignments.lines().skip(1) {
        let mut parts = line.split(',');
        let (Some(id), Some(seg)) = (parts.next(), parts.next()) else {
            continue;
        };
        if let Some(&t) = truth.get(id) {
            found.push(seg.parse::<usize>().ok());
            planted.push(Some(t));
        }
    }
    println!(
        "agreement with the planted segments (adjusted Rand index): {:.3}",
        segmint::cluster::metrics::adjusted_rand_index(&found, &planted)
    );
    Ok(())
}

fn report(dir: &std::path::Path, out: &std::path::Path, args: &ReportArgs) -> anyhow::Result<()> {
    let lang: segmint::i18n::Lang = args.lang.parse()?;
    let data = export::read_report_data(dir)?;
    let (report, charts) = segmint::report::build(&data, lang, args.title.as_deref())?;
    let charts = segmint::render::render_all(&charts, lang)?;
    let files = export::report_outputs(&report, &charts)?;
    export::write_files(out, &files).context("writing the report")?;
    println!(
        "wrote the report ({}, {} charts) to {}",
        lang.code(),
        charts.len(),
        out.join("report.html").display()
    );
    Ok(())
}

fn profile(config: &std::path::Path, dir: &std::path::Path) -> anyhow::Result<()> {
    let config = Config::load(config)?;
    let (features, assignment) = export::read_run(dir)?;
    let mut p = segmint::profile::profile(&features, &assignment, &config.mapping.flags)?;
    let model_path = dir.join("model.json");
    if model_path.exists() {
        let model = export::read_model(&model_path)?;
        segmint::lookalike::vectors::attach(&mut p, &features, &assignment, &model)?;
    }
    let files = export::profile_outputs(&p)?;
    export::write_files(dir, &files).context("writing the profiles")?;
    println!("segments (reconciled with the base: customers, revenue, refunds, profit):");
    for s in &p.segments {
        println!("  {:>10}  {:<40} {}", s.segment, s.name, s.description);
        for f in &s.flags {
            println!("  {:>10}  FLAG {}: {}", "", f.kind, f.message);
        }
    }
    println!(
        "{} customers flagged for high returns; wrote profiles, segments.json and flagged_customers to {}",
        p.flagged_customers.len(),
        dir.display()
    );
    if p.lookalike_space.is_some() {
        println!(
            "wrote the segments' lookalike feature vectors to {}",
            dir.join("lookalike").display()
        );
    }
    Ok(())
}
