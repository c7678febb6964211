//! One function per command of the `segmint` binary: each reads its inputs, runs its stages
//! in order, writes its files through [`crate::run::OutDir`] and returns what happened (the
//! binary prints it). A Rust program can run every command without the binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::cluster::sweep::Progress;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::lookalike::normalize::Platform;
use crate::lookalike::score::{self, ScoreRun};
use crate::lookalike::seeds::{self, Contacts, SeedInput, SeedOptions, SeedSummary};
use crate::model::{SegmentId, SegmentLabel, SegmentName};
use crate::profile::Profiles;
use crate::run::{self, names, OutDir, Output, RunFolder, RunId, Stage, Stamped};
use crate::select::Overrides;

use super::outputs::{discover_outputs, feature_outputs, profile_outputs};
use super::{Discovery, FeatureRun};

pub use super::campaign::{
    compare, demo_post_period, holdout, lift, CompareDone, HoldoutDone, LiftArgs, LiftDone,
    PostPeriodDone,
};
pub use super::check::{check, CheckDone};

/// The input files a mapping names, and the mapping itself: outputs never overwrite them.
pub fn inputs_of(config: &Config) -> Vec<PathBuf> {
    let m = &config.mapping;
    let mut files = vec![
        config.source.clone(),
        config.resolve(&m.transactions.file()),
    ];
    files.extend(m.returns.as_ref().map(|t| config.resolve(&t.file())));
    files.extend(m.events.as_ref().map(|t| config.resolve(&t.file())));
    files.extend(m.survey.as_ref().map(|t| config.resolve(&t.file())));
    files.extend(m.customers.as_ref().map(|t| config.resolve(&t.file())));
    files.extend(m.products.as_ref().map(|t| config.resolve(&t.file())));
    files
}

/// What `segmint features` did.
#[derive(Debug)]
pub struct FeaturesDone {
    /// Inputs, features and matrix.
    pub run: FeatureRun,
    /// The run id of the files written.
    pub run_id: RunId,
    /// The output folder.
    pub out: PathBuf,
}

/// `segmint features`: builds the customer feature table and the clustering matrix and writes
/// features.parquet, matrix.parquet and manifest.json to `out`.
///
/// ```no_run
/// let done = segmint::pipeline::commands::features(
///     "data/sample/mapping.toml".as_ref(),
///     "out".as_ref(),
/// )?;
/// println!("{} customers", done.run.features.customers());
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn features(config: &Path, out: &Path) -> Result<FeaturesDone> {
    let config = Config::load(config)?;
    let mut dir = OutDir::open(out, &inputs_of(&config))?;
    dir.precheck(&[Stage::Features])?;
    let run = super::run_features(&config)?;
    if run.prepared.matrix.ncols() == 0 {
        return Err(Error::Data(format!(
            "no feature varies between customers: the clustering matrix of the {} customers has no column (every feature was constant or excluded), so no segment can be found; check the mapping and the data (nothing was written)",
            run.prepared.matrix.nrows()
        )));
    }
    let files = feature_outputs(&run)?;
    dir.write(&files.run_id, &files.files)?;
    Ok(FeaturesDone {
        run,
        run_id: files.run_id,
        out: out.to_path_buf(),
    })
}

/// What `segmint discover` did.
#[derive(Debug)]
pub struct DiscoverDone {
    /// Features, candidates, the proposal, the assignment and the model.
    pub discovery: Discovery,
    /// The run id of the files written.
    pub run_id: RunId,
    /// Files written.
    pub files: usize,
    /// The output folder.
    pub out: PathBuf,
}

/// Options of the commands that cluster.
#[derive(Clone, Copy)]
pub struct RunOptions<'a> {
    /// What the analyst forced (k, algorithm).
    pub overrides: Overrides,
    /// Progress of the candidate sweep.
    pub progress: &'a dyn Progress,
}

impl Default for RunOptions<'_> {
    fn default() -> Self {
        RunOptions {
            overrides: Overrides::default(),
            progress: &crate::cluster::sweep::Quiet,
        }
    }
}

