//! Truth bench: runs segmint's automatic proposal on every planted shop of
//! `segmint::truth::presets` and scores it against the plant.
//!
//! ```text
//! cargo bench --bench truth                       # every preset, automatic proposal
//! cargo bench --bench truth -- --k-forced         # k-means with the planted k (TRUTH_K_FORCED=1)
//! cargo bench --bench truth -- --preset apparel7 --preset grocery5
//! cargo bench --bench truth -- --out /tmp/truth   # keep the generated shops (one folder each)
//! cargo bench --bench truth -- --markdown table.md --seed 7 --customers 2000
//! cargo bench --bench truth -- --kmeans-seeds 20  # k-means starts per k ([cluster] seeds)
//! cargo bench --bench truth -- --sample-above 10000 # the sweep's sample ([cluster] sample_above)
//! ```
//!
//! Per shop it generates the files into a folder, loads the mapping and runs the library as
//! `segmint run` does: `pipeline::discover` with no overrides (or `--k` = the planted k), then
//! `Discovery::profile` (the run's features and assignment, worded for its cost data), which
//! names and flags the segments.
//! The table says, per shop: the proposal (algorithm and k), the adjusted Rand index against
//! the plant — unassigned (DBSCAN noise) customers count as one more proposed class of their
//! own — and, where serial returners are planted, the proposed segment that matches them best
//! (highest F1): its recall (share of the planted returners in it), its purity (share of it
//! that are planted returners) and whether profiling flags it `low_profit_high_return`.
//! The median ARI is taken over the structured shops (the `uniform` shop plants one
//! population, against which the index is not defined).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use segmint::cluster::sweep::Quiet;
use segmint::config::Config;
use segmint::model::FlagKind;
use segmint::select::{Overrides, Structure};
use segmint::truth::{self, presets, Preset};

struct Args {
    presets: Vec<String>,
    k_forced: bool,
    out: Option<PathBuf>,
    markdown: Option<PathBuf>,
    seed: u64,
    customers: Option<usize>,
    kmeans_seeds: Option<usize>,
    sample_above: Option<usize>,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        presets: Vec::new(),
        k_forced: std::env::var("TRUTH_K_FORCED").is_ok_and(|v| !v.is_empty() && v != "0"),
        out: None,
        markdown: None,
        seed: 42,
        customers: None,
        kmeans_seeds: None,
        sample_above: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match x.as_str() {
            "--k-forced" => a.k_forced = true,
            "--preset" => a.presets.extend(
                value("--preset")?
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
            ),
            "--out" => a.out = Some(value("--out")?.into()),
            "--markdown" => a.markdown = Some(value("--markdown")?.into()),
            "--seed" => {
                a.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--customers" => {
                a.customers = Some(
                    value("--customers")?
                        .parse()
                        .map_err(|e| format!("--customers: {e}"))?,
                )
            }
            "--kmeans-seeds" => {
                a.kmeans_seeds = Some(
                    value("--kmeans-seeds")?
                        .parse()
                        .map_err(|e| format!("--kmeans-seeds: {e}"))?,
                )
            }
            "--sample-above" => {
                a.sample_above = Some(
                    value("--sample-above")?
                        .parse()
                        .map_err(|e| format!("--sample-above: {e}"))?,
                )
            }
            // cargo passes `--bench`; filters without a flag are preset names.
            "--bench" => {}
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            s => a.presets.push(s.to_string()),
        }
    }
    for p in &a.presets {
        if presets::by_name(p).is_none() {
            return Err(format!(
                "unknown preset {p:?}; presets: {}",
                presets::NAMES.join(", ")
            ));
        }
    }
    Ok(a)
}

