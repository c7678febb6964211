//! Issue 13: the selection rule on matrices with known structure, over several seeds.

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use segmint::cluster::metrics::adjusted_rand_index;
use segmint::cluster::sweep::{sweep, Quiet, Traits};
use segmint::config::ClusterOptions;
use segmint::select::{select, Basis, Overrides, Structure};

/// Standard normal by Box–Muller.
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let (u, v): (f64, f64) = (rng.gen_range(1e-12..1.0), rng.gen());
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// `n` rows in `d` dimensions from blobs of the given shares (centres 6 apart on random
/// axes, unit spread), with their planted labels.
fn blobs(n: usize, d: usize, shares: &[f64], seed: u64) -> (Array2<f64>, Vec<Option<usize>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let centres: Vec<Vec<f64>> = (0..shares.len())
        .map(|_| (0..d).map(|_| 3.0 * normal(&mut rng)).collect())
        .collect();
    let mut x = Array2::zeros((n, d));
    let mut labels = Vec::with_capacity(n);
    let mut row = 0;
    for (j, share) in shares.iter().enumerate() {
        let m = if j + 1 == shares.len() {
            n - row
        } else {
            (share * n as f64).round() as usize
        };
        for _ in 0..m {
            for c in 0..d {
                x[[row, c]] = centres[j][c] + normal(&mut rng);
            }
            labels.push(Some(j));
            row += 1;
        }
    }
    (x, labels)
}

fn opts(seed: u64) -> ClusterOptions {
    let mut o: ClusterOptions = toml::from_str("").unwrap();
    o.seed = seed;
    o.k_max = 9;
    o
}

/// Unequal planted segments (40 % down to 6 %): the proposal recovers them on every seed
/// (within one segment),
/// where the old rule's "fewest segments within 0.05 of the best" fell back to few segments.
#[test]
fn unequal_blobs_are_recovered_on_every_seed() {
    for seed in 0..4 {
        let shares = [0.40, 0.22, 0.16, 0.10, 0.06, 0.06];
        let (x, planted) = blobs(1500, 8, &shares, seed);
        let o = opts(seed);
        let s = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
        let p = select(&s, &o, Overrides::default()).unwrap();
        let chosen = s.candidates.iter().find(|c| c.id == p.chosen).unwrap();
        let ari = adjusted_rand_index(&chosen.labels, &planted);
        // Within one segment of the plant (the two 6 % blobs may merge) and close to it.
        assert!(
            chosen.k.abs_diff(6) <= 1 && ari > 0.85,
            "seed {seed}: {} (ARI {ari:.3}), {:?}",
            p.chosen,
            p.basis
        );
        assert!(matches!(p.structure, Structure::Clear { .. }));
        // The reported fit is stable on the rows it shares with bootstrap refits.
        assert!(chosen.scores.stability.unwrap() > 0.9);
    }
}

/// One Gaussian population: the proposal says there is no clear structure and offers an
/// actionable split, marked as such.
#[test]
fn one_population_has_no_clear_structure() {
    for seed in 0..3 {
        let (x, _) = blobs(1500, 6, &[1.0], 100 + seed);
        let o = opts(seed);
        let s = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
        let p = select(&s, &o, Overrides::default()).unwrap();
        assert!(p.structure.is_none(), "seed {seed}: {:?}", p.structure);
        assert!(
            matches!(
                p.basis,
                Basis::Actionable { .. } | Basis::NoneEligible { .. }
            ),
            "seed {seed}: {:?}",
            p.basis
        );
    }
}

