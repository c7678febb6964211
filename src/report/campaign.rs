//! The report's two campaign sections, built from the results of `segmint compare` and
//! `segmint lift` that belong to the report's run (found and checked by
//! [`crate::pipeline::commands::report`]):
//!
//! * **Segments over time** ([`OverTime`]): who stayed, came and went, the migration matrix
//!   between the earlier run's segments and this run's, and the matched segments with their
//!   changes in size, revenue, profit and return rate and the features that drifted most;
//! * **Campaign results** ([`CampaignResults`]): per segment the lift on conversion and on
//!   revenue per customer with their intervals, the Holm-corrected p-value and the
//!   incremental revenue; the overall effect and incremental revenue with intervals.
//!
//! Sentences come from [`crate::i18n::CampaignTexts`] in the report's language; numbers stay
//! numbers here and are formatted by the renderers.

use serde::Serialize;

use crate::campaign::compare::Comparison;
use crate::campaign::lift::LiftReport;
use crate::error::{Error, Result};
use crate::i18n::{fill, Lang};
use crate::model::SegmentLabel;
use crate::render::{segment_css, Chart, ChartKind};

/// One row of the migration matrix: the customers of an earlier segment (or the new
/// customers) by later segment (or gone).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MigrationRow {
    /// The earlier segment's label (`1 Loyal high spenders`, or "New").
    pub label: String,
    /// Customers in the row.
    pub customers: usize,
    /// Per column of [`OverTime::columns`]: customers and share of the row.
    pub cells: Vec<(usize, f64)>,
}

/// A segment of this run and the earlier segment it continues.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MatchedSegment {
    /// The earlier segment's label, or "(new segment)".
    pub earlier: String,
    /// This run's segment's label, or "(dissolved)".
    pub later: String,
    /// The later segment's colour (CSS hex; grey for a dissolved segment).
    pub colour: String,
    /// Similarity of the pair.
    pub similarity: Option<f64>,
    /// Customers earlier and now.
    pub customers: [Option<f64>; 2],
    /// Net revenue earlier and now.
    pub net_revenue: [Option<f64>; 2],
    /// Profit earlier and now.
    pub profit: [Option<f64>; 2],
    /// Return rate earlier and now.
    pub return_rate: [Option<f64>; 2],
    /// The features that drifted most, with the change in standard deviations, in the
    /// report's language.
    pub drift: Vec<(String, f64)>,
}

/// The "Segments over time" section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OverTime {
    /// as_of of the earlier run.
    pub from_as_of: String,
    /// as_of of this run.
    pub to_as_of: String,
    /// The run id of the earlier run.
    pub from_run_id: String,
    /// Customers in both runs, new, gone, moved, agreement — in a paragraph.
    pub intro: String,
    /// How to read the matrix.
    pub matrix_note: String,
    /// The matrix's columns: this run's segments, then "Gone".
    pub columns: Vec<String>,
    /// The matrix's rows: the earlier run's segments, then "New".
    pub rows: Vec<MigrationRow>,
    /// The matched segments.
    pub segments: Vec<MatchedSegment>,
}

/// One segment's campaign result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LiftRow {
    /// `1`, `2`, ... or `unassigned`.
    pub segment: SegmentLabel,
    /// Label in the report's language.
    pub label: String,
    /// Colour (CSS hex).
    pub colour: String,
    /// Customers sent the campaign.
    pub treatment: usize,
    /// Customers held out.
    pub control: usize,
    /// Conversion change (fraction) and its interval.
    pub conversion: [f64; 3],
    /// Revenue per customer: change and its bootstrap interval.
    pub revenue: [f64; 3],
    /// Relative revenue lift (none when the control group spent nothing).
    pub relative: Option<f64>,
    /// Its bootstrap interval (none when a resample's control group spent nothing).
    pub relative_ci: Option<[f64; 2]>,
    /// Holm-adjusted p-value of the primary metric.
    pub p_holm: f64,
    /// Significant after Holm's correction.
    pub significant: bool,
    /// Incremental revenue and its interval.
    pub incremental: [f64; 3],
    /// The lists' ratio is off (sample-ratio mismatch): a warning in the report's language.
    pub warning: Option<String>,
}

/// The "Campaign results" section.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CampaignResults {
    /// How it was measured, in a paragraph.
    pub intro: String,
    /// The post period and the orders left out.
    pub window: String,
    /// Per segment.
    pub segments: Vec<LiftRow>,
    /// Size-weighted conversion change and its interval.
    pub conversion: [f64; 3],
    /// Size-weighted revenue change per customer and its interval.
    pub revenue: [f64; 3],
    /// Incremental revenue and its bootstrap interval.
    pub incremental: [f64; 3],
    /// The overall effect in a sentence.
    pub overall: String,
    /// The currency of the money (ISO 4217 code), when the mapping gives one.
    pub currency: Option<String>,
    /// Significance level (intervals are 1 − alpha).
    pub alpha: f64,
}

