#!/usr/bin/env bash
# The Windows check: builds arwatch.exe for x86_64-pc-windows-gnu on this Linux machine and runs
# it under Wine beside the Linux build of the same commit, on the same inputs. The data files
# must be byte-identical; the workbook's parts and the PDF's text too; a failed run, a re-run,
# a crash in the middle of putting a month in place, locks, Windows paths, files held open by
# "Excel", long paths, the console and the drop-a-file path are each checked on the real target.
#
#   scripts/windows-check.sh              the dev profile (as the tests), building what is missing
#   scripts/windows-check.sh --release    the release binaries (as scripts/release.sh ships them)
#
# What it needs (installed when missing and the machine allows: CI does): the Rust target
# x86_64-pc-windows-gnu, Debian's gcc-mingw-w64-x86-64 and wine, poppler-utils, unzip. When one
# cannot be had it says "windows check: SKIPPED" and why, and exits 0.
#
# Wine 8 lacks bcryptprimitives.dll (Windows 10 and later have it; Rust's standard library needs
# its ProcessPrng): tests/windows/bcryptprimitives.c is a stand-in built here and put in the
# test's own Wine prefix, never beside the program and never in an archive.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=x86_64-pc-windows-gnu
PROFILE=debug
CARGO_PROFILE=()
if [ "${1:-}" = "--release" ]; then
  PROFILE=release
  CARGO_PROFILE=(--release)
fi

skip() {
  echo "windows check: SKIPPED: $*"
  exit 0
}

# --- what it needs --------------------------------------------------------------------------
apt_install() {
  [ "$(id -u)" = 0 ] || return 1
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@") >/dev/null 2>&1
}
apt_install_full() { # with the recommended packages, as Wine was tested here
  [ "$(id -u)" = 0 ] || return 1
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@") >/dev/null 2>&1
}
if ! rustup target list --installed 2>/dev/null | grep -qx "$TARGET"; then
  rustup target add "$TARGET" >/dev/null 2>&1 || skip "the Rust target $TARGET cannot be installed here (rustup target add $TARGET failed)"
fi
command -v x86_64-w64-mingw32-gcc >/dev/null || apt_install gcc-mingw-w64-x86-64 \
  || skip "no mingw linker (Debian's gcc-mingw-w64-x86-64 cannot be installed here)"
command -v wine >/dev/null || apt_install_full wine wine64 || skip "no Wine (Debian's wine cannot be installed here)"
command -v pdftotext >/dev/null || apt_install poppler-utils || skip "no pdftotext (poppler-utils)"
command -v unzip >/dev/null || apt_install unzip || skip "no unzip"

# --- the two builds ---------------------------------------------------------------------------
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
echo "windows check: building arwatch for Linux and for Windows ($PROFILE)"
if [ $PROFILE = debug ]; then
  # The binary `cargo test` builds (dev-dependencies unify features differently: a plain
  # `cargo build` would compile polars once more).
  cargo test --locked --no-run >/dev/null 2>&1 || cargo test --locked --no-run || exit 1
else
  cargo build --locked --release --bin arwatch || exit 1
fi
cargo build --locked "${CARGO_PROFILE[@]}" --bin arwatch --target "$TARGET" || exit 1
LEXE=$ROOT/target/$PROFILE/arwatch
WEXE=$ROOT/target/$TARGET/$PROFILE/arwatch.exe

W=$ROOT/target/windows-check
rm -rf "$W"
mkdir -p "$W/tools" "$W/linux" "$W/windows"
x86_64-w64-mingw32-gcc -shared -O2 -o "$W/tools/bcryptprimitives.dll" tests/windows/bcryptprimitives.c -ladvapi32 || exit 1
x86_64-w64-mingw32-gcc -municode -O2 -o "$W/tools/hold_open.exe" tests/windows/hold_open.c || exit 1

export WINEPREFIX=$W/wineprefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=" ARWATCH_NO_OPEN=1
wineboot -i >/dev/null 2>&1
cp "$W/tools/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
# Wine names a Linux path Z:\ and backslashes.
winpath() { echo "Z:${1//\//\\}"; }

