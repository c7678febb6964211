//! The statistics behind `holdout` and `lift`: distributions, tests, intervals and a seeded
//! bootstrap. Pure functions on slices; nothing here reads or writes files.
//!
//! * Distributions: the normal, Student's t (any real degrees of freedom, through the
//!   regularised incomplete beta function) and χ² with one degree of freedom; quantiles by
//!   bisection on the distribution function, so they are as exact as the functions themselves.
//! * Tests: [`two_proportions`] (pooled z test, unpooled Wald interval, relative lift with a
//!   log-ratio interval), [`welch`] (Welch's t with Welch–Satterthwaite degrees of freedom),
//!   [`srm`] (sample-ratio mismatch, χ² with one degree of freedom), [`holm`].
//! * Helpers: [`winsorize`] at a stated percentile, [`cuped`] (variance reduction with a
//!   pre-period covariate), [`bootstrap_diff`] (percentile interval of a difference of means,
//!   seeded), [`mde_proportion`] and [`mde_mean`] (minimum detectable effects).

use serde::{Deserialize, Serialize};

/// Φ(x), the standard normal distribution function.
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

/// 1 − Φ(x), accurate in the upper tail.
pub fn normal_sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / std::f64::consts::SQRT_2)
}

/// Φ⁻¹(p) for 0 < p < 1 (bisection to machine precision).
pub fn normal_quantile(p: f64) -> f64 {
    invert(normal_cdf, p, -40.0, 40.0)
}

/// The regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz).
pub fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front =
        libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(a, b, x) / a
    } else {
        1.0 - front * beta_cf(b, a, 1.0 - x) / b
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-16 {
            break;
        }
    }
    h
}

/// The distribution function of Student's t with `df` (> 0, not necessarily whole) degrees
/// of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    if !df.is_finite() || df > 1e8 {
        return normal_cdf(t);
    }
    let x = df / (df + t * t);
    let tail = 0.5 * inc_beta(df / 2.0, 0.5, x);
    if t > 0.0 {
        1.0 - tail
    } else {
        tail
    }
}

/// Two-sided p-value of a t statistic.
pub fn t_two_sided_p(t: f64, df: f64) -> f64 {
    if !df.is_finite() || df > 1e8 {
        return 2.0 * normal_sf(t.abs());
    }
    let x = df / (df + t * t);
    inc_beta(df / 2.0, 0.5, x).min(1.0)
}

/// The p-quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let mut hi = 64.0;
    while t_cdf(hi, df) < p && hi < 1e12 {
        hi *= 16.0;
    }
    invert(|t| t_cdf(t, df), p, -hi, hi)
}

/// P(χ²₁ > x): the upper tail of χ² with one degree of freedom.
pub fn chi2_1_sf(x: f64) -> f64 {
    if x <= 0.0 {
        1.0
    } else {
        libm::erfc((x / 2.0).sqrt())
    }
}

fn invert(f: impl Fn(f64) -> f64, p: f64, mut lo: f64, mut hi: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid == lo || mid == hi {
            break;
        }
        if f(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// An interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
}

impl Interval {
    /// Whether `x` lies in the closed interval.
    pub fn covers(&self, x: f64) -> bool {
        self.low <= x && x <= self.high
    }
}

/// Mean and unbiased variance (n − 1); variance 0 for fewer than two values.
pub fn mean_var(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    if v.is_empty() {
        return (f64::NAN, 0.0);
    }
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() < 2 {
        0.0
    } else {
        v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (n - 1.0)
    };
    (m, var)
}

/// Treatment against control on a yes/no outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProportionTest {
    /// Share of the treatment group with the outcome.
    pub treatment: f64,
    /// Share of the control group with the outcome.
    pub control: f64,
    /// treatment − control (percentage points as a fraction).
    pub diff: f64,
    /// Wald interval of the difference (unpooled standard error).
    pub diff_ci: Interval,
    /// z statistic of the pooled two-proportion test.
    pub z: f64,
    /// Two-sided p-value of the pooled test.
    pub p_value: f64,
    /// treatment / control − 1; `None` when the control share is 0.
    pub relative: Option<f64>,
    /// Interval of the relative lift from the log of the ratio (delta method; 0.5 added to
    /// the counts when one of them is 0).
    pub relative_ci: Option<Interval>,
}

