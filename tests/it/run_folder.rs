//! Issue 14, cases 1–4, through the real binary: nothing lost (no output overwrites an input,
//! another stage's file or another output of the same command), nothing stale (files of
//! different runs are refused, a folder is locked while a command writes) and no file
//! rewritten in place.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;

use crate::common;

fn segmint() -> Command {
    Command::cargo_bin("segmint").unwrap()
}

/// One `segmint run` of the sample (k forced to 4 to keep it quick), shared by the tests that
/// only read it.
fn sample_run() -> &'static Path {
    static RUN: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, run) = RUN.get_or_init(|| {
        let dir = common::sample_copy();
        let run = dir.path().join("run");
        segmint()
            .args(["run", "--quiet", "--k", "4", "--config"])
            .arg(dir.path().join("mapping.toml"))
            .arg("--out")
            .arg(&run)
            .assert()
            .success();
        (dir, run)
    });
    run
}

fn stderr_of(cmd: &mut Command) -> String {
    let out = cmd.assert().failure().get_output().clone();
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn case_1_seed_and_exclusions_cannot_share_a_file() {
    let run = sample_run();
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.csv");
    let e = stderr_of(
        segmint()
            .args(["seeds", "--platform", "meta", "--segment", "1", "--in"])
            .arg(run)
            .arg("--out")
            .arg(&s)
            .arg("--exclusions")
            .arg(&s),
    );
    assert!(e.contains("same file"), "{e}");
    assert!(!s.exists(), "nothing written");
}

#[test]
fn case_2_run_never_overwrites_an_input_named_like_an_output() {
    let dir = common::sample_copy();
    // The customers table is called profiles.csv, as `segmint profile` names its output.
    std::fs::rename(
        dir.path().join("customers.csv"),
        dir.path().join("profiles.csv"),
    )
    .unwrap();
    let mapping = std::fs::read_to_string(dir.path().join("mapping.toml")).unwrap();
    std::fs::write(
        dir.path().join("mapping.toml"),
        mapping.replace("path = \"customers.csv\"", "path = \"profiles.csv\""),
    )
    .unwrap();
    let before = std::fs::read(dir.path().join("profiles.csv")).unwrap();
    let e = stderr_of(
        segmint()
            .args(["run", "--quiet", "--k", "3", "--config"])
            .arg(dir.path().join("mapping.toml"))
            .arg("--out")
            .arg(dir.path()),
    );
    assert!(e.contains("input of this run"), "{e}");
    assert_eq!(
        std::fs::read(dir.path().join("profiles.csv")).unwrap(),
        before
    );
    assert!(
        !dir.path().join("assignments.csv").exists(),
        "refused before writing anything"
    );
}

#[test]
fn case_2_seeds_and_score_never_overwrite_inputs_or_the_run() {
    let run = sample_run();
    let customers = run.parent().unwrap().join("customers.csv");
    let before = std::fs::read(&customers).unwrap();
    let e = stderr_of(
        segmint()
            .args(["seeds", "--platform", "meta", "--segment", "1", "--in"])
            .arg(run)
            .arg("--out")
            .arg(&customers),
    );
    assert!(e.contains("input of this run"), "{e}");
    assert_eq!(std::fs::read(&customers).unwrap(), before);

    let assignments = run.join("assignments.csv");
    let before = std::fs::read(&assignments).unwrap();
    let e = stderr_of(
        segmint()
            .args(["score", "--segment", "1", "--model"])
            .arg(run.join("model.json"))
            .arg("--prospects")
            .arg(run.join("features.parquet"))
            .arg("--out")
            .arg(&assignments),
    );
    assert!(e.contains("written by `segmint discover`"), "{e}");
    assert_eq!(std::fs::read(&assignments).unwrap(), before);
}

#[test]
fn case_3_report_and_seeds_refuse_files_of_different_runs() {
    let dir = common::sample_copy();
    let out = dir.path().join("out");
    let mapping = dir.path().join("mapping.toml");
    segmint()
        .args(["run", "--quiet", "--k", "4", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    // A second discover with another k: the profiles in the folder are now stale.
    segmint()
        .args(["discover", "--quiet", "--k", "3", "--config"])
        .arg(&mapping)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let e = stderr_of(segmint().args(["report", "--in"]).arg(&out));
    assert!(
        e.contains("segments.json belongs to run") && e.contains("different runs"),
        "{e}"
    );
    assert!(e.contains("segmint profile"), "says what to run: {e}");
    let e = stderr_of(
        segmint()
            .args(["seeds", "--platform", "meta", "--segment", "1", "--in"])
            .arg(&out)
            .arg("--out")
            .arg(dir.path().join("seed.csv")),
    );
    assert!(e.contains("different runs"), "{e}");
    assert!(!dir.path().join("seed.csv").exists());
    // Profiling again makes the folder one run again.
    segmint()
        .args(["profile", "--config"])
        .arg(&mapping)
        .arg("--in")
        .arg(&out)
        .assert()
        .success();
    segmint()
        .args(["report", "--in"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("wrote the report"));
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("report/report.json")).unwrap()).unwrap();
    assert_eq!(report["k"], 3);
    for f in [
        "manifest.json",
        "candidates.json",
        "model.json",
        "segments.json",
    ] {
        let v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join(f)).unwrap()).unwrap();
        assert_eq!(v["run_id"], report["run_id"], "{f}");
        assert_eq!(v["schema_version"], 1, "{f}");
    }
}

#[test]
fn case_3_a_folder_being_written_is_locked() {
    let dir = common::sample_copy();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // This test's own process holds the lock, as a running segmint would.
    std::fs::write(
        out.join(".segmint.lock"),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let e = stderr_of(
        segmint()
            .args(["run", "--quiet", "--k", "3", "--config"])
            .arg(dir.path().join("mapping.toml"))
            .arg("--out")
            .arg(&out),
    );
    assert!(e.contains("another segmint command"), "{e}");
    assert!(!out.join("manifest.json").exists());
}

#[test]
fn case_4_outputs_are_renamed_into_place_not_rewritten() {
    let dir = common::sample_copy();
    let out = dir.path().join("out");
    let mapping = dir.path().join("mapping.toml");
    let discover = |k: &str| {
        segmint()
            .args(["discover", "--quiet", "--k", k, "--config"])
            .arg(&mapping)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
    };
    discover("2");
    // A hard link sees a file rewritten in place (what a kill -9 truncates); a rename leaves
    // it on the old, whole file.
    let link = dir.path().join("model-link.json");
    std::fs::hard_link(out.join("model.json"), &link).unwrap();
    let old = std::fs::read(&link).unwrap();
    discover("3");
    assert_eq!(
        std::fs::read(&link).unwrap(),
        old,
        "model.json was rewritten in place"
    );
    assert_ne!(std::fs::read(out.join("model.json")).unwrap(), old);
    let leftovers: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp") || n.ends_with(".lock"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[cfg(unix)]
#[test]
fn personal_data_files_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let run = sample_run();
    let dir = tempfile::tempdir().unwrap();
    let seed = dir.path().join("seed.csv");
    let exclusions = dir.path().join("exclude.csv");
    segmint()
        .args(["seeds", "--platform", "meta", "--segment", "1", "--in"])
        .arg(run)
        .arg("--out")
        .arg(&seed)
        .arg("--exclusions")
        .arg(&exclusions)
        .assert()
        .success();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for p in [
        seed,
        exclusions,
        run.join("features.parquet"),
        run.join("matrix.parquet"),
        run.join("assignments.csv"),
        run.join("flagged_customers.csv"),
        run.join("segments.json"),
    ] {
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
}
