//! What the binary prints after each command (the library never prints).

use std::path::Path;

use segmint::lookalike::normalize::Platform;
use segmint::lookalike::score;
use segmint::lookalike::seeds::SeedSummary;
use segmint::pipeline::commands::{
    AssignDone, DemoDone, DiscoverDone, FeaturesDone, InitDone, ProfileDone, ReportDone, ScoreDone,
    SeedsDone,
};

pub fn features(done: &FeaturesDone) {
    summary(&done.run);
    println!(
        "wrote features.parquet, matrix.parquet, manifest.json to {}",
        done.out.display()
    );
}

fn summary(run: &segmint::pipeline::FeatureRun) {
    for t in &run.inputs.report.tables {
        println!(
            "{:<13} {:>9} rows read, {:>9} used  ({})",
            t.table,
            t.rows_read,
            t.rows_used,
            t.file.display()
        );
        for s in &t.skipped {
            println!("{:>13} {:>9} skipped: {}", "", s.rows, s.reason);
        }
    }
    for w in &run.inputs.report.warnings {
        println!("note: {w}");
    }
    println!(
        "{} customers, {} features, matrix {} × {} (as_of {})",
        run.features.customers(),
        run.features.specs.len(),
        run.prepared.matrix.nrows(),
        run.prepared.matrix.ncols(),
        run.inputs.as_of
    );
}

pub fn discover(done: &DiscoverDone) {
    summary(&done.discovery.run);
    print_proposal(&done.discovery);
    println!("wrote {} files to {}", done.files, done.out.display());
}

