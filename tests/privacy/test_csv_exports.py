"""SE-6 (security risks are tested, not assumed): no CSV export can carry a spreadsheet formula
(OWASP CSV injection, https://owasp.org/www-community/attacks/CSV_Injection).

A name, department, personnel number or country typed by a user reaches the CSV exports; a cell
whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel
and LibreOffice. Every export goes through privacy/csv_export.py, which gives such a cell a
leading `'`. These tests prove it per export with malicious data, and two introspection tests
keep a new export from forgetting it: the AST scan (only csv_export.py writes CSV) and the URL
walk (every CSV URL has its test here)."""

import ast
import csv
import inspect
import io
import textwrap
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import Role
from doelgroep.actions.maatregelen import add_maatregel
from doelgroep.actions.registratie import record_registercheck
from doelgroep.actions.verklaring import sign_statement
from doelgroep.actions.voorkeursbeleid import record_geboorteland, record_voorkeursbeleid
from doelgroep.models import CheckedVia, Registercheck
from doelgroep.synthetic import synthetic_bsns
from privacy.csv_export import neutralise, write_rows
from retention import processing_register
from tests.verzuim.conftest import ZM_DATA
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions import ziekmelding as ziekmelding_actions
from verzuim.insurer import COLUMNS

# OWASP's list, stated here on its own so the test does not trust the module it tests.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

HYPERLINK = '=HYPERLINK("http://x")'
PLUS = "+1+1"
AT = "@SUM(1)"
MINUS = "-2+3"
TAB = "\tTab"
CR = "\r=cmd"

APPS = (
    "accounts",
    "verzuim",
    "medisch",
    "reintegratie",
    "doelgroep",
    "privacy",
    "retention",
    "config",
)
SHARED_WRITER = Path("privacy") / "csv_export.py"


# --- Helpers ------------------------------------------------------------------------------------


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.content[:500]
    return list(
        csv.reader(io.StringIO(response.content.decode("utf-8"), newline=""), delimiter=";")
    )


def _assert_neutralised(response, *malicious) -> list[list[str]]:
    """No cell starts with a dangerous character; each malicious value is there, behind a `'`;
    every cell is quoted (QUOTE_ALL, checked on the first line)."""
    rows = _rows(response)
    cells = [cell for row in rows for cell in row]
    offenders = [cell for cell in cells if cell[:1] in DANGEROUS]
    assert not offenders, offenders
    for value in malicious:
        assert any(cell.startswith("'" + value) for cell in cells), (value, rows)
    first = response.content.decode("utf-8").split("\r\n", 1)[0]
    assert first.startswith('"') and first.endswith('"'), first
    return rows


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR)


@pytest.fixture
def signed_hr(hr):
    sign_statement(by=hr)
    return hr


def _evil_werknemers(employer):
    """Two employees whose every exported text field starts like a formula."""
    return [
        WerknemerFactory(
            organisation=employer,
            first_name=HYPERLINK,
            department=PLUS,
            personnel_number=AT,
            address=MINUS,
        ),
        WerknemerFactory(
            organisation=employer,
            first_name=TAB,
            department=CR,
            personnel_number=MINUS,
            address=AT,
        ),
    ]


# --- neutralise and write_rows -----------------------------------------------------------------


@pytest.mark.parametrize("first", DANGEROUS)
def test_neutralise_prefixes_every_dangerous_first_character(first):
    """SE-6 (OWASP CSV injection): a text cell starting with =, +, -, @, tab or carriage return
    gets a leading quote and is otherwise unchanged."""
    value = f"{first}1+1"
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value",
    [
        "Jansen",
        "P00012",
        "06-12345678",  # a dash later in the value is harmless
        "Logistiek & Opslag",
        "'=already text",
        " =1+1",  # not on the OWASP list: a leading space is kept as it is
        "<5",  # the DG-5 suppression marker
        "01-02-2026",  # a date as the exports format it
        "",
    ],
)
def test_neutralise_leaves_harmless_text_alone(value):
    """SE-6: text that does not start with a dangerous character is written as it is."""
    assert neutralise(value) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [(-5, "-5"), (40, "40"), (-2.5, "-2.5"), (Decimal("-12.50"), "-12.50"), (None, "")],
)
def test_neutralise_keeps_numbers_as_numbers(value, expected):
    """SE-6: a (negative) number is a number, not a formula; None is an empty cell."""
    assert neutralise(value) == expected


def test_neutralise_converts_other_objects_before_checking():
    """SE-6: a non-string value is checked on its text, not let through."""

    class Label:
        def __str__(self):
            return "@SUM(1)"

    assert neutralise(Label()) == "'@SUM(1)"