fn colour(label: SegmentLabel) -> String {
    segment_css(label.segment())
}

/// The "Segments over time" section of `c` in `lang` (the drifted features named as
/// [`Lang::feature_for`] does for runs without cost data).
pub fn over_time(c: &Comparison, lang: Lang) -> OverTime {
    let t = lang.campaign();
    let label = |later: bool, id: SegmentLabel| match id {
        SegmentLabel::New => t.new.to_string(),
        SegmentLabel::Gone => t.gone.to_string(),
        SegmentLabel::Unassigned => lang.texts().unassigned.to_string(),
        _ => match c.name_in(later, id, lang) {
            Some(n) => format!("{id} {n}"),
            None => id.to_string(),
        },
    };
    // Columns and rows in the order the flows come (segments by number, then the rest).
    let mut cols: Vec<SegmentLabel> = Vec::new();
    let mut rows: Vec<SegmentLabel> = Vec::new();
    for f in &c.migration {
        if !cols.contains(&f.to) {
            cols.push(f.to);
        }
        if !rows.contains(&f.from) {
            rows.push(f.from);
        }
    }
    cols.sort();
    rows.sort();
    let matrix_rows = rows
        .iter()
        .map(|&from| {
            let cells: Vec<(usize, f64)> = cols
                .iter()
                .map(|&to| {
                    c.migration
                        .iter()
                        .find(|f| f.from == from && f.to == to)
                        .map_or((0, 0.0), |f| (f.customers, f.row_share))
                })
                .collect();
            MigrationRow {
                label: label(false, from),
                customers: cells.iter().map(|c| c.0).sum(),
                cells,
            }
        })
        .collect();
    let segments = c
        .segments
        .iter()
        .map(|s| {
            let pair = |f: &dyn Fn(&crate::campaign::compare::Totals) -> Option<f64>| {
                [s.in_a.as_ref().and_then(f), s.in_b.as_ref().and_then(f)]
            };
            MatchedSegment {
                earlier: s
                    .a
                    .map_or_else(|| format!("({})", t.new_segment), |a| label(false, a)),
                later: s
                    .b
                    .map_or_else(|| format!("({})", t.dissolved), |b| label(true, b)),
                colour: s.b.map_or_else(|| segment_css(None), colour),
                similarity: s.similarity,
                customers: pair(&|x| Some(x.customers as f64)),
                net_revenue: pair(&|x| Some(x.net_revenue)),
                profit: pair(&|x| Some(x.profit)),
                return_rate: pair(&|x| x.return_rate),
                drift: s
                    .drift
                    .iter()
                    .take(3)
                    .map(|d| (lang.feature_for(&d.feature, c.without_cost()), d.change_sd))
                    .collect(),
            }
        })
        .collect();
    OverTime {
        from_as_of: c.from_as_of.clone(),
        to_as_of: c.to_as_of.clone(),
        from_run_id: c.from_run_id.0.clone(),
        intro: crate::campaign::section::compare_intro(c, lang),
        matrix_note: fill(
            t.migration_note,
            &[
                ("from", lang.date(&c.from_as_of)),
                ("to", lang.date(&c.to_as_of)),
            ],
        ),
        columns: cols.iter().map(|&to| label(true, to)).collect(),
        rows: matrix_rows,
        segments,
    }
}

