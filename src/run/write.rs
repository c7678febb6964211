//! The one place that writes files to disk.
//!
//! Contract of [`OutDir`]:
//! * the folder is locked (`.segmint.lock`, created exclusively) from [`OutDir::open`] until
//!   the `OutDir` is dropped; a second command writing to the same folder stops with a message
//!   (a lock left by a killed process is taken over when its process is gone);
//! * before anything is written, every output is checked: no two outputs share a path, none is
//!   an input of the run (`protected`), and none overwrites a file that another stage, or no
//!   segmint command, wrote (the folder's marker `.segmint` records who wrote what);
//! * each file is written to a temporary file in the same folder, flushed and renamed into
//!   place, so a killed command leaves every file whole (old or new), never truncated;
//! * the marker records each file's stage and run id: first as pending, then, once every file
//!   is in place, with the run id — so an interrupted write is seen as such by the readers;
//! * files holding personal data are created owner-only (0600) on unix.
//!
//! A folder written by a segmint version before markers (a segmint `manifest.json`, or a
//! report's `report.html` and `charts/`, without `.segmint`) is adopted: its files may be
//! replaced by the same-named outputs, as that version did.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{RunId, SCHEMA_VERSION};
use crate::error::{Error, Result};

/// Name of the marker file in every folder segmint writes to.
pub const MARKER: &str = ".segmint";
/// Name of the lock file held while a command writes.
pub const LOCK: &str = ".segmint.lock";

/// The stage that writes a file: a file may be overwritten only by the stage that wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// The demo shop's data files.
    Demo,
    /// features.parquet, matrix.parquet, manifest.json.
    Features,
    /// Assignments, candidates and the model.
    Discover,
    /// Profiles, segments.json, flagged customers, lookalike vectors.
    Profile,
    /// The client report.
    Report,
    /// Assignments of new customers to an earlier model.
    Assign,
    /// Seed and exclusion files.
    Seeds,
    /// Prospect rankings.
    Score,
    /// Two runs compared.
    Compare,
    /// A campaign's holdout manifest and lists.
    Holdout,
    /// A campaign's measured lift.
    Lift,
}

impl Stage {
    /// The command that runs the stage.
    pub fn command(self) -> &'static str {
        match self {
            Stage::Demo => "segmint demo",
            Stage::Features => "segmint features",
            Stage::Discover => "segmint discover",
            Stage::Profile => "segmint profile",
            Stage::Report => "segmint report",
            Stage::Assign => "segmint assign",
            Stage::Seeds => "segmint seeds",
            Stage::Score => "segmint score",
            Stage::Compare => "segmint compare",
            Stage::Holdout => "segmint holdout",
            Stage::Lift => "segmint lift",
        }
    }
}

/// One file to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Path relative to the output folder (or a full path for [`write_paths`]).
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Holds personal data (per-customer rows, contact identifiers): owner-only.
    pub private: bool,
    /// The stage that owns the file.
    pub stage: Stage,
}

impl Output {
    /// A file without personal data.
    pub fn shared(stage: Stage, path: impl Into<PathBuf>, bytes: Vec<u8>) -> Output {
        Output {
            path: path.into(),
            bytes,
            private: false,
            stage,
        }
    }

    /// A file with personal data (owner-only on unix).
    pub fn private(stage: Stage, path: impl Into<PathBuf>, bytes: Vec<u8>) -> Output {
        Output {
            path: path.into(),
            bytes,
            private: true,
            stage,
        }
    }
}

/// Who wrote a file of the folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The stage.
    pub stage: Stage,
    /// The run; `None` while the write is under way (or was interrupted).
    pub run_id: Option<RunId>,
}

/// The folder's marker: every file segmint wrote there.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    /// Layout version.
    pub schema_version: u32,
    /// File (relative path with `/`) → who wrote it.
    pub files: BTreeMap<String, Entry>,
}

impl Marker {
    /// Reads a folder's marker (empty when there is none).
    pub fn read(dir: &Path) -> Result<Marker> {
        let path = dir.join(MARKER);
        if !path.exists() {
            return Ok(Marker::default());
        }
        super::read_json(&path, "folder marker (.segmint)")
    }
}

/// The lock of a folder, released on drop.
#[derive(Debug)]
struct Lock {
    path: PathBuf,
}

