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
    assert!(std::fs::read(lift_dir.join("lift.parquet"))
        .unwrap()
        .starts_with(b"PAR1"));
    // The header: the holdout's run, which holdout.json names too.
    assert_eq!(lift["schema_version"], 1);
    assert_eq!(lift["run_id"], manifest["run_id"]);
    assert_eq!(manifest["schema_version"], 1);
    assert_eq!(manifest["as_of"], "2025-12-31");
    // By default the post period starts the day after the run's as_of: every January order
    // counts.
    assert_eq!(lift["window"]["from"], "2026-01-01");
    assert_eq!(lift["orders_outside_window"], 0);

    lift_window(dir.path(), &demo);

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

    let (september, compare_dir) = compare_runs(dir.path(), &demo);
    report_sections(dir.path(), &demo, &september, &compare_dir, &lift_dir);
}

/// `lift --from --to`: orders dated outside the window are not counted, and their number is
/// reported.
fn lift_window(dir: &Path, demo: &Path) {
    let out = dir.join("lift_window");
    Command::cargo_bin("segmint")
        .unwrap()
        .args([
            "lift",
            "--from",
            "2026-01-11",
            "--to",
            "2026-01-20",
            "--holdout",
        ])
        .arg(demo.join("holdout.json"))
        .arg("--orders")
        .arg(demo.join("post_period.csv"))
        .arg("--config")
        .arg(demo.join("mapping.toml"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "post period: orders dated 2026-01-11 to 2026-01-20 counted",
        ));
    // By hand: the demo's post period has one line per order, `N0000001;id;dd.01.2026 hh:mm;...`.
    let (mut inside, mut outside) = (0usize, 0usize);
    for line in read(&demo.join("post_period.csv")).lines().skip(1) {
        let day: u32 = line.split(';').nth(2).unwrap()[..2].parse().unwrap();
        if (11..=20).contains(&day) {
            inside += 1;
        } else {
            outside += 1;
        }
    }
    assert!(inside > 100 && outside > 100, "{inside} {outside}");
    let lift: serde_json::Value = serde_json::from_str(&read(&out.join("lift.json"))).unwrap();
    assert_eq!(lift["orders_outside_window"], outside);
    assert_eq!(lift["window"]["from"], "2026-01-11");
    assert_eq!(lift["window"]["to"], "2026-01-20");
    // Every customer bought at most once: the buyers counted are the orders inside.
    let converted: f64 = lift["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let c = &s["conversion"];
            c["treatment"].as_f64().unwrap() * s["treatment"].as_f64().unwrap()
                + c["control"].as_f64().unwrap() * s["control"].as_f64().unwrap()
        })
        .sum();
    let outside_lists = lift["buyers_outside_lists"].as_u64().unwrap() as usize;
    assert_eq!(converted.round() as usize + outside_lists, inside);
    assert!(
        lift["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["note"] == "orders_outside_window"
                && n["orders"].as_u64() == Some(outside as u64)),
        "{}",
        lift["notes"]
    );
    // A period that ends before it starts is refused.
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["lift", "--to", "2025-12-01", "--holdout"])
        .arg(demo.join("holdout.json"))
        .arg("--orders")
        .arg(demo.join("post_period.csv"))
        .arg("--config")
        .arg(demo.join("mapping.toml"))
        .arg("--out")
        .arg(dir.join("lift_empty"))
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "ends (2025-12-01) before it starts",
        ));
}

/// `x` rounded and grouped by thousands with `sep`, as the report writes whole numbers.
fn grouped(x: f64, sep: &str) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push_str(sep);
        }
        out.push(c);
    }
    match (x < 0.0 && s != "0", sep) {
        (false, _) => out,
        (true, ",") => format!("-{out}"),
        (true, _) => format!("−{out}"),
    }
}

