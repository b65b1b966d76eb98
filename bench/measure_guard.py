"""Issue 21: the medical-term guard's speed (ZM-3, MD-5), in milliseconds per paragraph.

Every sentence of every corpus in tests/privacy/corpus/ (tuning, holdout, heldout2, heldout3,
heldout4;
medical and work) is joined, in file order, into paragraphs of about 600 characters — the size
of a "lopende afspraken" note or an advice field. Each repeat scans all paragraphs once with
`privacy.medical_guard.scan` (the function forms, the API, the action layer and the doctor's
advice warnings all go through) and divides the time by the number of paragraphs; the report
gives the median, the best and the worst repeat, and the slowest single paragraph (median of
its own repeats). Bar: under 1 ms per paragraph. The vocabulary is compiled before timing, as
in a running process (it is read once, lru_cache).

    .venv/bin/python -m bench.measure_guard [--repeats N] [--size CHARS]

Needs no database; imports no Django settings.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "privacy" / "corpus"
BAR_MS = 1.0


def sentences() -> list[str]:
    found = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(line.strip())
    return found


def paragraphs(size: int) -> list[str]:
    out, current = [], ""
    for sentence in sentences():
        current = f"{current} {sentence}".strip()
        if len(current) >= size:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=21)
    parser.add_argument("--size", type=int, default=600, help="characters per paragraph")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    from privacy.medical_guard import scan, vocabulary

    vocabulary()
    texts = paragraphs(args.size)
    per_repeat = []
    per_text = [[] for _ in texts]
    for _ in range(args.repeats):
        start = time.perf_counter()
        for i, text in enumerate(texts):
            t0 = time.perf_counter()
            scan(text)
            per_text[i].append(time.perf_counter() - t0)
        per_repeat.append((time.perf_counter() - start) / len(texts) * 1000)
    slowest = max(range(len(texts)), key=lambda i: statistics.median(per_text[i]))
    mean_chars = sum(map(len, texts)) / len(texts)
    median = statistics.median(per_repeat)
    print(
        f"{len(texts)} paragraphs of {mean_chars:.0f} characters on average "
        f"({len(sentences())} corpus sentences), {args.repeats} repeats"
    )
    print(
        f"ms per paragraph: median {median:.3f}, best {min(per_repeat):.3f}, "
        f"worst {max(per_repeat):.3f}; slowest paragraph "
        f"{statistics.median(per_text[slowest]) * 1000:.3f} ms ({len(texts[slowest])} chars)"
    )
    print(f"bar < {BAR_MS} ms: {'met' if median < BAR_MS else 'NOT met'}")
    return 0 if median < BAR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