impl Lock {
    fn take(dir: &Path) -> Result<Lock> {
        let path = dir.join(LOCK);
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = writeln!(f, "{}", std::process::id());
                    return Ok(Lock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = std::fs::read_to_string(&path).unwrap_or_default();
                    let pid = pid.trim();
                    if process_gone(pid) {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    return Err(Error::Data(format!(
                        "another segmint command (process {}) is writing to {}; wait for it to finish, or, if none is running, delete {}",
                        if pid.is_empty() { "?" } else { pid },
                        dir.display(),
                        path.display()
                    )));
                }
                Err(source) => return Err(Error::Io { path, source }),
            }
        }
        Err(Error::Data(format!(
            "cannot lock {}: delete {} if no segmint command is running",
            dir.display(),
            path.display()
        )))
    }
}

/// Whether the process that left a lock is gone (Linux: no `/proc/<pid>`; elsewhere never
/// assumed).
fn process_gone(pid: &str) -> bool {
    match pid.parse::<u32>() {
        Ok(p) => Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{p}")).exists(),
        Err(_) => false,
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename (no
/// ownership check: [`OutDir::write`] is the checked way). The file is flushed to the disk
/// before the rename, and on Unix the folder after it, so a file written after this one
/// returns is never on the disk without this one.
pub fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> Result<()> {
    let dir = parent_of(path);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let io = |source, path: &Path| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let result = (|| {
        let mut f = opts.open(&tmp).map_err(|e| io(e, &tmp))?;
        f.write_all(bytes).map_err(|e| io(e, &tmp))?;
        f.sync_all().map_err(|e| io(e, &tmp))?;
        drop(f);
        std::fs::rename(&tmp, path).map_err(|e| io(e, path))?;
        sync_folder(&dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Flushes a folder's entries (a rename in it) to the disk. Unix only: elsewhere a folder
/// cannot be opened as a file, and the rename is as durable as the system makes it. Where the
/// file system cannot flush a folder (some shared and virtual mounts refuse `fsync` on one,
/// a folder without read permission cannot be opened), the write stands as it did before
/// this flush existed, as PostgreSQL's `fsync_fname` does; a failed flush (an I/O error) is
/// an error.
pub fn sync_folder(dir: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Err(source) = std::fs::File::open(dir).and_then(|d| d.sync_all()) {
        if !folder_sync_unsupported(&source) {
            return Err(Error::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Whether an error of opening or flushing a folder says the file system does not do it
/// (EINVAL, ENOTSUP, EBADF, EACCES, EISDIR), rather than that the flush failed.
fn folder_sync_unsupported(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::{InvalidInput, IsADirectory, PermissionDenied, Unsupported};
    const EBADF: i32 = 9;
    matches!(
        e.kind(),
        InvalidInput | Unsupported | PermissionDenied | IsADirectory
    ) || e.raw_os_error() == Some(EBADF)
}

fn parent_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// An absolute, normalised path (symlinks of existing folders resolved), for comparing paths.
pub fn normalise(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    // Resolve the longest existing prefix (e.g. /tmp → /private/tmp), keep the rest.
    let mut rest = Vec::new();
    let mut base = out.clone();
    while !base.as_os_str().is_empty() {
        if let Ok(real) = std::fs::canonicalize(&base) {
            let mut p = real;
            for r in rest.iter().rev() {
                p.push(r);
            }
            return p;
        }
        match (base.file_name().map(|n| n.to_os_string()), base.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n);
                base = parent.to_path_buf();
            }
            _ => break,
        }
    }
    out
}

/// Checks a command's outputs against each other and against its inputs: two outputs never
/// share a path, no output is an input.
pub fn check_paths(paths: &[PathBuf], protected: &[PathBuf]) -> Result<()> {
    let mut seen: BTreeMap<PathBuf, &Path> = BTreeMap::new();
    for p in paths {
        let n = normalise(p);
        if let Some(first) = seen.insert(n.clone(), p) {
            return Err(Error::Data(format!(
                "two outputs of this command would be written to the same file {} ({} and {}): choose different paths",
                n.display(),
                first.display(),
                p.display()
            )));
        }
    }
    for input in protected {
        let n = normalise(input);
        if let Some(p) = seen.get(&n) {
            return Err(Error::Data(format!(
                "{} is an input of this run ({}); segmint never overwrites its inputs: choose another output path",
                p.display(),
                input.display()
            )));
        }
    }
    Ok(())
}

/// An output folder, locked while it is open.
#[derive(Debug)]
pub struct OutDir {
    dir: PathBuf,
    marker: Marker,
    protected: Vec<PathBuf>,
    legacy: bool,
    /// Whether `open` created the folder (then a command that fails before writing removes
    /// it again, so a failed run leaves nothing behind).
    created: bool,
    _lock: Lock,
}

impl Drop for OutDir {
    fn drop(&mut self) {
        if self.created && self.marker.files.is_empty() {
            // Only the lock is in it: the folder goes, the lock's own drop then finds nothing.
            let _ = std::fs::remove_file(self.dir.join(MARKER));
            let _ = std::fs::remove_file(&self._lock.path);
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

/// Whether `dir` was written by a segmint version before markers.
fn legacy_folder(dir: &Path) -> bool {
    if dir.join(MARKER).exists() {
        return false;
    }
    let manifest = std::fs::read_to_string(dir.join(super::names::MANIFEST)).unwrap_or_default();
    let old_manifest = serde_json::from_str::<serde_json::Value>(&manifest)
        .is_ok_and(|v| v.get("segmint_version").is_some() && v.get("schema_version").is_none());
    old_manifest || (dir.join("report.html").is_file() && dir.join("charts").is_dir())
}

impl OutDir {
    /// Creates (if needed) and locks `dir`. `protected` are the run's inputs (never
    /// overwritten).
    pub fn open(dir: &Path, protected: &[PathBuf]) -> Result<OutDir> {
        if dir.exists() && !dir.is_dir() {
            return Err(Error::Data(format!(
                "{} is a file, not a folder: choose a folder for the outputs",
                dir.display()
            )));
        }
        let created = !dir.exists();
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let lock = Lock::take(dir)?;
        let marker = Marker::read(dir)?;
        Ok(OutDir {
            dir: dir.to_path_buf(),
            marker,
            protected: protected.to_vec(),
            legacy: legacy_folder(dir),
            created,
            _lock: lock,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Checks that every output may be written (see the module contract), without writing.
    pub fn check(&self, files: &[Output]) -> Result<()> {
        let paths: Vec<PathBuf> = files.iter().map(|f| self.dir.join(&f.path)).collect();
        check_paths(&paths, &self.protected)?;
        for (f, path) in files.iter().zip(&paths) {
            if !path.exists() && path.symlink_metadata().is_err() {
                continue;
            }
            if path.is_dir() {
                return Err(Error::Data(format!(
                    "{} is a folder; segmint writes a file there: move it or choose another output folder",
                    path.display()
                )));
            }
            match self.marker.files.get(&key(&f.path)) {
                Some(e) if e.stage == f.stage => {}
                Some(e) => {
                    return Err(Error::Data(format!(
                        "{} was written by `{}`; `{}` does not overwrite it: choose another output path",
                        path.display(),
                        e.stage.command(),
                        f.stage.command()
                    )))
                }
                None if self.legacy => {}
                None => {
                    return Err(Error::Data(format!(
                        "{} exists and was not written by segmint; segmint does not overwrite it: move it or choose another output folder",
                        path.display()
                    )))
                }
            }
        }
        Ok(())
    }

    /// Checks, before any work, that the files a stage will write (by name) may be written:
    /// a command stops before it computes, not after.
    pub fn precheck(&self, stages: &[Stage]) -> Result<()> {
        let planned: Vec<Output> = stages
            .iter()
            .flat_map(|&stage| {
                planned_files(stage)
                    .iter()
                    .map(move |name| Output::shared(stage, *name, Vec::new()))
            })
            .collect();
        self.check(&planned)
    }

    /// Writes every file (each atomically) and records them in the marker with `run_id`.
    /// Returns the paths written.
    pub fn write(&mut self, run_id: &RunId, files: &[Output]) -> Result<Vec<PathBuf>> {
        self.check(files)?;
        self.retire_copies(files)?;
        for f in files {
            self.marker.files.insert(
                key(&f.path),
                Entry {
                    stage: f.stage,
                    run_id: None,
                },
            );
        }
        self.save_marker()?;
        self.legacy = false;
        let mut written = Vec::new();
        for f in files {
            let path = self.dir.join(&f.path);
            let parent = parent_of(&path);
            std::fs::create_dir_all(&parent).map_err(|source| Error::Io {
                path: parent.clone(),
                source,
            })?;
            write_atomic(&path, &f.bytes, f.private)?;
            written.push(path);
        }
        for f in files {
            self.marker.files.insert(
                key(&f.path),
                Entry {
                    stage: f.stage,
                    run_id: Some(run_id.clone()),
                },
            );
        }
        self.save_marker()?;
        Ok(written)
    }

    /// Removes the CSV copies ([`OPTIONAL_COPIES`]) a stage wrote before and leaves out of
    /// this write (`[output] csv_copies`): a copy of an earlier run beside the new tables would
    /// disagree with them. Only files the marker records as written by the same stage go.
    fn retire_copies(&mut self, files: &[Output]) -> Result<()> {
        let stages: std::collections::BTreeSet<Stage> = files.iter().map(|f| f.stage).collect();
        for stage in stages {
            for name in OPTIONAL_COPIES {
                let planned = planned_files(stage).contains(&name);
                let written = files.iter().any(|f| key(&f.path) == name);
                let ours = self
                    .marker
                    .files
                    .get(name)
                    .is_some_and(|e| e.stage == stage);
                if planned && !written && ours {
                    let path = self.dir.join(name);
                    match std::fs::remove_file(&path) {
                        Ok(()) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                        Err(source) => return Err(Error::Io { path, source }),
                    }
                    self.marker.files.remove(name);
                }
            }
        }
        Ok(())
    }

    fn save_marker(&mut self) -> Result<()> {
        self.marker.schema_version = SCHEMA_VERSION;
        let bytes = super::json(&self.marker)?;
        write_atomic(&self.dir.join(MARKER), &bytes, false)
    }
}

/// The CSV copies a stage may leave out (`[output] csv_copies`).
pub const OPTIONAL_COPIES: [&str; 2] = [super::names::ASSIGNMENTS_CSV, super::names::FLAGGED_CSV];

/// The files (by name) a stage writes into a run folder (lookalike vectors aside, whose names
/// follow the segments).
pub fn planned_files(stage: Stage) -> &'static [&'static str] {
    use super::names::*;
    match stage {
        Stage::Features => &[FEATURES, MATRIX, MANIFEST],
        Stage::Discover => &[
            ASSIGNMENTS,
            ASSIGNMENTS_CSV,
            CANDIDATES,
            CANDIDATES_CSV,
            MODEL,
        ],
        Stage::Assign => &[ASSIGNMENTS, ASSIGNMENTS_CSV],
        Stage::Profile => &[PROFILES, PROFILES_CSV, SEGMENTS, FLAGGED, FLAGGED_CSV],
        Stage::Report => &["report.html", "report.md", REPORT_JSON],
        Stage::Compare => &[
            "compare.json",
            "compare.md",
            "migration.csv",
            "migration.parquet",
            "migration_under_a_model.csv",
            "migration_under_a_model.parquet",
            "segments.csv",
            "segments.parquet",
            "migration.svg",
            "migration.png",
        ],
        Stage::Lift => &[
            "lift.json",
            "lift.csv",
            "lift.parquet",
            "lift.md",
            "lift.svg",
            "lift.png",
        ],
        Stage::Demo | Stage::Seeds | Stage::Score | Stage::Holdout => &[],
    }
}

/// The marker key of a relative path (`/`-separated).
fn key(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Writes files given by full paths (e.g. `seeds --out a.csv --exclusions b/c.csv`): checks
/// every path first, then writes each folder's files through its [`OutDir`].
pub fn write_paths(
    run_id: &RunId,
    files: &[Output],
    protected: &[PathBuf],
) -> Result<Vec<PathBuf>> {
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    check_paths(&paths, protected)?;
    let mut by_dir: BTreeMap<PathBuf, Vec<Output>> = BTreeMap::new();
    for f in files {
        let name = f.path.file_name().ok_or_else(|| {
            Error::Data(format!(
                "{} is not a file name: give a file path",
                f.path.display()
            ))
        })?;
        by_dir.entry(parent_of(&f.path)).or_default().push(Output {
            path: PathBuf::from(name),
            ..f.clone()
        });
    }
    let mut dirs = Vec::new();
    for (dir, files) in by_dir {
        let out = OutDir::open(&dir, protected)?;
        out.check(&files)?;
        dirs.push((out, files));
    }
    let mut written = Vec::new();
    for (mut out, files) in dirs {
        written.extend(out.write(run_id, &files)?);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> RunId {
        RunId(s.into())
    }

    /// A file system that does not flush folders leaves the write standing; an I/O error
    /// of the flush fails it (Linux error numbers).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_folder_flush_the_file_system_does_not_do_is_not_an_error() {
        let os = std::io::Error::from_raw_os_error;
        for (errno, what) in [
            (22, "EINVAL"),
            (95, "EOPNOTSUPP"),
            (9, "EBADF"),
            (13, "EACCES"),
            (21, "EISDIR"),
        ] {
            assert!(folder_sync_unsupported(&os(errno)), "{what}");
        }
        for (errno, what) in [(5, "EIO"), (28, "ENOSPC"), (122, "EDQUOT")] {
            assert!(!folder_sync_unsupported(&os(errno)), "{what}");
        }
        let dir = tempfile::tempdir().unwrap();
        sync_folder(dir.path()).unwrap();
        let missing = dir.path().join("gone");
        assert!(matches!(sync_folder(&missing), Err(Error::Io { .. })));
    }

    #[test]
    fn files_are_replaced_not_rewritten_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutDir::open(dir.path(), &[]).unwrap();
        out.write(
            &id("a"),
            &[Output::shared(Stage::Discover, "m.json", b"old".to_vec())],
        )
        .unwrap();
        // A hard link sees in-place writes; a rename leaves it on the old content.
        std::fs::hard_link(dir.path().join("m.json"), dir.path().join("link")).unwrap();
        out.write(
            &id("b"),
            &[Output::shared(Stage::Discover, "m.json", b"new".to_vec())],
        )
        .unwrap();
        assert_eq!(std::fs::read(dir.path().join("m.json")).unwrap(), b"new");
        assert_eq!(std::fs::read(dir.path().join("link")).unwrap(), b"old");
        let m = Marker::read(dir.path()).unwrap();
        assert_eq!(m.files["m.json"].run_id, Some(id("b")));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.contains(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }

    #[test]
    fn a_folder_is_locked_while_open() {
        let dir = tempfile::tempdir().unwrap();
        let first = OutDir::open(dir.path(), &[]).unwrap();
        let e = OutDir::open(dir.path(), &[]).unwrap_err().to_string();
        assert!(e.contains("another segmint command"), "{e}");
        drop(first);
        assert!(!dir.path().join(LOCK).exists());
        OutDir::open(dir.path(), &[]).unwrap();
    }

    #[test]
    fn a_lock_of_a_dead_process_is_taken_over() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        // Process ids wrap far below this value on Linux.
        std::fs::write(dir.path().join(LOCK), "4294967294\n").unwrap();
        OutDir::open(dir.path(), &[]).unwrap();
    }

    #[test]
    fn foreign_files_other_stages_and_inputs_are_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("profiles.csv"), "mine").unwrap();
        let mut out = OutDir::open(dir.path(), &[dir.path().join("input.csv")]).unwrap();
        let e = out
            .write(
                &id("a"),
                &[Output::shared(Stage::Profile, "profiles.csv", vec![])],
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("not written by segmint"), "{e}");
        assert_eq!(
            std::fs::read(dir.path().join("profiles.csv")).unwrap(),
            b"mine"
        );
        out.write(
            &id("a"),
            &[Output::shared(Stage::Discover, "a.csv", vec![1])],
        )
        .unwrap();
        let e = out
            .write(&id("a"), &[Output::shared(Stage::Score, "a.csv", vec![2])])
            .unwrap_err()
            .to_string();
        assert!(e.contains("written by `segmint discover`"), "{e}");
        let e = out
            .write(
                &id("a"),
                &[Output::shared(Stage::Score, "input.csv", vec![2])],
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("input of this run"), "{e}");
    }

    #[test]
    fn a_run_folder_of_an_older_segmint_is_adopted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("manifest.json"),
            r#"{"segmint_version": "0.1.0", "as_of": "2025-01-01"}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("model.json"), "{}").unwrap();
        let mut out = OutDir::open(dir.path(), &[]).unwrap();
        out.write(
            &id("a"),
            &[Output::shared(Stage::Discover, "model.json", vec![1])],
        )
        .unwrap();
        // Once it has a marker, the usual rules hold.
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let e = out
            .write(
                &id("a"),
                &[Output::shared(Stage::Discover, "notes.txt", vec![1])],
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("not written by segmint"), "{e}");
    }

    #[test]
    fn two_outputs_cannot_share_a_path() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("s.csv");
        let b = dir.path().join("x/../s.csv");
        let e = write_paths(
            &id("a"),
            &[
                Output::private(Stage::Seeds, a, vec![1]),
                Output::private(Stage::Seeds, b, vec![2]),
            ],
            &[],
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("same file"), "{e}");
        assert!(!dir.path().join("s.csv").exists(), "nothing written");
    }

    #[cfg(unix)]
    #[test]
    fn personal_data_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutDir::open(dir.path(), &[]).unwrap();
        out.write(
            &id("a"),
            &[
                Output::private(Stage::Seeds, "seed.csv", vec![1]),
                Output::shared(Stage::Seeds, "seed.summary.json", vec![2]),
            ],
        )
        .unwrap();
        let mode = |n: &str| {
            std::fs::metadata(dir.path().join(n))
                .unwrap()
                .permissions()
                .mode()
                & 0o777
        };
        assert_eq!(mode("seed.csv"), 0o600);
    }
}
