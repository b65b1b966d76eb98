"""Synthetic werknemers and a sick case or two for the demo (SE-5). Idempotent."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.demo import EMAIL_DOMAIN, EMPLOYERS
from accounts.models import User

from .actions.ziekmelding import create_ziekmelding
from .models import ExpectedDuration, Werknemer, Ziekmelding

DEPARTMENTS = ["Productie", "Logistiek", "Administratie", "Verkoop"]


def seed_verzuim(*, orgs, fake):
    today = timezone.localdate()
    for org_name in EMPLOYERS:
        org = orgs[org_name]
        if Werknemer.objects.filter(organisation=org).exists():
            continue
        people = []
        for n in range(12):
            people.append(
                Werknemer(
                    organisation=org,
                    first_name=fake.first_name(),
                    last_name=fake.last_name(),
                    personnel_number=f"D{n + 1:04d}",
                    date_of_birth=date(1965 + n * 3 % 35, 1 + n % 12, 1 + n % 27),
                    email=f"werknemer{n + 1}.{org.pk}@{EMAIL_DOMAIN}",
                    phone=f"06-000000{n:02d}",
                    employment_start=date(2015 + n % 9, 1 + n % 12, 1),
                    department=DEPARTMENTS[n % len(DEPARTMENTS)],
                    is_synthetic=True,
                )
            )
        Werknemer.objects.bulk_create(people)
    employer = orgs[EMPLOYERS[0]]
    own = Werknemer.objects.filter(organisation=employer).order_by("personnel_number")
    employee_user = User.objects.filter(email=f"werknemer@{EMAIL_DOMAIN}").first()
    if employee_user and not Werknemer.objects.filter(user=employee_user).exists():
        first = own.first()
        first.user = employee_user
        first.save(update_fields=["user"])
    hr = User.objects.filter(email=f"hr@{EMAIL_DOMAIN}").first()
    if hr and not Ziekmelding.objects.filter(organisation=employer).exists():
        cases = [
            (own[0], 45, 100, ExpectedDuration.LONGER),
            (own[1], 5, 50, ExpectedDuration.TWO_WEEKS),
            (own[2], 12, 100, ExpectedDuration.SIX_WEEKS),
        ]
        for werknemer, days_ago, percentage, duration in cases:
            create_ziekmelding(
                by=hr,
                werknemer=werknemer,
                first_day=today - timedelta(days=days_ago),
                percentage=percentage,
                phone=werknemer.phone,
                expected_duration=duration,
                lopende_afspraken="Overdracht van de lopende orders aan de teamleider.",
            )