fn discover_into(config: &Config, dir: &mut OutDir, opts: RunOptions) -> Result<DiscoverDone> {
    let mut d = super::discover(config, opts.overrides, opts.progress)?;
    let mut timings = d.timings.clone();
    let files = timings.time("write discover outputs", || {
        let files = discover_outputs(&d, config.mapping.output.csv_copies)?;
        dir.write(&files.run_id, &files.files)?;
        Ok::<_, Error>(files)
    })?;
    d.timings = timings;
    Ok(DiscoverDone {
        discovery: d,
        run_id: files.run_id,
        files: files.files.len(),
        out: dir.path().to_path_buf(),
    })
}

/// `segmint discover`: features, the k-means and DBSCAN sweeps and the proposal; writes the
/// feature outputs, assignments, candidates and model.json to `out`.
///
/// ```no_run
/// use segmint::pipeline::commands::{discover, RunOptions};
/// let done = discover("data/sample/mapping.toml".as_ref(), "out".as_ref(), RunOptions::default())?;
/// println!("proposal: {}", done.discovery.proposal.chosen);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn discover(config: &Path, out: &Path, opts: RunOptions) -> Result<DiscoverDone> {
    let config = Config::load(config)?;
    let mut dir = OutDir::open(out, &inputs_of(&config))?;
    dir.precheck(&[Stage::Features, Stage::Discover])?;
    discover_into(&config, &mut dir, opts)
}

/// What `segmint profile` did.
#[derive(Debug)]
pub struct ProfileDone {
    /// The profiles (with lookalike vectors when the run has a model).
    pub profiles: Profiles,
    /// The run folder.
    pub dir: PathBuf,
    /// The currency of the money (ISO 4217 code), when the mapping gives one.
    pub currency: Option<String>,
    /// The run had no cost data: profit is revenue after returns and their handling.
    pub no_cost: bool,
}

fn profile_into(config: &Config, dir: &mut OutDir) -> Result<ProfileDone> {
    let folder = RunFolder::open(dir.path())?;
    let features = folder.features()?;
    let assignment = folder.assignment()?;
    let model = if dir.path().join(names::MODEL).exists() {
        Some(folder.model()?)
    } else {
        None
    };
    let p = super::profile(
        &features,
        &assignment,
        model.as_ref(),
        &config.mapping.flags,
        folder.manifest.no_cost(),
    )?;
    let files = profile_outputs(&folder.id(), &p, config.mapping.output.csv_copies)?;
    dir.write(&files.run_id, &files.files)?;
    Ok(ProfileDone {
        profiles: p,
        dir: dir.path().to_path_buf(),
        currency: config.mapping.currency(),
        no_cost: folder.manifest.no_cost(),
    })
}

/// `segmint profile`: profiles the segments of the discover run in `dir` (sizes, money, what
/// sets them apart, names, actions, flags, lookalike vectors) and writes them there.
///
/// ```no_run
/// let done = segmint::pipeline::commands::profile("data/sample/mapping.toml".as_ref(), "out".as_ref())?;
/// for s in &done.profiles.segments {
///     println!("{} {}", s.segment, s.name);
/// }
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn profile(config: &Path, dir: &Path) -> Result<ProfileDone> {
    let config = Config::load(config)?;
    let mut out = OutDir::open(dir, &inputs_of(&config))?;
    out.precheck(&[Stage::Profile])?;
    profile_into(&config, &mut out)
}

/// Options of the client report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Language.
    pub lang: Lang,
    /// Title (default: "Customer segments" in the report's language).
    pub title: Option<String>,
    /// The output of `segmint compare` (its folder or its compare.json) whose later run is
    /// this run, for the "Segments over time" section (default: `RUN/compare/compare.json`
    /// when it exists).
    pub compare: Option<PathBuf>,
    /// The output of `segmint lift` (its folder or its lift.json) measured on a holdout of
    /// this run, for the "Campaign results" section (default: `RUN/lift/lift.json` when it
    /// exists).
    pub lift: Option<PathBuf>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            lang: Lang::En,
            title: None,
            compare: None,
            lift: None,
        }
    }
}

/// What `segmint report` did.
#[derive(Debug)]
pub struct ReportDone {
    /// Language.
    pub lang: Lang,
    /// Charts drawn.
    pub charts: usize,
    /// The report folder.
    pub out: PathBuf,
    /// The compare.json of the "Segments over time" section, when the report has it.
    pub compare: Option<PathBuf>,
    /// The lift.json of the "Campaign results" section, when the report has it.
    pub lift: Option<PathBuf>,
}