/// One shop's result.
struct Row {
    preset: Preset,
    customers: usize,
    proposal: String,
    k: usize,
    unassigned: usize,
    ari: Option<f64>,
    returners: Option<(truth::ReturnerMatch, String, &'static str)>,
    /// The largest trait gap of the k-means candidates (the structure test's second
    /// reference: below `MIN_TRAIT_GAP`, no clear segments).
    trait_gap: Option<f64>,
    seconds: f64,
    forced: bool,
}

fn run_one(p: &Preset, a: &Args, dir: &Path) -> Result<Row, String> {
    let started = Instant::now();
    let shop = truth::generate(p, a.seed).map_err(|e| e.to_string())?;
    shop.write(dir).map_err(|e| e.to_string())?;
    let mut config = Config::load(&dir.join("mapping.toml")).map_err(|e| e.to_string())?;
    if let Some(n) = a.kmeans_seeds {
        config.mapping.cluster.seeds = n;
    }
    if let Some(n) = a.sample_above {
        config.mapping.cluster.sample_above = n;
    }
    // The one-population shop has no planted k to force: it runs automatically.
    let forced = a.k_forced && p.structured();
    let over = Overrides {
        k: forced.then(|| p.planted_k()),
        ..Overrides::default()
    };
    let d = segmint::pipeline::discover(&config, over, &Quiet).map_err(|e| e.to_string())?;
    let profiles = d
        .profile(&config.mapping.flags)
        .map_err(|e| e.to_string())?;
    let agreement = truth::compare(&shop.truth, &d.assignment.ids, &d.assignment.indices())
        .map_err(|e| e.to_string())?;
    let returners = agreement.returners.map(|m| {
        let seg = profiles.segment(segmint::model::SegmentLabel::Segment(
            segmint::model::SegmentId(m.segment),
        ));
        let name = seg.map(|s| s.name.clone()).unwrap_or_default();
        let has = |kind: FlagKind| seg.is_some_and(|s| s.flags.iter().any(|f| f.kind() == kind));
        // A segment that holds them among others can still flag them as a hidden group.
        let flagged = if has(FlagKind::LowProfitHighReturn) {
            "yes"
        } else if has(FlagKind::HiddenReturners) {
            "**no**; hidden group flagged"
        } else {
            "**no**"
        };
        (m, name, flagged)
    });
    Ok(Row {
        preset: p.clone(),
        customers: d.assignment.ids.len(),
        proposal: format!(
            "{} ({}){}",
            d.model.algorithm,
            d.proposal.chosen,
            match d.proposal.structure {
                Structure::None { .. }
                | Structure::Unlinked { .. }
                | Structure::Continuous { .. } => {
                    ": no clear segments, actionable split"
                }
                _ => "",
            }
        ),
        k: d.model.k,
        trait_gap: d
            .sweep
            .candidates
            .iter()
            .filter(|c| c.algorithm == segmint::model::Algorithm::KMeans)
            .filter_map(|c| c.scores.trait_gap)
            .max_by(f64::total_cmp),
        unassigned: agreement.unassigned,
        ari: agreement.ari,
        returners,
        seconds: started.elapsed().as_secs_f64(),
        forced,
    })
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

fn markdown(rows: &[Row], a: &Args, total: f64) -> String {
    let mut s = String::new();
    let mode = if a.k_forced {
        "k-means with the planted k forced (`--k-forced`)"
    } else {
        "automatic proposal (no `--k`)"
    };
    let mut settings = String::new();
    if let Some(n) = a.kmeans_seeds {
        let _ = write!(settings, ", k-means starts {n}");
    }
    if let Some(n) = a.sample_above {
        let _ = write!(settings, ", sample above {n}");
    }
    let _ = writeln!(
        s,
        "Truth bench, {mode}, seed {}{settings}, segmint {}.\n",
        a.seed,
        env!("CARGO_PKG_VERSION")
    );
    s.push_str(
        "| preset | customers | planted k | proposal | k | unassigned | ARI | returners: segment | recall | purity | flagged low-profit/high-return | trait gap | s |\n\
         |---|---:|---:|---|---:|---:|---:|---|---:|---:|---|---:|---:|\n",
    );
    for r in rows {
        let (seg, recall, purity, flagged) = match &r.returners {
            Some((m, name, flagged)) => (
                format!("{} \"{}\"", m.segment + 1, name),
                format!("{:.2}", m.recall),
                format!("{:.2}", m.purity),
                flagged.to_string(),
            ),
            None => ("—".into(), "—".into(), "—".into(), "—".into()),
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {}{} | {} | {:.1} % | {} | {} | {} | {} | {} | {} | {:.1} |",
            r.preset.name,
            r.customers,
            r.preset.planted_k(),
            r.proposal,
            if a.k_forced && !r.forced {
                " (automatic: nothing to force)"
            } else {
                ""
            },
            r.k,
            100.0 * r.unassigned as f64 / r.customers.max(1) as f64,
            r.ari
                .map_or("— (one population)".to_string(), |x| format!("{x:.3}")),
            seg,
            recall,
            purity,
            flagged,
            r.trait_gap.map_or("—".to_string(), |g| format!("{g:.3}")),
            r.seconds
        );
    }
    let aris: Vec<f64> = rows.iter().filter_map(|r| r.ari).collect();
    let _ = writeln!(
        s,
        "\nMedian ARI over the {} structured shops: {}; lowest {}. Total {:.0} s.",
        aris.len(),
        median(aris.clone()).map_or("—".into(), |m| format!("{m:.3}")),
        aris.iter()
            .copied()
            .reduce(f64::min)
            .map_or("—".into(), |m| format!("{m:.3}")),
        total
    );
    s.push_str(
        "\nARI: adjusted Rand index of the proposed segments against the planted ones; \
         unassigned (DBSCAN noise) customers count as one more proposed class. Returners: the \
         proposed segment with the best F1 against the planted serial returners; recall = share \
         of the planted returners in it, purity = share of it that are planted returners.\n",
    );
    s
}

fn main() {
    let a = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("truth bench: {e}");
            std::process::exit(2);
        }
    };
    let chosen: Vec<Preset> = presets::all()
        .into_iter()
        .filter(|p| a.presets.is_empty() || a.presets.iter().any(|n| n == p.name))
        .map(|p| match a.customers {
            Some(n) => p.with_customers(n),
            None => p,
        })
        .collect();
    let temp = tempfile::tempdir().expect("a temporary folder");
    let started = Instant::now();
    let mut rows = Vec::new();
    for p in &chosen {
        let dir = match &a.out {
            Some(out) => out.join(p.name),
            None => temp.path().join(p.name),
        };
        eprintln!("truth bench: {} ({} customers) ...", p.name, p.customers);
        match run_one(p, &a, &dir) {
            Ok(r) => {
                eprintln!(
                    "truth bench: {}: {} k={} ARI {} in {:.1} s",
                    p.name,
                    r.proposal,
                    r.k,
                    r.ari.map_or("—".into(), |x| format!("{x:.3}")),
                    r.seconds
                );
                rows.push(r);
            }
            Err(e) => {
                eprintln!("truth bench: {} failed: {e}", p.name);
                std::process::exit(1);
            }
        }
        if a.out.is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    let table = markdown(&rows, &a, started.elapsed().as_secs_f64());
    println!("{table}");
    if let Some(path) = &a.markdown {
        if let Err(e) = std::fs::write(path, &table) {
            eprintln!("truth bench: writing {}: {e}", path.display());
            std::process::exit(1);
        }
    }
}
