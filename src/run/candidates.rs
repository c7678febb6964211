//! `candidates.json` (the proposal and every candidate with every score, DBSCAN's k-distance
//! curves and the candidates that could not be fitted) and `candidates.csv` (one row per
//! candidate). Written by `discover`. No personal data.

use std::path::Path;

use polars::prelude::*;
use serde::{Deserialize, Serialize};

use super::{csv, json, names, read_json, Output, RunId, Stage, Stamped};
use crate::cluster::sweep::{Candidate, KDistance, Scores};
use crate::error::{PolarsContext, Result};
use crate::model::selection::{Proposal, Ranking};
use crate::model::Algorithm;

/// `candidates.json` (after its header).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Candidates {
    /// The selection, its reason, and what each index prefers.
    pub proposal: Proposal,
    /// Every candidate, in sweep order.
    pub candidates: Vec<CandidateRecord>,
    /// DBSCAN's k-distance curves (for the eps chart).
    #[serde(default)]
    pub k_distance: Vec<KDistance>,
    /// The ids of the candidates that could not be fitted (files of segmint 0.1 hold a
    /// sentence after the id).
    #[serde(default)]
    pub skipped: Vec<String>,
}

/// One candidate with its scores and its place in the selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateRecord {
    /// Identifier, e.g. `kmeans-k4`.
    pub id: String,
    /// Algorithm.
    pub algorithm: Algorithm,
    /// Segments (noise not counted).
    pub k: usize,
    /// k-means: the seed of the kept fit; empty when it started from the fit with one segment
    /// more, its cheapest pair merged.
    #[serde(default)]
    pub seed: Option<u64>,
    /// DBSCAN radius.
    pub eps: Option<f64>,
    /// DBSCAN min_samples.
    pub min_samples: Option<usize>,
    /// Scores.
    pub scores: Scores,
    /// Composite score.
    pub composite: Option<f64>,
    /// Every rule met.
    pub eligible: bool,
    /// The rules not met.
    pub fails: Vec<crate::model::selection::RuleFailure>,
    /// The proposal.
    pub chosen: bool,
}

impl CandidateRecord {
    /// What the candidate is, in facts ([`CandidateSpec`](crate::model::CandidateSpec)).
    pub fn spec(&self) -> Option<crate::model::CandidateSpec> {
        crate::model::CandidateSpec::of(
            &self.id,
            self.algorithm,
            self.k,
            self.eps,
            self.min_samples,
        )
    }

    /// A candidate with its ranking.
    pub fn new(c: &Candidate, r: &Ranking) -> CandidateRecord {
        CandidateRecord {
            id: c.id.clone(),
            algorithm: c.algorithm,
            k: c.k,
            seed: c.seed,
            eps: c.eps,
            min_samples: c.min_samples,
            scores: c.scores.clone(),
            composite: r.composite,
            eligible: r.eligible,
            fails: r.fails.clone(),
            chosen: r.chosen,
        }
    }
}

/// `candidates.csv` as a frame.
pub fn frame(rows: &[CandidateRecord]) -> Result<DataFrame> {
    let f = |g: &dyn Fn(&CandidateRecord) -> Option<f64>| {
        rows.iter().map(g).collect::<Vec<Option<f64>>>()
    };
    DataFrame::new_infer_height(vec![
        Column::new(
            "id".into(),
            rows.iter().map(|r| r.id.clone()).collect::<Vec<_>>(),
        ),
        Column::new(
            "algorithm".into(),
            rows.iter()
                .map(|r| r.algorithm.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "k".into(),
            rows.iter().map(|r| r.k as u32).collect::<Vec<_>>(),
        ),
        Column::new(
            "seed".into(),
            rows.iter().map(|r| r.seed).collect::<Vec<_>>(),
        ),
        Column::new("eps".into(), f(&|r| r.eps)),
        Column::new(
            "min_samples".into(),
            rows.iter()
                .map(|r| r.min_samples.map(|m| m as u32))
                .collect::<Vec<_>>(),
        ),
        Column::new("inertia".into(), f(&|r| r.scores.inertia)),
        Column::new("silhouette".into(), f(&|r| r.scores.silhouette)),
        Column::new(
            "calinski_harabasz".into(),
            f(&|r| r.scores.calinski_harabasz),
        ),
        Column::new("davies_bouldin".into(), f(&|r| r.scores.davies_bouldin)),
        Column::new("stability_seeds".into(), f(&|r| r.scores.stability_seeds)),
        Column::new(
            "stability_bootstrap".into(),
            f(&|r| r.scores.stability_bootstrap),
        ),
        Column::new("stability".into(), f(&|r| r.scores.stability)),
        Column::new("gap".into(), f(&|r| r.scores.gap)),
        Column::new("gap_se".into(), f(&|r| r.scores.gap_se)),
        Column::new(
            "segment_stability".into(),
            f(&|r| r.scores.segment_stability),
        ),
        Column::new("valley".into(), f(&|r| r.scores.valley)),
        Column::new("trait_gap".into(), f(&|r| r.scores.trait_gap)),
        Column::new("trait_gap_se".into(), f(&|r| r.scores.trait_gap_se)),
        Column::new(
            "smallest_share".into(),
            f(&|r| Some(r.scores.smallest_share)),
        ),
        Column::new("noise_share".into(), f(&|r| Some(r.scores.noise_share))),
        Column::new("composite".into(), f(&|r| r.composite)),
        Column::new(
            "eligible".into(),
            rows.iter().map(|r| r.eligible).collect::<Vec<_>>(),
        ),
        Column::new(
            "fails".into(),
            rows.iter()
                .map(|r| crate::i18n::Lang::En.rule_failures(&r.fails))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "chosen".into(),
            rows.iter().map(|r| r.chosen).collect::<Vec<_>>(),
        ),
    ])
    .ctx("building the candidates table")
}

/// The two files.
pub fn outputs(run_id: &RunId, c: &Candidates) -> Result<Vec<Output>> {
    Ok(vec![
        Output::shared(
            Stage::Discover,
            names::CANDIDATES_CSV,
            csv(&frame(&c.candidates)?)?,
        ),
        Output::shared(
            Stage::Discover,
            names::CANDIDATES,
            json(&Stamped::new(run_id, c))?,
        ),
    ])
}

/// Reads `candidates.json` of a run folder.
pub fn read(dir: &Path) -> Result<Stamped<Candidates>> {
    read_json(&dir.join(names::CANDIDATES), "candidates.json")
}
