//! The facts of a proposal: the rules the selection applies (their thresholds), what it
//! found (the structure verdict, the indices' votes, the ranking) and why it chose what it
//! chose. [`crate::select`] makes them; [`crate::i18n`] words them; the run folder stores
//! them (`candidates.json`).

use serde::{Deserialize, Serialize};

/// The stability a k must reach to count as reproducible for the "most stable k" view.
pub const STABLE: f64 = 0.9;

/// A candidate whose every segment has a density valley below this toward its nearest
/// segment ([`crate::cluster::metrics::valley`]) is *separated*: its segments are apart, not
/// one lump cut in pieces. On the truth bench (generator seeds 42, 7 and 1–5) 0.85 and 0.9
/// give the same proposals and 0.75–0.8 lose borderline splits (README, "Truth bench").
pub const SEPARATED: f64 = 0.85;

/// Separated candidates are preferred only this close (in segments) to the three views' k.
/// Replayed on the truth bench's candidate dumps (generator seeds 42 and 1–5): 2 never lowers
/// a shop's ARI against no limit, 1 lost `minimal3`'s planted 3 on seed 42 (0.90 → 0.64);
/// no limit proposed k = 2 (valley 0.66) where the views said 6 on a shoe shop the rule had
/// not seen (ARI 0.37; 0.66 at the k = 5 this limit gives).
pub const NEAR: usize = 2;

/// When no split near the views' k is separated, the largest separated one below it is
/// proposed, but not one of fewer segments than this: a 2-segment proposal far below the
/// views was the useless split of shops the rule had not seen (a shoe shop: views 6, only
/// k = 2 separated, ARI 0.37 against 0.66 at k = 5). Replayed on the truth bench's candidate
/// dumps (generator seeds 42, 7 and 1–5, 63 shops): `minimal3`, whose views overshoot its 3
/// segments to 4–8 where every split cuts a lump (valley 1.0), 0.40–0.67 → 0.88–0.91 on the
/// three seeds where it failed; no shop lower.
pub const FALL_MIN: usize = 3;

/// A shop shows clear segments only if some k-means split has a density valley below this:
/// at least a slight dip between two segments. One population cut by k-means has valleys of
/// 1.0 (the truth bench's `uniform`: 1.0 at every k); with [`SEPARATED`] here instead, shops
/// with planted segments whose best valley was 0.85–0.95 (`electronics4` on generator seeds
/// 1, 2 and 5) were called "no clear segments".
pub const DIP: f64 = 0.95;

/// A split with one more segment than the proposal's is *reproduced* when its bootstrap
/// refits agree with it at least this well (adjusted Rand index) ...
pub const REPRODUCED: f64 = 0.99;

/// ... and each of its segments is found again in them, its least stable segment with at
/// least this Jaccard similarity: then every resample finds that segment too, and it is
/// proposed (one step up, never more) if its segments show at least a slight dip between
/// them (valley below [`DIP`]).
pub const REPRODUCED_SEGMENT: f64 = 0.95;

/// Below this gap (in log units of the within-cluster sum of squares), segments are not
/// clearly tighter than a reference without clusters, whatever the standard error.
pub const MIN_GAP: f64 = 0.05;

/// Below this gap against the trait reference (each family of traits shuffled among
/// customers with the same number of orders, [`crate::cluster::sweep::Traits`]), the
/// customers' traits do not go together into groups: what sets segments apart is a single
/// all-or-nothing trait or the number of orders. Measured (largest trait gap over k = 2–12,
/// truth bench on 15 generator seeds and `benches/unseen`): shops of one population
/// 0.04–0.08 (`uniform`, `oneoff`, and `flat` of `benches/unseen`, whose one-time buyers
/// made six "clear" segments of "ever returned" and "any discount"), shops with planted
/// segments 0.14 and more. Segments that differ inside one family only are missed (README).
pub const MIN_TRAIT_GAP: f64 = 0.1;

/// The number of segments of the most actionable split, offered when the shop shows no clear
/// structure: a few groups a marketing team can act on.
pub const ACTIONABLE: std::ops::RangeInclusive<usize> = 3..=6;

/// A selection rule a candidate does not meet, with its numbers.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum RuleFailure {
    /// Fewer than 2 segments.
    TooFewSegments,
    /// More segments than allowed.
    TooManySegments {
        /// Segments of the candidate.
        segments: usize,
        /// The most allowed.
        max: usize,
    },
    /// The smallest segment is too small.
    SmallSegment {
        /// Its share of customers.
        share: f64,
        /// The least allowed.
        min: f64,
    },
    /// Too many customers left unassigned.
    Noise {
        /// Share unassigned.
        share: f64,
        /// The most allowed.
        max: f64,
    },
    /// Not stable enough.
    Unstable {
        /// Its stability.
        stability: f64,
        /// The least allowed.
        min: f64,
    },
    /// No stability could be measured.
    NoStability,
}