/// Issue 16: above `sample_above` rows the candidates are fitted on a stratified sample and the
/// chosen one is completed to every row; the proposal still recovers the plant, every row gets
/// a segment, the sample rows keep the sample fit's segments, and the same seed gives the same
/// result. DBSCAN completed from a sample puts every row into a segment or leaves it unassigned,
/// never anything else.
#[test]
fn sampled_sweep_completes_the_chosen_candidate_on_every_row() {
    use segmint::cluster::sweep::{complete, sweep_sample, Algorithm};
    let shares = [0.40, 0.22, 0.16, 0.12, 0.10];
    let (x, planted) = blobs(3000, 6, &shares, 7);
    let mut o = opts(7);
    o.sample_above = 800;
    let rows = sweep_sample(x.view(), &o).unwrap();
    assert!((790..=810).contains(&rows.len()), "{}", rows.len());
    assert!(rows.windows(2).all(|w| w[0] < w[1]));
    let s = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
    assert_eq!(s.sample.as_deref(), Some(rows.as_slice()));
    let p = select(&s, &o, Overrides::default()).unwrap();
    let chosen = s.candidates.iter().find(|c| c.id == p.chosen).unwrap();
    assert_eq!(chosen.labels.len(), rows.len());
    let (labels, _) = complete(x.view(), &s, chosen, &o).unwrap();
    assert_eq!(labels.len(), 3000);
    let ari = adjusted_rand_index(&labels, &planted);
    assert!(chosen.k == 5 && ari > 0.95, "{} (ARI {ari:.3})", p.chosen);
    // Deterministic.
    let again = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
    let chosen2 = again.candidates.iter().find(|c| c.id == p.chosen).unwrap();
    assert_eq!(complete(x.view(), &again, chosen2, &o).unwrap().0, labels);
    // DBSCAN: sample rows keep their labels; the others join a segment of the sample or none.
    for c in s
        .candidates
        .iter()
        .filter(|c| c.algorithm == Algorithm::Dbscan)
    {
        let (l, core) = complete(x.view(), &s, c, &o).unwrap();
        assert_eq!((l.len(), core.len()), (3000, 3000));
        for (j, &i) in rows.iter().enumerate() {
            assert_eq!(l[i], c.labels[j]);
            assert_eq!(core[i], c.core[j]);
        }
        assert!(l.iter().flatten().all(|&s| s < c.k));
        assert!(core
            .iter()
            .enumerate()
            .all(|(i, &k)| !k || rows.binary_search(&i).is_ok()));
    }
}

/// Issue 13: stability compares the reported fit (best of `seeds` k-means starts) with
/// bootstrap refits fitted the same way, best of as many starts. Nine unequal, overlapping
/// blobs in three dimensions: wherever the sweep's 9-segment fit finds the plant (ARI ≥ 0.75),
/// its refits reproduce it (stability ≥ 0.95; 0.970–0.974 on these seeds). With refits of at
/// most 3 starts, as before, three of those four fits measured 0.84–0.93: the refits had
/// stopped in worse local optima, and stability measured the optimiser, not the data.
#[test]
fn a_fit_is_reproduced_by_refits_fitted_as_well_as_it() {
    let shares = [0.18, 0.16, 0.14, 0.12, 0.10, 0.09, 0.08, 0.07, 0.06];
    let mut found = Vec::new();
    for seed in 0..6 {
        let (x, planted) = blobs(1500, 3, &shares, 40 + seed);
        let mut o = opts(seed);
        o.k_min = 9;
        o.k_max = 9;
        o.dbscan = false;
        let s = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
        let c = &s.candidates[0];
        let ari = adjusted_rand_index(&c.labels, &planted);
        if ari >= 0.75 {
            found.push((seed, ari, c.scores.stability.unwrap()));
        }
    }
    assert!(found.len() >= 3, "the plant was found on {found:?}");
    assert!(
        found.iter().all(|&(_, _, st)| st >= 0.95),
        "(seed, ARI, stability): {found:?}"
    );
}

/// The k-means fit kept for k segments is no worse than the one the fit with k + 1 gives when
/// its two segments whose merge costs least are put together and the result refitted (the
/// sweep now tries that start): on overlapping blobs of unequal sizes, random k-means++
/// starts alone left a lower-inertia fit unfound (nine planted segments: 2 of 10 starts on the
/// `marketplace9` truth shop).
#[test]
fn no_kept_fit_is_beaten_by_the_fit_with_one_more_segment_merged() {
    use linfa::ParamGuard;
    use segmint::cluster::kmeans::KMeansParams;
    let shares = [0.18, 0.16, 0.14, 0.12, 0.10, 0.09, 0.08, 0.07, 0.06];
    let mut beaten = Vec::new();
    for seed in 0..6 {
        let (x, _) = blobs(1500, 3, &shares, 40 + seed);
        let mut o = opts(seed);
        o.k_min = 6;
        o.k_max = 11;
        o.dbscan = false;
        o.bootstrap = 1;
        let s = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
        let fit = |k: usize| {
            s.candidates
                .iter()
                .find(|c| c.k == k)
                .and_then(|c| c.kmeans.clone())
                .unwrap()
        };
        for k in 6..11 {
            let up = fit(k + 1);
            let mut sizes = vec![0.0f64; k + 1];
            up.labels.iter().for_each(|&l| sizes[l] += 1.0);
            let c = &up.centroids;
            let d2 = |a: usize, b: usize| -> f64 {
                c.row(a)
                    .iter()
                    .zip(c.row(b))
                    .map(|(x, y)| (x - y) * (x - y))
                    .sum()
            };
            let (mut a, mut b, mut cost) = (0, 1, f64::INFINITY);
            for i in 0..=k {
                for j in (i + 1)..=k {
                    let w = sizes[i] * sizes[j] / (sizes[i] + sizes[j]) * d2(i, j);
                    if w < cost {
                        (a, b, cost) = (i, j, w);
                    }
                }
            }
            let mut start = Vec::new();
            for j in 0..=k {
                if j == a {
                    start.extend(
                        c.row(a)
                            .iter()
                            .zip(c.row(b))
                            .map(|(x, y)| (sizes[a] * x + sizes[b] * y) / (sizes[a] + sizes[b])),
                    );
                } else if j != b {
                    start.extend(c.row(j).iter());
                }
            }
            let start = Array2::from_shape_vec((k, 3), start).unwrap();
            let merged = KMeansParams::new(k)
                .init_centroids(start)
                .check()
                .unwrap()
                .fit_view(x.view())
                .unwrap()
                .inertia;
            let kept = fit(k).inertia;
            if merged < kept * (1.0 - 1e-6) {
                beaten.push((seed, k, kept, merged));
            }
        }
    }
    assert!(beaten.is_empty(), "(seed, k, kept, merged): {beaten:?}");
}

