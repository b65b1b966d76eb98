"""What a user may see in re-integration (SE-9, RI-8). Every page and API view starts here;
missing and forbidden answer alike (404)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.http import Http404

from accounts.policies import served_organisation_ids
from medisch.public import released_advice
from verzuim import deadlines as verzuim_deadlines
from verzuim import queries as verzuim_queries
from verzuim.models import Ziekmelding

from . import policies, signing
from .models import (
    Correspondentie,
    DocumentType,
    Evaluatie,
    Machtiging,
    Ondertekening,
    PlanVanAanpak,
    Reintegratieverslag,
    ReportStatus,
    SignerRole,
    Trajectory,
    TrajectoryStaff,
    Verslagbundel,
    Voortgangsrapportage,
)


def plans_visible_to(user):
    if policies.draws_up_plans(user):
        return PlanVanAanpak.objects.filter(organisation_id=user.organisation_id)
    if policies.is_doctor(user):
        return PlanVanAanpak.objects.filter(organisation_id__in=served_organisation_ids(user))
    if policies.is_employee(user):
        return PlanVanAanpak.objects.filter(werknemer__user=user)
    return PlanVanAanpak.objects.none()


def plan_for(user, pk) -> PlanVanAanpak:
    plan = plans_visible_to(user).select_related("werknemer", "organisation").filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def case_for(user, pk):
    """The ziekmelding behind a re-integration page, scoped like verzuim (SE-9)."""
    return verzuim_queries.ziekmelding_for(user, pk)


def newest_period(case_id):
    """The newest period of a case (samentelling, ZM-5), or None."""
    return Ziekmelding.objects.filter(case_id=case_id).order_by("-first_day").first()


def dossier_contents(ziekmelding, *, request=None) -> dict:
    """RI-4: the case's whole history for HR — and nothing medical (only the released advice,
    MD-5, which medisch/public.py gives out, its reading audited there)."""
    werknemer = ziekmelding.werknemer
    plan = PlanVanAanpak.objects.filter(case_id=ziekmelding.case_id).first()
    trajectories = list(
        Trajectory.objects.filter(case_id=ziekmelding.case_id).select_related("provider")
    )
    return {
        "werknemer": werknemer,
        "periods": list(
            Ziekmelding.objects.filter(case_id=ziekmelding.case_id).order_by("first_day")
        ),
        "adviezen": released_advice(
            ziekmelding.case_id, subject=werknemer.pseudonym, request=request
        ),
        "plan": plan,
        "versies": list(plan.versies.all()) if plan else [],
        "activiteiten": list(plan.activiteiten.all()) if plan else [],
        "evaluaties": list(plan.evaluaties.all()) if plan else [],
        "trajecten": [(t, list(t.reports.filter(released_at__isnull=False))) for t in trajectories],
        "correspondentie": list(Correspondentie.objects.filter(case_id=ziekmelding.case_id)),
        "deadlines": verzuim_deadlines.deadlines_for(ziekmelding),
    }


def trajectories_visible_to(user):
    if policies.keeps_dossiers(user):
        return Trajectory.objects.filter(organisation_id=user.organisation_id)
    if policies.is_doctor(user):
        return Trajectory.objects.filter(organisation_id__in=served_organisation_ids(user))
    if policies.is_consultant(user):
        # RI-8: only the trajectory's own staff, once the employee has been informed (RI-10);
        # RI-7: the staff of the company that subcontracted it.
        return Trajectory.objects.filter(
            Q(staff__user=user, employee_informed_at__isnull=False)
            | Q(
                parent__staff__user=user,
                parent__staff__function__in=(policies.CONSULTANT, policies.VERVANGER),
            )
        ).distinct()
    if policies.is_employee(user):
        return Trajectory.objects.filter(werknemer__user=user)
    return Trajectory.objects.none()


def trajectory_for(user, pk) -> tuple[Trajectory, str]:
    trajectory = (
        trajectories_visible_to(user)
        .select_related("werknemer", "organisation", "provider", "parent")
        .filter(pk=pk)
        .first()
    )
    view = policies.trajectory_view(user, trajectory) if trajectory else None
    if view is None:
        raise Http404
    return trajectory, view


def reports_for_view(trajectory, view):
    """RI-5, RI-8: the progress reports this view may read."""
    rows = trajectory.reports.all()
    if policies.may(view, "all_reports"):
        return rows
    if policies.may(view, "released_reports"):
        return rows.filter(released_at__isnull=False)
    if policies.may(view, "own_reports"):
        return rows.exclude(status="concept")
    return rows.none()


def reports_visible_to(user):
    """RI-5, RI-8: every report the user may read — the union of reports_for_view over
    trajectories_visible_to(user) — as one queryset (tests/reintegratie/test_api.py keeps the
    two equal)."""
    rows = Voortgangsrapportage.objects.all()
    released = Q(released_at__isnull=False)
    if policies.keeps_dossiers(user):
        return rows.filter(released, trajectory__organisation_id=user.organisation_id)
    if policies.is_doctor(user):
        return rows.filter(released, trajectory__organisation_id__in=served_organisation_ids(user))
    if policies.is_employee(user):
        return rows.filter(trajectory__werknemer__user=user).exclude(status=ReportStatus.CONCEPT)
    if policies.is_consultant(user):
        mine = TrajectoryStaff.objects.filter(user=user)
        handling = mine.filter(function__in=(policies.CONSULTANT, policies.VERVANGER))
        on_staff = Trajectory.objects.filter(
            pk__in=mine.values("trajectory_id"), employee_informed_at__isnull=False
        )
        # RI-7: a subcontract is read like an employer, unless one is on its own staff too.
        subcontracted = Trajectory.objects.filter(
            parent_id__in=handling.values("trajectory_id")
        ).exclude(pk__in=on_staff.values("pk"))
        return rows.filter(
            Q(trajectory__in=on_staff.filter(pk__in=handling.values("trajectory_id")))
            | Q(released, trajectory__in=subcontracted)
        )
    return rows.none()


def report_for(user, pk) -> tuple[Voortgangsrapportage, str]:
    report = Voortgangsrapportage.objects.select_related("trajectory").filter(pk=pk).first()
    if report is None:
        raise Http404
    _, view = trajectory_for(user, report.trajectory_id)
    if not reports_for_view(report.trajectory, view).filter(pk=report.pk).exists():
        raise Http404
    return report, view


def machtigingen_for_employee(user):
    if not policies.is_employee(user):
        return Machtiging.objects.none()
    return Machtiging.objects.filter(werknemer__user=user)


def verslagen_visible_to(user):
    if policies.keeps_dossiers(user):
        return Reintegratieverslag.objects.filter(organisation_id=user.organisation_id)
    if policies.is_employee(user):
        # RI-4: the employee receives a copy once it is given.
        return Reintegratieverslag.objects.filter(
            werknemer__user=user, given_to_employee_at__isnull=False
        )
    return Reintegratieverslag.objects.none()


def evaluatie_for(user, pk) -> Evaluatie:
    """An evaluation of a plan the user may see (plans_visible_to), else 404."""
    evaluatie = (
        Evaluatie.objects.select_related("plan__werknemer")
        .filter(pk=pk, plan__in=plans_visible_to(user))
        .first()
    )
    if evaluatie is None:
        raise Http404
    return evaluatie


def verslag_for(user, pk) -> Reintegratieverslag:
    verslag = verslagen_visible_to(user).select_related("werknemer").filter(pk=pk).first()
    if verslag is None:
        raise Http404
    return verslag


# --- Signatures (RI-12) ---------------------------------------------------------------------------
INVALID_CHANGED = "niet meer geldig: het document is gewijzigd"
INVALID_GONE = "ongeldig: het document bestaat niet meer"
INVALID_ALTERED = "ongeldig: de ondertekening klopt niet met haar controlecode"


@dataclass(frozen=True)
class SignatureRow:
    """One signature as a page or PDF lists it (templates/includes/signatures.html)."""

    document_label: str
    version: int
    role: str  # "werkgever" / "werknemer"
    role_label: str
    signer_name: str
    signed_at: datetime
    agreed: bool
    remark: str
    check_code: str  # as printed: XXXX-XXXX-XXXX-XXXX
    content_hash: str
    valid: bool
    reason: str  # why not valid; "" when valid


def _validity(signature, record) -> tuple[bool, str]:
    """Valid: the code still derives from the stored signature, the document exists, is the
    version signed (a plan's newest) and hashes to exactly what was signed."""
    if signature.check_code != signing.code_of(signature):
        return False, INVALID_ALTERED
    if record is None:
        return False, INVALID_GONE
    document = signing.describe(record)
    if not document.is_current or document.version != signature.document_version:
        return False, INVALID_CHANGED
    if signing.content_hash(signature.document_type, record) != signature.content_hash:
        return False, INVALID_CHANGED
    return True, ""


def _row(signature, record) -> SignatureRow:
    valid, reason = _validity(signature, record)
    label = signing.describe(record).label if record is not None else ""
    return SignatureRow(
        document_label=label or signature.get_document_type_display(),
        version=signature.document_version,
        role=signature.role,
        role_label=signature.get_role_display(),
        signer_name=signature.signer_name,
        signed_at=signature.signed_at,
        agreed=signature.agreed,
        remark=signature.remark,
        check_code=signing.show_code(signature.check_code or ""),
        content_hash=signature.content_hash,
        valid=valid,
        reason=reason,
    )


def _documents(document) -> list:
    """The signable records behind `document`: every version of a plan, or the record."""
    if isinstance(document, PlanVanAanpak):
        return list(document.versies.select_related("plan__werknemer").order_by("number"))
    return [document]


def signatures_by_document(records, *more) -> dict[tuple[str, int], list[SignatureRow]]:
    """The signatures of a few lists of records, each of one kind (a plan's versions, its
    evaluations), by (document type, record id), in one query."""
    by_key = {}
    for group in (records, *more):
        if group:
            kind = signing.describe(group[0]).type
            by_key.update({(kind, r.pk): r for r in group})
    if not by_key:
        return {}
    rows = {key: [] for key in by_key}
    wanted = Q()
    for kind in {kind for kind, _ in by_key}:
        ids = [pk for k, pk in by_key if k == kind]
        wanted |= Q(document_type=kind, document_id__in=ids)
    for signature in Ondertekening.objects.filter(wanted).order_by("signed_at", "pk"):
        key = (signature.document_type, signature.document_id)
        rows[key].append(_row(signature, by_key[key]))
    return rows


def signatures_for(document) -> list[SignatureRow]:
    """RI-12: the signatures of a document with their check codes and whether each still holds,
    for the page and the PDF (templates/includes/signatures.html). A PlanVanAanpak gives those
    of all its versions: the older ones show as no longer valid. The caller has scoped the
    document (plan_for, evaluatie_for, verslag_for)."""
    rows = signatures_by_document(_documents(document))
    return sorted((r for group in rows.values() for r in group), key=lambda r: r.signed_at)


def _unsigned(rows) -> list[str]:
    valid = {row.role for row in rows if row.valid}
    return [role for role in SignerRole.values if role not in valid]


def unsigned_roles(document) -> list[str]:
    """RI-12: the sides (werkgever, werknemer) without a valid signature on the document's
    current version — for the completeness check and the "please sign" links."""
    return _unsigned(signatures_for(document))


@dataclass(frozen=True)
class SigningState:
    """One document on a page: its signatures, and whether this user is asked to sign it now."""

    record: object
    signatures: list
    may_sign: bool


def signing_states(user, plan) -> tuple[SigningState, dict[int, SigningState]]:
    """RI-12: the plan's newest version and each of its evaluations, for the plan pages, in a
    fixed number of queries: (plan state, {evaluatie id: state})."""
    versies = list(plan.versies.all())
    for versie in versies:
        versie.plan = plan  # one plan, already loaded with its werknemer
    evaluaties = list(plan.evaluaties.all())
    for evaluatie in evaluaties:
        evaluatie.plan = plan

    def state(record, rows):
        role = signing.signer_role(user, signing.describe(record))
        return SigningState(record, rows, role is not None and role in _unsigned(rows))

    rows = signatures_by_document(versies, evaluaties)
    current = next(v for v in versies if v.number == plan.version)
    plan_rows = sorted(
        (r for v in versies for r in rows[(DocumentType.PLANVERSIE, v.pk)]),
        key=lambda r: r.signed_at,
    )
    return state(current, plan_rows), {
        e.pk: state(e, rows[(DocumentType.EVALUATIE, e.pk)]) for e in evaluaties
    }


@dataclass(frozen=True)
class Verification:
    """What the anonymous verify page may say about a code: no name, no BSN, no content."""

    code: str
    known: bool
    valid: bool
    reason: str
    document_type: str
    version: int | None
    signed_on: datetime | None
    role: str


def verify_code(typed: str) -> Verification:
    code = signing.normalise_code(typed)
    signature = Ondertekening.objects.filter(check_code=code).first() if code else None
    if signature is None:
        return Verification(
            signing.show_code(code), False, False, "onbekende controlecode", "", None, None, ""
        )
    record = signing.load(signature.document_type, signature.document_id)
    valid, reason = _validity(signature, record)
    return Verification(
        signing.show_code(code),
        True,
        valid,
        reason,
        signature.get_document_type_display(),
        signature.document_version,
        signature.signed_at,
        signature.get_role_display(),
    )


def bundles_visible_to(user):
    """RI-12: HR of the organisation; the employee their own copies (in their portal from the
    moment a bundle is made). The PDF itself is left out: load it where it is served."""
    rows = Verslagbundel.objects.defer("pdf_encrypted").select_related("werknemer", "made_by")
    if policies.keeps_dossiers(user):
        return rows.filter(organisation_id=user.organisation_id)
    if policies.is_employee(user):
        return rows.filter(werknemer__user=user)
    return rows.none()
