//! The files each stage writes, as bytes with their run id (writing them is
//! [`crate::run::OutDir`]'s job).

use crate::cluster::sweep::Sweep;
use crate::config::CsvCopies;
use crate::error::Result;
use crate::model::SegmentModel;
use crate::profile::Profiles;
use crate::run::{self, CandidateRecord, Candidates, Manifest, Output, RunId, Stage};
use crate::select::Proposal;

use super::{Discovery, FeatureRun};

/// Files of one stage and the run they belong to.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutputs {
    /// The run.
    pub run_id: RunId,
    /// The files (paths relative to the output folder).
    pub files: Vec<Output>,
}

/// The outputs of `segmint features`: features.parquet, matrix.parquet, manifest.json. The
/// run id is that of the two tables.
pub fn feature_outputs(run: &FeatureRun) -> Result<RunOutputs> {
    let mut files = run::features::outputs(&run.features, &run.prepared)?;
    let run_id = RunId::of(&files.iter().map(|f| f.bytes.as_slice()).collect::<Vec<_>>());
    files.push(run::manifest::output(&run_id, &run.manifest())?);
    Ok(RunOutputs { run_id, files })
}

/// The outputs of `segmint discover`: the feature outputs, assignments (.parquet, and .csv
/// as `copies` wants),
/// candidates (.json, .csv) and model.json, all of one run id (that of the tables and the
/// model).
pub fn discover_outputs(d: &Discovery, copies: CsvCopies) -> Result<RunOutputs> {
    let mut files = run::features::outputs(&d.run.features, &d.run.prepared)?;
    files.extend(run::assignments::outputs(
        Stage::Discover,
        &d.assignment,
        copies,
    )?);
    run_outputs(
        files,
        &d.run.manifest(),
        &candidates_of(&d.sweep, &d.proposal),
        &d.model,
    )
}

/// `candidates.json`'s content: every candidate of the sweep with its ranking, and the
/// proposal.
pub fn candidates_of(sweep: &Sweep, proposal: &Proposal) -> Candidates {
    Candidates {
        proposal: proposal.clone(),
        candidates: sweep
            .candidates
            .iter()
            .zip(&proposal.rankings)
            .map(|(c, r)| CandidateRecord::new(c, r))
            .collect(),
        k_distance: sweep.k_distance.clone(),
        skipped: sweep.skipped.clone(),
    }
}

/// A discovered run's files: the tables in `files` (features, matrix, assignments), then the
/// manifest, the candidates and the model, all of the run whose id the tables and the model
/// give.
pub fn run_outputs(
    mut files: Vec<Output>,
    manifest: &Manifest,
    candidates: &Candidates,
    model: &SegmentModel,
) -> Result<RunOutputs> {
    let body = run::json(model)?;
    let run_id = RunId::of(
        &files
            .iter()
            .map(|f| f.bytes.as_slice())
            .chain([body.as_slice()])
            .collect::<Vec<_>>(),
    );
    files.push(run::manifest::output(&run_id, manifest)?);
    files.extend(run::candidates::outputs(&run_id, candidates)?);
    files.push(run::model_file::output(&run_id, model)?);
    Ok(RunOutputs { run_id, files })
}

/// The outputs of `segmint profile` for run `run_id`: profiles (.parquet, .csv),
/// segments.json and the flagged customers (.parquet, .csv); with lookalike vectors attached,
/// also `lookalike/<id>-<name>.json` per segment.
pub fn profile_outputs(run_id: &RunId, p: &Profiles, copies: CsvCopies) -> Result<RunOutputs> {
    let mut files = run::profiles::outputs(p)?;
    files.push(run::segments::output(run_id, p)?);
    files.extend(run::flagged::outputs(p, copies)?);
    if let Some(space) = &p.lookalike_space {
        let vectors: Vec<_> = p
            .segments
            .iter()
            .filter_map(|s| s.lookalike.as_ref())
            .collect();
        files.extend(run::lookalike::outputs(run_id, space, &vectors)?);
    }
    Ok(RunOutputs {
        run_id: run_id.clone(),
        files,
    })
}
