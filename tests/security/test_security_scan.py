"""SE-6 (and SE-5): `make security` finds what it claims to find.

Each scanner is shown a planted problem in a temporary directory and must report it; the clean
counterpart must pass. semgrep lives in its own venv (`make security` installs it): without it
these tests skip, except under VK_REQUIRE_SERVICES=1 (CI), where a missing semgrep fails.
"""

import io
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from stdnum.nl import bsn as stdnum_bsn

from config import bsn_scan, security

ROOT = Path(__file__).resolve().parents[2]


def _real_looking_bsn(start: int = 123_456_700) -> str:
    """A number passing the 11-proef outside the synthetic range, built at run time so that this
    file itself holds no BSN literal."""
    number = start
    while not stdnum_bsn.is_valid(f"{number:09d}"):
        number += 1
    return f"{number:09d}"


def _synthetic_bsn() -> str:
    from doelgroep.synthetic import synthetic_bsns

    return next(iter(synthetic_bsns()))


# --- BSN scan (SE-5) ------------------------------------------------------------------------------


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_bsn_scan_flags_a_real_looking_bsn_in_a_fixture(tmp_path):
    """SE-5: a valid non-synthetic BSN in a fixture is reported with file:line, masked."""
    bsn = _real_looking_bsn()
    _write(tmp_path, "verzuim/fixtures/werknemers.json", f'[\n  {{"bsn": "{bsn}"}}\n]\n')
    result = bsn_scan.scan(tmp_path)
    assert [(f.path, f.line) for f in result.findings] == [("verzuim/fixtures/werknemers.json", 2)]
    assert bsn not in str(result.findings[0])  # the report does not spread the number itself
    assert result.files == ["verzuim/fixtures/werknemers.json"]


@pytest.mark.parametrize(
    "render",
    [
        lambda b: f"{b[:3]}.{b[3:6]}.{b[6:]}",  # dotted
        lambda b: f"{b[:3]}_{b[3:6]}_{b[6:]}",  # a Python literal with digit groups
        lambda b: b.lstrip("0"),  # eight digits: the 11-proef reads a leading zero
    ],
    ids=["dotted", "underscored", "eight-digits"],
)
def test_bsn_scan_reads_the_other_notations(tmp_path, render):
    """SE-5: dotted, digit-grouped and 8-digit forms are BSNs too."""
    bsn = _real_looking_bsn(12_345_600)  # starts with 0: its 8-digit form is valid as well
    assert bsn.startswith("0")
    _write(tmp_path, "tests/factories.py", f"BSN = {render(bsn)!r}\n")
    assert len(bsn_scan.scan(tmp_path).findings) == 1


def test_bsn_scan_passes_the_synthetic_range_and_non_bsn_numbers(tmp_path):
    """SE-5: synthetic BSNs, timestamps, hashes, phone numbers and dates are not findings."""
    synthetic = _synthetic_bsn()
    bsn = _real_looking_bsn()
    _write(
        tmp_path,
        "accounts/demo.py",
        textwrap.dedent(f"""\
            BSN = "{synthetic}"
            SEED = 20261123
            STAMP = 1{bsn}
            HASH = "a{bsn}f"
            PHONE = "06-{bsn[1:]}"
            UUID = "{bsn[:8]}-1234-5678-9abc-def012345678"
            VERSION = "1.{bsn[:3]}.{bsn[3:6]}.{bsn[6:]}"
            """),
    )
    assert bsn_scan.scan(tmp_path).findings == []


def test_bsn_scan_reads_only_data_files(tmp_path):
    """SE-5: application code and docs are not scanned (their numbers are not test data); the
    summary names the files that were."""
    bsn = _real_looking_bsn()
    _write(tmp_path, "verzuim/models.py", f"X = {bsn}\n")
    _write(tmp_path, "README.md", f"{bsn}\n")
    _write(tmp_path, "bench/load/seed.py", f"X = {bsn}\n")
    _write(tmp_path, ".venv/lib/demo.py", f"X = {bsn}\n")
    result = bsn_scan.scan(tmp_path)
    assert result.files == ["bench/load/seed.py"]
    assert len(result.findings) == 1


