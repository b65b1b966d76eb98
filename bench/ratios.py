"""The shape every measurement of `bench/run.py` reports (issue 8): a ratio of two timings (or
sizes) taken side by side in one run, repeated, reported as the median, with its bar.

Figures on these shared 2-core machines drift, so an absolute time means little; two variants
measured alternately in the same minutes drift together, and their ratio holds. Each measuring
module (`bench/measure_*.py`) exposes

    def measure(repeats: int) -> list[Ratio]

and can be run on its own: `python -m bench.measure_<name> [--repeats N]`.

Importable without Django.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field


class _Measured:
    """What Ratio and Figure share: the median of the samples and the JSON form."""

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    def as_dict(self) -> dict:
        return {**asdict(self), "median": self.median, "passed": self.passed}


@dataclass
class Ratio(_Measured):
    name: str  # what is compared, e.g. "verzuimoverzicht eerste pagina: 100k / 1k"
    samples: list[float]  # one ratio per repeat (numerator / denominator)
    bar: float  # the bar the median must meet
    op: str = "<="  # "<=" (at most) or ">=" (at least)
    unit: str = "x"
    # Figures worth showing beside the ratio: absolute medians, query counts, peak memory, ...
    detail: dict = field(default_factory=dict)
    note: str = ""  # what bounds it when the bar is missed, or how it was measured

    @property
    def passed(self) -> bool:
        if not self.samples:
            return False
        return self.median <= self.bar if self.op == "<=" else self.median >= self.bar


@dataclass
class Figure(_Measured):
    """A measured value with no ratio (peak memory, a duration against an absolute bar)."""

    name: str
    samples: list[float]
    unit: str
    bar: float | None = None  # an absolute bar, if the issue sets one (e.g. cold start 180 s)
    op: str = "<="
    detail: dict = field(default_factory=dict)
    note: str = ""

    @property
    def passed(self) -> bool | None:
        if self.bar is None:
            return None
        if not self.samples:
            return False
        return self.median <= self.bar if self.op == "<=" else self.median >= self.bar


def to_json(results) -> str:
    return json.dumps([r.as_dict() for r in results], indent=2, ensure_ascii=False)
