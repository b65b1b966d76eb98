"""Synthetic data for the load run (SE-5): organisations, HR users, bedrijfsartsen, employees
with portal logins, ziekmeldingen, medical dossiers with consults and released advice.

Everything goes through the project's own code paths — `accounts.actions.issue_account`,
`verzuim.actions.ziekmelding.create_ziekmelding` / `record_herstel`,
`medisch.actions.dossier.open_dossier` / `record_consult` / `record_advies` — so the audit log,
retention dates, deadlines and the medical field encryption are exactly what production writes.
Names come from Faker nl_NL with a fixed seed, every record is flagged `is_synthetic`, every address
is on the reserved `.example` domain. No BSN is generated (nothing in this data set has one;
doelgroep is not exercised).

Run by bench/load/run.py with the load environment (production settings, the app roles):
    python bench/load/seed.py MANIFEST.json
It writes MANIFEST.json for the locustfile: the password, each account's TOTP key, and what each
simulated user works on. The password is hashed once and set on every account (a per-account
PBKDF2 run would add minutes to the seed and nothing to the measurement).
"""

import json
import os
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import django
from faker import Faker

EMPLOYERS = 4
HR_PER_EMPLOYER = 13  # 52 HR users
DOCTORS = 10  # each serves two employers, so every employer has five doctors
PORTAL_EMPLOYEES_PER_EMPLOYER = 50  # 200 employees with a portal login
POOL_EMPLOYEES_PER_EMPLOYER = 80  # healthy, no login: HR files ziekmeldingen for them in the run
OPEN_CASES_PER_EMPLOYER = 30  # of the portal employees
CLOSED_CASES_PER_EMPLOYER = 10  # recovered, of the portal employees
CONSULTS_PER_DOSSIER = 3
DOMAIN = "load.verzuimkluis.example"
DEPARTMENTS = ["Productie", "Logistiek", "Administratie", "Verkoop", "Techniek"]
SEED = 20261124


