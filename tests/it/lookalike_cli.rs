//! `segmint seeds` and `segmint score` on a demo shop, through the real binary.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use polars::prelude::*;
use segmint::demo::{generate, DemoParams};
use segmint::lookalike::normalize::sha256_hex;

fn segmint() -> Command {
    Command::cargo_bin("segmint").unwrap()
}

/// Rows of a CSV text as maps (no quoting in the files read here).
fn csv_rows(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(String::from))
                .collect()
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap()
}

/// A demo shop of 1,500 customers, clustered with k-means at k = 6 and profiled with a lower
/// customer-level return flag (30% over 2 orders), so that segments other than the serial
/// returners hold flagged customers too. Made once per test binary.
fn shop() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lookalike-cli");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let data = generate(&DemoParams {
            customers: 1500,
            seed: 21,
        })
        .unwrap();
        for (name, text) in &data.files {
            let text = if name == "mapping.toml" {
                format!(
                    "{text}\n[cluster]\nk_min = 6\nk_max = 6\ndbscan = false\nseeds = 2\nbootstrap = 2\n\n[flags]\ncustomer_return_rate = 0.3\ncustomer_min_orders = 2\n"
                )
            } else {
                text.clone()
            };
            std::fs::write(dir.join(name), text).unwrap();
        }
        segmint()
            .args(["run", "--quiet", "--config"])
            .arg(dir.join("mapping.toml"))
            .arg("--out")
            .arg(dir.join("run"))
            .assert()
            .success();
        dir
    })
}

/// Segment of every customer id (1-based, as in assignments.csv).
fn assignments(run: &Path) -> BTreeMap<String, String> {
    csv_rows(&read(&run.join("assignments.csv")))
        .into_iter()
        .map(|r| (r["customer_id"].clone(), r["segment"].clone()))
        .collect()
}

fn flagged(run: &Path) -> BTreeSet<String> {
    csv_rows(&read(&run.join("flagged_customers.csv")))
        .into_iter()
        .map(|r| r["customer_id"].clone())
        .collect()
}

/// The segment with the most flagged members that still has 150 unflagged ones.
fn segment_with_returners(run: &Path) -> (String, usize, usize) {
    let a = assignments(run);
    let f = flagged(run);
    let mut best: Option<(String, usize, usize)> = None;
    for seg in a.values().collect::<BTreeSet<_>>() {
        let members = a.values().filter(|s| *s == seg).count();
        let flagged = a
            .iter()
            .filter(|(id, s)| *s == seg && f.contains(*id))
            .count();
        if flagged > 0 && members - flagged >= 150 && best.as_ref().is_none_or(|b| flagged > b.2) {
            best = Some((seg.clone(), members, flagged));
        }
    }
    best.expect("a segment with flagged members")
}

