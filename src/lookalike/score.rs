//! Prospect scoring: people who are not customers (or not yet in the segment) placed in the
//! model's space and ranked by how much they look like a segment.
//!
//! **Input** ([`read_prospects`]): a CSV (`,`, `;` or tab, decimal point), Parquet or Excel file (by its name, [`Format::of_path`]) with
//! an id column (`customer_id`, `id` or `prospect_id`) and raw feature columns named as in
//! `features.parquet` (`net_revenue`, `frequency`, `country`, ...). Columns the model does not
//! use are ignored; a feature column that is absent, or a blank value, is missing and handled
//! as prepare handles missing values (the median imputation recorded in the model, and the
//! missing indicator); unseen categorical levels count as `other`. All of it is counted in
//! the [`ProspectReport`].
//!
//! **Scores** ([`SegmentScorer`]), each in `[0, 1]`, higher = more like the segment:
//!
//! * `distance`: Euclidean distance to the segment's centroid in the scaled space;
//!   `closeness` = the share of the segment's own members that are at least as far from the
//!   centroid (1 at the centroid, 0.1 at the recommended threshold, 0 beyond every member);
//! * `probability`: a seed-vs-rest classifier — an L2-regularised logistic regression
//!   (`linfa-logistic`, L-BFGS from zero weights, so deterministic) trained on the run's
//!   customers, segment members against everyone else, in the same scaled space. It is the
//!   membership probability at the run's base rate;
//! * `score` = (closeness + probability) / 2, the ranking key (ties: smaller distance, then id).
//!
//! `linfa-logistic` was chosen over a hand-written regression after measuring it: its own
//! crates (argmin, argmin-math, a second `rand`) add about 9 s of compile time to a clean
//! build on 2 cores.
//!
//! **Reach curve** ([`reach_curve`]): how many prospects fall within each distance, at the
//! quantiles of the members' distances and at multiples of the recommended threshold.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use linfa::traits::Fit;
use ndarray::{Array1, ArrayView2};
use polars::prelude::*;
use serde::Serialize;

use super::vectors::{members_matrix, Threshold};
use crate::cluster::sq_dist_row;
use crate::config::{FileOptions, Format};
use crate::error::{Error, PolarsContext, Result};
use crate::features::{column_str, Features};
use crate::ingest::parse::Kind;
use crate::model::{Assignment, SegmentId, SegmentModel};
use crate::prepare::{Encoding, PrepareModel};

/// L2 weight of the classifier (linfa-logistic's `alpha`; its loss is summed over rows).
pub const CLASSIFIER_ALPHA: f64 = 1.0;

/// Rows without a value for one feature.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeatureCount {
    /// Feature.
    pub feature: String,
    /// Rows.
    pub rows: usize,
}

/// What was missing or unknown in the prospects file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProspectReport {
    /// The file.
    pub file: PathBuf,
    /// Prospects read.
    pub rows: usize,
    /// The id column used.
    pub id_column: String,
    /// Features the model uses that the file does not have: missing for every prospect.
    pub missing_columns: Vec<String>,
    /// Features with blank values (present columns only).
    pub missing_values: Vec<FeatureCount>,
    /// Categorical features with levels the model has not seen (placed as `other`).
    pub unseen_levels: Vec<FeatureCount>,
    /// Columns of the file the model does not use.
    pub ignored_columns: Vec<String>,
}

/// Prospects read and typed: ids and a feature table the model's transforms accept.
#[derive(Debug, Clone)]
pub struct Prospects {
    /// Prospect ids, in file order.
    pub ids: Vec<String>,
    /// One column per feature the model needs (numbers as `f64`, levels as text; missing as
    /// null).
    pub table: DataFrame,
    /// What was missing.
    pub report: ProspectReport,
}

