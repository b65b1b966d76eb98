"""SE-5: no real-looking BSN in fixtures, factories, demo or test data.

Every BSN in data we generate or check in must come from the synthetic test range
999 990 000 – 999 999 999 (doelgroep/synthetic.py). This scan reads the repository's text files
that hold such data (fixtures, factories, demo and seed generators, synthetic-data modules,
bench/, tests/, demo/seed JSON), finds 9-digit numbers (also 8 digits, which the 11-proef reads
with a leading zero, and the grouped forms 123.456.782 / 123_456_782) that pass the 11-proef
and lie outside the synthetic range, and reports file:line with the number masked — the scan's
own output must not spread a BSN either (DG-2).

Run on its own: `python -m config.bsn_scan` (exit 1 on a finding); `make security` runs it.
"""

import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath

from stdnum.nl import bsn as stdnum_bsn

ROOT = Path(__file__).resolve().parent.parent
SYNTHETIC_FIRST = 999_990_000  # doelgroep/synthetic.py; kept here so the scan imports no app
SYNTHETIC_LAST = 999_999_999

# A digit group not glued to other digits, letters, '_' '-' '.' or '/' (which would make it part
# of a hash, UUID, timestamp, phone number, version, IP address or path).
CANDIDATE = re.compile(
    r"(?<![\w.\-/+])"
    r"(\d{3}([._])\d{3}\2\d{3}|\d{9}|\d{8})"
    r"(?![\w\-/]|\.\d)"
)

# A number that is deliberately a valid non-synthetic BSN (e.g. a test that the range check rejects
# it) carries this marker on its line, with the reason.
ALLOW_MARKER = "bsn-scan: ok"

SKIP_PREFIXES = (".venv", "static/vendor/", "var/", "node_modules/")
DATA_NAME = re.compile(r"(factor|demo|seed|synthetic|fixture)", re.I)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    masked: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: BSN {self.masked} ligt buiten de synthetische reeks"


@dataclass
class ScanResult:
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def is_data_file(path: str) -> bool:
    """Files that hold fixtures, factories, demo/seed/synthetic data, benchmarks or tests."""
    p = PurePosixPath(path)
    if any(path.startswith(prefix) for prefix in SKIP_PREFIXES):
        return False
    if p.parts and p.parts[0] in {"tests", "bench"}:
        return True
    if "fixtures" in p.parts:
        return True
    return bool(DATA_NAME.search(p.name)) and p.suffix in {".py", ".json", ".csv", ".yaml", ".yml"}


def mask(digits: str) -> str:
    return "*****" + digits[-4:]


def _is_date(digits: str) -> bool:
    """YYYYMMDD: a date or a date-shaped seed constant (e.g. SEED = 20261123), not a BSN."""
    try:
        return 1900 <= int(digits[:4]) <= 2099 and bool(date.fromisoformat(digits))
    except ValueError:
        return False


def real_looking_bsn(text: str) -> str | None:
    """The 9-digit BSN `text` stands for, if it passes the 11-proef outside the synthetic range.
    Eight digits are read with a leading zero (as the 11-proef does), unless they form a date."""
    if len(text) == 8 and _is_date(text):
        return None
    digits = re.sub(r"[._]", "", text).zfill(9)
    if not stdnum_bsn.is_valid(digits):
        return None
    if SYNTHETIC_FIRST <= int(digits) <= SYNTHETIC_LAST:
        return None
    return digits


def scan_text(path: str, text: str) -> list[Finding]:
    findings = []
    for number, line in enumerate(text.splitlines(), start=1):
        if ALLOW_MARKER in line:
            continue
        for match in CANDIDATE.finditer(line):
            digits = real_looking_bsn(match.group(1))
            if digits:
                findings.append(Finding(path, number, mask(digits)))
    return findings


def repository_files(root: Path) -> list[str]:
    """Tracked and new (not ignored) files; without git, every file under root."""
    try:
        out = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],  # noqa: S607
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
        return sorted({name for name in out.decode().split("\0") if name})
    except (OSError, subprocess.CalledProcessError):
        return sorted(str(p.relative_to(root).as_posix()) for p in root.rglob("*") if p.is_file())


def scan(root: Path = ROOT, files: list[str] | None = None) -> ScanResult:
    result = ScanResult()
    for name in files if files is not None else repository_files(root):
        if not is_data_file(name):
            continue
        path = root / name
        try:
            raw = path.read_bytes()
        except OSError:
            continue  # deleted in the working tree
        if b"\0" in raw[:8192]:
            continue  # binary
        result.files.append(name)
        result.findings.extend(scan_text(name, raw.decode("utf-8", errors="replace")))
    return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = Path(argv[0]).resolve() if argv else ROOT
    result = scan(root)
    print(f"BSN-scan (SE-5): {len(result.files)} bestanden gelezen:")
    print("  " + "\n  ".join(result.files))
    for finding in result.findings:
        print(finding)
    return 1 if result.findings else 0


if __name__ == "__main__":
    sys.exit(main())
