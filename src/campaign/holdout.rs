//! A deterministic control group, stratified per segment (`segmint holdout`).
//!
//! Each customer's place is the SHA-256 of `segmint-holdout`, the salt and the customer id,
//! joined by NUL bytes (`tag \0 salt \0 id`), read as a 256-bit number. In every segment (the
//! unassigned customers are a stratum of their own) the `round(share × n)` customers with the
//! lowest numbers are held out; ties, which SHA-256 makes practically impossible, go by id.
//! The groups depend only on the ids, their segments, the salt and the share: never on the
//! order of the rows. Customers flagged for high returns stay in their segment's stratum and
//! are marked in the lists, so a campaign that suppresses them does so in both groups alike.
//!
//! With every segment the manifest gives the minimum detectable effect (MDE) at the chosen
//! α and power, two-sided, for conversion and for revenue per customer over a campaign window
//! of `window_days`. Both are planning figures from the run's features: the base conversion is
//! the share of the segment that ordered within the last `window_days` before as_of, and a
//! customer's revenue in a window is their net revenue × `window_days` / max(tenure,
//! `window_days`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::stats;
use crate::error::{Error, Result};
use crate::features::Features;
use crate::i18n::Lang;
use crate::model::{Assignment, HoldoutProblem, NameKind, RunId, SegmentLabel, SegmentName};
use crate::profile::Profiles;

/// The version of the assignment rule, recorded in every manifest.
pub const ALGORITHM: &str = "segmint-holdout-v1: sha256(tag NUL salt NUL customer_id), lowest round(share*n) per segment held out";

/// The fixed tag hashed in front of the salt.
pub const TAG: &str = "segmint-holdout";

/// Settings of a holdout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutOptions {
    /// Share of every segment held out (0 < share < 1).
    pub share: f64,
    /// Any text; another salt gives other groups.
    pub salt: String,
    /// Campaign window in days, for the MDE's baseline.
    pub window_days: f64,
    /// Significance level of the MDE.
    pub alpha: f64,
    /// Power of the MDE.
    pub power: f64,
    /// Above this relative MDE a segment gets a warning.
    pub max_relative_mde: f64,
}

impl HoldoutOptions {
    /// Defaults (window 30 days, α = 0.05, power 0.8, warning above a 20 % relative MDE).
    pub fn new(share: f64, salt: &str) -> HoldoutOptions {
        HoldoutOptions {
            share,
            salt: salt.to_string(),
            window_days: 30.0,
            alpha: 0.05,
            power: 0.8,
            max_relative_mde: 0.2,
        }
    }

    /// Checks the settings (share strictly between 0 and 1, a non-empty salt without NUL
    /// bytes, a positive window).
    pub fn check(&self) -> Result<()> {
        if !(self.share > 0.0 && self.share < 1.0) {
            return Err(Error::Data(format!(
                "--share must be between 0 and 1 (e.g. 0.1 for a 10% control group), not {}",
                self.share
            )));
        }
        if self.salt.is_empty() || self.salt.contains('\0') {
            return Err(Error::Data(
                "--salt must be a non-empty text without NUL bytes, e.g. the campaign's name"
                    .into(),
            ));
        }
        if self.window_days.is_nan() || self.window_days <= 0.0 {
            return Err(Error::Data(format!(
                "the campaign window must be positive, not {} days",
                self.window_days
            )));
        }
        Ok(())
    }
}

/// SHA-256 of `tag \0 salt \0 customer_id`: the customer's place in the draw.
pub fn place(salt: &str, customer_id: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(TAG.as_bytes());
    h.update([0u8]);
    h.update(salt.as_bytes());
    h.update([0u8]);
    h.update(customer_id.as_bytes());
    let d = h.finalize();
    let mut out = [0u8; 32];
    out.copy_from_slice(&d);
    out
}

/// Marks the control customers: per stratum, the `round(share × n)` lowest places.
pub fn split(ids: &[String], strata: &[SegmentLabel], share: f64, salt: &str) -> Vec<bool> {
    let mut by_stratum: BTreeMap<SegmentLabel, Vec<usize>> = BTreeMap::new();
    for (i, s) in strata.iter().enumerate() {
        by_stratum.entry(*s).or_default().push(i);
    }
    let places: Vec<[u8; 32]> = ids.iter().map(|id| place(salt, id)).collect();
    let mut control = vec![false; ids.len()];
    for rows in by_stratum.values_mut() {
        rows.sort_by(|&a, &b| places[a].cmp(&places[b]).then(ids[a].cmp(&ids[b])));
        let k = (share * rows.len() as f64).round() as usize;
        for &i in &rows[..k.min(rows.len())] {
            control[i] = true;
        }
    }
    control
}

