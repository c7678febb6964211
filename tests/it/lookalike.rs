//! Lookalike: hash test vectors per platform, feature vectors, and prospect scoring on the
//! demo shop (held-out members ranked above random customers).

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use segmint::cluster::sweep::Quiet;
use segmint::config::{Config, LookalikeOptions};
use segmint::demo::{generate, DemoParams};
use segmint::lookalike::normalize::Platform;
use segmint::lookalike::score::{roc_auc, SegmentScorer};
use segmint::lookalike::seeds::{identifiers, Contact, IdentifierCounts};
use segmint::model::SegmentId;
use segmint::pipeline::discover;
use segmint::select::Overrides;

// Expected hashes, computed outside segmint with `printf '%s' '<normalised>' | sha256sum`.
/// john.doe@example.com
const EMAIL: &str = "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f";
/// 4741234567 (Meta: digits with country code, no +)
const PHONE_NO_META: &str = "6b6ec0fa2540638ca641c7e57204d2c7e05274402e007f4e311f91aba8ee4e66";
/// +4741234567 (Google, TikTok: E.164)
const PHONE_NO_E164: &str = "5c754379dbefab110700106e4589f561376f462ff14141b29c33e928f465b225";
/// 46701234567
const PHONE_SE_META: &str = "a7274f98c43038d9c630738ac54c4cd06495600f29d7904131a2474a91d3d042";
/// +46701234567
const PHONE_SE_E164: &str = "19317f0437d748c2e75c9d451197ae3ccc2e67c6d1e05cba41f25e639e3a7528";
/// johndoe@gmail.com
const GMAIL_NO_DOTS: &str = "06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3";
/// john
const FIRST: &str = "96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a";
/// doe
const LAST: &str = "799ef92a11af918e3fb741df42934f3b568ed2d93ac1df74f1b8d41a27932a6f";
/// no
const COUNTRY_NO: &str = "9390298f3fb0c5b160498935d79cb139aef28e1c47358b4bbba61862b9c26e59";
/// 0356
const ZIP: &str = "54478d443b64b6cf347bfec594a70b2156e63a5a66f278e221a2c7442deee78f";

fn contact(email: &str, phone: &str, country: Option<&str>) -> Contact {
    Contact {
        email: Some(email.into()),
        phone: Some(phone.into()),
        first_name: Some(" John ".into()),
        last_name: Some("DOE".into()),
        postcode: Some("0356".into()),
        country: country.map(String::from),
    }
}

fn row(platform: Platform, c: &Contact, opts: &LookalikeOptions) -> BTreeMap<&'static str, String> {
    let mut counts = IdentifierCounts::default();
    identifiers(platform, c, opts, &mut counts).expect("usable identifiers")
}

#[test]
fn hash_test_vectors_per_platform() {
    let opts = LookalikeOptions {
        default_country_code: Some("47".into()),
        ..Default::default()
    };
    let email = "  John.Doe@Example.COM ";
    // A local number (completed with the default code), +47 and 0047 forms.
    for phone in [
        "412 34 567",
        "+47 412 34 567",
        "0047 41234567",
        "0047-412-34-567",
    ] {
        let c = contact(email, phone, None);
        let meta = row(Platform::Meta, &c, &opts);
        assert_eq!(meta["email"], EMAIL, "{phone}");
        assert_eq!(meta["phone"], PHONE_NO_META, "{phone}");
        assert_eq!(meta["fn"], FIRST);
        assert_eq!(meta["ln"], LAST);
        assert_eq!(meta["zip"], ZIP);
        assert!(!meta.contains_key("country"), "no country given");
        let google = row(Platform::Google, &c, &opts);
        assert_eq!(google["Email"], EMAIL);
        assert_eq!(google["Phone"], PHONE_NO_E164, "{phone}");
        assert_eq!(google["First Name"], FIRST);
        assert_eq!(google["Last Name"], LAST);
        assert_eq!(google["Zip"], "0356", "Google takes Zip in clear");
        let tiktok = row(Platform::Tiktok, &c, &opts);
        assert_eq!(tiktok["Email_SHA256"], EMAIL);
        assert_eq!(tiktok["Phone_SHA256"], PHONE_NO_E164, "{phone}");
        assert_eq!(tiktok.len(), 2, "TikTok gets e-mail and phone only");
    }
    // The customer's own country completes a local number (Swedish trunk 0 dropped) and is
    // hashed for Meta, in clear for Google.
    let c = contact(email, "070-123 45 67", Some("SE"));
    assert_eq!(row(Platform::Meta, &c, &opts)["phone"], PHONE_SE_META);
    assert_eq!(row(Platform::Google, &c, &opts)["Phone"], PHONE_SE_E164);
    assert_eq!(
        row(Platform::Tiktok, &c, &opts)["Phone_SHA256"],
        PHONE_SE_E164
    );
    assert_eq!(row(Platform::Google, &c, &opts)["Country"], "SE");
    let c = contact(email, "+47 41234567", Some("NO"));
    assert_eq!(row(Platform::Meta, &c, &opts)["country"], COUNTRY_NO);
    // Gmail dot removal is Google's documented option, off by default.
    let gmail = contact("John.Doe@Gmail.com", "", None);
    let on = LookalikeOptions {
        gmail_remove_dots: true,
        ..opts.clone()
    };
    assert_eq!(row(Platform::Google, &gmail, &on)["Email"], GMAIL_NO_DOTS);
    assert_ne!(row(Platform::Google, &gmail, &opts)["Email"], GMAIL_NO_DOTS);
    assert_ne!(
        row(Platform::Meta, &gmail, &on)["email"],
        GMAIL_NO_DOTS,
        "Google only"
    );
    // A local number and no known country: dropped and counted, not guessed.
    let mut counts = IdentifierCounts::default();
    let none = LookalikeOptions::default();
    let r = identifiers(
        Platform::Meta,
        &contact(email, "41234567", None),
        &none,
        &mut counts,
    )
    .unwrap();
    assert!(!r.contains_key("phone"));
    assert_eq!(counts.phones_without_country_code, 1);
    let r = identifiers(
        Platform::Meta,
        &contact("not-an-email", "12", Some("NO")),
        &none,
        &mut counts,
    );
    assert!(r.is_none(), "neither identifier usable");
    assert_eq!((counts.emails_invalid, counts.phones_wrong_length), (1, 1));
}

