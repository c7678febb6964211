//! The saved transforms from the feature table to the clustering matrix: what each column
//! encodes and how, and what was left out and why. [`crate::prepare`] fits them and applies
//! them; [`super::SegmentModel`] carries them in `model.json`.

use serde::{Deserialize, Serialize};

use crate::catalog::Group;

/// Why prepare left a feature out of the matrix (in model.json: `why`, with the English
/// words [`crate::i18n`] writes from it as `reason` beside).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DropReason {
    /// Listed in `[prepare] exclude`.
    Excluded,
    /// `survey_answered`: answering is not a trait; the answers enter the matrix.
    SurveyAnswered,
    /// A rate that differs between customers no more than chance does for their number of
    /// trials (`frequency`, `product_views`, `sessions`: the catalog feature counting them).
    ChanceSpread {
        /// The catalog feature that counts the trials.
        trials: String,
    },
    /// No customer has a value.
    NoValue,
    /// One value after imputation and winsorising.
    ConstantAfterClipping,
    /// Its group's weight is 0.
    ZeroWeight,
    /// One value in the matrix.
    Constant,
    /// Near-identical to an earlier column, folded into it.
    Folded {
        /// The column kept.
        into: String,
        /// Their Pearson correlation.
        r: f64,
    },
}

/// How one matrix column is computed from the feature table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnTransform {
    /// Column name in the matrix.
    pub name: String,
    /// Group, for weights and reporting.
    pub group: Group,
    /// What the column encodes.
    pub encoding: Encoding,
    /// Multiplier applied last (group weight).
    pub weight: f64,
}

/// The encodings of a matrix column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Encoding {
    /// A numeric feature.
    Numeric {
        /// The feature.
        feature: String,
        /// A rate's shrinking toward the shop's rate by its trials, applied first.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        shrink: Option<Shrink>,
        /// Log transform: `none`, `log1p` or `signed_log1p`.
        log: LogTransform,
        /// Value (after the log) that replaces a missing value.
        impute: f64,
        /// Winsorising bounds (after the log).
        clip: [f64; 2],
        /// Subtracted after clipping.
        center: f64,
        /// Divided by after centering.
        scale: f64,
    },
    /// 1 when the categorical feature has this level (or, for `other`, any pooled level).
    OneHot {
        /// The feature.
        feature: String,
        /// The level, or `None` for the pooled rare levels and unseen levels.
        level: Option<String>,
        /// The levels that have their own column (for `other`).
        known: Vec<String>,
    },
    /// 1 when the first listed feature is missing (all listed features share the pattern).
    Missing {
        /// Features whose missing pattern this indicator stands for.
        features: Vec<String>,
    },
}

/// A rate observed on `n` trials (a customer's orders, views or sessions) moved toward the
/// shop's rate: `(x·n + rate·strength) / (n + strength)`, the posterior mean under a beta
/// prior whose strength (in trials) is estimated from the data by the method of moments.
/// Customers with many orders keep their own rate; a one-order customer's 0 or 1 moves most
/// of the way to the shop's rate, so chance does not make segments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shrink {
    /// The feature that counts the trials.
    pub trials: String,
    /// The shop's pooled rate (Σ x·n / Σ n).
    pub rate: f64,
    /// Prior strength, in trials.
    pub strength: f64,
}

/// Log transform of a numeric feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogTransform {
    /// None.
    None,
    /// ln(1 + x), for values ≥ 0.
    Log1p,
    /// sign(x) · ln(1 + |x|).
    SignedLog1p,
}

/// A feature left out of the matrix, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dropped {
    /// Feature or column.
    pub name: String,
    /// Why, in English words ([`crate::i18n::Lang::drop_reason`] of `why`).
    pub reason: String,
    /// Why, as a fact (absent in a model.json written before it was recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<DropReason>,
}

/// A pair of matrix columns that are almost the same information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correlated {
    /// First column.
    pub a: String,
    /// Second column.
    pub b: String,
    /// Pearson correlation.
    pub r: f64,
}

/// Everything needed to put a feature table into the matrix space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrepareModel {
    /// The matrix columns, in order.
    pub columns: Vec<ColumnTransform>,
    /// Features or columns left out.
    pub dropped: Vec<Dropped>,
    /// Highly correlated pairs (a warning, both are kept).
    pub correlated: Vec<Correlated>,
}
