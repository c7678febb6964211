//! Actions follow from a segment's own numbers and the reference date (issue 18, must-show 4):
//! a Christmas-heavy segment gets the season's campaign with the weeks to the season, browsers
//! with extreme sessions are checked for bots (a hand-made table), and on a truth-bench shop a
//! long-gone segment gets reactivation and never a win-back "before they lapse", browsers who
//! rarely buy get retargeting.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use polars::prelude::*;
use segmint::cluster::sweep::Progress;
use segmint::config::{Config, FlagOptions};
use segmint::features::{FeatureSpec, Features, Group, Kind};
use segmint::i18n::Lang;
use segmint::model::{Action, Assignment, NameKind, SegmentId};
use segmint::pipeline::discover;
use segmint::profile::profile;
use segmint::select::Overrides;
use segmint::truth::{self, presets};

struct Quiet;
impl Progress for Quiet {
    fn start(&self, _: u64) {}
    fn tick(&self) {}
}

/// The planted segment most members of each found segment come from, with the found
/// segment's profile.
fn run(
    preset: presets::Preset,
    customers: usize,
) -> Vec<(String, segmint::profile::SegmentProfile)> {
    let preset = preset.with_customers(customers);
    let shop = truth::generate(&preset, 7).unwrap();
    let dir = tempfile::tempdir().unwrap();
    shop.write(dir.path()).unwrap();
    let mut config = Config::load(&dir.path().join("mapping.toml")).unwrap();
    let k = preset.planted_k();
    let c = &mut config.mapping.cluster;
    (c.k_min, c.k_max, c.dbscan, c.seeds, c.bootstrap) = (k, k, false, 2, 2);
    let d = discover(&config, Overrides::default(), &Quiet).unwrap();
    let profiles = profile(&d.run.features, &d.assignment, &config.mapping.flags).unwrap();
    let planted: BTreeMap<&str, usize> = shop
        .truth
        .iter()
        .map(|p| (p.customer_id.as_str(), p.segment))
        .collect();
    (0..d.model.k)
        .map(|s| {
            let mut votes: BTreeMap<usize, usize> = BTreeMap::new();
            for (id, seg) in d.assignment.ids.iter().zip(&d.assignment.segment) {
                if *seg == Some(SegmentId(s)) {
                    *votes.entry(planted[id.as_str()]).or_default() += 1;
                }
            }
            let top = votes.into_iter().max_by_key(|(_, n)| *n).unwrap().0;
            let label = SegmentId(s).label();
            let p = profiles
                .segments
                .iter()
                .find(|p| p.segment == label)
                .unwrap()
                .clone();
            (shop.segment_names[top].clone(), p)
        })
        .collect()
}

fn actions(p: &segmint::profile::SegmentProfile) -> Vec<Action> {
    p.action_facts.clone().unwrap_or_default()
}

/// Twelve customers in three segments of four: Christmas shoppers whose last order was
/// long ago, browsers with some thirty times the other customers' sessions and no orders, and
/// regulars; the reference date is `as_of`.
fn hand_made(as_of: NaiveDate) -> (Features, Assignment) {
    let four = |x: f64| [x; 4];
    let col = |a: f64, b: f64, c: f64| [four(a), four(b), four(c)].concat();
    let ids: Vec<String> = (0..12).map(|i| format!("c{i:02}")).collect();
    let table = df!(
        "customer_id" => ids.clone(),
        "frequency" => col(3.0, 0.0, 6.0),
        "net_revenue" => col(900.0, 0.0, 3000.0),
        "refunds" => col(0.0, 0.0, 100.0),
        "contribution_profit" => col(300.0, 0.0, 1000.0),
        "recency_days" => [vec![300.0, 310.0, 320.0, 330.0], vec![400.0; 4], vec![10.0, 20.0, 30.0, 40.0]].concat(),
        "tenure_days" => col(1000.0, 600.0, 900.0),
        "holiday_order_share" => [vec![0.95, 1.0, 0.9, 1.0], vec![0.0; 4], vec![0.2, 0.1, 0.2, 0.3]].concat(),
        "sessions" => [vec![5.0, 4.0, 6.0, 5.0], vec![200.0, 190.0, 210.0, 200.0], vec![8.0, 7.0, 9.0, 8.0]].concat(),
        "product_views" => [vec![20.0, 15.0, 25.0, 20.0], vec![900.0, 800.0, 1000.0, 900.0], vec![30.0, 25.0, 35.0, 30.0]].concat(),
    )
    .unwrap();
    let spec = |name: &str, kind| FeatureSpec {
        name: name.into(),
        group: Group::Behaviour,
        kind,
        formula: String::new(),
        levels: Vec::new(),
    };
    let specs = vec![
        spec("frequency", Kind::Count),
        spec("net_revenue", Kind::Money),
        spec("refunds", Kind::Money),
        spec("contribution_profit", Kind::Money),
        spec("recency_days", Kind::Days),
        spec("tenure_days", Kind::Days),
        spec("holiday_order_share", Kind::Rate),
        spec("sessions", Kind::Count),
        spec("product_views", Kind::Count),
    ];
    let assignment = Assignment {
        segment: (0..12).map(|i| Some(SegmentId(i / 4))).collect(),
        ids,
        distance: vec![None; 12],
        silhouette: vec![None; 12],
    };
    let features = Features {
        table,
        specs,
        sources: vec![],
        as_of,
    };
    (features, assignment)
}

