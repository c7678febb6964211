#!/usr/bin/env bash
# Hostile shops: planted shops from a generator written apart from segmint's own (not
# `segmint::truth`, not the demo), by someone who had not read them, with mappings drafted by
# `segmint init` and corrected by hand as a user would. Five shops: beauty (5 segments, German
# headers, `;` and decimal comma, returns table), home (4, transactions and Parquet profiles
# only), sports (8 with 10 % serial returners and seasonal gift buyers, events and a survey
# answered by 30 %), flat (no structure) and grocery (4, weekly orders, tab-separated, Dutch
# headers); each at realistic spread and at half of it (`--tight=0.5`).
#
#   [SEED_OFFSET=N] benches/unseen/run.sh [SEGMINT] [PYTHON]   # N: another draw, folders _sN
#
# SEGMINT defaults to target/release/segmint, PYTHON to the notebooks' venv (numpy + polars;
# `bash notebooks/setup.sh`). Writes target/unseen/, prints one line per shop: proposed k,
# ARI against the plant (unassigned as a class of its own; 0 on the one-population `flat`
# shop whatever is proposed), whether the proposal found clear structure (`verdict`), the
# serial returners' recall, purity and flag where planted, and the names.
set -euo pipefail
cd "$(dirname "$0")/../.."
SEGMINT=${1:-target/release/segmint}
PY=${2:-.venv-notebooks/bin/python}
OUT=target/unseen
mkdir -p "$OUT"
for tight in 1.0 0.5; do
  "$PY" benches/unseen/gen.py --tight=$tight "$OUT" beauty home sports flat grocery >/dev/null
done
printf '%-18s %3s %6s %-8s %-26s %s\n' shop k ARI verdict returners names
for dir in "$OUT"/*/; do
  shop=$(basename "$dir")
  base=${shop%%_*}  # beauty_tight0.5_s1 -> beauty
  cp "benches/unseen/mappings/$base.toml" "$dir/mapping.toml"
  rm -rf "$dir/out"
  "$SEGMINT" run --config "$dir/mapping.toml" --out "$dir/out" >/dev/null 2>"$dir/run.err" || {
    echo "$shop: segmint run failed (see $dir/run.err)"; continue; }
  ret=$([ "$base" = sports ] && echo serial_returner || echo "")
  "$PY" benches/unseen/evaluate.py "$dir" "$dir/out" $ret > "$dir/evaluate.txt"
  ari=$(sed -n 's/^ARI = //p' "$dir/evaluate.txt")
  k=$(grep -c "^  seg " "$dir/evaluate.txt" || true)
  r=$(sed -n 's/^returners -> seg [^ ]* (.*): recall \([0-9.]*\) purity \([0-9.]*\) flags=\(.*\)$/\1 \2 \3/p' "$dir/evaluate.txt")
  verdict=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["proposal"]["structure"]["verdict"])' "$dir/out/candidates.json")
  names=$(sed -n "s/^  seg [^:]*: '\(.*\)' flags=.*/\1/p" "$dir/evaluate.txt" | paste -sd'|' -)
  printf '%-18s %3s %6s %-8s %-26s %s\n' "$shop" "$k" "$ari" "$verdict" "${r:--}" "$names"
done
