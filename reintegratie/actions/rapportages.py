"""Progress reports (RI-5): filed as a concept, put before the employee, released to the
commissioner only after the employee has read them; and the notes that go to the doctor only
(RI-5, RI-6)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from medisch.public import send_trajectory_note_to_doctor
from privacy import flows
from privacy.models import AuditAction, LegalBasis, Recipient
from reintegratie import notifications, policies
from reintegratie.models import CommissionerKind, ReportStatus, Voortgangsrapportage

from ._common import guard, log

REPORT_TEXT_FIELDS = ("cooperation_explanation", "progress", "next_steps")
PERIOD_IN_FUTURE = (
    "De rapportageperiode kan niet na vandaag eindigen: u rapporteert over wat al is gebeurd."
)


def check_period_end(period_end) -> None:
    """RI-5: a report describes progress made, so its period ends today at the latest. Checked
    here so page, API and every other caller refuse it alike."""
    if period_end is not None and period_end > timezone.localdate():
        raise ValidationError({"period_end": PERIOD_IN_FUTURE})


def file_report(*, by, trajectory, request=None, **data) -> Voortgangsrapportage:
    """RI-5: progress and cooperation only, structured; free text guarded (ZM-3)."""
    require(policies.can_report(policies.trajectory_view(by, trajectory)))
    check_period_end(data.get("period_end"))
    guard(data, REPORT_TEXT_FIELDS)
    if data.get("cooperating") is False and not (data.get("cooperation_explanation") or "").strip():
        raise ValidationError(
            {"cooperation_explanation": "Licht toe waarom de werknemer niet meewerkt."}
        )
    with transaction.atomic():
        report = Voortgangsrapportage.objects.create(trajectory=trajectory, created_by=by, **data)
        log(
            AuditAction.CREATE,
            report,
            trajectory.werknemer,
            "voortgangsrapportage (concept)",
            by=by,
            request=request,
        )
    return report


def _move(report, by, detail, request, when, **changes) -> bool:
    """One step of the report's way (RI-5), only from the state `when` names; audited."""
    with transaction.atomic():
        updated = Voortgangsrapportage.objects.filter(pk=report.pk, **when).update(**changes)
        if updated:
            report.refresh_from_db()
            log(
                AuditAction.UPDATE,
                report,
                report.trajectory.werknemer,
                detail,
                by=by,
                request=request,
            )
    return bool(updated)


def share_report(*, by, report, request=None) -> bool:
    """RI-5: put the report before the employee, before it may go to the employer."""
    require(policies.can_report(policies.trajectory_view(by, report.trajectory)))
    with transaction.atomic():
        moved = _move(
            report,
            by,
            "rapportage ter inzage aan werknemer",
            request,
            when={"status": ReportStatus.CONCEPT},
            status=ReportStatus.TER_INZAGE,
            shared_with_employee_at=timezone.now(),
        )
        if moved:
            notifications.report_to_read(report)
    return moved


def mark_report_seen(*, by, report, remark="", request=None) -> bool:
    require(policies.is_own_employee(by, report.trajectory.werknemer))
    remark = (remark or "").strip()
    guard({"remark": remark}, ["remark"])
    return _move(
        report,
        by,
        "rapportage gelezen door werknemer",
        request,
        when={"status": ReportStatus.TER_INZAGE, "employee_seen_at__isnull": True},
        employee_seen_at=timezone.now(),
        employee_remark=remark,
    )


def release_report(*, by, report, request=None) -> Voortgangsrapportage:
    """RI-5: to the employer only after the employee has read it."""
    trajectory = report.trajectory
    require(policies.can_report(policies.trajectory_view(by, trajectory)))
    if report.employee_seen_at is None:
        raise ValidationError(
            "De werknemer heeft deze rapportage nog niet gelezen; pas daarna gaat zij naar de "
            "werkgever."
        )
    with transaction.atomic():
        updated = Voortgangsrapportage.objects.filter(
            pk=report.pk, released_at__isnull=True, employee_seen_at__isnull=False
        ).update(status=ReportStatus.VRIJGEGEVEN, released_at=timezone.now())
        report.refresh_from_db()
        if updated:
            recipient = (
                Recipient.REINTEGRATIEBEDRIJF
                if trajectory.commissioner_kind == CommissionerKind.REINTEGRATIEBEDRIJF
                else Recipient.WERKGEVER
            )
            log(
                AuditAction.UPDATE,
                report,
                trajectory.werknemer,
                "rapportage vrijgegeven aan opdrachtgever",
                by=by,
                request=request,
            )
            flows.record_flow(
                kind="voortgangsrapportage (voortgang en medewerking)",
                recipient=recipient,
                legal_basis=LegalBasis.POORTWACHTER,
                object_type="reintegratie.voortgangsrapportage",
                object_id=report.pk,
                subject=trajectory.werknemer.pseudonym,
                actor=by,
            )
            notifications.report_released(report)
    return report


def send_note_to_doctor(*, by, trajectory, kind, text, request=None) -> int:
    """RI-5, RI-6: the detailed proposal and the fuller report go to the doctor only."""
    require(policies.can_report(policies.trajectory_view(by, trajectory)))
    return send_trajectory_note_to_doctor(
        by=by,
        werknemer=trajectory.werknemer,
        trajectory_id=trajectory.pk,
        provider_name=trajectory.provider.name,
        kind=kind,
        text=text,
        request=request,
    )
