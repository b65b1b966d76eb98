"""Environment variables, each documented where it is read (README, "Configuration").

config/settings.py reads every variable through these functions. Each call registers the
variable's name, its default as README shows it and what it means, then reads it as
django-environ always has. `python -m config.env_table` prints README's configuration table from
this registry; tests/test_configuration_table.py fails when README's table differs.

A default that depends on other settings (the environment, another variable) is given to the
README as `shown`, so the table never depends on the environment it is printed in.
"""

from dataclasses import dataclass

import environ

_env = environ.Env()


@dataclass(frozen=True)
class Variable:
    name: str
    default: str  # markdown, as README shows it
    doc: str  # markdown: what it means


VARIABLES: dict[str, Variable] = {}


def _show(default) -> str:
    if default in ("", None, []):
        return "empty"
    if isinstance(default, bool):
        return f"`{str(default).lower()}`"
    if isinstance(default, list | tuple):
        return "`" + ",".join(default) + "`"
    return f"`{default}`"


def document(name: str, default, doc: str, *, shown: str | None = None) -> None:
    """Register a variable for README's table. The env_* functions call this; call it directly
    only for a variable read outside the settings (say where in `doc`)."""
    VARIABLES[name] = Variable(name, shown if shown is not None else _show(default), doc)


def env_str(name: str, default: str, doc: str, *, shown: str | None = None) -> str:
    document(name, default, doc, shown=shown)
    return _env.str(name, default=default)


def env_bool(name: str, default: bool, doc: str, *, shown: str | None = None) -> bool:
    document(name, default, doc, shown=shown)
    return _env.bool(name, default=default)


def env_int(name: str, default: int, doc: str, *, shown: str | None = None) -> int:
    document(name, default, doc, shown=shown)
    return _env.int(name, default=default)


def env_float(name: str, default: float, doc: str, *, shown: str | None = None) -> float:
    document(name, default, doc, shown=shown)
    return _env.float(name, default=default)


def env_list(name: str, default: list[str], doc: str, *, shown: str | None = None) -> list[str]:
    document(name, default, doc, shown=shown)
    return _env.list(name, default=default)


def table() -> str:
    """README's configuration table (markdown), in the order the settings read the variables."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{v.name}` | {v.default} | {v.doc} |" for v in VARIABLES.values()]
    return "\n".join(rows) + "\n"
