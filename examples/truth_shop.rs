//! Writes one truth-bench shop to a folder, for manual runs of the CLI on it.
//!
//! ```text
//! cargo run --release --example truth_shop -- apparel7 /tmp/apparel7 [--seed 42] [--customers 6000]
//! segmint run --config /tmp/apparel7/mapping.toml --out /tmp/apparel7/out
//! ```
//!
//! `truth_shop --list` prints every preset with its tables and planted segments.
//!
//! `truth.csv` next to the data holds the planted segment of every customer.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        list();
        return ExitCode::SUCCESS;
    }
    let usage = format!(
        "usage: truth_shop PRESET OUT_DIR [--seed N] [--customers N]\n       truth_shop --list\npresets: {}",
        segmint::truth::presets::NAMES.join(", ")
    );
    let (mut seed, mut customers, mut positional) = (42u64, None, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value =
            |it: &mut std::slice::Iter<String>| it.next().and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--seed" => match value(&mut it) {
                Some(v) => seed = v,
                None => return fail(&usage),
            },
            "--customers" => match value(&mut it) {
                Some(v) => customers = Some(v as usize),
                None => return fail(&usage),
            },
            _ => positional.push(a.clone()),
        }
    }
    let [name, out] = positional.as_slice() else {
        return fail(&usage);
    };
    let Some(mut preset) = segmint::truth::presets::by_name(name) else {
        return fail(&format!("unknown preset {name:?}\n{usage}"));
    };
    if let Some(n) = customers {
        preset = preset.with_customers(n);
    }
    let out = PathBuf::from(out);
    match segmint::truth::generate(&preset, seed).and_then(|shop| {
        shop.write(&out)?;
        Ok(shop)
    }) {
        Ok(shop) => {
            println!(
                "wrote {} ({} customers, {} planted segments, seed {seed}) to {}: {}\nrun: segmint run --config {} --out {}",
                preset.name,
                preset.customers,
                preset.planted_k(),
                out.display(),
                shop.files
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                out.join("mapping.toml").display(),
                out.join("out").display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(&format!("error: {e}")),
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("{message}");
    ExitCode::from(2)
}

/// Prints every preset: tables, dialect and the planted segments with their main ranges.
fn list() {
    for p in segmint::truth::presets::all() {
        let t = p.tables;
        let tables: Vec<&str> = [
            ("returns", t.returns),
            ("events", t.events),
            ("survey", t.survey),
            ("long survey", t.survey_long),
            ("customers", t.customers),
            ("cost", t.cost),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(n, _)| n)
        .collect();
        println!(
            "{}: {} ({} customers, as_of {}, {:?} dialect, blur {:.2}); tables: transactions{}{}; survey answered by {:.0} %",
            p.name,
            p.description,
            p.customers,
            p.as_of,
            p.dialect,
            p.blur,
            if tables.is_empty() { "" } else { ", " },
            tables.join(", "),
            100.0 * p.survey_share()
        );
        for s in &p.segments {
            println!(
                "  {:<20} {:>4.0} %  orders {:>3.0}-{:<3.0} recency {:>3.0}-{:<3.0} d  value {:>5.0}-{:<5.0} discount {:.2}-{:.2}  returns {:.2}-{:.2}  sessions {:.0}-{:.0}{}",
                s.name,
                100.0 * s.share,
                s.orders.0,
                s.orders.1,
                s.recency_days.0,
                s.recency_days.1,
                s.order_value.0,
                s.order_value.1,
                s.discount_share.0,
                s.discount_share.1,
                s.return_rate.0,
                s.return_rate.1,
                s.sessions.0,
                s.sessions.1,
                if s.serial_returner { "  [serial returners]" } else { "" }
            );
        }
    }
}
