"""The deadline table (RI-1): ``poortwachter.toml`` beside the package, the one place a change
in the law is made, read and validated into ``TableRow``s."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

# verzuim/poortwachter.toml: the law as data, beside the engine (verzuim/poortwachter/).
DEFAULT_TABLE_PATH = Path(__file__).parent.with_name("poortwachter.toml")

FIRST_WORKING_DAY_AFTER = "first_working_day_after"
_ADJUSTMENTS = frozenset({FIRST_WORKING_DAY_AFTER})


class TableError(ValueError):
    """The deadline table file is malformed."""


@dataclass(frozen=True)
class TableRow:
    """One row of ``poortwachter.toml``; see the comment at the top of that file."""

    key: str
    label: str
    responsible: str
    rule: str
    source: str
    week: int | None = None
    window_start_week: int | None = None
    adjustment: str | None = None
    latest_after: tuple[str, int] | None = None  # (key, weeks)
    after: str | None = None
    every_weeks: int | None = None
    until_week: int | None = None
    informational: bool = False
    note: str = ""

    @property
    def recurring(self) -> bool:
        return self.after is not None


_REQUIRED = ("key", "label", "responsible", "rule", "source")
_OPTIONAL = (
    "week",
    "window_start_week",
    "adjustment",
    "latest_after",
    "after",
    "every_weeks",
    "until_week",
    "informational",
    "note",
)
_RECURRING = ("after", "every_weeks", "until_week")


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _parse_row(raw: dict[str, Any], where: str, known: Mapping[str, TableRow]) -> TableRow:
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise TableError(f"{where}: unknown field(s) {sorted(unknown)}")
    for name in _REQUIRED:
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise TableError(f"{where}: '{name}' must be a non-empty string")
    if raw["key"] in known:
        raise TableError(f"{where}: duplicate key '{raw['key']}'")
    for name in ("week", "window_start_week", "every_weeks", "until_week"):
        if name in raw and not _positive_int(raw[name]):
            raise TableError(f"{where}: '{name}' must be a positive whole number of weeks")

    recurring = [name for name in _RECURRING if name in raw]
    if recurring:
        if len(recurring) != len(_RECURRING):
            raise TableError(f"{where}: a recurring row needs all of {list(_RECURRING)}")
        if "week" in raw:
            raise TableError(f"{where}: a recurring row takes its week from 'after', not 'week'")
        anchor = known.get(raw["after"]) if isinstance(raw["after"], str) else None
        if anchor is None or anchor.week is None:
            raise TableError(f"{where}: 'after' must name an earlier row with a week")
    elif "week" not in raw:
        raise TableError(f"{where}: 'week' is required")

    if "window_start_week" in raw and raw["window_start_week"] > raw.get("week", 0):
        raise TableError(f"{where}: 'window_start_week' lies after 'week'")
    if "adjustment" in raw and raw["adjustment"] not in _ADJUSTMENTS:
        raise TableError(f"{where}: unknown adjustment {raw['adjustment']!r}")
    if "informational" in raw and not isinstance(raw["informational"], bool):
        raise TableError(f"{where}: 'informational' must be true or false")
    if "note" in raw and not isinstance(raw["note"], str):
        raise TableError(f"{where}: 'note' must be a string")

    fields = dict(raw)
    if "latest_after" in raw:
        spec = raw["latest_after"]
        if (
            not isinstance(spec, dict)
            or set(spec) != {"key", "weeks"}
            or spec["key"] not in known
            or not isinstance(spec["weeks"], int)
            or spec["weeks"] < 0
        ):
            raise TableError(f"{where}: 'latest_after' must be {{key = <earlier row>, weeks = n}}")
        fields["latest_after"] = (spec["key"], spec["weeks"])
    return TableRow(**fields)


@lru_cache(maxsize=16)
def _load_table(path: Path) -> tuple[TableRow, ...]:
    with path.open("rb") as fh:
        try:
            data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise TableError(f"{path}: {exc}") from exc
    if set(data) != {"deadline"} or not isinstance(data["deadline"], list):
        raise TableError(f"{path}: expected only [[deadline]] rows")
    rows: dict[str, TableRow] = {}
    for i, raw in enumerate(data["deadline"], start=1):
        row = _parse_row(raw, f"{path} row {i} ({raw.get('key', '?')})", rows)
        rows[row.key] = row
    return tuple(rows.values())


def load_table(path: str | PathLike[str] | None = None) -> tuple[TableRow, ...]:
    """The rows of the deadline table (default: ``poortwachter.toml`` beside this module),
    validated, in file order. Read once per resolved path and process (cached)."""
    return _load_table(Path(path if path is not None else DEFAULT_TABLE_PATH).resolve())


def occurrence_week(row: TableRow, k: int, rows: Mapping[str, TableRow]) -> int:
    """Week of the k-th occurrence of a recurring row: k intervals after its anchor row."""
    return rows[row.after].week + k * row.every_weeks
