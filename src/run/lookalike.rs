//! `lookalike/<id>-<name>.json`: one segment's lookalike feature vector with the space it
//! lives in, standing alone (for an ad or data team). Written by `profile`. No personal data.

use std::path::PathBuf;

use serde::Serialize;

use super::{json, names, Output, RunId, Stage, Stamped};
use crate::error::Result;
use crate::lookalike::vectors::{LookalikeSpace, SegmentVector};

/// `lookalike/<id>-<name>.json` (after its header).
#[derive(Debug, Clone, Serialize)]
pub struct LookalikeFile<'a> {
    /// segmint version.
    pub segmint_version: &'a str,
    /// The vector.
    #[serde(flatten)]
    pub vector: &'a SegmentVector,
    /// The space (columns, transforms, distance).
    pub space: &'a LookalikeSpace,
}

/// The file stem of a segment's lookalike file: `<id>-<slug of name>`, e.g.
/// `1-loyal-high-spenders`.
pub fn file_stem(segment: &str, name: &str) -> String {
    let s = crate::text::slug(name, '-');
    if s.is_empty() {
        segment.to_string()
    } else {
        format!("{segment}-{s}")
    }
}

/// The files of the segments with a vector.
pub fn outputs(
    run_id: &RunId,
    space: &LookalikeSpace,
    vectors: &[&SegmentVector],
) -> Result<Vec<Output>> {
    vectors
        .iter()
        .map(|v| {
            Ok(Output::shared(
                Stage::Profile,
                PathBuf::from(names::LOOKALIKE_DIR).join(format!(
                    "{}.json",
                    file_stem(&v.segment.to_string(), &v.name)
                )),
                json(&Stamped::new(
                    run_id,
                    LookalikeFile {
                        segmint_version: env!("CARGO_PKG_VERSION"),
                        vector: v,
                        space,
                    },
                ))?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems() {
        assert_eq!(file_stem("3", "Recent buyers"), "3-recent-buyers");
        assert_eq!(file_stem("3", "%%"), "3");
    }
}
