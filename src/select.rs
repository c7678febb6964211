//! Selection: from the scored candidates, the proposal an analyst can defend.
//!
//! The rule, in order:
//! 1. **Eligible** candidates have 2 to `max_segments` segments, every segment holding at
//!    least `min_share` of the customers, at most `max_noise` unassigned, and a stability
//!    (mean adjusted Rand index across seeds and bootstrap subsamples) of at least
//!    `min_stability`.
//! 2. Each candidate gets a **composite** score: the mean of its silhouette, Calinski–Harabasz
//!    and (inverted) Davies–Bouldin, each min–max normalised over all candidates, so no single
//!    index decides.
//! 3. Among eligible candidates whose composite is within `near_tie` of the best, the one with
//!    the **fewest segments** wins (four workable segments beat twenty); then the higher
//!    composite; then k-means before DBSCAN.
//! 4. If no candidate is eligible, the best composite wins and the proposal says which rule
//!    nothing met.
//!
//! The k each index prefers on its own (elbow of the inertia, best silhouette, best
//! Calinski–Harabasz, best Davies–Bouldin) is reported; when they disagree the proposal says so.

use serde::{Deserialize, Serialize};

use crate::cluster::metrics::{centroids, knee};
use crate::cluster::sweep::{Algorithm, Candidate, Sweep};
use crate::config::ClusterOptions;
use crate::error::{Error, Result};

/// What the analyst forced.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides {
    /// Use k-means with this k.
    pub k: Option<usize>,
    /// Only consider this algorithm.
    pub algorithm: Option<Algorithm>,
}

/// A candidate's place in the selection.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Ranking {
    /// Candidate id.
    pub id: String,
    /// Composite score (0–1), if the candidate has at least 2 segments.
    pub composite: Option<f64>,
    /// Whether every rule is met.
    pub eligible: bool,
    /// The rules not met.
    pub fails: Vec<String>,
    /// Whether this is the proposal.
    pub chosen: bool,
}

/// The k one index prefers.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct IndexChoice {
    /// Index name.
    pub index: String,
    /// The k-means k it prefers.
    pub k: usize,
}

/// The proposal.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Proposal {
    /// The chosen candidate.
    pub chosen: String,
    /// Why, in a sentence.
    pub reason: String,
    /// Every candidate's ranking, in sweep order.
    pub rankings: Vec<Ranking>,
    /// What each index prefers among the k-means candidates.
    pub preferred_k: Vec<IndexChoice>,
    /// A sentence when the indices disagree.
    pub disagreement: Option<String>,
}

fn normalise(values: &[Option<f64>], higher_is_better: bool) -> Vec<Option<f64>> {
    let present: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let (lo, hi) = present
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    values
        .iter()
        .map(|v| {
            v.filter(|v| v.is_finite()).map(|v| {
                let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
                if higher_is_better {
                    t
                } else {
                    1.0 - t
                }
            })
        })
        .collect()
}

fn fails(c: &Candidate, o: &ClusterOptions) -> Vec<String> {
    let s = &c.scores;
    let mut f = Vec::new();
    if c.k < 2 {
        f.push("fewer than 2 segments".to_string());
    }
    if c.k > o.max_segments {
        f.push(format!("more than {} segments", o.max_segments));
    }
    if s.smallest_share < o.min_share {
        f.push(format!(
            "smallest segment {:.1}% < {:.1}%",
            100.0 * s.smallest_share,
            100.0 * o.min_share
        ));
    }
    if s.noise_share > o.max_noise {
        f.push(format!(
            "{:.1}% unassigned > {:.1}%",
            100.0 * s.noise_share,
            100.0 * o.max_noise
        ));
    }
    match s.stability {
        Some(st) if st < o.min_stability => {
            f.push(format!("stability {st:.2} < {:.2}", o.min_stability))
        }
        None => f.push("no stability score".into()),
        _ => {}
    }
    f
}

