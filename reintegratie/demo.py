"""Synthetic re-integration demo data (SE-5): for the demo employee's open case a plan van aanpak
that refers to the doctor's advice, and a coaching trajectory at the demo re-integration company
with a progress report waiting for the employee to read — so each demo role sees the RI-5 flow
from its own side. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from accounts.demo import EMAIL_DOMAIN, REINTEGRATION
from accounts.models import User
from medisch.public import released_advice
from verzuim.models import Werknemer, Ziekmelding

from .actions import plan as plan_actions
from .actions import rapportages as rapportage_actions
from .actions import trajecten as traject_actions
from .models import PlanVanAanpak


def seed_reintegratie(*, orgs, fake):
    hr = User.objects.filter(email=f"hr@{EMAIL_DOMAIN}").first()
    employee = User.objects.filter(email=f"werknemer@{EMAIL_DOMAIN}").first()
    consultant = User.objects.filter(email=f"consultant@{EMAIL_DOMAIN}").first()
    werknemer = Werknemer.objects.filter(user=employee).first() if employee else None
    case = (
        Ziekmelding.objects.filter(werknemer=werknemer, recovered_on__isnull=True).first()
        if werknemer
        else None
    )
    if (
        None in (hr, consultant, case)
        or PlanVanAanpak.objects.filter(case_id=case.case_id).exists()
    ):
        return
    today = timezone.localdate()
    adviezen = released_advice(case.case_id, subject=werknemer.pseudonym)
    plan = plan_actions.save_plan(
        by=hr,
        ziekmelding=case,
        version=0,
        drawn_up_on=today - timedelta(days=3),
        casemanager="(synthetisch) Casemanager HR",
        spoor="aangepast_werk",
        goals="Opbouw naar 4 uur administratief werk per dag binnen 6 weken.",
        advies_ref=adviezen[0].id if adviezen else None,
    )
    plan_actions.add_activity(
        by=hr,
        plan=plan,
        description="Zit-sta-bureau regelen",
        owner="werkgever",
        due_on=today + timedelta(days=7),
    )
    trajectory = traject_actions.commission_trajectory(
        by=hr,
        ziekmelding=case,
        provider=orgs[REINTEGRATION],
        consultant=consultant,
        category="coaching",
        data_items=["personalia", "verzuim", "advies"],
        start_on=today,
    )
    traject_actions.acknowledge_trajectory(by=employee, trajectory=trajectory)
    report = rapportage_actions.file_report(
        by=consultant,
        trajectory=trajectory,
        period_end=today,
        attendance="aanwezig",
        cooperating=True,
        cooperation_explanation="",
        progress="(synthetisch) Twee coachingsgesprekken gevoerd; opbouw loopt volgens plan.",
        next_steps="Volgend gesprek over twee weken.",
    )
    rapportage_actions.share_report(by=consultant, report=report)
