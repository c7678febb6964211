//! Parity of the distributed path with segmint's polars path, on a Ballista cluster started in
//! the test process (scheduler + executor, 2 partitions).

use std::path::{Path, PathBuf};

use polars::prelude::*;

use segmint::config::Config;
use segmint::demo::{DemoParams, generate};
use segmint::features::Features;
use segmint::model::SegmentModel;
use segmint_ballista::cluster::connect;
use segmint_ballista::{Engine, canonical, features};

const PARTITIONS: usize = 2;

/// Writes the demo shop of `customers` customers into `dir`, returns its mapping.
fn demo(dir: &Path, customers: usize) -> PathBuf {
    let data = generate(&DemoParams {
        customers,
        seed: 42,
    })
    .expect("demo data");
    for (name, text) in &data.files {
        std::fs::write(dir.join(name), text).expect("write demo file");
    }
    dir.join("mapping.toml")
}

/// Every Parquet part file of `folder`, stacked and sorted by customer_id.
fn read_parts(folder: &Path) -> DataFrame {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("output folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "parquet"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no Parquet part in {}", folder.display());
    let mut all: Option<DataFrame> = None;
    for f in files {
        let df = ParquetReader::new(std::fs::File::open(&f).expect("open part"))
            .finish()
            .expect("read part");
        match &mut all {
            None => all = Some(df),
            Some(a) => {
                a.vstack_mut(&df).expect("same schema in every part");
            }
        }
    }
    all.expect("parts")
        .sort(["customer_id"], SortMultipleOptions::default())
        .expect("sort")
}

fn f64s(df: &DataFrame, name: &str) -> Vec<Option<f64>> {
    df.column(name)
        .unwrap_or_else(|_| panic!("column {name}"))
        .cast(&DataType::Float64)
        .expect("numeric")
        .f64()
        .expect("f64")
        .iter()
        .collect()
}

fn strs(df: &DataFrame, name: &str) -> Vec<Option<String>> {
    df.column(name)
        .unwrap_or_else(|_| panic!("column {name}"))
        .cast(&DataType::String)
        .expect("text")
        .str()
        .expect("str")
        .iter()
        .map(|s| s.map(String::from))
        .collect()
}

/// Integers (values that are whole numbers in the polars path) exactly, other floats within
/// 1e-9 relative (1e-12 absolute near 0), missing exactly where missing.
fn assert_close(name: &str, ids: &[Option<String>], want: &[Option<f64>], got: &[Option<f64>]) {
    assert_eq!(want.len(), got.len(), "{name}: row count");
    for (i, (w, g)) in want.iter().zip(got).enumerate() {
        let id = ids[i].as_deref().unwrap_or("?");
        match (w, g) {
            (None, None) => {}
            (Some(w), Some(g)) if w.fract() == 0.0 && w.abs() < 9e15 => {
                assert_eq!(
                    w, g,
                    "{name} of customer {id}: an integer must match exactly"
                );
            }
            (Some(w), Some(g)) => {
                let tol = (1e-9 * w.abs().max(g.abs())).max(1e-12);
                assert!(
                    (w - g).abs() <= tol,
                    "{name} of customer {id}: polars {w:?}, ballista {g:?}"
                );
            }
            _ => panic!("{name} of customer {id}: polars {w:?}, ballista {g:?}"),
        }
    }
}

struct Run {
    _dir: tempfile::TempDir,
    polars: Features,
    config: Config,
    out: PathBuf,
    ctx: datafusion::prelude::SessionContext,
}

async fn cluster() -> datafusion::prelude::SessionContext {
    connect(&Engine::Standalone {
        partitions: PARTITIONS,
    })
    .await
    .expect("standalone cluster")
}

/// The polars features of the shop whose files `write` puts into a folder, and the cluster's
/// written to `out/` of that folder.
async fn run_shop(
    ctx: datafusion::prelude::SessionContext,
    write: impl FnOnce(&Path) -> PathBuf,
) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let mapping = write(dir.path());
    let config = Config::load(&mapping).expect("mapping");
    // The polars features from the same read of the inputs that writes the canonical tables.
    let canon = dir.path().join("canonical");
    let (inputs, _) = canonical::write(&config, &canon).expect("canonical");
    let polars = segmint::features::build(&inputs, &config.mapping.features).expect("polars");
    let out = dir.path().join("out");
    features::write(&ctx, &canon, &out).await.expect("features");
    Run {
        _dir: dir,
        polars,
        config,
        out,
        ctx,
    }
}

async fn run_demo(customers: usize) -> Run {
    run_shop(cluster().await, |d| demo(d, customers)).await
}

