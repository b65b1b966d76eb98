"""`make test`'s closing lines: the wall time of each part and the total, against the budget.

Budget (README, "Tests"): the whole `.ci/run` — services, Chromium, `make test` — under 15
minutes on the 2-core CI machine. Reads the "part seconds" lines `make test` writes.
"""

import sys
from pathlib import Path

BUDGET_SECONDS = 15 * 60


def _clock(seconds: int) -> str:
    return f"{seconds // 60:d}:{seconds % 60:02d}"


def main(path: str) -> int:
    parts = []
    for line in Path(path).read_text().splitlines():
        name, _, seconds = line.rpartition(" ")
        parts.append((name, int(seconds)))
    total = sum(seconds for _, seconds in parts)
    print("\nmake test — wall time per part")
    for name, seconds in parts:
        print(f"  {name:<10} {_clock(seconds):>6}")
    print(
        f"  {'total':<10} {_clock(total):>6}   (budget, all of .ci/run: {_clock(BUDGET_SECONDS)})"
    )
    if total > BUDGET_SECONDS:
        print("  OVER BUDGET: make the slowest tests above faster before adding more")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
