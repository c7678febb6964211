//! The report sections of `segmint lift` and `segmint compare` in Markdown, in the report's
//! language (labels from [`crate::i18n::CampaignTexts`], numbers in the language's format).

use super::compare::Comparison;
use super::lift::LiftReport;
use crate::i18n::{fill, Lang};
use crate::model::SegmentLabel;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The lift section: an introduction, one table row per segment, the overall effect.
pub fn lift_markdown(r: &LiftReport, lang: Lang) -> String {
    let t = lang.campaign();
    let l = &r.lift;
    let cur = r.currency.as_deref();
    let level = lang.percent(1.0 - l.options.alpha, 0);
    let mut out = format!("## {}\n\n", t.lift_heading);
    out.push_str(&fill(
        t.lift_intro,
        &[
            ("treatment", lang.number(l.overall.treatment as f64, 0)),
            ("control", lang.number(l.overall.control as f64, 0)),
            ("winsor", lang.number(100.0 * l.options.winsor, 1)),
            ("level", level.clone()),
            ("resamples", lang.number(l.options.resamples as f64, 0)),
        ],
    ));
    out.push_str("\n\n");
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|---:|\n",
        t.col_segment,
        t.col_treatment,
        t.col_control,
        t.col_conversion,
        t.col_revenue,
        t.col_relative,
        t.col_p
    ));
    for s in &l.segments {
        let c = &s.conversion;
        let rv = &s.revenue;
        out.push_str(&format!(
            "| {} {} | {} | {} | {} ({} – {}) | {} ({} – {}) | {} | {}{} |\n",
            s.segment,
            cell(&lang.segment_name(&s.naming)),
            lang.number(s.treatment as f64, 0),
            lang.number(s.control as f64, 0),
            lang.signed(100.0 * c.diff, 1),
            lang.signed(100.0 * c.diff_ci.low, 1),
            lang.signed(100.0 * c.diff_ci.high, 1),
            lang.signed_money(rv.raw.diff, 0, cur),
            lang.signed_money(rv.bootstrap_ci.low, 0, cur),
            lang.signed_money(rv.bootstrap_ci.high, 0, cur),
            rv.raw
                .relative
                .map(|x| lang.signed_percent(x, 0))
                .unwrap_or_else(|| "–".into()),
            lang.number(s.primary_p_holm, 3),
            if s.significant {
                format!(" ({})", t.significant)
            } else {
                String::new()
            }
        ));
    }
    out.push('\n');
    out.push_str(&lift_overall(r, lang));
    out.push('\n');
    notes(&mut out, &r.notes, lang);
    out.push_str("\n![](lift.png)\n");
    out
}

/// The measurement's or comparison's notes as a list, in `lang`.
fn notes(out: &mut String, notes: &[crate::model::CampaignNote], lang: Lang) {
    for n in notes {
        out.push_str(&format!("\n- {}", lang.campaign_note(n)));
    }
    if !notes.is_empty() {
        out.push('\n');
    }
}

/// The overall effect in a sentence: revenue per customer and incremental revenue with their
/// intervals, in the mapping's currency; shared by `lift.md` and the client report.
pub fn lift_overall(r: &LiftReport, lang: Lang) -> String {
    let o = &r.lift.overall;
    let cur = r.currency.as_deref();
    fill(
        lang.campaign().lift_overall,
        &[
            ("diff", lang.signed_money(o.revenue_diff, 0, cur)),
            ("low", lang.signed_money(o.revenue_diff_ci.low, 0, cur)),
            ("high", lang.signed_money(o.revenue_diff_ci.high, 0, cur)),
            ("inc", lang.money(o.incremental_revenue, cur)),
            (
                "inc_low",
                lang.money(o.incremental_revenue_bootstrap_ci.low, cur),
            ),
            (
                "inc_high",
                lang.money(o.incremental_revenue_bootstrap_ci.high, cur),
            ),
        ],
    )
}

/// The compare section's introduction (customers in both runs, new, gone, moved, agreement),
/// shared by `compare.md` and the client report.
pub fn compare_intro(c: &Comparison, lang: Lang) -> String {
    fill(
        lang.campaign().compare_intro,
        &[
            ("both", lang.number(c.customers_in_both as f64, 0)),
            ("new", lang.number(c.new as f64, 0)),
            ("gone", lang.number(c.gone as f64, 0)),
            ("moved", lang.percent(c.moved_under_a_model, 1)),
            ("ari", lang.number(c.segmentation_agreement, 2)),
        ],
    )
}

