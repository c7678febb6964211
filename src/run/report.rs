//! The client report's folder (`DIR/report` by default): `report.html` (one self-contained
//! page), `report.md`, `report.json` (the report's content for machines, with the header of
//! its run) and every chart as `charts/<kind>.svg` and `charts/<kind>.png`. Written by
//! `report`. No personal data: only counts, shares and segment statistics.

use serde::Serialize;

use super::{json, names, Output, RunId, Stage, Stamped};
use crate::error::Result;
use crate::render::Chart;

/// The report's files: `content` is the report itself (its JSON is `report.json`), `html` and
/// `markdown` its two renderings.
pub fn outputs<R: Serialize>(
    run_id: &RunId,
    content: &R,
    html: String,
    markdown: String,
    charts: &[Chart],
) -> Result<Vec<Output>> {
    let mut files = vec![
        Output::shared(Stage::Report, "report.html", html.into_bytes()),
        Output::shared(Stage::Report, "report.md", markdown.into_bytes()),
        Output::shared(
            Stage::Report,
            names::REPORT_JSON,
            json(&Stamped::new(run_id, content))?,
        ),
    ];
    for c in charts {
        files.push(Output::shared(
            Stage::Report,
            format!("charts/{}.svg", c.kind.slug()),
            c.svg.clone().into_bytes(),
        ));
        files.push(Output::shared(
            Stage::Report,
            format!("charts/{}.png", c.kind.slug()),
            c.png.clone(),
        ));
    }
    Ok(files)
}