/// SHA-256 (hex) of the sorted `customer_id \t segment \n` lines: the same customers in the
/// same segments give the same hash whatever the row order.
pub fn input_hash(ids: &[String], strata: &[SegmentLabel]) -> String {
    let mut lines: Vec<String> = ids
        .iter()
        .zip(strata)
        .map(|(i, s)| format!("{i}\t{s}\n"))
        .collect();
    lines.sort();
    sha256_hex(lines.concat().as_bytes())
}

/// SHA-256 of bytes as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// One customer of the holdout.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Customer id.
    pub customer_id: String,
    /// `1`, `2`, ... or `unassigned`.
    pub segment: SegmentLabel,
    /// Flagged for high returns in the run.
    pub flagged: bool,
    /// Held out.
    pub control: bool,
}

impl SegmentSplit {
    /// The name's facts; a holdout without them gives its stored name, as it is.
    pub fn naming(&self) -> SegmentName {
        self.name_facts
            .clone()
            .unwrap_or_else(|| SegmentName::new(NameKind::Given(self.name.clone())))
    }
}

/// One segment's split and its minimum detectable effects.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentSplit {
    /// `1`, `2`, ... or `unassigned`.
    pub segment: SegmentLabel,
    /// The segment's name in the run (English).
    pub name: String,
    /// The name as facts, for the lift report in any language (absent in holdouts of
    /// earlier segmint versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_facts: Option<SegmentName>,
    /// Customers in the segment.
    pub customers: usize,
    /// Held out.
    pub control: usize,
    /// To receive the campaign.
    pub treatment: usize,
    /// Customers flagged for high returns (in both groups together).
    pub flagged: usize,
    /// Of them held out.
    pub flagged_control: usize,
    /// Planning base rate: share that ordered within the window before as_of.
    pub baseline_conversion: f64,
    /// Planning mean revenue per customer over the window.
    pub baseline_revenue: f64,
    /// Its standard deviation across the segment's customers.
    pub revenue_sd: f64,
    /// MDE on conversion, absolute (a fraction: 0.02 = 2 percentage points); None when the
    /// base rate is 0.
    pub mde_conversion: Option<f64>,
    /// MDE on conversion relative to the base rate (None when it is 0).
    pub mde_conversion_relative: Option<f64>,
    /// MDE on revenue per customer, in money; None without revenue.
    pub mde_revenue: Option<f64>,
    /// MDE on revenue per customer relative to the base (None when it is 0).
    pub mde_revenue_relative: Option<f64>,
    /// Why the test is unlikely to be useful, if it is (worded by
    /// [`crate::i18n::Lang::holdout_warning`] with the manifest's options).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<HoldoutProblem>,
}

/// The holdout manifest (`holdout.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HoldoutManifest {
    /// segmint version that wrote it.
    pub segmint_version: String,
    /// The assignment rule.
    pub algorithm: String,
    /// The fixed tag.
    pub tag: String,
    /// The salt.
    pub salt: String,
    /// Share held out per segment.
    pub share: f64,
    /// The run folder the segments came from.
    pub run: PathBuf,
    /// The run's reference date (`YYYY-MM-DD`): `segmint lift` counts the orders after it.
    pub as_of: String,
    /// SHA-256 of the sorted (customer id, segment) pairs of the run.
    pub input_hash: String,
    /// Customers in the run.
    pub customers: usize,
    /// Held out in all.
    pub control: usize,
    /// To receive the campaign in all.
    pub treatment: usize,
    /// The treatment list, next to the manifest.
    pub treatment_file: String,
    /// The control list, next to the manifest.
    pub control_file: String,
    /// SHA-256 of the treatment list as written.
    pub treatment_sha256: String,
    /// SHA-256 of the control list as written.
    pub control_sha256: String,
    /// The settings of the MDE.
    pub options: HoldoutOptions,
    /// The currency of the run's money (ISO 4217 code), when its mapping gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Per segment.
    pub segments: Vec<SegmentSplit>,
}

/// A holdout: the manifest and every customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Holdout {
    /// The run the holdout was drawn from (the manifest's header names it).
    pub run_id: RunId,
    /// The manifest (file names and hashes are filled in by [`crate::run::holdout::outputs`]).
    pub manifest: HoldoutManifest,
    /// Every customer of the run, in the run's order.
    pub members: Vec<Member>,
}