/// The client report of the demo run gets the sections "Segments over time" and "Campaign
/// results" from the compare and lift results that belong to it — given as options (English)
/// or found in the run folder (Norwegian) — and refuses results of another run.
fn report_sections(dir: &Path, demo: &Path, september: &Path, compare_dir: &Path, lift_dir: &Path) {
    let run = demo.join("out");
    let compare: serde_json::Value =
        serde_json::from_str(&read(&compare_dir.join("compare.json"))).unwrap();
    let lift: serde_json::Value = serde_json::from_str(&read(&lift_dir.join("lift.json"))).unwrap();
    let run_id = serde_json::from_str::<serde_json::Value>(&read(&run.join("manifest.json")))
        .unwrap()["run_id"]
        .clone();
    assert_eq!(
        compare["run_id"], run_id,
        "the comparison belongs to the later run"
    );
    assert_ne!(compare["from_run_id"], run_id);
    for t in ["migration", "migration_under_a_model", "segments"] {
        assert!(std::fs::read(compare_dir.join(format!("{t}.parquet")))
            .unwrap()
            .starts_with(b"PAR1"));
    }
    for l in ["treatment", "control"] {
        assert!(std::fs::read(demo.join(format!("holdout.{l}.parquet")))
            .unwrap()
            .starts_with(b"PAR1"));
    }

    // English, with the results given as options.
    let en = dir.join("report_en");
    Command::cargo_bin("segmint")
        .unwrap()
        .arg("report")
        .arg("--in")
        .arg(&run)
        .arg("--out")
        .arg(&en)
        .arg("--compare")
        .arg(compare_dir)
        .arg("--lift")
        .arg(lift_dir.join("lift.json"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "with the section on segments over time",
        ))
        .stdout(predicates::str::contains(
            "with the section on campaign results",
        ));
    let html = read(&en.join("report.html"));
    let md = read(&en.join("report.md"));
    let o = &lift["overall"];
    let both = compare["customers_in_both"].as_f64().unwrap();
    for (text, what) in [
        (
            "<section id=\"over-time\"><h2>Segments over time</h2>",
            "heading",
        ),
        (
            "<section id=\"campaign\"><h2>Campaign results</h2>",
            "heading",
        ),
        ("href=\"#over-time\"", "nav"),
        ("data-chart=\"migration\"", "alluvial chart"),
        ("data-chart=\"lift\"", "lift chart"),
        ("Migration between segments", "matrix"),
        ("Matched segments", "matched"),
    ] {
        assert!(html.contains(text), "{what}: {text}");
    }
    let both_en = format!("{} customers are in both runs", grouped(both, ","));
    let sent_en = format!(
        "{} customers were sent the campaign and {} were held out",
        grouped(o["treatment"].as_f64().unwrap(), ","),
        grouped(o["control"].as_f64().unwrap(), ",")
    );
    // Money in the demo mapping's currency (NOK): `NOK 1,234` in English, `1 234 kr` in
    // Norwegian, the digits those of the lift file.
    let inc = |o: &serde_json::Value, sep: &str, to: &str| {
        let nok = |x: f64| match sep {
            "," => format!("NOK\u{a0}{}", grouped(x, sep)),
            _ => format!("{}\u{a0}kr", grouped(x, sep)),
        };
        format!(
            "{} ({} {to} {})",
            nok(o["incremental_revenue"].as_f64().unwrap()),
            nok(o["incremental_revenue_bootstrap_ci"]["low"]
                .as_f64()
                .unwrap()),
            nok(o["incremental_revenue_bootstrap_ci"]["high"]
                .as_f64()
                .unwrap())
        )
    };
    let inc_en = format!("incremental revenue {}", inc(o, ",", "to"));
    for text in [&both_en, &sent_en, &inc_en] {
        assert!(html.contains(text.as_str()), "report.html lacks {text:?}");
        assert!(md.contains(text.as_str()), "report.md lacks {text:?}");
    }
    // Every segment's lift row with its real counts and incremental revenue.
    for s in lift["segments"].as_array().unwrap() {
        let cell = |x: f64| format!("<td class=\"n\">{}</td>", grouped(x, ","));
        assert!(
            html.contains(&cell(s["treatment"].as_f64().unwrap())),
            "{s}"
        );
        assert!(html.contains(&cell(s["control"].as_f64().unwrap())), "{s}");
        let inc = s["incremental_revenue"].as_f64().unwrap();
        assert!(
            html.contains(&format!(
                ">{}NOK\u{a0}{} (",
                if inc > 0.0 { "+" } else { "" },
                grouped(inc, ",")
            )),
            "{s}"
        );
    }
    // Every row of the migration matrix with its customers.
    let mut rows: BTreeMap<String, u64> = BTreeMap::new();
    for f in compare["migration"].as_array().unwrap() {
        *rows.entry(f["from"].to_string()).or_default() += f["customers"].as_u64().unwrap();
    }
    for n in rows.values() {
        assert!(
            html.contains(&format!(
                "<td class=\"n\">{}</td></tr>",
                grouped(*n as f64, ",")
            )),
            "row total {n}"
        );
    }
    assert!(en.join("charts/migration.png").exists() && en.join("charts/lift.svg").exists());
    let json: serde_json::Value = serde_json::from_str(&read(&en.join("report.json"))).unwrap();
    assert_eq!(
        json["campaign"]["segments"].as_array().unwrap().len(),
        lift["segments"].as_array().unwrap().len()
    );

    // Norwegian, with the results found in the run folder (compare --out RUN/compare, lift
    // --out RUN/lift).
    Command::cargo_bin("segmint")
        .unwrap()
        .arg("compare")
        .arg("--from")
        .arg(september)
        .arg("--to")
        .arg(&run)
        .arg("--out")
        .arg(run.join("compare"))
        .assert()
        .success();
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["lift", "--holdout"])
        .arg(demo.join("holdout.json"))
        .arg("--orders")
        .arg(demo.join("post_period.csv"))
        .arg("--config")
        .arg(demo.join("mapping.toml"))
        .arg("--out")
        .arg(run.join("lift"))
        .assert()
        .success();
    let nb = dir.join("report_nb");
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["report", "--lang", "nb", "--in"])
        .arg(&run)
        .arg("--out")
        .arg(&nb)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "with the section on campaign results",
        ));
    let html = read(&nb.join("report.html"));
    let nbsp = "\u{a0}";
    let lift: serde_json::Value = serde_json::from_str(&read(&run.join("lift/lift.json"))).unwrap();
    let o = &lift["overall"];
    let both = serde_json::from_str::<serde_json::Value>(&read(&run.join("compare/compare.json")))
        .unwrap()["customers_in_both"]
        .as_f64()
        .unwrap();
    for text in [
        "<h2>Segmentene over tid</h2>".to_string(),
        "<h2>Kampanjeresultater</h2>".to_string(),
        "Bevegelser mellom segmentene".to_string(),
        format!("{} kunder finnes i begge kjøringene", grouped(both, nbsp)),
        format!(
            "{} kunder fikk kampanjen og {} ble holdt utenfor",
            grouped(o["treatment"].as_f64().unwrap(), nbsp),
            grouped(o["control"].as_f64().unwrap(), nbsp)
        ),
        format!("meromsetning {}", inc(o, nbsp, "til")),
        "Ordrer datert 01.01.2026 eller senere er tatt med.".to_string(),
    ] {
        assert!(html.contains(&text), "the Norwegian report lacks {text:?}");
    }
    assert!(!html.contains("Campaign results") && !html.contains("Segments over time"));

    // Results of another run are refused: the lift measured on the demo run, and the
    // comparison whose later run is the demo run, in the report of the September run.
    for (option, path, message) in [
        (
            "--lift",
            lift_dir.to_path_buf(),
            "the campaign was measured on a holdout of another run",
        ),
        (
            "--compare",
            compare_dir.to_path_buf(),
            "it compares this run (the earlier one, as_of 2025-09-30) with a later run",
        ),
    ] {
        Command::cargo_bin("segmint")
            .unwrap()
            .arg("report")
            .arg("--in")
            .arg(september)
            .arg(option)
            .arg(&path)
            .assert()
            .failure()
            .stderr(predicates::str::contains("belongs to run"))
            .stderr(predicates::str::contains(format!(
                "not to run {}",
                serde_json::from_str::<serde_json::Value>(&read(&september.join("manifest.json")))
                    .unwrap()["run_id"]
                    .as_str()
                    .unwrap()
            )))
            .stderr(predicates::str::contains(message));
    }
    assert!(!september.join("report").join("report.html").exists());
    // A results file without the header, or of another schema version, is refused too.
    let old = dir.join("old_lift.json");
    std::fs::write(
        &old,
        read(&lift_dir.join("lift.json")).replacen(
            "\"schema_version\": 1",
            "\"schema_version\": 99",
            1,
        ),
    )
    .unwrap();
    Command::cargo_bin("segmint")
        .unwrap()
        .arg("report")
        .arg("--in")
        .arg(&run)
        .arg("--out")
        .arg(dir.join("report_old"))
        .arg("--lift")
        .arg(&old)
        .assert()
        .failure()
        .stderr(predicates::str::contains("schema_version 99"))
        .stderr(predicates::str::contains("run `segmint lift` again"));
    let headless = dir.join("headless.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&read(&demo.join("holdout.json"))).unwrap();
    manifest.as_object_mut().unwrap().remove("schema_version");
    std::fs::write(&headless, manifest.to_string()).unwrap();
    Command::cargo_bin("segmint")
        .unwrap()
        .args(["lift", "--holdout"])
        .arg(&headless)
        .arg("--orders")
        .arg(demo.join("post_period.csv"))
        .arg("--config")
        .arg(demo.join("mapping.toml"))
        .arg("--out")
        .arg(dir.join("lift_headless"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("no `schema_version` header"))
        .stderr(predicates::str::contains("run `segmint holdout` again"));
}

/// `segmint compare`: the demo run against itself, and against a run of the same shop three
/// months earlier (as_of 2025-09-30), in which segment ids differ. Returns the September run
/// and the comparison of it with the demo run.
fn compare_runs(dir: &Path, demo: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
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
    (september, dir.join("compare"))
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