def test_bsn_scan_marker_allows_a_deliberate_number(tmp_path):
    """SE-5: a test that needs a non-synthetic number says so on the line."""
    bsn = _real_looking_bsn()
    _write(tmp_path, "tests/test_x.py", f'X = "{bsn}"  # bsn-scan: ok — the rejection test\n')
    assert bsn_scan.scan(tmp_path).findings == []


def test_repository_has_no_real_looking_bsn_in_its_data_files():
    """SE-5: the repository itself is clean."""
    result = bsn_scan.scan(ROOT)
    assert "doelgroep/synthetic.py" in result.files and "tests/factories.py" in result.files
    assert [str(f) for f in result.findings] == []


# --- bandit ---------------------------------------------------------------------------------------


def test_bandit_flags_shell_true(tmp_path):
    """SE-6: bandit (through the scan's own runner) counts subprocess with shell=True."""
    _write(
        tmp_path,
        "app/tasks.py",
        "import subprocess\n\n\ndef run(x):\n    return subprocess.call(x, shell=True)\n",
    )
    result = security.run_bandit(["app"], root=tmp_path)
    assert result.findings == 1, result.details
    assert "B602" in result.details[0]


def test_bandit_does_not_count_low_findings(tmp_path):
    """SE-6: low severity is listed, not counted."""
    _write(tmp_path, "app/checks.py", "def f(x):\n    assert x\n")
    result = security.run_bandit(["app"], root=tmp_path)
    assert result.findings == 0
    assert any("B101" in d for d in result.details)


# --- semgrep rules --------------------------------------------------------------------------------


@pytest.fixture
def semgrep():
    binary = security.semgrep_binary()
    if not binary or not Path(binary).exists():
        # Never a skip: without semgrep the rules prove nothing (SE-6).
        pytest.fail("semgrep ontbreekt: `make security` installeert .venv-semgrep")
    return binary


PLANTED = {
    "vk-view-without-policy": (
        "verzuim/views_extra.py",
        """\
        from django.shortcuts import render

        from verzuim.models import Werknemer


        def werknemer_dump(request):
            return render(request, "x.html", {"rows": Werknemer.objects.all()})
        """,
    ),
    "vk-medisch-internal-import": (
        "verzuim/reports.py",
        """\
        from django.apps import apps

        ROWS = apps.get_model("medisch", "Consult").objects.all()
        """,
    ),
    "vk-bench-medisch-import": (
        "bench/measure_extra.py",
        """\
        from medisch import models

        ROWS = models.Consult.objects.all()
        """,
    ),
    "vk-raw-sql-formatted": (
        "verzuim/queries_extra.py",
        """\
        def search(cursor, name):
            cursor.execute(f"SELECT id FROM verzuim_werknemer WHERE last_name = '{name}'")
        """,
    ),
    "vk-unsafe-html": (
        "verzuim/templatetags/extra.py",
        """\
        from django.utils.safestring import mark_safe


        def naam(werknemer):
            return mark_safe(werknemer.full_name)
        """,
    ),
    "vk-unsafe-template": ("templates/verzuim/extra.html", "<p>{{ werknemer.notes|safe }}</p>\n"),
    "vk-employer-serializer-medical-field": (
        "verzuim/api_extra.py",
        """\
        from rest_framework import serializers


        class ZiekmeldingExtraSerializer(serializers.Serializer):
            diagnosis = serializers.CharField()
        """,
    ),
}


