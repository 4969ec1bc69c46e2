#!/usr/bin/env bash
# The HTML report in a real browser (issue 15): headless Chromium loads the
# seed report (claims/llama-exodus-es.toml, whose text is withheld: its
# claims are listed) and the annotated report of the Rust article
# (claims/rust-one-year-2016.toml with its text), takes screenshots and
# checks the pages.
#
#   scripts/html-browser-check.sh [OUT_DIR]      (default: target/html-check)
#
# Needs Debian's chromium package (apt-get install chromium); no DevTools
# client, no Node: only `chromium --headless --screenshot / --dump-dom`.
# `cargo test` does not need it. Writes, for each report NAME (seed, rust):
#   NAME.html            the report as factcheck wrote it
#   NAME.png             desktop (1280 px wide), as the page opens
#   NAME-card.png        desktop, a highlight's card open (the first
#                        refuted one), from NAME-card.html
#   NAME-narrow.png      a phone-sized viewport (390 px wide)
# and checks, failing (exit 1) when one does not hold:
#   - the pages log nothing to the console (they have no script: any line
#     is an error, e.g. a blocked resource);
#   - every highlight links to a card, inside a claim's <details>;
#   - every card linked from the text has a highlight that takes keyboard
#     focus (tabIndex >= 0, visible, and focus() lands on it);
#   - following a highlight's link opens its card (checked by loading
#     the page at #card-N and reading <details open> in the DOM).
# The DOM checks run on a copy of the page with a small script appended
# (NAME.check.html); the report itself has no JavaScript.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/html-check}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
chromium_bin="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium_bin" ]; then
  echo "chromium not found: apt-get install chromium" >&2
  exit 3
fi
export CARGO_INCREMENTAL=0
cargo build --quiet
bin=./target/debug/factcheck
seed_article=../shared/seeds/000_97c7157fc1298784.txt

# verify exits 1 when a claim is refuted: the report is written all the same.
render() {
  "$bin" verify "$@" --format html || [ $? -eq 1 ]
}
seed_args=(claims/llama-exodus-es.toml --output "$out/seed.html")
[ -f "$seed_article" ] && seed_args+=(--article "$seed_article")
render "${seed_args[@]}"
render claims/rust-one-year-2016.toml --output "$out/rust.html"

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# chromium URL [extra flags...]: stdout is the DOM, stderr the log.
chrome() {
  local url="$1" profile
  shift
  profile="$(mktemp -d)"
  timeout 120 "$chromium_bin" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars "$@" "$url" || true
  rm -rf "$profile"
}

is_png() {
  [ "$(head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ]
}

shot() { # URL FILE WIDTH HEIGHT
  rm -f "$2"
  chrome "$1" --window-size="$3,$4" --virtual-time-budget=2000 --screenshot="$2" >/dev/null 2>&1
  is_png "$2" || fail "no screenshot was written to $2"
}

# The script appended to the copy that is checked: it writes its findings
# into <pre id="check-result">, which --dump-dom prints.
read -r -d '' CHECK_JS <<'EOF' || true
<script>
window.addEventListener('load', function () { setTimeout(function () {
  var out = [], fails = 0;
  function bad(m) { fails++; out.push('FAIL ' + m); }
  var marks = Array.prototype.slice.call(document.querySelectorAll('.text a.hl, .text a.pin'));
  var linked = {}, focusable = {};
  marks.forEach(function (a) {
    var h = a.getAttribute('href') || '';
    var card = h.charAt(0) === '#' ? document.getElementById(h.slice(1)) : null;
    if (!card) { bad('highlight without a card: ' + h); return; }
    if (!card.closest('details.claim')) bad('card outside a claim: ' + h);
    linked[h] = true;
    if (a.tabIndex >= 0 && a.getClientRects().length > 0) {
      a.focus();
      if (document.activeElement === a) focusable[h] = true;
      else bad('focus does not land on ' + (a.id || h));
    }
  });
  Object.keys(linked).forEach(function (h) {
    if (!focusable[h]) bad('no focusable highlight for ' + h);
  });
  var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
  if (location.hash) {
    var d = target && target.closest('details');
    if (!d || !d.open) bad('the card of ' + location.hash + ' did not open');
    else out.push('opened ' + location.hash);
  }
  out.push('highlights ' + marks.length + ', cards linked ' + Object.keys(linked).length +
           ', with a focusable highlight ' + Object.keys(focusable).length +
           ', cards ' + document.querySelectorAll('details.claim').length);
  out.push(fails ? 'RESULT fail' : 'RESULT ok');
  var pre = document.createElement('pre');
  pre.id = 'check-result';
  pre.textContent = out.join(String.fromCharCode(10)); // (no backslash: awk -v reads escapes)
  document.body.appendChild(pre);
}, 100); });
</script>
EOF

for name in seed rust; do
  page="$out/$name.html"
  # Console: the report itself, with logging on.
  chrome "file://$page" --enable-logging=stderr --v=0 --virtual-time-budget=2000 --dump-dom \
    >/dev/null 2>"$out/$name.log"
  if grep -q 'CONSOLE' "$out/$name.log"; then
    fail "$name: console messages:"
    grep 'CONSOLE' "$out/$name.log" >&2
  fi
  # A card linked from the text: the first refuted one, else the first.
  card="$( (grep -o 'class="hl v-refuted[^"]*" id="mark-[0-9]*" href="#card-[0-9]*"' "$page";
            grep -o 'href="#card-[0-9]*"' "$page") | head -n 1 |
          sed 's/.*href="#\(card-[0-9]*\)"/\1/' || true)"
  # DOM checks on a copy with the checking script.
  awk -v js="$CHECK_JS" '{ if ($0 == "</body>") print js; print }' "$page" >"$out/$name.check.html"
  for hash in "" ${card:+"#$card"}; do
    result="$(chrome "file://$out/$name.check.html$hash" --virtual-time-budget=3000 --dump-dom 2>/dev/null |
      sed -n '/<pre id="check-result">/,/<\/pre>/p' | sed 's/<[^>]*>//g')"
    if [ -z "$result" ]; then
      fail "$name$hash: the checking script did not report"
    else
      echo "$name$hash: $(echo "$result" | tr '\n' ';')"
      echo "$result" | grep -q '^RESULT ok' || fail "$name$hash: $(echo "$result" | grep FAIL | head -n 5 | tr '\n' ';')"
    fi
  done
  shot "file://$page" "$out/$name.png" 1280 2000
  shot "file://$page" "$out/$name-narrow.png" 390 1400
  if [ -n "$card" ]; then
    # Headless Chromium paints a page opened scrolled to a fragment blank,
    # so the shot is of a copy with the card already open (the DOM check
    # above shows that following the link opens it) and the article's box
    # shortened, so the first cards fit below it.
    awk -v card="id=\"$card\"" '
      { line[NR] = $0 }
      END {
        for (i = 3; i <= NR; i++)
          if (index(line[i], card) && index(line[i - 2], "<details ") == 1)
            sub(/^<details /, "<details open ", line[i - 2])
        for (i = 1; i <= NR; i++) {
          if (line[i] == "</head>") print "<style>.text { max-height: 16rem; }</style>"
          print line[i]
        }
      }' "$page" >"$out/$name-card.html"
    grep -q '<details open ' "$out/$name-card.html" || fail "$name: could not open $card in $name-card.html"
    shot "file://$out/$name-card.html" "$out/$name-card.png" 1280 2000
  else
    echo "$name: no highlight (no article text in the report): no card screenshot"
  fi
done

if [ "$failures" -gt 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all browser checks passed; screenshots in $out"