/// Applies the selection rule (see the module documentation).
pub fn select(sweep: &Sweep, o: &ClusterOptions, over: Overrides) -> Result<Proposal> {
    let cands = &sweep.candidates;
    if cands.is_empty() {
        return Err(Error::Data(
            "no candidate segmentation could be fitted".into(),
        ));
    }
    let sil = normalise(
        &cands
            .iter()
            .map(|c| c.scores.silhouette)
            .collect::<Vec<_>>(),
        true,
    );
    let ch = normalise(
        &cands
            .iter()
            .map(|c| c.scores.calinski_harabasz)
            .collect::<Vec<_>>(),
        true,
    );
    let db = normalise(
        &cands
            .iter()
            .map(|c| c.scores.davies_bouldin)
            .collect::<Vec<_>>(),
        false,
    );
    let mut rankings: Vec<Ranking> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let parts: Vec<f64> = [sil[i], ch[i], db[i]].into_iter().flatten().collect();
            let composite = (parts.len() == 3).then(|| parts.iter().sum::<f64>() / 3.0);
            let f = fails(c, o);
            Ranking {
                id: c.id.clone(),
                composite,
                eligible: f.is_empty() && composite.is_some(),
                fails: f,
                chosen: false,
            }
        })
        .collect();
    let allowed = |c: &Candidate| over.algorithm.is_none_or(|a| a == c.algorithm);
    let chosen: usize;
    let reason: String;
    if let Some(k) = over.k {
        chosen = cands
            .iter()
            .position(|c| c.algorithm == Algorithm::KMeans && c.k == k)
            .ok_or_else(|| {
                Error::Data(format!(
                    "--k {k}: no k-means candidate with k = {k}; set [cluster] k_min/k_max to include it"
                ))
            })?;
        reason = format!("k = {k} was forced with --k");
    } else {
        let pool: Vec<usize> = (0..cands.len())
            .filter(|&i| allowed(&cands[i]) && rankings[i].composite.is_some())
            .collect();
        if pool.is_empty() {
            return Err(Error::Data(
                "no candidate with at least 2 segments to choose from".into(),
            ));
        }
        let eligible: Vec<usize> = pool
            .iter()
            .copied()
            .filter(|&i| rankings[i].eligible)
            .collect();
        let comp = |i: usize| rankings[i].composite.unwrap_or(f64::NEG_INFINITY);
        if eligible.is_empty() {
            chosen = *pool
                .iter()
                .max_by(|&&a, &&b| comp(a).total_cmp(&comp(b)).then(b.cmp(&a)))
                .expect("non-empty pool");
            reason = format!(
                "no candidate met every rule ({}); the best composite score was taken",
                rankings[chosen].fails.join("; ")
            );
        } else {
            let best = eligible
                .iter()
                .map(|&i| comp(i))
                .fold(f64::NEG_INFINITY, f64::max);
            let near: Vec<usize> = eligible
                .iter()
                .copied()
                .filter(|&i| comp(i) >= best - o.near_tie)
                .collect();
            chosen = *near
                .iter()
                .min_by(|&&a, &&b| {
                    cands[a]
                        .k
                        .cmp(&cands[b].k)
                        .then(comp(b).total_cmp(&comp(a)))
                        .then(cands[a].algorithm.cmp(&cands[b].algorithm))
                        .then(a.cmp(&b))
                })
                .expect("non-empty near-ties");
            reason = if near.len() > 1 {
                format!(
                    "{} of {} eligible candidates are within {:.2} of the best composite score; of those, {} has the fewest segments ({})",
                    near.len(),
                    eligible.len(),
                    o.near_tie,
                    cands[chosen].id,
                    cands[chosen].k
                )
            } else {
                format!(
                    "{} has the best composite score of the {} eligible candidates",
                    cands[chosen].id,
                    eligible.len()
                )
            };
        }
    }
    rankings[chosen].chosen = true;

    // What each index prefers among the k-means candidates.
    let km: Vec<&Candidate> = cands
        .iter()
        .filter(|c| c.algorithm == Algorithm::KMeans)
        .collect();
    let mut preferred_k = Vec::new();
    let ks: Vec<f64> = km.iter().map(|c| c.k as f64).collect();
    let inertias: Vec<f64> = km
        .iter()
        .map(|c| c.scores.inertia.unwrap_or(f64::NAN))
        .collect();
    if let Some(i) = knee(&ks, &inertias) {
        preferred_k.push(IndexChoice {
            index: "elbow (inertia)".into(),
            k: km[i].k,
        });
    }
    let mut best_by = |name: &str, f: &dyn Fn(&Candidate) -> Option<f64>| {
        if let Some(c) = km
            .iter()
            .filter(|c| f(c).is_some())
            .max_by(|a, b| f(a).unwrap().total_cmp(&f(b).unwrap()).then(b.k.cmp(&a.k)))
        {
            preferred_k.push(IndexChoice {
                index: name.into(),
                k: c.k,
            });
        }
    };
    best_by("silhouette", &|c| c.scores.silhouette);
    best_by("Calinski–Harabasz", &|c| c.scores.calinski_harabasz);
    best_by("Davies–Bouldin", &|c| c.scores.davies_bouldin.map(|v| -v));
    let distinct: std::collections::BTreeSet<usize> = preferred_k.iter().map(|p| p.k).collect();
    let disagreement = (distinct.len() > 1).then(|| {
        format!(
            "The indices disagree: {}. The proposal ({}, {} segments) follows the rule above, not a single index.",
            preferred_k
                .iter()
                .map(|p| format!("{} says {}", p.index, p.k))
                .collect::<Vec<_>>()
                .join(", "),
            cands[chosen].id,
            cands[chosen].k
        )
    });
    Ok(Proposal {
        chosen: cands[chosen].id.clone(),
        reason,
        rankings,
        preferred_k,
        disagreement,
    })
}

/// Renumbers segments by size (largest first), ties by centroid (lexicographic), so segment
/// ids are the same across runs with the same input and seed. Returns the new labels and,
/// for each new id, the old one.
pub fn relabel(
    x: ndarray::ArrayView2<f64>,
    labels: &[Option<usize>],
) -> (Vec<Option<usize>>, Vec<usize>) {
    let (c, sizes) = centroids(x, labels);
    let mut order: Vec<usize> = (0..sizes.len()).filter(|&j| sizes[j] > 0).collect();
    order.sort_by(|&a, &b| {
        sizes[b].cmp(&sizes[a]).then_with(|| {
            c.row(a)
                .iter()
                .zip(c.row(b).iter())
                .map(|(x, y)| x.total_cmp(y))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        })
    });
    let mut new_of = vec![usize::MAX; sizes.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of[old] = new;
    }
    (labels.iter().map(|l| l.map(|l| new_of[l])).collect(), order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn relabel_orders_by_size_then_centroid() {
        let x = array![[5.0], [0.0], [1.0], [9.0], [0.5]];
        let labels = vec![Some(2), Some(0), Some(0), Some(1), None];
        let (new, order) = relabel(x.view(), &labels);
        // Cluster 0 (two points) first; clusters 2 (x=5) and 1 (x=9) tie on size: 5 < 9.
        assert_eq!(order, vec![0, 2, 1]);
        assert_eq!(new, vec![Some(1), Some(0), Some(0), Some(2), None]);
    }

    #[test]
    fn normalise_inverts_when_lower_is_better() {
        let v = normalise(&[Some(1.0), Some(3.0), None], false);
        assert_eq!(v, vec![Some(1.0), Some(0.0), None]);
    }
}
