//! Reading a run folder: every file read must belong to the run of `manifest.json`.
//!
//! A file belongs to another run when its JSON header or the folder's marker names another run
//! id; a file the marker shows as still being written belongs to a command that stopped. Both
//! are refused with a message saying which command to run again. Files of segmint versions
//! before run ids (no header, no marker) are read as before.

use std::path::{Path, PathBuf};

use super::write::{Marker, Stage};
use super::{
    assignments, candidates, features, manifest, model_file, names, segments, Candidates, Manifest,
    RunId, SegmentsFile, Stamped,
};
use crate::error::{Error, Result};
use crate::features::Features;
use crate::model::{Assignment, SegmentModel};

/// A run folder opened for reading.
#[derive(Debug, Clone)]
pub struct RunFolder {
    /// The folder.
    pub dir: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// The run id of the manifest (`None` for runs written before run ids).
    pub run_id: Option<RunId>,
    marker: Marker,
}

impl RunFolder {
    /// Opens the run in `dir` (its manifest must exist and be whole).
    pub fn open(dir: &Path) -> Result<RunFolder> {
        let m = manifest::read(dir)?;
        let folder = RunFolder {
            dir: dir.to_path_buf(),
            manifest: m.body,
            run_id: m.run_id,
            marker: Marker::read(dir)?,
        };
        folder.check(names::MANIFEST, None)?;
        Ok(folder)
    }

    /// The run id, for the files a command writes from this run.
    pub fn id(&self) -> RunId {
        self.run_id
            .clone()
            .unwrap_or_else(|| RunId("unknown".into()))
    }

    /// Checks that `file` (relative to the folder) belongs to this run: by its JSON header
    /// (`header`, when the file has one) and by the folder's marker.
    pub fn check(&self, file: &str, header: Option<&Option<RunId>>) -> Result<()> {
        let entry = self.marker.files.get(file);
        if let Some(e) = entry.filter(|e| e.run_id.is_none()) {
            return Err(Error::Data(format!(
                "{file} in {} was being written when a segmint command stopped: {}",
                self.dir.display(),
                self.redo(e.stage)
            )));
        }
        let Some(ours) = &self.run_id else {
            return Ok(());
        };
        let stage = entry.map_or(Stage::Profile, |e| e.stage);
        let claims = [
            header.and_then(|h| h.as_ref()),
            entry.and_then(|e| e.run_id.as_ref()),
        ];
        if let Some(theirs) = claims.into_iter().flatten().find(|&t| t != ours) {
            return Err(Error::Data(format!(
                "{file} belongs to run {theirs} but manifest.json to run {ours}: the files in {} come from different runs; {}",
                self.dir.display(),
                self.redo(stage)
            )));
        }
        Ok(())
    }

    fn redo(&self, stage: Stage) -> String {
        let dir = self.dir.display();
        match stage {
            Stage::Features | Stage::Discover => format!(
                "run `segmint discover --config mapping.toml --out {dir}` (or `segmint run`) again"
            ),
            Stage::Profile => format!(
                "profile the run again (`segmint profile --config mapping.toml --in {dir}`, or use `segmint run`)"
            ),
            s => format!("run `{}` again", s.command()),
        }
    }

    fn stamped<T>(&self, file: &str, s: Stamped<T>) -> Result<T> {
        self.check(file, Some(&s.run_id))?;
        Ok(s.body)
    }

    /// features.parquet with the manifest's catalog.
    pub fn features(&self) -> Result<Features> {
        self.check(names::FEATURES, None)?;
        features::read(&self.dir, &self.manifest)
    }

    /// assignments.parquet.
    pub fn assignment(&self) -> Result<Assignment> {
        self.check(names::ASSIGNMENTS, None)?;
        assignments::read(&self.dir)
    }

    /// candidates.json.
    pub fn candidates(&self) -> Result<Candidates> {
        self.stamped(names::CANDIDATES, candidates::read(&self.dir)?)
    }

    /// model.json of the folder.
    pub fn model(&self) -> Result<SegmentModel> {
        self.model_at(&self.dir.join(names::MODEL))
    }

    /// A model.json (next to this run's files) that must belong to this run.
    pub fn model_at(&self, path: &Path) -> Result<SegmentModel> {
        self.stamped(names::MODEL, model_file::read(path)?)
    }

    /// Whether the run is profiled (has segments.json).
    pub fn is_profiled(&self) -> bool {
        self.dir.join(names::SEGMENTS).exists()
    }

    /// segments.json, or an error saying how to profile the run first.
    pub fn segments(&self) -> Result<SegmentsFile> {
        self.stamped(names::SEGMENTS, segments::read(&self.dir)?)
    }
}
