//! The stages in memory: ingest → features → prepare ([`run_features`]), the candidate sweep
//! and the selection ([`discover`], or [`discover_from_features`] on a feature table computed
//! elsewhere), profiles with lookalike vectors ([`profile`]), and the
//! reading of a run for the report ([`read_report_data`]). No file is written here.

use crate::cluster::assign::distances_to;
use crate::cluster::metrics::centroids;
use crate::cluster::sweep::{complete, sweep, Algorithm, Progress, Sweep, Traits};
use crate::config::{Config, FlagOptions};
use crate::error::Result;
use crate::features::{self, Features};
use crate::ingest::{Ingested, Inputs};
use crate::model::{Assignment, DbscanGeometry, SegmentId, SegmentLabel, SegmentModel};
use crate::prepare::{self, Prepared};
use crate::profile::Profiles;
use crate::report::RunData;
use crate::run::{Manifest, RunFolder};
use crate::select::{relabel, select, Overrides, Proposal};

/// How long each stage took (wall clock), in the order they ran: for benchmarks and
/// `segmint run --timings`, never part of an output file (outputs do not depend on timing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Timings {
    /// `(stage, seconds)`.
    pub stages: Vec<(String, f64)>,
}

impl Timings {
    /// Runs `f`, recording its wall time under `stage`.
    pub fn time<T>(&mut self, stage: &str, f: impl FnOnce() -> T) -> T {
        let start = std::time::Instant::now();
        let out = f();
        self.stages
            .push((stage.to_string(), start.elapsed().as_secs_f64()));
        out
    }

    /// Appends the stages of `other`.
    pub fn extend(&mut self, other: &Timings) {
        self.stages.extend(other.stages.iter().cloned());
    }

    /// The sum of the stages' times.
    pub fn total(&self) -> f64 {
        self.stages.iter().map(|(_, s)| s).sum()
    }
}

/// The output of ingest → features → prepare.
#[derive(Debug, Clone)]
pub struct FeatureRun {
    /// What ingest found; its tables (and the personal data) are let go once the features are
    /// built.
    pub ingest: Ingested,
    /// Raw features.
    pub features: Features,
    /// The clustering matrix.
    pub prepared: Prepared,
    /// What the manifest records of the mapping.
    pub mapping: MappingRecord,
    /// Wall time of ingest, features and prepare.
    pub timings: Timings,
}

/// What a run's manifest records of its mapping: the file, the currency and VAT basis of the
/// amounts, and the report's labels.
#[derive(Debug, Clone)]
pub struct MappingRecord {
    /// The mapping file (absolute when it could be resolved), so that `segmint seeds` can
    /// re-read the customers table without `--config`.
    pub path: Option<std::path::PathBuf>,
    /// The currency of every amount of money (ISO 4217 code), when the mapping gives one.
    pub currency: Option<String>,
    /// The VAT basis of the amounts, when the mapping states it.
    pub vat: Option<crate::config::Vat>,
    /// The report's labels of the survey features, from `[survey.labels]`.
    pub feature_labels: crate::run::FeatureLabels,
    /// The mapping's labels of the data's levels per report language, by slug.
    pub level_labels: crate::run::FeatureLabels,
}

impl MappingRecord {
    /// The record of `config`'s mapping for the feature table `features` (whose survey
    /// features the labels are kept for).
    pub fn of(config: &Config, features: &Features) -> MappingRecord {
        MappingRecord {
            path: Some(std::fs::canonicalize(&config.source).unwrap_or(config.source.clone())),
            currency: config.mapping.currency(),
            vat: config.mapping.vat,
            feature_labels: survey_labels(config, features),
            level_labels: config
                .mapping
                .labels
                .levels
                .iter()
                .map(|(level, labels)| (crate::catalog::slug(level), labels.clone()))
                .collect(),
        }
    }

    /// The manifest of a run of this mapping: the feature table `features`, the transforms
    /// `prepare` that made its matrix, what ingest did with the rows (`ingest`), and whether
    /// the reference date was given (`as_of_from_config`) rather than read off the data.
    pub fn manifest(
        &self,
        features: &Features,
        prepare: &crate::model::prepared::PrepareModel,
        ingest: crate::ingest::IngestReport,
        as_of_from_config: bool,
    ) -> Manifest {
        Manifest {
            segmint_version: env!("CARGO_PKG_VERSION").to_string(),
            as_of: features.as_of.format("%Y-%m-%d").to_string(),
            as_of_source: if as_of_from_config {
                "mapping".into()
            } else {
                "latest date in the data".into()
            },
            customers: features.customers(),
            customers_per_source: features.sources.clone(),
            ingest,
            features: features.specs.clone(),
            prepare: prepare.clone(),
            mapping: self.path.clone(),
            currency: self.currency.clone(),
            vat: self.vat,
            feature_labels: self.feature_labels.clone(),
            level_labels: self.level_labels.clone(),
        }
    }
}