#[test]
fn seeds_exclude_flagged_returners_by_default_and_the_counts_add_up() {
    let dir = shop();
    let run = dir.join("run");
    let (seg, members, flagged_members) = segment_with_returners(&run);
    let out = dir.join("seeds-default");
    // No --config: the mapping recorded in the run's manifest.json is used.
    let assert = segmint()
        .args(["seeds", "--platform", "meta", "--segment", &seg, "--in"])
        .arg(&run)
        .arg("--out")
        .arg(out.join("meta.csv"))
        .arg("--exclusions")
        .arg(out.join("exclude_meta.csv"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains(&format!(
            "{flagged_members} flagged high-return customers excluded"
        )),
        "{stdout}"
    );
    let s = json(&out.join("meta.summary.json"));
    let n = |k: &str| s[k].as_u64().unwrap() as usize;
    assert_eq!(n("members"), members);
    assert_eq!(n("excluded_returners"), flagged_members);
    assert_eq!(n("kept_returners"), 0);
    assert_eq!(
        n("members"),
        n("written") + n("excluded_returners") + n("without_contact") + n("without_identifier"),
        "{s:#}"
    );
    let id = &s["identifiers"];
    assert_eq!(
        n("written") + n("without_identifier"),
        id["emails_written"].as_u64().unwrap() as usize
            + id["emails_invalid"].as_u64().unwrap() as usize
            + id["emails_missing"].as_u64().unwrap() as usize,
        "every considered customer's e-mail is written, invalid or missing"
    );
    let seed = read(&out.join("meta.csv"));
    assert_eq!(seed.lines().count(), n("written") + 1);
    assert_eq!(
        seed.lines().next().unwrap(),
        "email,phone,fn,ln,zip,country,value"
    );
    // The e-mail hashes are exactly those of the unflagged members, computed here from
    // customers.csv (trim, lowercase, SHA-256).
    let a = assignments(&run);
    let f = flagged(&run);
    let emails: BTreeMap<String, String> = csv_rows(&read(&dir.join("customers.csv")))
        .into_iter()
        .map(|r| (r["customer_id"].clone(), r["email"].trim().to_lowercase()))
        .collect();
    let expected: BTreeSet<String> = a
        .iter()
        .filter(|(id, s)| **s == seg && !f.contains(*id))
        .filter_map(|(id, _)| emails.get(id))
        .map(|e| sha256_hex(e))
        .collect();
    let written: BTreeSet<String> = csv_rows(&seed)
        .into_iter()
        .map(|r| r["email"].clone())
        .collect();
    assert_eq!(written, expected);
    let flagged_hashes: BTreeSet<String> = f
        .iter()
        .filter_map(|id| emails.get(id))
        .map(|e| sha256_hex(e))
        .collect();
    assert!(
        written.is_disjoint(&flagged_hashes),
        "a flagged returner is in the seed"
    );
    // The exclusion list: every flagged customer, same format without value.
    let ex = json(&out.join("exclude_meta.summary.json"));
    assert_eq!(ex["members"].as_u64().unwrap() as usize, f.len());
    let excl = read(&out.join("exclude_meta.csv"));
    assert_eq!(
        excl.lines().next().unwrap(),
        "email,phone,fn,ln,zip,country"
    );
    let excluded: BTreeSet<String> = csv_rows(&excl)
        .into_iter()
        .map(|r| r["email"].clone())
        .collect();
    assert_eq!(excluded, flagged_hashes);
    assert_eq!(
        excl.lines().count(),
        ex["written"].as_u64().unwrap() as usize + 1
    );

    // --keep-returners keeps them, and the counts still add up.
    let keep = dir.join("seeds-keep");
    segmint()
        .args([
            "seeds",
            "--platform",
            "meta",
            "--keep-returners",
            "--segment",
            &seg,
            "--in",
        ])
        .arg(&run)
        .arg("--out")
        .arg(keep.join("meta.csv"))
        .assert()
        .success()
        .stdout(predicates::str::contains(format!(
            "{flagged_members} flagged high-return customers kept"
        )));
    let k = json(&keep.join("meta.summary.json"));
    let kn = |key: &str| k[key].as_u64().unwrap() as usize;
    assert_eq!(
        (kn("excluded_returners"), kn("kept_returners")),
        (0, flagged_members)
    );
    assert_eq!(
        kn("members"),
        kn("written") + kn("without_contact") + kn("without_identifier")
    );
    assert!(kn("written") > n("written"));

    // Same inputs, same bytes.
    let again = dir.join("seeds-again");
    segmint()
        .args(["seeds", "--platform", "meta", "--segment", &seg, "--in"])
        .arg(&run)
        .arg("--out")
        .arg(again.join("meta.csv"))
        .assert()
        .success();
    assert_eq!(read(&again.join("meta.csv")), seed);
}

#[test]
fn google_seed_hashes_names_and_sends_country_and_zip_in_clear() {
    let dir = shop();
    let run = dir.join("run");
    let (seg, _, _) = segment_with_returners(&run);
    let out = dir.join("seeds-google");
    segmint()
        .args(["seeds", "--platform", "google", "--segment", &seg, "--in"])
        .arg(&run)
        .arg("--out")
        .arg(out.join("google.csv"))
        .arg("--config")
        .arg(dir.join("mapping.toml"))
        .assert()
        .success()
        .stdout(predicates::str::contains("Country and Zip in clear"));
    let text = read(&out.join("google.csv"));
    let rows = csv_rows(&text);
    assert_eq!(
        text.lines().next().unwrap(),
        "Email,Phone,First Name,Last Name,Country,Zip"
    );
    assert!(rows.len() >= 100);
    let hex = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    for r in &rows {
        assert!(
            hex(&r["Email"]) && hex(&r["First Name"]) && hex(&r["Last Name"]),
            "{r:?}"
        );
        assert!(r["Phone"].is_empty() || hex(&r["Phone"]), "{r:?}");
        assert!(["NO", "SE", "DK"].contains(&r["Country"].as_str()), "{r:?}");
    }
}

#[test]
fn tiktok_refuses_a_segment_below_its_minimum() {
    let dir = shop();
    let out = dir.join("seeds-tiktok/tiktok.csv");
    segmint()
        .args(["seeds", "--platform", "tiktok", "--segment", "1", "--in"])
        .arg(dir.join("run"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "for TikTok, which needs at least 1000",
        ))
        .stderr(predicates::str::contains("Meta or Google (they take 100)"));
    assert!(!out.exists(), "nothing is written when the seed is refused");
}

#[test]
fn seeds_without_email_or_phone_columns_name_the_mapping_entries_needed() {
    let dir = shop();
    let mapping: String = read(&dir.join("mapping.toml"))
        .lines()
        .filter(|l| !l.starts_with("email =") && !l.starts_with("phone ="))
        .map(|l| format!("{l}\n"))
        .collect();
    let path = dir.join("mapping_without_contacts.toml");
    std::fs::write(&path, mapping).unwrap();
    segmint()
        .args(["seeds", "--platform", "meta", "--segment", "1", "--in"])
        .arg(dir.join("run"))
        .arg("--out")
        .arg(dir.join("seeds-none/meta.csv"))
        .arg("--config")
        .arg(&path)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("maps neither"))
        .stderr(predicates::str::contains(
            "`email = \"<e-mail column>\"` and/or `phone = \"<phone column>\"` under [customers.columns]",
        ));
}