def test_write_rows_quotes_every_cell_with_the_semicolon_delimiter():
    """SE-6: all cells quoted (QUOTE_ALL), `;` as delimiter, a `"` doubled, formulas prefixed."""
    buffer = io.StringIO()
    write_rows(buffer, ["naam", "aantal"], [['=HYPERLINK("x")', 3], ["a;b", -1]])
    assert buffer.getvalue() == ('"naam";"aantal"\r\n"\'=HYPERLINK(""x"")";"3"\r\n"a;b";"-1"\r\n')


# --- Per export ---------------------------------------------------------------------------------


def test_verzuimoverzicht_export_neutralises_formulas(db, employer, hr, verified_client):
    """SE-6: the verzuimoverzicht (verzuim:ziekmelding_export) neutralises a name, department
    and personnel number that start like a formula."""
    for werknemer in _evil_werknemers(employer):
        ziekmelding_actions.create_ziekmelding(
            by=hr,
            werknemer=werknemer,
            first_day=timezone.localdate() - timedelta(days=10),
            **ZM_DATA,
        )
    response = verified_client(hr).get(reverse("verzuim:ziekmelding_export") + "?status=all")
    assert response["Content-Disposition"] == 'attachment; filename="verzuimoverzicht.csv"'
    rows = _assert_neutralised(response, HYPERLINK, PLUS, AT, MINUS, TAB, CR)
    assert len(rows) == 3


def test_insurer_export_neutralises_formulas_and_keeps_md6_columns(
    db, employer, hr, verified_client
):
    """SE-6 + MD-6: the verzuimverzekeraar's CSV (verzuim:insurer_export) neutralises name and
    address, and keeps exactly the MD-6 columns in their order."""
    werknemer = _evil_werknemers(employer)[0]
    zm = ziekmelding_actions.create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=timezone.localdate() - timedelta(days=10),
        **ZM_DATA,
    )
    response = verified_client(hr).get(reverse("verzuim:insurer_export", args=[zm.pk, "csv"]))
    assert response["Cache-Control"] == "no-store"
    rows = _rows(response)
    assert rows[0] == COLUMNS and len(rows) == 2
    _assert_neutralised(response, HYPERLINK, MINUS)


def test_bsn_export_neutralises_formulas(db, employer, signed_hr, verified_client):
    """SE-6 + DG-2: the UWV check list (doelgroep:bsn_export). A BSN passes the 11-proef, so the
    malicious value is written past the action on purpose: a row that slipped past validation
    is still neutralised, and a real BSN is unchanged."""
    good, bad = _evil_werknemers(employer)
    bsn = next(synthetic_bsns())
    record_registercheck(
        by=signed_hr,
        werknemer=good,
        in_register=True,
        checked_on=date.today(),
        checked_via=CheckedVia.BSN,
        bsn=bsn,
    )
    Registercheck.objects.create(
        organisation=employer,
        werknemer=bad,
        in_register=True,
        checked_on=date.today(),
        checked_via=CheckedVia.BSN,
        bsn=HYPERLINK,
    )
    response = verified_client(signed_hr).get(reverse("doelgroep:bsn_export"))
    assert response["Cache-Control"] == "no-store"
    rows = _rows(response)
    assert rows[0] == ["bsn"] and [bsn] in rows
    _assert_neutralised(response, HYPERLINK)


def test_inclusion_report_csv_neutralises_formulas(db, employer, signed_hr, verified_client):
    """SE-6 + DG-5: the k-anonymous inclusion report (doelgroep:rapportage_csv) carries
    departments and countries of birth as row labels; they are neutralised."""
    people = _evil_werknemers(employer)
    for person in people:
        add_maatregel(by=signed_hr, werknemer=person, kind="begeleiding", start_on=date.today())
    record_voorkeursbeleid(
        by=signed_hr,
        group_description="Werknemers met een migratieachtergrond in de techniek",
        documentation="CBS-cijfers 2025 en eigen personeelsanalyse: 3% tegen 14% in de regio.",
        decided_on=date.today(),
    )
    record_geboorteland(by=signed_hr, werknemer=people[0], self_country=AT)
    response = verified_client(signed_hr).get(reverse("doelgroep:rapportage_csv"))
    # reports.py capitalises a country name: "@SUM(1)" is reported as "@sum(1)".
    _assert_neutralised(response, PLUS, CR, AT.capitalize())


