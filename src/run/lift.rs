//! `segmint lift`'s files: `lift.json` (with the header of the holdout's run), the
//! per-segment table `lift.csv` / `lift.parquet`, the chart `lift.svg` / `lift.png` and the
//! report section `lift.md`. Read back: `lift.json`, by the report.

use std::path::Path;

use super::{names, Output, RunId, Stage, Stamped};
use crate::campaign::lift::{lift_frame, LiftReport};
use crate::error::Result;

/// The files of `segmint lift`: `lift.json` (with the header of the holdout's run), the
/// per-segment table `lift.csv` and `lift.parquet`, the chart `lift.svg` / `lift.png` and the
/// report section `lift.md` in `lang`.
pub fn outputs(r: &LiftReport, lang: crate::i18n::Lang) -> Result<Vec<Output>> {
    let file = |name: &str, bytes: Vec<u8>| Output::shared(Stage::Lift, name, bytes);
    let table = lift_frame(r)?;
    Ok(vec![
        file(names::LIFT_JSON, super::json(&Stamped::new(&r.run_id, r))?),
        file("lift.csv", super::csv(&table)?),
        file("lift.parquet", super::parquet(&table)?),
        file(
            "lift.svg",
            crate::campaign::chart::lift_svg(r, lang)?.into_bytes(),
        ),
        file("lift.png", crate::campaign::chart::lift_png(r, lang)?),
        file(
            "lift.md",
            crate::campaign::section::lift_markdown(r, lang).into_bytes(),
        ),
    ])
}

/// Reads `lift.json` (header checked): the measurement, its `run_id` that of the holdout's
/// run.
pub fn read(path: &Path) -> Result<LiftReport> {
    let (run_id, mut r): (RunId, LiftReport) =
        super::read_stamped(path, "lift measurement (lift.json)", "segmint lift")?;
    r.run_id = run_id;
    Ok(r)
}