/// Draws the holdout of a profiled run: `features` and `assignment` as
/// [`crate::run::RunFolder::features`] and [`crate::run::RunFolder::assignment`] give them,
/// `segments` the profiles of its `segments.json` ([`crate::run::RunFolder::segments`]).
pub fn draw(
    features: &Features,
    assignment: &Assignment,
    segments: &Profiles,
    run: &Path,
    opts: &HoldoutOptions,
) -> Result<Holdout> {
    let as_of = features.as_of.format("%Y-%m-%d").to_string();
    opts.check()?;
    let ids = &assignment.ids;
    if ids.is_empty() {
        return Err(Error::Data(format!(
            "{} has no customers to hold out",
            run.display()
        )));
    }
    let strata: Vec<SegmentLabel> = assignment
        .segment
        .iter()
        .map(|s| SegmentLabel::of(*s))
        .collect();
    let flagged: HashSet<&str> = segments
        .flagged_customers
        .iter()
        .map(|f| f.customer_id.as_str())
        .collect();
    let control = split(ids, &strata, opts.share, &opts.salt);
    let members: Vec<Member> = (0..ids.len())
        .map(|i| Member {
            customer_id: ids[i].clone(),
            segment: strata[i],
            flagged: flagged.contains(ids[i].as_str()),
            control: control[i],
        })
        .collect();
    // Planning baselines from the features, joined by id.
    let num = |name: &str| -> Result<Vec<Option<f64>>> {
        crate::frame::column_f64(&features.table, name)
    };
    let fid = crate::frame::column_str(&features.table, "customer_id")?;
    let (recency, revenue, tenure) = (
        num("recency_days")?,
        num("net_revenue")?,
        num("tenure_days")?,
    );
    let w = opts.window_days;
    let row: HashMap<&str, (bool, f64)> = fid
        .iter()
        .enumerate()
        .filter_map(|(i, id)| {
            let id = id.as_deref()?;
            let bought = recency[i].is_some_and(|r| r <= w);
            let rev = revenue[i].unwrap_or(0.0) * w / tenure[i].unwrap_or(0.0).max(w);
            Some((id, (bought, rev)))
        })
        .collect();
    let names: HashMap<SegmentLabel, SegmentName> = segments
        .segments
        .iter()
        .map(|s| (s.segment, s.naming()))
        .collect();
    // Segments by number, the unassigned last.
    let mut by: BTreeMap<SegmentLabel, Vec<usize>> = BTreeMap::new();
    for (i, s) in strata.iter().enumerate() {
        by.entry(*s).or_default().push(i);
    }
    let mut splits = Vec::new();
    for (seg, rows) in by {
        let n_c = rows.iter().filter(|&&i| control[i]).count();
        let n_t = rows.len() - n_c;
        let base: Vec<(bool, f64)> = rows
            .iter()
            .map(|&i| row.get(ids[i].as_str()).copied().unwrap_or((false, 0.0)))
            .collect();
        let p = base.iter().filter(|b| b.0).count() as f64 / rows.len() as f64;
        let revs: Vec<f64> = base.iter().map(|b| b.1).collect();
        let (mean, var) = stats::mean_var(&revs);
        let mde_c = (p > 0.0).then(|| stats::mde_proportion(p, n_t, n_c, opts.alpha, opts.power));
        let mde_r =
            (mean > 0.0).then(|| stats::mde_mean(var.sqrt(), n_t, n_c, opts.alpha, opts.power));
        let rel_c = mde_c.map(|m| m / p);
        let rel_r = mde_r.map(|m| m / mean);
        let mut problems = Vec::new();
        if n_c == 0 || n_t == 0 {
            problems.push(HoldoutProblem::TooFewToSplit {
                customers: rows.len(),
                share: opts.share,
            });
        } else {
            match rel_c {
                None => problems.push(HoldoutProblem::NoRecentOrders {
                    window_days: opts.window_days,
                }),
                Some(r) if r > opts.max_relative_mde => {
                    problems.push(HoldoutProblem::ConversionLiftTooLarge { relative: r })
                }
                _ => {}
            }
            match rel_r {
                None => problems.push(HoldoutProblem::NoRevenue),
                Some(r) if r > opts.max_relative_mde => {
                    problems.push(HoldoutProblem::RevenueLiftTooLarge { relative: r })
                }
                _ => {}
            }
        }
        // A segment without a name in the run (its profile predates names, or `unassigned`)
        // is named by its number as a fact, so the lift report words it in its own language.
        let naming = names
            .get(&seg)
            .cloned()
            .unwrap_or_else(|| SegmentName::of(seg));
        splits.push(SegmentSplit {
            name: Lang::En.segment_name(&naming),
            name_facts: Some(naming),
            customers: rows.len(),
            control: n_c,
            treatment: n_t,
            flagged: rows.iter().filter(|&&i| members[i].flagged).count(),
            flagged_control: rows
                .iter()
                .filter(|&&i| members[i].flagged && control[i])
                .count(),
            baseline_conversion: p,
            baseline_revenue: mean,
            revenue_sd: var.sqrt(),
            mde_conversion: mde_c,
            mde_conversion_relative: rel_c,
            mde_revenue: mde_r,
            mde_revenue_relative: rel_r,
            problems,
            segment: seg,
        });
    }
    let n_control = control.iter().filter(|c| **c).count();
    Ok(Holdout {
        run_id: RunId::default(),
        manifest: HoldoutManifest {
            segmint_version: env!("CARGO_PKG_VERSION").to_string(),
            algorithm: ALGORITHM.to_string(),
            tag: TAG.to_string(),
            salt: opts.salt.clone(),
            share: opts.share,
            run: run.to_path_buf(),
            as_of,
            input_hash: input_hash(ids, &strata),
            customers: ids.len(),
            control: n_control,
            treatment: ids.len() - n_control,
            treatment_file: String::new(),
            control_file: String::new(),
            treatment_sha256: String::new(),
            control_sha256: String::new(),
            options: opts.clone(),
            currency: None,
            segments: splits,
        },
        members,
    })
}

