"""The synthetic data generator behind bench/generate.py (its command line):

- shape.py: sizes, shares, word lists, drawing helpers;
- plan.py, sickness.py: every row planned in memory (`Plan`), ids allocated up front;
- write.py, audit.py: the planned rows written with COPY (the audit log hash-chained);
- fill.py, verify.py: the two stages `--stage fill` and `--stage verify` run as processes of
  their own, with Django set up (bench/generate.py sets it up before importing them).
"""