PASSED=0
FAILED=0
ok() {
  echo "ok - $1"
  PASSED=$((PASSED + 1))
}
fail() {
  echo "FAIL - $1"
  FAILED=$((FAILED + 1))
}
check() { # check NAME COMMAND...: passes when the command succeeds
  local name=$1
  shift
  if "$@"; then ok "$name"; else fail "$name"; fi
}
# Runs arwatch in a folder: wrun/lrun DIR ARGS...; sets RC, OUT (stdout) and ERR (stderr).
wrun() {
  local dir=$1
  shift
  (cd "$dir" && wine "$WEXE" "$@" >"$W/out.txt" 2>"$W/err.txt" </dev/null)
  RC=$?
  OUT=$(cat "$W/out.txt")
  ERR=$(cat "$W/err.txt")
}
lrun() {
  local dir=$1
  shift
  (cd "$dir" && "$LEXE" "$@" >"$W/out.txt" 2>"$W/err.txt" </dev/null)
  RC=$?
  OUT=$(cat "$W/out.txt")
  ERR=$(cat "$W/err.txt")
}
same_tree() { # the same files, byte for byte
  diff -r "$1" "$2" >"$W/diff.txt" 2>&1 || { head -20 "$W/diff.txt"; return 1; }
}
no_leftovers() { # nothing of an interrupted run is left under a reports root
  ! ls -a "$1" | grep -q '^\.arwatch-' && [ ! -e "$1/.arwatch.lock" ]
}
# The workbook's parts, less the creation time in docProps/core.xml.
same_workbook() {
  rm -rf "$W/xa" "$W/xb"
  unzip -q -o "$1" -d "$W/xa" && unzip -q -o "$2" -d "$W/xb" && rm -f "$W/xa/docProps/core.xml" "$W/xb/docProps/core.xml" \
    && same_tree "$W/xa" "$W/xb"
}
same_pdf_text() { # the same text, and the first page renders
  [ -s "$2" ] || return 1
  diff <(pdftotext -layout "$1" -) <(pdftotext -layout "$2" -) >/dev/null || return 1
  rm -f "$W"/page*.png
  pdftoppm -r 20 -f 1 -l 1 -png "$2" "$W/page" && ls "$W"/page*.png >/dev/null 2>&1
}
# Starts hold_open.exe on a file (as Excel holds what it shows) and waits until it holds it.
hold() {
  rm -f "$W/held.pid" "$W/stop"
  (wine "$W/tools/hold_open.exe" "$(winpath "$1")" "$(winpath "$W/held.pid")" "$(winpath "$W/stop")" >/dev/null 2>&1 &)
  for _ in $(seq 100); do [ -s "$W/held.pid" ] && return 0; sleep 0.1; done
  return 1
}
release() {
  touch "$W/stop"
  sleep 1
}

# --- the README pipeline on sample_data ----------------------------------------------------------
for side in linux windows; do cp -r sample_data "$W/$side/sample_data"; done
lrun "$W/linux" run --config sample_data/arwatch.toml
LRC=$RC
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
check "sample: the same exit code ($LRC) on Windows" [ "$RC" = "$LRC" ]
M=reports/2026-10
check "sample: the data files are byte-identical" same_tree "$W/linux/$M/data" "$W/windows/$M/data"
check "sample: the same files, dossiers included (names Windows accepts)" \
  diff <(cd "$W/linux/$M" && find . -type f | sort) <(cd "$W/windows/$M" && find . -type f | sort)
check "sample: the workbook is written and its parts are identical" same_workbook "$W/linux/$M/arwatch-2026-10.xlsx" "$W/windows/$M/arwatch-2026-10.xlsx"
check "sample: the PDF report is written and reads back the same" same_pdf_text "$W/linux/$M/arwatch-2026-10.pdf" "$W/windows/$M/arwatch-2026-10.pdf"
cp -r "$W/windows/$M" "$W/good"
# arwatch map prints arrows and the columns' first values (the clients' names, with accents).
wrun "$W/windows" map 'sample_data\csv\facturen.csv' --out mapped
cp "$W/out.txt" "$W/map-windows.txt"
lrun "$W/linux" map sample_data/csv/facturen.csv --out mapped
check "console: UTF-8 with its accents and arrows, as on Linux" bash -c "iconv -f UTF-8 -t UTF-8 '$W/map-windows.txt' >/dev/null \
  && grep -q '←' '$W/map-windows.txt' && diff <(tr '\\\\' / <'$W/map-windows.txt') '$W/out.txt' >/dev/null"