/// The mapping's labels of survey items and factors, keyed by the features they became
/// (`survey_<item>`, `factor_<factor>`).
fn survey_labels(config: &Config, features: &Features) -> crate::run::FeatureLabels {
    let Some(sv) = &config.mapping.survey else {
        return Default::default();
    };
    let mut out = crate::run::FeatureLabels::new();
    for (item, labels) in &sv.labels {
        let Some(labels) = filled(labels) else {
            continue;
        };
        let slug = crate::catalog::slug(item);
        for name in [format!("survey_{slug}"), format!("factor_{slug}")] {
            if features.specs.iter().any(|s| s.name == name) {
                out.insert(name, labels.clone());
            }
        }
    }
    out
}

/// An item's labels without the empty ones (a stub `segmint init` wrote, uncommented but not
/// filled in, is no label: the report falls back to the item's name), trimmed; `None` when
/// none is left.
fn filled(
    labels: &std::collections::BTreeMap<String, String>,
) -> Option<std::collections::BTreeMap<String, String>> {
    let out: std::collections::BTreeMap<String, String> = labels
        .iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(lang, l)| (lang.clone(), l.trim().to_string()))
        .collect();
    (!out.is_empty()).then_some(out)
}

/// The clustering matrix of a feature table, with the mapping's prepare options.
fn prepare_features(features: &Features, config: &Config) -> Result<Prepared> {
    prepare::prepare(
        features,
        &config.mapping.prepare,
        config.mapping.features.rare_level_share,
    )
}

/// Runs ingest, features and prepare.
pub fn run_features(config: &Config) -> Result<FeatureRun> {
    let mut timings = Timings::default();
    let inputs = timings.time("ingest", || Inputs::load(config))?;
    let features = timings.time("features", || {
        features::build(&inputs, &config.mapping.features)
    })?;
    let ingest = inputs.into_ingested();
    let mapping = MappingRecord::of(config, &features);
    let prepared = timings.time("prepare", || prepare_features(&features, config))?;
    Ok(FeatureRun {
        ingest,
        features,
        prepared,
        mapping,
        timings,
    })
}

impl FeatureRun {
    /// The manifest of this run.
    pub fn manifest(&self) -> Manifest {
        self.mapping.manifest(
            &self.features,
            &self.prepared.model,
            self.ingest.report.clone(),
            self.ingest.as_of_from_config,
        )
    }
}

/// The output of the discover stage.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// Ingest, features and matrix.
    pub run: FeatureRun,
    /// Every candidate with its scores.
    pub sweep: Sweep,
    /// The selection.
    pub proposal: Proposal,
    /// The chosen segmentation, per matrix row.
    pub assignment: Assignment,
    /// What `assign` needs to place new customers.
    pub model: SegmentModel,
    /// Wall time of every stage so far (those of [`FeatureRun`] first).
    pub timings: Timings,
}

impl Discovery {
    /// The profiles of the chosen segmentation (no lookalike vectors), worded for the run's
    /// cost data ([`crate::ingest::IngestReport::no_cost`]).
    pub fn profile(&self, flags: &FlagOptions) -> Result<Profiles> {
        crate::profile::profile(
            &self.run.features,
            &self.assignment,
            flags,
            self.run.ingest.report.no_cost(),
        )
    }
}

/// Runs ingest → features → prepare → candidates → selection.
pub fn discover(config: &Config, over: Overrides, progress: &dyn Progress) -> Result<Discovery> {
    let mut run = run_features(config)?;
    let mut timings = run.timings.clone();
    let fit = fit(
        &run.prepared,
        &run.features,
        config,
        over,
        progress,
        &mut timings,
    )?;
    for n in fit.notes {
        run.ingest.report.note(n);
    }
    Ok(Discovery {
        run,
        sweep: fit.sweep,
        proposal: fit.proposal,
        assignment: fit.assignment,
        model: fit.model,
        timings,
    })
}

