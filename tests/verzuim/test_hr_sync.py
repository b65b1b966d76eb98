"""Issue 23: keeping the staff list in step with the HR system (verzuim/hr_sync.py) — the file
upload with its preview and apply, month on month; the same file twice; every format HR systems
export; the mass-change guard; errors by line with nothing imported. RT-1 and RI-1: an
employment that ends through a sync moves the retention date and the deadlines like an edit by
hand, and changes to employees with an open case are flagged before they are applied.
"""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from privacy.models import AuditEvent
from retention import registry
from tests.verzuim.factories import staff_by_number
from verzuim import hr_sync
from verzuim.actions.werknemer import update_werknemer
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Werknemer, WerknemerSync
from verzuim.tasks import drop_stale_syncs

pytestmark = pytest.mark.django_db

HEADER = "personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst;uit_dienst;afdeling"
MONTH_1 = [
    "1001;Anna;de Vries;01-02-1980;01-03-2020;;Productie",
    "1002;Bram;Jansen;31-12-1990;01-01-2021;;Productie",
    "1003;Cor;Bakker;15-06-1975;01-09-2015;;Logistiek",
    "1004;Dirk;Smit;02-02-1985;01-05-2019;;Winkels",
]


def csv_file(*rows, header=HEADER) -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode()


def upload(client, content: bytes):
    return client.post(
        reverse("verzuim:werknemer_import"),
        {"file": SimpleUploadedFile("personeel.csv", content, content_type="text/csv")},
    )


def staged(client, content: bytes) -> WerknemerSync:
    response = upload(client, content)
    assert response.status_code == 302, response.content.decode()[:2000]
    return WerknemerSync.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])


def preview_page(client, sync) -> str:
    response = client.get(reverse("verzuim:werknemer_sync", args=[sync.pk]))
    assert response.status_code == 200
    return response.content.decode()


def apply(client, sync, **data):
    return client.post(reverse("verzuim:werknemer_sync", args=[sync.pk]), data)


def test_rt1_ri1_month_on_month_sync_hires_leavers_changes_and_a_missing_open_case(
    hr, employer, verified_client
):
    client = verified_client(hr)
    # Month 1: the first file, four new employees.
    first = staged(client, csv_file(*MONTH_1))
    assert WerknemerSync.objects.get(pk=first.pk).status == "voorbeeld"
    assert not Werknemer.objects.exists()  # a preview changes nothing
    assert "Nieuw (4)" in preview_page(client, first)
    response = apply(client, first)
    assert response.status_code == 302
    assert set(staff_by_number(employer)) == {"1001", "1002", "1003", "1004"}
    first.refresh_from_db()
    assert (first.status, first.created_count, bytes(first.content)) == ("toegepast", 4, b"")

    # Between the months, Cor falls ill (an open case).
    cor = staff_by_number(employer)["1003"]
    create_ziekmelding(
        by=hr,
        werknemer=cor,
        first_day=timezone.localdate() - timedelta(days=3),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )
    versions = {n: w.version for n, w in staff_by_number(employer).items()}

    # Month 2: Bram moves department, Dirk leaves (an end date), two hires, Cor is missing.
    month_2 = csv_file(
        MONTH_1[0],
        "1002;Bram;Jansen;31-12-1990;01-01-2021;;Logistiek",
        "1004;Dirk;Smit;02-02-1985;01-05-2019;30-11-2026;Winkels",
        "1005;Eva;Mulder;03-03-1995;01-12-2026;;Winkels",
        "1006;Fenna;de Boer;04-04-1999;01-12-2026;;Productie",
    )
    second = staged(client, month_2)
    page = preview_page(client, second)
    assert "Nieuw (2)" in page and "Gewijzigd (2)" in page
    assert "afdeling: Productie → Logistiek" in page
    assert "uit dienst per: — → 30-11-2026" in page
    assert "Niet meer in het bestand (1)" in page
    assert "open verzuim" in page  # Cor, flagged before anything is applied (RI-1, RT-1)
    plan = hr_sync.plan_sync(
        organisation=employer, rows=hr_sync.read_csv(month_2)[0], complete=True
    )
    assert [m.personnel_number for m in plan.missing] == ["1003"]
    assert plan.missing[0].open_case is True and plan.open_cases == 1

    # The missing employee is never deleted: the choice is asked, then made.
    response = apply(client, second)
    assert response.status_code == 200
    assert "Kies wat er met deze werknemers gebeurt." in response.content.decode()
    assert set(staff_by_number(employer)) == {"1001", "1002", "1003", "1004"}
    end = date(2026, 12, 31)
    response = apply(client, second, missing_action="uit_dienst", end_date=end.isoformat())
    assert response.status_code == 302
    after = staff_by_number(employer)
    assert set(after) == {"1001", "1002", "1003", "1004", "1005", "1006"}
    assert after["1002"].department == "Logistiek"
    assert after["1004"].employment_end == date(2026, 11, 30)
    assert after["1003"].employment_end == end
    assert after["1001"].version == versions["1001"]  # untouched
    assert after["1002"].version == versions["1002"] + 1
    # RT-1: the retention dates follow the new employment ends, as an edit by hand would.
    category = registry.category("verzuim.werknemer")
    for number in ("1003", "1004"):
        assert after[number].keep_until == category.compute(after[number])[0], number
    assert after["1004"].keep_until is not None
    # SE-7: one audit row per changed employee, none for the untouched.
    audited = AuditEvent.objects.filter(
        object_type="verzuim.werknemer", detail__startswith="werknemer gewijzigd via sync"
    )
    assert sorted(str(e.object_ids[0]) for e in audited) == sorted(
        str(after[n].pk) for n in ("1002", "1003", "1004")
    )
    second.refresh_from_db()
    assert (
        second.created_count,
        second.changed_count,
        second.ended_count,
        second.unchanged_count,
        second.open_cases_count,
        second.end_missing_on,
    ) == (2, 2, 2, 1, 1, end)
    # The summary page and the list of earlier syncs show counts, no names.
    summary = preview_page(client, second)
    assert "Synchronisatie toegepast" in summary and "Jansen" not in summary
    history = client.get(reverse("verzuim:werknemer_import")).content.decode()
    assert "Eerdere synchronisaties" in history


