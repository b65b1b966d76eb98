"""`make security` (SE-6): the offline security scan, in CI on every `make test` and on demand.

Checks, each counted in findings; any finding makes the exit status 1:

- deploy:        `manage.py check --deploy --fail-level WARNING` under production settings, with
                 dummy, non-secret values for the variables production requires.
- bandit:        static analysis of the apps (+ bench/), config in pyproject [tool.bandit]; only
                 medium and high severity count, low is listed.
- semgrep-tests: `semgrep --test` on .semgrep/: every rule catches its planted examples.
- semgrep:       the project's own rules in .semgrep/ (no registry, no network, no metrics).
- bsn:           no real-looking BSN in fixtures, factories, demo or test data (SE-5).

pip-audit is deliberately absent: its vulnerability database cannot be reached from these
machines, and it then reports "no known vulnerabilities" (README, Beveiligingsscan).

    python -m config.security                 # everything
    python -m config.security --only bsn,bandit
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from config import bsn_scan

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "config",
    "core",
    "doelgroep",
    "encryption",
    "medisch",
    "privacy",
    "reintegratie",
    "retention",
    "verzuim",
]
SEMGREP_RULES = ROOT / ".semgrep"
SEMGREP_FLAGS = ["--metrics=off", "--disable-version-check", "--quiet"]
# Dummy production settings for the deploy check: not secrets, never used to serve anything.
DEPLOY_ENV = {
    "VK_ENVIRONMENT": "production",
    "SECRET_KEY": "security-scan-dummy-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "ALLOWED_HOSTS": "verzuim.example",
    "DATABASE_URL": "postgres://vk_scan@127.0.0.1:5432/vk_security_scan_dummy",
    "MEDICAL_ENCRYPTION_KEYS": "scan1:" + "A" * 43,
}


@dataclass
class CheckResult:
    name: str
    findings: int
    details: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def status(self) -> str:
        return "OK" if self.findings == 0 else "FOUT"


def _run(cmd, **kwargs) -> subprocess.CompletedProcess:
    # Our own tools (manage.py, bandit, semgrep) with fixed arguments: no untrusted input.
    cwd = kwargs.pop("cwd", ROOT)
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, **kwargs)  # noqa: S603


def targets(root: Path = ROOT) -> list[str]:
    return APPS + (["bench"] if (root / "bench").is_dir() else [])


def semgrep_binary() -> str | None:
    """VK_SEMGREP, else .venv-semgrep/bin/semgrep (make security installs it), else PATH."""
    configured = os.environ.get("VK_SEMGREP")
    if configured:
        return os.path.abspath(configured)  # the rule tests run from inside .semgrep/
    local = ROOT / ".venv-semgrep" / "bin" / "semgrep"
    if local.exists():
        return str(local)
    return shutil.which("semgrep")


def semgrep_env() -> dict:
    return {**os.environ, "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}


# --- the checks ---------------------------------------------------------------------------------


def check_deploy() -> CheckResult:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DEPLOY_ENV)
    cmd = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    proc = _run(cmd, env=env)
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode == 0:
        return CheckResult("deploy", 0, note="check --deploy --fail-level WARNING")
    issues = [line for line in output.splitlines() if ": (" in line] or output.splitlines()[-5:]
    return CheckResult("deploy", max(1, len(issues)), issues)


def run_bandit(paths: list[str], root: Path = ROOT) -> CheckResult:
    cmd = [sys.executable, "-m", "bandit", "-c", str(ROOT / "pyproject.toml"), "-r", *paths]
    cmd += ["-f", "json", "-q"]
    proc = _run(cmd, cwd=root)
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return CheckResult("bandit", 1, [f"bandit gaf geen rapport: {proc.stderr.strip()[-500:]}"])
    errors = [f"{e['filename']}: {e['reason']}" for e in report.get("errors", [])]
    counted, low = [], []
    for issue in report["results"]:
        line = (
            f"{issue['filename']}:{issue['line_number']} {issue['test_id']} "
            f"{issue['issue_severity']}: {issue['issue_text']}"
        )
        (low if issue["issue_severity"] == "LOW" else counted).append(line)
    return CheckResult(
        "bandit",
        len(counted) + len(errors),
        counted + errors + [f"(low, telt niet mee) {line}" for line in low],
        note=f"{len(low)} low (telt niet mee)" if low else "",
    )


def check_bandit() -> CheckResult:
    return run_bandit(targets())


def run_semgrep(paths: list[str], root: Path = ROOT, rules: Path = SEMGREP_RULES) -> CheckResult:
    binary = semgrep_binary()
    if not binary:
        return CheckResult("semgrep", 1, ["semgrep ontbreekt: `make security` installeert het"])
    cmd = [binary, "scan", "--config", str(rules), *SEMGREP_FLAGS, "--json", *paths]
    proc = _run(cmd, cwd=root, env=semgrep_env())
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return CheckResult("semgrep", 1, [f"semgrep faalde: {proc.stderr.strip()[-500:]}"])
    findings = [
        f"{r['path']}:{r['start']['line']} {r['check_id'].rsplit('.', 1)[-1]}: "
        f"{' '.join(r['extra']['message'].split())[:160]}"
        for r in report["results"]
    ]
    errors = [f"semgrep-fout: {e.get('message', e)}"[:300] for e in report.get("errors", [])]
    scanned = len(report.get("paths", {}).get("scanned", []))
    return CheckResult(
        "semgrep", len(findings) + len(errors), findings + errors, note=f"{scanned} bestanden"
    )


def check_semgrep() -> CheckResult:
    return run_semgrep(targets() + ["templates", "tests"])


def check_semgrep_tests() -> CheckResult:
    binary = semgrep_binary()
    if not binary:
        return CheckResult("semgrep-tests", 1, ["semgrep ontbreekt"])
    # Run from inside .semgrep: semgrep skips hidden directories given as targets.
    cmd = [binary, "--test", "--config", ".", "tests", *SEMGREP_FLAGS]
    proc = _run(cmd, cwd=SEMGREP_RULES, env=semgrep_env())
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode == 0 and "All tests passed" in output:
        rules = len(list(SEMGREP_RULES.glob("*.yml")))
        return CheckResult("semgrep-tests", 0, note=f"{rules} regels bewezen op hun voorbeelden")
    return CheckResult("semgrep-tests", 1, output.splitlines()[-15:])


def check_bsn() -> CheckResult:
    result = bsn_scan.scan(ROOT)
    scanned = textwrap.wrap("gelezen: " + ", ".join(result.files), 96)
    return CheckResult(
        "bsn",
        len(result.findings),
        [str(f) for f in result.findings] + scanned,
        note=f"{len(result.files)} bestanden (fixtures/factories/demo/seed/tests/bench)",
    )


CHECKS: dict[str, Callable[[], CheckResult]] = {
    "deploy": check_deploy,
    "bandit": check_bandit,
    "semgrep-tests": check_semgrep_tests,
    "semgrep": check_semgrep,
    "bsn": check_bsn,
}


def summary(results: list[CheckResult]) -> str:
    width = max(len(r.name) for r in results)
    lines = ["", f"{'controle'.ljust(width)}  bevindingen  status  toelichting"]
    lines.append("-" * (width + 40))
    for r in results:
        lines.append(f"{r.name.ljust(width)}  {r.findings:>11}  {r.status:<6}  {r.note}")
    return "\n".join(lines)


def run(checks: dict[str, Callable[[], CheckResult]], out=None) -> int:
    out = out or sys.stdout
    results = []
    for name, check in checks.items():
        print(f"== {name}", file=out, flush=True)
        result = check()
        for detail in result.details:
            print(f"   {detail}", file=out)
        results.append(result)
    print(summary(results), file=out)
    failed = [r.name for r in results if r.findings]
    if failed:
        print(f"\nBeveiligingsscan: bevindingen in {', '.join(failed)}.", file=out)
        return 1
    print("\nBeveiligingsscan: geen bevindingen.", file=out)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="komma-gescheiden: " + ",".join(CHECKS))
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(CHECKS)
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        parser.error(f"onbekende controle: {', '.join(unknown)}")
    return run({name: CHECKS[name] for name in names})


if __name__ == "__main__":
    sys.exit(main())
