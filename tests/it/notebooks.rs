//! The analysts' notebooks (`notebooks/*.ipynb`): committed without outputs, and executed top to
//! bottom, headless, against the binary this test run built.
//!
//! Execution needs the notebooks' Python environment: `.venv-notebooks/` at the repo root (made
//! by `bash notebooks/setup.sh`, which `.ci/run` calls), or a Python named by
//! `SEGMINT_NOTEBOOK_PYTHON` that has `notebooks/requirements.txt` installed. Without it the
//! execution test is ignored with that reason (see `build.rs`), except under CI (`CI` set),
//! where it runs and fails with the how-to: CI must run the notebooks. Every `notebooks/*.ipynb` is picked up; a new notebook needs no
//! change here.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const SETUP: &str = "bash notebooks/setup.sh";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The notebooks, by name.
fn notebooks() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(repo().join("notebooks"))
        .expect("notebooks/")
        .map(|e| e.expect("notebooks/ entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ipynb"))
        .collect();
    found.sort();
    assert!(
        found.len() >= 3,
        "expected at least the notebooks 01-03 in notebooks/, found {found:?}"
    );
    found
}

fn name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Why a committed notebook is not clean (outputs, execution counts, another kernel), if it is
/// not.
fn problems(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read notebook");
    let nb: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => return vec![format!("not JSON: {e}")],
    };
    let mut found = Vec::new();
    if nb["nbformat"] != 4 {
        found.push(format!("nbformat is {}, not 4", nb["nbformat"]));
    }
    let kernel = &nb["metadata"]["kernelspec"]["name"];
    if kernel != "python3" {
        found.push(format!(
            "kernel {kernel}, not \"python3\" (the one notebooks/setup.sh registers)"
        ));
    }
    let Some(cells) = nb["cells"].as_array() else {
        found.push("no cells".into());
        return found;
    };
    for (i, cell) in cells.iter().enumerate() {
        if cell["cell_type"] != "code" {
            continue;
        }
        match cell["outputs"].as_array() {
            Some(o) if o.is_empty() => {}
            Some(o) => found.push(format!("cell {i} has {} output(s)", o.len())),
            None => found.push(format!("cell {i} has no \"outputs\" list")),
        }
        if !cell["execution_count"].is_null() {
            found.push(format!(
                "cell {i} has execution count {}",
                cell["execution_count"]
            ));
        }
    }
    if cells.iter().all(|c| c["cell_type"] != "code") {
        found.push("no code cell".into());
    }
    found
}

#[test]
fn notebooks_are_committed_without_outputs() {
    let dirty: Vec<String> = notebooks()
        .iter()
        .filter_map(|nb| {
            let p = problems(nb);
            (!p.is_empty()).then(|| format!("{}: {}", name(nb), p.join("; ")))
        })
        .collect();
    assert!(
        dirty.is_empty(),
        "commit notebooks without outputs (in Jupyter: Edit → Clear Outputs of All Cells, then \
         save):\n{}",
        dirty.join("\n")
    );
}

#[test]
fn the_clean_check_catches_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.ipynb");
    let nb = serde_json::json!({
        "nbformat": 4, "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# x"},
            {"cell_type": "code", "id": "b", "metadata": {}, "source": "1", "execution_count": 3,
             "outputs": [{"output_type": "execute_result", "execution_count": 3, "metadata": {},
                          "data": {"text/plain": "1"}}]},
        ],
    });
    std::fs::write(&path, nb.to_string()).unwrap();
    assert_eq!(
        problems(&path),
        ["cell 1 has 1 output(s)", "cell 1 has execution count 3"]
    );
}

/// The Python that runs the notebooks, or why there is none.
fn python() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("SEGMINT_NOTEBOOK_PYTHON") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "SEGMINT_NOTEBOOK_PYTHON={} is not a file",
                p.display()
            ))
        };
    }
    let venv = repo().join(".venv-notebooks/bin/python");
    if venv.is_file() {
        Ok(venv)
    } else {
        Err(format!("{} does not exist", venv.display()))
    }
}

/// A line on stderr that the test harness does not capture, so that a plain `cargo test` shows
/// it (the skip notice, the time of each notebook).
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "notebooks: {line}");
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// Text without the terminal colour codes IPython puts into tracebacks.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Executes one notebook with `jupyter execute` (nbclient); Err holds the failing cell and its
/// traceback.
fn execute(python: &Path, nb: &Path) -> Result<Duration, String> {
    let work = tempfile::tempdir().expect("temp dir");
    let start = Instant::now();
    let out = Command::new(python)
        .args([
            "-m",
            "jupyter",
            "execute",
            "--timeout=300",
            "--startup_timeout=120",
        ])
        .arg(nb)
        .current_dir(repo().join("notebooks"))
        .env("SEGMINT_BIN", env!("CARGO_BIN_EXE_segmint"))
        .env("SEGMINT_REPO", repo())
        .env("SEGMINT_WORK", work.path())
        // The venv's own `python3` kernel, before any registered for the user.
        .env("JUPYTER_PREFER_ENV_PATH", "1")
        .env("JUPYTER_RUNTIME_DIR", work.path().join("jupyter-runtime"))
        .env("PYDEVD_DISABLE_FILE_VALIDATION", "1")
        .output()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    let took = start.elapsed();
    if out.status.success() {
        return Ok(took);
    }
    let log = strip_ansi(&format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ));
    // nbclient's report starts with the failing cell; the launcher's own traceback before it
    // says nothing about the notebook.
    let report = log
        .find("An error occurred while executing the following cell")
        .map_or(log.as_str(), |at| &log[at..]);
    Err(format!(
        "{} failed after {:.1} s ({}):\n{}",
        name(nb),
        took.as_secs_f64(),
        out.status,
        report.trim_end()
    ))
}

#[test]
#[cfg_attr(
    segmint_no_notebook_python,
    ignore = "no notebook venv when built: run `bash notebooks/setup.sh` (or set SEGMINT_NOTEBOOK_PYTHON), then `touch build.rs`"
)]
fn notebooks_execute_top_to_bottom_on_the_sample_data() {
    let python = match python() {
        Ok(p) => p,
        Err(why) if in_ci() => panic!(
            "CI must execute the notebooks, but {why}: .ci/run should have run `{SETUP}` first"
        ),
        Err(why) => {
            say(&format!(
                "SKIPPED executing the notebooks: {why}.\n\
                 Create their environment with `{SETUP}` (a venv in .venv-notebooks/ with \
                 notebooks/requirements.txt), or set SEGMINT_NOTEBOOK_PYTHON to a Python that \
                 has it; then `touch build.rs` and run `cargo test --test it notebooks` again."
            ));
            return;
        }
    };
    let nbs = notebooks();
    // All at once: a kernel mostly waits for segmint, which uses every core it gets.
    let results: Vec<(String, Result<Duration, String>)> = std::thread::scope(|s| {
        let handles: Vec<_> = nbs
            .iter()
            .map(|nb| s.spawn(|| (name(nb), execute(&python, nb))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut failures = Vec::new();
    for (nb, result) in results {
        match result {
            Ok(took) => say(&format!("{nb}: executed in {:.1} s", took.as_secs_f64())),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
