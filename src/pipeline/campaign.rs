//! The campaign commands (`segmint compare`, `segmint holdout`, `segmint lift`) and the demo's
//! post period: read the runs through [`crate::run::RunFolder`], compute with
//! [`crate::campaign`], write the files through [`crate::run::OutDir`] (atomically, never over
//! an input) and return what happened. Re-exported by [`super::commands`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::campaign::compare::Comparison;
use crate::campaign::holdout::{Holdout, HoldoutOptions};
use crate::campaign::lift::{LiftOptions, LiftReport, Primary};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::run::{self, names, OutDir, Output, RunFolder, RunId, Stage};

use super::commands::inputs_of;

/// The files of a run folder the campaign commands read: never overwritten by their outputs.
fn run_files(dir: &Path) -> Vec<PathBuf> {
    [
        names::MANIFEST,
        names::FEATURES,
        names::ASSIGNMENTS,
        names::SEGMENTS,
        names::MODEL,
    ]
    .iter()
    .map(|n| dir.join(n))
    .collect()
}

/// The run id of files that belong to no run folder: the hash of their bytes.
fn id_of(files: &[Output]) -> RunId {
    RunId::of(&files.iter().map(|f| f.bytes.as_slice()).collect::<Vec<_>>())
}

/// What `segmint compare` did.
#[derive(Debug)]
pub struct CompareDone {
    /// The comparison.
    pub comparison: Comparison,
    /// The files written (relative to `out`).
    pub files: Vec<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
}

/// `segmint compare`: compares the profiled run `from` (A) with the profiled run `to` (B) and
/// writes compare.json (with B's run id), compare.md (in `lang`), migration,
/// migration_under_a_model and segments (each .csv and .parquet) and the alluvial chart
/// (migration.svg, .png) to `out`. Written to `B/compare`, the section goes into B's report.
///
/// ```no_run
/// use segmint::i18n::Lang;
/// let done = segmint::pipeline::commands::compare(
///     "september".as_ref(),
///     "december".as_ref(),
///     "compare".as_ref(),
///     Lang::En,
/// )?;
/// println!("{:.1}% moved", 100.0 * done.comparison.moved_under_a_model);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn compare(from: &Path, to: &Path, out: &Path, lang: Lang) -> Result<CompareDone> {
    let mut protected = run_files(from);
    protected.extend(run_files(to));
    let mut dir = OutDir::open(out, &protected)?;
    dir.precheck(&[Stage::Compare])?;
    use crate::campaign::compare::RunView;
    let (a, b) = (RunView::read(from)?, RunView::read(to)?);
    let comparison = crate::campaign::compare::compare(&a, &b)?;
    let files = crate::run::compare::outputs(&comparison, lang)?;
    // The comparison belongs to the later run: its section goes into that run's report.
    dir.write(&comparison.run_id, &files)?;
    Ok(CompareDone {
        comparison,
        files: files.into_iter().map(|f| f.path).collect(),
        out: out.to_path_buf(),
    })
}

/// What `segmint holdout` did.
#[derive(Debug)]
pub struct HoldoutDone {
    /// The manifest and every customer's group.
    pub holdout: Holdout,
    /// The manifest written; the lists are next to it.
    pub manifest: PathBuf,
    /// The folder of the three files.
    pub folder: PathBuf,
}

/// `segmint holdout`: draws a deterministic control group of the profiled run `dir`, the
/// share `opts.share` of every segment, and writes the manifest `out` (JSON) and the lists
/// `<stem>.treatment.csv` and `<stem>.control.csv` (owner-only: they name customers) next to
/// it.
///
/// ```no_run
/// use segmint::campaign::holdout::HoldoutOptions;
/// let done = segmint::pipeline::commands::holdout(
///     "out".as_ref(),
///     &HoldoutOptions::new(0.1, "spring-sale"),
///     "campaign/holdout.json".as_ref(),
/// )?;
/// println!("{} held out", done.holdout.manifest.control);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn holdout(dir: &Path, opts: &HoldoutOptions, out: &Path) -> Result<HoldoutDone> {
    opts.check()?;
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| !n.is_empty())
        .ok_or_else(|| {
            Error::Data(format!(
                "--out {} must name a file, e.g. campaign/holdout.json",
                out.display()
            ))
        })?;
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let protected = run_files(dir);
    let run = crate::run::RunFolder::open(dir)?;
    let segments = run.segments()?.profiles;
    let (features, assignment) = (run.features()?, run.assignment()?);
    let abs = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut holdout =
        crate::campaign::holdout::draw(&features, &assignment, &segments, &abs, opts)?;
    holdout.run_id = run.id();
    holdout.manifest.currency = run.manifest.currency.clone();
    let files = crate::run::holdout::outputs(&mut holdout, name)?;
    let id = holdout.run_id.clone();
    let files: Vec<Output> = files
        .into_iter()
        .map(|f| Output {
            path: folder.join(&f.path),
            ..f
        })
        .collect();
    run::write::write_paths(&id, &files, &protected)?;
    Ok(HoldoutDone {
        holdout,
        manifest: out.to_path_buf(),
        folder,
    })
}