/// The pooled two-proportion z test of `x_t` of `n_t` against `x_c` of `n_c`, with a
/// `1 − alpha` interval of the difference and of the relative lift.
pub fn two_proportions(x_t: u64, n_t: u64, x_c: u64, n_c: u64, alpha: f64) -> ProportionTest {
    let (nt, nc) = (n_t as f64, n_c as f64);
    let (pt, pc) = (x_t as f64 / nt, x_c as f64 / nc);
    let pool = (x_t + x_c) as f64 / (nt + nc);
    let se0 = (pool * (1.0 - pool) * (1.0 / nt + 1.0 / nc)).sqrt();
    let diff = pt - pc;
    let z = if se0 > 0.0 { diff / se0 } else { 0.0 };
    let se = (pt * (1.0 - pt) / nt + pc * (1.0 - pc) / nc).sqrt();
    let q = normal_quantile(1.0 - alpha / 2.0);
    let (relative, relative_ci) = if x_c == 0 || n_t == 0 {
        (None, None)
    } else {
        // Katz log interval of the risk ratio; 0.5 added to empty cells.
        let (a, c) = if x_t == 0 {
            (0.5, x_c as f64 + 0.5)
        } else {
            (x_t as f64, x_c as f64)
        };
        let (bt, bc) = if x_t == 0 {
            (nt + 0.5, nc + 0.5)
        } else {
            (nt, nc)
        };
        let rr = (a / bt) / (c / bc);
        let se_log = (1.0 / a - 1.0 / bt + 1.0 / c - 1.0 / bc).max(0.0).sqrt();
        (
            Some(pt / pc - 1.0),
            Some(Interval {
                low: rr * (-q * se_log).exp() - 1.0,
                high: rr * (q * se_log).exp() - 1.0,
            }),
        )
    };
    ProportionTest {
        treatment: pt,
        control: pc,
        diff,
        diff_ci: Interval {
            low: diff - q * se,
            high: diff + q * se,
        },
        z,
        p_value: if se0 > 0.0 {
            2.0 * normal_sf(z.abs())
        } else {
            1.0
        },
        relative,
        relative_ci,
    }
}

/// Welch's two-sample t test of the means.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WelchTest {
    /// Mean of the treatment values.
    pub mean_treatment: f64,
    /// Mean of the control values.
    pub mean_control: f64,
    /// Difference of the means (treatment − control).
    pub diff: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// t statistic.
    pub t: f64,
    /// Welch–Satterthwaite degrees of freedom.
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    /// `1 − alpha` interval of the difference.
    pub ci: Interval,
    /// diff / mean_control; `None` when the control mean is 0.
    pub relative: Option<f64>,
    /// Interval of the relative lift by the delta method for a ratio of independent means.
    pub relative_ci: Option<Interval>,
}

/// Welch's t test of `treatment` against `control` (each needs two values or more).
pub fn welch(treatment: &[f64], control: &[f64], alpha: f64) -> WelchTest {
    let (mt, vt) = mean_var(treatment);
    let (mc, vc) = mean_var(control);
    let (nt, nc) = (treatment.len() as f64, control.len() as f64);
    let (st, sc) = (vt / nt, vc / nc);
    let se = (st + sc).sqrt();
    let diff = mt - mc;
    let df = if st + sc > 0.0 {
        (st + sc).powi(2) / (st * st / (nt - 1.0) + sc * sc / (nc - 1.0))
    } else {
        nt + nc - 2.0
    };
    let (t, p) = if se > 0.0 {
        (diff / se, t_two_sided_p(diff / se, df))
    } else {
        (0.0, if diff == 0.0 { 1.0 } else { 0.0 })
    };
    let q = t_quantile(1.0 - alpha / 2.0, df.max(1.0));
    let (relative, relative_ci) = if mc != 0.0 && mt.is_finite() {
        let r = mt / mc;
        let se_r = r.abs() * (if mt != 0.0 { st / (mt * mt) } else { 0.0 } + sc / (mc * mc)).sqrt();
        let se_r = if mt == 0.0 {
            st.sqrt() / mc.abs()
        } else {
            se_r
        };
        let z = normal_quantile(1.0 - alpha / 2.0);
        (
            Some(r - 1.0),
            Some(Interval {
                low: r - 1.0 - z * se_r,
                high: r - 1.0 + z * se_r,
            }),
        )
    } else {
        (None, None)
    };
    WelchTest {
        mean_treatment: mt,
        mean_control: mc,
        diff,
        se,
        t,
        df,
        p_value: p,
        ci: Interval {
            low: diff - q * se,
            high: diff + q * se,
        },
        relative,
        relative_ci,
    }
}