def main(manifest_path: str) -> None:
    django.setup()
    # After django.setup(): this file runs as a script, and the application's modules below need
    # the apps loaded, so they are imported here rather than at the top.
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp.util import random_hex

    from accounts.actions import issue_account
    from accounts.models import Assignment, Organisation, User
    from accounts.roles import OrganisationKind, Role

    # A data generator playing the doctor, like medisch/demo.py and the tests that set up
    # medical data: it writes through the module's own actions (audited, encrypted) and never
    # reads medical content back.
    from medisch.actions import dossier as medisch_actions
    from verzuim.actions import ziekmelding as ziekmelding_actions
    from verzuim.models import ExpectedDuration, HerstelKind, Werknemer

    password = os.environ["VK_LOAD_PASSWORD"]
    fake = Faker("nl_NL")
    Faker.seed(SEED)
    rng = random.Random(SEED)
    today = timezone.localdate()

    def account(email, role, organisation):
        return issue_account(
            by=None,
            system=True,
            email=email,
            full_name=fake.name(),
            role=role,
            organisation=organisation,
            is_synthetic=True,
        )

    with transaction.atomic():
        arbodienst = Organisation.objects.create(
            name="Arbodienst Belastingproef (synthetisch)",
            kind=OrganisationKind.ARBODIENST,
            is_synthetic=True,
        )
        employers = [
            Organisation.objects.create(
                name=f"{fake.company()} (synthetisch {n + 1})",
                kind=OrganisationKind.WERKGEVER,
                is_synthetic=True,
            )
            for n in range(EMPLOYERS)
        ]
        hr_by_org = {org.pk: [] for org in employers}
        for n, org in enumerate(employers):
            for k in range(HR_PER_EMPLOYER):
                hr_by_org[org.pk].append(account(f"hr-{n + 1}-{k + 1}@{DOMAIN}", Role.HR, org))
        doctors = []
        for k in range(DOCTORS):
            doctor = account(f"arts-{k + 1}@{DOMAIN}", Role.BEDRIJFSARTS, arbodienst)
            for org in (employers[k % EMPLOYERS], employers[(k + 1) % EMPLOYERS]):
                Assignment.objects.create(user=doctor, organisation=org)
            doctors.append(doctor)
        portal_users = {}
        werknemers_by_org = {}
        for n, org in enumerate(employers):
            people = []
            for k in range(PORTAL_EMPLOYEES_PER_EMPLOYER + POOL_EMPLOYEES_PER_EMPLOYER):
                first, last = fake.first_name(), fake.last_name()
                people.append(
                    Werknemer(
                        organisation=org,
                        first_name=first,
                        last_name=last,
                        personnel_number=f"L{n + 1}{k + 1:04d}",
                        date_of_birth=date(1962 + k % 40, 1 + k % 12, 1 + k % 28),
                        email=f"werknemer-{n + 1}-{k + 1}@{DOMAIN}",
                        phone=f"06-{rng.randrange(10**8):08d}",
                        employment_start=date(2008 + k % 15, 1 + k % 12, 1),
                        department=DEPARTMENTS[k % len(DEPARTMENTS)],
                        is_synthetic=True,
                    )
                )
            werknemers_by_org[org.pk] = Werknemer.objects.bulk_create(people)
            for werknemer in werknemers_by_org[org.pk][:PORTAL_EMPLOYEES_PER_EMPLOYER]:
                user = account(werknemer.email, Role.WERKNEMER, org)
                werknemer.user = user
                werknemer.save(update_fields=["user"])
                portal_users[user.pk] = werknemer
        # One PBKDF2 run for all synthetic accounts (see the module docstring).
        User.objects.filter(email__endswith=f"@{DOMAIN}").update(password=make_password(password))
        devices = TOTPDevice.objects.bulk_create(
            TOTPDevice(user=user, name="default", confirmed=True, key=random_hex(20))
            for user in User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk")
        )
    key_of = {d.user_id: d.key for d in devices}

    # Ziekmeldingen, recoveries, dossiers, consults, advice — through the actions (audited).
    durations = [ExpectedDuration.TWO_WEEKS, ExpectedDuration.SIX_WEEKS, ExpectedDuration.LONGER]
    advised_cases = 0
    dossier_ids_by_org = {org.pk: [] for org in employers}
    for n, org in enumerate(employers):
        hr = hr_by_org[org.pk][0]
        doctor = doctors[n]  # doctors[n] serves employers n and n+1
        portal = werknemers_by_org[org.pk][:PORTAL_EMPLOYEES_PER_EMPLOYER]
        for k, werknemer in enumerate(
            portal[: OPEN_CASES_PER_EMPLOYER + CLOSED_CASES_PER_EMPLOYER]
        ):
            closed = k >= OPEN_CASES_PER_EMPLOYER
            first_day = today - timedelta(days=rng.randrange(60, 300) if closed else 2 + k * 9)
            zm = ziekmelding_actions.create_ziekmelding(
                by=hr,
                werknemer=werknemer,
                first_day=first_day,
                percentage=rng.choice([50, 100, 100]),
                phone=werknemer.phone,
                expected_duration=durations[k % len(durations)],
                lopende_afspraken="Overdracht van de lopende orders aan de teamleider.",
            )
            if closed:
                ziekmelding_actions.record_herstel(
                    by=hr,
                    ziekmelding=zm,
                    kind=HerstelKind.VOLLEDIG,
                    date=first_day + timedelta(days=rng.randrange(5, 40)),
                )
                continue
            dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
            dossier_ids_by_org[org.pk].append(dossier.pk)
            for c in range(CONSULTS_PER_DOSSIER):
                medisch_actions.record_consult(
                    by=doctor,
                    dossier=dossier,
                    date=first_day + timedelta(days=1 + c * 7),
                    anamnesis=f"(synthetisch) anamnese {c + 1}: " + fake.sentence(nb_words=12),
                    findings="(synthetisch) " + fake.sentence(nb_words=10),
                    diagnosis="(synthetisch)",
                    diagnosis_code="",
                    policy="(synthetisch) vervolgconsult over 3 weken",
                )
            if k % 2 == 0:  # half of the open cases carry a released advice (MD-5)
                medisch_actions.record_advies(
                    by=doctor,
                    dossier=dossier,
                    case_id=zm.case_id,
                    release=True,
                    date=today - timedelta(days=1),
                    limitations="Geen zwaar tillen; niet langer dan 2 uur achtereen staan.",
                    capabilities="Administratief werk, 4 uur per dag.",
                    expected_duration="middel",
                    incapacity_percentage=50,
                    adjustments="Zit-sta-bureau; opbouw in uren per twee weken.",
                )
                advised_cases += 1

    manifest = {"password": password, "hr": [], "doctor": [], "employee": []}
    for org in employers:
        pool = werknemers_by_org[org.pk][PORTAL_EMPLOYEES_PER_EMPLOYER:]
        per_user = len(pool) // len(hr_by_org[org.pk])
        for k, hr in enumerate(hr_by_org[org.pk]):
            manifest["hr"].append(
                {
                    "username": hr.email,
                    "totp_key": key_of[hr.pk],
                    # Healthy employees only this user files for (no two users race on one).
                    "file_pool": [w.pk for w in pool[k * per_user : (k + 1) * per_user]],
                }
            )
    for k, doctor in enumerate(doctors):
        orgs = [employers[k % EMPLOYERS].pk, employers[(k + 1) % EMPLOYERS].pk]
        manifest["doctor"].append(
            {
                "username": doctor.email,
                "totp_key": key_of[doctor.pk],
                "dossier_ids": [pk for org in orgs for pk in dossier_ids_by_org[org]],
            }
        )
    for user_pk, werknemer in portal_users.items():
        manifest["employee"].append(
            {"username": werknemer.email, "totp_key": key_of[user_pk], "werknemer": werknemer.pk}
        )
    # Interleave organisations so the first N simulated users of a role spread over all of them.
    manifest["hr"].sort(
        key=lambda a: (int(a["username"].split("-")[2].split("@")[0]), a["username"])
    )
    manifest["employee"].sort(
        key=lambda a: (int(a["username"].split("-")[2].split("@")[0]), a["username"])
    )
    Path(manifest_path).write_text(json.dumps(manifest, indent=1))
    Path(manifest_path).chmod(0o600)
    print(
        f"seed: {len(employers)} werkgevers, {len(manifest['hr'])} HR, {len(doctors)} artsen, "
        f"{len(portal_users)} werknemers met login "
        f"(+{POOL_EMPLOYEES_PER_EMPLOYER * EMPLOYERS} zonder), "
        f"{(OPEN_CASES_PER_EMPLOYER + CLOSED_CASES_PER_EMPLOYER) * EMPLOYERS} ziekmeldingen, "
        f"{sum(len(v) for v in dossier_ids_by_org.values())} dossiers x "
        f"{CONSULTS_PER_DOSSIER} consulten, {advised_cases} vrijgegeven adviezen",
        flush=True,
    )


if __name__ == "__main__":
    main(sys.argv[1])
