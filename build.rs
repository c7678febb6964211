//! Marks the tests whose tools are missing on this machine as ignored (with the reason, so the
//! skip shows in `cargo test`'s summary), unless `CI` is set: CI must run them, and they fail
//! there with a how-to when the tool is missing.
//!
//! After installing Chromium or creating the notebooks' venv, set `SEGMINT_CHROMIUM` /
//! `SEGMINT_NOTEBOOK_PYTHON`, or `touch build.rs`, so that this runs again.

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for v in ["CI", "SEGMINT_CHROMIUM", "SEGMINT_NOTEBOOK_PYTHON"] {
        println!("cargo:rerun-if-env-changed={v}");
    }
    println!("cargo::rustc-check-cfg=cfg(segmint_no_chromium)");
    println!("cargo::rustc-check-cfg=cfg(segmint_no_notebook_python)");
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    if ci {
        return;
    }
    let chromium = std::env::var_os("SEGMINT_CHROMIUM").is_some()
        || [
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
        ]
        .iter()
        .any(|p| Path::new(p).exists());
    if !chromium {
        println!("cargo:rustc-cfg=segmint_no_chromium");
    }
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let python = std::env::var_os("SEGMINT_NOTEBOOK_PYTHON").is_some()
        || root.join(".venv-notebooks/bin/python").is_file();
    if !python {
        println!("cargo:rustc-cfg=segmint_no_notebook_python");
    }
}
