#!/usr/bin/env bash
# The pooling benchmark (issue 14): `arwatch pool` over synthetic contributions of 1,000 and
# 10,000 portfolios (benches/pool/gen_contributions.py), wall time and peak memory.
#
#   benches/pool/run.sh [PORTFOLIOS...]      (default: 1000 10000)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${BENCH_WORK:-/tmp/arwatch-pool-bench}"
counts=("${@:-1000 10000}")
pip install -q polars numpy
cargo build --release --manifest-path "$repo/Cargo.toml"
mkdir -p "$work"
echo "portfolios contribution_rows input_mb wall_s cpu_s peak_mib debtors"
for n in ${counts[@]}; do
  dir="$work/contributions-$n"
  [ -d "$dir" ] || python "$here/gen_contributions.py" --portfolios "$n" --out "$dir" >/dev/null
  rows=$(python -c "import polars as pl; print(pl.scan_parquet('$dir/*/*/pool/contribution.parquet').select(pl.len()).collect().item())")
  mb=$(du -sm "$dir" | cut -f1)
  rm -rf "$work/out-$n"
  /usr/bin/time -f "%e %U %S %M" -o "$work/time-$n" "$repo/target/release/arwatch" pool -q "$dir" --out "$work/out-$n"
  read -r wall user sys kib < "$work/time-$n"
  debtors=$(($(wc -l < "$work/out-$n/2026-10/debtors.csv") - 1))
  printf '%s %s %s %s %.1f %d %s\n' "$n" "$rows" "$mb" "$wall" "$(echo "$user + $sys" | bc)" $((kib / 1024)) "$debtors"
done