/// The cluster's feature table equals the polars one: catalog, columns, customers, values.
fn assert_parity(run: &Run, what: &str) {
    let want = &run.polars.table;
    let got = read_parts(&run.out.join("features"));
    let written: features::FeaturesWritten = serde_json::from_str(
        &std::fs::read_to_string(run.out.join("features.json")).expect("features.json"),
    )
    .expect("features.json parses");
    assert_eq!(
        written.specs, run.polars.specs,
        "{what}: the catalogs differ"
    );
    let names = |df: &DataFrame| -> Vec<String> {
        df.get_column_names()
            .iter()
            .map(|c| c.to_string())
            .collect()
    };
    assert_eq!(names(&got), names(want), "{what}: the columns differ");
    assert_eq!(got.height(), want.height(), "{what}: customers");
    assert_eq!(written.customers as usize, want.height(), "{what}");
    let ids = strs(&got, "customer_id");
    assert_eq!(
        ids,
        strs(want, "customer_id"),
        "{what}: the customers differ"
    );
    let mut dedup = ids.clone();
    dedup.dedup();
    assert_eq!(dedup.len(), ids.len(), "{what}: a customer appears twice");
    for s in &run.polars.specs {
        let name = format!("{what}: {}", s.name);
        match want.column(&s.name).expect("column").dtype() {
            DataType::String => {
                assert_eq!(strs(&got, &s.name), strs(want, &s.name), "{name} differs")
            }
            _ => assert_close(&name, &ids, &f64s(want, &s.name), &f64s(&got, &s.name)),
        }
    }
}

#[test]
fn demo_features_equal_the_polars_features() {
    segmint_ballista::runtime()
        .expect("runtime")
        .block_on(async {
            let run = run_demo(3000).await;
            assert!(
                run.polars.table.width() > 40,
                "the demo should exercise every group"
            );
            assert_parity(&run, "demo");
        })
}

/// Every truth-bench preset (other column names, return conventions, tables present, survey
/// factors, customer attributes), at 1,500 customers to keep the debug test short.
#[test]
fn truth_preset_features_equal_the_polars_features() {
    segmint_ballista::runtime()
        .expect("runtime")
        .block_on(async {
            let ctx = cluster().await;
            for preset in segmint::truth::presets::all() {
                let name = preset.name;
                let shop =
                    segmint::truth::generate(&preset.with_customers(1500), 7).expect("preset");
                let run = run_shop(ctx.clone(), |d| {
                    shop.write(d).expect("write preset");
                    d.join("mapping.toml")
                })
                .await;
                assert_parity(&run, name);
            }
            // The sample shop of the README (Norwegian column names, decimal commas, a returns table
            // matched by order and product).
            let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/sample/mapping.toml");
            let run = run_shop(ctx, |_| sample).await;
            assert_parity(&run, "data/sample");
        })
}

#[test]
fn demo_assignment_equals_the_local_assignment() {
    segmint_ballista::runtime()
        .expect("runtime")
        .block_on(async {
            let run = run_demo(1500).await;
            let prepared = segmint::prepare::prepare(
                &run.polars,
                &run.config.mapping.prepare,
                run.config.mapping.features.rare_level_share,
            )
            .expect("prepare");
            let n = prepared.matrix.nrows();
            // Five customers' rows as centroids: a model as discover writes it, without the sweep.
            let centroids: Vec<Vec<f64>> = [0, n / 5, 2 * n / 5, 3 * n / 5, 4 * n / 5]
                .iter()
                .map(|&r| prepared.matrix.row(r).to_vec())
                .collect();
            let model = SegmentModel {
                segmint_version: "test".into(),
                candidate: "test".into(),
                algorithm: "kmeans".into(),
                k: centroids.len(),
                seed: 42,
                columns: prepared.model.names(),
                prepare: prepared.model.clone(),
                centroids,
                dbscan: None,
            };
            let local = model.assign(&run.polars).expect("local assignment");
            let written = segmint_ballista::assign::write(
                &run.ctx,
                &model,
                &run.out.join("features"),
                &run.out,
            )
            .await
            .expect("distributed assignment");
            let got = read_parts(&written.table);
            assert_eq!(got.height(), local.ids.len(), "every customer once");
            let ids = strs(&got, "customer_id");
            let want_ids: Vec<Option<String>> = local.ids.iter().map(|s| Some(s.clone())).collect();
            assert_eq!(ids, want_ids);
            let want_seg: Vec<Option<f64>> = local
                .segment
                .iter()
                .map(|s| s.map(|s| s.index() as f64 + 1.0))
                .collect();
            assert_close("segment", &ids, &want_seg, &f64s(&got, "segment"));
            // Distances and silhouettes: within 1e-9 relative, 1e-12 absolute (a centroid
            // that is a customer's own row is 0 locally and ~1e-16 on the cluster, whose
            // ln-based log1p can differ from Rust's ln_1p in the last bit).
            for name in ["distance", "silhouette"] {
                let want = match name {
                    "distance" => &local.distance,
                    _ => &local.silhouette,
                };
                for ((w, g), id) in want.iter().zip(f64s(&got, name)).zip(&ids) {
                    let (w, g) = (w.expect("local value"), g.expect("cluster value"));
                    let tol = (1e-9 * w.abs().max(g.abs())).max(1e-12);
                    assert!(
                        (w - g).abs() <= tol,
                        "{name} of {id:?}: local {w:?}, cluster {g:?}"
                    );
                }
            }
            // Not a degenerate model: the customers spread over the segments.
            let mut used: Vec<u32> = f64s(&got, "segment")
                .iter()
                .map(|s| s.expect("assigned") as u32)
                .collect();
            used.sort_unstable();
            used.dedup();
            assert!(used.len() >= 3, "segments used: {used:?}");
        })
}