/// The campaign results for the report of the run in `dir` (id `ours`): the given ones, or
/// those found at `dir/compare/compare.json` and `dir/lift/lift.json`. Each must belong to
/// this run — a comparison whose later run is this run, a lift measured on a holdout of this
/// run — or the report stops with a message saying what to do.
#[allow(clippy::type_complexity)]
fn campaign_inputs(
    dir: &Path,
    ours: &RunId,
    opts: &ReportOptions,
) -> Result<(
    Option<(PathBuf, crate::campaign::compare::Comparison)>,
    Option<(PathBuf, crate::campaign::lift::LiftReport)>,
)> {
    let find = |given: &Option<PathBuf>, sub: &str, file: &str| match given {
        Some(p) if p.is_dir() => Some(p.join(file)),
        Some(p) => Some(p.clone()),
        None => Some(dir.join(sub).join(file)).filter(|p| p.is_file()),
    };
    let how = |given: &Option<PathBuf>, option: &str, sub: &str| {
        if given.is_some() {
            format!("or leave {option} out")
        } else {
            format!(
                "or move {} away: the report reads it because it is there",
                dir.join(sub).display()
            )
        }
    };
    let comparison = match find(&opts.compare, names::COMPARE_DIR, names::COMPARE_JSON) {
        None => None,
        Some(path) => {
            let c = crate::run::compare::read(&path)?;
            if &c.run_id != ours {
                let why = if &c.from_run_id == ours {
                    format!(
                        "it compares this run (the earlier one, as_of {}) with a later run ({}, as_of {}): its section belongs in the later run's report",
                        c.from_as_of, c.run_id, c.to_as_of
                    )
                } else {
                    format!(
                        "it compares run {} (as_of {}) with run {} (as_of {}); compare an earlier run with this one: `segmint compare --from EARLIER --to {} --out {}`",
                        c.from_run_id,
                        c.from_as_of,
                        c.run_id,
                        c.to_as_of,
                        dir.display(),
                        dir.join(names::COMPARE_DIR).display()
                    )
                };
                return Err(Error::Data(format!(
                    "{} belongs to run {}, not to run {ours} in {}: {why}; {}",
                    path.display(),
                    c.run_id,
                    dir.display(),
                    how(&opts.compare, "--compare", names::COMPARE_DIR)
                )));
            }
            Some((path, c))
        }
    };
    let lift = match find(&opts.lift, names::LIFT_DIR, names::LIFT_JSON) {
        None => None,
        Some(path) => {
            let r = crate::run::lift::read(&path)?;
            if &r.run_id != ours {
                return Err(Error::Data(format!(
                    "{} belongs to run {}, not to run {ours} in {}: the campaign was measured on a holdout of another run (or this run was made again since); measure it on a holdout of this run (`segmint holdout --in {}`, then `segmint lift --out {}`), {}",
                    path.display(),
                    r.run_id,
                    dir.display(),
                    dir.display(),
                    dir.join(names::LIFT_DIR).display(),
                    how(&opts.lift, "--lift", names::LIFT_DIR)
                )));
            }
            Some((path, r))
        }
    };
    Ok((comparison, lift))
}

/// `segmint report`: writes the client report (HTML, Markdown, report.json and charts) of the
/// profiled run in `dir` to `out`. With the results of `segmint compare` and `segmint lift`
/// that belong to the run (see [`ReportOptions::compare`], [`ReportOptions::lift`]), the
/// report gets the sections "Segments over time" and "Campaign results".
///
/// ```no_run
/// use segmint::pipeline::commands::{report, ReportOptions};
/// let done = report("out".as_ref(), "out/report".as_ref(), &ReportOptions::default())?;
/// println!("{} charts", done.charts);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn report(dir: &Path, out: &Path, opts: &ReportOptions) -> Result<ReportDone> {
    run::segments::require(dir)?;
    let folder = RunFolder::open(dir)?;
    let mut target = OutDir::open(out, &[])?;
    target.precheck(&[Stage::Report])?;
    let mut data = super::read_report_data(&folder)?;
    let (comparison, lift) = campaign_inputs(dir, &folder.id(), opts)?;
    let compare_path = comparison.as_ref().map(|c| c.0.clone());
    let lift_path = lift.as_ref().map(|l| l.0.clone());
    data.comparison = comparison.map(|c| c.1);
    data.lift = lift.map(|l| l.1);
    // The mapping's labels of the data's levels name them wherever the report does.
    let (files, chart_count) = crate::i18n::with_level_labels(&data.manifest.level_labels, || {
        let (report, charts) = crate::report::build(&data, opts.lang, opts.title.as_deref())?;
        let mut charts = crate::render::render_all(&charts, opts.lang)?;
        charts.extend(crate::report::campaign::charts(
            data.comparison.as_ref(),
            data.lift.as_ref(),
            opts.lang,
        )?);
        let files = run::report::outputs(
            &folder.id(),
            &report,
            crate::report::html(&report, &charts),
            crate::report::markdown(&report, &charts),
            &charts,
        )?;
        Ok::<_, crate::Error>((files, charts.len()))
    })?;
    target.write(&folder.id(), &files)?;
    Ok(ReportDone {
        lang: opts.lang,
        charts: chart_count,
        out: out.to_path_buf(),
        compare: compare_path,
        lift: lift_path,
    })
}

