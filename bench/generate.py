"""Synthetic data at scale for the benchmarks (issue 8, item 1; bench/README.md, "Synthetic data").

    .venv/bin/python bench/generate.py            # vk_bench: 500 employers, 100,000 employees
    .venv/bin/python bench/generate.py --small    # vk_bench_small: 5 employers, 1,000 employees
    .venv/bin/python bench/generate.py --seed 7 --today 2026-11-24 --no-verify

Drops and recreates the database with its two login roles, migrates it as production does
(bench/common.py), fills it and proves it readable through the application. Same seed and same
`--today` → the same rows (only the AES-GCM nonces of the medical fields and the password/keys
in the manifest are fresh per run). The manifest — users, the shared password, TOTP keys, the
medical encryption key, row counts, timings, retention counts — goes to bench/out/<db>.json
(git-ignored, mode 0600).

Three stages, each its own process:
- orchestration (this script without --stage, or bench.common.generate): database, migrate;
- `--stage fill` (as the owning login; bench/generator/fill.py): every row planned in Python
  with `random.Random(seed)`, ids allocated up front, written with PostgreSQL COPY (psycopg 3
  `cursor.copy()`); the few hundred accounts, organisations and TOTP devices with one
  `bulk_create` each. What the application computes is computed with the application's own
  code: the consult fields with `EncryptedTextField.get_prep_value` (encryption/crypto.py, the
  key from MEDICAL_ENCRYPTION_KEYS as in production), the audit chain with privacy.audit's
  `_canonical`/`_digest`, retention dates with the periods of retention/rules.py, the next
  Poortwachter deadline of every open case with verzuim.deadlines / verzuim.poortwachter;
- `--stage verify` (as the app and medisch roles; bench/generator/verify.py): ORM reads,
  decryption, a sample of stored `keep_until` and next deadlines recomputed through the
  registry and the engine, the roles' separation, `retention.purge.dry_run`; then
  `manage.py check` and `verify_audit_log`.

Synthetic only: names are combinations from short lists of common Dutch names, addresses are
made up, e-mail on the reserved `.example` domain, every row `is_synthetic` where the model has
the flag; no BSN anywhere (no table filled here has one).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402 - after the path setup


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="1,000 employees instead of 100,000")
    parser.add_argument("--db", help="vk_bench (default) or vk_bench_small (default with --small)")
    parser.add_argument("--seed", type=int, default=common.DEFAULT_SEED)
    parser.add_argument("--today", help="generation date YYYY-MM-DD (default: today, Amsterdam)")
    parser.add_argument("--no-verify", action="store_true", help="skip the verify stage")
    parser.add_argument("--stage", choices=["fill", "verify"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.db = args.db or (common.DEFAULT_SMALL_DB if args.small else common.DEFAULT_DB)
    if args.db not in common.ALLOWED_DBS:
        parser.error(f"--db must be one of {sorted(common.ALLOWED_DBS)} (it is dropped first)")
    return args


def summary(manifest) -> str:
    lines = [f"database {manifest['db']} (peildatum {manifest['today']}, seed {manifest['seed']})"]
    lines += [
        f"  {k:<44} {v:>12}" for k, v in manifest["counts"].items() if not isinstance(v, list)
    ]
    split = manifest["counts"]["werknemers employed / left >2y / left <2y"]
    lines.append(f"  {'werknemers employed / left >2y / left <2y':<44} {split}")
    lines.append("tijden (s):")
    for name, seconds in manifest["timings"].items():
        if not isinstance(seconds, dict):
            lines.append(f"  {name:<52} {seconds:>8}")
    for name, seconds in manifest["timings"].get("verify", {}).items():
        lines.append(f"  verify: {name:<44} {seconds:>8}")
    if "retention_dry_run" in manifest:
        lines.append("retention.purge.dry_run op de peildatum (per categorie):")
        for key, count in manifest["retention_dry_run"].items():
            lines.append(f"  {key:<44} {count:>12,}")
        lines.append(f"  {'totaal':<44} {manifest['retention_dry_run_total']:>12,}")
    lines.append(f"manifest: {common.manifest_path(manifest['db'])}")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.stage:
        django.setup()
        # After django.setup(): the stage modules import the application's models at their top.
        from bench.generator.fill import fill
        from bench.generator.verify import verify

        {"fill": fill, "verify": verify}[args.stage](args)
        return 0
    manifest = common.generate(
        args.db, small=args.small, seed=args.seed, today=args.today, verify=not args.no_verify
    )
    print(summary(manifest), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