# --- dossiers of clients whose ids Windows would refuse as file names -----------------------------
for side in linux windows; do
  mkdir -p "$W/$side/ids"
  printf 'Klant;Nr;Datum;Verval;Bedrag\nA/1;F1;01/10/2024;01/11/2024;100,00\nA.1;F2;01/10/2024;01/11/2024;200,00\nA 1;F3;01/10/2024;01/11/2024;300,00\nCON;F4;01/10/2024;01/11/2024;400,00\nK1;F5;01/10/2024;01/11/2024;500,00\nk1;F6;01/10/2024;01/11/2024;600,00\nCaf\xc3\xa9:1?;F7;01/10/2024;01/11/2024;700,00\nnul.;F8;01/10/2024;01/11/2024;800,00\n' >"$W/$side/ids/f.csv"
  printf 'delimiter = ";"\ndecimal = ","\ndate_formats = ["%%d/%%m/%%Y"]\n[columns]\nclient_id = "Klant"\ndocument_id = "Nr"\nissue_date = "Datum"\ndue_date = "Verval"\namount = "Bedrag"\n' >"$W/$side/ids/map.toml"
  printf 'currency = "EUR"\nout = "out"\nas_of = "2025-03-31"\n[[inputs]]\nfile = "f.csv"\nmapping = "map.toml"\n' >"$W/$side/ids/arwatch.toml"
done
lrun "$W/linux/ids" run --config arwatch.toml
IDS_RC=$RC
wrun "$W/windows/ids" run --config arwatch.toml
check "dossier names: ids such as CON, A/1, k1 and K1, 'Café:1?' give eight dossiers on Windows too" \
  bash -c "[ $RC = $IDS_RC ] && [ \$(ls '$W/windows/ids/out/2025-03/handover' | wc -l) = 8 ]"
check "dossier names: the same names and data files as on Linux" bash -c "diff <(ls '$W/linux/ids/out/2025-03/handover') <(ls '$W/windows/ids/out/2025-03/handover') \
  && diff -r '$W/linux/ids/out/2025-03/data' '$W/windows/ids/out/2025-03/data'"

# --- a re-run of the same month: replaced whole by the sequence of renames ------------------------
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
check "re-run: the same exit code" [ "$RC" = "$LRC" ]
check "re-run: the month is whole and the same" same_tree "$W/good/data" "$W/windows/$M/data"
check "re-run: nothing of the swap is left" no_leftovers "$W/windows/reports"

# --- a failing run (bad input): exit 4, the month untouched -------------------------------------
cp "$W/windows/sample_data/csv/facturen.csv" "$W/facturen.csv"
sed -i '1s/Factuurdatum/Datum?/' "$W/windows/sample_data/csv/facturen.csv"
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
check "failed run: exit 4" [ "$RC" = 4 ]
check "failed run: the previous month is untouched" same_tree "$W/good" "$W/windows/$M"
check "failed run: nothing left behind" no_leftovers "$W/windows/reports"

# --- a crash between moving the old month aside and putting the new one in ----------------------
mv "$W/windows/$M" "$W/windows/reports/.arwatch-2026-10.old-4242"
mkdir -p "$W/windows/reports/.arwatch-2026-10.staging-4242/data"
echo partial >"$W/windows/reports/.arwatch-2026-10.staging-4242/data/clients.csv"
echo 4242 >"$W/windows/reports/.arwatch.lock"
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
check "crash recovery: a stale lock is taken over (exit 4 from the bad input, not a lock error)" [ "$RC" = 4 ]
check "crash recovery: the previous month is put back whole" same_tree "$W/good" "$W/windows/$M"
check "crash recovery: the half-written month is removed" no_leftovers "$W/windows/reports"
cp "$W/facturen.csv" "$W/windows/sample_data/csv/facturen.csv"

# --- a lock held by a running process -------------------------------------------------------------
hold "$W/facturen.csv" && cp "$W/held.pid" "$W/windows/reports/.arwatch.lock"
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
release
check "lock: a live owner is respected (exit 5, naming its process)" bash -c "[ $RC = 5 ] && grep -q 'another arwatch run (process' '$W/err.txt'"
rm -f "$W/windows/reports/.arwatch.lock"

# --- an input held open by Excel ------------------------------------------------------------------
hold "$W/windows/sample_data/csv/facturen.csv"
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
release
check "held input: exit 4 naming the file, 'close it in Excel'" \
  bash -c "[ $RC = 4 ] && grep -q 'facturen.csv' '$W/err.txt' && grep -q 'close it in Excel' '$W/err.txt'"
