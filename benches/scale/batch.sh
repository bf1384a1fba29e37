#!/usr/bin/env bash
# The batch benchmark (issue 13): 1,000 portfolios of about 10,000 invoices each, the 10M
# benchmark's clients dealt out over 1,000 creditors, through `arwatch batch` against the same
# runs one by one, and the same 10 million invoices as one portfolio.
#
#   benches/scale/batch.sh [PORTFOLIOS]      (default: 1000)
#
# Prints wall time, CPU time (user + system, children included) and peak memory: the largest
# sum of the resident memory of all arwatch processes at once, sampled every 0.1 s (a batch
# runs several at once, which /usr/bin/time's per-process maximum would not show).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/arwatch-bench}"
n="${1:-1000}"
bin="$repo/target/release/arwatch"
pip install -q polars numpy
cargo build --release --manifest-path "$repo/Cargo.toml"
mkdir -p "$work"
cp -r "$repo/../shared/bench/." "$work/"
cd "$work"
[ -f data/10m/invoices.csv ] || python gen_scale.py 10m
cp "$here/arwatch.toml" data/10m/arwatch.toml
b="batch-$n"
[ -f "$b/manifest.toml" ] || python "$here/split_portfolios.py" data/10m "$n" "$b"

# measure LABEL COMMAND...: one line "LABEL wall_s cpu_s peak_mib".
measure() {
  local label="$1"; shift
  local peak_file; peak_file="$(mktemp)"
  # ps fails while no arwatch runs (between two portfolios): that is a sum of zero.
  ( set +e +o pipefail
    peak=0
    while true; do
      rss=$(ps -C arwatch -o rss= 2>/dev/null | awk '{s += $1} END {print s + 0}')
      [ "$rss" -gt "$peak" ] && peak=$rss && echo "$peak" > "$peak_file"
      sleep 0.1
    done ) &
  local sampler=$!
  local times; times="$(mktemp)"
  /usr/bin/time -f "%e %U %S" -o "$times" "$@" > /dev/null
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  read -r wall user sys < "$times"
  local peak_kib; peak_kib="$(cat "$peak_file" 2>/dev/null || echo 0)"
  printf '%s %s %.1f %d\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" $((peak_kib / 1024))
  rm -f "$peak_file" "$times"
}

# The same runs one by one, as a loop in a script would do them (exit 3: rows rejected within
# the threshold, still a month written).
one_by_one() {
  for c in "$b"/p*/arwatch.toml; do
    p="$(basename "$(dirname "$c")")"
    "$bin" run -q --config "$c" --out "$b/one-by-one/$p" || [ $? -eq 3 ] || exit 1
  done
}
export -f one_by_one
export b bin

rm -rf "$b/runs" "$b/one-by-one" out/arwatch-10m-single
echo "label wall_s cpu_s peak_mib"
measure one-by-one bash -c one_by_one
measure batch "$bin" batch "$b/manifest.toml" --force
measure batch-unchanged "$bin" batch "$b/manifest.toml"
measure single-10m "$bin" run -q --config data/10m/arwatch.toml --out out/arwatch-10m-single
# The batch and the one-by-one runs wrote the same data files.
if diff -r -q -x batch-state.json -x history -x summary.json "$b/runs" "$b/one-by-one" \
  | grep -v -e '^Only in [^:]*runs: batch-summary' ; then
  echo "the batch and the one-by-one runs differ (above)"; exit 1
fi
echo "the batch wrote the same data files as the one-by-one runs"
