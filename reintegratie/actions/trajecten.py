"""Trajectories at re-integration companies (RI-6..8, RI-10): the aanmelding and the subcontract,
the employee informed before the company sees anything, the company's own staff per trajectory,
and invoices."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from accounts.roles import OrganisationKind
from privacy import flows
from privacy.models import AuditAction, LegalBasis, Recipient
from reintegratie import policies
from reintegratie.models import (
    CommissionerKind,
    DataItem,
    Factuur,
    Trajectory,
    TrajectoryStaff,
    TrajectoryStatus,
)

from ._common import log


def _check_commission(provider, consultant, data_items, allowed_items):
    errors = {}
    if provider is None or provider.kind != OrganisationKind.REINTEGRATIEBEDRIJF:
        errors["provider"] = "Kies een re-integratiebedrijf."
    if (
        consultant is None
        or not policies.is_consultant(consultant)
        or provider is None
        or consultant.organisation_id != provider.pk
    ):
        errors["consultant"] = "Kies een consultant van dit re-integratiebedrijf."
    unknown = set(data_items) - set(allowed_items)
    if unknown:
        errors["data_items"] = "Deze gegevens mogen niet worden meegegeven."
    if not data_items:
        errors["data_items"] = "Kies welke gegevens het traject nodig heeft."
    if errors:
        raise ValidationError(errors)


def _commission(*, by, kind, of, parent, consultant, detail, request, **data) -> Trajectory:
    """The trajectory for the case `of` (a ziekmelding, or the parent trajectory of a subcontract)
    with its handling consultant on the staff, audited — in one transaction."""
    with transaction.atomic():
        trajectory = Trajectory.objects.create(
            case_id=of.case_id,
            werknemer=of.werknemer,
            organisation_id=of.organisation_id,
            commissioner_kind=kind,
            commissioned_by=by,
            parent=parent,
            client_number=Trajectory.new_client_number(),
            **data,
        )
        TrajectoryStaff.objects.create(
            trajectory=trajectory, user=consultant, function=policies.CONSULTANT, assigned_by=by
        )
        log(AuditAction.CREATE, trajectory, of.werknemer, detail, by=by, request=request)
    return trajectory


def commission_trajectory(
    *, by, ziekmelding, provider, consultant, category, data_items, start_on, request=None
) -> Trajectory:
    """RI-10: the aanmelding. The employer or the doctor picks the company, its handling
    consultant, the generic category (RI-6) and exactly which data the trajectory needs; nothing
    reaches the company until the employee has seen what goes to whom."""
    require(policies.can_commission(by, ziekmelding.organisation_id))
    data_items = list(dict.fromkeys(data_items))
    _check_commission(provider, consultant, data_items, DataItem.values)
    return _commission(
        by=by,
        kind=(
            CommissionerKind.BEDRIJFSARTS if policies.is_doctor(by) else CommissionerKind.WERKGEVER
        ),
        of=ziekmelding,
        parent=None,
        consultant=consultant,
        detail=f"traject aangemeld bij {provider.name}",
        request=request,
        provider=provider,
        category=category,
        data_items=data_items,
        start_on=start_on,
    )


def commission_subcontract(
    *, by, parent, provider, consultant, category, data_items, start_on, request=None
) -> Trajectory:
    """RI-7: a company hands (part of) a trajectory to another one; it passes no more than it
    received itself, and it is then informed like an employer."""
    require(policies.can_report(policies.trajectory_view(by, parent)))
    data_items = list(dict.fromkeys(data_items))
    _check_commission(provider, consultant, data_items, parent.data_items)
    if provider.pk == parent.provider_id:
        raise ValidationError({"provider": "Kies een ander re-integratiebedrijf."})
    return _commission(
        by=by,
        kind=CommissionerKind.REINTEGRATIEBEDRIJF,
        of=parent,
        parent=parent,
        consultant=consultant,
        detail=f"traject in onderaanneming bij {provider.name}",
        request=request,
        provider=provider,
        category=category,
        data_items=data_items,
        start_on=start_on,
    )


def _inform(trajectory, by, detail, request):
    updated = Trajectory.objects.filter(pk=trajectory.pk, employee_informed_at__isnull=True).update(
        employee_informed_at=timezone.now(), status=TrajectoryStatus.LOPEND
    )
    if not updated:
        return False
    trajectory.refresh_from_db()
    log(AuditAction.UPDATE, trajectory, trajectory.werknemer, detail, by=by, request=request)
    flows.record_flow(
        kind=("aanmelding traject: " + ", ".join(trajectory.data_items))[:64],
        recipient=Recipient.REINTEGRATIEBEDRIJF,
        recipient_name=trajectory.provider.name,
        legal_basis=LegalBasis.POORTWACHTER,
        object_type="reintegratie.trajectory",
        object_id=trajectory.pk,
        subject=trajectory.werknemer.pseudonym,
        actor=by,
    )
    return True


def acknowledge_trajectory(*, by, trajectory, request=None) -> bool:
    """RI-10: the employee has read which data goes to whom; only now does the company see
    the trajectory (and the data is passed)."""
    require(policies.is_own_employee(by, trajectory.werknemer))
    with transaction.atomic():
        return _inform(trajectory, by, "werknemer heeft de aanmelding gelezen", request)


def record_employee_informed(*, by, trajectory, request=None) -> bool:
    """RI-10 for an employee without a login: HR records that the notice was given to them."""
    require(policies.can_keep_dossier(by, trajectory.organisation_id))
    if trajectory.werknemer.user_id is not None:
        raise ValidationError(
            "De werknemer heeft een eigen account en leest de aanmelding zelf in het portaal."
        )
    with transaction.atomic():
        return _inform(
            trajectory, by, "werknemer op papier geïnformeerd over de aanmelding", request
        )


def assign_staff(*, by, trajectory, user, function, request=None) -> TrajectoryStaff:
    """RI-8: the handling consultant names the substitute and the administrative employee."""
    require(policies.can_assign_staff(policies.trajectory_view(by, trajectory)))
    if function not in (policies.VERVANGER, policies.ADMINISTRATIEF):
        raise ValidationError({"function": "Kies vervanger of administratief medewerker."})
    if not policies.may_join_staff(user, trajectory):
        raise ValidationError({"user": "Kies een medewerker van uw eigen bedrijf."})
    if user.pk == by.pk:
        raise ValidationError({"user": "U bent al de behandelend consultant."})
    with transaction.atomic():
        TrajectoryStaff.objects.filter(trajectory=trajectory, function=function).delete()
        TrajectoryStaff.objects.filter(trajectory=trajectory, user=user).exclude(
            function=policies.CONSULTANT
        ).delete()
        staff = TrajectoryStaff.objects.create(
            trajectory=trajectory, user=user, function=function, assigned_by=by
        )
        log(
            AuditAction.UPDATE,
            trajectory,
            trajectory.werknemer,
            f"{staff.get_function_display()} toegewezen",
            by=by,
            request=request,
        )
    return staff


def create_invoice(*, by, trajectory, date, amount, hours=0, request=None) -> Factuur:
    require(policies.can_invoice(policies.trajectory_view(by, trajectory)))
    with transaction.atomic():
        count = Factuur.objects.filter(trajectory=trajectory).count() + 1
        invoice = Factuur.objects.create(
            trajectory=trajectory,
            number=f"{trajectory.client_number}-{count:03d}",
            date=date,
            amount=amount,
            hours=hours,
            created_by=by,
        )
        log(
            AuditAction.CREATE,
            invoice,
            trajectory.werknemer,
            "factuur opgesteld",
            by=by,
            request=request,
        )
    return invoice
