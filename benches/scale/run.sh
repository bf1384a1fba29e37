#!/usr/bin/env bash
# The end-to-end scale benchmark: arwatch beside DuckDB and polars on ../shared/bench's data.
#
#   benches/scale/run.sh [SIZES...]      (default: 1m 10m)
#
# Copies ../shared/bench to a scratch folder (shared/ stays read-only), generates the data,
# builds arwatch in release mode and runs bench.py with arwatch added through --cmd.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/arwatch-bench}"
sizes=("${@:-1m 10m}")
pip install -q duckdb polars pyarrow pandas
cargo build --release --manifest-path "$repo/Cargo.toml"
mkdir -p "$work"
cp -r "$repo/../shared/bench/." "$work/"
cd "$work"
for s in ${sizes[@]}; do
  [ -f "data/$s/invoices.csv" ] || python gen_scale.py "$s"
  cp "$here/arwatch.toml" "data/$s/arwatch.toml"
done
python bench.py --sizes ${sizes[@]} --engines cat duckdb polars \
  --cmd "arwatch=$repo/target/release/arwatch run -q --config {data}/arwatch.toml --out {out}"
for s in ${sizes[@]}; do
  python "$here/compare_rounded.py" "out/duckdb-$s" "out/arwatch-$s/2026-10/data"
done
