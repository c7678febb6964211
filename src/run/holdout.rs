//! The holdout's files: its manifest (`holdout.json`, any name `--out` gives) and the
//! treatment and control lists beside it (`<stem>.treatment.csv`, `<stem>.control.csv`, the
//! same as Parquet). Written by `holdout`; the manifest and the CSV lists are read by `lift`.
//! The lists name customers: owner-only.

use std::path::Path;

use polars::prelude::{Column, DataFrame};

use super::{Output, RunId, Stage, Stamped};
use crate::campaign::holdout::{sha256_hex, Holdout, HoldoutManifest};
use crate::error::{Error, PolarsContext, Result};
use crate::model::SegmentLabel;

/// The files of a holdout whose manifest is named `manifest_name` (e.g. `holdout.json`): the
/// manifest (with the header of the holdout's run), `<stem>.treatment.csv`,
/// `<stem>.control.csv` and the same lists as `<stem>.treatment.parquet`,
/// `<stem>.control.parquet`, to be written into one folder. Fills in the lists' names and
/// hashes (of the CSV lists, which `segmint lift` reads).
pub fn outputs(h: &mut Holdout, manifest_name: &str) -> Result<Vec<Output>> {
    let stem = Path::new(manifest_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("holdout")
        .to_string();
    let treatment = list_csv(h, false);
    let control = list_csv(h, true);
    let treatment_parquet = super::parquet(&list_frame(h, false)?)?;
    let control_parquet = super::parquet(&list_frame(h, true)?)?;
    let m = &mut h.manifest;
    m.treatment_file = format!("{stem}.treatment.csv");
    m.control_file = format!("{stem}.control.csv");
    m.treatment_sha256 = sha256_hex(&treatment);
    m.control_sha256 = sha256_hex(&control);
    // The lists name customers: owner-only.
    Ok(vec![
        Output::shared(
            Stage::Holdout,
            manifest_name,
            super::json(&Stamped::new(&h.run_id, &*m))?,
        ),
        Output::private(Stage::Holdout, &m.treatment_file, treatment),
        Output::private(Stage::Holdout, &m.control_file, control),
        Output::private(
            Stage::Holdout,
            format!("{stem}.treatment.parquet"),
            treatment_parquet,
        ),
        Output::private(
            Stage::Holdout,
            format!("{stem}.control.parquet"),
            control_parquet,
        ),
    ])
}

/// Reads a holdout manifest (header checked): the run id of the holdout's run and the
/// manifest.
pub fn read(path: &Path) -> Result<(RunId, HoldoutManifest)> {
    super::read_stamped(path, "holdout manifest", "segmint holdout")
}

/// A list's CSV: `customer_id,segment,segment_name,flagged_returner`, sorted by segment and id.
fn list_csv(h: &Holdout, control: bool) -> Vec<u8> {
    let names = h.names();
    let rows = h.list(control);
    let mut out = String::from("customer_id,segment,segment_name,flagged_returner\n");
    for m in rows {
        out.push_str(&crate::lookalike::csv_field(&m.customer_id));
        out.push(',');
        out.push_str(&m.segment.to_string());
        out.push(',');
        out.push_str(&crate::lookalike::csv_field(
            names.get(&m.segment).copied().unwrap_or(""),
        ));
        out.push(',');
        out.push_str(if m.flagged { "true" } else { "false" });
        out.push('\n');
    }
    out.into_bytes()
}

/// A list as a frame (the same rows and columns as its CSV), for `<stem>.<group>.parquet`.
fn list_frame(h: &Holdout, control: bool) -> Result<DataFrame> {
    let names = h.names();
    let rows = h.list(control);
    DataFrame::new_infer_height(vec![
        Column::new(
            "customer_id".into(),
            rows.iter()
                .map(|m| m.customer_id.clone())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "segment".into(),
            rows.iter()
                .map(|m| m.segment.to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "segment_name".into(),
            rows.iter()
                .map(|m| names.get(&m.segment).copied().unwrap_or("").to_string())
                .collect::<Vec<_>>(),
        ),
        Column::new(
            "flagged_returner".into(),
            rows.iter().map(|m| m.flagged).collect::<Vec<_>>(),
        ),
    ])
    .ctx("building a holdout list")
}

/// A holdout list as written by [`outputs`]: (customer id, segment), and the SHA-256 of
/// the file.
pub fn read_list(path: &Path) -> Result<(Vec<(String, SegmentLabel)>, String)> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let hash = sha256_hex(&bytes);
    let text = String::from_utf8(bytes).map_err(|e| Error::Read {
        file: path.to_path_buf(),
        message: format!("not UTF-8: {e}"),
    })?;
    let mut rows = Vec::new();
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    if !header.starts_with("customer_id,segment") {
        return Err(Error::Read {
            file: path.to_path_buf(),
            message: format!(
                "line 1: expected the header `customer_id,segment,...` of a segmint holdout list, found {header:?}"
            ),
        });
    }
    for (n, line) in lines.enumerate() {
        let fields = split_csv(line);
        match (fields.first(), fields.get(1)) {
            (Some(id), Some(seg)) if !id.is_empty() && !seg.is_empty() => {
                let label = SegmentLabel::parse(seg)
                    .filter(|l| l.is_segment() || *l == SegmentLabel::Unassigned);
                let Some(label) = label else {
                    return Err(Error::Read {
                        file: path.to_path_buf(),
                        message: format!(
                            "line {}, column segment: {seg:?} is not a segment of the run (a number from 1, or unassigned); the lists are segmint holdout's, do not edit their segments",
                            n + 2
                        ),
                    });
                };
                rows.push((id.clone(), label))
            }
            _ => {
                return Err(Error::Read {
                    file: path.to_path_buf(),
                    message: format!(
                        "line {}: expected a customer id and a segment, found {line:?}",
                        n + 2
                    ),
                })
            }
        }
    }
    Ok((rows, hash))
}

/// Splits a CSV line with `"`-quoted fields.
fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(ch) = chars.next() {
        match (ch, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(ch),
        }
    }
    out.push(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_lines_split_with_quotes() {
        assert_eq!(
            split_csv("K1,2,\"Big, \"\"bold\"\"\",false"),
            vec!["K1", "2", "Big, \"bold\"", "false"]
        );
    }

    #[test]
    fn a_list_holds_segments_and_the_unassigned_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.treatment.csv");
        let head = "customer_id,segment,segment_name,flagged_returner\n";
        std::fs::write(
            &path,
            format!("{head}K1,2,Loyal,false\nK2,unassigned,,false\n"),
        )
        .unwrap();
        let (rows, hash) = read_list(&path).unwrap();
        assert_eq!(
            rows,
            [
                (
                    "K1".to_string(),
                    SegmentLabel::Segment(crate::model::SegmentId(1))
                ),
                ("K2".to_string(), SegmentLabel::Unassigned)
            ]
        );
        assert_eq!(hash.len(), 64);
        for bad in ["all", "new", "03", "two"] {
            std::fs::write(&path, format!("{head}K1,2,Loyal,false\nK2,{bad},,false\n")).unwrap();
            let e = read_list(&path).unwrap_err().to_string();
            assert!(e.contains("h.treatment.csv"), "{e}");
            assert!(
                e.contains(&format!("line 3, column segment: \"{bad}\"")),
                "{e}"
            );
        }
    }
}