/// What `segmint run` did.
#[derive(Debug)]
pub struct RunDone {
    /// The discover stage.
    pub discover: DiscoverDone,
    /// The profile stage.
    pub profile: ProfileDone,
    /// The report.
    pub report: ReportDone,
    /// Wall time of every stage, in the order they ran.
    pub timings: super::Timings,
}

/// `segmint run`: discover + profile into `out`, and the report into `out/report`; the
/// folder stays locked from the first stage to the last.
///
/// ```no_run
/// use segmint::pipeline::commands::{run, ReportOptions, RunOptions};
/// let done = run(
///     "data/sample/mapping.toml".as_ref(),
///     "out".as_ref(),
///     RunOptions::default(),
///     &ReportOptions::default(),
/// )?;
/// println!("{} segments", done.discover.discovery.model.k);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn run(
    config: &Path,
    out: &Path,
    opts: RunOptions,
    report_opts: &ReportOptions,
) -> Result<RunDone> {
    let config = Config::load(config)?;
    let mut dir = OutDir::open(out, &inputs_of(&config))?;
    dir.precheck(&[Stage::Features, Stage::Discover, Stage::Profile])?;
    OutDir::open(&out.join(names::REPORT_DIR), &[])?.precheck(&[Stage::Report])?;
    let discover = discover_into(&config, &mut dir, opts)?;
    let mut timings = discover.discovery.timings.clone();
    let profile = timings.time("profile", || profile_into(&config, &mut dir))?;
    let report = timings.time("report", || {
        report(out, &out.join(names::REPORT_DIR), report_opts)
    })?;
    Ok(RunDone {
        discover,
        profile,
        report,
        timings,
    })
}

/// What `segmint run --engine ballista` did.
#[derive(Debug)]
pub struct ClusterRunDone {
    /// What the cluster wrote and [`super::ballista::collect`] read into the run folder.
    pub collected: super::ballista::Collected,
    /// The cluster's files (`out/cluster`).
    pub cluster_dir: PathBuf,
    /// The profile stage (on this machine).
    pub profile: ProfileDone,
    /// The report.
    pub report: ReportDone,
}

/// `segmint run --engine ballista`: the discovery on the cluster (features, the sweep on a
/// seeded sample, Lloyd and the assignment of every customer; `k`, `algorithm` and `threads`
/// as [`super::ballista::Job::discover`] takes them) into `out/cluster`, then its results read
/// into `out` as a discovered run ([`super::ballista::collect`]), profiled and reported on this
/// machine as `segmint run` does.
pub fn run_on_cluster(
    config_path: &Path,
    out: &Path,
    over: Overrides,
    threads: Option<usize>,
    cluster: &super::ballista::Cluster,
    report_opts: &ReportOptions,
) -> Result<ClusterRunDone> {
    let cluster_dir = out.join(super::ballista::CLUSTER_DIR);
    let job =
        super::ballista::Job::discover(config_path, &cluster_dir, over.k, over.algorithm, threads)?;
    let config = Config::load(config_path)?;
    let mut dir = OutDir::open(out, &inputs_of(&config))?;
    dir.precheck(&[Stage::Features, Stage::Discover, Stage::Profile])?;
    OutDir::open(&out.join(names::REPORT_DIR), &[])?.precheck(&[Stage::Report])?;
    super::ballista::submit(&job, cluster)?;
    let collected = super::ballista::collect(&config, &cluster_dir, &mut dir)?;
    let profile = profile_into(&config, &mut dir)?;
    let report = report(out, &out.join(names::REPORT_DIR), report_opts)?;
    Ok(ClusterRunDone {
        collected,
        cluster_dir,
        profile,
        report,
    })
}