/// The features a model's transforms read, and what each holds.
fn needed(model: &PrepareModel) -> Vec<(String, Kind)> {
    let mut out: Vec<(String, Kind)> = Vec::new();
    let mut add = |f: &str, k: Kind| {
        if !out.iter().any(|(g, _)| g == f) {
            out.push((f.to_string(), k));
        }
    };
    for c in &model.columns {
        match &c.encoding {
            Encoding::Numeric {
                feature, shrink, ..
            } => {
                add(feature, Kind::Number);
                if let Some(sh) = shrink {
                    add(&sh.trials, Kind::Number);
                }
            }
            Encoding::OneHot { feature, .. } => add(feature, Kind::Text),
            Encoding::Missing { .. } => {}
        }
    }
    for c in &model.columns {
        if let Encoding::Missing { features } = &c.encoding {
            // A feature known only through its missing indicator: only blank or not matters.
            add(&features[0], Kind::Text);
        }
    }
    out
}

/// Reads the prospects file (see the module documentation for its format).
pub fn read_prospects(path: &Path, model: &PrepareModel) -> Result<Prospects> {
    let format = Format::of_path(path);
    let mut opts = FileOptions::plain(path, format);
    if format == Format::Csv {
        let header = crate::ingest::file_columns("prospects", &opts)?;
        if header.len() == 1 {
            for d in [";", "\t"] {
                opts.delimiter = d.into();
                if crate::ingest::file_columns("prospects", &opts)?.len() > 1 {
                    break;
                }
                opts.delimiter = ",".into();
            }
        }
    }
    let header = crate::ingest::file_columns("prospects", &opts)?;
    let id_column = ["customer_id", "id", "prospect_id"]
        .iter()
        .find(|c| header.iter().any(|h| h == *c))
        .ok_or_else(|| {
            Error::Data(format!(
                "{}: no id column; name it `customer_id`, `id` or `prospect_id`. Columns in the file: {}",
                path.display(),
                header.join(", ")
            ))
        })?
        .to_string();
    let need = needed(model);
    let mut fields = vec![("__id".to_string(), id_column.clone())];
    let mut kinds: Vec<(&str, Kind)> = vec![("__id", Kind::Text)];
    for (f, k) in &need {
        if header.contains(f) {
            fields.push((f.clone(), f.clone()));
            kinds.push((f.as_str(), *k));
        }
    }
    let df = crate::ingest::read_typed("prospects", &opts, &fields, &kinds)?;
    let lines: Vec<Option<u64>> = df
        .column(crate::ingest::LINE)
        .and_then(|c| c.cast(&DataType::UInt64))
        .ctx("reading prospects")?
        .u64()
        .ctx("reading prospects")?
        .iter()
        .collect();
    let raw_ids = column_str(&df, "__id")?;
    let mut ids = Vec::with_capacity(raw_ids.len());
    let mut seen: BTreeMap<String, u64> = BTreeMap::new();
    for (id, line) in raw_ids.into_iter().zip(lines) {
        let line = line.unwrap_or(0);
        let Some(id) = id else {
            return Err(Error::InvalidValue {
                place: Box::new(crate::error::Place {
                    file: path.to_path_buf(),
                    line: line as usize,
                    column: id_column.clone(),
                    sheet: None,
                }),
                value: String::new(),
                rule: "is blank: every prospect needs an id".into(),
            });
        };
        if let Some(first) = seen.insert(id.clone(), line) {
            return Err(Error::InvalidValue {
                place: Box::new(crate::error::Place {
                    file: path.to_path_buf(),
                    line: line as usize,
                    column: id_column.clone(),
                    sheet: None,
                }),
                value: id,
                rule: format!("appears twice (first on line {first}): give each prospect one row"),
            });
        }
        ids.push(id);
    }
    let n = ids.len();
    let mut columns = vec![Column::new("customer_id".into(), ids.clone())];
    let mut missing_columns = Vec::new();
    let mut missing_values = Vec::new();
    let mut unseen_levels = Vec::new();
    for (f, k) in &need {
        if !header.contains(f) {
            missing_columns.push(f.clone());
            columns.push(match k {
                Kind::Number => Column::new(f.as_str().into(), vec![None::<f64>; n]),
                _ => Column::new(f.as_str().into(), vec![None::<String>; n]),
            });
            continue;
        }
        let c = df.column(f).ctx("reading prospects")?.clone();
        let blanks = c.null_count();
        if blanks > 0 {
            missing_values.push(FeatureCount {
                feature: f.clone(),
                rows: blanks,
            });
        }
        if *k == Kind::Text {
            let known: Vec<&String> = model
                .columns
                .iter()
                .filter_map(|c| match &c.encoding {
                    Encoding::OneHot {
                        feature,
                        level: Some(l),
                        ..
                    } if feature == f => Some(l),
                    _ => None,
                })
                .collect();
            let pooled: Vec<&String> = model
                .columns
                .iter()
                .filter_map(|c| match &c.encoding {
                    Encoding::OneHot {
                        feature,
                        level: None,
                        known,
                    } if feature == f => Some(known),
                    _ => None,
                })
                .flatten()
                .collect();
            if !known.is_empty() || !pooled.is_empty() {
                let unseen = column_str(&df, f)?
                    .iter()
                    .flatten()
                    .filter(|v| !known.contains(v) && !pooled.contains(v))
                    .count();
                if unseen > 0 {
                    unseen_levels.push(FeatureCount {
                        feature: f.clone(),
                        rows: unseen,
                    });
                }
            }
        }
        columns.push(c.with_name(f.as_str().into()));
    }
    let table = DataFrame::new_infer_height(columns).ctx("building the prospects table")?;
    let ignored_columns = header
        .iter()
        .filter(|h| **h != id_column && !need.iter().any(|(f, _)| f == *h))
        .cloned()
        .collect();
    Ok(Prospects {
        ids,
        table,
        report: ProspectReport {
            file: path.to_path_buf(),
            rows: n,
            id_column,
            missing_columns,
            missing_values,
            unseen_levels,
            ignored_columns,
        },
    })
}