/// A shop made of one population whose customers mostly order once or twice, with traits in
/// families that depend on the number of orders only (the `flat` shop of `benches/unseen`
/// and the truth bench's `oneoff`): a one- or two-order customer has returned or not, used a
/// discount or not, so k-means finds cuts along those all-or-nothing traits. Returns the
/// standardised matrix, its layout (order count, returns, discounts, season, spend) and
/// `groups` planted segments that shift the returns, discounts and spend together (0: none).
fn few_orders_shop(n: usize, groups: usize, seed: u64) -> (Array2<f64>, Traits) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let names = [
        "frequency",
        "returned_orders",
        "refunds",
        "discount_order_share",
        "discount_depth",
        "holiday_order_share",
        "aov",
        "net_revenue",
    ];
    let mut x = Array2::zeros((n, names.len()));
    let mut orders = Vec::with_capacity(n);
    for i in 0..n {
        let u: f64 = rng.gen();
        let f = if u < 0.45 {
            1
        } else if u < 0.7 {
            2
        } else if u < 0.85 {
            3
        } else {
            rng.gen_range(4..9)
        };
        // A planted group: more returns, more and deeper discounts, larger baskets.
        let g = if groups == 0 { 0 } else { i % groups };
        let (p_ret, p_disc, basket) = [(0.15, 0.2, 4.0), (0.6, 0.1, 5.0), (0.05, 0.7, 3.4)][g % 3];
        let returned = (0..f).filter(|_| rng.gen::<f64>() < p_ret).count() as f64;
        let discounted = (0..f).filter(|_| rng.gen::<f64>() < p_disc).count() as f64;
        let holiday = (0..f).filter(|_| rng.gen::<f64>() < 0.2).count() as f64;
        let aov = (basket + 0.5 * normal(&mut rng)).exp();
        x[[i, 0]] = (1.0 + f as f64).ln();
        x[[i, 1]] = (1.0 + returned).ln();
        x[[i, 2]] = if returned > 0.0 {
            (1.0 + returned * aov * rng.gen_range(0.3..1.0)).ln()
        } else {
            0.0
        };
        x[[i, 3]] = discounted / f as f64;
        x[[i, 4]] = if discounted > 0.0 {
            rng.gen_range(0.1..0.4)
        } else {
            0.0
        };
        x[[i, 5]] = holiday / f as f64;
        x[[i, 6]] = aov.ln();
        x[[i, 7]] = (1.0 + f as f64 * aov).ln();
        orders.push(Some(f as f64));
    }
    for mut c in x.columns_mut() {
        let m = c.mean().unwrap();
        let sd = c.std(0.0).max(1e-12);
        c.mapv_inplace(|v| (v - m) / sd);
    }
    (x, Traits::new(&names, &orders))
}

