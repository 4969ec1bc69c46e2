#!/usr/bin/env bash
# Time and peak memory of factcheck on the hostile inputs of SECURITY.md:
# inputs that once took quadratic time or memory. A measurement, not a test:
# it prints a table and fails only if a run crashes (exit status > 2).
#
#   scripts/resources.sh [WORK_DIR]        (default: target/resources)
#
# Set CLAIMS=100000 for a quicker run than the default million claims.
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-target/resources}"
claims="${CLAIMS:-1000000}"
rm -rf "$work"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
cargo build --quiet --release
bin="$PWD/target/release/factcheck"
ev="$PWD/evidence"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 3; }

# The inputs.
python3 - "$work" "$claims" <<'EOF'
import sys, os
work, n = sys.argv[1], int(sys.argv[2])
def w(name, text):
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        f.write(text)
head = '[article]\nid = "a"\ntitle = "t"\nurl = "https://example.org/a"\nlanguage = "en"\npublished = "2025-01-01"\n'
# 1 MB of "1 " with no sentence break, for `new` and `audit`.
w("ones.txt", "1 " * (1 << 19))
w("ones.toml", head + 'text = "ones.txt"\n')
# 8,000 identical sentences.
w("same.txt", "Only 3 of the 14 authors remain. " * 8000)
# 512 KB of "1 " and a quote that overlaps itself everywhere.
w("overlap.txt", "1 " * (1 << 18))
w("overlap.toml", head + 'text = "overlap.txt"\n[[claim]]\nid = "c"\nquote = "1 1 1"\nclaim = "x"\nmeasure = "count(authors)"\nstates = "14"\n')
# 20,000 errors: each claim names a table that does not exist.
with open(os.path.join(work, "errors.toml"), "w") as f:
    f.write(head)
    for i in range(20000):
        f.write(f'[[claim]]\nid = "c{i}"\nclaim = "x"\nmeasure = "count(nosuch{i})"\nstates = "1"\n')
# 200 MB of empty lines under a 20-column table.
os.makedirs(os.path.join(work, "blank"), exist_ok=True)
w("blank/sources.toml", '[[source]]\nid = "s"\ntitle = "t"\npublisher = "p"\nurl = "https://example.org/s"\ndate = "2025"\n')
cols = "".join(f'[[column]]\nname = "c{i}"\ntype = "date"\n\n' for i in range(20))
w("blank/t.toml", '[table]\nname = "t"\ndescription = "d"\nkey = "c0"\ncsv = "t.csv"\n\n' + cols)
with open(os.path.join(work, "blank", "t.csv"), "w") as f:
    f.write(",".join(f"c{i}" for i in range(20)) + ",sources\n")
    f.write("\n" * (200 << 20))
w("blank.toml", head + '[[claim]]\nid = "c"\nclaim = "x"\nmeasure = "count(t)"\nstates = "0"\n')
# Many valid claims.
with open(os.path.join(work, "many.toml"), "w") as f:
    f.write(head)
    for i in range(n):
        f.write(f'[[claim]]\nid = "c{i}"\nquote = "q"\nclaim = "The paper has fourteen authors."\nmeasure = "count(authors)"\nstates = "14"\n')
EOF

printf '%-44s %5s %10s %10s %12s %8s\n' case exit seconds "peak MiB" "input bytes" "RSS/in"
run() { # name input-file command...
  local name="$1" input="$2"; shift 2
  local out status
  set +e
  /usr/bin/time -o "$work/time" -f '%e %M' "$@" > /dev/null 2> "$work/err"
  status=$?
  out=$(tail -1 "$work/time")
  set -e
  if [ "$status" -gt 2 ]; then
    echo "$name: exit status $status" >&2
    tail -5 "$work/err" >&2
    exit 1
  fi
  local secs kib bytes
  secs=$(echo "$out" | tail -1 | cut -d' ' -f1)
  kib=$(echo "$out" | tail -1 | cut -d' ' -f2)
  bytes=$(stat -c %s "$input")
  awk -v n="$name" -v x="$status" -v s="$secs" -v k="$kib" -v b="$bytes" \
    'BEGIN { printf "%-44s %5s %10s %10.1f %12d %8.1f\n", n, x, s, k / 1024, b, k * 1024 / b }'
}
cd "$work"
run "new: 1 MB of '1 ' (no sentence break)" ones.txt "$bin" new ones.txt --lang en -o ones-skeleton.toml
run "audit: 1 MB of '1 '" ones.txt "$bin" audit ones.toml --root "$work"
run "new: 8,000 identical sentences" same.txt "$bin" new same.txt --lang en -o same-skeleton.toml
run "verify: quote '1 1 1' in 512 KB of '1 '" overlap.txt "$bin" verify overlap.toml --evidence "$ev" --root "$work"
run "check: 20,000 errors, human" errors.toml "$bin" check errors.toml --evidence "$ev" --root "$work"
run "check: 20,000 errors, json" errors.toml "$bin" check errors.toml --evidence "$ev" --root "$work" --format json
run "check: 200 MB of empty CSV lines" blank/t.csv "$bin" check blank.toml --evidence blank --root "$work"
run "verify --format json: $claims claims" many.toml "$bin" verify many.toml --evidence "$ev" --root "$work" --format json
run "check: $claims claims" many.toml "$bin" check many.toml --evidence "$ev" --root "$work"
echo "skeletons: $(stat -c %s ones-skeleton.toml) and $(stat -c %s same-skeleton.toml) bytes"
