"""Runs examples/pool/pool.sql with DuckDB over the contributions and compares every figure with
the elsewhere files `arwatch pool` wrote, as the CSV files round them. Exits 1 on a difference.

    python examples/pool/check_with_duckdb.py CONTRIBUTIONS_GLOB POOL_MONTH_DIR AS_OF

    python examples/pool/check_with_duckdb.py 'portfolios/batch/*/2026-10/pool/contribution.parquet' \
        pool/2026-10 2026-10-31
"""
import csv
import glob
import os
import sys

import duckdb

files, month_dir, as_of = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.execute("SET VARIABLE files = ?", [sorted(glob.glob(files))])
con.execute(f"SET VARIABLE as_of = DATE '{as_of}'")
sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pool.sql")).read()
result = con.execute(sql)
names = [d[0] for d in result.description]
expected = {}
for row in result.fetchall():
    r = dict(zip(names, row))
    expected[(r["viewer"], r["company_number"], r["currency"])] = r

DIGITS = {"late_ratio_12m": 4, "over_90_share": 4, "wadl_12m": 2, "wadl_12m_month_before": 2,
          "wadl_trend_6m": 2, "wadl_spread": 2, "dbt": 2, "exposure_elsewhere_from": 2,
          "exposure_elsewhere_to": 2, "creditors_elsewhere": None}
compared, wrong = 0, []
seen = set()
for path in sorted(glob.glob(os.path.join(month_dir, "elsewhere", "*.csv"))):
    viewer = os.path.basename(path)[: -len(".csv")]
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            key = (viewer, row["company_number"], row["currency"])
            seen.add(key)
            sql_row = expected.get(key)
            if sql_row is None:
                wrong.append(f"{key}: in arwatch's file, not in the SQL result")
                continue
            for col, digits in DIGITS.items():
                v = sql_row[col]
                want = "" if v is None else (str(v) if digits is None else f"{float(v):.{digits}f}")
                got = row[col]
                # A slope of -1e-15 in one engine is +1e-15 in the other.
                want, got = (x[1:] if x.startswith("-") and float(x) == 0 else x for x in (want, got))
                compared += 1
                if got != want:
                    wrong.append(f"{key} {col}: arwatch {got!r}, SQL {want!r}")
for key in expected.keys() - seen:
    wrong.append(f"{key}: in the SQL result, not in arwatch's files")
print(f"{compared} figures compared over {len(seen)} rows; {len(wrong)} differ")
for w in wrong[:20]:
    print("  " + w)
sys.exit(1 if wrong or not compared else 0)
