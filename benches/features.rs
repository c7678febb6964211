//! ingest → features → prepare on the generated demo shop with 100k customers (about 400 MB
//! of CSV: order lines, returns, browsing events, survey, profiles).
//!
//! `cargo bench --bench features`; the data is generated once per run, outside the timing.

use criterion::{criterion_group, criterion_main, Criterion};
use segmint::config::Config;
use segmint::demo::{generate, DemoParams};

fn features(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = generate(&DemoParams {
        customers: 100_000,
        seed: 42,
    })
    .expect("demo data");
    for (name, text) in &data.files {
        std::fs::write(dir.path().join(name), text).expect("write demo data");
    }
    drop(data);
    let config = Config::load(&dir.path().join("mapping.toml")).expect("mapping");
    let mut group = c.benchmark_group("features");
    group.sample_size(10);
    group.bench_function("demo_100k_customers", |b| {
        b.iter(|| segmint::pipeline::run_features(&config).expect("features"))
    });
    group.finish();
}

criterion_group!(benches, features);
criterion_main!(benches);
