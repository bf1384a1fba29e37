#!/usr/bin/env python3
"""Deals the clients of one generated data set (gen_scale.py) out over N portfolios of about
equal size, for the batch benchmark: each portfolio gets its clients' invoices and payments
as they were (every field kept as text, so the files differ from the originals only in which
rows they hold), the benchmark's arwatch.toml and a line in manifest.toml.

    python split_portfolios.py DATA_DIR N OUT_DIR

Clients go, largest first, to the portfolio with the fewest invoices so far (deterministic:
ties by client id and portfolio number), so 10 million invoices over 1,000 portfolios give
about 10,000 each.
"""
import heapq
import os
import shutil
import sys

import polars as pl

data, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
config = os.path.join(os.path.dirname(os.path.abspath(__file__)), "arwatch.toml")
invoices = pl.read_csv(os.path.join(data, "invoices.csv"), infer_schema=False)
payments = pl.read_csv(os.path.join(data, "payments.csv"), infer_schema=False)

sizes = invoices.group_by("client_id").len().sort(["len", "client_id"], descending=[True, False])
heap = [(0, p) for p in range(n)]
owner = {}
for client, count in sizes.iter_rows():
    load, p = heapq.heappop(heap)
    owner[client] = p
    heapq.heappush(heap, (load + count, p))
owners = pl.DataFrame({"client_id": list(owner), "portfolio": list(owner.values())})

os.makedirs(out, exist_ok=True)
name = lambda p: f"p{p + 1:04d}"
for kind, frame in (("invoices", invoices), ("payments", payments)):
    parts = frame.join(owners, on="client_id", how="left", maintain_order="left").partition_by("portfolio", as_dict=True)
    for (p,), part in parts.items():
        os.makedirs(os.path.join(out, name(p)), exist_ok=True)
        part.drop("portfolio").write_csv(os.path.join(out, name(p), f"{kind}.csv"))
with open(os.path.join(out, "manifest.toml"), "w") as m:
    m.write('out = "runs"\n')
    for p in range(n):
        shutil.copy(config, os.path.join(out, name(p), "arwatch.toml"))
        m.write(f'\n[[portfolio]]\nname = "{name(p)}"\nconfig = "{name(p)}/arwatch.toml"\n')
loads = sorted(l for l, _ in heap)
print(f"{n} portfolios: {loads[0]}..{loads[-1]} invoices, {invoices.height} in all")