/// What `segmint demo` did.
#[derive(Debug)]
pub struct DemoDone {
    /// Customers generated.
    pub customers: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// The demo data folder.
    pub out: PathBuf,
    /// The data files written.
    pub data_files: Vec<String>,
    /// The discover stage (in `out/out`).
    pub discover: DiscoverDone,
    /// The profile stage.
    pub profile: ProfileDone,
    /// With `post_period`: the holdout and the post period with a planted lift.
    pub post_period: Option<PostPeriodDone>,
    /// Adjusted Rand index between the segments found and the planted ones.
    pub agreement: f64,
    /// The report.
    pub report: ReportDone,
}

/// `segmint demo`: generates the synthetic demo shop into `out`, runs discover and profile
/// into `out/out`, measures the agreement with the planted segments and writes the report to
/// `report_dir`. With `post_period`, also holds 20 % of every segment out of a campaign and
/// writes a post period with a planted lift ([`demo_post_period`]).
///
/// ```no_run
/// use segmint::demo::DemoParams;
/// use segmint::pipeline::commands::{demo, ReportOptions, RunOptions};
/// let done = demo(
///     &DemoParams { customers: 3000, seed: 42 },
///     "demo".as_ref(),
///     "reports/demo".as_ref(),
///     RunOptions::default(),
///     &ReportOptions::default(),
///     false,
/// )?;
/// println!("agreement {:.3}", done.agreement);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn demo(
    params: &crate::demo::DemoParams,
    out: &Path,
    report_dir: &Path,
    opts: RunOptions,
    report_opts: &ReportOptions,
    post_period: bool,
) -> Result<DemoDone> {
    let data = crate::demo::generate(params)?;
    let files: Vec<Output> = data
        .files
        .iter()
        .map(|(name, text)| Output::shared(Stage::Demo, name, text.as_bytes().to_vec()))
        .collect();
    let id = RunId::of(&files.iter().map(|f| f.bytes.as_slice()).collect::<Vec<_>>());
    OutDir::open(out, &[])?.write(&id, &files)?;
    let mapping = out.join("mapping.toml");
    let config = Config::load(&mapping)?;
    let run_dir = out.join("out");
    let mut dir = OutDir::open(&run_dir, &inputs_of(&config))?;
    dir.precheck(&[Stage::Features, Stage::Discover, Stage::Profile])?;
    let discover = discover_into(&config, &mut dir, opts)?;
    let profile = profile_into(&config, &mut dir)?;
    drop(dir);
    let post_period = if post_period {
        Some(demo_post_period(params, &data.truth, out)?)
    } else {
        None
    };
    let truth: BTreeMap<&str, usize> = data
        .truth
        .iter()
        .map(|(id, s)| (id.as_str(), *s as usize))
        .collect();
    let a = &discover.discovery.assignment;
    let (mut found, mut planted) = (Vec::new(), Vec::new());
    for (id, s) in a.ids.iter().zip(&a.segment) {
        if let Some(&t) = truth.get(id.as_str()) {
            found.push(s.map(|s| s.index() + 1));
            planted.push(Some(t));
        }
    }
    let agreement = crate::cluster::metrics::adjusted_rand_index(&found, &planted);
    let report = report(&run_dir, report_dir, report_opts)?;
    Ok(DemoDone {
        customers: params.customers,
        seed: params.seed,
        out: out.to_path_buf(),
        data_files: data.files.iter().map(|(n, _)| n.clone()).collect(),
        discover,
        profile,
        post_period,
        agreement,
        report,
    })
}

/// What `segmint assign` did.
#[derive(Debug)]
pub struct AssignDone {
    /// Customers read.
    pub customers: usize,
    /// Customers placed in a segment.
    pub assigned: usize,
    /// Segments of the model.
    pub k: usize,
    /// The output folder.
    pub out: PathBuf,
}

