#!/usr/bin/env bash
# The scale benchmark (issue 16): generates demo shops of the given sizes and runs
# `segmint run` on each under /usr/bin/time -v; prints wall time, peak RSS and the time of every
# stage, and the ratio of the largest to the smallest shop.
#
#   benches/scale.sh                   # 100k customers
#   benches/scale.sh 100000 1000000    # 100k and 1M customers (1M: ~100M events, ~6 GB CSV)
#
# Environment: FACTOR (browsing sessions per customer × FACTOR, default 3: ~100 events per
# customer), SEED (default 42), DATA (where the shops go, default target/scale), THREADS
# (segmint --threads, default all cores), BUILD=0 to skip the release build, BIN and GEN (the
# segmint and scale_shop binaries, default target/release/...).
# BASELINES=1 also runs the analyst baselines benches/baseline_pandas.py and
# benches/baseline_polars.py (pandas / polars + scikit-learn: the same input files, 43 features,
# KMeans k 2..12 and one DBSCAN) on every shop under /usr/bin/time -v, with the python of
# VENV (default /work/venv-bench, made from benches/requirements-baseline.txt), and adds their
# wall time and peak RSS to the summary table.
# A shop is generated once and reused while its size, factor and seed stay the same.
set -euo pipefail
cd "$(dirname "$0")/.."
FACTOR=${FACTOR:-3}
SEED=${SEED:-42}
DATA=${DATA:-target/scale}
SIZES=("$@")
[ ${#SIZES[@]} -eq 0 ] && SIZES=(100000)

if [ "${BUILD:-1}" != 0 ]; then
  nice cargo build --release --bin segmint --example scale_shop
fi
BIN=${BIN:-target/release/segmint}
GEN=${GEN:-target/release/examples/scale_shop}
VENV=${VENV:-/work/venv-bench}
baselines=()
if [ "${BASELINES:-0}" = 1 ]; then
  if [ -x "$VENV/bin/python" ]; then
    baselines=(pandas polars)
  else
    echo "BASELINES=1 but $VENV/bin/python is missing: baselines skipped" >&2
  fi
fi
threads=()
[ -n "${THREADS:-}" ] && threads=(--threads "$THREADS")

summary=()
for n in "${SIZES[@]}"; do
  dir="$DATA/shop-$n"
  stamp="customers=$n factor=$FACTOR seed=$SEED"
  if [ ! -f "$dir/params" ] || [ "$(cat "$dir/params")" != "$stamp" ]; then
    rm -rf "$dir"
    echo "== generating $dir ($stamp)"
    /usr/bin/time -f "   generator: %e s wall, %M KB peak RSS" \
      "$GEN" "$dir" --customers "$n" --sessions-factor "$FACTOR" --seed "$SEED"
    echo "$stamp" > "$dir/params"
  fi
  input_mb=$(du -cm "$dir"/*.csv | tail -1 | cut -f1)
  events=$(( $(wc -l < "$dir/events.csv") - 1 ))
  rm -rf "$dir/out"
  echo "== segmint run on $dir ($n customers, $events events, $input_mb MB of CSV)"
  /usr/bin/time -v -o "$dir/time.log" "$BIN" run --config "$dir/mapping.toml" --out "$dir/out" \
    --quiet --timings "${threads[@]}" > "$dir/run.log" 2> "$dir/stages.log"
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time.log")
  secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time.log")
  rss_mb=$(( rss_kb / 1024 ))
  report_kb=$(du -sk "$dir/out/report" | cut -f1)
  out_mb=$(du -sm "$dir/out" | cut -f1)
  sed 's/^stage /   /' "$dir/stages.log"
  echo "   wall $secs s, peak RSS $rss_mb MB, outputs $out_mb MB (report $report_kb KB)"
  row="$n $events $input_mb $secs $rss_mb"
  for lib in "${baselines[@]}"; do
    rm -rf "$dir/baseline-$lib"
    echo "== $lib + scikit-learn baseline on $dir"
    if /usr/bin/time -v -o "$dir/time-$lib.log" "$VENV/bin/python" "benches/baseline_$lib.py" \
      "$dir" "$dir/baseline-$lib" 2> "$dir/baseline-$lib.log"; then
      bwall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time-$lib.log")
      bsecs=$(echo "$bwall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
      brss_mb=$(( $(awk -F': ' '/Maximum resident set size/ {print $2}' "$dir/time-$lib.log") / 1024 ))
      sed -n -e 's/^step /   /p' -e 's/^\(best k\|dbscan\)/   \1/p' "$dir/baseline-$lib.log"
      echo "   wall $bsecs s, peak RSS $brss_mb MB"
      row+=" $bsecs $brss_mb"
    else
      echo "   $lib baseline failed: see $dir/baseline-$lib.log"
      row+=" - -"
    fi
  done
  summary+=("$row")
done

echo
head="| customers | events | CSV (MB) | wall (s) | peak RSS (MB) |"
rule="|---:|---:|---:|---:|---:|"
for lib in "${baselines[@]}"; do
  head+=" $lib wall (s) | $lib RSS (MB) |"
  rule+="---:|---:|"
done
echo "$head"
echo "$rule"
for row in "${summary[@]}"; do
  read -r n ev mb s r rest <<< "$row"
  line="| $n | $ev | $mb | $s | $r |"
  for v in $rest; do line+=" $v |"; done
  echo "$line"
done
if [ ${#summary[@]} -ge 2 ]; then
  read -r n0 ev0 _ s0 r0 _ <<< "${summary[0]}"
  read -r n1 ev1 _ s1 r1 _ <<< "${summary[${#summary[@]}-1]}"
  awk -v n0="$n0" -v n1="$n1" -v e0="$ev0" -v e1="$ev1" -v s0="$s0" -v s1="$s1" -v r0="$r0" -v r1="$r1" \
    'BEGIN { printf "\n%s/%s customers: %.1fx customers, %.1fx events, %.1fx time, %.1fx peak RSS\n", n1, n0, n1/n0, e1/e0, s1/s0, r1/r0 }'
fi