fn print_proposal(d: &segmint::pipeline::Discovery) {
    let p = &d.proposal;
    let lang = segmint::i18n::Lang::En;
    let composite = |id: &str| {
        p.rankings
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.composite)
    };
    println!(
        "{} candidates; proposal: {} — {}",
        d.sweep.candidates.len(),
        p.chosen,
        lang.selection_reason(p, composite)
    );
    if p.disagreement {
        println!(
            "The indices prefer: {}.",
            p.preferred_k
                .iter()
                .map(|c| format!("{} {}", lang.index_name(c.index), c.k))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let n = d.assignment.segment.len() as f64;
    for s in 0..d.model.k {
        let size = d
            .assignment
            .segment
            .iter()
            .filter(|&&x| x == Some(s))
            .count();
        println!(
            "  segment {:>2}: {:>7} customers ({:.1}%)",
            s + 1,
            size,
            100.0 * size as f64 / n
        );
    }
    let noise = d.assignment.segment.iter().filter(|x| x.is_none()).count();
    if noise > 0 {
        println!(
            "  unassigned: {noise} customers ({:.1}%)",
            100.0 * noise as f64 / n
        );
    }
}

pub fn profile(done: &ProfileDone) {
    let p = &done.profiles;
    let dir = &done.dir;
    println!("segments (reconciled with the base: customers, revenue, refunds, profit):");
    for s in &p.segments {
        println!("  {:>10}  {:<40} {}", s.segment, s.name, s.description);
        for f in &s.flags {
            println!("  {:>10}  FLAG {}: {}", "", f.kind, f.message);
        }
    }
    println!(
        "{} customers flagged for high returns; wrote profiles, segments.json and flagged_customers to {}",
        p.flagged_customers.len(),
        dir.display()
    );
    if p.lookalike_space.is_some() {
        println!(
            "wrote the segments' lookalike feature vectors to {}",
            dir.join("lookalike").display()
        );
    }
}

pub fn report(done: &ReportDone) {
    println!(
        "wrote the report ({}, {} charts) to {}",
        done.lang.code(),
        done.charts,
        done.out.join("report.html").display()
    );
}

pub fn demo(done: &DemoDone) {
    println!(
        "wrote a demo shop of {} customers (seed {}) to {}: {}",
        done.customers,
        done.seed,
        done.out.display(),
        done.data_files.join(", ")
    );
    discover(&done.discover);
    profile(&done.profile);
    println!(
        "agreement with the planted segments (adjusted Rand index): {:.3}",
        done.agreement
    );
    report(&done.report);
}

pub fn assign(done: &AssignDone) {
    println!(
        "{} customers, {} assigned to the model's {} segments; wrote assignments to {}",
        done.customers,
        done.assigned,
        done.k,
        done.out.display()
    );
}

pub fn init(done: &InitDone) {
    for t in &done.guess.tables {
        println!("[{}] <- {}", t.role.section(), t.file.display());
    }
    for n in done.guess.all_notes() {
        println!("note: {n}");
    }
    println!(
        "wrote {}: check every guess, then run `segmint features --config {}`",
        done.out.display(),
        done.out.display()
    );
}

fn print_summary(s: &SeedSummary, file: &Path) {
    let id = &s.identifiers;
    if s.kind == "seed" {
        println!(
            "{} seed of segment {} ({:?}): {} members",
            s.platform, s.segment, s.segment_name, s.members
        );
        if s.kept_returners > 0 {
            println!(
                "  {:>7} flagged high-return customers kept (--keep-returners)",
                s.kept_returners
            );
        }
        println!(
            "  - {:>5} flagged high-return customers excluded{}",
            s.excluded_returners,
            if s.excluded_returners > 0 {
                " (--keep-returners keeps them)"
            } else {
                ""
            }
        );
    } else {
        println!(
            "{} exclusion list: {} customers flagged for high returns",
            s.platform, s.members
        );
    }
    println!(
        "  - {:>5} without a row in the customers table",
        s.without_contact
    );
    println!(
        "  - {:>5} without a usable e-mail or phone",
        s.without_identifier
    );
    println!(
        "  = {:>5} written to {} ({}'s minimum: {})",
        s.written,
        file.display(),
        s.platform,
        s.minimum
    );
    let phones_invalid =
        id.phones_not_a_number + id.phones_without_country_code + id.phones_wrong_length;
    println!(
        "  identifiers hashed: {} e-mails ({} invalid, {} missing), {} phones ({} invalid: {} not a number, {} without a country code, {} of a wrong length; {} missing)",
        id.emails_written,
        id.emails_invalid,
        id.emails_missing,
        id.phones_written,
        phones_invalid,
        id.phones_not_a_number,
        id.phones_without_country_code,
        id.phones_wrong_length,
        id.phones_missing
    );
    if let Some(v) = &s.value_feature {
        println!(
            "  value column: {v} ({} negative values written as 0)",
            s.values_clamped
        );
    }
    for w in &s.warnings {
        println!("warning: {w}");
    }
}

pub fn seeds(done: &SeedsDone) {
    print_summary(&done.seed.1, &done.seed.0);
    if let Some((path, s)) = &done.exclusions {
        print_summary(s, path);
    }
    println!(
        "wrote {} (and {}); identifiers are SHA-256 hashed{}",
        done.seed.0.display(),
        done.summary_path.display(),
        if done.platform == Platform::Google {
            ", Country and Zip in clear as Google asks"
        } else {
            ""
        }
    );
}

pub fn score(done: &ScoreDone) {
    let run = &done.run;
    let (out, reach_path, summary_path) = (&done.out, &done.reach_path, &done.summary_path);
    let s = &run.summary;
    let r = &s.prospects;
    println!(
        "scored {} prospects against segment {} ({:?}, {} members)",
        r.rows, s.segment, s.segment_name, s.members
    );
    if !r.missing_columns.is_empty() {
        println!(
            "  missing for every prospect (imputed as in prepare): {}",
            r.missing_columns.join(", ")
        );
    }
    let list = |v: &[score::FeatureCount]| {
        let mut parts: Vec<String> = v
            .iter()
            .take(6)
            .map(|m| format!("{} {}", m.feature, m.rows))
            .collect();
        if v.len() > 6 {
            parts.push(format!("and {} more", v.len() - 6));
        }
        parts.join(", ")
    };
    if !r.missing_values.is_empty() {
        println!(
            "  blank values imputed as in prepare, in {} features: {}",
            r.missing_values.len(),
            list(&r.missing_values)
        );
    }
    if !r.unseen_levels.is_empty() {
        println!(
            "  levels the model has not seen, counted as `other`: {}",
            list(&r.unseen_levels)
        );
    }
    if !r.ignored_columns.is_empty() {
        println!(
            "  ignored columns (not used by the model): {}",
            r.ignored_columns.join(", ")
        );
    }
    println!(
        "  recommended threshold: distance {:.3} (90% of the segment's members are within it); {} prospects within it, {} with a membership probability of 0.5 or more",
        s.threshold.distance, s.within_threshold, s.probability_above_half
    );
    println!("  reach curve:");
    for p in &run.reach {
        println!(
            "    {:<40} distance {:>7.3}: {:>7} prospects ({:.1}%)",
            p.label,
            p.distance,
            p.prospects_within,
            100.0 * p.prospects_share
        );
    }
    println!(
        "wrote {}, {} and {}",
        out.display(),
        reach_path.display(),
        summary_path.display()
    );
}
