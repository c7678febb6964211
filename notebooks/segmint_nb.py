"""What the notebooks share: where the repo, the `segmint` binary and the work folder are, a
runner for the binary, and a reader for the summary it prints.

The notebooks import it from their own folder (Jupyter starts the kernel there). Environment
variables, all optional:

* ``SEGMINT_BIN``: the segmint binary. Else ``segmint`` on PATH, else the repo's
  ``target/release/segmint``, else ``target/debug/segmint``.
* ``SEGMINT_REPO``: the repo root (for ``data/sample/``). Else the first folder upwards from the
  current one that holds ``data/sample/mapping.toml``.
* ``SEGMINT_WORK``: where the notebooks write. Else ``notebooks/_work/`` (gitignored).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path


def repo_root() -> Path:
    """The segmint repo: ``$SEGMINT_REPO``, else found upwards from the current folder."""
    env = os.environ.get("SEGMINT_REPO")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for d in [here, *here.parents]:
        if (d / "data" / "sample" / "mapping.toml").is_file():
            return d
    raise FileNotFoundError(
        f"no segmint repo above {here}: set SEGMINT_REPO to the folder holding data/sample/"
    )


def binary() -> str:
    """The segmint binary: ``$SEGMINT_BIN``, ``segmint`` on PATH, or the repo's own build."""
    env = os.environ.get("SEGMINT_BIN")
    if env:
        if not Path(env).is_file():
            raise FileNotFoundError(f"SEGMINT_BIN={env} is not a file")
        return env
    on_path = shutil.which("segmint")
    if on_path:
        return on_path
    for profile in ("release", "debug"):
        built = repo_root() / "target" / profile / "segmint"
        if built.is_file():
            return str(built)
    raise FileNotFoundError(
        "no segmint binary: set SEGMINT_BIN, put segmint on PATH, "
        "or build it in the repo with `cargo build --release`"
    )


def work_dir(name: str) -> Path:
    """An empty folder ``name`` under ``$SEGMINT_WORK`` (else ``notebooks/_work/``)."""
    env = os.environ.get("SEGMINT_WORK")
    base = Path(env) if env else repo_root() / "notebooks" / "_work"
    d = (base / name).resolve()
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    return d


class SegmintError(subprocess.CalledProcessError):
    """A failed segmint run; its message is segmint's own (file, line, column, value...)."""

    def __str__(self) -> str:
        args = " ".join(str(a) for a in self.cmd[1:])
        return f"`segmint {args}` exited with {self.returncode}:\n{self.stderr.strip()}"


def segmint(*args, echo: bool = True) -> subprocess.CompletedProcess:
    """Runs ``segmint ARGS...`` and returns the finished process (``.stdout`` is its summary).

    Prints what segmint printed unless ``echo=False``. A failure raises :class:`SegmintError`
    (a ``subprocess.CalledProcessError``) carrying segmint's error message.
    """
    cmd = [binary(), *(str(a) for a in args)]
    try:
        done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as e:
        raise SegmintError(e.returncode, e.cmd, e.stdout, e.stderr) from None
    if echo:
        print(done.stdout, end="")
    return done


def run_summary(stdout: str) -> dict:
    """The numbers a ``features`` / ``discover`` / ``run`` / ``demo`` run printed.

    Keys: ``tables`` (table → ``{"read", "used", "skipped": {reason: rows}}``), ``customers``,
    ``features``, ``matrix`` (rows, columns), ``as_of``; after a discover also ``chosen``
    (the proposal's candidate id), ``segments`` (segment number → customers) and
    ``unassigned``.
    """
    out: dict = {"tables": {}, "segments": {}, "unassigned": 0}
    table = None
    for line in stdout.splitlines():
        if m := re.match(r"^(\w+)\s+(\d+) rows read,\s+(\d+) used\s", line):
            table = m.group(1)
            out["tables"][table] = {
                "read": int(m.group(2)),
                "used": int(m.group(3)),
                "skipped": {},
            }
        elif m := re.match(r"^\s+(\d+) skipped: (.+)$", line):
            out["tables"][table]["skipped"][m.group(2)] = int(m.group(1))
        elif m := re.match(
            r"^(\d+) customers, (\d+) features, matrix (\d+) × (\d+) \(as_of ([\d-]+)\)$", line
        ):
            out["customers"] = int(m.group(1))
            out["features"] = int(m.group(2))
            out["matrix"] = (int(m.group(3)), int(m.group(4)))
            out["as_of"] = m.group(5)
        elif m := re.match(r"^\d+ candidates; proposal: (\S+) — ", line):
            out["chosen"] = m.group(1)
        elif m := re.match(r"^\s+segment\s+(\d+):\s+(\d+) customers", line):
            out["segments"][int(m.group(1))] = int(m.group(2))
        elif m := re.match(r"^\s+unassigned: (\d+) customers", line):
            out["unassigned"] = int(m.group(1))
    if "customers" not in out:
        raise ValueError("no run summary in segmint's output:\n" + stdout)
    return out
