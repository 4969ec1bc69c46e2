#!/usr/bin/env bash
# Render the seed report as HTML and take a screenshot of it in headless
# Chromium, to look at the page as a reader would.
#
#   scripts/html-screenshot.sh [OUT_DIR]      (default: target/html-check)
#
# Needs Debian's chromium package (apt-get install chromium). Writes
# report.html, report.png (the page as it opens) and refuted.png (with the
# "Refuted" filter chosen and the first claim open, via a URL fragment that
# the page's CSS does not need: the file is copied with the radio and the
# <details> preset, since the page itself has no JavaScript).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/html-check}"
mkdir -p "$out"
# Chromium needs absolute paths (for the file:// URL and the screenshot).
out="$(cd "$out" && pwd)"
cargo build --quiet --release
article=../shared/seeds/000_97c7157fc1298784.txt
args=(verify --format html --output "$out/report.html")
[ -f "$article" ] && args+=(--article "$article")
./target/release/factcheck "${args[@]}" || [ $? -eq 1 ]
# A variant with the "Refuted" filter chosen and every refuted claim open,
# as a click would leave it.
sed -e 's/id="show-all" checked/id="show-all"/' \
    -e 's/id="show-refuted">/id="show-refuted" checked>/' \
    -e 's/<details class="claim v-refuted"/<details open class="claim v-refuted"/' \
    "$out/report.html" > "$out/refuted.html"
if ! grep -q 'id="show-refuted" checked' "$out/refuted.html"; then
  echo "could not preset the Refuted filter in $out/refuted.html (did the page's markup change?)" >&2
  exit 1
fi
chromium_bin="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium_bin" ]; then
  echo "chromium not found: apt-get install chromium" >&2
  exit 3
fi
shot() {
  local profile
  profile="$(mktemp -d)"
  "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1200,1600 \
    --screenshot="$2" "file://$1" >/dev/null 2>&1 || true
  rm -rf "$profile"
  # Believe the file, not Chromium's exit status: a PNG must be there.
  if [ "$(head -c 8 "$2" 2>/dev/null | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "no screenshot was written to $2" >&2
    exit 1
  fi
}
rm -f "$out/report.png" "$out/refuted.png"
shot "$out/report.html" "$out/report.png"
shot "$out/refuted.html" "$out/refuted.png"
echo "wrote $out/report.png and $out/refuted.png"
