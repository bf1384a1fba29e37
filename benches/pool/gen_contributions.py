#!/usr/bin/env python3
"""Synthetic pool contributions for the pooling benchmark: N portfolios, each with its own
debtors drawn from one universe of companies (so that debtors are shared, some by many
creditors), 12 months of settlement rows plus the as-of month's open position, written as
arwatch writes them: <out>/<portfolio>/2026-10/pool/contribution.parquet.

    python gen_contributions.py --portfolios 1000 --out /tmp/pool-1000

Deterministic for a given --portfolios and --seed.
"""
import argparse
import os
from datetime import date

import numpy as np
import polars as pl

p = argparse.ArgumentParser()
p.add_argument("--portfolios", type=int, default=1000)
p.add_argument("--debtors", type=int, default=150, help="debtors per portfolio (mean)")
p.add_argument("--universe", type=int, default=50_000, help="companies to draw debtors from")
p.add_argument("--seed", type=int, default=7)
p.add_argument("--out", required=True)
a = p.parse_args()
rng = np.random.default_rng(a.seed)
# Company numbers: a Zipf-like popularity, so a few debtors are shared by hundreds of creditors.
numbers = np.array([f"BE{0o400000000 + i * 7919:010d}" for i in range(a.universe)])
weights = 1.0 / np.arange(1, a.universe + 1) ** 0.8
weights /= weights.sum()
months = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
rows = 0
for k in range(a.portfolios):
    n = max(10, int(rng.normal(a.debtors, a.debtors / 4)))
    debtors = np.unique(rng.choice(a.universe, size=n, p=weights))
    d = len(debtors)
    m = len(months)
    paid = rng.poisson(3, size=(d, m))
    late = rng.binomial(paid, 0.35)
    amount = paid * rng.lognormal(np.log(800_00), 0.8, size=(d, m)).astype(np.int64)
    late_amount = (amount * np.where(paid > 0, late / np.maximum(paid, 1), 0)).astype(np.int64)
    days_late = rng.exponential(12, size=(d, m))
    adl = (late_amount * days_late).astype(np.int64)
    adp = (amount * (30 + days_late)).astype(np.int64)
    keep = paid.ravel() > 0
    frame = pl.DataFrame({
        "contributor": f"p{k:05d}",
        "company_number": np.repeat(numbers[debtors], m)[keep],
        "currency": "EUR",
        "month": np.tile(months, d)[keep],
        "as_of": date(2026, 10, 31),
        "paid": paid.ravel()[keep].astype(np.int64),
        "late": late.ravel()[keep].astype(np.int64),
        "paid_amount": amount.ravel()[keep],
        "late_amount": late_amount.ravel()[keep],
        "amount_days_late": adl.ravel()[keep],
        "amount_days_to_pay": adp.ravel()[keep],
    })
    exposure = rng.lognormal(np.log(3000_00), 1.0, size=d).astype(np.int64)
    over_90 = (exposure * rng.beta(0.5, 4, size=d)).astype(np.int64)
    position = pl.DataFrame({
        "contributor": f"p{k:05d}",
        "company_number": numbers[debtors],
        "currency": "EUR",
        "month": "2026-10",
        "as_of": date(2026, 10, 31),
        "paid": 0, "late": 0, "paid_amount": 0, "late_amount": 0,
        "amount_days_late": 0, "amount_days_to_pay": 0,
        "exposure": exposure,
        "open_amount": exposure,
        "open_amount_days_overdue": (exposure * rng.exponential(20, size=d)).astype(np.int64),
        "open_not_due": exposure - over_90,
        "open_1_30": 0, "open_31_60": 0, "open_61_90": 0,
        "open_over_90": over_90,
    })
    frame = pl.concat([frame, position], how="diagonal_relaxed").with_columns(pl.col("as_of").cast(pl.Date))
    path = os.path.join(a.out, f"p{k:05d}", "2026-10", "pool")
    os.makedirs(path, exist_ok=True)
    frame.write_parquet(os.path.join(path, "contribution.parquet"))
    rows += frame.height
print(f"{a.portfolios} contributions, {rows} rows, in {a.out}")
