"""The application end to end as the production shape runs it (issue 22, item 1): run by
tests/test_production_logins.py as `python -m tests.logins_scenario` with DATABASE_URL the
application login, MEDISCH_DATABASE_URL the medical login and DB_SET_ROLE=false, against a
database the owner login migrated. Nothing here runs as the owner.

- HR files a ziekmelding through the real view (verzuim:ziekmelding_create);
- the doctor opens the dossier and records a consult through the real views (medisch);
- a case from years ago (an employee who left, a dossier with an encrypted document) is purged
  by the nightly task, medical part and file included (RT-6);
- the audit log is chained and verified, and its next months made through the database
  function the application login may execute (SE-7).

It prints one JSON object with what it saw; the test asserts on it.
"""

import io
import json
import os
import sys
from datetime import date

import django


def main() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

    from django.core.management import CommandError, call_command
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from accounts.roles import Role
    from medisch.models import Consult, Document, Dossier, document_storage
    from privacy import audit, partitions
    from retention.tasks import purge_expired
    from tests.factories import (
        AssignmentFactory,
        OrganisationFactory,
        TOTPDeviceFactory,
        UserFactory,
    )
    from tests.retention import builders
    from tests.verzuim.factories import WerknemerFactory
    from verzuim.models import Werknemer, Ziekmelding

    def verified(user) -> Client:
        client = Client()
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = user.totpdevice_set.get().persistent_id
        session.save()
        return client

    seen: dict = {
        "logins": {
            alias: connections[alias].cursor().connection.info.user
            for alias in ("default", "medisch")
        }
    }
    employer = OrganisationFactory(name="Werkgever Logins BV")
    hr = UserFactory(role=Role.HR, organisation=employer)
    doctor = UserFactory(role=Role.BEDRIJFSARTS)
    for user in (hr, doctor):
        TOTPDeviceFactory(user=user)
    AssignmentFactory(user=doctor, organisation=employer)

    werknemer = WerknemerFactory(organisation=employer)
    response = verified(hr).post(
        reverse("verzuim:ziekmelding_create"),
        {
            "werknemer": werknemer.pk,
            "first_day": date.today().isoformat(),
            "percentage": 100,
            "phone": "06-12345678",
            "care_address": "",
            "expected_duration": "onbekend",
            "lopende_afspraken": "",
        },
    )
    seen["ziekmelding_status"] = response.status_code
    seen["ziekmeldingen"] = Ziekmelding.objects.filter(werknemer=werknemer).count()

    arts = verified(doctor)
    response = arts.post(reverse("medisch:open_dossier", args=[werknemer.pk]))
    dossier = Dossier.objects.get(werknemer_id=werknemer.pk)
    response = arts.post(
        reverse("medisch:consult_create", args=[dossier.pk]),
        {"date": date.today().isoformat(), "anamnesis": "Synthetisch consult via drie logins."},
    )
    seen["consult_status"] = response.status_code
    consult = Consult.objects.get(dossier=dossier)
    seen["consult_anamnesis"] = consult.anamnesis
    with connections["medisch"].cursor() as cursor:
        cursor.execute("SELECT anamnesis::text FROM medisch_consult WHERE id = %s", [consult.pk])
        seen["consult_stored"] = cursor.fetchone()[0]

    # A case from long ago, past every term: left in 2001, a dossier last changed in 2000
    # (RT-4: 20 years after the last change).
    old = builders.employee(employer, employment_start=date(1998, 1, 5))
    builders.sick(hr, old, date(2000, 5, 1), recovered_on=date(2000, 5, 29))
    _, document = builders.dossier_with_document(doctor, old, date(2000, 5, 8))
    builders.end_employment_on_model(old, date(2001, 1, 31))
    seen["old_file_before"] = document_storage().exists(document.file)
    seen["purge"] = purge_expired.apply().get()
    seen["old_after"] = {
        "werknemer": Werknemer.objects.filter(pk=old.pk).exists(),
        "ziekmeldingen": Ziekmelding.objects.filter(werknemer_id=old.pk).count(),
        "dossier": Dossier.objects.filter(werknemer_id=old.pk).exists(),
        "document": Document.objects.filter(pk=document.pk).exists(),
        "file": document_storage().exists(document.file),
    }
    seen["current_kept"] = {
        "werknemer": Werknemer.objects.filter(pk=werknemer.pk).exists(),
        "consult": Consult.objects.filter(pk=consult.pk).exists(),
    }

    partitions.ensure()
    seen["partitions"] = len(partitions.partitions())
    audit.chain_pending()
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit_log", stdout=out, stderr=err)
        seen["verify_audit_log"] = "ok"
    except CommandError as error:
        seen["verify_audit_log"] = f"{error}: {err.getvalue()}"
    return seen


if __name__ == "__main__":
    result = main()
    sys.stdout.write("SCENARIO " + json.dumps(result, default=str) + "\n")