/// The compare section: an introduction and one table row per matched segment.
pub fn compare_markdown(c: &Comparison, lang: Lang) -> String {
    let t = lang.campaign();
    let mut out = format!("## {}\n\n", t.compare_heading);
    out.push_str(&compare_intro(c, lang));
    out.push_str(&format!(
        "\n\n| {} | {} | {} | {} | {} |\n|---|---|---:|---:|---|\n",
        t.col_earlier, t.col_later, t.col_customers, t.col_net_revenue, t.col_drift
    ));
    let name = |id: &Option<SegmentLabel>, later: bool, missing: &str| match id {
        Some(id) => {
            let n = c
                .name_in(later, *id, lang)
                .unwrap_or_else(|| id.to_string());
            format!("{id} {}", cell(&n))
        }
        None => format!("({missing})"),
    };
    let pair = |a: Option<f64>, b: Option<f64>, money: bool| {
        let f = |x| {
            if money {
                lang.opt_money(x, c.currency.as_deref())
            } else {
                lang.opt_number(x, 0)
            }
        };
        format!("{} → {}", f(a), f(b))
    };
    for s in &c.segments {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            name(&s.a, false, t.new_segment),
            name(&s.b, true, t.dissolved),
            pair(
                s.in_a.as_ref().map(|x| x.customers as f64),
                s.in_b.as_ref().map(|x| x.customers as f64),
                false
            ),
            pair(
                s.in_a.as_ref().map(|x| x.net_revenue),
                s.in_b.as_ref().map(|x| x.net_revenue),
                true
            ),
            s.drift
                .iter()
                .take(3)
                .map(|d| format!(
                    "{} {}",
                    lang.feature_for(&d.feature, c.without_cost()),
                    lang.signed(d.change_sd, 2)
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    notes(&mut out, &c.notes, lang);
    out.push_str("\n![](migration.png)\n");
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::campaign::lift::{measure, LiftOptions, Unit};

    fn report() -> LiftReport {
        let units: Vec<Unit> = (0..40)
            .map(|i| Unit {
                segment: crate::model::SegmentLabel::Segment(crate::model::SegmentId(usize::from(
                    i >= 20,
                ))),
                treated: i % 4 != 0,
                converted: i % 3 == 0,
                revenue: if i % 3 == 0 { 100.0 + i as f64 } else { 0.0 },
                profit: 0.0,
                pre_revenue: 0.0,
            })
            .collect();
        let names = BTreeMap::from([(
            crate::model::SegmentLabel::Segment(crate::model::SegmentId(0)),
            crate::model::SegmentName::new(crate::model::NameKind::LoyalHighSpenders),
        )]);
        let opts = LiftOptions {
            resamples: 100,
            ..LiftOptions::default()
        };
        LiftReport {
            run_id: crate::model::RunId("0123456789abcdef".into()),
            segmint_version: "test".into(),
            holdout: "h.json".into(),
            orders: "o.csv".into(),
            window: crate::campaign::lift::WindowRecord {
                from: "2026-01-01".into(),
                to: None,
            },
            orders_outside_window: 0,
            returns_outside_window: 0,
            notes: Vec::new(),
            buyers_outside_lists: 0,
            revenue_outside_lists: 0.0,
            currency: Some("NOK".into()),
            lift: measure(&units, &names, 0.25, &opts).unwrap(),
        }
    }

    #[test]
    fn lift_section_in_every_language_has_no_placeholders_left() {
        let r = report();
        for (lang, heading, name) in [
            (
                Lang::En,
                "## Campaign lift per segment",
                "Loyal high spenders",
            ),
            (
                Lang::Nb,
                "## Kampanjeeffekt per segment",
                "Lojale toppkunder",
            ),
            (
                Lang::Sv,
                "## Kampanjeffekt per segment",
                "Lojala toppkunder",
            ),
            (
                Lang::Da,
                "## Kampagneeffekt pr. segment",
                "Loyale topkunder",
            ),
        ] {
            let md = lift_markdown(&r, lang);
            assert!(md.starts_with(heading), "{md}");
            assert!(md.contains(name), "{lang:?}: {md}");
            assert!(!md.contains('{'), "{lang:?}: {md}");
            // A row per segment plus the header and rule.
            assert_eq!(md.lines().filter(|l| l.starts_with('|')).count(), 4);
        }
        // Numbers in the language's format: 30 treated customers.
        assert!(lift_markdown(&r, Lang::En).contains("30 customers were sent"));
        // Notes go into the section in its language.
        let mut noted = r.clone();
        noted.notes = vec![crate::model::CampaignNote::BuyersOffLists { customers: 7 }];
        let md = lift_markdown(&noted, Lang::Da);
        assert!(
            md.contains("\n- 7 kunder handlede i perioden, men står ikke på nogen af listerne"),
            "{md}"
        );
        // Money in the mapping's currency, in each language's own format.
        let nb = lift_markdown(&r, Lang::Nb);
        let en = lift_markdown(&r, Lang::En);
        assert!(nb.contains("\u{a0}kr"), "{nb}");
        assert!(en.contains("NOK\u{a0}"), "{en}");
        assert_eq!(
            lift_overall(&r, Lang::Nb).matches("\u{a0}kr").count(),
            6,
            "diff, its interval and the incremental revenue with its interval"
        );
    }

    #[test]
    fn every_language_fills_every_campaign_text() {
        for lang in [Lang::En, Lang::Nb, Lang::Sv, Lang::Da] {
            let t = lang.campaign();
            for text in [
                t.lift_title,
                t.lift_axis,
                t.overall,
                t.alluvial_title,
                t.lift_intro,
                t.lift_overall,
                t.compare_intro,
                t.col_drift,
            ] {
                assert!(!text.trim().is_empty(), "{lang:?}");
            }
            assert!(t.lift_title.contains("{level}") && t.alluvial_title.contains("{to}"));
        }
    }
}