check "held input: the month is untouched" same_tree "$W/good" "$W/windows/$M"

# --- the previous month's workbook open in Excel during a re-run ---------------------------------
hold "$W/windows/$M/arwatch-2026-10.xlsx"
wrun "$W/windows" run --config 'sample_data\arwatch.toml'
release
if [ "$RC" = "$LRC" ]; then
  # Wine lets a folder with an open file be renamed (Windows does not): the re-run went through.
  check "held workbook: Wine allowed the swap; the month is whole" same_tree "$W/good/data" "$W/windows/$M/data"
else
  check "held workbook: exit 5 saying to close it, the month untouched" \
    bash -c "[ $RC = 5 ] && grep -q 'close it' '$W/err.txt' && diff -r '$W/good/data' '$W/windows/$M/data' >/dev/null"
fi

# --- Windows paths, CRLF and a byte-order mark in the configuration and the mappings -----------
P=$W/windows/winpaths
mkdir -p "$P/mappings"
for m in facturen-csv betalingen-csv kredietinfo-csv logboek-csv termijnen-csv; do
  printf '\xef\xbb\xbf' >"$P/mappings/$m.toml"
  sed 's/$/\r/' "sample_data/mappings/$m.toml" >>"$P/mappings/$m.toml"
done
S=$(winpath "$W/windows/sample_data")
{
  printf '\xef\xbb\xbf'
  while IFS= read -r line; do
    case $line in
      'watchlist = "csv/'*) f=${line#watchlist = \"csv/} && line="watchlist = \"..\\sample_data\\csv\\${f%\"}\"" ;;
      *'"csv/'*) line=${line//\"csv\//\"$S\\csv\\} ;;
      'mapping = "mappings/'*) f=${line#mapping = \"mappings/} && line="mapping = \".\\mappings\\${f%\"}\"" ;;
      'out = '*) line="out = \"$(winpath "$W/windows/winpaths-reports")\"" ;;
    esac
    printf '%s\r\n' "$line"
  done <sample_data/arwatch.toml
} >"$P/arwatch.toml"
wrun "$W/windows" run --config 'winpaths\arwatch.toml'
check "Windows paths: a configuration with C:\\-style paths, CRLF and a BOM runs (exit $RC)" [ "$RC" = "$LRC" ]
check "Windows paths: the same figures" bash -c "for f in clients.csv open_items.csv monthly.csv alerts.csv actions.csv handover.csv; do \
  cmp -s '$W/good/data/'\$f '$W/windows/winpaths-reports/2026-10/data/'\$f || exit 1; done"

# --- names longer than 260 characters ------------------------------------------------------------
LONG=$W/windows/long
for part in 1 2 3 4 5; do LONG=$LONG/a-folder-name-of-sixty-characters-to-pass-windows-limit-$part; done
wrun "$W/windows" run --config 'sample_data\arwatch.toml' --out "$(winpath "$LONG")"
check "long paths: a run into a folder of ${#LONG} characters" bash -c "[ $RC = $LRC ] && cmp -s '$W/good/data/clients.csv' '$LONG/2026-10/data/clients.csv'"

# --- a batch of several portfolios, with Parquet, then the pool --------------------------------
lrun "$W/linux" sample --portfolios 4 --out portfolios
lrun "$W/linux/portfolios" batch manifest.toml --parquet
BATCH_RC=$RC
wrun "$W/windows" sample --portfolios 4 --out portfolios
wrun "$W/windows/portfolios" batch manifest.toml --parquet
check "batch: the same exit code ($BATCH_RC)" [ "$RC" = "$BATCH_RC" ]
check "batch: every portfolio's data files (CSV and Parquet) are byte-identical" bash -c "for d in '$W'/linux/portfolios/batch/creditor-*/2026-10/data; do \
  diff -r \"\$d\" \"\${d/linux/windows}\" >/dev/null || exit 1; done"
check "batch: the gathered Parquet is byte-identical" same_tree "$W/linux/portfolios/batch/parquet" "$W/windows/portfolios/batch/parquet"
check "batch: the summaries agree (but for the durations)" bash -c "diff <(cut -d, -f1-3,5- '$W/linux/portfolios/batch/batch-summary.csv') \
  <(cut -d, -f1-3,5- '$W/windows/portfolios/batch/batch-summary.csv') >/dev/null"

