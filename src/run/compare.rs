//! `segmint compare`'s files: `compare.json` (with the header of the later run), the tables
//! `migration`, `migration_under_a_model` and `segments` as CSV and Parquet, the chart
//! `migration.svg` / `.png` and the report section `compare.md`. Read back: `compare.json`, by
//! the later run's report. And what compare reads of each run folder ([`RunView::read`]).

use std::path::Path;

use super::{names, Output, RunId, Stage, Stamped};
use crate::campaign::compare::{migration_frame, segments_frame, Comparison, RunView};
use crate::error::Result;

/// The files of `segmint compare`: `compare.json` (with the header of run B), the tables
/// `migration`, `migration_under_a_model` and `segments` as CSV and Parquet, the chart
/// `migration.svg` / `.png` and the report section `compare.md` in `lang`.
pub fn outputs(c: &Comparison, lang: crate::i18n::Lang) -> Result<Vec<Output>> {
    let file = |name: &str, bytes: Vec<u8>| Output::shared(Stage::Compare, name, bytes);
    let mut files = vec![file(
        names::COMPARE_JSON,
        super::json(&Stamped::new(&c.run_id, c))?,
    )];
    for (stem, df) in [
        ("migration", migration_frame(&c.migration)?),
        (
            "migration_under_a_model",
            migration_frame(&c.migration_under_a_model)?,
        ),
        ("segments", segments_frame(c)?),
    ] {
        files.push(file(&format!("{stem}.csv"), super::csv(&df)?));
        files.push(file(&format!("{stem}.parquet"), super::parquet(&df)?));
    }
    files.extend([
        file(
            "migration.svg",
            crate::campaign::chart::alluvial_svg(c, lang)?.into_bytes(),
        ),
        file(
            "migration.png",
            crate::campaign::chart::alluvial_png(c, lang)?,
        ),
        file(
            "compare.md",
            crate::campaign::section::compare_markdown(c, lang).into_bytes(),
        ),
    ]);
    Ok(files)
}

/// Reads `compare.json` (header checked): the comparison, its `run_id` that of the later run.
pub fn read(path: &Path) -> Result<Comparison> {
    let (run_id, mut c): (RunId, Comparison) =
        super::read_stamped(path, "comparison (compare.json)", "segmint compare")?;
    c.run_id = run_id;
    Ok(c)
}

impl RunView {
    /// Reads a profiled run through [`super::RunFolder`] (every file must belong to its run).
    pub fn read(dir: &Path) -> Result<RunView> {
        super::segments::require(dir)?;
        let folder = super::RunFolder::open(dir)?;
        Ok(RunView {
            dir: dir.to_path_buf(),
            segments: folder.segments()?.profiles,
            model: folder.model()?,
            features: folder.features()?,
            assignment: folder.assignment()?,
            run_id: folder.id(),
            currency: folder.manifest.currency.clone(),
            no_cost: folder.manifest.no_cost(),
        })
    }
}