/// The demo shop of `n` customers with a fast, fixed clustering (k-means, k = 6).
fn demo_discovery(n: usize, seed: u64) -> (segmint::pipeline::Discovery, Config, DemoData) {
    let data = generate(&DemoParams { customers: n, seed }).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &data.files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let mut config = Config::load(&dir.path().join("mapping.toml")).unwrap();
    let c = &mut config.mapping.cluster;
    (c.k_min, c.k_max, c.dbscan, c.seeds, c.bootstrap) = (6, 6, false, 2, 2);
    let d = discover(&config, Overrides::default(), &Quiet).unwrap();
    (d, config, data)
}

type DemoData = segmint::demo::DemoData;

#[test]
fn held_out_members_rank_above_random_customers() {
    let (d, _, trained) = demo_discovery(2500, 5);
    let x = d.run.prepared.matrix.view();
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    for s in 0..d.model.k {
        // 20% of the members and 20% of everyone else are held out of the fit (centroid,
        // threshold and classifier); the held-out non-members are the "random customers".
        let mut members: Vec<usize> = (0..x.nrows())
            .filter(|&i| d.assignment.segment[i] == Some(SegmentId(s)))
            .collect();
        let mut others: Vec<usize> = (0..x.nrows())
            .filter(|&i| d.assignment.segment[i] != Some(SegmentId(s)))
            .collect();
        members.shuffle(&mut rng);
        others.shuffle(&mut rng);
        let (test_m, train_m) = members.split_at(members.len() / 5);
        let (test_o, train_o) = others.split_at(others.len() / 5);
        let train: Vec<usize> = train_m.iter().chain(train_o).copied().collect();
        let is_member: Vec<bool> = train.iter().map(|i| train_m.contains(i)).collect();
        let xt = x.select(ndarray::Axis(0), &train);
        let scorer = SegmentScorer::fit(xt.view(), &is_member, None).unwrap();
        let score = |rows: &[usize]| scorer.score(x.select(ndarray::Axis(0), rows).view());
        let (sm, so) = (score(test_m), score(test_o));
        let auc = |f: &dyn Fn(&segmint::lookalike::score::Score) -> f64| {
            roc_auc(
                &sm.iter().map(f).collect::<Vec<_>>(),
                &so.iter().map(f).collect::<Vec<_>>(),
            )
            .unwrap()
        };
        let (combined, distance, classifier) = (
            auc(&|s| s.score),
            auc(&|s| -s.distance),
            auc(&|s| s.probability),
        );
        println!(
            "segment {}: {} held-out members vs {} held-out others: ROC AUC {combined:.4} (distance alone {distance:.4}, classifier alone {classifier:.4})",
            s + 1,
            test_m.len(),
            test_o.len()
        );
        assert!(combined >= 0.9, "segment {}: AUC {combined}", s + 1);
    }

    // The segments are k-means cells, so the run's own labels are easy to learn. A harder
    // check: people of another shop (never seen) ranked against their planted segment.
    let data = generate(&DemoParams {
        customers: 1000,
        seed: 6,
    })
    .unwrap();
    let planted: BTreeMap<&str, _> = trained
        .truth
        .iter()
        .map(|(id, s)| (id.as_str(), *s))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &data.files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let other =
        segmint::pipeline::run_features(&Config::load(&dir.path().join("mapping.toml")).unwrap())
            .unwrap();
    let px = d.model.prepare.transform(&other.features.table).unwrap();
    let other_truth: BTreeMap<&str, _> =
        data.truth.iter().map(|(id, s)| (id.as_str(), *s)).collect();
    for s in 0..d.model.k {
        // The planted segment most of the model segment's members come from.
        let mut votes: BTreeMap<_, usize> = BTreeMap::new();
        for (id, seg) in d.assignment.ids.iter().zip(&d.assignment.segment) {
            if *seg == Some(SegmentId(s)) {
                *votes.entry(planted[id.as_str()]).or_default() += 1;
            }
        }
        let target = votes.into_iter().max_by_key(|(_, n)| *n).unwrap().0;
        let is_member: Vec<bool> = d
            .assignment
            .segment
            .iter()
            .map(|x| *x == Some(SegmentId(s)))
            .collect();
        let scorer = SegmentScorer::fit(x, &is_member, Some(&d.model.centroids[s])).unwrap();
        let scores = scorer.score(px.view());
        let (mut pos, mut neg) = (Vec::new(), Vec::new());
        for (id, sc) in other.prepared.ids.iter().zip(&scores) {
            if other_truth[id.as_str()] == target {
                pos.push(sc.score)
            } else {
                neg.push(sc.score)
            }
        }
        let auc = roc_auc(&pos, &neg).unwrap();
        println!(
            "segment {} ({target}): another shop's {} planted {target} vs {} others: ROC AUC {auc:.4}",
            s + 1,
            pos.len(),
            neg.len()
        );
        assert!(auc >= 0.9, "segment {} ({target}): AUC {auc}", s + 1);
    }
}