/// The `q`-th percentile (0 < q ≤ 1) of `values` by nearest rank: the ⌈q·n⌉-th smallest.
pub fn percentile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut s = values.to_vec();
    s.sort_by(f64::total_cmp);
    let rank = ((q * s.len() as f64).ceil() as usize).clamp(1, s.len());
    s[rank - 1]
}

/// Caps `values` at the `q`-th percentile and floors them at the (1 − q)-th (nearest rank;
/// `q` = 1 leaves them as they are). Returns the capped values and the bounds.
pub fn winsorize(values: &[f64], q: f64) -> (Vec<f64>, f64, f64) {
    if values.is_empty() || q >= 1.0 {
        return (values.to_vec(), f64::NEG_INFINITY, f64::INFINITY);
    }
    let hi = percentile(values, q);
    let lo = percentile(values, 1.0 - q);
    (values.iter().map(|v| v.clamp(lo, hi)).collect(), lo, hi)
}

/// CUPED: `y − θ (x − mean x)` with θ = cov(x, y) / var(x) over all the values given (both
/// groups together, so the adjustment is the same for treatment and control). Returns the
/// adjusted values and θ (0 when x does not vary).
pub fn cuped(y: &[f64], x: &[f64]) -> (Vec<f64>, f64) {
    let n = y.len().min(x.len());
    if n < 2 {
        return (y.to_vec(), 0.0);
    }
    let (mx, vx) = mean_var(&x[..n]);
    let (my, _) = mean_var(&y[..n]);
    let cov = (0..n).map(|i| (x[i] - mx) * (y[i] - my)).sum::<f64>() / (n as f64 - 1.0);
    let theta = if vx > 0.0 { cov / vx } else { 0.0 };
    ((0..n).map(|i| y[i] - theta * (x[i] - mx)).collect(), theta)
}

/// Sample-ratio mismatch: χ² (one degree of freedom) of the control count against the
/// share planned. Returns (χ², p-value).
pub fn srm(n_treatment: u64, n_control: u64, control_share: f64) -> (f64, f64) {
    let n = (n_treatment + n_control) as f64;
    let (ec, et) = (n * control_share, n * (1.0 - control_share));
    if ec <= 0.0 || et <= 0.0 {
        return (0.0, 1.0);
    }
    let chi2 = (n_control as f64 - ec).powi(2) / ec + (n_treatment as f64 - et).powi(2) / et;
    (chi2, chi2_1_sf(chi2))
}

/// Holm's step-down adjustment of p-values (same order as given).
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]).then(a.cmp(&b)));
    let mut adjusted = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in order.iter().enumerate() {
        running = running.max(((m - rank) as f64 * p[i]).min(1.0));
        adjusted[i] = running;
    }
    adjusted
}

/// A small, fast, seeded generator (SplitMix64) for the bootstrap: the same seed gives the
/// same numbers on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-shift; bias below 2⁻³² for the sizes used here).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `resamples` bootstrap replicates of mean(treatment*) − mean(control*), each group resampled
/// with replacement on its own; the same seed gives the same replicates.
pub fn bootstrap_diffs(
    treatment: &[f64],
    control: &[f64],
    resamples: usize,
    seed: u64,
) -> Vec<f64> {
    let mut rng = SplitMix::new(seed);
    let mean_of = |v: &[f64], rng: &mut SplitMix| {
        let n = v.len();
        (0..n).map(|_| v[rng.below(n)]).sum::<f64>() / n as f64
    };
    (0..resamples)
        .map(|_| mean_of(treatment, &mut rng) - mean_of(control, &mut rng))
        .collect()
}

