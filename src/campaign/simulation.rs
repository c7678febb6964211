//! Simulations of the lift measurement: with no effect the tests reject at about α, with a
//! planted effect the intervals cover the truth at about their nominal rate.
//!
//! Every simulation is seeded. The bands are about three standard errors of a rate estimated
//! from the number of replications, so a correct procedure fails them about once in 300 runs
//! of a *different* seed; with the fixed seeds here they pass or fail deterministically.

use std::collections::BTreeMap;

use super::lift::{measure, LiftOptions, Primary, Unit};
use super::stats::{self, SplitMix};

/// Standard normal by Box–Muller.
fn normal(r: &mut SplitMix) -> f64 {
    let u = 1.0 - r.unit();
    let v = r.unit();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// Spend of a buyer: log-normal with log-mean `mu` and log-sd `sigma` (skewed, like orders).
fn spend(r: &mut SplitMix, mu: f64, sigma: f64) -> f64 {
    (mu + sigma * normal(r)).exp()
}

/// A planted segment: conversion in control and treatment, log-normal spend of buyers.
#[derive(Clone, Copy)]
struct Plant {
    n: usize,
    share: f64,
    p_control: f64,
    p_treatment: f64,
    mu: f64,
    sigma: f64,
}

impl Plant {
    fn mean_spend(&self) -> f64 {
        (self.mu + self.sigma * self.sigma / 2.0).exp()
    }
    /// True difference in revenue per customer (intention to treat).
    fn revenue_diff(&self) -> f64 {
        (self.p_treatment - self.p_control) * self.mean_spend()
    }
    fn control(&self) -> usize {
        (self.share * self.n as f64).round() as usize
    }
}

fn draw(plants: &[Plant], r: &mut SplitMix) -> Vec<Unit> {
    let mut units = Vec::new();
    for (s, pl) in plants.iter().enumerate() {
        for i in 0..pl.n {
            let treated = i >= pl.control();
            let p = if treated {
                pl.p_treatment
            } else {
                pl.p_control
            };
            let converted = r.unit() < p;
            let revenue = if converted {
                spend(r, pl.mu, pl.sigma)
            } else {
                0.0
            };
            units.push(Unit {
                segment: crate::model::SegmentLabel::Segment(crate::model::SegmentId(s)),
                treated,
                converted,
                revenue,
                profit: 0.4 * revenue,
                pre_revenue: 0.0,
            });
        }
    }
    units
}

fn opts(resamples: usize, seed: u64, winsor: f64) -> LiftOptions {
    LiftOptions {
        resamples,
        seed,
        winsor,
        ..LiftOptions::default()
    }
}

fn rate(hits: usize, n: usize) -> f64 {
    hits as f64 / n as f64
}

#[test]
fn aa_false_positive_rate_is_near_alpha() {
    // 2000 A/A experiments on a segment of 400 customers, 25% held out, 20% buy, skewed spend.
    let plant = Plant {
        n: 400,
        share: 0.25,
        p_control: 0.2,
        p_treatment: 0.2,
        mu: 6.0,
        sigma: 0.8,
    };
    let reps = 2000;
    let mut r = SplitMix::new(2026);
    let (mut conv, mut welch_w, mut welch_raw) = (0, 0, 0);
    let names = BTreeMap::new();
    for rep in 0..reps {
        let units = draw(&[plant], &mut r);
        let l = measure(&units, &names, plant.share, &opts(2, rep as u64, 0.99)).unwrap();
        let s = &l.segments[0];
        conv += (s.conversion.p_value < 0.05) as usize;
        welch_w += (s.revenue.winsorised.p_value < 0.05) as usize;
        welch_raw += (s.revenue.raw.p_value < 0.05) as usize;
    }
    let (c, w, raw) = (rate(conv, reps), rate(welch_w, reps), rate(welch_raw, reps));
    eprintln!("A/A false-positive rates over {reps} runs: conversion {c:.4}, revenue winsorised (99th) Welch {w:.4}, raw Welch {raw:.4}");
    // Three standard errors of a 5% rate over 2000 runs: ±0.0146.
    for (what, x) in [("conversion", c), ("winsorised Welch", w)] {
        assert!(
            (0.035..=0.065).contains(&x),
            "{what}: false-positive rate {x}"
        );
    }
    // Welch's t on the raw values runs a little liberal on zero-inflated, skewed revenue with
    // 100 control customers (0.068 with this seed): the reason the primary test winsorises.
    assert!(
        (0.035..=0.08).contains(&raw),
        "raw Welch: false-positive rate {raw}"
    );
}

#[test]
fn holm_keeps_the_family_wise_error_at_alpha() {
    // Five segments, no effect anywhere: without correction about 1 − 0.95⁵ = 23% of the
    // campaigns show a "significant" segment; with Holm's correction at most about 5%.
    let plants: Vec<Plant> = (0..5)
        .map(|k| Plant {
            n: 200 + 50 * k,
            share: 0.2,
            p_control: 0.1 + 0.05 * k as f64,
            p_treatment: 0.1 + 0.05 * k as f64,
            mu: 5.0,
            sigma: 0.6,
        })
        .collect();
    let reps = 600;
    let mut r = SplitMix::new(11);
    let (mut raw_any, mut holm_any) = (0, 0);
    for rep in 0..reps {
        let units = draw(&plants, &mut r);
        let o = LiftOptions {
            primary: Primary::Conversion,
            ..opts(2, rep as u64, 0.99)
        };
        let l = measure(&units, &BTreeMap::new(), 0.2, &o).unwrap();
        raw_any += l.segments.iter().any(|s| s.primary_p < 0.05) as usize;
        holm_any += l.segments.iter().any(|s| s.significant) as usize;
    }
    let (raw, holm) = (rate(raw_any, reps), rate(holm_any, reps));
    eprintln!("family-wise error over {reps} A/A campaigns of 5 segments: uncorrected {raw:.3}, Holm {holm:.3}");
    assert!(raw > 0.15, "uncorrected family-wise error {raw}");
    // 0.05 + 3 standard errors (0.0089) over 600 runs.
    assert!(holm <= 0.077, "Holm family-wise error {holm}");
}

#[test]
fn srm_rejects_at_alpha_under_random_assignment_and_flags_a_broken_split() {
    let mut r = SplitMix::new(5);
    let reps = 2000;
    let mut hits = 0;
    for _ in 0..reps {
        let c = (0..1000).filter(|_| r.unit() < 0.1).count() as u64;
        hits += (stats::srm(1000 - c, c, 0.1).1 < 0.05) as usize;
    }
    let x = rate(hits, reps);
    eprintln!("SRM rejections at 0.05 under Bernoulli(0.1) assignment over {reps} runs: {x:.4}");
    assert!((0.035..=0.065).contains(&x), "{x}");
    // 20% of the control group lost (e.g. removed from a list): flagged.
    assert!(stats::srm(900, 80, 0.1).1 < 0.001 || stats::srm(900, 80, 0.1).0 > 3.0);
}

#[test]
fn planted_effect_intervals_cover_the_truth() {
    // Conversion 20% → 26%, spend log-normal: true revenue lift per customer known exactly.
    let plant = Plant {
        n: 600,
        share: 0.3,
        p_control: 0.2,
        p_treatment: 0.26,
        mu: 6.0,
        sigma: 0.7,
    };
    let (true_conv, true_rev) = (0.06, plant.revenue_diff());
    let true_rel_conv = 0.26 / 0.2 - 1.0;
    let reps = 1000;
    let mut r = SplitMix::new(99);
    let (mut conv, mut rel, mut rev, mut inc) = (0, 0, 0, 0);
    for rep in 0..reps {
        let units = draw(&[plant], &mut r);
        let l = measure(
            &units,
            &BTreeMap::new(),
            plant.share,
            &opts(2, rep as u64, 1.0),
        )
        .unwrap();
        let s = &l.segments[0];
        conv += s.conversion.diff_ci.covers(true_conv) as usize;
        rel += s.conversion.relative_ci.unwrap().covers(true_rel_conv) as usize;
        rev += s.revenue.raw.ci.covers(true_rev) as usize;
        let treated = (plant.n - plant.control()) as f64;
        inc += l.overall.incremental_revenue_ci.covers(treated * true_rev) as usize;
    }
    let (c, rl, rv, ic) = (
        rate(conv, reps),
        rate(rel, reps),
        rate(rev, reps),
        rate(inc, reps),
    );
    eprintln!("coverage of 95% intervals over {reps} runs with a planted effect: conversion diff {c:.3}, relative conversion lift {rl:.3}, revenue diff (Welch) {rv:.3}, incremental revenue {ic:.3}");
    // Three standard errors of a 95% rate over 1000 runs: ±0.021.
    for (what, x) in [
        ("conversion", c),
        ("relative conversion", rl),
        ("revenue", rv),
        ("incremental revenue", ic),
    ] {
        assert!((0.929..=0.971).contains(&x), "{what}: coverage {x}");
    }
}

#[test]
fn bootstrap_intervals_cover_a_planted_overall_effect() {
    // Three segments with different effects; the bootstrap intervals of each segment's revenue
    // difference and of the incremental revenue across segments.
    let plants = [
        Plant {
            n: 300,
            share: 0.3,
            p_control: 0.3,
            p_treatment: 0.36,
            mu: 6.5,
            sigma: 0.6,
        },
        Plant {
            n: 300,
            share: 0.3,
            p_control: 0.15,
            p_treatment: 0.15,
            mu: 5.5,
            sigma: 0.6,
        },
        Plant {
            n: 300,
            share: 0.3,
            p_control: 0.05,
            p_treatment: 0.08,
            mu: 6.0,
            sigma: 0.6,
        },
    ];
    let truth_inc: f64 = plants
        .iter()
        .map(|p| (p.n - p.control()) as f64 * p.revenue_diff())
        .sum();
    let reps = 300;
    let mut r = SplitMix::new(3);
    let (mut seg, mut inc_b, mut inc_n) = (0, 0, 0);
    for rep in 0..reps {
        let units = draw(&plants, &mut r);
        let l = measure(&units, &BTreeMap::new(), 0.3, &opts(400, rep as u64, 1.0)).unwrap();
        seg += l.segments[0]
            .revenue
            .bootstrap_ci
            .covers(plants[0].revenue_diff()) as usize;
        inc_b += l.overall.incremental_revenue_bootstrap_ci.covers(truth_inc) as usize;
        inc_n += l.overall.incremental_revenue_ci.covers(truth_inc) as usize;
    }
    let (s, b, n) = (rate(seg, reps), rate(inc_b, reps), rate(inc_n, reps));
    eprintln!("coverage over {reps} runs (bootstrap 400 resamples): segment revenue diff {s:.3}, incremental revenue bootstrap {b:.3}, normal {n:.3}");
    // Three standard errors of a 95% rate over 300 runs: ±0.038; the percentile bootstrap
    // runs a little narrow on samples this small, so the band reaches lower.
    for (what, x) in [
        ("segment bootstrap", s),
        ("incremental bootstrap", b),
        ("incremental normal", n),
    ] {
        assert!((0.90..=0.99).contains(&x), "{what}: coverage {x}");
    }
}

#[test]
fn cuped_narrows_the_interval_and_still_covers() {
    // Post-period revenue follows the pre-period revenue; the campaign adds a fixed amount
    // to treated buyers' spend.
    let reps = 600;
    let n = 500;
    let share = 0.3;
    let control = (share * n as f64).round() as usize;
    let effect = 40.0;
    let mut r = SplitMix::new(17);
    let (mut cover, mut width_cuped, mut width_plain, mut reduction) = (0, 0.0, 0.0, 0.0);
    for rep in 0..reps {
        let units: Vec<Unit> = (0..n)
            .map(|i| {
                let treated = i >= control;
                let pre = spend(&mut r, 6.0, 0.5);
                let rev = (0.8 * pre + 100.0 * normal(&mut r)).max(0.0)
                    + if treated { effect } else { 0.0 };
                Unit {
                    segment: crate::model::SegmentLabel::Segment(crate::model::SegmentId(0)),
                    treated,
                    converted: rev > 0.0,
                    revenue: rev,
                    profit: rev,
                    pre_revenue: pre,
                }
            })
            .collect();
        let o = LiftOptions {
            cuped: true,
            ..opts(2, rep as u64, 1.0)
        };
        let l = measure(&units, &BTreeMap::new(), share, &o).unwrap();
        let s = &l.segments[0];
        let cu = s.cuped.as_ref().unwrap();
        cover += cu.test.ci.covers(effect) as usize;
        width_cuped += cu.test.ci.high - cu.test.ci.low;
        width_plain += s.revenue.winsorised.ci.high - s.revenue.winsorised.ci.low;
        reduction += cu.variance_reduction;
    }
    let c = rate(cover, reps);
    eprintln!(
        "CUPED over {reps} runs: coverage {c:.3}, mean variance reduction {:.2}, interval width {:.1} against {:.1}",
        reduction / reps as f64,
        width_cuped / reps as f64,
        width_plain / reps as f64
    );
    assert!((0.923..=0.977).contains(&c), "CUPED coverage {c}");
    assert!(width_cuped < 0.8 * width_plain);
}