/// Prospects: the feature table of another shop (same mapping layout, other customers), as
/// CSV, without the `aov` column.
fn prospects(dir: &Path) -> (PathBuf, BTreeMap<String, String>) {
    let other = dir.join("other-shop");
    std::fs::create_dir_all(&other).unwrap();
    let data = generate(&DemoParams {
        customers: 800,
        seed: 22,
    })
    .unwrap();
    for (name, text) in &data.files {
        std::fs::write(other.join(name), text).unwrap();
    }
    segmint()
        .args(["features", "--config"])
        .arg(other.join("mapping.toml"))
        .arg("--out")
        .arg(other.join("features"))
        .assert()
        .success();
    let file = std::fs::File::open(other.join("features/features.parquet")).unwrap();
    let mut df = ParquetReader::new(file)
        .finish()
        .unwrap()
        .drop("aov")
        .unwrap();
    let path = other.join("prospects.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    CsvWriter::new(&mut f).finish(&mut df).unwrap();
    let truth = data
        .truth
        .iter()
        .map(|(id, s)| (id.clone(), s.name().to_string()))
        .collect();
    (path, truth)
}

#[test]
fn score_ranks_prospects_like_the_segment_first_and_reports_missing_features() {
    let dir = shop();
    let run = dir.join("run");
    let (prospects, truth) = prospects(dir);
    // The most profitable segment is the planted loyal high spenders.
    let segments = json(&run.join("segments.json"));
    let best = segments["segments"]
        .as_array()
        .unwrap()
        .iter()
        .max_by(|a, b| {
            a["profit_share"]
                .as_f64()
                .unwrap()
                .total_cmp(&b["profit_share"].as_f64().unwrap())
        })
        .unwrap();
    let name = best["name"].as_str().unwrap();
    let out = dir.join("scored/ranked.csv");
    segmint()
        .args(["score", "--segment", name, "--model"])
        .arg(run.join("model.json"))
        .arg("--prospects")
        .arg(&prospects)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "missing for every prospect (imputed as in prepare): aov",
        ))
        .stdout(predicates::str::contains("reach curve"));
    let rows = csv_rows(&read(&out));
    assert_eq!(rows.len(), truth.len(), "every prospect is ranked");
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(r["rank"], (i + 1).to_string());
    }
    let scores: Vec<f64> = rows.iter().map(|r| r["score"].parse().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked by score");
    for r in &rows {
        let p: f64 = r["probability"].parse().unwrap();
        let c: f64 = r["closeness"].parse().unwrap();
        assert!((0.0..=1.0).contains(&p) && (0.0..=1.0).contains(&c));
    }
    let planted = truth
        .values()
        .filter(|s| *s == "loyal_high_spenders")
        .count();
    let hits = rows[..planted]
        .iter()
        .filter(|r| truth[&r["id"]] == "loyal_high_spenders")
        .count();
    assert!(
        hits as f64 >= 0.9 * planted as f64,
        "{hits} of the top {planted} are planted loyal high spenders"
    );
    let summary = json(&dir.join("scored/ranked.summary.json"));
    assert_eq!(
        summary["prospects"]["missing_columns"],
        serde_json::json!(["aov"])
    );
    assert_eq!(
        summary["prospects"]["rows"].as_u64().unwrap() as usize,
        truth.len()
    );
    let within = rows
        .iter()
        .filter(|r| r["within_threshold"] == "true")
        .count();
    assert_eq!(
        summary["within_threshold"].as_u64().unwrap() as usize,
        within
    );
    let reach = csv_rows(&read(&dir.join("scored/ranked.reach.csv")));
    let counts: Vec<usize> = reach
        .iter()
        .map(|r| r["prospects_within"].parse().unwrap())
        .collect();
    assert!(
        counts.windows(2).all(|w| w[0] <= w[1]),
        "reach grows with the distance"
    );
    let recommended = reach
        .iter()
        .find(|r| r["label"].contains("recommended"))
        .unwrap();
    assert_eq!(recommended["prospects_within"], within.to_string());
}