/// The seed-vs-rest classifier: a fitted logistic regression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Classifier {
    /// Intercept.
    pub intercept: f64,
    /// One weight per scaled column.
    pub weights: Vec<f64>,
    /// Members it was trained on.
    pub members: usize,
    /// Non-members it was trained on.
    pub others: usize,
    /// L2 weight.
    pub alpha: f64,
}

impl Classifier {
    /// Fits members (`true`) against the rest.
    pub fn fit(x: ArrayView2<f64>, is_member: &[bool]) -> Result<Classifier> {
        let members = is_member.iter().filter(|&&m| m).count();
        let others = is_member.len() - members;
        if members == 0 || others == 0 {
            return Err(Error::Data(format!(
                "the seed-vs-rest classifier needs members and non-members, got {members} and {others}"
            )));
        }
        let y: Array1<bool> = is_member.iter().copied().collect();
        let data = linfa::Dataset::new(x.to_owned(), y);
        let fitted = linfa_logistic::LogisticRegression::default()
            .alpha(CLASSIFIER_ALPHA)
            .max_iterations(200)
            .fit(&data)
            .map_err(|e| {
                Error::Data(format!(
                    "the seed-vs-rest classifier could not be fitted: {e}"
                ))
            })?;
        // linfa labels the classes itself; make `probability` that of membership.
        let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
        Ok(Classifier {
            intercept: sign * fitted.intercept(),
            weights: fitted.params().iter().map(|w| sign * w).collect(),
            members,
            others,
            alpha: CLASSIFIER_ALPHA,
        })
    }

    /// Membership probability of one scaled row.
    pub fn probability(&self, row: ndarray::ArrayView1<f64>) -> f64 {
        let z: f64 = self.intercept
            + row
                .iter()
                .zip(&self.weights)
                .map(|(x, w)| x * w)
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }
}

/// One prospect's scores.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Score {
    /// Distance to the centroid in the scaled space.
    pub distance: f64,
    /// Share of the segment's members at least as far from the centroid.
    pub closeness: f64,
    /// Seed-vs-rest membership probability.
    pub probability: f64,
    /// (closeness + probability) / 2.
    pub score: f64,
}

/// Everything needed to score people against one segment.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentScorer {
    /// The segment's centroid in the scaled space.
    pub centroid: Vec<f64>,
    /// The members' distances to it, sorted.
    pub member_distances: Vec<f64>,
    /// The recommended threshold.
    pub threshold: Threshold,
    /// The seed-vs-rest classifier.
    pub classifier: Classifier,
}

