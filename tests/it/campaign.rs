//! Campaigns end to end: the demo with a planted post-period lift, `segmint holdout` and
//! `segmint lift` through the real binary; `lift` recovers the planted effect.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use assert_cmd::Command;

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (customer id, segment) rows of a holdout list.
fn list(path: &Path) -> Vec<(String, String, bool)> {
    read(path)
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string(), f[f.len() - 1] == "true")
        })
        .collect()
}

#[test]
fn demo_post_period_holdout_and_lift_recover_the_planted_effect() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    Command::cargo_bin("segmint")
        .unwrap()
        .args([
            "demo",
            "--customers",
            "2000",
            "--k",
            "6",
            "--quiet",
            "--post-period",
            "--out",
        ])
        .arg(&demo)
        .arg("--report-dir")
        .arg(dir.path().join("report"))
        .assert()
        .success()
        .stdout(predicates::str::contains("held out"));

    // The holdout: every customer of the run on exactly one list, round(0.2 n) per segment
    // held out, flagged returners kept in their segments.
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&demo.join("holdout.json"))).unwrap();
    let treatment = list(&demo.join("holdout.treatment.csv"));
    let control = list(&demo.join("holdout.control.csv"));
    let assignments = read(&demo.join("out/assignments.csv"));
    let run_ids: HashSet<&str> = assignments
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let listed: HashSet<&str> = treatment
        .iter()
        .chain(&control)
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(
        listed.len(),
        treatment.len() + control.len(),
        "no one twice"
    );
    assert_eq!(listed, run_ids, "every customer of the run on a list");
    assert_eq!(manifest["customers"], run_ids.len());
    assert_eq!(manifest["salt"], "demo-campaign");
    assert!(manifest["algorithm"]
        .as_str()
        .unwrap()
        .starts_with("segmint-holdout-v1"));
    assert_eq!(manifest["input_hash"].as_str().unwrap().len(), 64);
    for s in manifest["segments"].as_array().unwrap() {
        let n = s["customers"].as_u64().unwrap();
        let held = control.iter().filter(|r| r.1 == s["segment"]).count() as u64;
        assert_eq!(held, (0.2 * n as f64).round() as u64, "{s}");
        assert_eq!(s["control"].as_u64().unwrap(), held);
        let flagged = treatment
            .iter()
            .chain(&control)
            .filter(|r| r.1 == s["segment"] && r.2)
            .count() as u64;
        assert_eq!(s["flagged"].as_u64().unwrap(), flagged);
    }
    assert!(
        control.iter().any(|r| r.2),
        "flagged returners are held out too"
    );

    // The same run and salt give byte-identical files; another salt other groups.
    let again = dir.path().join("again/holdout.json");
    let other = dir.path().join("other/holdout.json");
    for (salt, out) in [("demo-campaign", &again), ("other", &other)] {
        Command::cargo_bin("segmint")
            .unwrap()
            .args(["holdout", "--share", "0.2", "--salt", salt, "--in"])
            .arg(demo.join("out"))
            .arg("--out")
            .arg(out)
            .assert()
            .success();
    }
    assert_eq!(
        read(&demo.join("holdout.control.csv")),
        read(&again.with_file_name("holdout.control.csv"))
    );
    assert_ne!(
        read(&demo.join("holdout.control.csv")),
        read(&other.with_file_name("holdout.control.csv"))
    );

    // Lift, with CUPED.
    let lift_dir = dir.path().join("lift");
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["lift", "--cuped", "--holdout"])
        .arg(demo.join("holdout.json"))
        .arg("--orders")
        .arg(demo.join("post_period.csv"))
        .arg("--config")
        .arg(demo.join("mapping.toml"))
        .arg("--out")
        .arg(&lift_dir)
        .assert()
        .success()
        .stdout(predicates::str::contains("incremental revenue"));
    let lift: serde_json::Value = serde_json::from_str(&read(&lift_dir.join("lift.json"))).unwrap();
    assert!(read(&lift_dir.join("lift.svg")).starts_with("<svg"));
    assert_eq!(
        read(&lift_dir.join("lift.csv")).lines().count(),
        1 + lift["segments"].as_array().unwrap().len() + 1
    );

    // The truth: each customer's expected revenue with and without the campaign.
    let truth: HashMap<String, f64> = read(&demo.join("post_period_truth.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let (c, t): (f64, f64) = (f[3].parse().unwrap(), f[4].parse().unwrap());
            (f[0].to_string(), t - c)
        })
        .collect();
    let mut effect: BTreeMap<String, (f64, usize)> = BTreeMap::new();
    let mut incremental = 0.0;
    for (id, seg, _) in &treatment {
        let e = effect.entry(seg.clone()).or_default();
        e.0 += truth[id];
        e.1 += 1;
        incremental += truth[id];
    }
    for (id, seg, _) in &control {
        let e = effect.entry(seg.clone()).or_default();
        e.0 += truth[id];
        e.1 += 1;
    }
    let (mut covered, mut found) = (0, 0);
    let segments = lift["segments"].as_array().unwrap();
    for s in segments {
        let (sum, n) = effect[s["segment"].as_str().unwrap()];
        let true_diff = sum / n as f64;
        let ci = &s["revenue"]["bootstrap_ci"];
        let (lo, hi) = (ci["low"].as_f64().unwrap(), ci["high"].as_f64().unwrap());
        let est = s["revenue"]["raw"]["diff"].as_f64().unwrap();
        eprintln!(
            "segment {} {}: planted {true_diff:.1} per customer, measured {est:.1} [{lo:.1}, {hi:.1}], Holm p {}",
            s["segment"], s["name"], s["primary_p_holm"]
        );
        covered += (lo <= true_diff && true_diff <= hi) as usize;
        // No false discovery: a segment found significant after Holm had a planted effect.
        if s["significant"] == true {
            assert!(true_diff > 0.0, "{s}");
            found += 1;
        }
    }
    // Six segments (four respond, by 84 to 360 per customer): the two with the largest
    // effect relative to their spread are found after Holm's correction with 20% held out.
    assert_eq!(segments.len(), 6);
    assert!(found >= 2, "{found} segments found");
    assert!(
        covered + 1 >= segments.len(),
        "{covered} of {} intervals cover the planted effect",
        segments.len()
    );
    let o = &lift["overall"];
    let (lo, hi) = (
        o["incremental_revenue_ci"]["low"].as_f64().unwrap(),
        o["incremental_revenue_ci"]["high"].as_f64().unwrap(),
    );
    eprintln!(
        "incremental revenue: planted {incremental:.0}, measured {} [{lo:.0}, {hi:.0}]",
        o["incremental_revenue"]
    );
    assert!(lo <= incremental && incremental <= hi);
    assert!(lo > 0.0, "the campaign's overall effect is found");

    compare_runs(dir.path(), &demo);
}