/// The percentile interval (`alpha/2`, `1 − alpha/2`) of bootstrap replicates.
pub fn percentile_interval(replicates: &[f64], alpha: f64) -> Interval {
    let mut s = replicates.to_vec();
    s.sort_by(f64::total_cmp);
    let at = |q: f64| {
        // Linear interpolation between order statistics.
        let pos = q * (s.len() as f64 - 1.0);
        let (i, f) = (pos.floor() as usize, pos - pos.floor());
        if i + 1 < s.len() {
            s[i] * (1.0 - f) + s[i + 1] * f
        } else {
            s[i]
        }
    };
    Interval {
        low: at(alpha / 2.0),
        high: at(1.0 - alpha / 2.0),
    }
}

/// Percentile bootstrap interval of a difference of means (see [`bootstrap_diffs`]).
pub fn bootstrap_diff(
    treatment: &[f64],
    control: &[f64],
    resamples: usize,
    seed: u64,
    alpha: f64,
) -> Interval {
    percentile_interval(&bootstrap_diffs(treatment, control, resamples, seed), alpha)
}

/// The smallest true difference in a share (absolute, as a fraction) that a two-sided test at
/// `alpha` detects with probability `power`, for base rate `p` and the two group sizes.
pub fn mde_proportion(p: f64, n_t: usize, n_c: usize, alpha: f64, power: f64) -> f64 {
    if n_t == 0 || n_c == 0 {
        return f64::INFINITY;
    }
    (normal_quantile(1.0 - alpha / 2.0) + normal_quantile(power))
        * (p * (1.0 - p) * (1.0 / n_t as f64 + 1.0 / n_c as f64)).sqrt()
}

