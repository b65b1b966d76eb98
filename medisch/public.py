"""The narrow face of the medical module (DESIGN.md): the one way anything leaves it.

- `released_advice(case_id, request)`: the doctor's released advice for a case (MD-5) — work
  terms only — for the employer's case page and the employee's own page. Each read is audited.
- ZM-5: `leave_joins(verlof_ids)`: for each Wazo leave whether the bedrijfsarts has judged
  the sickness after it to have the same cause (True/False; absent while undecided) - the
  yes/no that decides whether the periods around the leave are joined, nothing more.
- `advice_labels(case_id)`: a distinct label per released advice of a case (kind, date, release
  time, number), without content — for a choice of advice such as the plan's (RI-3).
- RI-12: `verslag_documents(case_id)`: dates and yes/no of the doctor's parts of the
  re-integratieverslag (probleemanalyse, actueel oordeel, medical part) — no content.
- `medical_references(model, pks)`: counts of medical rows referring to shared rows, so the
  admin can refuse to delete those (MD-2) without reading a medical table as the app role.
- RI-12: `released_document(case_id, advice_id, subject, request)`: one released advice as the
  employer's document it is — the probleemanalyse's employer part, the actueel oordeel's
  functional part, or an advice — work terms only (MD-5). Audited.
- RI-4: `medical_report_parts_for_employee(user, request)`: the doctor's medical part of the
  re-integratieverslag, delivered directly to the employee (never to the employer). Audited.
- MD-7, the aanstellingskeuring: `request_keuring` and `keuringen_for_employer` (status, and
  "geschikt / niet geschikt" only once the candidate shares it — never the findings) for the
  employer; `keuringen_for_candidate`, `keuringen_awaiting_decision` (a count, for the
  dashboard) and `decide_keuring` for the candidate.

Nothing else outside medisch/ may import from this package (import contract md2-medisch-public,
pyproject.toml).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.apps import apps
from django.utils import timezone

from privacy import audit
from privacy.models import AuditAction
from verzuim.models import Werknemer

from . import policies, queries

# The state changes behind this face (MD-7, RI-5) are the package's actions: atomic with their
# audit row (SE-7).
from .actions import keuring as keuring_actions
from .actions import reintegratie as reintegratie_actions
from .models import (
    Advies,
    AdviesKind,
    Dossier,
    Keuring,
    Probleemanalyse,
    TrajectNotitie,
    VerslagMedischDeel,
    WazoOordeel,
)


@dataclass(frozen=True)
class ReleasedAdvice:
    id: int
    date: date
    limitations: str
    capabilities: str
    expected_duration: str
    incapacity_percentage: int
    adjustments: str


def released_advice(case_id, *, subject, request=None) -> list[ReleasedAdvice]:
    rows = list(
        Advies.objects.filter(case_id=case_id, released_at__isnull=False).order_by("-date", "-pk")
    )
    if rows:
        audit.record(
            AuditAction.READ,
            "medisch.advies",
            [a.pk for a in rows],
            subject=subject,
            detail="advies aan werkgever ingezien",
            request=request,
        )
    return [
        ReleasedAdvice(
            id=a.pk,
            date=a.date,
            limitations=a.limitations,
            capabilities=a.capabilities,
            expected_duration=a.get_expected_duration_display(),
            incapacity_percentage=a.incapacity_percentage,
            adjustments=a.adjustments,
        )
        for a in rows
    ]


def leave_joins(verlof_ids) -> dict[int, bool]:
    """ZM-5: {verlof id: same cause yes/no} for the leaves the bedrijfsarts has judged. Only the
    yes/no crosses (it decides whether the periods are joined); no reason, no content."""
    return dict(
        WazoOordeel.objects.filter(verlof_id__in=list(verlof_ids)).values_list(
            "verlof_id", "same_cause"
        )
    )


def advice_labels(case_id) -> dict[int, str]:
    """{advice id: label} for the released advice of a case, where a choice of advice is offered
    (the plan van aanpak, RI-3). Each label is distinct and says which document it is — its kind,
    its date, when it was released and its number in the case — and nothing of its content
    (MD-5), so no read to audit."""
    rows = list(
        Advies.objects.filter(case_id=case_id, released_at__isnull=False)
        .order_by("date", "released_at", "pk")
        .values_list("pk", "kind", "date", "released_at")
    )
    from_analysis = set(
        Probleemanalyse.objects.filter(advies_id__in=[pk for pk, *_ in rows]).values_list(
            "advies_id", flat=True
        )
    )
    labels = {}
    for number, (pk, kind, day, released_at) in enumerate(rows, start=1):
        if pk in from_analysis:
            name = "Probleemanalyse (deel voor de werkgever)"
        elif kind == AdviesKind.ACTUEEL_OORDEEL:
            name = "Actueel oordeel"
        else:
            name = "Advies"
        released = timezone.localtime(released_at)
        labels[pk] = (
            f"{name} van {day:%d-%m-%Y}, vrijgegeven op {released:%d-%m-%Y} om "
            f"{released:%H:%M} (nr. {number})"
        )
    return labels


def released_advice_ids(case_id) -> set[int]:
    """Which advices of a case are released — ids only, no content (so no read to audit); for
    checking a reference such as the plan van aanpak's (RI-3)."""
    return set(
        Advies.objects.filter(case_id=case_id, released_at__isnull=False).values_list(
            "pk", flat=True
        )
    )


