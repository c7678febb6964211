//! What the binary prints after each command (the library never prints).

use std::path::Path;

use segmint::i18n::{self, Lang};
use segmint::lookalike::normalize::Platform;
use segmint::lookalike::score;
use segmint::lookalike::seeds::{SeedKind, SeedSummary};
use segmint::model::SegmentId;
use segmint::pipeline::commands::{
    AssignDone, CheckDone, CompareDone, DemoDone, DiscoverDone, FeaturesDone, HoldoutDone,
    InitDone, LiftDone, PostPeriodDone, ProfileDone, ReportDone, ScoreDone, SeedsDone,
};

pub fn features(done: &FeaturesDone) {
    summary(&done.run);
    println!(
        "wrote features.parquet, matrix.parquet, manifest.json to {}",
        done.out.display()
    );
}

fn summary(run: &segmint::pipeline::FeatureRun) {
    for t in &run.ingest.report.tables {
        println!(
            "{:<13} {:>9} rows read, {:>9} used  ({})",
            t.table,
            t.rows_read,
            t.rows_used,
            t.file.display()
        );
        for s in &t.skipped {
            println!(
                "{:>13} {:>9} skipped: {}",
                "",
                s.rows,
                s.reason_in(Lang::En)
            );
        }
    }
    for w in &run.ingest.report.warnings {
        println!("note: {w}");
    }
    println!(
        "{} customers, {} features, matrix {} × {} (as_of {})",
        run.features.customers(),
        run.features.specs.len(),
        run.prepared.matrix.nrows(),
        run.prepared.matrix.ncols(),
        run.ingest.as_of
    );
}

pub fn discover(done: &DiscoverDone) {
    summary(&done.discovery.run);
    print_proposal(&done.discovery);
    println!("wrote {} files to {}", done.files, done.out.display());
}

/// `run --engine ballista`: what the cluster did and what was read back.
pub fn cluster_run(done: &segmint::pipeline::commands::ClusterRunDone) {
    let d = &done.collected.discovery;
    println!(
        "the cluster swept a sample of {} of {} customers (seed {}); proposal: {} with {} segments, refined by {} Lloyd step{} on every customer ({})",
        d.sample,
        d.customers,
        d.sample_seed,
        d.candidate,
        d.k,
        d.iterations,
        if d.iterations == 1 { "" } else { "s" },
        if d.converged { "converged" } else { "not converged: at the step limit" }
    );
    println!(
        "read the cluster's files in {} into a run folder: wrote {} files to {}",
        done.cluster_dir.display(),
        done.collected.files,
        done.profile.dir.display()
    );
}

