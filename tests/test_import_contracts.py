"""The boundaries as import contracts (issue 16): pyproject's [tool.importlinter] contracts hold,
and the MD-2 contract, as written there, catches an internal import of medisch. No database.

`make test` and `make lint` run `lint-imports` too; these tests name the rules and prove the
contract can fail, on a planted package tree built from the same contract text.
"""

import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["id"]: c for c in config["tool"]["importlinter"]["contracts"]}


def _lint(cwd, *args):
    return subprocess.run(  # noqa: S603 — our own tool with fixed arguments
        [str(LINT_IMPORTS), "--no-cache", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_md2_se9_the_import_contracts_hold():
    """MD-2: nothing outside medisch imports it but medisch.public; accounts, privacy,
    retention and encryption import no domain app (the layers of the architecture)."""
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert f"Contracts: {len(_contracts())} kept, 0 broken." in result.stdout


def _write(root, files):
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")


@pytest.mark.parametrize(
    ("importer", "broken"),
    [
        ("from medisch.models import Consult\n", True),
        ("from medisch import models\n", True),
        ("def later():\n    from medisch.actions import record\n    return record\n", True),
        ("from medisch.public import released_advice\n", False),
        ("from medisch import public\n", False),
    ],
)
def test_md2_the_contract_catches_an_internal_import(tmp_path, importer, broken):
    """MD-2 layer 1: the contract exactly as pyproject writes it, over a planted tree of
    medisch (public, models, actions) and a verzuim module importing it: an import of an
    internal module breaks it, also inside a function; medisch.public keeps it."""
    contract = _contracts()["md2-medisch-public"]
    _write(
        tmp_path,
        {
            "medisch/__init__.py": "",
            "medisch/public.py": "def released_advice():\n    return None\n",
            "medisch/models.py": "class Consult:\n    pass\n",
            "medisch/actions.py": "def record():\n    return None\n",
            "verzuim/__init__.py": "",
            "verzuim/reports.py": importer,
        },
    )
    planted = {
        "root_packages": ["medisch", "verzuim"],
        "contracts": [
            {
                **contract,
                "source_modules": ["verzuim"],
                # Only the allowed face: the test modules the real contract names are absent.
                "ignore_imports": [i for i in contract["ignore_imports"] if i.startswith("**")],
                # A broken tree has no allowed import for that line to match.
                "unmatched_ignore_imports_alerting": "none",
            }
        ],
    }
    (tmp_path / ".importlinter.toml").write_text(_toml(planted), encoding="utf-8")
    result = _lint(tmp_path, "--config", ".importlinter.toml")
    assert (result.returncode != 0) is broken, result.stdout[-2000:]
    if broken:
        assert "verzuim.reports -> medisch." in result.stdout


def _toml(importlinter):
    """A [tool.importlinter] document (tomllib reads TOML; nothing in the stdlib writes it)."""

    def value(v):
        if isinstance(v, list):
            return "[" + ", ".join(value(i) for i in v) + "]"
        if isinstance(v, bool):
            return "true" if v else "false"
        return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["[tool.importlinter]"]
    lines += [f"{k} = {value(v)}" for k, v in importlinter.items() if k != "contracts"]
    for contract in importlinter["contracts"]:
        lines.append("\n[[tool.importlinter.contracts]]")
        lines += [f"{k} = {value(v)}" for k, v in contract.items()]
    return "\n".join(lines) + "\n"
