"""Synthetic medical demo data (SE-5): one dossier with a consult and a released advice for the
demo employee's open case, so every demo role sees the separation at work. Idempotent."""

from django.utils import timezone

from accounts.demo import EMAIL_DOMAIN
from accounts.models import User
from verzuim.models import Werknemer, Ziekmelding

from .actions import dossier as dossier_actions
from .models import Dossier


def seed_medisch(*, orgs, fake):
    doctor = User.objects.filter(email=f"bedrijfsarts@{EMAIL_DOMAIN}").first()
    employee = User.objects.filter(email=f"werknemer@{EMAIL_DOMAIN}").first()
    werknemer = Werknemer.objects.filter(user=employee).first() if employee else None
    if (
        doctor is None
        or werknemer is None
        or Dossier.objects.filter(werknemer_id=werknemer.pk).exists()
    ):
        return
    case = Ziekmelding.objects.filter(werknemer=werknemer, recovered_on__isnull=True).first()
    dossier = dossier_actions.open_dossier(by=doctor, werknemer=werknemer)
    today = timezone.localdate()
    dossier_actions.record_consult(
        by=doctor,
        dossier=dossier,
        date=today,
        anamnesis="(synthetisch) ",
        findings="(synthetisch)",
        diagnosis="(synthetisch)",
        diagnosis_code="",
        policy="(synthetisch) vervolgconsult over 3 weken",
    )
    if case is not None:
        dossier_actions.record_advies(
            by=doctor,
            dossier=dossier,
            case_id=case.case_id,
            release=True,
            date=today,
            limitations="Geen zwaar tillen; niet langer dan 2 uur achtereen staan.",
            capabilities="Administratief werk, 4 uur per dag.",
            expected_duration="middel",
            incapacity_percentage=50,
            adjustments="Zit-sta-bureau; opbouw in uren per twee weken.",
        )