/// Options of `segmint lift`.
#[derive(Debug, Clone)]
pub struct LiftArgs {
    /// The holdout manifest (its lists next to it).
    pub holdout: PathBuf,
    /// The post-period orders, in the format of the mapping's `[transactions]`.
    pub orders: PathBuf,
    /// The post period's returns, in the format of the mapping's `[returns]`.
    pub returns: Option<PathBuf>,
    /// The mapping file.
    pub config: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Percentile at which revenue and profit are winsorised for the t tests (1 = none).
    pub winsor: f64,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// The metric Holm's correction is applied to.
    pub primary: Primary,
    /// Adjust revenue with the pre-period net revenue of the run (CUPED).
    pub cuped: bool,
    /// Significance level.
    pub alpha: f64,
    /// Language of the chart and the report section.
    pub lang: Lang,
    /// First day of the post period (default: the day after the holdout run's as_of).
    pub from: Option<chrono::NaiveDate>,
    /// Last day of the post period (default: no end).
    pub to: Option<chrono::NaiveDate>,
}

/// What `segmint lift` did.
#[derive(Debug)]
pub struct LiftDone {
    /// The measurement (its options included).
    pub report: LiftReport,
    /// The output folder.
    pub out: PathBuf,
}

/// `segmint lift`: measures a campaign's lift per segment (treatment against the held-out
/// control group, intention to treat) from the post-period orders dated within the window
/// (`from`..=`to`; by default every order after the holdout run's as_of) and writes
/// lift.json, lift.csv, lift.parquet, lift.md and the chart (lift.svg, .png) to `out`.
///
/// ```no_run
/// use segmint::campaign::lift::Primary;
/// use segmint::i18n::Lang;
/// use segmint::pipeline::commands::{lift, LiftArgs};
/// let done = lift(&LiftArgs {
///     holdout: "campaign/holdout.json".into(),
///     orders: "january.csv".into(),
///     returns: None,
///     config: "mapping.toml".into(),
///     out: "campaign/lift".into(),
///     winsor: 0.99,
///     resamples: 2000,
///     seed: 42,
///     primary: Primary::Revenue,
///     cuped: false,
///     alpha: 0.05,
///     lang: Lang::En,
///     from: None,
///     to: None,
/// })?;
/// println!("{:.0} incremental", done.report.lift.overall.incremental_revenue);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn lift(a: &LiftArgs) -> Result<LiftDone> {
    if !(a.winsor > 0.5 && a.winsor <= 1.0) {
        return Err(Error::Data(format!(
            "--winsor is the percentile revenue is capped at, between 0.5 and 1 (e.g. 0.99), not {}",
            a.winsor
        )));
    }
    if !(a.alpha > 0.0 && a.alpha < 0.5) {
        return Err(Error::Data(format!(
            "--alpha must be between 0 and 0.5, not {}",
            a.alpha
        )));
    }
    if a.resamples < 100 {
        return Err(Error::Data(format!(
            "--resamples must be 100 or more, not {}",
            a.resamples
        )));
    }
    let config = Config::load(&a.config)?;
    let mut protected = inputs_of(&config);
    protected.push(a.config.clone());
    protected.push(a.holdout.clone());
    protected.push(a.orders.clone());
    protected.extend(a.returns.clone());
    let mut dir = OutDir::open(&a.out, &protected)?;
    dir.precheck(&[Stage::Lift])?;
    let opts = LiftOptions {
        alpha: a.alpha,
        winsor: a.winsor,
        resamples: a.resamples,
        seed: a.seed,
        primary: a.primary,
        cuped: a.cuped,
    };
    let report = measure_lift(a, &config, &opts)?;
    let files = crate::run::lift::outputs(&report, a.lang)?;
    // The measurement belongs to the holdout's run: its section goes into that run's report.
    dir.write(&report.run_id, &files)?;
    Ok(LiftDone {
        report,
        out: a.out.clone(),
    })
}