#[test]
fn vectors_hold_the_centroid_and_a_threshold_most_members_fall_within() {
    let (d, config, _) = demo_discovery(1200, 8);
    let mut p = d.profile(&config.mapping.flags).unwrap();
    let before = serde_json::to_value(&p).unwrap();
    segmint::pipeline::attach_vectors(&mut p, &d.run.features, &d.assignment, &d.model).unwrap();
    let after = serde_json::to_value(&p).unwrap();
    // Only fields were added: every existing field keeps its value.
    fn contains(a: &serde_json::Value, b: &serde_json::Value) -> bool {
        match (a, b) {
            (serde_json::Value::Object(a), serde_json::Value::Object(b)) => a
                .iter()
                .all(|(k, v)| b.get(k).is_some_and(|w| contains(v, w))),
            (serde_json::Value::Array(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(v, w)| contains(v, w))
            }
            _ => a == b,
        }
    }
    assert!(
        contains(&before, &after),
        "segments.json lost or changed a field"
    );
    let space = p.lookalike_space.as_ref().unwrap();
    assert_eq!(space.columns, d.model.columns);
    assert_eq!(space.transforms, d.model.prepare);
    for (s, centroid) in d.model.centroids.iter().enumerate() {
        let v = p.segments[s].lookalike.as_ref().unwrap();
        assert_eq!(&v.centroid_scaled, centroid);
        assert_eq!(v.spread_scaled.len(), centroid.len());
        assert_eq!(v.centroid_raw.len(), centroid.len());
        assert!(!v.defining_features.is_empty());
        // The assignment's own distances (computed by discover) against the threshold.
        let d_members: Vec<f64> = (0..d.assignment.ids.len())
            .filter(|&i| d.assignment.segment[i] == Some(SegmentId(s)))
            .map(|i| d.assignment.distance[i].unwrap())
            .collect();
        assert_eq!(v.customers, d_members.len());
        let within = d_members
            .iter()
            .filter(|&&x| x <= v.threshold.distance + 1e-9)
            .count();
        let share = within as f64 / d_members.len() as f64;
        assert!((0.89..=0.92).contains(&share), "segment {}: {share}", s + 1);
    }
    // The raw centroid of a numeric feature is the members' mean.
    let v = p.segments[0].lookalike.as_ref().unwrap();
    let freq = v
        .centroid_raw
        .iter()
        .find(|r| r.feature == "frequency")
        .unwrap();
    let profile_mean = p.segments[0]
        .features
        .iter()
        .find(|f| f.feature == "frequency")
        .unwrap()
        .mean
        .unwrap();
    assert!((freq.mean.unwrap() - profile_mean).abs() < 1e-9);
}