fn print_proposal(d: &segmint::pipeline::Discovery) {
    let p = &d.proposal;
    let lang = Lang::En;
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
        lang.selection_reason(
            p,
            |id| {
                d.sweep
                    .candidates
                    .iter()
                    .find(|c| c.id == id)
                    .and_then(|c| c.spec())
            },
            composite
        )
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
    for s in (0..d.model.k).map(SegmentId) {
        let size = d
            .assignment
            .segment
            .iter()
            .filter(|&&x| x == Some(s))
            .count();
        println!(
            "  segment {:>2}: {:>7} customers ({:.1}%)",
            s.label(),
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
    let cur = done.currency.as_deref();
    println!(
        "all {} customers: net revenue {}, {} {}",
        p.base.customers,
        Lang::En.money(p.base.net_revenue, cur),
        Lang::En.texts_for(done.no_cost).profit.to_lowercase(),
        Lang::En.money(p.base.profit, cur)
    );
    println!(
        "segments (reconciled with the base: customers, revenue, refunds{}):",
        if done.no_cost { "" } else { ", profit" }
    );
    for s in &p.segments {
        println!(
            "  {:>10}  {:<40} {}",
            s.segment,
            s.name_in(Lang::En),
            s.description_in(Lang::En, cur, done.no_cost)
        );
        for f in &s.flags {
            println!(
                "  {:>10}  FLAG {}: {}",
                "",
                f.kind(),
                Lang::En.flag_message(&f.facts, cur, None, "", done.no_cost)
            );
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

/// The wall time of every stage, to standard error (`segmint run --timings`).
pub fn timings(t: &segmint::pipeline::Timings) {
    for (stage, seconds) in &t.stages {
        eprintln!("stage {stage:<24} {seconds:>9.3} s");
    }
    eprintln!("stage {:<24} {:>9.3} s", "total", t.total());
}

pub fn report(done: &ReportDone) {
    println!(
        "wrote the report ({}, {} charts) to {}",
        done.lang.code(),
        done.charts,
        done.out.join("report.html").display()
    );
    if let Some(c) = &done.compare {
        println!(
            "  with the section on segments over time, from {}",
            c.display()
        );
    }
    if let Some(l) = &done.lift {
        println!(
            "  with the section on campaign results, from {}",
            l.display()
        );
    }
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
    if let Some(p) = &done.post_period {
        post_period(p);
    }
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

pub fn check(done: &CheckDone) {
    use segmint::pipeline::check::JoinKind;
    println!("checked {}", done.config.display());
    for t in &done.tables {
        let skipped: usize = t.skipped.iter().map(|s| s.rows).sum();
        println!(
            "{:<13} {:>9} rows read, {:>9} used, {:>9} skipped  ({})",
            t.table,
            t.rows_read,
            t.rows_used,
            skipped,
            t.file.display()
        );
        for s in &t.skipped {
            let lines: Vec<String> = s.first_lines.iter().map(|l| l.to_string()).collect();
            println!(
                "{:>13} {:>9} skipped: {} ({}{}{})",
                "",
                s.rows,
                s.reason_in(Lang::En),
                match &t.sheet {
                    Some(sheet) => format!("sheet {sheet:?}, rows "),
                    None => "lines ".into(),
                },
                lines.join(", "),
                if s.rows > s.first_lines.len() {
                    ", ..."
                } else {
                    ""
                }
            );
        }
    }
    if let Some(r) = &done.ranges {
        let day = |d: Option<chrono::NaiveDateTime>| {
            d.map_or("-".to_string(), |d| d.format("%Y-%m-%d %H:%M").to_string())
        };
        println!(
            "order lines: {} from {} to {}: {} orders by {} customers (as_of {})",
            r.order_lines,
            day(r.orders_from),
            day(r.orders_to),
            r.orders,
            r.customers,
            r.as_of
        );
        if r.events_from.is_some() {
            println!("events from {} to {}", day(r.events_from), day(r.events_to));
        }
    }
    for j in &done.joins {
        let what = match j.kind {
            JoinKind::LinesWithCustomerRow => "order lines with a customer row",
            JoinKind::ReturnsWithOrder => "returns with a matching order",
            JoinKind::SurveyCustomersWhoBought => "survey customers who also bought",
            JoinKind::EventCustomersWhoBought => "event customers who also bought",
            JoinKind::LinesWithProductRow => "order lines with a product row",
        };
        let pct = if j.total == 0 {
            0.0
        } else {
            100.0 * j.matched as f64 / j.total as f64
        };
        println!("join: {what}: {} of {} ({pct:.1}%)", j.matched, j.total);
    }
    for w in &done.warnings {
        println!("note: {w}");
    }
    if done.ok() {
        println!("no problems: every table reads");
    } else {
        println!("{} problem(s):", done.problems.len());
        for p in &done.problems {
            match p.table {
                Some(t) => println!("  [{t}] {}", p.error),
                None => println!("  {}", p.error),
            }
        }
    }
}

pub fn init(done: &InitDone) {
    for t in &done.guess.tables {
        println!("[{}] <- {}", t.role.section(), t.file.display());
    }
    let todos = done.guess.todos().len();
    let checks = done.guess.checklist();
    if !checks.is_empty() {
        println!("check before you run:");
        for n in checks {
            println!("  - {n}");
        }
    }
    println!(
        "wrote {}{}: check every guess (the comment above each key says why), then run `segmint check --config {}`",
        done.out.display(),
        match todos {
            0 => String::new(),
            1 => " with 1 TODO".to_string(),
            n => format!(" with {n} TODOs"),
        },
        done.out.display()
    );
}

fn print_summary(s: &SeedSummary, file: &Path) {
    let id = &s.identifiers;
    if s.kind == SeedKind::Seed {
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
        println!("warning: {}", i18n::seed_warning_plain(w));
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

pub fn holdout(done: &HoldoutDone) {
    let m = &done.holdout.manifest;
    println!(
        "held out {} of {} customers (share {}, salt {:?}):",
        m.control, m.customers, m.share, m.salt
    );
    let cur = m.currency.as_deref();
    for s in &m.segments {
        println!(
            "  {:>10}  {:<36} {:>6} treatment {:>5} control   MDE conversion {:>7} pp, revenue/customer {:>8}",
            s.segment,
            s.name,
            s.treatment,
            s.control,
            s.mde_conversion
                .map(|m| format!("{:.1}", 100.0 * m))
                .unwrap_or_else(|| "-".into()),
            s.mde_revenue
                .map(|m| Lang::En.money(m, cur))
                .unwrap_or_else(|| "-".into())
        );
        let o = &m.options;
        if let Some(w) =
            i18n::holdout_warning_plain(&s.problems, o.alpha, o.power, o.max_relative_mde)
        {
            println!("  {:>10}  WARNING {w}", "");
        }
    }
    println!(
        "wrote {}, {} and {} (and the lists as .parquet) to {}",
        done.manifest
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default(),
        m.treatment_file,
        m.control_file,
        done.folder.display()
    );
}

pub fn compare(done: &CompareDone) {
    let c = &done.comparison;
    println!(
        "{} customers in both runs, {} gone, {} new; {:.1}% of those in both moved segment under the earlier run's model; agreement of the later segments with that model: {:.3} (adjusted Rand index)",
        c.customers_in_both,
        c.gone,
        c.new,
        100.0 * c.moved_under_a_model,
        c.segmentation_agreement
    );
    for s in &c.segments {
        let n = |t: &Option<segmint::campaign::compare::Totals>| {
            t.as_ref()
                .map(|t| t.customers.to_string())
                .unwrap_or("-".into())
        };
        println!(
            "  {:>10} {:<32} <- {:>10} {:<32} similarity {:>5}  customers {:>6} -> {:>6}  drift: {}",
            s.b.map_or("(gone)".to_string(), |l| l.to_string()),
            s.b_name.as_deref().unwrap_or(""),
            s.a.map_or("(new)".to_string(), |l| l.to_string()),
            s.a_name.as_deref().unwrap_or(""),
            s.similarity.map(|x| format!("{x:.2}")).unwrap_or("-".into()),
            n(&s.in_a),
            n(&s.in_b),
            s.drift
                .iter()
                .take(3)
                .map(|d| format!("{} {:+.2} sd", d.feature, d.change_sd))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    for n in &c.notes {
        println!("note: {}", i18n::campaign_note_plain(n));
    }
    println!(
        "wrote {} to {}",
        done.files
            .iter()
            .map(|f| f.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        done.out.display()
    );
}

pub fn lift(done: &LiftDone) {
    let r = &done.report;
    let opts = &r.lift.options;
    let pct = |x: f64| format!("{:+.1}%", 100.0 * x);
    let cur = r.currency.as_deref();
    let money = |x: f64| Lang::En.signed_money(x, 1, cur);
    println!(
        "lift per segment (intention to treat; revenue winsorised at the {}th percentile for the t test; {} bootstrap resamples, seed {}):",
        100.0 * opts.winsor,
        opts.resamples,
        opts.seed
    );
    for s in &r.lift.segments {
        let ci = s.revenue.bootstrap_ci;
        println!(
            "  {:>10}  {:<32} conversion {:>6} pp (p {:.3})  revenue/customer {:>9} [{}, {}] ({})  Holm p {:.4}{}",
            s.segment,
            s.name,
            format!("{:+.1}", 100.0 * s.conversion.diff),
            s.conversion.p_value,
            money(s.revenue.raw.diff),
            money(ci.low),
            money(ci.high),
            s.revenue.raw.relative.map(pct).unwrap_or_default(),
            s.primary_p_holm,
            if s.significant { "  *" } else { "" }
        );
    }
    let o = &r.lift.overall;
    println!(
        "overall (size-weighted): revenue/customer {} [{}, {}]; incremental revenue {} [{}, {}] (bootstrap [{}, {}])",
        money(o.revenue_diff),
        money(o.revenue_diff_ci.low),
        money(o.revenue_diff_ci.high),
        money(o.incremental_revenue),
        money(o.incremental_revenue_ci.low),
        money(o.incremental_revenue_ci.high),
        money(o.incremental_revenue_bootstrap_ci.low),
        money(o.incremental_revenue_bootstrap_ci.high)
    );
    println!(
        "post period: orders dated {} to {} counted; {} orders outside it not counted ({} of their return lines)",
        r.window.from,
        r.window.to.as_deref().unwrap_or("the end of the file"),
        r.orders_outside_window,
        r.returns_outside_window
    );
    for n in &r.notes {
        println!("note: {}", i18n::campaign_note_plain(n));
    }
    println!(
        "wrote lift.json, lift.csv, lift.parquet, lift.md and lift.svg/.png to {}",
        done.out.display()
    );
}

fn post_period(done: &PostPeriodDone) {
    holdout(&done.holdout);
    println!(
        "wrote the post period of a campaign with a planted lift to {} (truth in {}); measure it with `segmint lift --holdout {} --orders {} --config {} --out {}` (the run's report then shows the campaign results)",
        done.orders.display(),
        done.truth.display(),
        done.holdout.manifest.display(),
        done.orders.display(),
        done.mapping.display(),
        done.mapping.with_file_name("out").join("lift").display()
    );
}
