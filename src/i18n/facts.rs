//! The words of the campaign and lookalike facts ([`HoldoutProblem`], [`CampaignNote`],
//! [`SeedWarning`]) in every language, from the `[notes]` texts. The `_plain` forms are the
//! English the command line prints: numbers as the data hold them.

use super::{fill, Lang};
use crate::model::{CampaignNote, HoldoutProblem, SeedWarning};

/// How a fact's numbers are written: in a language's own format, or plain.
#[derive(Clone, Copy)]
struct Numbers {
    lang: Lang,
    plain: bool,
}

impl Numbers {
    fn count(self, n: usize) -> String {
        if self.plain {
            n.to_string()
        } else {
            self.lang.number(n as f64, 0)
        }
    }

    fn number(self, x: f64, decimals: usize) -> String {
        if self.plain {
            super::plain_number(x, decimals)
        } else {
            self.lang.number(x, decimals)
        }
    }

    /// A setting as given: every decimal it has (up to 6), none added (`0.05`, `0.8`, `30`).
    fn exact(self, x: f64) -> String {
        let s = format!("{}", (x * 1e6).round() / 1e6);
        let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
        self.number(x, decimals)
    }

    /// A share as set (`--share 0.025` → `2.5%`): every decimal it has, none added.
    fn exact_percent(self, share: f64) -> String {
        let n = self.exact(100.0 * share);
        if self.plain || self.lang == Lang::En {
            format!("{n}%")
        } else {
            format!("{n}\u{a0}%")
        }
    }

    fn percent(self, share: f64) -> String {
        if self.plain {
            super::plain_percent(share, 0)
        } else {
            self.lang.percent(share, 0)
        }
    }

    fn date(self, iso: &str) -> String {
        if self.plain {
            iso.to_string()
        } else {
            self.lang.date(iso)
        }
    }

    /// A p-value: below 0.001 as `< 0.001`.
    fn p_value(self, p: f64) -> String {
        if self.plain {
            format!("{p:.2e}")
        } else if p < 0.001 {
            format!("< {}", self.lang.number(0.001, 3))
        } else {
            self.lang.number(p, 3)
        }
    }
}

impl Lang {
    /// Why a holdout test of one segment is unlikely to be useful, in this language; `None`
    /// without problems. `alpha`, `power` and `max_relative` are the holdout's settings (its
    /// significance level, power and the largest useful relative detectable lift).
    pub fn holdout_warning(
        self,
        problems: &[HoldoutProblem],
        alpha: f64,
        power: f64,
        max_relative: f64,
    ) -> Option<String> {
        holdout_text(
            Numbers {
                lang: self,
                plain: false,
            },
            problems,
            [alpha, power, max_relative],
        )
    }

    /// A note of a campaign measurement or a comparison of runs, in this language.
    pub fn campaign_note(self, note: &CampaignNote) -> String {
        note_text(
            Numbers {
                lang: self,
                plain: false,
            },
            note,
        )
    }

    /// A warning of a lookalike seed or exclusion file, in this language.
    pub fn seed_warning(self, warning: &SeedWarning) -> String {
        seed_text(
            Numbers {
                lang: self,
                plain: false,
            },
            warning,
        )
    }
}

const PLAIN: Numbers = Numbers {
    lang: Lang::En,
    plain: true,
};

/// [`Lang::holdout_warning`] in plain English, as the command line prints it.
pub fn holdout_warning_plain(
    problems: &[HoldoutProblem],
    alpha: f64,
    power: f64,
    max_relative: f64,
) -> Option<String> {
    holdout_text(PLAIN, problems, [alpha, power, max_relative])
}

/// [`Lang::campaign_note`] in plain English, as the command line prints it.
pub fn campaign_note_plain(note: &CampaignNote) -> String {
    note_text(PLAIN, note)
}

/// [`Lang::seed_warning`] in plain English, as the command line prints it.
pub fn seed_warning_plain(warning: &SeedWarning) -> String {
    seed_text(PLAIN, warning)
}

