//! The `seeds` and `score` commands (part of the CLI binary; the work is in
//! `segmint::lookalike`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::Context;

use segmint::config::Config;
use segmint::export;
use segmint::lookalike::normalize::Platform;
use segmint::lookalike::score;
use segmint::lookalike::seeds::{self, Contacts, SeedInput, SeedOptions, SeedSummary};

/// Options of `segmint seeds`.
pub struct SeedArgs {
    pub dir: PathBuf,
    pub segment: String,
    pub platform: String,
    pub out: PathBuf,
    pub config: Option<PathBuf>,
    pub keep_returners: bool,
    pub exclusions: Option<PathBuf>,
}

/// `name.csv` → `name.<suffix>` next to it.
fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!("{stem}.{suffix}"))
}

/// Writes files given by full path (through `export::write_files`).
fn write(files: &[(PathBuf, Vec<u8>)]) -> anyhow::Result<()> {
    for (path, bytes) in files {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .with_context(|| format!("{} is not a file name", path.display()))?
            .to_string_lossy()
            .to_string();
        export::write_files(dir, &[(name, bytes.clone())])
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

fn mapping_of(dir: &Path, config: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    if let Some(c) = config {
        return Ok(c);
    }
    match export::read_mapping_path(dir)? {
        Some(p) if p.exists() => Ok(p),
        Some(p) => anyhow::bail!(
            "the run in {} was made with the mapping {}, which no longer exists: pass --config mapping.toml",
            dir.display(),
            p.display()
        ),
        None => anyhow::bail!(
            "the run in {} does not record its mapping file: pass --config mapping.toml",
            dir.display()
        ),
    }
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

/// `segmint seeds`.
pub fn seeds(a: SeedArgs) -> anyhow::Result<()> {
    let platform = Platform::parse(&a.platform).with_context(|| {
        format!(
            "unknown platform {:?}: use meta, google or tiktok",
            a.platform
        )
    })?;
    let mapping = mapping_of(&a.dir, a.config)?;
    let config = Config::load(&mapping)?;
    seeds::check_mapping(&config)?;
    let run = export::read_segments(&a.dir)?;
    let (index, segment) = run.find(&a.segment)?;
    let (features, assignment) = export::read_run(&a.dir)?;
    let members: Vec<String> = assignment
        .ids
        .iter()
        .zip(&assignment.segment)
        .filter(|(_, s)| **s == Some(index))
        .map(|(id, _)| id.clone())
        .collect();
    let flagged: BTreeSet<String> = run
        .flagged_customers
        .iter()
        .map(|f| f.customer_id.clone())
        .collect();
    let value_feature = config.mapping.lookalike.value_feature().map(str::to_string);
    let values: Option<BTreeMap<String, f64>> = match (&value_feature, platform) {
        (Some(f), Platform::Meta) => {
            let df = &features.table;
            let column = df
                .column(f)
                .and_then(|c| c.cast(&polars::prelude::DataType::Float64))
                .map_err(|_| {
                    anyhow::anyhow!(
                        "[lookalike] value = {f:?} is not a numeric column of features.parquet; use one of: {}",
                        features
                            .specs
                            .iter()
                            .filter(|s| s.kind != segmint::features::Kind::Categorical)
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
            let ids = df.column("customer_id")?.str()?.clone();
            Some(
                ids.iter()
                    .zip(column.f64()?.iter())
                    .filter_map(|(id, v)| Some((id?.to_string(), v?)))
                    .collect(),
            )
        }
        _ => None,
    };
    let contacts = segmint::ingest::load_contacts(&config, features.as_of)?
        .context("the mapping has no [customers] table")?;
    let contacts = Contacts::from_frame(&contacts)?;
    let opts = SeedOptions {
        platform,
        keep_returners: a.keep_returners,
        lookalike: config.mapping.lookalike.clone(),
    };
    let input = SeedInput {
        segment: &segment.segment,
        segment_name: &segment.name,
        members: &members,
        flagged: &flagged,
        contacts: &contacts,
        values: match (&value_feature, &values) {
            (Some(f), Some(v)) => Some((f.as_str(), v)),
            _ => None,
        },
    };
    let seed = seeds::seed_file(input, &opts)?;
    let mut files = vec![
        (a.out.clone(), seed.bytes.clone()),
        (
            sibling(&a.out, "summary.json"),
            export::json(&seed.summary)?,
        ),
    ];
    let exclusions = a
        .exclusions
        .as_ref()
        .map(|path| (path, seeds::exclusion_file(&flagged, &contacts, &opts)));
    if let Some((path, f)) = &exclusions {
        files.push(((*path).clone(), f.bytes.clone()));
        files.push((sibling(path, "summary.json"), export::json(&f.summary)?));
    }
    write(&files)?;
    print_summary(&seed.summary, &a.out);
    if let Some((path, f)) = &exclusions {
        print_summary(&f.summary, path);
    }
    println!(
        "wrote {} (and {}); identifiers are SHA-256 hashed{}",
        a.out.display(),
        sibling(&a.out, "summary.json").display(),
        if platform == Platform::Google {
            ", Country and Zip in clear as Google asks"
        } else {
            ""
        }
    );
    Ok(())
}

/// `segmint score`.
pub fn score(model_path: &Path, segment: &str, prospects: &Path, out: &Path) -> anyhow::Result<()> {
    let model = export::read_model(model_path)?;
    let dir = model_path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (index, name) = if dir.join("segments.json").exists() {
        let run = export::read_segments(dir)?;
        let (i, s) = run.find(segment)?;
        (i, s.name.clone())
    } else {
        let i: usize = segment.trim().parse().ok().filter(|&i| i >= 1).with_context(|| {
            format!(
                "{} has no segments.json, so segments can only be named by id (1 to {}); profile the run to use names",
                dir.display(),
                model.k
            )
        })?;
        (i - 1, format!("segment {i}"))
    };
    let (features, assignment) = export::read_run(dir).with_context(|| {
        format!(
            "score trains its seed-vs-rest classifier on the run next to {}: it needs manifest.json, features.parquet and assignments.parquet there",
            model_path.display()
        )
    })?;
    let p = score::read_prospects(prospects, &model.prepare)?;
    let run = score::score_prospects(&model, &features, &assignment, index, &name, &p)?;
    let reach_path = sibling(out, "reach.csv");
    let summary_path = sibling(out, "summary.json");
    write(&[
        (out.to_path_buf(), score::ranking_csv(&run.ranked)),
        (reach_path.clone(), score::reach_csv(&run.reach)),
        (summary_path.clone(), export::json(&run.summary)?),
    ])?;
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
    Ok(())
}