/// `segmint compare`: the demo run against itself, and against a run of the same shop three
/// months earlier (as_of 2025-09-30), in which segment ids differ.
fn compare_runs(dir: &Path, demo: &Path) {
    let compare = |from: &Path, to: &Path, out: &Path| -> serde_json::Value {
        Command::cargo_bin("segmint")
            .unwrap()
            .arg("compare")
            .arg("--from")
            .arg(from)
            .arg("--to")
            .arg(to)
            .arg("--out")
            .arg(out)
            .assert()
            .success();
        for f in [
            "migration.csv",
            "segments.csv",
            "migration.svg",
            "migration.png",
        ] {
            assert!(out.join(f).exists(), "{f}");
        }
        serde_json::from_str(&read(&out.join("compare.json"))).unwrap()
    };
    let same = compare(&demo.join("out"), &demo.join("out"), &dir.join("same"));
    assert_eq!(same["moved_under_a_model"], 0.0);
    assert!((same["segmentation_agreement"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    for s in same["segments"].as_array().unwrap() {
        assert_eq!(s["a"], s["b"], "{s}");
        assert!((s["overlap"].as_f64().unwrap() - 1.0).abs() < 1e-12);
        assert!(s["distance"].as_f64().unwrap() < 1e-9);
    }
    for f in same["migration"].as_array().unwrap() {
        assert_eq!(f["from"], f["to"], "{f}");
    }

    let mapping = read(&demo.join("mapping.toml"))
        .replace("as_of = \"2025-12-31\"", "as_of = \"2025-09-30\"");
    std::fs::write(demo.join("mapping_september.toml"), mapping).unwrap();
    let september = dir.join("september");
    for args in [
        vec!["discover", "--k", "6", "--quiet", "--out"],
        vec!["profile", "--in"],
    ] {
        Command::cargo_bin("segmint")
            .unwrap()
            .args(&args)
            .arg(&september)
            .arg("--config")
            .arg(demo.join("mapping_september.toml"))
            .assert()
            .success();
    }
    let c = compare(&september, &demo.join("out"), &dir.join("compare"));
    let customers = c["customers_in_both"].as_u64().unwrap()
        + c["gone"].as_u64().unwrap()
        + c["new"].as_u64().unwrap();
    let flows = c["migration"].as_array().unwrap();
    assert_eq!(
        flows
            .iter()
            .map(|f| f["customers"].as_u64().unwrap())
            .sum::<u64>(),
        customers,
        "every customer of either run in one cell"
    );
    let mut rows: BTreeMap<String, f64> = BTreeMap::new();
    for f in flows {
        *rows.entry(f["from"].to_string()).or_default() += f["row_share"].as_f64().unwrap();
    }
    assert!(rows.values().all(|s| (s - 1.0).abs() < 1e-9), "{rows:?}");
    // The segments keep their identity: most matched pairs hold mostly customers of the same
    // planted segment (names may differ between the runs: they follow each run's numbers),
    // and the loyal high spenders are matched with each other.
    let planted: HashMap<String, String> = read(&demo.join("post_period_truth.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].to_string(), f[1].to_string())
        })
        .collect();
    // Segment label → the planted segment most of its customers come from.
    let majority = |run: &Path| -> HashMap<String, String> {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for l in read(&run.join("assignments.csv")).lines().skip(1) {
            let f: Vec<&str> = l.split(',').collect();
            *counts
                .entry((f[1].to_string(), planted[f[0]].clone()))
                .or_default() += 1;
        }
        let mut best: HashMap<String, (usize, String)> = HashMap::new();
        for ((segment, truth), n) in counts {
            let b = best.entry(segment).or_default();
            if n > b.0 {
                *b = (n, truth);
            }
        }
        best.into_iter().map(|(s, (_, t))| (s, t)).collect()
    };
    let (in_a, in_b) = (majority(&september), majority(&demo.join("out")));
    let pairs: Vec<(String, String, String, String)> = c["segments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["a"].is_string() && s["b"].is_string())
        .map(|s| {
            (
                in_a[s["a"].as_str().unwrap()].clone(),
                in_b[s["b"].as_str().unwrap()].clone(),
                s["a_name"].to_string(),
                s["b_name"].to_string(),
            )
        })
        .collect();
    eprintln!("matched (planted in A, planted in B, name in A, name in B): {pairs:?}");
    let same_planted = pairs.iter().filter(|p| p.0 == p.1).count();
    assert!(same_planted >= 4, "{pairs:?}");
    assert!(
        pairs
            .iter()
            .any(|p| p.2 == "\"Loyal high spenders\"" && p.3 == p.2),
        "{pairs:?}"
    );
    let agreement = c["segmentation_agreement"].as_f64().unwrap();
    assert!(agreement > 0.5 && agreement < 1.0, "{agreement}");
}

#[test]
fn holdout_and_lift_refuse_bad_input_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["holdout", "--share", "1.5", "--salt", "x", "--out"])
        .arg(dir.path().join("h.json"))
        .arg("--in")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("--share must be between 0 and 1"));
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["holdout", "--share", "0.1", "--salt", "x", "--out"])
        .arg(dir.path().join("h.json"))
        .arg("--in")
        .arg(dir.path())
        .assert()
        .failure()
        .stderr(predicates::str::contains("manifest.json"));
    std::fs::write(dir.path().join("h.json"), "{}").unwrap();
    std::fs::write(dir.path().join("m.toml"), "[transactions]\npath = \"o.csv\"\n[transactions.columns]\ncustomer_id = \"c\"\ntimestamp = \"t\"\nquantity = \"q\"\nunit_price = \"p\"\n").unwrap();
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["lift", "--holdout"])
        .arg(dir.path().join("h.json"))
        .arg("--orders")
        .arg(dir.path().join("o.csv"))
        .arg("--config")
        .arg(dir.path().join("m.toml"))
        .arg("--out")
        .arg(dir.path().join("lift"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("not a segmint holdout manifest"));
}