def test_processing_register_csv_neutralises_formulas(db, make_user, verified_client, monkeypatch):
    """SE-6 + AV-1: the verwerkingsregister (retention:register_export_csv) is built from code,
    not from user text; a formula is staged in its data to prove the export still goes through
    the shared writer."""
    real_build = processing_register.build

    def staged_build():
        data = real_build()
        data["categories"][0]["label"] = HYPERLINK
        data["outside_purge"][0]["reason"] = PLUS
        return data

    monkeypatch.setattr(processing_register, "build", staged_build)
    response = verified_client(make_user(Role.BEHEERDER)).get(
        reverse("retention:register_export_csv")
    )
    _assert_neutralised(response, HYPERLINK, PLUS)


# URL name → the test above that proves that CSV export is neutralised.
CSV_EXPORT_TESTS = {
    "verzuim:ziekmelding_export": test_verzuimoverzicht_export_neutralises_formulas,
    "verzuim:insurer_export": test_insurer_export_neutralises_formulas_and_keeps_md6_columns,
    "doelgroep:bsn_export": test_bsn_export_neutralises_formulas,
    "doelgroep:rapportage_csv": test_inclusion_report_csv_neutralises_formulas,
    "retention:register_export_csv": test_processing_register_csv_neutralises_formulas,
}


# --- Introspection: a new export cannot forget it -------------------------------------------


def _app_files():
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path.relative_to(base), path


def _csv_writing(tree: ast.AST) -> list[str]:
    """Every use of csv.writer / csv.DictWriter and every "text/csv" string in a module."""
    aliases = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name == "csv"}
        elif isinstance(node, ast.ImportFrom) and node.module == "csv":
            found += [
                f"line {node.lineno}: from csv import {a.name}"
                for a in node.names
                if a.name in ("writer", "DictWriter", "*")
            ]
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "text/csv" in node.value.lower()
        ):
            found.append(f"line {node.lineno}: the string 'text/csv'")
    return found


def test_only_the_shared_writer_writes_csv():
    """SE-6: csv.writer/csv.DictWriter and the text/csv content type occur only in
    privacy/csv_export.py, so no export can bypass the neutralisation."""
    offenders = {}
    seen_shared = False
    for relative, path in _app_files():
        found = _csv_writing(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        if relative == SHARED_WRITER:
            seen_shared = bool(found)
        elif found:
            offenders[str(relative)] = found
    assert not offenders, offenders
    assert seen_shared, "privacy/csv_export.py no longer writes CSV: update this test"


def test_the_scan_recognises_a_csv_writer():
    """SE-6: the AST scan above is not blind (every form it must catch, caught)."""
    source = textwrap.dedent(
        """
        import csv
        import csv as c
        from csv import DictWriter
        csv.writer(f)
        c.DictWriter(f, fieldnames=[])
        ct = "text/csv; charset=utf-8"
        """
    )
    assert len(_csv_writing(ast.parse(source))) == 4
    assert _csv_writing(ast.parse("import csv\ncsv.reader(f)\n")) == []


def _patterns(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield prefix + str(entry.pattern), name, entry


def _view_mentions_csv(callback) -> bool:
    """A view of our own apps whose code names a CSV format ("csv", "x.csv") or the writer."""
    # A class-based view (Django's view_class, DRF's cls) is read as its whole class.
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    view = inspect.unwrap(view)
    if (getattr(view, "__module__", "") or "").split(".")[0] not in APPS:
        return False
    tree = ast.parse(textwrap.dedent(inspect.getsource(view)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            value = node.value.lower()
            if value == "csv" or ".csv" in value or "text/csv" in value:
                return True
        if isinstance(node, ast.Name | ast.Attribute):
            if (node.id if isinstance(node, ast.Name) else node.attr) in (
                "csv_export",
                "csv_response",
                "write_rows",
            ):
                return True
    return False


def _csv_urls():
    for route, name, entry in _patterns(get_resolver()):
        if entry.default_args.get("fmt", "csv") != "csv":
            continue  # the route fixes another format (the JSON twin of a CSV export)
        if "csv" in route.lower() or "csv" in (name or "").lower():
            yield route, name
        elif _view_mentions_csv(entry.callback):
            yield route, name


def test_every_csv_url_has_its_injection_test():
    """SE-6: every URL that can answer with a CSV has a test above proving it neutralises
    formulas; a new CSV export fails here until it has one."""
    found = {name: route for route, name in _csv_urls()}
    unmapped = {name: route for name, route in found.items() if name not in CSV_EXPORT_TESTS}
    assert not unmapped, f"CSV export without an injection test in this module: {unmapped}"
    stale = set(CSV_EXPORT_TESTS) - set(found)
    assert not stale, f"mapped but no such CSV URL any more: {stale}"
    for test in CSV_EXPORT_TESTS.values():
        assert globals()[test.__name__] is test