fn holdout_text(
    f: Numbers,
    problems: &[HoldoutProblem],
    [alpha, power, max_relative]: [f64; 3],
) -> Option<String> {
    if problems.is_empty() {
        return None;
    }
    let t = &f.lang.catalogue().notes;
    let parts: Vec<String> = problems
        .iter()
        .map(|p| match p {
            HoldoutProblem::TooFewToSplit { customers, share } => fill(
                t["holdout_too_few"],
                &[
                    ("n", f.count(*customers)),
                    ("share", f.exact_percent(*share)),
                ],
            ),
            HoldoutProblem::NoRecentOrders { window_days } => {
                fill(t["holdout_no_recent"], &[("days", f.exact(*window_days))])
            }
            HoldoutProblem::ConversionLiftTooLarge { relative } => fill(
                t["holdout_conversion_lift"],
                &[("pct", f.percent(*relative))],
            ),
            HoldoutProblem::NoRevenue => t["holdout_no_revenue"].to_string(),
            HoldoutProblem::RevenueLiftTooLarge { relative } => {
                fill(t["holdout_revenue_lift"], &[("pct", f.percent(*relative))])
            }
        })
        .collect();
    Some(fill(
        t["holdout_warning"],
        &[
            ("problems", parts.join("; ")),
            ("alpha", f.exact(alpha)),
            ("power", f.exact(power)),
            ("max", f.exact_percent(max_relative)),
        ],
    ))
}

fn note_text(f: Numbers, note: &CampaignNote) -> String {
    let t = &f.lang.catalogue().notes;
    match note {
        CampaignNote::ListChanged { file } => {
            fill(t["campaign_list_changed"], &[("file", file.clone())])
        }
        CampaignNote::OrdersOutsideWindow {
            orders,
            lines,
            file,
            from,
            to,
        } => {
            let period = match to {
                Some(to) => fill(
                    t["period_between"],
                    &[("from", f.date(from)), ("to", f.date(to))],
                ),
                None => fill(t["period_from"], &[("from", f.date(from))]),
            };
            fill(
                t["campaign_orders_outside"],
                &[
                    ("orders", f.count(*orders)),
                    ("lines", f.count(*lines)),
                    ("file", file.clone()),
                    ("period", period),
                ],
            )
        }
        CampaignNote::BuyersOffLists { customers } => fill(
            t["campaign_buyers_off_lists"],
            &[("n", f.count(*customers))],
        ),
        CampaignNote::SampleRatioMismatch {
            segment,
            name,
            chi2,
            p_value,
            control,
            expected_control,
        } => fill(
            t["campaign_srm"],
            &[
                ("segment", segment.to_string()),
                ("name", f.lang.segment_name(name)),
                ("chi2", f.number(*chi2, 1)),
                ("p", f.p_value(*p_value)),
                ("control", f.count(*control)),
                ("expected", f.number(*expected_control, 0)),
            ],
        ),
        CampaignNote::FeaturesMissing { features } => {
            let names: Vec<String> = features
                .iter()
                .map(|n| {
                    if f.plain {
                        n.clone()
                    } else {
                        f.lang.feature(n).to_lowercase()
                    }
                })
                .collect();
            fill(
                t["campaign_features_missing"],
                &[("features", names.join(", "))],
            )
        }
        CampaignNote::Words { text } => text.clone(),
    }
}

