"""The deadline table (RI-1, RI-11): ``poortwachter.toml`` beside the package, the one place a
change in the law is made, read and validated into ``TableRow``s. The kinds of row (a sick week,
a sick day, a fact of the case, relative to a completion, recurring from the last completion) are
table features; the file's header says how each is read."""

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
EMPLOYMENT_END = "employment_end"
RECOVERY = "recovery"
_FACTS = frozenset({EMPLOYMENT_END, RECOVERY})
VANGNET = "vangnet"
_CONDITIONS = frozenset({VANGNET})
EXTENSION_KINDS = ("loonsanctie", "verlenging")
DOCUMENT = "document"
STEP = "step"
_COMPLETIONS = frozenset({DOCUMENT, STEP})


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
    day: int | None = None
    on: str | None = None
    days: int = 0
    window_start_week: int | None = None
    adjustment: str | None = None
    after_completion: tuple[str, int] | None = None  # (key, weeks)
    after: str | None = None
    every_weeks: int | None = None
    until: str | None = None
    moved_by_extensions: bool = False
    before_extended_end: tuple[str, int] | None = None  # (extension kind, weeks)
    employment_end_after_weeks: int | None = None
    applies_if: str | None = None
    informational: bool = False
    completion: str | None = None
    document: str = ""
    proof: str = ""
    note: str = ""

    @property
    def recurring(self) -> bool:
        return self.after is not None

    @property
    def completed_by_document(self) -> bool:
        return self.completion == DOCUMENT

    @property
    def completed_as_step(self) -> bool:
        return self.completion == STEP

    @property
    def first_sick_day(self) -> int | None:
        """The sick day a week- or day-row is due on (before modifiers)."""
        if self.day is not None:
            return self.day
        return None if self.week is None else self.week * 7


_REQUIRED = ("key", "label", "responsible", "rule", "source")
_OPTIONAL = (
    "week",
    "day",
    "on",
    "days",
    "window_start_week",
    "adjustment",
    "after_completion",
    "after",
    "every_weeks",
    "until",
    "moved_by_extensions",
    "before_extended_end",
    "employment_end_after_weeks",
    "applies_if",
    "informational",
    "completion",
    "document",
    "proof",
    "note",
)
_RECURRING = ("after", "every_weeks", "until")
_TEXT = ("on", "adjustment", "after", "until", "applies_if", "completion", "document", "proof")


def _positive_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _check_when(raw: dict[str, Any], where: str, known: Mapping[str, TableRow]) -> None:
    """Exactly one way of being due: week, day, on, or recurring."""
    recurring = [name for name in _RECURRING if name in raw]
    if recurring and len(recurring) != len(_RECURRING):
        raise TableError(f"{where}: a recurring row needs all of {list(_RECURRING)}")
    ways = [name for name in ("week", "day", "on") if name in raw] + (
        ["after"] if recurring else []
    )
    if len(ways) != 1:
        raise TableError(f"{where}: give exactly one of 'week', 'day', 'on' or 'after' ({ways})")
    if recurring and raw["after"] not in known:
        raise TableError(f"{where}: 'after' must name an earlier row")
    if "on" in raw and raw["on"] not in _FACTS:
        raise TableError(f"{where}: 'on' must be one of {sorted(_FACTS)}")
    if "days" in raw and "on" not in raw:
        raise TableError(f"{where}: 'days' belongs to an 'on' row")
    if "days" in raw and (not isinstance(raw["days"], int) or raw["days"] < 0):
        raise TableError(f"{where}: 'days' must be a whole number of days >= 0")
    if "window_start_week" in raw and raw["window_start_week"] > raw.get("week", 0):
        raise TableError(f"{where}: 'window_start_week' lies after 'week'")
    if "after_completion" in raw and "week" not in raw:
        raise TableError(f"{where}: 'after_completion' needs the 'week' shown until then")


def _parse_row(raw: dict[str, Any], where: str, known: Mapping[str, TableRow]) -> TableRow:
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise TableError(f"{where}: unknown field(s) {sorted(unknown)}")
    for name in _REQUIRED:
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise TableError(f"{where}: '{name}' must be a non-empty string")
    if raw["key"] in known:
        raise TableError(f"{where}: duplicate key '{raw['key']}'")
    for name in ("week", "day", "window_start_week", "every_weeks", "employment_end_after_weeks"):
        if name in raw and not _positive_int(raw[name]):
            raise TableError(f"{where}: '{name}' must be a positive whole number")
    for name in _TEXT + ("note",):
        if name in raw and not isinstance(raw[name], str):
            raise TableError(f"{where}: '{name}' must be a string")
    for name in ("informational", "moved_by_extensions"):
        if name in raw and not isinstance(raw[name], bool):
            raise TableError(f"{where}: '{name}' must be true or false")
    _check_when(raw, where, known)
    if "adjustment" in raw and raw["adjustment"] not in _ADJUSTMENTS:
        raise TableError(f"{where}: unknown adjustment {raw['adjustment']!r}")
    if "applies_if" in raw and raw["applies_if"] not in _CONDITIONS:
        raise TableError(f"{where}: unknown condition {raw['applies_if']!r}")
    informational = raw.get("informational", False)
    if informational == ("completion" in raw):
        raise TableError(f"{where}: a row is either informational or has a 'completion'")
    if "completion" in raw and raw["completion"] not in _COMPLETIONS:
        raise TableError(f"{where}: 'completion' must be one of {sorted(_COMPLETIONS)}")
    if raw.get("completion") == DOCUMENT and not raw.get("document"):
        raise TableError(f"{where}: a 'document' row names the document that completes it")
    if raw.get("completion") == STEP and not raw.get("proof"):
        raise TableError(f"{where}: a 'step' row says what proves it ('proof')")

    fields = dict(raw)
    if "after_completion" in raw:
        spec = raw["after_completion"]
        if (
            not isinstance(spec, dict)
            or set(spec) != {"key", "weeks"}
            or spec["key"] not in known
            or not isinstance(spec["weeks"], int)
            or spec["weeks"] < 0
        ):
            raise TableError(
                f"{where}: 'after_completion' must be {{key = <earlier row>, weeks = n}}"
            )
        fields["after_completion"] = (spec["key"], spec["weeks"])
    if "before_extended_end" in raw:
        spec = raw["before_extended_end"]
        if (
            not isinstance(spec, dict)
            or set(spec) != {"kind", "weeks"}
            or spec["kind"] not in EXTENSION_KINDS
            or not _positive_int(spec["weeks"])
        ):
            raise TableError(
                f"{where}: 'before_extended_end' must be {{kind = <extension kind>, weeks = n}}"
            )
        fields["before_extended_end"] = (spec["kind"], spec["weeks"])
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
    for row in rows.values():
        if row.until is not None and (row.until not in rows or rows[row.until].recurring):
            raise TableError(f"{path} ({row.key}): 'until' must name a row that is not recurring")
    return tuple(rows.values())


def load_table(path: str | PathLike[str] | None = None) -> tuple[TableRow, ...]:
    """The rows of the deadline table (default: ``poortwachter.toml`` beside this module),
    validated, in file order. Read once per resolved path and process (cached)."""
    return _load_table(Path(path if path is not None else DEFAULT_TABLE_PATH).resolve())
