#!/usr/bin/env bash
# Creates (or updates) .venv-notebooks/ at the repo root with what the notebooks need, pinned in
# notebooks/requirements.txt, and registers the venv's own Python kernel (`python3`) inside it.
#
#   bash notebooks/setup.sh          # what CI and `cargo test --test it notebooks` need
#   bash notebooks/setup.sh --lab    # also JupyterLab, to open the notebooks in a browser
#
# Idempotent and quiet: a second run with unchanged requirements does nothing. The Python used
# to create the venv is $PYTHON, else python3 (3.11 or newer).
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-notebooks
reqs=notebooks/requirements.txt
if [ "${1:-}" = "--lab" ]; then
    reqs=notebooks/requirements-lab.txt
elif [ -n "${1:-}" ]; then
    echo "usage: bash notebooks/setup.sh [--lab]" >&2
    exit 2
fi
stamp=$venv/.installed-$(basename "$reqs")

# Up to date: the requirements installed last time are the ones asked for now.
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] \
    && cat notebooks/requirements*.txt | cmp -s - "$stamp"; then
    exit 0
fi

python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$reqs"
# The kernel the notebooks name (`python3`) is this venv's Python, whatever else is installed.
"$venv/bin/python" -m ipykernel install --sys-prefix --name python3 \
    --display-name "Python 3 (segmint notebooks)" >/dev/null
rm -f "$venv"/.installed-*
cat notebooks/requirements*.txt >"$stamp"
echo "notebooks: $venv ready ($("$venv/bin/python" --version), $reqs)"
