//! The campaign commands: `segmint holdout`, `segmint lift`, and the demo's post period.

use std::path::{Path, PathBuf};

use anyhow::Context;

use segmint::campaign::holdout::{run_holdout, HoldoutOptions};
use segmint::campaign::lift::{lift_outputs, run_lift, LiftOptions, Primary};
use segmint::config::Config;
use segmint::export;

/// Writes the holdout of the profiled run `dir`: the manifest `out` and the two lists next to
/// it.
pub fn holdout(dir: &Path, opts: &HoldoutOptions, out: &Path) -> anyhow::Result<()> {
    let name = out
        .file_name()
        .and_then(|n| n.to_str())
        .context("--out must name a file, e.g. campaign/holdout.json")?;
    let (h, files) = run_holdout(dir, opts, name)?;
    let folder = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    export::write_files(folder, &files).context("writing the holdout")?;
    let m = &h.manifest;
    println!(
        "held out {} of {} customers (share {}, salt {:?}):",
        m.control, m.customers, m.share, m.salt
    );
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
                .map(|m| format!("{m:.0}"))
                .unwrap_or_else(|| "-".into())
        );
        if let Some(w) = &s.warning {
            println!("  {:>10}  WARNING {w}", "");
        }
    }
    println!(
        "wrote {}, {} and {} to {}",
        name,
        m.treatment_file,
        m.control_file,
        folder.display()
    );
    Ok(())
}

/// Compares run `from` with run `to` and writes the comparison into `out`.
pub fn compare(from: &Path, to: &Path, out: &Path, lang: &str) -> anyhow::Result<()> {
    let lang: segmint::i18n::Lang = lang.parse()?;
    let (c, files) = segmint::campaign::compare::run_compare(from, to, lang)?;
    export::write_files(out, &files).context("writing the comparison")?;
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
            s.b.as_deref().unwrap_or("(gone)"),
            s.b_name.as_deref().unwrap_or(""),
            s.a.as_deref().unwrap_or("(new)"),
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
        println!("note: {n}");
    }
    println!(
        "wrote compare.json, compare.md, migration.csv, migration_under_a_model.csv, segments.csv and migration.svg/.png to {}",
        out.display()
    );
    Ok(())
}

/// Options of `segmint lift` as given on the command line.
pub struct LiftArgs {
    pub holdout: PathBuf,
    pub orders: PathBuf,
    pub returns: Option<PathBuf>,
    pub config: PathBuf,
    pub out: PathBuf,
    pub winsor: f64,
    pub resamples: usize,
    pub seed: u64,
    pub primary: String,
    pub cuped: bool,
    pub alpha: f64,
    pub lang: String,
}

/// Measures the lift and writes lift.json, lift.csv and lift.svg into `out`.
pub fn lift(a: LiftArgs) -> anyhow::Result<()> {
    if !(a.winsor > 0.5 && a.winsor <= 1.0) {
        anyhow::bail!(
            "--winsor is the percentile revenue is capped at, between 0.5 and 1 (e.g. 0.99), not {}",
            a.winsor
        );
    }
    if !(a.alpha > 0.0 && a.alpha < 0.5) {
        anyhow::bail!("--alpha must be between 0 and 0.5, not {}", a.alpha);
    }
    if a.resamples < 100 {
        anyhow::bail!("--resamples must be 100 or more, not {}", a.resamples);
    }
    let config = Config::load(&a.config)?;
    let opts = LiftOptions {
        alpha: a.alpha,
        winsor: a.winsor,
        resamples: a.resamples,
        seed: a.seed,
        primary: if a.primary == "conversion" {
            Primary::Conversion
        } else {
            Primary::Revenue
        },
        cuped: a.cuped,
    };
    let r = run_lift(&a.holdout, &a.orders, a.returns.as_deref(), &config, &opts)?;
    let files = lift_outputs(&r, a.lang.parse()?)?;
    export::write_files(&a.out, &files).context("writing the lift")?;
    let pct = |x: f64| format!("{:+.1}%", 100.0 * x);
    println!(
        "lift per segment (intention to treat; revenue winsorised at the {}th percentile for the t test; {} bootstrap resamples, seed {}):",
        100.0 * opts.winsor,
        opts.resamples,
        opts.seed
    );
    for s in &r.lift.segments {
        let ci = s.revenue.bootstrap_ci;
        println!(
            "  {:>10}  {:<32} conversion {:>6} pp (p {:.3})  revenue/customer {:>+9.1} [{:.1}, {:.1}] ({})  Holm p {:.4}{}",
            s.segment,
            s.name,
            format!("{:+.1}", 100.0 * s.conversion.diff),
            s.conversion.p_value,
            s.revenue.raw.diff,
            ci.low,
            ci.high,
            s.revenue.raw.relative.map(pct).unwrap_or_default(),
            s.primary_p_holm,
            if s.significant { "  *" } else { "" }
        );
    }
    let o = &r.lift.overall;
    println!(
        "overall (size-weighted): revenue/customer {:+.1} [{:.1}, {:.1}]; incremental revenue {:.0} [{:.0}, {:.0}] (bootstrap [{:.0}, {:.0}])",
        o.revenue_diff,
        o.revenue_diff_ci.low,
        o.revenue_diff_ci.high,
        o.incremental_revenue,
        o.incremental_revenue_ci.low,
        o.incremental_revenue_ci.high,
        o.incremental_revenue_bootstrap_ci.low,
        o.incremental_revenue_bootstrap_ci.high
    );
    for n in &r.notes {
        println!("note: {n}");
    }
    println!(
        "wrote lift.json, lift.csv, lift.md and lift.svg/.png to {}",
        a.out.display()
    );
    Ok(())
}

/// The demo's campaign: holds 20% of every segment of the demo run out (salt `demo-campaign`)
/// into `out/holdout.json`, then writes `out/post_period.csv` with the planted effect of
/// [`segmint::demo::CAMPAIGN`] and `out/post_period_truth.csv`.
pub fn demo_post_period(
    params: &segmint::demo::DemoParams,
    truth: &[(String, segmint::demo::Segment)],
    out: &Path,
) -> anyhow::Result<()> {
    holdout(
        &out.join("out"),
        &HoldoutOptions::new(0.2, "demo-campaign"),
        &out.join("holdout.json"),
    )?;
    let control = std::fs::read_to_string(out.join("holdout.control.csv"))?;
    let ids: std::collections::HashSet<String> = control
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect();
    let (orders, truth_csv) = segmint::demo::post_period(params, truth, &ids);
    export::write_files(
        out,
        &[
            ("post_period.csv".to_string(), orders.into_bytes()),
            ("post_period_truth.csv".to_string(), truth_csv.into_bytes()),
        ],
    )
    .context("writing the post period")?;
    println!(
        "wrote the post period of a campaign with a planted lift to {} (truth in post_period_truth.csv); measure it with `segmint lift --holdout {} --orders {} --config {} --out {}`",
        out.join("post_period.csv").display(),
        out.join("holdout.json").display(),
        out.join("post_period.csv").display(),
        out.join("mapping.toml").display(),
        out.join("lift").display()
    );
    Ok(())
}
