"""The re-integratiedossier and the employer's part of the re-integratieverslag (RI-4): HR keeps
the correspondence, generates the verslag from the dossier as it stood and gives the employee a
copy."""

from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from privacy import flows
from privacy.models import AuditAction, LegalBasis, Recipient
from reintegratie import notifications, policies, queries
from reintegratie.models import Correspondentie, Reintegratieverslag

from ._common import guard, log
from .plan import plan_snapshot


def add_correspondentie(*, by, ziekmelding, request=None, **data) -> Correspondentie:
    require(policies.can_keep_dossier(by, ziekmelding.organisation_id))
    guard(data, ["party", "subject", "summary"])
    with transaction.atomic():
        item = Correspondentie.objects.create(
            case_id=ziekmelding.case_id,
            werknemer=ziekmelding.werknemer,
            organisation_id=ziekmelding.organisation_id,
            created_by=by,
            **data,
        )
        log(
            AuditAction.CREATE,
            item,
            ziekmelding.werknemer,
            "correspondentie vastgelegd",
            by=by,
            request=request,
        )
    return item


def _verslag_snapshot(contents) -> dict:
    werknemer = contents["werknemer"]
    plan = contents["plan"]
    return {
        "werknemer": {
            "naam": werknemer.full_name,
            "personeelsnummer": werknemer.personnel_number,
            "geboortedatum": werknemer.date_of_birth.isoformat(),
            "afdeling": werknemer.department,
        },
        "perioden": [
            {
                "eerste_verzuimdag": zm.first_day.isoformat(),
                "percentage": zm.percentage,
                "hersteld_per": zm.recovered_on.isoformat() if zm.recovered_on else None,
            }
            for zm in contents["periods"]
        ],
        "adviezen": [
            {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(a).items()}
            for a in contents["adviezen"]
        ],
        "plan": plan_snapshot(plan) if plan else None,
        "evaluaties": [
            {
                "soort": e.get_kind_display(),
                "datum": e.date.isoformat(),
                "uitkomst": e.outcome,
                "plan_bijgesteld": e.plan_adjusted,
                # RI-12: what the eerstejaars- and eindevaluatie record for UWV.
                "wat_gedaan": e.activities_done,
                "resultaat": e.result,
                "spoor": e.get_spoor_display(),
                "waarom_spoor": e.spoor_reason,
                "arbeidsdeskundig_onderzoek": (
                    e.ad_onderzoek_on.isoformat() if e.ad_onderzoek and e.ad_onderzoek_on else None
                ),
            }
            for e in contents["evaluaties"]
        ],
        "trajecten": [
            {
                "soort": t.get_category_display(),
                "bedrijf": t.provider.name,
                "start": t.start_on.isoformat(),
                "einde": t.end_on.isoformat() if t.end_on else None,
                "status": t.get_status_display(),
                "rapportages": [
                    {
                        "tot_en_met": r.period_end.isoformat(),
                        "aanwezigheid": r.get_attendance_display(),
                        "meewerken": r.cooperating,
                        "toelichting": r.cooperation_explanation,
                        "voortgang": r.progress,
                        "volgende_stappen": r.next_steps,
                    }
                    for r in reports
                ],
            }
            for t, reports in contents["trajecten"]
        ],
        "correspondentie": [
            {
                "datum": c.date.isoformat(),
                "soort": c.get_direction_display(),
                "met": c.party,
                "onderwerp": c.subject,
                "samenvatting": c.summary,
            }
            for c in contents["correspondentie"]
        ],
        "termijnen": [
            {
                "moment": d.label,
                "datum": d.due.isoformat() if d.due else None,
                "status": d.state,
                "afgerond_op": d.completed_on.isoformat() if d.completed_on else None,
            }
            for d in contents["deadlines"]
        ],
    }


def generate_verslag(*, by, ziekmelding, request=None) -> Reintegratieverslag:
    """RI-4: the employer's part of the re-integratieverslag, generated from the dossier."""
    require(policies.can_keep_dossier(by, ziekmelding.organisation_id))
    contents = queries.dossier_contents(ziekmelding, request=request)
    with transaction.atomic():
        verslag = Reintegratieverslag.objects.create(
            case_id=ziekmelding.case_id,
            werknemer=ziekmelding.werknemer,
            organisation_id=ziekmelding.organisation_id,
            snapshot=_verslag_snapshot(contents),
            generated_by=by,
        )
        log(
            AuditAction.CREATE,
            verslag,
            ziekmelding.werknemer,
            "re-integratieverslag (deel werkgever) opgesteld",
            by=by,
            request=request,
        )
    return verslag


def give_verslag(*, by, verslag, request=None) -> bool:
    """RI-4: the employee receives a copy of the employer's part."""
    require(policies.can_keep_dossier(by, verslag.organisation_id))
    with transaction.atomic():
        given = Reintegratieverslag.objects.filter(
            pk=verslag.pk, given_to_employee_at__isnull=True
        ).update(given_to_employee_at=timezone.now())
        if not given:
            return False
        verslag.refresh_from_db()
        log(
            AuditAction.UPDATE,
            verslag,
            verslag.werknemer,
            "kopie re-integratieverslag aan werknemer",
            by=by,
            request=request,
        )
        flows.record_flow(
            kind="re-integratieverslag (deel werkgever), kopie",
            recipient=Recipient.WERKNEMER,
            legal_basis=LegalBasis.POORTWACHTER,
            object_type="reintegratie.reintegratieverslag",
            object_id=verslag.pk,
            subject=verslag.werknemer.pseudonym,
            actor=by,
        )
        notifications.verslag_to_read(verslag)
    return True