#[test]
fn score_rejects_unknown_segments_and_bad_values_with_their_place() {
    let dir = shop();
    let run = dir.join("run");
    let bad = dir.join("bad_prospects.csv");
    std::fs::write(&bad, "id,frequency,net_revenue\nP1,2,100.5\nP2,two,80\n").unwrap();
    segmint()
        .args(["score", "--segment", "1", "--model"])
        .arg(run.join("model.json"))
        .arg("--prospects")
        .arg(&bad)
        .arg("--out")
        .arg(dir.join("scored-bad/ranked.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("line 3, column \"frequency\""))
        .stderr(predicates::str::contains("\"two\""));
    segmint()
        .args(["score", "--segment", "vips", "--model"])
        .arg(run.join("model.json"))
        .arg("--prospects")
        .arg(&bad)
        .arg("--out")
        .arg(dir.join("scored-bad/ranked.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no segment \"vips\""));
}

/// The e-mail-like tokens of a text (lowercased): the characters around every `@`.
fn email_tokens(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let ok = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let mut lo = at;
        while lo > 0 && ok(b[lo - 1]) {
            lo -= 1;
        }
        let mut hi = at + 1;
        while hi < b.len() && ok(b[hi]) {
            hi += 1;
        }
        out.push(String::from_utf8_lossy(&b[lo..hi]).to_lowercase());
    }
    out
}

