"""Issue 16 item 5 (STYLE.md, "Settings"): each environment variable is documented where it is
read (config/env.py) and README's configuration table is generated from those documents
(`python -m config.env_table`); the apps read settings, not the environment.
"""

import ast
import subprocess
import sys
from pathlib import Path

from config import env_table

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "core",
    "doelgroep",
    "encryption",
    "medisch",
    "privacy",
    "reintegratie",
    "retention",
]
APPS += ["verzuim"]
# Read at use on purpose, and documented in the table all the same: the medical keys never sit in
# settings (encryption/crypto.py).
READS_ENVIRONMENT = {Path("encryption/crypto.py")}
REGENERATE = "python -m config.env_table --write"


def _generated_table() -> str:
    result = subprocess.run(
        [sys.executable, "-m", "config.env_table"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_readme_configuration_table_is_the_generated_one():
    """README's table is exactly what the settings document; run the command to renew it."""
    readme = env_table.readme_table((ROOT / "README.md").read_text())
    assert readme == _generated_table(), (
        f"README's configuration table is out of date: {REGENERATE}"
    )


def test_embedded_database_variable_is_documented():
    """Issue 16 item 5: the table once missed VK_EMBEDDED_DATABASE."""
    assert "| `VK_EMBEDDED_DATABASE` |" in _generated_table()


def _environment_reads(path: Path) -> list[str]:
    """`os.environ`, `os.getenv` and `environ.Env()` (a reader of its own) in a module, as
    "path:line"."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        reads = False
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            reads = node.value.id == "os" and node.attr in {"environ", "environb", "getenv"}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            func = node.func
            reads = isinstance(func.value, ast.Name) and (func.value.id, func.attr) == (
                "environ",
                "Env",
            )
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            reads = bool({"environ", "getenv"} & {alias.name for alias in node.names})
        if reads:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_settings_read_the_environment_only_through_config_env():
    """Every variable the settings read is registered, so none is missing from the table."""
    offenders = []
    for name in ("settings.py", "components.py", "local_state.py"):
        offenders += _environment_reads(ROOT / "config" / name)
    assert offenders == [], "read it with config.env (env_str, env_int, ...): " + ", ".join(
        offenders
    )


def test_apps_read_settings_not_the_environment():
    """A setting-like variable is read once, in config/settings.py, and the apps use settings.X."""
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if path.relative_to(ROOT) not in READS_ENVIRONMENT and "migrations" not in path.parts:
                offenders += _environment_reads(path)
    assert offenders == [], "read a setting (config/settings.py), not os.environ: " + ", ".join(
        offenders
    )