# --- RI-12: the doctor's documents as the employer receives them (MD-5) ----------------------


@dataclass(frozen=True)
class ReleasedDocument:
    """The employer part of one of the doctor's documents: its kind and work terms only."""

    id: int
    kind: str  # "probleemanalyse", "actueel_oordeel" or "advies"
    title: str
    date: date
    released_at: datetime
    limitations: str
    capabilities: str
    expected_duration: str
    incapacity_percentage: int
    adjustments: str


DOCUMENT_TITLES = {
    "probleemanalyse": "Probleemanalyse (deel voor de werkgever)",
    "actueel_oordeel": "Actueel oordeel van de bedrijfsarts (functioneel deel)",
    "advies": "Advies van de bedrijfsarts",
}


def released_document(case_id, advice_id, *, subject, request=None) -> ReleasedDocument | None:
    """RI-12, MD-5: one released advice of this case as the document it is (the probleemanalyse's
    employer part, the actueel oordeel's functional part, or an advice); None when it is not
    this case's or not released. The medical part of a probleemanalyse never leaves here. The
    read is audited (SE-7)."""
    advies = Advies.objects.filter(pk=advice_id, case_id=case_id, released_at__isnull=False).first()
    if advies is None:
        return None
    if Probleemanalyse.objects.filter(advies_id=advies.pk).exists():
        kind = "probleemanalyse"
    elif advies.kind == AdviesKind.ACTUEEL_OORDEEL:
        kind = "actueel_oordeel"
    else:
        kind = "advies"
    audit.record(
        AuditAction.READ,
        "medisch.advies",
        [advies.pk],
        subject=subject,
        detail=f"{DOCUMENT_TITLES[kind].lower()} ingezien",
        request=request,
    )
    return ReleasedDocument(
        id=advies.pk,
        kind=kind,
        title=DOCUMENT_TITLES[kind],
        date=advies.date,
        released_at=advies.released_at,
        limitations=advies.limitations,
        capabilities=advies.capabilities,
        expected_duration=advies.get_expected_duration_display(),
        incapacity_percentage=advies.incapacity_percentage,
        adjustments=advies.adjustments,
    )


# --- RI-4: the medical part of the re-integratieverslag, to the employee only ------------------


@dataclass(frozen=True)
class MedicalReportPart:
    date: date
    text: str


def medical_report_parts_for_employee(user, *, request=None) -> list[MedicalReportPart]:
    """RI-4: the delivered medical parts of the re-integratieverslag of the employee whose login
    this is — for their own page only. Empty for every other role (the employer has no route to
    it). Each read is audited as a read by the employee (SE-7), without content."""
    if not policies.is_werknemer(user):
        return []
    werknemer_ids = list(Werknemer.objects.filter(user_id=user.pk).values_list("pk", flat=True))
    if not werknemer_ids:
        return []
    subjects = dict(
        Dossier.objects.filter(werknemer_id__in=werknemer_ids).values_list("pk", "subject")
    )
    rows = list(
        VerslagMedischDeel.objects.filter(
            dossier_id__in=subjects, delivered_at__isnull=False
        ).order_by("-date", "-pk")
    )
    if rows:
        by_dossier = {}
        for part in rows:
            by_dossier.setdefault(part.dossier_id, []).append(part.pk)
        audit.record_many(
            [
                audit.Entry(
                    AuditAction.READ,
                    "medisch.reintegratieverslag",
                    ids,
                    subject=subjects[dossier_id],
                    detail="medisch deel re-integratieverslag ingezien (werknemer)",
                )
                for dossier_id, ids in by_dossier.items()
            ],
            request=request,
            actor=user,
        )
    return [MedicalReportPart(date=p.date, text=p.text) for p in rows]


# --- RI-5, RI-6: what a re-integration company sends to the doctor only ---------------------