/// The number-like tokens of a text as digit strings: every run of digits, spaces, `+`, `-`
/// and parentheses that stands alone (not inside a hash, a word or a decimal), joined to its
/// digits, and each plain digit run in it.
fn number_tokens(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let phone_char = |c: u8| c.is_ascii_digit() || b" +-()".contains(&c);
    let edge = |c: Option<&u8>| c.is_none_or(|c| !c.is_ascii_alphanumeric() && *c != b'.');
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_digit() || b[i] == b'+') {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && phone_char(b[i]) {
            i += 1;
        }
        let mut end = i;
        while end > start && !b[end - 1].is_ascii_digit() {
            end -= 1;
        }
        if end == start {
            continue;
        }
        let alone =
            |lo: usize, hi: usize| edge(lo.checked_sub(1).map(|p| &b[p])) && edge(b.get(hi));
        if alone(start, end) {
            out.push(
                b[start..end]
                    .iter()
                    .filter(|c| c.is_ascii_digit())
                    .map(|&c| c as char)
                    .collect(),
            );
        }
        let mut lo = start;
        while lo < end {
            if !b[lo].is_ascii_digit() {
                lo += 1;
                continue;
            }
            let mut hi = lo;
            while hi < end && b[hi].is_ascii_digit() {
                hi += 1;
            }
            if alone(lo, hi) {
                out.push(String::from_utf8_lossy(&b[lo..hi]).to_string());
            }
            lo = hi;
        }
    }
    out
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_output_file_holds_a_plaintext_email_or_phone() {
    let dir = shop();
    let run = dir.join("run");
    let (seg, _, _) = segment_with_returners(&run);
    let out = dir.join("scan");
    for platform in ["meta", "google"] {
        segmint()
            .args([
                "seeds",
                "--platform",
                platform,
                "--keep-returners",
                "--segment",
                &seg,
                "--in",
            ])
            .arg(&run)
            .arg("--out")
            .arg(out.join(format!("{platform}.csv")))
            .arg("--exclusions")
            .arg(out.join(format!("exclude_{platform}.csv")))
            .assert()
            .success();
    }
    // Prospect scoring with customers' own features as prospects.
    segmint()
        .args(["score", "--segment", &seg, "--model"])
        .arg(run.join("model.json"))
        .arg("--prospects")
        .arg(run.join("features.parquet"))
        .arg("--out")
        .arg(out.join("scored.csv"))
        .assert()
        .success();
    let customers = csv_rows(&read(&dir.join("customers.csv")));
    let mut emails = BTreeSet::new();
    let mut phones = BTreeSet::new();
    for c in &customers {
        let e = c["email"].trim();
        if !e.is_empty() {
            emails.insert(e.to_lowercase());
        }
        let digits: String = c["phone"].chars().filter(char::is_ascii_digit).collect();
        if digits.len() >= 8 {
            // As written (digits), without the 00 prefix (= E.164 and Meta's form), and the
            // national number (last 8 digits) alone.
            phones.insert(digits.strip_prefix("00").unwrap_or(&digits).to_string());
            phones.insert(digits[digits.len() - 8..].to_string());
            phones.insert(digits);
        }
    }
    assert!(emails.len() > 1000 && phones.len() > 1000);
    let mut files = Vec::new();
    files_under(&run, &mut files);
    files_under(&out, &mut files);
    assert!(files.iter().any(|f| f.ends_with("meta.csv")));
    assert!(files
        .iter()
        .any(|f| f.to_string_lossy().contains("lookalike")));
    // The scan finds what it looks for.
    let leak = "K1,  Kari.Nordmann@Example.com ,+47 412 34 567\n";
    assert!(email_tokens(leak).contains(&"kari.nordmann@example.com".to_string()));
    assert!(number_tokens(leak).contains(&"4741234567".to_string()));
    assert!(number_tokens(leak).contains(&"567".to_string()));
    assert!(!number_tokens("0.4741234567,ab4741234567").contains(&"4741234567".to_string()));
    // ... and finds every customer's e-mail and phone in customers.csv itself.
    let raw = read(&dir.join("customers.csv"));
    let found_emails: BTreeSet<String> = email_tokens(&raw).into_iter().collect();
    assert!(emails.is_subset(&found_emails));
    let found_phones: BTreeSet<String> = number_tokens(&raw).into_iter().collect();
    let with_phone = customers
        .iter()
        .filter(|c| !c["phone"].trim().is_empty())
        .count();
    let hits = customers
        .iter()
        .filter(|c| {
            let d: String = c["phone"].chars().filter(char::is_ascii_digit).collect();
            !d.is_empty() && found_phones.contains(&d)
        })
        .count();
    assert_eq!(hits, with_phone);
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).to_string();
        for e in email_tokens(&text) {
            assert!(
                !emails.contains(&e),
                "{} holds an e-mail address",
                f.display()
            );
        }
        for p in number_tokens(&text) {
            assert!(!phones.contains(&p), "{} holds a phone number", f.display());
        }
    }
    println!(
        "scanned {} files for {} e-mails and {} phone forms",
        files.len(),
        emails.len(),
        phones.len()
    );
}
