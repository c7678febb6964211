//! The client report of a 50k-customer demo run: reading the run and building the report's
//! content and chart data (PCA of the whole matrix, whale curve, box plots), then drawing the
//! eight charts (SVG and PNG) and rendering HTML and Markdown.
//!
//! `cargo bench --bench report`; the demo shop and its run (discover + profile) are made once,
//! outside the timing.

use criterion::{criterion_group, criterion_main, Criterion};
use segmint::cluster::sweep::Quiet;
use segmint::config::Config;
use segmint::demo::{generate, DemoParams};
use segmint::export;
use segmint::i18n::Lang;

fn report(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = generate(&DemoParams {
        customers: 50_000,
        seed: 42,
    })
    .expect("demo data");
    for (name, text) in &data.files {
        std::fs::write(dir.path().join(name), text).expect("write demo data");
    }
    drop(data);
    let config = Config::load(&dir.path().join("mapping.toml")).expect("mapping");
    let run = dir.path().join("out");
    let d = segmint::pipeline::discover(&config, Default::default(), &Quiet).expect("discover");
    export::write_files(&run, &export::discover_outputs(&d).expect("outputs")).expect("write");
    drop(d);
    let (features, assignment) = export::read_run(&run).expect("run");
    let p =
        segmint::profile::profile(&features, &assignment, &config.mapping.flags).expect("profile");
    export::write_files(&run, &export::profile_outputs(&p).expect("outputs")).expect("write");

    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("read_and_build_50k", |b| {
        b.iter(|| {
            let data = export::read_report_data(&run).expect("read");
            segmint::report::build(&data, Lang::En, None).expect("build")
        })
    });
    let data = export::read_report_data(&run).expect("read");
    let (report, charts) = segmint::report::build(&data, Lang::En, None).expect("build");
    group.bench_function("charts_and_pages_50k", |b| {
        b.iter(|| {
            let drawn = segmint::render::render_all(&charts, Lang::En).expect("charts");
            export::report_outputs(&report, &drawn).expect("pages")
        })
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