/// Candidates, selection and the chosen segmentation of a prepared matrix: what [`discover`]
/// and [`discover_from_features`] add after prepare.
#[derive(Debug, Clone)]
pub struct Fit {
    /// Every candidate with its scores.
    pub sweep: Sweep,
    /// The selection.
    pub proposal: Proposal,
    /// The chosen segmentation, per matrix row.
    pub assignment: Assignment,
    /// What `assign` needs to place new customers.
    pub model: SegmentModel,
    /// Notes on the cluster options fitted to the data (k capped, forced k), for the run's
    /// report.
    pub notes: Vec<crate::model::RunNote>,
}

/// The output of [`discover_from_features`].
#[derive(Debug, Clone)]
pub struct FeatureDiscovery {
    /// The clustering matrix of the features.
    pub prepared: Prepared,
    /// Candidates, selection, assignment and model.
    pub fit: Fit,
    /// Wall time of prepare and every later stage.
    pub timings: Timings,
}

/// Runs prepare → candidates → selection on a feature table computed elsewhere (e.g. a
/// sample of the distributed path's feature table), with the mapping's prepare and cluster
/// options: the stages of [`discover`] after ingest and features.
pub fn discover_from_features(
    features: &Features,
    config: &Config,
    over: Overrides,
    progress: &dyn Progress,
) -> Result<FeatureDiscovery> {
    let mut timings = Timings::default();
    let prepared = timings.time("prepare", || prepare_features(features, config))?;
    let fit = fit(&prepared, features, config, over, progress, &mut timings)?;
    Ok(FeatureDiscovery {
        prepared,
        fit,
        timings,
    })
}

/// The layout of the structure test's trait reference: each matrix column's feature (an
/// indicator of missing values stands for its first feature) and each customer's number of
/// orders (the feature table's rows are the matrix's).
pub fn traits_of(prepared: &Prepared, features: &Features) -> Result<Traits> {
    use crate::model::prepared::Encoding;
    let columns: Vec<&str> = prepared
        .model
        .columns
        .iter()
        .map(|c| match &c.encoding {
            Encoding::Numeric { feature, .. } | Encoding::OneHot { feature, .. } => {
                feature.as_str()
            }
            Encoding::Missing { features } => {
                features.first().map(String::as_str).unwrap_or(&c.name)
            }
        })
        .collect();
    let orders = match features.table.column(crate::catalog::ORDER_COUNT) {
        Ok(_) => crate::frame::column_f64(&features.table, crate::catalog::ORDER_COUNT)?,
        Err(_) => vec![None; prepared.matrix.nrows()],
    };
    Ok(Traits::new(&columns, &orders))
}

/// Candidates → selection → the chosen candidate on every row → model, timed into `timings`
/// (`features`: the table the matrix was prepared from, for the trait reference's layout).
fn fit(
    prepared: &Prepared,
    features: &Features,
    config: &Config,
    over: Overrides,
    progress: &dyn Progress,
    timings: &mut Timings,
) -> Result<Fit> {
    // k fitted to the data (and a forced k); the notes go to the manifest and the summary.
    let (fitted, notes) = config
        .mapping
        .cluster
        .fit_to(prepared.matrix.nrows(), over.k)?;
    let opts = &fitted;
    let x = prepared.matrix.view();
    let traits = traits_of(prepared, features)?;
    let sweep = timings.time("sweep", || sweep(x, &traits, opts, progress))?;
    let proposal = timings.time("select", || select(&sweep, opts, over))?;
    let chosen = sweep
        .candidates
        .iter()
        .find(|c| c.id == proposal.chosen)
        .expect("the proposal is a candidate");
    // Swept on a sample: the chosen candidate on every customer.
    let (all_labels, all_core) = timings.time("fit chosen on all rows", || {
        complete(x, &sweep, chosen, opts)
    })?;
    let started = std::time::Instant::now();
    let (labels, _) = relabel(x, &all_labels);
    let (cent, _) = centroids(x, &labels);
    let centroids: Vec<Vec<f64>> = cent.rows().into_iter().map(|r| r.to_vec()).collect();
    let segment: Vec<Option<SegmentId>> = labels.iter().map(|s| s.map(SegmentId)).collect();
    let (distance, silhouette) = distances_to(x, &centroids, &segment);
    let dbscan = match (chosen.algorithm, &sweep.pca) {
        (Algorithm::Dbscan, Some(pca)) => {
            // The core rows the sweep found; their coordinates in the sweep's PC space.
            let z = pca.transform(x);
            let mut core_points = Vec::new();
            let mut core_segments = Vec::new();
            for (i, &is_core) in all_core.iter().enumerate() {
                if let (true, Some(s)) = (is_core, labels[i]) {
                    core_points.push(z.row(i).to_vec());
                    core_segments.push(s);
                }
            }
            Some(DbscanGeometry {
                pca: pca.clone(),
                eps: chosen.eps.unwrap_or(1.0),
                min_samples: chosen.min_samples.unwrap_or(5),
                core_points,
                core_segments,
            })
        }
        _ => None,
    };
    let model = SegmentModel {
        segmint_version: env!("CARGO_PKG_VERSION").to_string(),
        candidate: chosen.id.clone(),
        algorithm: chosen.algorithm.to_string(),
        k: centroids.len(),
        seed: opts.seed,
        columns: prepared.model.names(),
        prepare: prepared.model.clone(),
        centroids,
        dbscan,
    };
    let assignment = Assignment {
        ids: prepared.ids.clone(),
        segment,
        distance,
        silhouette,
    };
    timings
        .stages
        .push(("assign".into(), started.elapsed().as_secs_f64()));
    Ok(Fit {
        sweep,
        proposal,
        assignment,
        model,
        notes,
    })
}