def send_trajectory_note_to_doctor(
    *, by, werknemer, trajectory_id, provider_name, kind, text, request=None
) -> int:
    """Store the company's detailed proposal or fuller report in the medical module, for the
    doctor of the employee's organisation only (RI-5, RI-6); the note, its audit row and the
    flow record commit together (actions.reintegratie.send_trajectory_note). The caller
    (reintegratie.actions) has checked that `by` is the trajectory's own consultant; the action
    checks the role again."""
    return reintegratie_actions.send_trajectory_note(
        by=by,
        werknemer=werknemer,
        trajectory_id=trajectory_id,
        provider_name=provider_name,
        kind=kind,
        text=text,
        request=request,
    ).pk


def trajectory_notes_sent(trajectory_id) -> list[tuple[str, datetime]]:
    """For the company's own trajectory page: which notes went to the doctor, and when — kind
    and date only, never the content (it is the doctor's now)."""
    return [
        (TrajectNotitie.Kind(kind).label, created_at)
        for kind, created_at in TrajectNotitie.objects.filter(
            trajectory_id=trajectory_id
        ).values_list("kind", "created_at")
    ]


def medical_references(model, pks) -> dict[str, int]:
    """How many medical rows refer to these shared rows (organisations, users, employees), per
    kind (verbose name plural → count): counted here, on the medisch connection, so that the
    application side can refuse to delete them without reading a medical table (MD-2). Counts
    only — no content, so nothing to audit."""
    counts = {}
    for medical in apps.get_app_config("medisch").get_models():
        for relation in medical._meta.concrete_fields:
            if not relation.is_relation or relation.related_model is not model:
                continue
            count = medical._default_manager.filter(**{f"{relation.attname}__in": pks}).count()
            if count:
                label = str(medical._meta.verbose_name_plural)
                counts[label] = counts.get(label, 0) + count
    return counts


# --- MD-7: the pre-employment medical exam (aanstellingskeuring) ------------------------------
# The employer requests (with a justification) and sees a status, and the conclusion only when
# the candidate shares it; the candidate sees the result first and decides. Never the findings
# to the employer. Every step is audited as "medisch.keuring", subject = the candidate's
# pseudonym, without content (SE-7).


@dataclass(frozen=True)
class EmployerKeuring:
    """What the employer may know of an exam (MD-7): never the findings, and the outcome only
    after the candidate chose to share it."""

    id: int
    candidate_name: str
    function: str
    requested_at: datetime
    status: str
    outcome: str | None  # "geschikt" / "niet geschikt", only when shared


@dataclass(frozen=True)
class CandidateKeuring:
    """The candidate's own exam, with the result once it was performed (they see it first)."""

    id: int
    organisation_name: str
    function: str
    aspects: str
    requested_at: datetime
    examined: bool
    examined_at: datetime | None
    conclusion: str  # display text, "" while not examined
    findings: str  # "" while not examined
    decision: str  # "", "delen", "niet_delen"
    decided_at: datetime | None

    @property
    def can_decide(self) -> bool:
        return self.examined and not self.decision


def request_keuring(*, by, candidate_email, function, justification, aspects, request=None):
    """MD-7: an employer user (hr, werkgever) requests an exam for a werknemer-role user of their
    own organisation — only with a recorded justification of the job's special medical
    requirements and the aspects to examine. Refusals are ValidationErrors per field. The exam
    and its audit row commit together (actions.keuring.request_keuring)."""
    return keuring_actions.request_keuring(
        by=by,
        candidate_email=candidate_email,
        function=function,
        justification=justification,
        aspects=aspects,
        request=request,
    ).pk


def _employer_status(keuring) -> str:
    if keuring.examined_at is None:
        return "aangevraagd"
    if keuring.candidate_decision == "delen":
        return "uitslag gedeeld"
    if keuring.candidate_decision == "niet_delen":
        return "kandidaat deelt de uitslag niet"
    return "uitgevoerd, kandidaat beslist"


def keuringen_for_employer(user, request=None) -> list[EmployerKeuring]:
    """MD-7: the requesting organisation's exams — status, and the conclusion only when the
    candidate shared it. Nothing else ever (no findings, no aspects examined, no dates of the
    exam): scoped to the user's own organisation (SE-9), empty for every other role."""
    if not policies.may_request_keuring(user):
        return []
    rows = list(
        Keuring.objects.filter(organisation_id=user.organisation_id).only(
            "id",
            "candidate_id",
            "subject",
            "function",
            "requested_at",
            "examined_at",
            "conclusion",
            "candidate_decision",
        )
    )
    names = queries.candidate_names(rows)
    shared = [k for k in rows if k.examined_at and k.candidate_decision == "delen"]
    queries.record_keuring_reads(
        shared,
        detail="uitslag aanstellingskeuring ingezien (werkgever)",
        request=request,
        actor=user,
    )
    return [
        EmployerKeuring(
            id=k.pk,
            candidate_name=names.get(k.candidate_id, ""),
            function=k.function,
            requested_at=k.requested_at,
            status=_employer_status(k),
            outcome=(
                k.get_conclusion_display()
                if k.examined_at and k.candidate_decision == "delen" and k.conclusion
                else None
            ),
        )
        for k in rows
    ]


