//! The demo: generated data, the real binary, planted segments recovered.

use crate::common;

use std::collections::BTreeSet;

use assert_cmd::Command;
use polars::prelude::*;
use segmint::cluster::metrics::adjusted_rand_index;
use segmint::cluster::sweep::Quiet;
use segmint::config::{Config, CsvCopies};
use segmint::demo::Segment;
use segmint::demo::{generate, DemoParams};
use segmint::model::{FlagKind, SegmentId};
use segmint::pipeline::discover;
use segmint::pipeline::outputs::{discover_outputs, profile_outputs};
use segmint::select::Overrides;

#[test]
fn demo_command_writes_data_and_outputs_with_every_customer_once() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("segmint")
        .unwrap()
        .args([
            "demo",
            "--customers",
            "400",
            "--seed",
            "7",
            "--quiet",
            "--out",
        ])
        .arg(dir.path())
        .arg("--report-dir")
        .arg(dir.path().join("report"))
        .assert()
        .success()
        .stdout(predicates::str::contains("adjusted Rand index"));
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    let mut expected = common::csv_ids(&read("transactions.csv"), ';', "kunde_id");
    expected.extend(common::csv_ids(&read("events.csv"), ',', "user_id"));
    expected.extend(common::csv_ids(&read("survey.csv"), ',', "customer_id"));
    expected.extend(common::csv_ids(&read("customers.csv"), ',', "customer_id"));
    let file = std::fs::File::open(dir.path().join("out/features.parquet")).unwrap();
    let features = ParquetReader::new(file).finish().unwrap();
    let ids = common::ids(&features);
    assert_eq!(ids.len(), expected.len(), "one row per customer");
    assert_eq!(ids.into_iter().collect::<BTreeSet<_>>(), expected);
    for f in [
        "matrix.parquet",
        "manifest.json",
        "assignments.csv",
        "candidates.json",
        "model.json",
    ] {
        assert!(dir.path().join("out").join(f).exists(), "{f} missing");
    }
    // The demo's mapping names its currency, so the report writes kroner, not bare numbers.
    assert!(read("mapping.toml").contains("\ncurrency = \"NOK\"\n"));
    let manifest: serde_json::Value = serde_json::from_str(&read("out/manifest.json")).unwrap();
    assert_eq!(manifest["currency"], "NOK");
    // Personal data stays out of every output.
    let emails = common::csv_ids(&read("customers.csv"), ',', "email");
    let out = dir.path().join("out");
    let mut files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // The lookalike vectors, one file per segment.
    files.extend(
        std::fs::read_dir(out.join("lookalike"))
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for path in files.into_iter().filter(|p| p.is_file()) {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for e in emails.iter().take(50) {
            assert!(
                !text.contains(e.trim()),
                "an e-mail address reached the outputs"
            );
        }
    }
}

#[test]
fn discover_recovers_the_planted_segments_and_is_deterministic() {
    let data = generate(&DemoParams {
        customers: 2000,
        seed: 3,
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &data.files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let config = Config::load(&dir.path().join("mapping.toml")).unwrap();
    let d = discover(&config, Overrides::default(), &Quiet).unwrap();
    let truth: std::collections::BTreeMap<&str, usize> = data
        .truth
        .iter()
        .map(|(id, s)| (id.as_str(), *s as usize))
        .collect();
    let planted: Vec<Option<usize>> = d
        .assignment
        .ids
        .iter()
        .map(|id| Some(truth[id.as_str()]))
        .collect();
    let ari = adjusted_rand_index(&d.assignment.indices(), &planted);
    let planted_count = 6;
    assert!(
        d.model.k.abs_diff(planted_count) <= 1,
        "proposed {} segments ({:?}), planted {planted_count}",
        d.model.k,
        d.proposal.basis
    );
    assert!(
        ari >= 0.85,
        "adjusted Rand index {ari:.3} against the planted segments"
    );

    // Profiles: the planted high-return group is flagged, with >= 90% coverage and purity.
    let profiles = d.profile(&config.mapping.flags).unwrap();
    profiles.reconcile().unwrap();
    let flagged: Vec<usize> = profiles
        .segments
        .iter()
        .filter(|s| {
            s.flags
                .iter()
                .any(|f| f.kind() == FlagKind::LowProfitHighReturn)
        })
        .map(|s| s.segment.segment().unwrap().index())
        .collect();
    assert_eq!(flagged.len(), 1, "one low-profit, high-return segment");
    let returners = Segment::SerialReturners as usize;
    let in_flagged = |i: usize| d.assignment.segment[i] == Some(SegmentId(flagged[0]));
    let planted_n = planted.iter().filter(|p| **p == Some(returners)).count();
    let hit = (0..planted.len())
        .filter(|&i| in_flagged(i) && planted[i] == Some(returners))
        .count();
    let flagged_n = (0..planted.len()).filter(|&i| in_flagged(i)).count();
    assert!(
        hit as f64 >= 0.9 * planted_n as f64,
        "coverage {hit}/{planted_n}"
    );
    assert!(
        hit as f64 >= 0.9 * flagged_n as f64,
        "purity {hit}/{flagged_n}"
    );
    let names: std::collections::BTreeSet<&str> =
        profiles.segments.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), profiles.segments.len(), "names are unique");

    // Same input and seed: byte-identical outputs, the same names.
    let again = discover(&config, Overrides::default(), &Quiet).unwrap();
    let a = discover_outputs(&d, CsvCopies::Auto).unwrap();
    let b = discover_outputs(&again, CsvCopies::Auto).unwrap();
    assert_eq!(a.run_id, b.run_id, "the run id follows the content");
    for (x, y) in a.files.iter().zip(&b.files) {
        assert!(x == y, "{} differs between two runs", x.path.display());
    }
    let profiles_again = again.profile(&config.mapping.flags).unwrap();
    assert_eq!(
        profile_outputs(&a.run_id, &profiles, CsvCopies::Auto).unwrap(),
        profile_outputs(&b.run_id, &profiles_again, CsvCopies::Auto).unwrap(),
        "profiles differ between two runs"
    );
}
