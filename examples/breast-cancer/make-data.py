#!/usr/bin/env python3
"""Writes examples/data/breast_cancer_missing.csv from the shared breast_cancer.csv.

The shared file (UCI Wisconsin diagnostic breast cancer, as shipped by scikit-learn) has a
numeric first line "569,30,malignant,benign" and no column names or missing values. This script
gives the columns their scikit-learn names, writes the diagnosis as text, and blanks 5 % of the
measurement cells, chosen at random with seed 10, so the example has real CSV to read: a header,
a text column and missing values (missing completely at random, injected here, not in the
original data). Usage: make-data.py [shared breast_cancer.csv] [output csv]
"""
import csv
import random
import sys

NAMES = [f"{kind} {feature}" if kind == "mean" or kind == "worst" else f"{feature} error"
         for kind in ("mean", "error", "worst")
         for feature in ("radius", "texture", "perimeter", "area", "smoothness", "compactness",
                         "concavity", "concave points", "symmetry", "fractal dimension")]

source = sys.argv[1] if len(sys.argv) > 1 else "examples/data/breast_cancer.csv"
target = sys.argv[2] if len(sys.argv) > 2 else "examples/data/breast_cancer_missing.csv"
with open(source, newline="") as f:
    rows = list(csv.reader(f))
count, features, *classes = rows[0]
assert int(features) == len(NAMES) == 30 and int(count) == len(rows) - 1
rng = random.Random(10)
with open(target, "w", newline="") as f:
    out = csv.writer(f, lineterminator="\n")
    out.writerow([name.replace(" ", "_") for name in NAMES] + ["diagnosis"])
    for row in rows[1:]:
        cells = [("" if rng.random() < 0.05 else value) for value in row[:30]]
        out.writerow(cells + [classes[int(row[30])]])
