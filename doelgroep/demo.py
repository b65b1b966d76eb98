"""Synthetic doelgroep demo data (SE-5): register checks (BSNs only from the test range,
doelgroep/synthetic.py), support measures for enough people that the report shows both
published and suppressed cells. No signature: the demo HR user signs the confidentiality
statement in the browser, as DG-6 requires. Idempotent."""

from datetime import date

from django.utils import timezone

from accounts.demo import EMPLOYERS
from verzuim.models import Werknemer

from .models import MaatregelKind, Ondersteuningsmaatregel, Registercheck
from .synthetic import synthetic_bsns


def seed_doelgroep(*, orgs, fake):
    employer = orgs[EMPLOYERS[0]]
    if Registercheck.objects.filter(organisation=employer).exists():
        return
    people = list(Werknemer.objects.filter(organisation=employer).order_by("personnel_number"))
    today = timezone.localdate()
    numbers = synthetic_bsns()
    checks, measures = [], []
    for i, person in enumerate(people[:8]):
        via_bsn = i % 3 == 0
        bsn = next(numbers) if via_bsn else ""
        checks.append(
            Registercheck(
                organisation=employer,
                werknemer=person,
                in_register=i % 2 == 0,
                checked_on=today,
                checked_via="bsn" if via_bsn else "loonheffingennummer",
                bsn=bsn,
                bsn_last3=bsn[-3:],
            )
        )
        kinds = [MaatregelKind.BEGELEIDING] + ([MaatregelKind.WERKTIJDEN] if i < 2 else [])
        for kind in kinds:
            measures.append(
                Ondersteuningsmaatregel(
                    werknemer=person,
                    organisation=employer,
                    kind=kind,
                    start_on=date(today.year - (i % 3), 2, 1),
                )
            )
    Registercheck.objects.bulk_create(checks)
    Ondersteuningsmaatregel.objects.bulk_create(measures)