impl Holdout {
    /// Segment label → name (English), as the lists give it.
    pub(crate) fn names(&self) -> HashMap<SegmentLabel, &str> {
        self.manifest
            .segments
            .iter()
            .map(|s| (s.segment, s.name.as_str()))
            .collect()
    }

    /// The control (`control` true) or treatment list, sorted by segment and id.
    pub(crate) fn list(&self, control: bool) -> Vec<&Member> {
        let mut rows: Vec<&Member> = self
            .members
            .iter()
            .filter(|m| m.control == control)
            .collect();
        rows.sort_by(|a, b| {
            a.segment
                .cmp(&b.segment)
                .then_with(|| a.customer_id.cmp(&b.customer_id))
        });
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SegmentId;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("C{i:04}")).collect()
    }

    #[test]
    fn place_hashes_tag_salt_and_id_with_separators() {
        let want = sha256_hex(b"segmint-holdout\0spring\0C1");
        let got: String = place("spring", "C1")
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(got, want);
        // The separators keep ("ab", "c") apart from ("a", "bc").
        assert_ne!(place("ab", "c"), place("a", "bc"));
    }

    #[test]
    fn lowest_round_share_per_stratum_are_held_out() {
        let ids = ids(25);
        let strata: Vec<SegmentLabel> = (0..25)
            .map(|i| SegmentLabel::Segment(SegmentId(usize::from(i >= 15))))
            .collect();
        let c = split(&ids, &strata, 0.1, "s");
        // round(1.5) = 2 of 15, round(1.0) = 1 of 10.
        assert_eq!(c[..15].iter().filter(|x| **x).count(), 2);
        assert_eq!(c[15..].iter().filter(|x| **x).count(), 1);
        // The held-out ones have the lowest places of their stratum.
        let max_c = (0..15)
            .filter(|&i| c[i])
            .map(|i| place("s", &ids[i]))
            .max()
            .unwrap();
        let min_t = (0..15)
            .filter(|&i| !c[i])
            .map(|i| place("s", &ids[i]))
            .min()
            .unwrap();
        assert!(max_c < min_t);
    }

    #[test]
    fn groups_do_not_depend_on_row_order_but_on_the_salt() {
        let ids = ids(500);
        let strata: Vec<SegmentLabel> = (0..500)
            .map(|i| SegmentLabel::Segment(SegmentId(i % 3)))
            .collect();
        let a = split(&ids, &strata, 0.2, "x");
        let mut perm: Vec<usize> = (0..500).collect();
        let mut rng = stats::SplitMix::new(1);
        for i in (1..500).rev() {
            perm.swap(i, rng.below(i + 1));
        }
        let ids2: Vec<String> = perm.iter().map(|&i| ids[i].clone()).collect();
        let strata2: Vec<SegmentLabel> = perm.iter().map(|&i| strata[i]).collect();
        let b = split(&ids2, &strata2, 0.2, "x");
        for (k, &i) in perm.iter().enumerate() {
            assert_eq!(a[i], b[k]);
        }
        assert_eq!(input_hash(&ids, &strata), input_hash(&ids2, &strata2));
        assert_ne!(a, split(&ids, &strata, 0.2, "y"));
        // Strata of 167, 167 and 166: round(33.4) + round(33.4) + round(33.2) = 99.
        assert_eq!(a.iter().filter(|x| **x).count(), 99);
    }

    #[test]
    fn bad_settings_are_refused() {
        for (share, salt) in [(0.0, "a"), (1.0, "a"), (0.1, ""), (0.1, "a\0b")] {
            assert!(HoldoutOptions::new(share, salt).check().is_err());
        }
    }
}
