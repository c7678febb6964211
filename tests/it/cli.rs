//! The real binary on the bundled data.

use crate::common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use polars::prelude::*;

fn segmint() -> Command {
    Command::cargo_bin("segmint").unwrap()
}

fn read_parquet(path: &std::path::Path) -> DataFrame {
    let file = std::fs::File::open(path).unwrap();
    ParquetReader::new(file).finish().unwrap()
}

/// Every id in `expected` appears exactly once in features.parquet, and nothing else does.
fn assert_each_id_once(features: &DataFrame, expected: &BTreeSet<String>) {
    let ids = common::ids(features);
    let unique: BTreeSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), unique.len(), "an id appears twice");
    assert_eq!(&unique, expected);
}

#[test]
fn features_on_cdnow_writes_three_outputs_with_every_customer_once() {
    let out = tempfile::tempdir().unwrap();
    let config = common::repo().join("data/cdnow.toml");
    segmint()
        .args(["features", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("23570 customers"));
    // The ids, read independently of segmint from the raw file.
    let raw = std::fs::read_to_string(common::repo().join("data/CDNOW_master.txt")).unwrap();
    let expected: BTreeSet<String> = raw
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    assert_eq!(expected.len(), 23570);
    let features = read_parquet(&out.path().join("features.parquet"));
    assert_each_id_once(&features, &expected);
    let matrix = read_parquet(&out.path().join("matrix.parquet"));
    assert_eq!(matrix.height(), 23570);
    assert_eq!(common::ids(&matrix), common::ids(&features));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["customers"], 23570);
    assert_eq!(manifest["as_of"], "1998-06-30");
    assert_eq!(manifest["ingest"]["tables"][0]["rows_read"], 69659);
    // Total revenue is conserved: Σ net_revenue over customers = Σ dollar_value in the file.
    let total: f64 = raw
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(3)?.parse::<f64>().ok())
        .sum();
    let net: f64 = features
        .column("net_revenue")
        .unwrap()
        .f64()
        .unwrap()
        .sum()
        .unwrap();
    assert!((net - total).abs() < 1e-6 * total, "{net} vs {total}");
}

#[test]
fn docs_feature_catalog_is_current() {
    let doc = std::fs::read_to_string(common::repo().join("docs/features.md")).unwrap();
    assert_eq!(
        doc,
        segmint::catalog::markdown(),
        "docs/features.md is stale: run `cargo run -- catalog > docs/features.md`"
    );
}