impl SegmentScorer {
    /// Fits on scaled rows `x` with their membership. The centroid is `centroid` (the model's)
    /// or else the members' mean.
    pub fn fit(
        x: ArrayView2<f64>,
        is_member: &[bool],
        centroid: Option<&[f64]>,
    ) -> Result<SegmentScorer> {
        let members: Vec<usize> = (0..is_member.len()).filter(|&i| is_member[i]).collect();
        if members.is_empty() {
            return Err(Error::Data(
                "the segment has no members to score against".into(),
            ));
        }
        let centroid = match centroid {
            Some(c) => c.to_vec(),
            None => {
                let mut c = vec![0.0; x.ncols()];
                for &i in &members {
                    for (cj, v) in c.iter_mut().zip(x.row(i)) {
                        *cj += v;
                    }
                }
                c.iter().map(|v| v / members.len() as f64).collect()
            }
        };
        let mut member_distances: Vec<f64> = members
            .iter()
            .map(|&i| sq_dist_row(x.row(i), &centroid).sqrt())
            .collect();
        member_distances.sort_by(f64::total_cmp);
        let threshold = Threshold::from_distances(&member_distances);
        let classifier = Classifier::fit(x, is_member)?;
        Ok(SegmentScorer {
            centroid,
            member_distances,
            threshold,
            classifier,
        })
    }

    /// Share of members at least `d` from the centroid.
    pub fn closeness(&self, d: f64) -> f64 {
        let closer = self.member_distances.partition_point(|&m| m < d);
        1.0 - closer as f64 / self.member_distances.len() as f64
    }

    /// Scores scaled rows.
    pub fn score(&self, x: ArrayView2<f64>) -> Vec<Score> {
        x.rows()
            .into_iter()
            .map(|row| {
                let distance = sq_dist_row(row, &self.centroid).sqrt();
                let closeness = self.closeness(distance);
                let probability = self.classifier.probability(row);
                Score {
                    distance,
                    closeness,
                    probability,
                    score: (closeness + probability) / 2.0,
                }
            })
            .collect()
    }
}

/// A ranked prospect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    /// Prospect id.
    pub id: String,
    /// The scores.
    #[serde(flatten)]
    pub score: Score,
    /// 1 = most like the segment.
    pub rank: usize,
    /// Within the recommended threshold.
    pub within_threshold: bool,
}

/// Ranks by score (descending), then distance, then id.
pub fn rank(ids: &[String], scores: &[Score], threshold: f64) -> Vec<Ranked> {
    let mut order: Vec<usize> = (0..ids.len()).collect();
    order.sort_by(|&a, &b| {
        scores[b]
            .score
            .total_cmp(&scores[a].score)
            .then(scores[a].distance.total_cmp(&scores[b].distance))
            .then(ids[a].cmp(&ids[b]))
    });
    order
        .into_iter()
        .enumerate()
        .map(|(r, i)| Ranked {
            id: ids[i].clone(),
            score: scores[i],
            rank: r + 1,
            within_threshold: scores[i].distance <= threshold,
        })
        .collect()
}

pub use crate::model::ReachMark;

/// One point of the reach curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReachPoint {
    /// What the distance is, as a fact.
    pub mark: ReachMark,
    /// The same in English words (`members p90 (recommended threshold)`, `2 x threshold`,
    /// ...; [`crate::i18n::Lang::reach_mark`]), as the reach CSV writes it.
    pub label: String,
    /// Distance to the centroid in the scaled space.
    pub distance: f64,
    /// Share of the segment's members within it.
    pub members_within: f64,
    /// Prospects within it.
    pub prospects_within: usize,
    /// Share of the prospects within it.
    pub prospects_share: f64,
}