fn seed_text(f: Numbers, warning: &SeedWarning) -> String {
    let t = &f.lang.catalogue().notes;
    match warning {
        SeedWarning::LargeSeed { written, above } => fill(
            t["seed_large"],
            &[("n", f.count(*written)), ("above", f.count(*above))],
        ),
        SeedWarning::ExclusionBelowMinimum {
            written,
            minimum,
            platform,
        } => fill(
            t["seed_exclusion_small"],
            &[
                ("n", f.count(*written)),
                ("min", f.count(*minimum)),
                ("platform", platform.clone()),
            ],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NameKind, SegmentName};

    #[test]
    fn every_campaign_and_seed_fact_has_a_text_in_every_language() {
        let mut texts: Vec<(Lang, String)> = Vec::new();
        for lang in Lang::ALL {
            for p in HoldoutProblem::examples() {
                texts.push((lang, lang.holdout_warning(&[p], 0.05, 0.8, 0.2).unwrap()));
            }
            for n in CampaignNote::examples() {
                if !matches!(n, CampaignNote::Words { .. }) {
                    texts.push((lang, lang.campaign_note(&n)));
                }
            }
            for w in SeedWarning::examples() {
                texts.push((lang, lang.seed_warning(&w)));
            }
        }
        for (lang, s) in &texts {
            assert!(!s.is_empty() && !s.contains('{'), "{lang:?}: {s}");
        }
        // Each non-English text differs from the English one.
        let per = texts.len() / Lang::ALL.len();
        for (i, lang) in Lang::ALL.iter().enumerate() {
            if *lang == Lang::En {
                continue;
            }
            let en = Lang::ALL.iter().position(|l| *l == Lang::En).unwrap();
            for j in 0..per {
                assert_ne!(texts[i * per + j].1, texts[en * per + j].1, "{lang:?}");
            }
        }
    }

    #[test]
    fn holdout_warning_words_each_problem_with_its_numbers() {
        let p = [
            HoldoutProblem::ConversionLiftTooLarge { relative: 0.354 },
            HoldoutProblem::NoRevenue,
        ];
        assert_eq!(
            holdout_warning_plain(&p, 0.05, 0.8, 0.2).unwrap(),
            "only a conversion lift above 35% (relative) would be detected; the segment has no \
             revenue to plan the smallest detectable lift in revenue with (α 0.05, power 0.8; a \
             test is useful when it detects lifts below 20%): hold out a larger share, run the \
             campaign longer, or measure this segment together with others"
        );
        assert_eq!(
            Lang::Nb.holdout_warning(&p[..1], 0.05, 0.8, 0.2).unwrap(),
            "bare en økning i konvertering på over 35\u{a0}% (relativt) vil kunne påvises \
             (α 0,05, teststyrke 0,8; en test er nyttig når den kan påvise økninger under \
             20\u{a0}%): Hold en større andel utenfor, la kampanjen vare lenger, eller mål dette \
             segmentet sammen med andre"
        );
        assert_eq!(holdout_warning_plain(&[], 0.05, 0.8, 0.2), None);
        // Settings as given: a 2.5 % share and α 0.001 keep their decimals.
        let few = [HoldoutProblem::TooFewToSplit {
            customers: 3,
            share: 0.025,
        }];
        let plain = holdout_warning_plain(&few, 0.001, 0.9, 0.2).unwrap();
        assert!(
            plain.starts_with("3 customers are too few to split with 2.5% held out")
                && plain.contains("(α 0.001, power 0.9;"),
            "{plain}"
        );
        let sv = Lang::Sv.holdout_warning(&few, 0.001, 0.9, 0.2).unwrap();
        assert!(
            sv.contains("2,5\u{a0}% hålls utanför") && sv.contains("α 0,001"),
            "{sv}"
        );
    }

    #[test]
    fn campaign_notes_carry_their_numbers_into_every_language() {
        let srm = CampaignNote::SampleRatioMismatch {
            segment: crate::model::SegmentLabel::Segment(crate::model::SegmentId(2)),
            name: SegmentName::new(NameKind::Unassigned),
            chi2: 14.25,
            p_value: 0.00016,
            control: 80,
            expected_control: 120.4,
        };
        let plain = campaign_note_plain(&srm);
        assert!(plain.starts_with("segment 3 ("), "{plain}");
        assert!(
            plain.ends_with("sample-ratio mismatch (χ² 14.3, p 1.60e-4): 80 control customers where 120 were planned"),
            "{plain}"
        );
        let da = Lang::Da.campaign_note(&srm);
        // 14.25 rounds half away from zero, as every number the report shows.
        assert!(da.contains("χ² 14,3, p < 0,001"), "{da}");
        let window = CampaignNote::OrdersOutsideWindow {
            orders: 1200,
            lines: 3400,
            file: "post.csv".into(),
            from: "2026-11-01".into(),
            to: Some("2026-11-30".into()),
        };
        assert_eq!(
            campaign_note_plain(&window),
            "1200 orders (3400 lines) of post.csv are dated outside the post period (2026-11-01 to 2026-11-30): not counted"
        );
        assert_eq!(
            Lang::Nb.campaign_note(&window),
            "1\u{a0}200 ordrer (3\u{a0}400 linjer) i post.csv er datert utenfor perioden etter kampanjestart (01.11.2026–30.11.2026): De er ikke tatt med"
        );
        let old = CampaignNote::Words {
            text: "as an older segmint wrote it".into(),
        };
        assert_eq!(Lang::Sv.campaign_note(&old), "as an older segmint wrote it");
    }

    /// Notes of a `lift.json` or `compare.json` written before notes were facts (plain
    /// strings) still read, as their words; facts read as facts.
    #[test]
    fn older_files_notes_read_as_words() {
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(default, deserialize_with = "crate::model::campaign_notes")]
            notes: Vec<CampaignNote>,
        }
        let f: File = serde_json::from_str(
            r#"{"notes": ["12 orders (30 lines) of post.csv are dated outside", {"note": "buyers_off_lists", "customers": 7}]}"#,
        )
        .unwrap();
        assert_eq!(
            f.notes,
            [
                CampaignNote::Words {
                    text: "12 orders (30 lines) of post.csv are dated outside".into()
                },
                CampaignNote::BuyersOffLists { customers: 7 }
            ]
        );
        let none: File = serde_json::from_str("{}").unwrap();
        assert!(none.notes.is_empty());
        // And the facts write as they read.
        for n in CampaignNote::examples() {
            let v = serde_json::to_value(&n).unwrap();
            let back: File = serde_json::from_value(serde_json::json!({ "notes": [v] })).unwrap();
            assert_eq!(back.notes, [n]);
        }
    }
}
