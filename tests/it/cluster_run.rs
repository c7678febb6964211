//! `segmint run --engine ballista` through the real binary, with a stand-in for the
//! segmint-ballista program (`SEGMINT_BALLISTA`): a script that writes what a cluster writes
//! (the feature table and the assignments as Parquet part files, features.json, model.json,
//! candidates.json, discover.json), made here from a local run of the sample shop. The run
//! folder segmint reads back from them must be the local run's: the same features,
//! assignments and segments. `.ci/ballista-e2e` runs the same command on a real cluster.

use std::path::Path;

use assert_cmd::Command;
use polars::prelude::*;
use segmint::run::cluster::{ClusterDiscovery, ClusterFeatures};

use crate::common;

fn segmint() -> Command {
    Command::cargo_bin("segmint").unwrap()
}

fn read(path: &Path) -> DataFrame {
    segmint::run::read_parquet(path).unwrap()
}

/// Writes `df` as two Parquet part files in `dir`, the second half first (a cluster's parts
/// come in any order).
fn parts(df: &DataFrame, dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let half = df.height() / 2;
    for (name, mut part) in [
        ("part-0.parquet", df.slice(half as i64, df.height() - half)),
        ("part-1.parquet", df.slice(0, half)),
    ] {
        let file = std::fs::File::create(dir.join(name)).unwrap();
        ParquetWriter::new(file).finish(&mut part).unwrap();
    }
    std::fs::write(dir.join("_SUCCESS"), "").unwrap();
}

fn json(path: &Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("run_id");
    v
}

/// The sample shop, its local `segmint run --k 4`, and in `cluster/` what a cluster's
/// discovery of it writes; `drop_last` leaves the last customer out of the assignments.
fn setup(drop_last: bool) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = common::sample_copy();
    let local = dir.path().join("local");
    segmint()
        .args(["run", "--quiet", "--k", "4", "--config"])
        .arg(dir.path().join("mapping.toml"))
        .arg("--out")
        .arg(&local)
        .assert()
        .success();
    let made = dir.path().join("made");
    let features = read(&local.join("features.parquet"));
    parts(&features, &made.join("features"));
    let mut assignments = read(&local.join("assignments.parquet"));
    if drop_last {
        assignments = assignments.slice(0, assignments.height() - 1);
    }
    parts(&assignments, &made.join("assignments"));
    let manifest = segmint::run::RunFolder::open(&local).unwrap().manifest;
    let catalog = ClusterFeatures {
        schema_version: segmint::run::SCHEMA_VERSION,
        as_of: manifest.as_of.clone(),
        customers: features.height() as u64,
        specs: manifest.features.clone(),
        dropped: Vec::new(),
        table: made.join("features"),
        ingest: Some(manifest.ingest.clone()),
    };
    std::fs::write(
        made.join("features.json"),
        segmint::run::json(&catalog).unwrap(),
    )
    .unwrap();
    let model = segmint::run::RunFolder::open(&local)
        .unwrap()
        .model()
        .unwrap();
    let discovery = ClusterDiscovery {
        schema_version: segmint::run::SCHEMA_VERSION,
        customers: features.height() as u64,
        sample: features.height(),
        sample_seed: 42,
        candidate: model.candidate.clone(),
        k: model.k,
        iterations: 1,
        converged: true,
        shift: 0.0,
        sizes: Vec::new(),
        model: made.join("model.json"),
        table: made.join("assignments"),
        notes: Vec::new(),
    };
    std::fs::write(
        made.join("discover.json"),
        segmint::run::json(&discovery).unwrap(),
    )
    .unwrap();
    for f in ["model.json", "candidates.json", "candidates.csv"] {
        std::fs::copy(local.join(f), made.join(f)).unwrap();
    }
    // The stand-in program: `features` has nothing to do (its files are made), `discover`
    // puts the made files into its --out folder. It records its arguments.
    let program = dir.path().join("segmint-ballista");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{log}'\n[ \"$1\" = discover ] || exit 0\nwhile [ \"$1\" != --out ]; do shift; done\nmkdir -p \"$2\" && cp -r '{made}'/. \"$2\"/\n",
            log = dir.path().join("calls.log").display(),
            made = made.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (dir, program)
}

fn run_on_cluster(dir: &Path, program: &Path) -> Command {
    let mut cmd = segmint();
    cmd.env("SEGMINT_BALLISTA", program)
        .args(["run", "--quiet", "--k", "4", "--engine", "ballista"])
        .args(["--scheduler", "df://127.0.0.1:50050", "--config"])
        .arg(dir.join("mapping.toml"))
        .arg("--out")
        .arg(dir.join("run"));
    cmd
}

#[cfg(unix)]
#[test]
fn a_run_on_the_cluster_is_read_back_profiled_and_reported_as_the_local_run() {
    let (dir, program) = setup(false);
    let d = dir.path();
    let out = run_on_cluster(d, &program).assert().success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        stdout.contains("into a run folder") && stdout.contains("wrote the report"),
        "{stdout}"
    );
    // The cluster got the features, then the discovery, into OUT/cluster.
    let calls = std::fs::read_to_string(d.join("calls.log")).unwrap();
    let cluster = d.join("run").join("cluster");
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 2, "{calls}");
    assert!(lines[0].starts_with("features --config"), "{calls}");
    assert!(
        lines[1].starts_with("discover --config")
            && lines[1].contains(&format!("--out {}", cluster.display()))
            && lines[1].contains("--k 4"),
        "{calls}"
    );
    let (local, run) = (d.join("local"), d.join("run"));
    for table in ["features.parquet", "assignments.parquet", "matrix.parquet"] {
        assert!(
            read(&local.join(table)).equals_missing(&read(&run.join(table))),
            "{table} differs from the local run's"
        );
    }
    assert_eq!(
        json(&local.join("segments.json")),
        json(&run.join("segments.json"))
    );
    assert_eq!(
        json(&local.join("candidates.json")),
        json(&run.join("candidates.json"))
    );
    // The report says where and how the segments were found.
    let report = std::fs::read_to_string(run.join("report/report.md")).unwrap();
    assert!(
        report.contains(
            "segments found on a Ballista cluster: the candidates were compared on a sample of"
        ) && report.contains("(seed 42)"),
        "{report}"
    );
    let local_report = std::fs::read_to_string(local.join("report/report.md")).unwrap();
    assert!(!local_report.contains("Ballista"));
}

#[cfg(unix)]
#[test]
fn assignments_that_miss_a_customer_are_refused() {
    let (dir, program) = setup(true);
    let out = run_on_cluster(dir.path(), &program).assert().failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("not the same ones") && stderr.contains("cluster"),
        "{stderr}"
    );
    assert!(!dir.path().join("run/segments.json").exists());
}

#[test]
fn timings_and_threads_are_for_the_local_engine() {
    let sample = common::repo().join("data/sample/mapping.toml");
    let dir = tempfile::tempdir().unwrap();
    for extra in [&["--timings"][..], &["--threads", "2"][..]] {
        let out = segmint()
            .args([
                "run",
                "--engine",
                "ballista",
                "--scheduler",
                "df://127.0.0.1:1",
            ])
            .arg("--config")
            .arg(&sample)
            .arg("--out")
            .arg(dir.path().join("run"))
            .args(extra)
            .assert()
            .failure();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains("local engine"), "{extra:?}: {stderr}");
    }
}