/// `segmint assign`: puts the customers of `config` into the segments of an earlier run's
/// `model.json` and writes assignments.parquet (and its CSV copy, `[output] csv_copies`) to `out`.
///
/// ```no_run
/// let done = segmint::pipeline::commands::assign(
///     "out/model.json".as_ref(),
///     "new/mapping.toml".as_ref(),
///     "assigned".as_ref(),
/// )?;
/// println!("{} of {} assigned", done.assigned, done.customers);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn assign(model: &Path, config: &Path, out: &Path) -> Result<AssignDone> {
    let model_file = run::model_file::read(model)?;
    let config = Config::load(config)?;
    let mut protected = inputs_of(&config);
    protected.push(model.to_path_buf());
    let mut dir = OutDir::open(out, &protected)?;
    dir.precheck(&[Stage::Assign])?;
    let inputs = crate::ingest::Inputs::load(&config)?;
    let features =
        crate::features::build_like(&inputs, &config.mapping.features, &model_file.body.prepare)?;
    let a = model_file.body.assign(&features)?;
    let files = run::assignments::outputs(Stage::Assign, &a, config.mapping.output.csv_copies)?;
    let id = RunId::of(&files.iter().map(|f| f.bytes.as_slice()).collect::<Vec<_>>());
    dir.write(&id, &files)?;
    Ok(AssignDone {
        customers: a.ids.len(),
        assigned: a.segment.iter().filter(|s| s.is_some()).count(),
        k: model_file.body.k,
        out: out.to_path_buf(),
    })
}

/// Options of `segmint seeds`.
#[derive(Debug, Clone)]
pub struct SeedArgs {
    /// The profiled run folder.
    pub dir: PathBuf,
    /// Segment id or name.
    pub segment: String,
    /// Target platform.
    pub platform: Platform,
    /// The seed file to write (CSV); counts go to `<name>.summary.json` next to it.
    pub out: PathBuf,
    /// The mapping file (default: the one recorded in the run's manifest.json).
    pub config: Option<PathBuf>,
    /// Keep customers flagged for high returns in the seed.
    pub keep_returners: bool,
    /// Also write every flagged high-return customer to this file, for suppression.
    pub exclusions: Option<PathBuf>,
}

/// What `segmint seeds` did.
#[derive(Debug)]
pub struct SeedsDone {
    /// The seed file and its summary.
    pub seed: (PathBuf, SeedSummary),
    /// The exclusion file and its summary.
    pub exclusions: Option<(PathBuf, SeedSummary)>,
    /// The seed's summary file.
    pub summary_path: PathBuf,
    /// The platform.
    pub platform: Platform,
}

/// `name.csv` → `name.<suffix>` next to it.
pub fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!("{stem}.{suffix}"))
}

fn mapping_of(folder: &RunFolder, config: Option<&PathBuf>) -> Result<PathBuf> {
    if let Some(c) = config {
        return Ok(c.clone());
    }
    let dir = folder.dir.display();
    match &folder.manifest.mapping {
        Some(p) if p.exists() => Ok(p.clone()),
        Some(p) => Err(Error::Data(format!(
            "the run in {dir} was made with the mapping {}, which no longer exists: pass --config mapping.toml",
            p.display()
        ))),
        None => Err(Error::Data(format!(
            "the run in {dir} does not record its mapping file: pass --config mapping.toml"
        ))),
    }
}