/// A candidate's place in the selection.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Ranking {
    /// Candidate id.
    pub id: String,
    /// Composite score (0–1, the mean rank over the indices among the candidates ranked),
    /// if the candidate was ranked.
    pub composite: Option<f64>,
    /// Whether every rule is met.
    pub eligible: bool,
    /// The rules not met.
    pub fails: Vec<RuleFailure>,
    /// Whether this is the proposal.
    pub chosen: bool,
}

/// The index behind a preferred k.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Index {
    /// The elbow (knee) of the inertia curve.
    Elbow,
    /// Silhouette.
    Silhouette,
    /// Calinski–Harabasz.
    CalinskiHarabasz,
    /// Davies–Bouldin.
    DaviesBouldin,
    /// Gap statistic: the knee of the gap curve.
    Gap,
    /// The largest eligible k with stability ≥ [`STABLE`].
    Stable,
}

/// The k one index prefers.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct IndexChoice {
    /// Index.
    pub index: Index,
    /// The k-means k it prefers.
    pub k: usize,
}

/// How clear the segment structure is (from the gap statistic of the k-means candidates).
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Structure {
    /// Segments are clearly tighter than in a reference without clusters.
    Clear {
        /// The largest gap, and the k it belongs to.
        gap: f64,
        /// Its standard error.
        se: f64,
        /// Its k.
        k: usize,
    },
    /// No clear segments: the customers are tighter than the reference (the gap is clear), but
    /// no split has a density valley between its segments: one continuous cloud, cut in
    /// pieces. Measured: a shop without planted segments showed gaps rising with k to 0.08 at
    /// k = 12 (skewed and discrete features are not Gaussian) and no valley below 1.0.
    Continuous {
        /// The largest gap.
        gap: f64,
        /// Its standard error.
        se: f64,
        /// Its k.
        k: usize,
        /// The lowest density valley of any eligible k-means candidate (at least [`DIP`]).
        valley: f64,
    },
    /// No clear segments: the customers are tighter than the reference and some split has a
    /// dip, but the segments are about as tight as when each family of traits is shuffled
    /// among customers with the same number of orders: single traits and the number of orders set customers apart, no group of
    /// customers shares several traits.
    Unlinked {
        /// The largest trait gap (below [`MIN_TRAIT_GAP`] or within twice its standard error).
        gap: f64,
        /// Its standard error.
        se: f64,
        /// Its k.
        k: usize,
    },
    /// No clear segments: the largest gap is within noise of 0.
    None {
        /// The largest gap.
        gap: f64,
        /// Its standard error.
        se: f64,
        /// Its k.
        k: usize,
    },
    /// The gap could not be computed.
    Unknown,
}

/// Why a 2- or 3-segment proposal stands where most indices prefer 4 or more.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum FewSegments {
    /// No candidate with 4 or more segments meets every rule; the closest one and its
    /// failures.
    LargerNotEligible {
        /// The best-ranked larger candidate.
        candidate: String,
        /// The rules it does not meet.
        fails: Vec<RuleFailure>,
    },
    /// Larger candidates are eligible but rank lower on the indices together.
    LargerRankLower {
        /// The best larger candidate.
        candidate: String,
        /// Its composite.
        composite: f64,
    },
    /// The analyst forced it.
    Forced,
}

/// Two separated candidates equally near the views' middle: the other one and what decided.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Tie {
    /// The candidate passed over.
    pub other: String,
    /// What decided between them.
    pub by: TieBreak,
}

/// What decides between two separated candidates equally near the views' middle, in order.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TieBreak {
    /// The gap statistic, larger by more than the standard error of either: the split stands
    /// out more from comparable data without segments.
    Gap {
        /// The chosen candidate's gap.
        gap: f64,
        /// The other one's gap.
        other_gap: f64,
        /// The larger of their standard errors.
        se: f64,
    },
    /// Gaps within their standard errors (or one of them unknown): the deeper dip between
    /// segments (lower valley).
    Valley {
        /// The chosen candidate's valley.
        valley: f64,
        /// The other one's valley.
        other_valley: f64,
    },
    /// Neither: fewer segments.
    Fewer,
}