/// The smallest true difference in a mean that a two-sided test at `alpha` detects with
/// probability `power`, for standard deviation `sd` in both groups.
pub fn mde_mean(sd: f64, n_t: usize, n_c: usize, alpha: f64, power: f64) -> f64 {
    if n_t == 0 || n_c == 0 {
        return f64::INFINITY;
    }
    (normal_quantile(1.0 - alpha / 2.0) + normal_quantile(power))
        * sd
        * (1.0 / n_t as f64 + 1.0 / n_c as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol, "{a} vs {b} (tolerance {tol})");
    }

    #[test]
    fn normal_values_match_tables() {
        // Values from the normal table (R: pnorm, qnorm).
        close(normal_cdf(0.0), 0.5, 1e-15);
        close(normal_cdf(1.959_963_984_540_054), 0.975, 1e-12);
        close(normal_cdf(-3.0), 0.001_349_898_031_630_095_7, 1e-15);
        close(normal_sf(5.0), 2.866_515_718_791_946e-7, 1e-18);
        close(normal_quantile(0.975), 1.959_963_984_540_054, 1e-10);
        close(normal_quantile(0.8), 0.841_621_233_572_914_2, 1e-10);
        close(normal_quantile(0.001), -3.090_232_306_167_813_5, 1e-9);
    }

    #[test]
    fn t_matches_closed_forms_and_tables() {
        // df = 1: Cauchy, F(t) = 1/2 + atan(t)/π; df = 2: F(t) = 1/2 + t / (2 √(2 + t²)).
        for t in [-7.0, -1.3, -0.2, 0.0, 0.4, 1.0, 2.5, 30.0] {
            close(
                t_cdf(t, 1.0),
                0.5 + f64::atan(t) / std::f64::consts::PI,
                1e-12,
            );
            close(t_cdf(t, 2.0), 0.5 + t / (2.0 * (2.0 + t * t).sqrt()), 1e-12);
        }
        // Tables (R: qt).
        close(t_quantile(0.975, 1.0), 12.706_204_736_174_7, 1e-8);
        close(t_quantile(0.975, 5.0), 2.570_581_835_636_314, 1e-9);
        close(t_quantile(0.975, 10.0), 2.228_138_851_986_274, 1e-9);
        close(t_quantile(0.95, 30.0), 1.697_260_886_954_9, 1e-9);
        // Large df tends to the normal.
        close(t_quantile(0.975, 1e6), 1.959_966, 1e-5);
        close(t_two_sided_p(2.228_138_851_986_274, 10.0), 0.05, 1e-10);
    }

    #[test]
    fn t_with_fractional_df_matches_integrated_density() {
        // Simpson's rule on the density from 0 to t, for degrees of freedom between integers.
        for &(t, df) in &[(1.5, 3.5), (0.7, 7.25), (2.9, 1.6)] {
            let ln_c = libm::lgamma((df + 1.0) / 2.0)
                - libm::lgamma(df / 2.0)
                - 0.5 * (df * std::f64::consts::PI).ln();
            let dens = |x: f64| (ln_c - (df + 1.0) / 2.0 * (1.0 + x * x / df).ln()).exp();
            let n = 20_000;
            let h = t / n as f64;
            let mut s = dens(0.0) + dens(t);
            for i in 1..n {
                s += dens(i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
            }
            close(t_cdf(t, df), 0.5 + s * h / 3.0, 1e-10);
        }
    }

    #[test]
    fn chi2_upper_tail() {
        close(chi2_1_sf(3.841_458_820_694_124), 0.05, 1e-12);
        close(chi2_1_sf(6.634_896_601_021_214), 0.01, 1e-12);
        close(chi2_1_sf(0.0), 1.0, 0.0);
    }

    #[test]
    fn two_proportions_by_hand() {
        // 30/100 against 20/100: pooled p = 0.25, se0 = √(0.25·0.75·0.02) = 0.061237,
        // z = 0.1 / 0.061237 = 1.632993, p = 2·(1 − Φ(1.632993)) = 0.102470.
        let r = two_proportions(30, 100, 20, 100, 0.05);
        close(r.diff, 0.1, 1e-15);
        close(r.z, 1.632_993_161_855_452, 1e-12);
        close(r.p_value, 0.102_470_434_859_749_4, 1e-9);
        // Unpooled se = √(0.3·0.7/100 + 0.2·0.8/100) = 0.060828; ±1.959964·se.
        close(
            r.diff_ci.low,
            0.1 - 1.959_963_984_540_054 * 0.060_827_625_302_982_2,
            1e-9,
        );
        close(
            r.diff_ci.high,
            0.1 + 1.959_963_984_540_054 * 0.060_827_625_302_982_2,
            1e-9,
        );
        // Relative lift 0.5; log-ratio se = √(1/30 − 1/100 + 1/20 − 1/100) = 0.251661.
        close(r.relative.unwrap(), 0.5, 1e-12);
        let ci = r.relative_ci.unwrap();
        close(
            ci.low,
            1.5 * (-1.959_963_984_540_054 * 0.251_661_147_842_358_3_f64).exp() - 1.0,
            1e-9,
        );
        close(
            ci.high,
            1.5 * (1.959_963_984_540_054 * 0.251_661_147_842_358_3_f64).exp() - 1.0,
            1e-9,
        );
    }

    #[test]
    fn welch_by_hand() {
        // Means 2.5 and 4, variances 5/3 and 4: se² = 5/12 + 4/3 = 1.75, t = −1.5/√1.75,
        // df = 1.75² / ((5/12)²/3 + (4/3)²/2) = 3.0625 / 0.946759 = 3.234719.
        let r = welch(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 6.0], 0.05);
        close(r.diff, -1.5, 1e-15);
        close(r.se, 1.75f64.sqrt(), 1e-12);
        close(r.t, -1.5 / 1.75f64.sqrt(), 1e-12);
        close(
            r.df,
            3.0625 / (25.0 / 144.0 / 3.0 + 16.0 / 9.0 / 2.0),
            1e-12,
        );
        // p from the t distribution with that df: between the p-values with df 3 and 4 (more
        // degrees of freedom, thinner tails, smaller p).
        assert!(r.p_value < t_two_sided_p(r.t, 3.0) && r.p_value > t_two_sided_p(r.t, 4.0));
        let q = t_quantile(0.975, r.df);
        close(r.ci.low, -1.5 - q * r.se, 1e-12);
        close(r.relative.unwrap(), 2.5 / 4.0 - 1.0, 1e-15);
    }

    #[test]
    fn winsorizing_and_percentiles_by_hand() {
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.9), 9.0);
        assert_eq!(percentile(&v, 0.95), 10.0);
        assert_eq!(percentile(&v, 0.1), 1.0);
        let (w, lo, hi) = winsorize(&[0.0, 0.0, 0.0, 5.0, 1000.0], 0.8);
        assert_eq!((lo, hi), (0.0, 5.0));
        assert_eq!(w, vec![0.0, 0.0, 0.0, 5.0, 5.0]);
        let (w, _, _) = winsorize(&[3.0, 1.0], 1.0);
        assert_eq!(w, vec![3.0, 1.0]);
    }

    #[test]
    fn cuped_removes_the_part_the_covariate_explains() {
        let x = [1.0, 2.0, 3.0, 4.0, 5.0];
        let y: Vec<f64> = x.iter().map(|x| 2.0 * x + 7.0).collect();
        let (adj, theta) = cuped(&y, &x);
        close(theta, 2.0, 1e-12);
        // Adjusted values are all the mean of y: 2·3 + 7 = 13.
        assert!(adj.iter().all(|a| (a - 13.0).abs() < 1e-12), "{adj:?}");
        let (adj, theta) = cuped(&[1.0, 2.0], &[4.0, 4.0]);
        assert_eq!((adj, theta), (vec![1.0, 2.0], 0.0));
    }

    #[test]
    fn srm_by_hand() {
        // 1000 customers, 10% planned in control, 130 there: χ² = 30²/100 + 30²/900 = 10.
        let (chi2, p) = srm(870, 130, 0.1);
        close(chi2, 10.0, 1e-12);
        close(p, libm::erfc(5f64.sqrt()), 1e-15);
        close(p, 0.001_565_402_258_002_549, 1e-12);
        assert_eq!(srm(900, 100, 0.1).0, 0.0);
    }

    #[test]
    fn holm_by_hand() {
        // Sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 → running max 0.06.
        let adj = holm(&[0.01, 0.04, 0.03, 0.005]);
        let want = [0.03, 0.06, 0.06, 0.02];
        for (a, w) in adj.iter().zip(want) {
            close(*a, w, 1e-15);
        }
        assert_eq!(holm(&[0.9, 0.8]), vec![1.0, 1.0]);
    }

    #[test]
    fn bootstrap_is_seeded_and_centred() {
        let t: Vec<f64> = (0..50).map(|i| (i % 7) as f64 + 1.0).collect();
        let c: Vec<f64> = (0..40).map(|i| (i % 5) as f64).collect();
        let a = bootstrap_diffs(&t, &c, 500, 7);
        assert_eq!(a, bootstrap_diffs(&t, &c, 500, 7));
        assert_ne!(a, bootstrap_diffs(&t, &c, 500, 8));
        let diff = mean_var(&t).0 - mean_var(&c).0;
        let ci = percentile_interval(&a, 0.05);
        assert!(ci.covers(diff) && ci.high - ci.low > 0.5, "{ci:?}");
        // Interpolated percentiles of 0..=100.
        let r: Vec<f64> = (0..=100).map(f64::from).collect();
        let ci = percentile_interval(&r, 0.05);
        close(ci.low, 2.5, 1e-12);
        close(ci.high, 97.5, 1e-12);
    }

    #[test]
    fn mde_by_hand() {
        // (1.959964 + 0.841621) · √(0.1·0.9·(1/900 + 1/100)) = 2.801585 · 0.031623 = 0.088593.
        close(
            mde_proportion(0.1, 900, 100, 0.05, 0.8),
            2.801_585_218_112_968 * (0.09f64 * (1.0 / 900.0 + 0.01)).sqrt(),
            1e-9,
        );
        close(
            mde_mean(10.0, 100, 100, 0.05, 0.8),
            2.801_585_218_112_968 * 10.0 * 0.02f64.sqrt(),
            1e-9,
        );
        assert!(mde_mean(1.0, 0, 5, 0.05, 0.8).is_infinite());
    }
}