# A manifest with backslashes (TOML) and one saved by Excel (CSV with ';', CRLF and a BOM), before
# the pool exists (the portfolios read it once it does).
printf 'out = "batch-toml"\r\n[[portfolio]]\r\nname = "a"\r\nconfig = "creditor-01\\arwatch.toml"\r\n[[portfolio]]\r\nname = "b"\r\nconfig = ".\\creditor-02\\arwatch.toml"\r\n' \
  >"$W/windows/portfolios/windows.toml"
wrun "$W/windows/portfolios" batch windows.toml
check "manifest: TOML with backslashes and CRLF" bash -c "[ $RC = $BATCH_RC ] && cmp -s '$W/linux/portfolios/batch/creditor-02/2026-10/data/clients.csv' '$W/windows/portfolios/batch-toml/b/2026-10/data/clients.csv'"
printf '\xef\xbb\xbfname;config\r\nc;creditor-03\\arwatch.toml\r\n' >"$W/windows/portfolios/excel.csv"
wrun "$W/windows/portfolios" batch excel.csv --out batch-csv
check "manifest: CSV from Excel (';', CRLF, BOM)" bash -c "[ $RC = $BATCH_RC ] && cmp -s '$W/linux/portfolios/batch/creditor-03/2026-10/data/clients.csv' '$W/windows/portfolios/batch-csv/c/2026-10/data/clients.csv'"

lrun "$W/linux/portfolios" pool batch --out pool
POOL_RC=$RC
wrun "$W/windows/portfolios" pool batch --out pool
check "pool: the same exit code ($POOL_RC)" [ "$RC" = "$POOL_RC" ]
check "pool: the pooled files are byte-identical" same_tree "$W/linux/portfolios/pool" "$W/windows/portfolios/pool"

# --- a double-click and files dropped on the program --------------------------------------------
(cd "$W/windows" && ARWATCH_PAUSE=1 wine "$WEXE" >"$W/out.txt" 2>&1 </dev/null)
RC=$?
check "double-click: it explains itself and waits for Enter" bash -c "[ $RC = 0 ] && grep -q 'drag your accounting exports' '$W/out.txt' && grep -q 'Press Enter' '$W/out.txt'"
D=$W/windows/drop
mkdir -p "$D"
cp sample_data/csv/facturen.csv sample_data/csv/betalingen.csv "$D/"
(cd "$W/windows" && ARWATCH_PAUSE=1 wine "$WEXE" "$(winpath "$D/facturen.csv")" "$(winpath "$D/betalingen.csv")" >"$W/out.txt" 2>&1 </dev/null)
RC=$?
check "drop: exports dropped on arwatch.exe are mapped, run, and the report is named" bash -c "{ [ $RC = 0 ] || [ $RC = 3 ]; } && \
  grep -q 'The reports are in' '$W/out.txt' && grep -q 'Press Enter' '$W/out.txt' && ls '$D'/arwatch-reports/*/arwatch-*.pdf >/dev/null && [ -f '$D/arwatch/arwatch.toml' ]"
(cd "$W/windows" && wine "$WEXE" "$(winpath "$D/facturen.csv")" "$(winpath "$D/betalingen.csv")" >"$W/out.txt" 2>&1 </dev/null)
check "drop: the second time the same files use the same settings" grep -q 'Using the settings' "$W/out.txt"
(cd "$W/windows" && wine "$WEXE" "$(winpath "$W/windows/sample_data/arwatch.toml")" >"$W/out.txt" 2>&1 </dev/null)
check "drop: a dropped arwatch.toml is run" grep -q 'The reports are in' "$W/out.txt"

# --- the monthly scheduled run (Task Scheduler's .cmd) ---------------------------------------------
cp deploy/windows/arwatch-monthly.cmd "$W/windows/"
(cd "$W/windows" && ARWATCH_EXE="$(winpath "$WEXE")" ARWATCH_CONFIG='sample_data\arwatch.toml' ARWATCH_LOG='monthly.log' \
  wine cmd /c arwatch-monthly.cmd >"$W/out.txt" 2>&1 </dev/null)
RC=$?
check "schedule: the .cmd runs the month and logs it (exit $RC)" bash -c "[ $RC = $LRC ] && grep -q 'exit code $LRC' '$W/windows/monthly.log'"

wineserver -k >/dev/null 2>&1
echo "windows: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