/// Profiles an assignment and, with the run's model, attaches every segment's lookalike
/// vector ([`attach_vectors`]).
pub fn profile(
    features: &Features,
    assignment: &Assignment,
    model: Option<&SegmentModel>,
    flags: &FlagOptions,
    no_cost: bool,
) -> Result<Profiles> {
    let mut p = crate::profile::profile(features, assignment, flags, no_cost)?;
    if no_cost {
        // The descriptions' and flags' plain sentences (segments.json) as the report words
        // them without cost data ([`crate::run::manifest::Manifest::no_cost`]).
        for s in p.segments.iter_mut().chain([&mut p.base]) {
            // Every margin would read 100 %: none is stated, as in the report.
            s.profit_margin = None;
            if let Some(facts) = &s.description_facts {
                s.description = crate::i18n::description_plain(facts, true);
            }
            for f in s.flags.iter_mut() {
                f.message = crate::i18n::flag_plain_message_for(&f.facts, true);
            }
        }
    }
    if let Some(model) = model {
        attach_vectors(&mut p, features, assignment, model)?;
    }
    Ok(p)
}

/// Computes every segment's lookalike vector and attaches it to its profile, with the space
/// to [`Profiles::lookalike_space`].
pub fn attach_vectors(
    profiles: &mut Profiles,
    features: &Features,
    assignment: &Assignment,
    model: &SegmentModel,
) -> Result<()> {
    let name = |s: SegmentId| {
        profiles
            .segment(SegmentLabel::Segment(s))
            .map(|p| p.name_in(crate::i18n::Lang::En))
    };
    let vectors = crate::lookalike::vectors::vectors(features, assignment, model, &name)?;
    for (s, v) in vectors {
        let label = SegmentLabel::Segment(s);
        if let Some(p) = profiles.segments.iter_mut().find(|p| p.segment == label) {
            p.lookalike = Some(v);
        }
    }
    profiles.lookalike_space = Some(crate::lookalike::vectors::space(model));
    Ok(())
}

/// Reads what the report needs from a profiled run folder, every file checked to belong to
/// the run of its manifest.
pub fn read_report_data(folder: &RunFolder) -> Result<RunData> {
    let segments = folder.segments()?;
    Ok(RunData {
        manifest: folder.manifest.clone(),
        candidates: folder.candidates()?,
        profiles: segments.profiles,
        model: folder.model()?,
        features: folder.features()?,
        assignment: folder.assignment()?,
        comparison: None,
        lift: None,
    })
}

#[cfg(test)]
mod tests {
    use super::filled;
    use std::collections::BTreeMap;

    #[test]
    fn empty_survey_labels_are_no_labels() {
        let m = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        assert_eq!(
            filled(&m(&[("en", " Price-conscious "), ("nb", ""), ("sv", "  ")])),
            Some(m(&[("en", "Price-conscious")]))
        );
        assert_eq!(filled(&m(&[("nb", ""), ("da", " ")])), None);
        assert_eq!(filled(&m(&[])), None);
    }
}