/// Why the proposal is what it is.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// `--k` was given.
    Forced {
        /// The forced k.
        k: usize,
    },
    /// The best composite among the eligible candidates.
    RankVote {
        /// Eligible candidates ranked.
        eligible: usize,
    },
    /// The median of three views of k (elbow, gap knee, most stable k).
    Consensus {
        /// The elbow's k.
        elbow: Option<usize>,
        /// The gap knee's k.
        gap_knee: Option<usize>,
        /// The largest eligible k with stability ≥ [`STABLE`].
        stable: Option<usize>,
        /// Their median.
        k: usize,
        /// Whether some eligible k-means candidate within [`NEAR`] segments of `k` was
        /// [`SEPARATED`]: the proposal is then the separated one nearest to `k`.
        #[serde(default)]
        separated: bool,
        /// Set when none that near was: the proposal is then the largest separated eligible
        /// candidate with [`FALL_MIN`] to `k` − 1 segments. When neither is set, it is the
        /// eligible candidate nearest to `k`.
        #[serde(default)]
        below: bool,
        /// The candidate those rules gave, when the proposal is the one with a segment more
        /// because that split is [`REPRODUCED`] (its extra segment is found again in every
        /// resample) with a valley below [`DIP`].
        #[serde(default, skip_serializing_if = "Option::is_none")]
        stepped_from: Option<String>,
        /// Set when the candidate with `k` segments, though not [`SEPARATED`], is
        /// [`REPRODUCED`] segment by segment with a valley below [`DIP`]: it is then the
        /// candidate those rules gave, without a deep dip.
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        agreed: bool,
        /// Set when another separated candidate was as near to `k` as the one those rules
        /// gave: that one, and what decided between them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        tie: Option<Tie>,
    },
    /// No clear structure: the most stable eligible candidate of an actionable size.
    Actionable {
        /// Eligible candidates.
        eligible: usize,
        /// Its stability.
        stability: f64,
    },
    /// No candidate met every rule: the best composite over all, with its failures.
    NoneEligible {
        /// The rules the proposal does not meet.
        fails: Vec<RuleFailure>,
    },
}

/// The thresholds the rule applied (from `[cluster]`), so that every text about the rule can
/// state them.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Rules {
    /// At most this many segments.
    pub max_segments: usize,
    /// Every segment at least this share of customers.
    pub min_share: f64,
    /// At most this share unassigned.
    pub max_noise: f64,
    /// At least this stability.
    pub min_stability: f64,
    /// The rule's fixed thresholds (the constants of this module), so that a reader of the
    /// run folder can check the rule without the source; absent in files written before they
    /// were recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<Fixed>,
}

/// The selection rule's fixed thresholds, as applied (see the constants of the same names).
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Fixed {
    /// [`STABLE`].
    pub stable: f64,
    /// [`SEPARATED`].
    pub separated: f64,
    /// [`NEAR`].
    pub near: usize,
    /// [`FALL_MIN`].
    pub fall_min: usize,
    /// [`DIP`].
    pub dip: f64,
    /// [`REPRODUCED`].
    pub reproduced: f64,
    /// [`REPRODUCED_SEGMENT`].
    pub reproduced_segment: f64,
    /// [`MIN_GAP`].
    pub min_gap: f64,
    /// [`MIN_TRAIT_GAP`]; absent in files written before the trait reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_trait_gap: Option<f64>,
    /// [`ACTIONABLE`], first and last.
    pub actionable: [usize; 2],
}

impl Default for Fixed {
    fn default() -> Fixed {
        Fixed {
            stable: STABLE,
            separated: SEPARATED,
            near: NEAR,
            fall_min: FALL_MIN,
            dip: DIP,
            reproduced: REPRODUCED,
            reproduced_segment: REPRODUCED_SEGMENT,
            min_gap: MIN_GAP,
            min_trait_gap: Some(MIN_TRAIT_GAP),
            actionable: [*ACTIONABLE.start(), *ACTIONABLE.end()],
        }
    }
}

/// The proposal.
#[derive(Debug, Clone, Serialize, PartialEq, Deserialize)]
pub struct Proposal {
    /// The thresholds applied.
    pub rules: Rules,
    /// The chosen candidate.
    pub chosen: String,
    /// Why.
    pub basis: Basis,
    /// How clear the structure is.
    pub structure: Structure,
    /// The second-best candidate by the same rule, if any.
    pub runner_up: Option<String>,
    /// Set when the proposal has 2 or 3 segments and most indices prefer 4 or more.
    pub few_segments: Option<FewSegments>,
    /// Every candidate's ranking, in sweep order.
    pub rankings: Vec<Ranking>,
    /// What each index prefers among the k-means candidates.
    pub preferred_k: Vec<IndexChoice>,
    /// Whether the indices prefer different k.
    pub disagreement: bool,
}

impl Structure {
    /// Whether the data show clear segments.
    pub fn is_clear(&self) -> bool {
        matches!(self, Structure::Clear { .. })
    }

    /// Whether the data show no clear segments (a gap within noise, traits that do not go
    /// together, or no density valley).
    pub fn is_none(&self) -> bool {
        matches!(
            self,
            Structure::None { .. } | Structure::Unlinked { .. } | Structure::Continuous { .. }
        )
    }
}