/// Issue 13: the one-population shop of few orders per customer has no clear segments. Its
/// segments are tighter than the principal-component reference gives (all-or-nothing traits
/// are lumpy), so that test alone called it clear; with each family of traits shuffled among
/// customers with the same number of orders, the segments are about as tight (trait gap below
/// `MIN_TRAIT_GAP`), and the verdict says the traits do not go together. Three planted groups
/// that differ in returns, discounts and spend together, with the same orders, stay clear.
#[test]
fn traits_that_do_not_go_together_are_no_clear_segments() {
    use segmint::select::MIN_TRAIT_GAP;
    for seed in 0..3 {
        let o = opts(seed);
        let (x, traits) = few_orders_shop(1500, 0, 200 + seed);
        let s = sweep(x.view(), &traits, &o, &Quiet).unwrap();
        let p = select(&s, &o, Overrides::default()).unwrap();
        assert!(
            matches!(p.structure, Structure::Unlinked { gap, .. } if gap < MIN_TRAIT_GAP),
            "seed {seed}: {:?}",
            p.structure
        );
        assert!(matches!(p.basis, Basis::Actionable { .. }), "{:?}", p.basis);
        // Without the layout, only the components' reference: the same shop was "clear".
        let plain = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
        let q = select(&plain, &o, Overrides::default()).unwrap();
        assert!(q.structure.is_clear(), "seed {seed}: {:?}", q.structure);
        assert!(plain
            .candidates
            .iter()
            .all(|c| c.scores.trait_gap.is_none()));

        let (x, traits) = few_orders_shop(1500, 3, 300 + seed);
        let s = sweep(x.view(), &traits, &o, &Quiet).unwrap();
        let p = select(&s, &o, Overrides::default()).unwrap();
        assert!(p.structure.is_clear(), "seed {seed}: {:?}", p.structure);
        let largest = s
            .candidates
            .iter()
            .filter_map(|c| c.scores.trait_gap)
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(largest >= MIN_TRAIT_GAP, "seed {seed}: {largest}");
    }
}

/// The trait reference on the sampled sweep: above `sample_above` rows the layout is taken
/// for the sampled rows, the verdict is the same as on every row, and a layout that does not
/// fit the matrix (another shop's) is no layout: no trait gap, no panic.
#[test]
fn the_trait_reference_follows_the_sample_and_ignores_a_layout_that_does_not_fit() {
    let mut o = opts(5);
    o.sample_above = 1200;
    let (x, traits) = few_orders_shop(3000, 0, 205);
    let s = sweep(x.view(), &traits, &o, &Quiet).unwrap();
    assert_eq!(s.sample.as_ref().map(Vec::len), Some(1200));
    let p = select(&s, &o, Overrides::default()).unwrap();
    assert!(
        matches!(p.structure, Structure::Unlinked { .. }),
        "{:?}",
        p.structure
    );
    let again = sweep(x.view(), &traits, &o, &Quiet).unwrap();
    let gaps = |s: &segmint::cluster::sweep::Sweep| -> Vec<Option<f64>> {
        s.candidates.iter().map(|c| c.scores.trait_gap).collect()
    };
    assert_eq!(gaps(&again), gaps(&s));
    assert!(gaps(&s).iter().any(Option::is_some));
    let short = Traits {
        families: traits.families.clone(),
        strata: traits.strata[..2999].to_vec(),
    };
    let t = sweep(x.view(), &short, &o, &Quiet).unwrap();
    assert!(gaps(&t).iter().all(Option::is_none));
}

/// Issue 13: a sweep fitted on a sample reads its candidates' density valleys from every
/// customer (sampled ones in their segment, the others in the segment of the nearest
/// centroid), not from the sample alone: the density estimate's bandwidth narrows with the
/// number of customers read, and a sample smooths away a dip every customer shows. Two groups
/// 2.8 standard deviations apart, 12,000 customers, a sample of 1,000: on every customer the
/// 2-segment split has a clear dip (below `SEPARATED`); on the sample alone it had none.
#[test]
fn a_sampled_sweep_reads_its_valleys_from_every_customer() {
    use segmint::cluster::metrics::{centroids, valley, VALLEY_POINTS};
    use segmint::select::SEPARATED;
    let n = 12_000;
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let x = Array2::from_shape_fn((n, 3), |(i, j)| {
        let shift = if j == 0 && i % 2 == 1 { 2.8 } else { 0.0 };
        shift + normal(&mut rng)
    });
    let mut o = opts(3);
    o.k_max = 2;
    o.dbscan = false;
    o.sample_above = 1_000;
    let s = sweep(x.view(), &Traits::default(), &o, &Quiet).unwrap();
    let rows = s.sample.clone().expect("a sampled sweep");
    let c = &s.candidates[0];
    assert_eq!(c.k, 2);
    let xs = x.select(ndarray::Axis(0), &rows);
    let on_sample = valley(xs.view(), &c.labels, VALLEY_POINTS).unwrap();
    let (cent, _) = centroids(xs.view(), &c.labels);
    let mut every: Vec<Option<usize>> = x
        .rows()
        .into_iter()
        .map(|r| {
            let d = |j: usize| (&r - &cent.row(j)).mapv(|v| v * v).sum();
            Some(usize::from(d(1) < d(0)))
        })
        .collect();
    for (j, &i) in rows.iter().enumerate() {
        every[i] = c.labels[j];
    }
    let on_every = valley(x.view(), &every, VALLEY_POINTS).unwrap();
    assert!(
        on_every < SEPARATED && on_sample >= SEPARATED,
        "every customer {on_every:.3}, sample {on_sample:.3}"
    );
    assert_eq!(c.scores.valley, Some(on_every));
}
