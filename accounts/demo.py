"""Synthetic demo data (SE-5): organisations and one user per role, for `make run`.

Names come from Faker nl_NL with a fixed seed; every record is flagged is_synthetic and every
e-mail address is on the reserved `.example` domain, so nothing here can be a real person. BSNs
are not generated here (doelgroep/verzuim bring their own, from a range that is never issued).
Domain apps add their part (employees, cases) by registering a contributor.
"""

import json
import secrets
from base64 import b32encode
from binascii import unhexlify

from django.conf import settings
from django.db import transaction
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from faker import Faker

from .actions import issue_account
from .models import Assignment, EigenrisicodragerPeriode, Organisation, User
from .roles import OrganisationKind, Role

SEED = 20261123
ARBODIENST = "Arbodienst Kluisdienst (demo)"
# Three employers of different size and sector (verzuim/demo.py gives them their people): a
# bakery with shops (the demo HR user's), an installer, a small home care organisation.
EMPLOYERS = [
    "Bakkerij De Korenschoof BV (demo)",
    "Installatiebedrijf Van Aalst (demo)",
    "Thuiszorg De Lindehof (demo)",
]
REINTEGRATION = "Re-integratiebureau Nieuwe Start (demo)"
# RI-11: the employers' loonheffingennummers for the reports to UWV - synthetic: the nine digits
# are from the test range 999 990 000 - 999 999 999 (SE-5) and pass the 11-proef.
DEMO_LOONHEFFINGENNUMMERS = ["999990044L01", "999990056L01", "999990068L01"]

# Role → (e-mail local part, home organisation).
DEMO_USERS = [
    (Role.BEHEERDER, "beheerder", ARBODIENST),
    (Role.WERKGEVER, "werkgever", EMPLOYERS[0]),
    (Role.HR, "hr", EMPLOYERS[0]),
    (Role.WERKGEVER_BEHEERDER, "werkgever-beheerder", EMPLOYERS[0]),
    (Role.BEDRIJFSARTS, "bedrijfsarts", ARBODIENST),
    (Role.CASEMANAGER, "casemanager", ARBODIENST),
    (Role.CONSULTANT, "consultant", REINTEGRATION),
    (Role.WERKNEMER, "werknemer", EMPLOYERS[0]),
    # RI-12: the employee of the case at week 91, whose re-integratieverslag for UWV is made.
    (Role.WERKNEMER, "werknemer-wia", EMPLOYERS[0]),
    # The HR users of the other two employers (they file those employers' cases).
    (Role.HR, "hr-installatie", EMPLOYERS[1]),
    (Role.HR, "hr-zorg", EMPLOYERS[2]),
]
# Whom each login of the arbodienst and the re-integration company serves (SE-9, Assignment):
# the doctor all three employers, the casemanager the first two, the consultant the first two.
SERVES = {"bedrijfsarts": EMPLOYERS, "casemanager": EMPLOYERS[:2], "consultant": EMPLOYERS[:2]}
EMAIL_DOMAIN = "demo.verzuimkluis.example"


def filer_email(employer_name: str) -> str:
    """The demo HR login of an employer: who files its ziekmeldingen and keeps its plans."""
    local = next(
        local for role, local, org in DEMO_USERS if role == Role.HR and org == employer_name
    )
    return f"{local}@{EMAIL_DOMAIN}"


# Other apps register callables here (in AppConfig.ready) to add their synthetic data.
contributors = []


def _secret_b32(device: TOTPDevice) -> str:
    return b32encode(unhexlify(device.key)).decode()


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def extra_credentials_path():
    """The logins beyond one per role (the HR users of the other employers): next to
    DEMO_CREDENTIALS_PATH, which keeps exactly one user per role (DESIGN.md interface)."""
    path = settings.DEMO_CREDENTIALS_PATH
    return path.with_name(f"{path.stem}-extra{path.suffix}")


def _previous_passwords() -> dict:
    found = {}
    for path in (settings.DEMO_CREDENTIALS_PATH, extra_credentials_path()):
        if path.exists():
            found.update({row["username"]: row["password"] for row in json.loads(path.read_text())})
    return found


def _write(path, rows) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    path.chmod(0o600)


def seed() -> list[dict]:
    """Create what is missing; running it twice changes nothing. One transaction on both
    database aliases: a failure leaves neither the employer side nor the medical side half
    seeded."""
    with transaction.atomic(using="default"), transaction.atomic(using="medisch"):
        return _seed()


def _seed() -> list[dict]:
    fake = Faker("nl_NL")
    Faker.seed(SEED)
    orgs = {}
    orgs[ARBODIENST], _ = Organisation.objects.get_or_create(
        name=ARBODIENST, kind=OrganisationKind.ARBODIENST, defaults={"is_synthetic": True}
    )
    for index, name in enumerate(EMPLOYERS):
        orgs[name], _ = Organisation.objects.get_or_create(
            name=name,
            kind=OrganisationKind.WERKGEVER,
            defaults={
                "is_synthetic": True,
                "loonheffingennummer": DEMO_LOONHEFFINGENNUMMERS[index],
            },
        )
        # RT-2, RT-3: the bakery bears the ZW risk itself, the home care the WGA risk, both
        # since before the records here began.
        kind = {0: EigenrisicodragerPeriode.Kind.ZW, 2: EigenrisicodragerPeriode.Kind.WGA}
        if index in kind:
            EigenrisicodragerPeriode.objects.get_or_create(
                organisation=orgs[name], kind=kind[index], start=None, end=None
            )
    orgs[REINTEGRATION], _ = Organisation.objects.get_or_create(
        name=REINTEGRATION,
        kind=OrganisationKind.REINTEGRATIEBEDRIJF,
        defaults={"is_synthetic": True},
    )

    previous = _previous_passwords()
    credentials = []
    for role, local, org_name in DEMO_USERS:
        email = f"{local}@{EMAIL_DOMAIN}"
        full_name = fake.name()
        user = User.objects.filter(email=email).first()
        password = previous.get(email) if user is not None else None
        if user is None:
            password = f"demo-{secrets.token_urlsafe(12)}"
            user = issue_account(
                by=None,
                system=True,
                email=email,
                full_name=full_name,
                role=role,
                organisation=orgs[org_name],
                password=password,
                is_synthetic=True,
            )
        elif password is None or not user.check_password(password):
            password = f"demo-{secrets.token_urlsafe(12)}"
            user.set_password(password)
            user.save(update_fields=["password"])
        device = TOTPDevice.objects.filter(user=user, name="default", confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name="default", confirmed=True, key=random_hex(20)
            )
        credentials.append(
            {
                "role": str(role),
                "username": email,
                "password": password,
                "totp_secret": _secret_b32(device),
                "organisation": org_name,
            }
        )
    for email_local, served in SERVES.items():
        user = User.objects.get(email=f"{email_local}@{EMAIL_DOMAIN}")
        for name in served:
            Assignment.objects.get_or_create(user=user, organisation=orgs[name])
    for contribute in contributors:
        contribute(orgs=orgs, fake=fake)
    first, seen = [], set()
    for row in credentials:
        if row["role"] not in seen:
            seen.add(row["role"])
            first.append(row)
    _write(settings.DEMO_CREDENTIALS_PATH, first)
    _write(extra_credentials_path(), [row for row in credentials if row not in first])
    return credentials
