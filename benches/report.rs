//! The client report of a 50k-customer demo run: reading the run and building the report's
//! content and chart data (PCA of the whole matrix, whale curve, box plots), then drawing the
//! eight charts (SVG and PNG) and rendering HTML and Markdown.
//!
//! `cargo bench --bench report`; the demo shop and its run (discover + profile) are made once,
//! outside the timing.

use criterion::{criterion_group, criterion_main, Criterion};
use segmint::demo::{generate, DemoParams};
use segmint::i18n::Lang;
use segmint::pipeline::commands::{self, RunOptions};
use segmint::run::RunFolder;

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
    let mapping = dir.path().join("mapping.toml");
    let run = dir.path().join("out");
    // The same stages as `segmint discover` + `segmint profile` (lookalike vectors included).
    commands::discover(&mapping, &run, RunOptions::default()).expect("discover");
    commands::profile(&mapping, &run).expect("profile");

    let mut group = c.benchmark_group("report");
    group.sample_size(10);
    group.bench_function("read_and_build_50k", |b| {
        b.iter(|| {
            let folder = RunFolder::open(&run).expect("run folder");
            let data = segmint::pipeline::read_report_data(&folder).expect("read");
            segmint::report::build(&data, Lang::En, None).expect("build")
        })
    });
    let folder = RunFolder::open(&run).expect("run folder");
    let data = segmint::pipeline::read_report_data(&folder).expect("read");
    let (report, charts) = segmint::report::build(&data, Lang::En, None).expect("build");
    group.bench_function("charts_and_pages_50k", |b| {
        b.iter(|| {
            let drawn = segmint::render::render_all(&charts, Lang::En).expect("charts");
            segmint::run::report::outputs(
                &folder.id(),
                &report,
                segmint::report::html(&report, &drawn),
                segmint::report::markdown(&report, &drawn),
                &drawn,
            )
            .expect("pages")
        })
    });
    group.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