@pytest.mark.parametrize("rule", sorted(PLANTED))
def test_semgrep_rule_flags_its_planted_example(tmp_path, semgrep, rule):
    """SE-6: every project rule reports a planted violation in an ordinary app layout."""
    name, source = PLANTED[rule]
    _write(tmp_path, name, textwrap.dedent(source))
    top = name.split("/")[0]
    result = security.run_semgrep([top], root=tmp_path)
    rules = {line.split(" ")[1].rstrip(":") for line in result.details}
    assert rule in rules, result.details


def test_every_semgrep_rule_has_a_planted_example_and_a_rule_test():
    """SE-6: no rule without proof (the planted examples above, .semgrep/tests/)."""
    ids = set()
    for path in (ROOT / ".semgrep").glob("*.yml"):
        ids.update(
            line.split(":", 1)[1].strip()
            for line in path.read_text().splitlines()
            if line.strip().startswith("- id:")
        )
        assert list((ROOT / ".semgrep" / "tests").glob(path.stem + ".*")), path.name
    assert ids == set(PLANTED)


def test_semgrep_passes_the_clean_counterparts(tmp_path, semgrep):
    """SE-6: a checked view, medisch.public, parameters, format_html and a plain employer
    serializer are not findings."""
    _write(
        tmp_path,
        "verzuim/views.py",
        textwrap.dedent("""\
            from django.shortcuts import render
            from django.utils.html import format_html

            from accounts.viewhelpers import require
            from medisch.public import released_advice

            from . import policies, queries


            def werknemer_list(request, name):
                require(policies.can_view_werknemers(request.user))
                rows = queries.werknemers_visible_to(request.user)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1 WHERE %s = %s", [name, name])
                title = format_html("<b>{}</b>", name)
                return render(request, "x.html", {"rows": rows, "title": title,
                                                  "advice": released_advice})
            """),
    )
    result = security.run_semgrep(["verzuim"], root=tmp_path)
    assert result.findings == 0, result.details


def test_semgrep_rule_tests_pass(semgrep):
    """SE-6: `semgrep --test` over .semgrep/ (each rule against its ruleid/ok examples)."""
    assert security.check_semgrep_tests().findings == 0


# --- the orchestrator -----------------------------------------------------------------------------


def test_orchestrator_exits_1_when_a_check_has_a_finding():
    """SE-6: one finding anywhere fails the scan; the summary names the check."""
    out = io.StringIO()
    code = security.run(
        {
            "clean": lambda: security.CheckResult("clean", 0),
            "dirty": lambda: security.CheckResult("dirty", 2, ["x.py:1 planted"]),
        },
        out=out,
    )
    assert code == 1
    text = out.getvalue()
    assert "x.py:1 planted" in text
    assert any(line.split()[:3] == ["dirty", "2", "FOUT"] for line in text.splitlines())


def test_orchestrator_exits_0_when_every_check_is_clean():
    """SE-6: the counterpart, so the test above cannot pass by always answering 1."""
    out = io.StringIO()
    assert security.run({"clean": lambda: security.CheckResult("clean", 0)}, out=out) == 0


def test_orchestrator_runs_the_real_bsn_check_end_to_end(tmp_path, monkeypatch):
    """SE-5/SE-6: `python -m config.security --only bsn` fails on a planted BSN."""
    _write(tmp_path, "tests/fixtures/x.json", f'{{"bsn": "{_real_looking_bsn()}"}}\n')
    monkeypatch.setattr(security, "ROOT", tmp_path)
    assert security.main(["--only", "bsn"]) == 1
    (tmp_path / "tests/fixtures/x.json").write_text(f'{{"bsn": "{_synthetic_bsn()}"}}\n')
    assert security.main(["--only", "bsn"]) == 0


def test_deploy_check_uses_production_settings():
    """SE-6/SE-8: the deploy check runs `check --deploy --fail-level WARNING` as production."""
    assert security.DEPLOY_ENV["VK_ENVIRONMENT"] == "production"
    result = subprocess.run(
        [sys.executable, "-m", "config.security", "--only", "deploy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "check --deploy --fail-level WARNING" in result.stdout