def keuringen_for_candidate(user, request=None) -> list[CandidateKeuring]:
    """MD-7: the candidate's own exams; the result of a performed one (they see it first)."""
    if not policies.is_werknemer(user):
        return []
    rows = list(Keuring.objects.filter(candidate_id=user.pk))
    orgs = queries.organisation_names(rows)
    examined = [k for k in rows if k.examined_at]
    queries.record_keuring_reads(
        examined,
        detail="uitslag aanstellingskeuring ingezien (kandidaat)",
        request=request,
        actor=user,
    )
    return [
        CandidateKeuring(
            id=k.pk,
            organisation_name=orgs.get(k.organisation_id, ""),
            function=k.function,
            aspects=k.aspects,
            requested_at=k.requested_at,
            examined=k.examined_at is not None,
            examined_at=k.examined_at,
            conclusion=k.get_conclusion_display() if k.examined_at else "",
            findings=k.findings if k.examined_at else "",
            decision=k.candidate_decision,
            decided_at=k.decided_at,
        )
        for k in rows
    ]


def keuringen_awaiting_decision(user) -> int:
    """MD-7: how many of the candidate's own exams were performed and wait for their decision
    whether to share the outcome — a count only, no content (nothing to audit), for their
    dashboard. 0 for every other role."""
    if not policies.is_werknemer(user):
        return 0
    return Keuring.objects.filter(
        candidate_id=user.pk, examined_at__isnull=False, candidate_decision=""
    ).count()


def decide_keuring(*, by, keuring_id, share: bool | None, request=None) -> None:
    """MD-7, AV-2: the candidate alone decides, once the exam was performed, whether the employer
    learns "geschikt / niet geschikt". Consent is revocable at any time with immediate effect
    (AV-2): "delen" can be withdrawn to "niet_delen"; a refusal is final for this exam (a new
    exam is a new request). Somebody else's (or a missing) exam answers Http404; a decision that
    is not (or no longer) possible a ValidationError. The decision, its consent record and its
    audit row commit together (actions.keuring.decide_keuring)."""
    keuring_actions.decide_keuring(by=by, keuring_id=keuring_id, share=share, request=request)


# --- RI-12: which of the doctor's parts of the re-integratieverslag exist (no content) --------


@dataclass(frozen=True)
class VerslagDocuments:
    """Dates only, never content (MD-5): when the employer part of the probleemanalyse and the
    actueel oordeel were released, and whether the medical part exists and was given to the
    employee. The medical part's presence is for the doctor's view only (RI-4)."""

    probleemanalyse_on: date | None
    actueel_oordeel_on: date | None
    medical_part_present: bool
    medical_part_delivered: bool
    # The ids of the newest released ones (for the bundle, RI-12: released_document reads them).
    probleemanalyse_id: int | None = None
    actueel_oordeel_id: int | None = None


def verslag_documents(case_id) -> VerslagDocuments:
    """RI-12: the doctor's documents a case's re-integratieverslag needs, as dates and yes/no
    (the completeness check, reintegratie/completeness.py). No content crosses, so no read to
    audit."""
    probleemanalyse_id, probleemanalyse_on = (
        Probleemanalyse.objects.filter(case_id=case_id, advies__released_at__isnull=False)
        .order_by("-date", "-pk")
        .values_list("advies_id", "date")
        .first()
    ) or (None, None)
    actueel_oordeel_id, actueel_oordeel_on = (
        Advies.objects.filter(
            case_id=case_id, kind=AdviesKind.ACTUEEL_OORDEEL, released_at__isnull=False
        )
        .order_by("-date", "-pk")
        .values_list("pk", "date")
        .first()
    ) or (None, None)
    parts = VerslagMedischDeel.objects.filter(case_id=case_id)
    return VerslagDocuments(
        probleemanalyse_on=probleemanalyse_on,
        actueel_oordeel_on=actueel_oordeel_on,
        medical_part_present=parts.exists(),
        medical_part_delivered=parts.filter(delivered_at__isnull=False).exists(),
        probleemanalyse_id=probleemanalyse_id,
        actueel_oordeel_id=actueel_oordeel_id,
    )
