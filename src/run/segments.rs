//! `segments.json`: every segment's profile (numbers, name, description, actions, flags,
//! lookalike vector), the base, and the customers flagged for high returns. Written by
//! `profile`. Personal data (the flagged customers' ids): owner-only.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{json, names, read_json, Output, RunId, Stage, Stamped};
use crate::error::{Error, Result};
use crate::model::{SegmentId, SegmentLabel};
use crate::profile::{Profiles, SegmentProfile};

/// `segments.json` (after its header).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentsFile {
    /// segmint version.
    pub segmint_version: String,
    /// The profiles (base, segments, flagged customers).
    #[serde(flatten)]
    pub profiles: Profiles,
}

/// The file.
pub fn output(run_id: &RunId, profiles: &Profiles) -> Result<Output> {
    #[derive(Serialize)]
    struct Borrowed<'a> {
        segmint_version: &'a str,
        #[serde(flatten)]
        profiles: &'a Profiles,
    }
    // Same fields as [`SegmentsFile`], without cloning the profiles.
    Ok(Output::private(
        Stage::Profile,
        names::SEGMENTS,
        json(&Stamped::new(
            run_id,
            Borrowed {
                segmint_version: env!("CARGO_PKG_VERSION"),
                profiles,
            },
        ))?,
    ))
}

/// Checks that a run folder exists and is profiled (has `segments.json`), or says what to do.
pub fn require(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(Error::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "the run folder does not exist; give --in the output folder of `segmint run` (or of discover + profile)",
            ),
        });
    }
    if !dir.join(names::SEGMENTS).exists() {
        return Err(Error::Data(format!(
            "{} has no segments.json: profile the run first (`segmint profile --config mapping.toml --in {}`, or use `segmint run`)",
            dir.display(),
            dir.display()
        )));
    }
    Ok(())
}

/// Reads `segments.json` of a run folder, or says how to profile the run first (also when an
/// earlier segmint wrote it without the flags' numbers).
pub fn read(dir: &Path) -> Result<Stamped<SegmentsFile>> {
    require(dir)?;
    read_json(&dir.join(names::SEGMENTS), "segments.json").map_err(|e| match e {
        Error::Read { file, message } => Error::Read {
            message: format!(
                "{message}; if an earlier segmint wrote it, profile the run again (`segmint profile --config mapping.toml --in {}`)",
                dir.display()
            ),
            file,
        },
        e => e,
    })
}

/// Finds a segment by id (`3`), by name (any case) or by the slug of its name
/// (`loyal-high-spenders`).
pub fn find<'a>(
    segments: &'a [SegmentProfile],
    name_or_id: &str,
) -> Result<(SegmentId, &'a SegmentProfile)> {
    let wanted = name_or_id.trim();
    let slug = |s: &str| crate::text::slug(s, '-');
    let found = segments
        .iter()
        .find(|s| SegmentLabel::parse(wanted) == Some(s.segment))
        .or_else(|| {
            segments
                .iter()
                .find(|s| s.name.to_lowercase() == wanted.to_lowercase())
        })
        .or_else(|| segments.iter().find(|s| slug(&s.name) == slug(wanted)));
    let list = || {
        segments
            .iter()
            .filter(|s| s.segment.is_segment())
            .map(|s| format!("{} ({:?}, {} customers)", s.segment, s.name, s.customers))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match found.map(|s| (s.segment.segment(), s)) {
        Some((Some(id), s)) => Ok((id, s)),
        Some((None, s)) => Err(Error::Data(format!(
            "{:?} are the customers no segment took; choose a segment: {}",
            s.name,
            list()
        ))),
        None => Err(Error::Data(format!(
            "no segment {wanted:?} in this run; choose one by id or name: {}",
            list()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(id: &str, name: &str, customers: usize) -> SegmentProfile {
        serde_json::from_value(serde_json::json!({
            "segment": id, "name": name, "description": "", "customers": customers,
            "share": 0.0, "net_revenue": 0.0, "refunds": 0.0, "profit": 0.0,
            "revenue_share": 0.0, "refund_share": 0.0, "profit_share": 0.0, "frequency": 0.0,
            "features": [], "top_features": [], "composition": [], "survey": [],
            "actions": [], "flags": []
        }))
        .unwrap()
    }

    /// A segments.json whose flags lack their numbers (segmint before flag facts) is refused
    /// with what to do; one without name and action facts is read, its names as given.
    #[test]
    fn old_segments_files_say_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = serde_json::to_value(segment("1", "Loyal high spenders", 10)).unwrap();
        let file = |s: &serde_json::Value| {
            let body = serde_json::json!({
                "segmint_version": "0.1.0", "base": s, "segments": [s], "flagged_customers": []
            });
            std::fs::write(dir.path().join(names::SEGMENTS), body.to_string()).unwrap();
        };
        file(&s);
        let read_back = read(dir.path()).unwrap().body.profiles;
        assert_eq!(
            read_back.segments[0].name_in(crate::i18n::Lang::Nb),
            "Loyal high spenders"
        );
        s["flags"] = serde_json::json!([{"kind": "vip", "message": "The most valuable segment"}]);
        file(&s);
        let e = read(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("missing field") && e.contains("profile the run again"),
            "{e}"
        );
    }

    #[test]
    fn segments_are_found_by_id_name_or_slug() {
        let r = vec![
            segment("1", "Loyal high spenders", 10),
            segment("2", "Kundar på ferie", 5),
            segment("unassigned", "Unassigned (DBSCAN noise)", 2),
        ];
        assert_eq!(find(&r, "1").unwrap().0, SegmentId(0));
        assert_eq!(find(&r, "loyal HIGH spenders").unwrap().0, SegmentId(0));
        assert_eq!(find(&r, "loyal-high-spenders").unwrap().0, SegmentId(0));
        assert_eq!(find(&r, "kundar-pa-ferie").unwrap().0, SegmentId(1));
        let e = find(&r, "vips").unwrap_err().to_string();
        assert!(
            e.contains("no segment \"vips\"") && e.contains("1 (\"Loyal high spenders\""),
            "{e}"
        );
        let e = find(&r, "unassigned").unwrap_err().to_string();
        assert!(e.contains("no segment took"), "{e}");
    }
}