def test_the_same_file_twice_changes_nothing(hr, employer, verified_client):
    client = verified_client(hr)
    content = csv_file(*MONTH_1)
    assert apply(client, staged(client, content)).status_code == 302
    before = {n: (w.version, w.updated_at) for n, w in staff_by_number(employer).items()}
    audit_rows = AuditEvent.objects.count()
    again = staged(client, content)
    page = preview_page(client, again)
    assert "er valt niets toe te passen" in page
    plan = hr_sync.plan_sync(
        organisation=employer, rows=hr_sync.read_csv(content)[0], complete=True
    )
    assert (plan.created, plan.changed, plan.missing, plan.unchanged) == ([], [], [], 4)
    _, summary = hr_sync.apply_sync(
        by=hr,
        organisation=employer,
        rows=hr_sync.read_csv(content)[0],
        complete=True,
        source=WerknemerSync.Source.FILE,
    )
    assert (summary.created_count, summary.changed_count, summary.unchanged_count) == (0, 0, 4)
    assert {n: (w.version, w.updated_at) for n, w in staff_by_number(employer).items()} == before
    assert AuditEvent.objects.count() == audit_rows


EXPECTED = {
    "1001": ("Zoë", "Müller", date(1980, 2, 1), date(2020, 3, 1), "Productie"),
    "1002": ("Brām", "d'Ançon", date(1990, 12, 31), date(2021, 1, 1), ""),
}
FORMATS = {
    "nl-semicolon-utf8": (
        "personeelsnummer;voornaam;achternaam;geboortedatum;in_dienst;afdeling\r\n"
        "1001;Zoë;Müller;01-02-1980;01-03-2020;Productie\r\n"
        "1002;Brām;d'Ançon;31-12-1990;01-01-2021;\r\n",
        "utf-8",
    ),
    "nl-comma-utf8-bom-iso-dates": (
        "Personeelsnummer,Voornaam,Achternaam,Geboortedatum,In dienst,Afdeling\n"
        "1001,Zoë,Müller,1980-02-01,2020-03-01,Productie\n"
        '1002,Brām,"d\'Ançon",1990-12-31,2021-01-01,\n',
        "utf-8-sig",
    ),
    "en-comma-iso-datetimes": (
        "Employee_ID,First Name,LAST_NAME,Date of Birth,Hire Date,Department\n"
        "1001,Zoë,Müller,1980-02-01T00:00:00,2020-03-01T00:00:00,Productie\n"
        "1002,Brām,d'Ançon,1990-12-31T00:00:00,2021-01-01T00:00:00,\n",
        "utf-8",
    ),
    "en-semicolon-short-nl-dates": (
        "employee_number;firstname;surname;birth_date;start_date;dept\n"
        "1001;Zoë;Müller;1-2-1980;1/3/2020;Productie\n"
        "1002;Brām;d'Ançon;31.12.1990;1-1-2021;\n",
        "utf-8",
    ),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_export_format_reads_to_the_same_employees(name, hr, employer):
    text, encoding = FORMATS[name]
    rows, problems = hr_sync.read_csv(text.encode(encoding))
    assert problems == []
    plan = hr_sync.plan_sync(organisation=employer, rows=rows, complete=True)
    assert plan.problems == []
    hr_sync.apply_sync(
        by=hr, organisation=employer, rows=rows, complete=True, source=WerknemerSync.Source.FILE
    )
    got = {
        n: (w.first_name, w.last_name, w.date_of_birth, w.employment_start, w.department)
        for n, w in staff_by_number(employer).items()
    }
    assert got == EXPECTED


def test_windows_1252_export_is_read_through_the_page(hr, employer, verified_client):
    """A file from an older payroll system: Windows-1252 (no ā, which it cannot encode)."""
    content = (
        "PERSONEELSNUMMER;VOORNAAM;ACHTERNAAM;GEBOORTEDATUM;IN_DIENST\r\n"
        "1001;Zoë;Müller;01-02-1980;01-03-2020\r\n"
    ).encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    client = verified_client(hr)
    assert apply(client, staged(client, content)).status_code == 302
    assert staff_by_number(employer)["1001"].first_name == "Zoë"


def test_errors_are_reported_by_line_and_nothing_is_imported_or_kept(hr, employer, verified_client):
    client = verified_client(hr)
    content = csv_file(
        "1001;Anna;de Vries;01-02-1980;01-03-2020;;Productie",
        "1002;Bram;;01-01-1990;01-01-2021;;",
        "1003;Cor;Bakker;31-02-1990;01-01-2021;;",
        "1001;Dirk;Smit;01-01-1990;01-01-2021;;",
        "1005;Eva;Mulder;01-01-2000;01-01-2021;01-01-2020;",
    )
    response = upload(client, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Niets geïmporteerd: het bestand bevat 4 fouten" in page
    rows, problems = hr_sync.read_csv(content)
    plan = hr_sync.plan_sync(organisation=employer, rows=rows, complete=True)
    found = sorted(problems + plan.problems, key=lambda p: p.line)
    assert [p.line for p in found] == [3, 4, 5, 6]
    assert "achternaam is leeg" in found[0].reason
    assert "die dag bestaat niet" in found[1].reason
    assert "twee keer" in found[2].reason
    assert "uitdienstdatum ligt vóór de indienstdatum" in found[3].reason
    assert not Werknemer.objects.exists()
    assert not WerknemerSync.objects.exists()


def test_wrong_header_is_refused_at_line_one(employer):
    rows, problems = hr_sync.read_csv(b"naam;diagnose\nAnna;griep\n")
    assert rows == [] and problems[0].line == 1
    assert "onbekende kolommen: naam, diagnose" in problems[0].reason
    assert "ontbrekende kolommen: personeelsnummer" in problems[0].reason


def _staff(hr, employer, count):
    rows = [f"{2000 + i};Voor{i};Achter{i};01-01-1980;01-01-2020;;Productie" for i in range(count)]
    content = csv_file(*rows)
    hr_sync.apply_sync(
        by=hr,
        organisation=employer,
        rows=hr_sync.read_csv(content)[0],
        complete=True,
        source=WerknemerSync.Source.FILE,
    )
    return rows


def test_mass_leaving_asks_for_confirmation_and_applies_only_with_it(hr, employer, verified_client):
    """More than 10 % of the staff leaving at once (a file cut short, a wrong export) is applied
    only after an explicit confirmation; without it nothing changes."""
    rows = _staff(hr, employer, 20)
    client = verified_client(hr)
    short = staged(client, csv_file(*rows[:17]))  # 3 of 20 missing: 15 %
    page = preview_page(client, short)
    assert "Grote wijziging." in page and "3 van de 20 werknemers" in page
    end = {"missing_action": "uit_dienst", "end_date": "2026-12-31"}
    response = apply(client, short, **end)
    assert response.status_code == 200
    assert "Bevestig eerst: 3 van de 20 werknemers in dienst gaan uit dienst" in (
        response.content.decode()
    )
    assert not Werknemer.objects.filter(employment_end__isnull=False).exists()
    # Leaving them be needs no confirmation: nobody leaves.
    assert apply(client, short, missing_action="laten").status_code == 302
    assert not Werknemer.objects.filter(employment_end__isnull=False).exists()
    again = staged(client, csv_file(*rows[:17]))
    assert apply(client, again, confirm="on", **end).status_code == 302
    assert Werknemer.objects.filter(employment_end=date(2026, 12, 31)).count() == 3
    again.refresh_from_db()
    assert again.confirmed is True and again.ended_count == 3


def test_mass_renaming_asks_for_confirmation(hr, employer):
    rows = _staff(hr, employer, 20)
    renamed = [r.replace(";Achter", ";Anders") if i < 3 else r for i, r in enumerate(rows)]
    incoming = hr_sync.read_csv(csv_file(*renamed))[0]
    plan = hr_sync.plan_sync(organisation=employer, rows=incoming, complete=True)
    assert len(plan.renamed) == 3 and plan.guard(end_missing=False)
    with pytest.raises(hr_sync.ConfirmationRequired, match="andere naam"):
        hr_sync.apply_sync(
            by=hr,
            organisation=employer,
            rows=incoming,
            complete=True,
            source=WerknemerSync.Source.FILE,
        )
    assert not Werknemer.objects.filter(last_name__startswith="Anders").exists()
    hr_sync.apply_sync(
        by=hr,
        organisation=employer,
        rows=incoming,
        complete=True,
        source=WerknemerSync.Source.FILE,
        confirm=True,
    )
    assert Werknemer.objects.filter(last_name__startswith="Anders").count() == 3


def test_two_leavers_in_a_small_staff_need_no_confirmation(hr, employer):
    """The guard's floor (HR_SYNC_GUARD_MIN = 3): a small employer's monthly leaver is no alarm."""
    rows = _staff(hr, employer, 5)
    plan = hr_sync.plan_sync(
        organisation=employer, rows=hr_sync.read_csv(csv_file(*rows[:3]))[0], complete=True
    )
    assert len(plan.missing) == 2 and plan.guard(end_missing=True) == []


def test_a_change_after_the_preview_is_shown_again_before_it_is_applied(
    hr, employer, verified_client
):
    client = verified_client(hr)
    assert apply(client, staged(client, csv_file(*MONTH_1))).status_code == 302
    moved = [MONTH_1[0].replace("Productie", "Logistiek"), *MONTH_1[1:]]
    sync = staged(client, csv_file(*moved))
    anna = staff_by_number(employer)["1001"]
    update_werknemer(by=hr, werknemer=anna, version=anna.version, first_name="Annemarie")
    response = apply(client, sync)
    assert response.status_code == 200
    assert "gewijzigd sinds dit voorbeeld" in response.content.decode()
    assert staff_by_number(employer)["1001"].department == "Productie"  # nothing applied
    assert "voornaam: Annemarie → Anna" in response.content.decode()
    assert apply(client, sync).status_code == 302
    assert staff_by_number(employer)["1001"].department == "Logistiek"


def test_stale_previews_go_after_a_day_and_summaries_after_two_years(hr, employer):
    old_preview = WerknemerSync.objects.create(
        organisation=employer,
        by=hr,
        source="bestand",
        content=b"x",
        created_at=timezone.now() - timedelta(hours=25),
    )
    fresh_preview = WerknemerSync.objects.create(
        organisation=employer, by=hr, source="bestand", content=b"x"
    )
    kept = WerknemerSync.objects.create(
        organisation=employer,
        by=hr,
        source="bestand",
        status="toegepast",
        created_at=timezone.now() - timedelta(days=700),
    )
    old = WerknemerSync.objects.create(
        organisation=employer,
        by=hr,
        source="bestand",
        status="toegepast",
        created_at=timezone.now() - timedelta(days=731),
    )
    assert drop_stale_syncs() == {"previews": 1, "summaries": 1}
    remaining = set(WerknemerSync.objects.values_list("pk", flat=True))
    assert remaining == {fresh_preview.pk, kept.pk}
    assert old_preview.pk not in remaining and old.pk not in remaining