/// `segmint seeds`: writes a segment's customers as an ad platform's customer file
/// (identifiers normalised and SHA-256 hashed), flagged high-return customers left out unless
/// kept, and optionally the exclusion list of them. Both files are owner-only.
///
/// ```no_run
/// use segmint::lookalike::normalize::Platform;
/// use segmint::pipeline::commands::{seeds, SeedArgs};
/// let done = seeds(&SeedArgs {
///     dir: "out".into(),
///     segment: "1".into(),
///     platform: Platform::Meta,
///     out: "seed.csv".into(),
///     config: None,
///     keep_returners: false,
///     exclusions: Some("exclude.csv".into()),
/// })?;
/// println!("{} written", done.seed.1.written);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn seeds(a: &SeedArgs) -> Result<SeedsDone> {
    let folder = RunFolder::open(&a.dir)?;
    let mapping = mapping_of(&folder, a.config.as_ref())?;
    let config = Config::load(&mapping)?;
    seeds::check_mapping(&config)?;
    // Every output path, checked before any work.
    let summary_path = sibling(&a.out, "summary.json");
    let mut paths = vec![a.out.clone(), summary_path.clone()];
    if let Some(e) = &a.exclusions {
        paths.push(e.clone());
        paths.push(sibling(e, "summary.json"));
    }
    let protected = inputs_of(&config);
    run::write::check_paths(&paths, &protected)?;
    let run = folder.segments()?;
    let (index, segment) = run::segments::find(&run.profiles.segments, &a.segment)?;
    let features = folder.features()?;
    let assignment = folder.assignment()?;
    let members: Vec<String> = assignment
        .members(index)
        .into_iter()
        .map(String::from)
        .collect();
    let flagged: BTreeSet<String> = run
        .profiles
        .flagged_customers
        .iter()
        .map(|f| f.customer_id.clone())
        .collect();
    let value_feature = config.mapping.lookalike.value_feature().map(str::to_string);
    let values: Option<BTreeMap<String, f64>> = match (&value_feature, a.platform) {
        (Some(f), Platform::Meta) => Some(value_column(&features, f)?),
        _ => None,
    };
    let contacts = crate::ingest::load_contacts(&config, features.as_of)?
        .ok_or_else(|| Error::Data("the mapping has no [customers] table".into()))?;
    let contacts = Contacts::from_frame(&contacts)?;
    let opts = SeedOptions {
        platform: a.platform,
        keep_returners: a.keep_returners,
        lookalike: config.mapping.lookalike.clone(),
    };
    let segment_name = segment.name_in(Lang::En);
    let segment_label = segment.segment.to_string();
    let input = SeedInput {
        segment: &segment_label,
        segment_name: &segment_name,
        members: &members,
        flagged: &flagged,
        contacts: &contacts,
        values: match (&value_feature, &values) {
            (Some(f), Some(v)) => Some((f.as_str(), v)),
            _ => None,
        },
    };
    let seed = seeds::seed_file(input, &opts)?;
    let id = folder.id();
    let mut files = vec![
        Output::private(Stage::Seeds, &a.out, seed.bytes.clone()),
        Output::shared(
            Stage::Seeds,
            &summary_path,
            run::json(&Stamped::new(&id, &seed.summary))?,
        ),
    ];
    let exclusions = a.exclusions.as_ref().map(|path| {
        (
            path.clone(),
            seeds::exclusion_file(&flagged, &contacts, &opts),
        )
    });
    if let Some((path, f)) = &exclusions {
        files.push(Output::private(Stage::Seeds, path, f.bytes.clone()));
        files.push(Output::shared(
            Stage::Seeds,
            sibling(path, "summary.json"),
            run::json(&Stamped::new(&id, &f.summary))?,
        ));
    }
    run::write::write_paths(&id, &files, &protected)?;
    Ok(SeedsDone {
        seed: (a.out.clone(), seed.summary),
        exclusions: exclusions.map(|(p, f)| (p, f.summary)),
        summary_path,
        platform: a.platform,
    })
}