/// Reads what `segmint lift` measures from: the holdout manifest and its two lists (noting a
/// list changed since the holdout wrote it), with CUPED the holdout run's features, and the
/// post-period orders through the mapping; then measures.
fn measure_lift(a: &LiftArgs, config: &Config, opts: &LiftOptions) -> Result<LiftReport> {
    use crate::campaign::lift::{self, HoldoutList, LiftInputs};
    let (run_id, manifest) = crate::run::holdout::read(&a.holdout)?;
    let window = lift::window(&a.holdout, &manifest.as_of, a.from, a.to)?;
    let dir = a.holdout.parent().unwrap_or(Path::new("."));
    let mut lists = Vec::new();
    for (file, want, treated) in [
        (&manifest.treatment_file, &manifest.treatment_sha256, true),
        (&manifest.control_file, &manifest.control_sha256, false),
    ] {
        let (rows, hash) = crate::run::holdout::read_list(&dir.join(file))?;
        lists.push(HoldoutList {
            file: file.clone(),
            rows,
            treated,
            changed: &hash != want,
        });
    }
    let members = lift::members(lists, &a.holdout)?;
    let pre_revenue = if opts.cuped {
        let features = RunFolder::open(&manifest.run)?.features()?;
        let ids = crate::frame::column_str(&features.table, "customer_id")?;
        let rev = crate::frame::column_f64(&features.table, "net_revenue")?;
        Some(
            ids.into_iter()
                .zip(rev)
                .filter_map(|(i, r)| Some((i?, r.unwrap_or(0.0))))
                .collect(),
        )
    } else {
        None
    };
    let post = lift::post_period_mapping(config, &a.orders, a.returns.as_deref())?;
    let post = crate::ingest::Inputs::load(&post)?;
    let outcomes = lift::outcomes(&post, &window)?;
    lift::measure_holdout(
        LiftInputs {
            run_id,
            manifest_path: &a.holdout,
            manifest: &manifest,
            members,
            pre_revenue,
            orders: &a.orders,
            window,
            outcomes,
            currency: config.mapping.currency(),
        },
        opts,
    )
}

/// What the demo's post period wrote.
#[derive(Debug)]
pub struct PostPeriodDone {
    /// The holdout of the demo run.
    pub holdout: HoldoutDone,
    /// The post-period orders (`post_period.csv`).
    pub orders: PathBuf,
    /// Each customer's planted effect (`post_period_truth.csv`).
    pub truth: PathBuf,
    /// The demo's mapping (reads the post period too).
    pub mapping: PathBuf,
}

/// The demo's campaign: holds 20 % of every segment of the demo run (`out/out`) out (salt
/// `demo-campaign`) into `out/holdout.json`, then writes `out/post_period.csv` with the
/// planted effect of [`crate::demo::CAMPAIGN`] and `out/post_period_truth.csv`.
pub fn demo_post_period(
    params: &crate::demo::DemoParams,
    truth: &[(String, crate::demo::Segment)],
    out: &Path,
) -> Result<PostPeriodDone> {
    let holdout = holdout(
        &out.join("out"),
        &HoldoutOptions::new(0.2, "demo-campaign"),
        &out.join("holdout.json"),
    )?;
    let control: HashSet<String> = holdout
        .holdout
        .members
        .iter()
        .filter(|m| m.control)
        .map(|m| m.customer_id.clone())
        .collect();
    let (orders, truth_csv) = crate::demo::post_period(params, truth, &control);
    let files = vec![
        Output::shared(Stage::Demo, "post_period.csv", orders.into_bytes()),
        Output::shared(Stage::Demo, "post_period_truth.csv", truth_csv.into_bytes()),
    ];
    OutDir::open(out, &[])?.write(&id_of(&files), &files)?;
    Ok(PostPeriodDone {
        holdout,
        orders: out.join("post_period.csv"),
        truth: out.join("post_period_truth.csv"),
        mapping: out.join("mapping.toml"),
    })
}
