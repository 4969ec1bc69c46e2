#!/usr/bin/env python3
"""Run the benchmark's checks with factcheck, pandas, DuckDB and SQLite on the
data written by bench-gen, check that every tool gives the generator's exact
answers, and print one table of times, peak memory and ratios to pandas.

    python3 bench/compare.py DIR [--factcheck target/release/factcheck]
                                 [--runs 3] [--factcheck-runs 3]
                                 [--tools pandas,duckdb,sqlite] [--json-out FILE]

DIR is bench-gen's output directory. Each tool runs in its own subprocess
(this script with --worker), `--runs` times in one round; the table shows the
median time and the largest peak RSS (GNU time's %M for that process).
pandas and DuckDB are skipped with a notice when not installed.
Exit status: 0 when every answer and every verdict is right, 1 otherwise,
2 on bad usage.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

TOOLS = ("pandas", "duckdb", "sqlite")
# A float answer agrees when within this relative distance of the exact value.
REL_TOL = Fraction(1, 10**9)


# ------------------------------------------------------------------ workers
# Each worker loads the plain CSVs and answers every check the way a user of
# that tool would write it; it reports its answers and the time it took to
# load and to answer.


def pandas_worker(d, checks):
    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    people = pd.read_csv(
        d / "evidence" / "people.csv",
        dtype={"id": str, "name": str, "org": "category", "country": "category",
               "role": "category", "salary_band": "int64"},
        parse_dates=["joined", "left"],
        date_format="%Y-%m-%d",
    )
    emp = pd.read_csv(
        d / "evidence" / "employment.csv",
        dtype={"person_id": str, "org": str},
        parse_dates=["start", "end"],
        date_format="%Y-%m-%d",
    )
    t1 = time.perf_counter()

    # Column arrays once, then numpy masks per check: the fast way to use
    # pandas for many small queries over the same frame.
    col = {c: people[c].to_numpy() for c in people.columns}
    # Categorical columns compare by code.
    codes = {c: (people[c].cat.codes.to_numpy(),
                 {v: i for i, v in enumerate(people[c].cat.categories)})
             for c in ("org", "country", "role")}
    left_known = people["left"].notna().to_numpy()
    tenure_days = (people["left"] - people["joined"]).dt.days.to_numpy()
    e_pid, e_org = emp["person_id"].to_numpy(), emp["org"].to_numpy()
    e_start, e_end = emp["start"].to_numpy(), emp["end"].to_numpy()
    e_open = emp["end"].isna().to_numpy()

    def day(s):
        return np.datetime64(s, "ns")

    def mask(preds):
        m = np.ones(len(people), dtype=bool)
        for p in preds:
            t = p["type"]
            if t in ("org", "country", "role"):
                arr, code = codes[t]
                m &= arr == code.get(p["value"], -2)
            elif t == "joined_before":
                m &= col["joined"] < day(p["date"])
            elif t == "joined_after":
                m &= col["joined"] > day(p["date"])
            elif t == "still_there_on":
                d = day(p["date"])
                m &= (col["joined"] <= d) & (~left_known | (col["left"] >= d))
            elif t == "left_by":
                m &= left_known & (col["left"] < day(p["date"]))
            elif t == "band_at_least":
                m &= col["salary_band"] >= p["k"]
            elif t == "left_known":
                m &= left_known
            elif t == "left_unknown":
                m &= ~left_known
            else:
                raise ValueError(f"unknown predicate {t}")
        return m

    answers = []
    for c in checks:
        kind = c["kind"]
        if kind == "employer":
            d = day(c["date"])
            ids = col["id"][col["name"] == c["person_name"]]
            rows = np.isin(e_pid, ids) & (e_start <= d) & (e_open | (e_end >= d))
            answers.append(sorted(e_org[rows].tolist()))
            continue
        m = mask(c["predicates"])
        if kind == "count":
            answers.append(int(m.sum()))
        elif kind == "share":
            answers.append(100.0 * int(m.sum()) / len(people))
        elif kind == "mean_band":
            answers.append(float(col["salary_band"][m].mean()))
        elif kind == "mean_tenure":
            answers.append(float(tenure_days[m & left_known].mean()) / 365.25)
        elif kind in ("min", "max"):
            name = c["column"]
            sel = m & left_known if name == "left" else m
            v = col[name][sel].min() if kind == "min" else col[name][sel].max()
            answers.append(int(v) if name == "salary_band"
                           else str(np.datetime_as_string(v, unit="D")))
        else:
            raise ValueError(f"unknown kind {kind}")
    t2 = time.perf_counter()
    return answers, t1 - t0, t2 - t1


def sql_where(preds, date):
    """The predicates as an SQL condition; `date` writes a date literal."""
    parts = []
    for p in preds:
        t = p["type"]
        if t in ("org", "country", "role"):
            parts.append(f"{t} = '{p['value'].replace(chr(39), chr(39) * 2)}'")
        elif t == "joined_before":
            parts.append(f"joined < {date(p['date'])}")
        elif t == "joined_after":
            parts.append(f"joined > {date(p['date'])}")
        elif t == "still_there_on":
            day = date(p["date"])
            parts.append(f'(joined <= {day} AND ("left" IS NULL OR "left" >= {day}))')
        elif t == "left_by":
            parts.append(f'"left" < {date(p["date"])}')
        elif t == "band_at_least":
            parts.append(f"salary_band >= {int(p['k'])}")
        elif t == "left_known":
            parts.append('"left" IS NOT NULL')
        elif t == "left_unknown":
            parts.append('"left" IS NULL')
        else:
            raise ValueError(f"unknown predicate {t}")
    return " AND ".join(parts) if parts else "1 = 1"


def sql_answers(query, checks, date, tenure_days):
    """Answer every check with `query(sql) -> rows`."""
    answers = []
    for c in checks:
        kind = c["kind"]
        if kind == "employer":
            name = c["person_name"].replace("'", "''")
            day = date(c["date"])
            rows = query(
                "SELECT e.org FROM people p JOIN employment e ON e.person_id = p.id "
                f"WHERE p.name = '{name}' AND e.start <= {day} "
                f'AND (e."end" IS NULL OR e."end" >= {day}) ORDER BY e.org')
            answers.append([r[0] for r in rows])
            continue
        w = sql_where(c["predicates"], date)
        if kind == "count":
            sql = f"SELECT count(*) FROM people WHERE {w}"
        elif kind == "share":
            sql = f"SELECT 100.0 * count(*) FILTER (WHERE {w}) / count(*) FROM people"
        elif kind == "mean_band":
            sql = f"SELECT avg(salary_band) FROM people WHERE {w}"
        elif kind == "mean_tenure":
            sql = (f"SELECT avg({tenure_days}) / 365.25 FROM people "
                   f'WHERE "left" IS NOT NULL AND {w}')
        elif kind in ("min", "max"):
            sql = f'SELECT {kind}("{c["column"]}") FROM people WHERE {w}'
        else:
            raise ValueError(f"unknown kind {kind}")
        (v,), = query(sql)
        if kind == "count" or (kind in ("min", "max") and c["column"] == "salary_band"):
            v = int(v)
        elif kind in ("share", "mean_band", "mean_tenure"):
            v = float(v)
        else:
            v = v if isinstance(v, str) else v.isoformat()
        answers.append(v)
    return answers


def duckdb_worker(d, checks):
    import duckdb

    t0 = time.perf_counter()
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE people AS SELECT * FROM read_csv(?, header = true, columns = {"
        "'id': 'VARCHAR', 'name': 'VARCHAR', 'org': 'VARCHAR', 'country': 'VARCHAR', "
        "'joined': 'DATE', 'left': 'DATE', 'role': 'VARCHAR', 'salary_band': 'INTEGER'})",
        [str(d / "evidence" / "people.csv")])
    con.execute(
        "CREATE TABLE employment AS SELECT * FROM read_csv(?, header = true, columns = {"
        "'person_id': 'VARCHAR', 'org': 'VARCHAR', 'start': 'DATE', 'end': 'DATE'})",
        [str(d / "evidence" / "employment.csv")])
    t1 = time.perf_counter()
    answers = sql_answers(lambda sql: con.execute(sql).fetchall(), checks,
                          lambda s: f"DATE '{s}'", '"left" - joined')
    t2 = time.perf_counter()
    return answers, t1 - t0, t2 - t1


def sqlite_worker(d, checks):
    import sqlite3

    t0 = time.perf_counter()
    con = sqlite3.connect(":memory:")
    con.execute('CREATE TABLE people (id TEXT, name TEXT, org TEXT, country TEXT, '
                'joined TEXT, "left" TEXT, role TEXT, salary_band INTEGER)')
    con.execute('CREATE TABLE employment (person_id TEXT, org TEXT, start TEXT, "end" TEXT)')
    with open(d / "evidence" / "people.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        con.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        ((a, b, c, e, j, lft or None, role, int(band))
                         for a, b, c, e, j, lft, role, band in r))
    with open(d / "evidence" / "employment.csv", newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        con.executemany("INSERT INTO employment VALUES (?, ?, ?, ?)",
                        ((p, o, s, e or None) for p, o, s, e in r))
    con.commit()
    t1 = time.perf_counter()
    # Dates are ISO text, so they compare as dates.
    answers = sql_answers(lambda sql: con.execute(sql).fetchall(), checks,
                          lambda s: f"'{s}'", 'julianday("left") - julianday(joined)')
    t2 = time.perf_counter()
    return answers, t1 - t0, t2 - t1


WORKERS = {"pandas": pandas_worker, "duckdb": duckdb_worker, "sqlite": sqlite_worker}
MODULES = {"pandas": "pandas", "duckdb": "duckdb", "sqlite": "sqlite3"}


def worker_main(tool, d, out):
    checks = json.loads((d / "checks.json").read_text())["checks"]
    answers, load, run = WORKERS[tool](d, checks)
    out.write_text(json.dumps({
        "answers": answers, "load": load, "checks": run,
    }))


# ------------------------------------------------------------------ checking


def round_half_up(x, dp):
    """x >= 0 correctly rounded (half away from zero) to dp decimals."""
    scaled = x * 10**dp
    q, r = divmod(scaled.numerator, scaled.denominator)
    if 2 * r >= scaled.denominator:
        q += 1
    return Fraction(q, 10**dp)


def figure(text):
    return Fraction(text.removesuffix("%").removesuffix(" years"))


def check_statements(checks):
    """The generator's stated figures are its exact answers correctly rounded;
    the perturbed ones lie more than one unit of their last digit away (so a
    perturbed claim is refuted, not imprecise). Returns a list of problems."""
    bad = []
    for c in checks:
        e = c["expected"]
        if e["type"] == "ratio":
            exact = Fraction(e["num"], e["den"])
            ulp = Fraction(1, 10**e["dp"])
            if figure(c["stated"]) != round_half_up(exact, e["dp"]):
                bad.append(f"{c['id']}: stated {c['stated']} is not {exact} rounded")
            if abs(figure(c["perturbed"]) - exact) <= ulp:
                bad.append(f"{c['id']}: perturbed {c['perturbed']} is within one ulp")
        else:
            if c["stated"] != str(e["value"]):
                bad.append(f"{c['id']}: stated {c['stated']} != {e['value']}")
            if c["perturbed"] == c["stated"]:
                bad.append(f"{c['id']}: perturbed equals stated")
    return bad


def agrees(c, answer):
    e = c["expected"]
    if e["type"] == "ratio":
        if not isinstance(answer, float):
            return False
        exact = Fraction(e["num"], e["den"])
        return abs(Fraction(answer) - exact) <= REL_TOL * max(exact, Fraction(1))
    if e["type"] == "text":
        return answer == [e["value"]]
    return answer == e["value"]


def compare_answers(tool, checks, answers):
    """Problems, and the largest relative error of a float answer."""
    bad, worst = [], Fraction(0)
    if len(answers) != len(checks):
        return [f"{tool}: {len(answers)} answers for {len(checks)} checks"], worst
    for c, a in zip(checks, answers):
        if not agrees(c, a):
            bad.append(f"{tool}: {c['id']}: answered {a!r}, expected {c['expected']}")
        elif c["expected"]["type"] == "ratio":
            exact = Fraction(c["expected"]["num"], c["expected"]["den"])
            worst = max(worst, abs(Fraction(a) - exact) / exact)
    return bad, worst


def check_factcheck_report(report, checks, perturbed):
    """Every claim has the wanted verdict and factcheck's computed value is the
    exact expected one."""
    want = "refuted" if perturbed else "supported"
    suffix = "-perturbed" if perturbed else ""
    by_id = {c["id"]: c for c in report.get("claims", [])}
    bad = []
    if len(by_id) != len(checks):
        bad.append(f"factcheck: {len(by_id)} verdicts for {len(checks)} checks")
    for c in checks:
        r = by_id.get(c["id"] + suffix)
        if r is None:
            bad.append(f"factcheck: no verdict for {c['id'] + suffix}")
            continue
        if r["verdict"] != want:
            bad.append(f"factcheck: {c['id'] + suffix} is {r['verdict']}, not {want}")
        comp = r.get("computed") or {}
        e = c["expected"]
        if e["type"] in ("int", "ratio"):
            iv = comp.get("interval") or {}
            exact = (Fraction(e["value"]) if e["type"] == "int"
                     else Fraction(e["num"], e["den"]))
            got = {iv.get("lo_exact"), iv.get("hi_exact")}
            if None in got or {Fraction(g) for g in got} != {exact}:
                bad.append(f"factcheck: {c['id']} computed {comp.get('display')}, "
                           f"expected {exact}")
        elif e["type"] == "date":
            if comp.get("display") != e["value"]:
                bad.append(f"factcheck: {c['id']} computed {comp.get('display')}, "
                           f"expected {e['value']}")
        else:
            if comp.get("display") != ("false" if perturbed else "true"):
                bad.append(f"factcheck: {c['id']} computed {comp.get('display')}")
    return bad


# ------------------------------------------------------------------ running


TIME = "/usr/bin/time"


def run_measured(cmd):
    """Run cmd; return (exit status, wall seconds, peak RSS in KiB).

    The peak comes from GNU time's %M when /usr/bin/time exists. Otherwise it
    is ru_maxrss from os.wait4, which on Linux also counts this script's own
    resident size at the fork (the kernel carries the high-water mark across
    exec), so it is only an upper bound."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        timed = os.access(TIME, os.X_OK)
        full = [TIME, "-f", "%M", "-o", tf.name, *cmd] if timed else cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(full, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        peak = usage.ru_maxrss
        if timed:
            lines = Path(tf.name).read_text().split()
            peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
    return p.returncode, wall, peak


def available(tool):
    try:
        __import__(MODULES[tool])
        return True
    except ImportError:
        return False


def dir_bytes(path):
    return sum(f.stat().st_size for f in Path(path).iterdir() if f.is_file())


def fmt_mib(kib):
    return f"{kib / 1024:,.0f} MiB"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dir", type=Path, help="bench-gen's output directory")
    ap.add_argument("--factcheck", type=Path, help="the factcheck binary (omit to skip it)")
    ap.add_argument("--runs", type=int, default=3, help="runs per tool (median shown)")
    ap.add_argument("--factcheck-runs", type=int, help="runs of factcheck (default: --runs)")
    ap.add_argument("--tools", default=",".join(TOOLS), help="comma-separated: " + ",".join(TOOLS))
    ap.add_argument("--json-out", type=Path, help="also write the measurements as JSON")
    ap.add_argument("--worker", choices=TOOLS, help=argparse.SUPPRESS)
    ap.add_argument("--answers", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    d = a.dir.resolve()
    if a.worker:
        worker_main(a.worker, d, a.answers)
        return 0

    workload = json.loads((d / "checks.json").read_text())
    checks = workload["checks"]
    problems = check_statements(checks)
    csv_bytes = (d / "evidence" / "people.csv").stat().st_size + (d / "evidence" / "employment.csv").stat().st_size
    ev_bytes = dir_bytes(d / "evidence")
    print(f"workload: {workload['people']:,} people, {workload['employment']:,} stints, "
          f"{len(checks)} checks; plain CSVs {csv_bytes:,} bytes, "
          f"factcheck evidence {ev_bytes:,} bytes", flush=True)

    versions = []
    for tool in TOOLS:
        if available(tool):
            mod = __import__(MODULES[tool])
            versions.append(f"{tool} {getattr(mod, 'sqlite_version', None) or mod.__version__}")
    print(f"python {sys.version.split()[0]}; " + ", ".join(versions), flush=True)

    rows = []  # (tool, load, checks, total, process wall, peak KiB, input bytes, ok)
    fc_runs = a.factcheck_runs or a.runs
    if a.factcheck:
        fc = str(a.factcheck)
        for perturbed in (False, True):
            name = "perturbed" if perturbed else "stated"
            times, peak, bad = [], 0, []
            with tempfile.TemporaryDirectory() as tmp:
                out = Path(tmp) / "report.json"
                for _ in range(fc_runs):
                    status, wall, rss = run_measured(
                        [fc, "verify", str(d / "claims" / f"{name}.toml"),
                         "--evidence", str(d / "evidence"), "--format", "json",
                         "--fail-on", "none", "-o", str(out)])
                    times.append(wall)
                    peak = max(peak, rss)
                    if status != 0:
                        bad.append(f"factcheck verify {name}: exit status {status}")
                        break
                if not bad:
                    report = json.loads(out.read_text())
                    bad = check_factcheck_report(report, checks, perturbed)
                    summary = report.get("summary", {})
                    print(f"factcheck verify {name}.toml: {summary}", flush=True)
            problems += bad
            t = statistics.median(times)
            rows.append((f"factcheck verify ({name})", None, None, t, t, peak,
                         ev_bytes, not bad, len(times)))

    for tool in [t for t in a.tools.split(",") if t]:
        if tool not in TOOLS:
            print(f"unknown tool {tool}", file=sys.stderr)
            return 2
        if not available(tool):
            print(f"{tool}: not installed, skipped", flush=True)
            continue
        loads, runs_, totals, walls, peak, bad, worst = [], [], [], [], 0, [], 0
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "answers.json"
            for i in range(a.runs):
                status, wall, rss = run_measured(
                    [sys.executable, __file__, str(d), "--worker", tool, "--answers", str(out)])
                if status != 0:
                    bad.append(f"{tool}: worker exit status {status}")
                    break
                res = json.loads(out.read_text())
                loads.append(res["load"])
                runs_.append(res["checks"])
                totals.append(res["load"] + res["checks"])
                walls.append(wall)
                peak = max(peak, rss)
                if i == 0:
                    more, worst = compare_answers(tool, checks, res["answers"])
                    bad += more
        problems += bad
        if totals:
            print(f"{tool}: {len(checks) - len(bad)}/{len(checks)} answers agree; largest "
                  f"relative error of a float answer {float(worst):.1e}", flush=True)
            rows.append((tool, statistics.median(loads), statistics.median(runs_),
                         statistics.median(totals), statistics.median(walls), peak,
                         csv_bytes, not bad, len(totals)))

    base = next((r[3] for r in rows if r[0] == "pandas"), None)
    head = ("tool", "runs", "load s", "checks s", "load+checks s", "process s",
            "peak RSS", "× pandas", "input bytes", "answers")
    table = [head]
    for tool, load, run, total, wall, peak, inp, ok, n in rows:
        table.append((
            tool, str(n),
            "" if load is None else f"{load:.2f}",
            "" if run is None else f"{run:.2f}",
            f"{total:.2f}", f"{wall:.2f}", fmt_mib(peak),
            f"{total / base:.1f}" if base else "",
            f"{inp:,}", "ok" if ok else "WRONG"))
    widths = [max(len(r[i]) for r in table) for i in range(len(head))]
    print()
    for i, r in enumerate(table):
        print("  ".join(c.ljust(w) if j == 0 else c.rjust(w)
                        for j, (c, w) in enumerate(zip(r, widths))).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))
    print()
    print("times: median of the runs; peak RSS: the largest; factcheck's time is its "
          "whole process (it loads and checks), the others' load+checks excludes "
          "interpreter start-up and imports (see process s); × pandas is load+checks "
          "over pandas' load+checks.")
    if a.json_out:
        a.json_out.write_text(json.dumps({
            "people": workload["people"], "employment": workload["employment"],
            "checks": len(checks), "csv_bytes": csv_bytes, "evidence_bytes": ev_bytes,
            "rows": [dict(zip(("tool", "load_s", "checks_s", "total_s", "process_s",
                               "peak_kib", "input_bytes", "ok", "runs"), r)) for r in rows],
            "problems": problems,
        }, indent=2) + "\n")
    if problems:
        print(f"\n{len(problems)} problems:", file=sys.stderr)
        for p in problems[:50]:
            print("  " + p, file=sys.stderr)
        return 1
    print("every tool gave the generator's exact answers; every stated claim is "
          "supported and every perturbed claim refuted" if a.factcheck else
          "every tool gave the generator's exact answers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
