//! Every candidate of a sweep, its scores and its agreement with a planted truth, as JSON
//! lines: the raw material for judging a selection rule on shops with known segments.
//!
//! `cargo run --release --example sweep_truth -- MAPPING.toml TRUTH.csv [TRUTH_COLUMN]`
//!
//! `TRUTH.csv` has a header with `customer_id` and a segment column (default `segment`);
//! customers missing from it count as one class of their own.

use std::collections::BTreeMap;
use std::path::Path;

use segmint::cluster::metrics::adjusted_rand_index;
use segmint::cluster::sweep::{sweep, Quiet};
use segmint::config::Config;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let config = Config::load(Path::new(&args[1]))?;
    let truth_text = std::fs::read_to_string(&args[2])?;
    let column = args.get(3).map_or("segment", String::as_str);
    let mut lines = truth_text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let id_col = header
        .iter()
        .position(|h| *h == "customer_id")
        .expect("customer_id");
    let seg_col = header
        .iter()
        .position(|h| *h == column)
        .expect("segment column");
    let mut classes: BTreeMap<String, usize> = BTreeMap::new();
    let mut truth: BTreeMap<String, usize> = BTreeMap::new();
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let next = classes.len();
        let c = *classes.entry(f[seg_col].to_string()).or_insert(next);
        truth.insert(f[id_col].to_string(), c);
    }
    let run = segmint::pipeline::run_features(&config)?;
    let x = run.prepared.matrix.view();
    let planted: Vec<Option<usize>> = run
        .prepared
        .ids
        .iter()
        .map(|id| Some(truth.get(id).copied().unwrap_or(classes.len())))
        .collect();
    let mut class_names = vec![String::new(); classes.len()];
    for (name, &i) in &classes {
        class_names[i] = name.clone();
    }
    if let Ok(path) = std::env::var("SWEEP_TRUTH_MATRIX") {
        // The prepared matrix as CSV (no header), for prototyping rules outside Rust.
        let mut out = String::new();
        for row in x.rows() {
            let cells: Vec<String> = row.iter().map(|v| format!("{v}")).collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        std::fs::write(path, out)?;
    }
    let t0 = std::time::Instant::now();
    let traits = segmint::pipeline::traits_of(&run.prepared, &run.features)?;
    let s = sweep(x, &traits, &config.mapping.cluster, &Quiet)?;
    let secs = t0.elapsed().as_secs_f64();
    for c in &s.candidates {
        // Noise as one class of its own.
        let noise = c.labels.iter().flatten().max().map_or(0, |m| m + 1);
        let labels: Vec<Option<usize>> =
            c.labels.iter().map(|l| Some(l.unwrap_or(noise))).collect();
        let ari = adjusted_rand_index(&labels, &planted);
        // Contingency table: rows = proposed segments (noise last), columns = planted classes.
        let mut table = vec![vec![0usize; classes.len() + 1]; noise + 1];
        for (l, t) in labels.iter().zip(&planted) {
            table[l.unwrap_or(noise)][t.unwrap_or(classes.len())] += 1;
        }
        println!(
            "{}",
            serde_json::json!({
                "id": c.id, "algorithm": c.algorithm, "k": c.k, "scores": c.scores,
                "ari": ari, "planted_k": classes.len(), "n": x.nrows(), "d": x.ncols(),
                "sweep_seconds": secs, "table": table,
                "classes": class_names, "labels": c.labels, "planted": planted,
            })
        );
    }
    Ok(())
}