#[test]
fn christmas_shoppers_get_the_season_campaign_and_extreme_browsers_a_bot_check() {
    for (date, weeks) in [
        ((2025, 10, 15), Some(3)),
        ((2025, 11, 20), Some(0)),
        ((2025, 12, 31), None),
        ((2025, 6, 30), None),
    ] {
        let as_of = NaiveDate::from_ymd_opt(date.0, date.1, date.2).unwrap();
        let (f, a) = hand_made(as_of);
        let p = profile(&f, &a, &FlagOptions::default()).unwrap();
        let seg = |label: &str| p.segments.iter().find(|s| s.segment == label).unwrap();
        // Nearly every order at Christmas, the last one 300+ days ago: seasonal, not lapsed,
        // and never "won back before they lapse".
        let christmas = seg("1");
        assert_eq!(
            christmas.name_facts.as_ref().map(|n| n.kind.clone()),
            Some(NameKind::SeasonalBuyers),
            "{as_of}"
        );
        assert_eq!(
            actions(christmas),
            vec![Action::SeasonCampaign { weeks }],
            "{as_of}"
        );
        // No orders, 200 sessions against 6.5: 31 times: checked for bots before retargeting.
        let browsers = seg("2");
        assert_eq!(
            actions(browsers)
                .into_iter()
                .filter(|a| matches!(a, Action::CheckForBots { .. } | Action::Retarget))
                .collect::<Vec<_>>(),
            vec![
                Action::CheckForBots { sessions_ratio: 31 },
                Action::Retarget
            ],
            "{as_of}"
        );
        // The regulars get neither.
        assert!(actions(seg("3")).iter().all(|a| !matches!(
            a,
            Action::SeasonCampaign { .. } | Action::CheckForBots { .. }
        )));
        // In words, with the weeks to the season.
        if weeks == Some(3) {
            assert_eq!(
                christmas.actions_in(Lang::Nb),
                ["Planlegg julekampanjen for dem nå: sesongen starter om 3 uker, og de fleste ordrene deres kommer i november–desember"]
            );
        }
    }
}

#[test]
fn long_gone_segments_are_reactivated_never_won_back_before_they_lapse() {
    let found = run(presets::by_name("apparel7").unwrap(), 2500);
    let (_, dormant) = found
        .iter()
        .find(|(planted, _)| planted == "dormant")
        .expect("the dormant customers are found");
    assert!(
        actions(dormant).contains(&Action::Reactivation),
        "{:?}",
        actions(dormant)
    );
    for (planted, p) in &found {
        // Gone for a year or more: never "win back before they lapse".
        if p.recency_days.is_some_and(|r| r >= 365.0) {
            assert!(
                !actions(p).contains(&Action::WinBack),
                "{planted}: {:?}",
                actions(p)
            );
        }
    }
    let (_, browsers) = found
        .iter()
        .find(|(planted, _)| planted == "window_shoppers")
        .expect("the window shoppers are found");
    assert!(
        actions(browsers).contains(&Action::Retarget),
        "{:?}",
        actions(browsers)
    );
}