/// How many prospects fall within each distance: the deciles of the members' distances, their
/// 95th and 99th percentiles, and 1.25, 1.5 and 2 times the recommended threshold.
pub fn reach_curve(scorer: &SegmentScorer, prospect_distances: &[f64]) -> Vec<ReachPoint> {
    let mut sorted = prospect_distances.to_vec();
    sorted.sort_by(f64::total_cmp);
    let members = &scorer.member_distances;
    let mut points: Vec<(ReachMark, f64)> = Vec::new();
    for q in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0] {
        let d = crate::prepare::quantile_sorted(members, q);
        let mark = if q == 1.0 && q != scorer.threshold.quantile {
            ReachMark::Farthest
        } else {
            ReachMark::Members {
                percent: (q * 100.0).round() as u32,
                recommended: q == scorer.threshold.quantile,
            }
        };
        points.push((mark, d));
    }
    for m in [1.25, 1.5, 2.0] {
        points.push((
            ReachMark::Threshold { times: m },
            m * scorer.threshold.distance,
        ));
    }
    points.sort_by(|a, b| a.1.total_cmp(&b.1));
    let n = sorted.len().max(1) as f64;
    points
        .into_iter()
        .map(|(mark, distance)| {
            let within = sorted.partition_point(|&d| d <= distance);
            ReachPoint {
                mark,
                label: crate::i18n::Lang::En.reach_mark(&mark),
                distance,
                members_within: members.partition_point(|&d| d <= distance) as f64
                    / members.len().max(1) as f64,
                prospects_within: within,
                prospects_share: within as f64 / n,
            }
        })
        .collect()
}

/// ROC AUC of scores of positives against negatives (Mann–Whitney: the probability that a
/// random positive scores above a random negative, ties counting half). `None` when either
/// side is empty.
pub fn roc_auc(positives: &[f64], negatives: &[f64]) -> Option<f64> {
    if positives.is_empty() || negatives.is_empty() {
        return None;
    }
    let mut neg = negatives.to_vec();
    neg.sort_by(f64::total_cmp);
    let mut wins = 0.0;
    for &p in positives {
        let below = neg.partition_point(|&n| n < p);
        let ties = neg.partition_point(|&n| n <= p) - below;
        wins += below as f64 + 0.5 * ties as f64;
    }
    Some(wins / (positives.len() as f64 * neg.len() as f64))
}

/// The counts of a scoring run (`FILE.summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreSummary {
    /// The segment (`1`, `2`, ...).
    pub segment: crate::model::SegmentLabel,
    /// Segment name.
    pub segment_name: String,
    /// Members of the segment in the run.
    pub members: usize,
    /// What was missing in the prospects.
    pub prospects: ProspectReport,
    /// The recommended threshold.
    pub threshold: Threshold,
    /// Prospects within it.
    pub within_threshold: usize,
    /// Prospects with a membership probability of at least 0.5.
    pub probability_above_half: usize,
    /// The classifier.
    pub classifier: Classifier,
    /// How the score is built.
    pub score_rule: String,
}

/// A scoring run: the ranked prospects, the reach curve and the summary.
#[derive(Debug, Clone)]
pub struct ScoreRun {
    /// Prospects, best first.
    pub ranked: Vec<Ranked>,
    /// The reach curve.
    pub reach: Vec<ReachPoint>,
    /// The counts.
    pub summary: ScoreSummary,
}

/// Scores prospects against segment `segment` of a run: the classifier is trained
/// on the run's customers (`features`, `assignment`) in the model's space.
pub fn score_prospects(
    model: &SegmentModel,
    features: &Features,
    assignment: &Assignment,
    segment: SegmentId,
    segment_name: &str,
    prospects: &Prospects,
) -> Result<ScoreRun> {
    let centroid = model.centroids.get(segment.index()).ok_or_else(|| {
        Error::Data(format!(
            "the model has {} segments, so there is no segment {segment}",
            model.k
        ))
    })?;
    let (x, seg) = members_matrix(features, assignment, model)?;
    let is_member: Vec<bool> = seg.iter().map(|s| *s == Some(segment)).collect();
    let scorer = SegmentScorer::fit(x.view(), &is_member, Some(centroid))?;
    let px = model.prepare.transform(&prospects.table)?;
    let scores = scorer.score(px.view());
    let ranked = rank(&prospects.ids, &scores, scorer.threshold.distance);
    let distances: Vec<f64> = scores.iter().map(|s| s.distance).collect();
    let reach = reach_curve(&scorer, &distances);
    let summary = ScoreSummary {
        segment: crate::model::SegmentLabel::Segment(segment),
        segment_name: segment_name.to_string(),
        members: scorer.member_distances.len(),
        prospects: prospects.report.clone(),
        within_threshold: ranked.iter().filter(|r| r.within_threshold).count(),
        probability_above_half: scores.iter().filter(|s| s.probability >= 0.5).count(),
        threshold: scorer.threshold.clone(),
        classifier: scorer.classifier.clone(),
        score_rule: "score = (closeness + probability) / 2; closeness = share of the segment's \
            members at least as far from its centroid; probability = seed-vs-rest logistic \
            regression"
            .into(),
    };
    Ok(ScoreRun {
        ranked,
        reach,
        summary,
    })
}

