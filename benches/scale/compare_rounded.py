#!/usr/bin/env python3
"""compare.py from ../shared/bench, with arwatch's documented rounding allowed for.

arwatch writes ratios with 4 decimals and days with 2 (outputs.md), where the other engines
write full floats. Money, counts and text must still match exactly; a ratio or day column
may differ by at most half a unit of its last printed digit.
"""
import importlib.util
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("compare", here / "../../../shared/bench/compare.py")
compare = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare)
original = compare.same


def same(col, a, b):
    if col in compare.FLOATS and a != "" and b != "":
        decimals = len(b.split(".")[1]) if "." in b else 0
        return abs(float(a) - float(b)) <= 0.5 * 10 ** -decimals + 1e-9
    return original(col, a, b)


compare.same = same
sys.argv = [sys.argv[0]] + sys.argv[1:]
compare.main()
