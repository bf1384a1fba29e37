#!/usr/bin/env bash
# Builds the release archives into dist/:
#
#   arwatch-<version>-x86_64-pc-windows-gnu.zip
#   arwatch-<version>-x86_64-unknown-linux-gnu.tar.gz
#   SHA256SUMS                      (of the two archives)
#
# each holding one folder with the program, sample_data/, the licences, QUICKSTART.txt
# (en/nl/fr), the monthly scheduling files and a SHA256SUMS of its own files. The archives are
# reproducible: files in name order, every date the commit's, no owner names.
#
#   scripts/release.sh               both archives (installs the Windows toolchain if it can)
#   scripts/release.sh --check       and then runs scripts/windows-check.sh --release on them
#
# Needs: the Rust targets, Debian's gcc-mingw-w64-x86-64, zip. Cold, on 2 cores, about 30
# minutes (two release builds of polars); BENCHMARKS.md has the measured times and sizes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
COMMIT=$(git rev-parse --short=12 HEAD)
EPOCH=$(git log -1 --format=%ct)
LINUX=x86_64-unknown-linux-gnu
WINDOWS=x86_64-pc-windows-gnu
DIST=$ROOT/dist

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null && return 0
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2") >/dev/null \
    || { echo "release: $1 is needed (Debian's $2)"; exit 2; }
}
for t in $LINUX $WINDOWS; do
  rustup target list --installed | grep -qx "$t" || rustup target add "$t"
done
need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
need zip zip
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc

rm -rf "$DIST"
mkdir -p "$DIST/stage"
for t in $LINUX $WINDOWS; do
  echo "release: building arwatch $VERSION ($COMMIT) for $t"
  if [ "$t" = $LINUX ]; then
    # The host's own build (target/release), the one scripts/windows-check.sh --release compares.
    [ "$(rustc -vV | sed -n 's/^host: //p')" = $LINUX ] || { echo "release: build on $LINUX"; exit 2; }
    cargo build --release --locked --bin arwatch
  else
    cargo build --release --locked --target "$t" --bin arwatch
  fi
  name=arwatch-$VERSION-$t
  dir=$DIST/stage/$name
  mkdir -p "$dir"
  # What git holds of sample_data, nothing a local run left there.
  git ls-files -z sample_data | xargs -0 -I{} cp --parents {} "$dir/"
  cp LICENSE-MIT LICENSE-APACHE fonts/LICENSE-DejaVu.txt "$dir/"
  if [ "$t" = $WINDOWS ]; then
    exe=target/$t/release/arwatch.exe
    # Only DLLs every Windows 10 and 11 has: nothing of mingw's (libgcc, libwinpthread) may be
    # needed. polars' system probe (sysinfo) brings pdh (performance counters) and combase.
    others=$(x86_64-w64-mingw32-objdump -p "$exe" | sed -n 's/.*DLL Name: //p' \
      | grep -viE '^(kernel32|ntdll|advapi32|bcrypt|bcryptprimitives|ws2_32|userenv|user32|shell32|ole32|oleaut32|crypt32|secur32|msvcrt|api-ms-win-.*|ucrtbase|psapi|iphlpapi|dbghelp|powrprof|ncrypt|gdi32|pdh|combase)\.dll$' || true)
    [ -z "$others" ] || { echo "release: arwatch.exe needs DLLs Windows does not have: $others"; exit 1; }
    cp "$exe" "$dir/"
    sed 's/\r*$/\r/' deploy/QUICKSTART.txt >"$dir/QUICKSTART.txt"
    cp deploy/windows/arwatch-monthly.cmd "$dir/"
  else
    cp target/release/arwatch "$dir/"
    cp deploy/QUICKSTART.txt deploy/linux/arwatch-monthly.sh deploy/linux/arwatch-monthly.service \
      deploy/linux/arwatch-monthly.timer "$dir/"
  fi
  (cd "$dir" && find . -type f ! -name SHA256SUMS | sed 's|^\./||' | LC_ALL=C sort | xargs -d '\n' sha256sum >SHA256SUMS)
  find "$dir" -exec touch -h -d "@$EPOCH" {} +
  if (cd "$DIST/stage" && find "$name" | grep -qi bcryptprimitives); then
    echo "release: the test-only bcryptprimitives stand-in must never ship"
    exit 1
  fi
  if [ "$t" = $WINDOWS ]; then
    (cd "$DIST/stage" && find "$name" | LC_ALL=C sort | TZ=UTC zip -q -X -D -9 "$DIST/$name.zip" -@)
  else
    (cd "$DIST/stage" && tar --sort=name --mtime="@$EPOCH" --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip -9n >"$DIST/$name.tar.gz")
  fi
done
(cd "$DIST" && sha256sum ./*.zip ./*.tar.gz | sed 's| \./| |' >SHA256SUMS)
rm -rf "$DIST/stage"

# The Linux archive, unpacked as a user would: the version, and the README's run on the sample.
try=$(mktemp -d)
tar -xzf "$DIST/arwatch-$VERSION-$LINUX.tar.gz" -C "$try"
(cd "$try/arwatch-$VERSION-$LINUX" && sha256sum -c --quiet SHA256SUMS && ./arwatch --version \
  && ARWATCH_NO_OPEN=1 ./arwatch -q run --config sample_data/arwatch.toml; code=$?; [ $code = 0 ] || [ $code = 3 ]) \
  || { echo "release: the Linux archive does not run its sample"; exit 1; }
[ -f "$try/arwatch-$VERSION-$LINUX/reports/2026-10/arwatch-2026-10.pdf" ] || { echo "release: no report from the archive"; exit 1; }
rm -rf "$try"

ls -l "$DIST"
cat "$DIST/SHA256SUMS"
if [ "${1:-}" = "--check" ]; then
  scripts/windows-check.sh --release
fi