/// The ranking as CSV: `id,score,rank,distance,closeness,probability,within_threshold`.
pub fn ranking_csv(ranked: &[Ranked]) -> Vec<u8> {
    let mut out = String::from("id,score,rank,distance,closeness,probability,within_threshold\n");
    for r in ranked {
        out.push_str(&format!(
            "{},{:.6},{},{:.6},{:.6},{:.6},{}\n",
            super::csv_field(&r.id),
            r.score.score,
            r.rank,
            r.score.distance,
            r.score.closeness,
            r.score.probability,
            r.within_threshold
        ));
    }
    out.into_bytes()
}

/// The reach curve as CSV: `label,distance,members_within,prospects_within,prospects_share`.
pub fn reach_csv(reach: &[ReachPoint]) -> Vec<u8> {
    let mut out = String::from("label,distance,members_within,prospects_within,prospects_share\n");
    for p in reach {
        out.push_str(&format!(
            "{},{:.6},{:.4},{},{:.4}\n",
            super::csv_field(&p.label),
            p.distance,
            p.members_within,
            p.prospects_within,
            p.prospects_share
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn auc_by_hand() {
        // Pairs (p, n): 3>1, 3>2, 3>2.5; 2=2 (half), 2>1, 2<2.5; 0.5<all.
        // Wins: 3 + 1.5 + 0 = 4.5 of 9.
        let auc = roc_auc(&[3.0, 2.0, 0.5], &[1.0, 2.0, 2.5]).unwrap();
        assert!((auc - 0.5).abs() < 1e-12, "{auc}");
        assert_eq!(roc_auc(&[2.0, 3.0], &[0.0, 1.0]), Some(1.0));
        assert_eq!(roc_auc(&[0.0], &[1.0, 2.0]), Some(0.0));
        assert_eq!(roc_auc(&[], &[1.0]), None);
    }

    #[test]
    fn closeness_and_ranking() {
        let x = array![
            [0.0, 0.0],
            [1.0, 0.0],
            [0.0, 2.0],
            [5.0, 5.0],
            [6.0, 5.0],
            [5.0, 6.0]
        ];
        let member = [true, true, true, false, false, false];
        let s = SegmentScorer::fit(x.view(), &member, None).unwrap();
        assert_eq!(s.centroid, vec![1.0 / 3.0, 2.0 / 3.0]);
        assert_eq!(s.closeness(0.0), 1.0);
        assert_eq!(s.closeness(100.0), 0.0);
        let near = array![[0.2, 0.5], [5.5, 5.5], [2.0, 2.0]];
        let scores = s.score(near.view());
        assert!(
            scores[0].probability > 0.5 && scores[1].probability < 0.5,
            "{scores:?}"
        );
        let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let r = rank(&ids, &scores, s.threshold.distance);
        assert_eq!(
            r.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
            ["a", "c", "b"]
        );
        assert_eq!(r[0].rank, 1);
        assert!(r[0].within_threshold && !r[2].within_threshold);
        let reach = reach_curve(&s, &scores.iter().map(|s| s.distance).collect::<Vec<_>>());
        assert!(reach.windows(2).all(|w| w[0].distance <= w[1].distance));
        assert_eq!(
            reach.last().unwrap().prospects_within,
            reach.iter().map(|p| p.prospects_within).max().unwrap()
        );
    }
}