/// The "Campaign results" section of `r` in `lang`.
pub fn campaign_results(r: &LiftReport, lang: Lang) -> CampaignResults {
    let t = lang.campaign();
    let l = &r.lift;
    let o = &l.overall;
    let segments = l
        .segments
        .iter()
        .map(|s| LiftRow {
            segment: s.segment,
            label: if s.segment == SegmentLabel::Unassigned {
                lang.texts().unassigned.to_string()
            } else {
                format!("{} {}", s.segment, lang.segment_name(&s.naming))
            },
            colour: colour(s.segment),
            treatment: s.treatment,
            control: s.control,
            conversion: [
                s.conversion.diff,
                s.conversion.diff_ci.low,
                s.conversion.diff_ci.high,
            ],
            revenue: [
                s.revenue.raw.diff,
                s.revenue.bootstrap_ci.low,
                s.revenue.bootstrap_ci.high,
            ],
            relative: s.revenue.raw.relative,
            relative_ci: s.revenue.bootstrap_relative_ci.map(|ci| [ci.low, ci.high]),
            p_holm: s.primary_p_holm,
            significant: s.significant,
            incremental: [
                s.incremental_revenue,
                s.incremental_revenue_ci.low,
                s.incremental_revenue_ci.high,
            ],
            warning: s.srm.mismatch.then(|| t.srm_warning.to_string()),
        })
        .collect();
    let mut window = match &r.window.to {
        Some(to) => fill(
            t.window_range,
            &[("from", lang.date(&r.window.from)), ("to", lang.date(to))],
        ),
        None => fill(t.window_from, &[("from", lang.date(&r.window.from))]),
    };
    if r.orders_outside_window > 0 {
        window.push(' ');
        window.push_str(&fill(
            t.window_outside,
            &[("n", lang.number(r.orders_outside_window as f64, 0))],
        ));
    }
    CampaignResults {
        intro: fill(
            t.lift_intro,
            &[
                ("treatment", lang.number(o.treatment as f64, 0)),
                ("control", lang.number(o.control as f64, 0)),
                ("winsor", lang.number(100.0 * l.options.winsor, 1)),
                ("level", lang.percent(1.0 - l.options.alpha, 0)),
                ("resamples", lang.number(l.options.resamples as f64, 0)),
            ],
        ),
        window,
        segments,
        conversion: [
            o.conversion_diff,
            o.conversion_diff_ci.low,
            o.conversion_diff_ci.high,
        ],
        revenue: [
            o.revenue_diff,
            o.revenue_diff_ci.low,
            o.revenue_diff_ci.high,
        ],
        incremental: [
            o.incremental_revenue,
            o.incremental_revenue_bootstrap_ci.low,
            o.incremental_revenue_bootstrap_ci.high,
        ],
        overall: crate::campaign::section::lift_overall(r, lang),
        currency: r.currency.clone(),
        alpha: l.options.alpha,
    }
}

impl LiftRow {
    /// The relative lift with its interval where there is one, `–` where there is none.
    pub fn relative_text(&self, f: impl Fn(f64) -> String) -> String {
        match (self.relative, self.relative_ci) {
            (Some(x), Some([lo, hi])) => format!("{} ({} – {})", f(x), f(lo), f(hi)),
            (Some(x), None) => f(x),
            (None, _) => "–".to_string(),
        }
    }
}

/// Width and height of a PNG from its header.
fn png_size(png: &[u8]) -> Result<(u32, u32)> {
    let word = |at: usize| -> Option<u32> {
        png.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    match (word(16), word(20)) {
        (Some(w), Some(h)) if png.starts_with(b"\x89PNG") => Ok((w, h)),
        _ => Err(Error::Render("a campaign chart is not a PNG".into())),
    }
}

/// The charts of the two sections: the alluvial chart of `comparison` and the lift chart of
/// `lift`, in `lang`.
pub fn charts(
    comparison: Option<&Comparison>,
    lift: Option<&LiftReport>,
    lang: Lang,
) -> Result<Vec<Chart>> {
    use crate::campaign::chart;
    let mut out = Vec::new();
    if let Some(c) = comparison {
        let png = chart::alluvial_png(c, lang)?;
        let (width, height) = png_size(&png)?;
        out.push(Chart {
            kind: ChartKind::Migration,
            title: chart::alluvial_title(c, lang),
            svg: chart::alluvial_svg(c, lang)?,
            png,
            width,
            height,
        });
    }
    if let Some(r) = lift {
        let png = chart::lift_png(r, lang)?;
        let (width, height) = png_size(&png)?;
        out.push(Chart {
            kind: ChartKind::Lift,
            title: chart::lift_title(r, lang),
            svg: chart::lift_svg(r, lang)?,
            png,
            width,
            height,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(relative: Option<f64>, relative_ci: Option<[f64; 2]>) -> LiftRow {
        LiftRow {
            segment: crate::model::SegmentLabel::Segment(crate::model::SegmentId(0)),
            label: "1 Loyal".into(),
            colour: colour(crate::model::SegmentLabel::Segment(
                crate::model::SegmentId(0),
            )),
            treatment: 8,
            control: 2,
            conversion: [0.1, 0.0, 0.2],
            revenue: [5.0, 1.0, 9.0],
            relative,
            relative_ci,
            p_holm: 0.04,
            significant: true,
            incremental: [40.0, 8.0, 72.0],
            warning: None,
        }
    }

    #[test]
    fn the_relative_lift_shows_without_its_interval_when_it_has_none() {
        let pc = |x: f64| Lang::Nb.percent(x, 0);
        assert_eq!(
            row(Some(0.25), Some([-0.1, 0.6])).relative_text(pc),
            "25\u{a0}% (−10\u{a0}% – 60\u{a0}%)"
        );
        assert_eq!(row(Some(1.3), None).relative_text(pc), "130\u{a0}%");
        assert_eq!(row(None, None).relative_text(pc), "–");
    }

    #[test]
    fn png_sizes_come_from_the_header() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(900u32.to_be_bytes());
        png.extend(404u32.to_be_bytes());
        assert_eq!(png_size(&png).unwrap(), (900, 404));
        assert!(png_size(b"<svg").is_err());
    }
}