/// Customer id → value of a numeric feature (Meta's value-based lookalikes).
fn value_column(features: &crate::features::Features, f: &str) -> Result<BTreeMap<String, f64>> {
    let numeric = || {
        features
            .specs
            .iter()
            .filter(|s| s.kind != crate::features::Kind::Categorical)
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let values = crate::frame::column_f64(&features.table, f).map_err(|_| {
        Error::Data(format!(
            "[lookalike] value = {f:?} is not a numeric column of features.parquet; use one of: {}",
            numeric()
        ))
    })?;
    let ids = crate::frame::column_str(&features.table, "customer_id")?;
    Ok(ids
        .into_iter()
        .zip(values)
        .filter_map(|(id, v)| Some((id?, v?)))
        .collect())
}

/// What `segmint score` did.
#[derive(Debug)]
pub struct ScoreDone {
    /// The ranking, the reach curve and the summary.
    pub run: ScoreRun,
    /// The ranking file.
    pub out: PathBuf,
    /// The reach curve file.
    pub reach_path: PathBuf,
    /// The summary file.
    pub summary_path: PathBuf,
}

/// `segmint score`: ranks prospects by similarity to a segment of the run whose `model.json`
/// is given (distance and a seed-vs-rest classifier) and writes the ranking (owner-only), the
/// reach curve and a summary.
///
/// ```no_run
/// let done = segmint::pipeline::commands::score(
///     "out/model.json".as_ref(),
///     "1",
///     "prospects.csv".as_ref(),
///     "ranked.csv".as_ref(),
/// )?;
/// println!("{} within the threshold", done.run.summary.within_threshold);
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn score(model_path: &Path, segment: &str, prospects: &Path, out: &Path) -> Result<ScoreDone> {
    let dir = model_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let reach_path = sibling(out, "reach.csv");
    let summary_path = sibling(out, "summary.json");
    let protected = vec![prospects.to_path_buf(), model_path.to_path_buf()];
    run::write::check_paths(
        &[out.to_path_buf(), reach_path.clone(), summary_path.clone()],
        &protected,
    )?;
    let folder = RunFolder::open(dir).map_err(|e| {
        Error::Data(format!(
            "score trains its seed-vs-rest classifier on the run next to {}: it needs manifest.json, features.parquet and assignments.parquet there ({e})",
            model_path.display()
        ))
    })?;
    let model = folder.model_at(model_path)?;
    let (index, name) = if folder.is_profiled() {
        let run = folder.segments()?;
        let (i, s) = run::segments::find(&run.profiles.segments, segment)?;
        (i, s.name_in(Lang::En))
    } else {
        let i = SegmentId::from_label(segment).ok_or_else(|| {
            Error::Data(format!(
                "{} has no segments.json, so segments can only be named by id (1 to {}); profile the run to use names",
                dir.display(),
                model.k
            ))
        })?;
        (
            i,
            Lang::En.segment_name(&SegmentName::of(SegmentLabel::Segment(i))),
        )
    };
    let features = folder.features()?;
    let assignment = folder.assignment()?;
    let p = score::read_prospects(prospects, &model.prepare)?;
    let run = score::score_prospects(&model, &features, &assignment, index, &name, &p)?;
    let id = folder.id();
    run::write::write_paths(
        &id,
        &[
            Output::private(Stage::Score, out, score::ranking_csv(&run.ranked)),
            Output::shared(Stage::Score, &reach_path, score::reach_csv(&run.reach)),
            Output::shared(
                Stage::Score,
                &summary_path,
                run::json(&Stamped::new(&id, &run.summary))?,
            ),
        ],
        &protected,
    )?;
    Ok(ScoreDone {
        run,
        out: out.to_path_buf(),
        reach_path,
        summary_path,
    })
}

/// What `segmint init` did.
#[derive(Debug)]
pub struct InitDone {
    /// The guesses.
    pub guess: crate::init::Guess,
    /// The mapping written.
    pub out: PathBuf,
}

/// `segmint catalog`: the feature catalog as Markdown (every feature's group, kind and
/// formula; `docs/features.md` is this text).
///
/// ```
/// let md = segmint::pipeline::commands::catalog();
/// assert!(md.contains("net_revenue"));
/// ```
pub fn catalog() -> String {
    crate::catalog::markdown()
}

/// `segmint init`: sniffs export files (a sample of each, read as ingest reads it) and writes a
/// commented mapping file with its guesses and their evidence to `out` (refuses to overwrite it
/// unless `force`). Required fields it cannot fill are written as `TODO` values, which every
/// command then names.
///
/// ```no_run
/// let done = segmint::pipeline::commands::init(
///     &["orders.csv".into(), "customers.csv".into()],
///     "mapping.toml".as_ref(),
///     false,
/// )?;
/// println!("{} tables", done.guess.tables.len());
/// # Ok::<(), segmint::Error>(())
/// ```
pub fn init(files: &[PathBuf], out: &Path, force: bool) -> Result<InitDone> {
    if out.exists() && !force {
        return Err(Error::Data(format!(
            "{} exists already; pass --force to overwrite it or --out to choose another file",
            out.display()
        )));
    }
    run::write::check_paths(&[out.to_path_buf()], files)?;
    let sniffed = files
        .iter()
        .map(|f| crate::init::sniff(f))
        .collect::<Result<Vec<_>>>()?;
    let dir = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let guess = crate::init::guess(&sniffed, dir)?;
    run::write::write_atomic(out, crate::init::render(&guess).as_bytes(), false)?;
    Ok(InitDone {
        guess,
        out: out.to_path_buf(),
    })
}