#[test]
fn assign_reproduces_the_training_segments() {
    let out = tempfile::tempdir().unwrap();
    let config = common::repo().join("data/sample/mapping.toml");
    segmint()
        .args(["discover", "--quiet", "--algorithm", "kmeans", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(out.path().join("run"))
        .assert()
        .success()
        .stdout(predicates::str::contains("proposal: kmeans-k"));
    segmint()
        .args(["assign", "--model"])
        .arg(out.path().join("run/model.json"))
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(out.path().join("assigned"))
        .assert()
        .success();
    let trained = std::fs::read_to_string(out.path().join("run/assignments.csv")).unwrap();
    let assigned = std::fs::read_to_string(out.path().join("assigned/assignments.csv")).unwrap();
    let segments = |t: &str| -> Vec<(String, String)> {
        t.lines()
            .map(|l| {
                let mut p = l.split(',');
                (p.next().unwrap().to_string(), p.next().unwrap().to_string())
            })
            .collect()
    };
    let (a, b) = (segments(&trained), segments(&assigned));
    assert!(a.len() > 500);
    assert_eq!(a, b, "assign put a training customer into another segment");
}

#[test]
fn run_writes_profiles_and_flags_the_returners() {
    let out = tempfile::tempdir().unwrap();
    segmint()
        .args(["run", "--quiet", "--config"])
        .arg(common::repo().join("data/sample/mapping.toml"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("Serial returners"))
        .stdout(predicates::str::contains("FLAG low_profit_high_return"));
    for f in [
        "profiles.parquet",
        "profiles.csv",
        "segments.json",
        "flagged_customers.parquet",
        "flagged_customers.csv",
    ] {
        assert!(out.path().join(f).exists(), "{f} missing");
    }
    let segments: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("segments.json")).unwrap()).unwrap();
    let total: u64 = segments["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["customers"].as_u64().unwrap())
        .sum();
    assert_eq!(total, segments["base"]["customers"].as_u64().unwrap());
    let flagged = std::fs::read_to_string(out.path().join("flagged_customers.csv")).unwrap();
    assert!(
        flagged.lines().count() > 30,
        "the planted returners are flagged one by one"
    );
}

#[test]
fn init_writes_a_mapping_that_builds_features_from_the_sample() {
    let out = tempfile::tempdir().unwrap();
    let mapping = out.path().join("mapping.toml");
    let sample = common::repo().join("data/sample");
    let mut cmd = segmint();
    cmd.arg("init");
    for f in [
        "transactions.csv",
        "returns.csv",
        "events.csv",
        "survey.csv",
        "customers.csv",
    ] {
        cmd.arg(sample.join(f));
    }
    cmd.arg("--out").arg(&mapping).assert().success();
    let text = std::fs::read_to_string(&mapping).unwrap();
    assert!(text.starts_with("# segmint mapping"), "a commented mapping");
    for table in [
        "[transactions]",
        "[returns]",
        "[events]",
        "[survey]",
        "[customers]",
    ] {
        assert!(text.contains(table), "{table} not guessed:\n{text}");
    }
    assert!(
        text.contains("decimal = \",\""),
        "the Nordic decimal comma is recognised"
    );
    segmint()
        .args(["features", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(out.path().join("run"))
        .assert()
        .success()
        .stdout(predicates::str::contains("customers"));
    // A second init does not overwrite the reviewed mapping.
    segmint()
        .arg("init")
        .arg(sample.join("transactions.csv"))
        .arg("--out")
        .arg(&mapping)
        .assert()
        .failure()
        .stderr(predicates::str::contains("--force"));
}

#[test]
fn dbscan_and_forced_k_from_the_command_line() {
    let out = tempfile::tempdir().unwrap();
    let config = common::repo().join("data/sample/mapping.toml");
    segmint()
        .args(["discover", "--quiet", "--algorithm", "dbscan", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(out.path().join("db"))
        .assert()
        .success()
        .stdout(predicates::str::contains("proposal: dbscan-"));
    let model: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("db/model.json")).unwrap()).unwrap();
    assert_eq!(model["algorithm"], "dbscan");
    assert!(model["dbscan"]["core_points"].as_array().unwrap().len() > 10);
    // Assigning the training customers with the DBSCAN model: core rows keep their segment,
    // unassigned (noise) rows stay unassigned.
    segmint()
        .args(["assign", "--model"])
        .arg(out.path().join("db/model.json"))
        .arg("--config")
        .arg(&config)
        .arg("--out")
        .arg(out.path().join("db2"))
        .assert()
        .success();
    let col = |p: &str| -> Vec<String> {
        std::fs::read_to_string(out.path().join(p))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap().to_string())
            .collect()
    };
    let (trained, assigned) = (col("db/assignments.csv"), col("db2/assignments.csv"));
    for (t, a) in trained.iter().zip(&assigned) {
        if t.is_empty() {
            assert!(a.is_empty(), "a noise customer was assigned to {a}");
        }
    }
    let same = trained
        .iter()
        .zip(&assigned)
        .filter(|(t, a)| t == a)
        .count();
    assert!(
        same as f64 >= 0.95 * trained.len() as f64,
        "{same} of {}",
        trained.len()
    );

    segmint()
        .args(["discover", "--quiet", "--k", "3", "--config"])
        .arg(&config)
        .arg("--out")
        .arg(out.path().join("k3"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "proposal: kmeans-k3 — The number of segments (3) was set by the analyst",
        ));
}

/// Issue 19: `--engine ballista` hands the job to the segmint-ballista program; without a
/// scheduler, with a scheduler but the local engine, or without the program, it says what to do
/// and writes nothing.
#[test]
fn engine_ballista_needs_a_scheduler_and_the_program() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let no_scheduler = segmint()
        .args([
            "features",
            "--config",
            "data/sample/mapping.toml",
            "--engine",
            "ballista",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&no_scheduler.get_output().stderr).into_owned();
    assert!(err.contains("--scheduler"), "{err}");
    let local = segmint()
        .args(["features", "--config", "data/sample/mapping.toml"])
        .args(["--scheduler", "df://127.0.0.1:1"])
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&local.get_output().stderr).into_owned();
    assert!(err.contains("--engine ballista"), "{err}");
    let missing = segmint()
        .env("SEGMINT_BALLISTA", dir.path().join("no-such-program"))
        .args([
            "assign",
            "--model",
            "model.json",
            "--config",
            "data/sample/mapping.toml",
        ])
        .args(["--engine", "ballista", "--scheduler", "df://127.0.0.1:1"])
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert!(err.contains("SEGMINT_BALLISTA"), "{err}");
    assert!(!out.join("features.parquet").exists());
}

/// Issue 15, must-show 6: the command line states money in the mapping's currency, grouped
/// (the flag's impact was printed as a bare "3800000").
#[test]
fn run_prints_money_in_the_mappings_currency() {
    let dir = common::sample_copy();
    // The sample mapping names its currency (as the demo's does).
    let mapping = std::fs::read_to_string(dir.path().join("mapping.toml")).unwrap();
    assert!(mapping.contains("\ncurrency = \"NOK\"\n"), "{mapping}");
    let run = segmint()
        .args(["run", "--quiet", "--config"])
        .arg(dir.path().join("mapping.toml"))
        .arg("--out")
        .arg(dir.path().join("out"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    let flag = stdout
        .lines()
        .find(|l| l.contains("FLAG low_profit_high_return"))
        .unwrap_or_else(|| panic!("no flag line in {stdout}"));
    assert!(flag.contains("at most about NOK\u{a0}"), "{flag}");
    // No amount of five or more digits without grouping.
    let bare = flag
        .split(|c: char| !c.is_ascii_digit())
        .any(|run| run.len() >= 5);
    assert!(!bare, "{flag}");
}

/// `[output] csv_copies`: `never` writes the per-customer tables as Parquet only, `always`
/// adds the CSV copies, and a later `never` run in the same folder removes the copies the
/// earlier run left (they would disagree with the new tables); the Parquet tables are the same
/// rows either way.
#[test]
fn csv_copies_of_the_customer_tables_follow_the_output_setting() {
    let shop = common::sample_copy();
    let sample = common::repo().join("data/sample");
    let mapping = std::fs::read_to_string(sample.join("mapping.toml")).unwrap();
    let with = |copies: &str| {
        let path = shop.path().join(format!("mapping-{copies}.toml"));
        std::fs::write(
            &path,
            format!("{mapping}\n[output]\ncsv_copies = \"{copies}\"\n"),
        )
        .unwrap();
        path
    };
    let out = shop.path().join("out");
    let run = |config: &std::path::Path| {
        segmint()
            .args(["run", "--quiet", "--algorithm", "kmeans", "--config"])
            .arg(config)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    };
    let copies = ["assignments.csv", "flagged_customers.csv"];
    run(&with("never"));
    for f in copies {
        assert!(!out.join(f).exists(), "{f} written with csv_copies = never");
    }
    let parquet_never = read_parquet(&out.join("assignments.parquet"));
    run(&with("always"));
    for f in copies {
        assert!(out.join(f).exists(), "{f} missing with csv_copies = always");
    }
    let csv_rows = std::fs::read_to_string(out.join("assignments.csv"))
        .unwrap()
        .lines()
        .count();
    assert_eq!(
        csv_rows,
        parquet_never.height() + 1,
        "header + one row each"
    );
    run(&with("never"));
    for f in copies {
        assert!(!out.join(f).exists(), "{f} of the earlier run left behind");
    }
    assert!(read_parquet(&out.join("assignments.parquet")).equals(&parquet_never));
    // A mistyped setting names its choices.
    segmint()
        .args(["check", "--config"])
        .arg(with("sometimes"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("csv_copies"));
}

/// A table file that is not there: the error names the file and says why, once (segmint's
/// errors end with their cause; printing the chain repeated "No such file or directory").
#[test]
fn a_missing_table_file_is_named_with_its_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let mapping = dir.path().join("mapping.toml");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample/mapping.toml"),
        &mapping,
    )
    .unwrap();
    let out = segmint()
        .args(["features", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_default();
    assert!(line.contains("transactions.csv"), "{err}");
    assert_eq!(line.matches("os error 2").count(), 1, "{err}");
}
