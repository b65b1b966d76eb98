"""Completeness and freshness of a case's re-integratieverslag (RI-12, RI-1): pure functions over
the case's records that say, for every part the verslag needs, whether it is there, missing or
out of date, whether it is signed, and exactly what is lacking.

The parts, in UWV's order (Beleidsregels vorm- en herkenbaarheidsvereisten
reïntegratieverslagen, BWBR0015184, art. 2 lid 2: probleemanalyse, plan van aanpak with its
bijstellingen (lid 8), actueel oordeel, eindevaluatie; Regeling procesgang eerste en tweede
ziektejaar art. 5-7 for the evaluations and the eerstejaarsevaluatie; RULES.md RI-12):

    probleemanalyse       the employer part, released by the bedrijfsarts (medisch.public)
    plan_van_aanpak       the plan, every version (bijstelling) kept
    evaluaties            the periodic evaluations: at least every 6 weeks (RI-1)
    eerstejaarsevaluatie  the evaluation at the end of the first year
    actueel_oordeel       the bedrijfsarts's current judgement, released (medisch.public)
    eindevaluatie         the final evaluation (week 91)
    verslag_werkgever     the employer's part of the verslag, made after the last change

Out of date ("stale"):

- an evaluation gap over 6 weeks, exactly as the deadline engine reads it (verzuim/poortwachter,
  row `evaluatie_plan`: every occurrence is due 6 weeks after the previous one was done): an
  occurrence overdue now is a gap that an evaluation closes (it blocks); one done after its due
  date is a gap in the past, shown for UWV's judgement but no longer repairable (it does not
  block);
- an actueel oordeel older than `settings.ACTUEEL_OORDEEL_MAX_AGE_DAYS` (UWV wants a current
  judgement, made shortly before the WIA application: poortwachtersloket.nl "WIA-aanvraag";
  BWBR0015184 art. 2 lid 2 sub c; the figure and its sources are at the setting);
- the employer's part of the verslag made before the plan or an evaluation last changed.

The doctor's medical information (RI-4) goes from the doctor to the employee, never through the
employer: it is no part of the employer's list; the doctor's view shows its presence as yes/no
(`medical_part`).

`is_complete` / `lacking` are the one answer to "is the verslag complete" — for the page, HR's
worklist from week 40, the WIA application step (registered with verzuim.actions.termijnen in
ReintegratieConfig.ready) and the bundle (reintegratie/bundle.py `lacking`).
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from medisch import public as medisch_public  # MD-2: the one face of the medical module
from verzuim import deadlines as verzuim_deadlines
from verzuim.models import Ziekmelding
from verzuim.poortwachter.periods import case_sick_days_until

from .models import EvaluatieKind, PlanVanAanpak, Reintegratieverslag

PRESENT = "present"
MISSING = "missing"
STALE = "stale"
STATUS_LABELS = {PRESENT: "aanwezig", MISSING: "ontbreekt", STALE: "verouderd"}

EMPLOYER = "werkgever"
DOCTOR = "bedrijfsarts"

# HR sees a case with anything lacking on the dashboard from this sick week on (issue 19).
WORKLIST_FROM_WEEK = 40
EVALUATION_KEY = "evaluatie_plan"

NOTHING_TO_SIGN = "nog niets om te ondertekenen"


def is_signed_by_both(document) -> bool:
    """RI-12: whether employer and employee both signed exactly this version of `document` (the
    signing module: a valid signature of each side on its current content, queries.py). False
    makes the verslag incomplete (Part.blocks)."""
    from .queries import unsigned_roles

    return not unsigned_roles(document)


def _all_signed(documents) -> bool | None:
    """Whether every one of `documents` is signed by both sides; None when there are none."""
    if not documents:
        return None
    return all(is_signed_by_both(document) for document in documents)


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    status: str
    made_by: str  # EMPLOYER or DOCTOR
    detail: str = ""  # what exactly is missing or out of date (plain Dutch)
    signed: bool | None = None  # None: not applicable, or no document to sign yet
    signable: bool = False  # an employer document that employer and employee sign (RI-12)
    blocks: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def signed_label(self) -> str:
        if self.status == MISSING:
            return "—"
        if not self.signable:
            return "niet van toepassing"
        if self.signed is None:
            return NOTHING_TO_SIGN
        return "ondertekend door werkgever en werknemer" if self.signed else "nog niet ondertekend"

    @property
    def lacking(self) -> str:
        """One line for a list of what is lacking: the part and why."""
        return f"{self.label}: {self.detail}" if self.detail else self.label


@dataclass(frozen=True)
class Completeness:
    zm: Ziekmelding
    today: date
    sick_week: int
    parts: tuple[Part, ...]

    @property
    def lacking(self) -> list[str]:
        return [part.lacking for part in self.parts if part.blocks]

    @property
    def complete(self) -> bool:
        return not self.lacking

    @property
    def lacking_count(self) -> int:
        return len(self.lacking)


def _fmt(day: date) -> str:
    return f"{day:%d-%m-%Y}"


def _part(
    key,
    label,
    made_by,
    *,
    status,
    detail="",
    signed=None,
    signable=False,
    notes=(),
    repairable=True,
):
    """A part; it blocks completeness when missing, out of date in a way that can be repaired, or
    an employer document known to be unsigned."""
    blocks = status == MISSING or (status == STALE and repairable) or (signable and signed is False)
    if signable and signed is False:
        unsigned = "nog niet ondertekend door werkgever en werknemer"
        detail = f"{detail}; {unsigned}" if detail else unsigned
    return Part(
        key=key,
        label=label,
        status=status,
        made_by=made_by,
        detail=detail,
        signed=signed,
        signable=signable,
        blocks=blocks,
        notes=tuple(notes),
    )


def _probleemanalyse(docs) -> Part:
    if docs.probleemanalyse_on is None:
        return _part(
            "probleemanalyse",
            "Probleemanalyse (deel voor de werkgever)",
            DOCTOR,
            status=MISSING,
            detail="de bedrijfsarts heeft nog geen probleemanalyse vastgelegd en het deel voor de "
            "werkgever vrijgegeven",
        )
    return _part(
        "probleemanalyse",
        "Probleemanalyse (deel voor de werkgever)",
        DOCTOR,
        status=PRESENT,
        detail=f"van {_fmt(docs.probleemanalyse_on)}",
    )


def _plan(plan) -> Part:
    label = "Plan van aanpak"
    if plan is None:
        return _part(
            "plan_van_aanpak",
            label,
            EMPLOYER,
            status=MISSING,
            detail="er is nog geen plan van aanpak opgesteld",
            signable=True,
        )
    versions = plan.version
    detail = f"versie {versions} van {_fmt(plan.drawn_up_on)}"
    if versions > 1:
        detail += f", {versions - 1} bijstelling{'en' if versions > 2 else ''}"
    return _part(
        "plan_van_aanpak",
        label,
        EMPLOYER,
        status=PRESENT,
        detail=detail,
        signed=is_signed_by_both(plan),
        signable=True,
    )


def _evaluations(plan, evaluations, deadlines) -> Part:
    """RI-1: at least every 6 weeks, counted as the engine counts (from the plan and then from
    each actual evaluation)."""
    label = "Evaluaties van het plan van aanpak"
    periodic = [e for e in evaluations if e.kind == EvaluatieKind.PERIODIEK]
    rows = sorted(
        (d for d in deadlines if d.key == EVALUATION_KEY and d.due is not None),
        key=lambda d: d.occurrence,
    )
    overdue = [d for d in rows if d.state == "overdue"]
    late = [d for d in rows if d.completed_on is not None and d.completed_on > d.due]
    if plan is None:
        return _part(
            "evaluaties", label, EMPLOYER, status=MISSING, detail="er is nog geen plan van aanpak"
        )
    adjusted = sum(1 for e in periodic if e.plan_adjusted)
    summary = f"{len(periodic)} evaluatie{'s' if len(periodic) != 1 else ''}"
    if adjusted:
        summary += f", waarvan {adjusted} met bijstelling van het plan"
    if overdue:
        first = overdue[0]
        return _part(
            "evaluaties",
            label,
            EMPLOYER,
            status=STALE,
            detail=f"de evaluatie die uiterlijk {_fmt(first.due)} nodig was, ontbreekt: meer dan "
            f"6 weken zonder evaluatie ({summary})",
            signed=_all_signed(periodic),
            signable=True,
        )
    if not periodic:
        return _part(
            "evaluaties",
            label,
            EMPLOYER,
            status=MISSING,
            detail="nog geen evaluatie van het plan van aanpak vastgelegd",
        )
    if late:
        gaps = [f"uiterlijk {_fmt(d.due)} nodig, gehouden op {_fmt(d.completed_on)}" for d in late]
        return _part(
            "evaluaties",
            label,
            EMPLOYER,
            status=STALE,
            detail=summary,
            signed=_all_signed(periodic),
            signable=True,
            repairable=False,
            notes=[
                "Eerder zat er meer dan 6 weken tussen twee evaluaties ("
                + "; ".join(gaps)
                + "). Dat is niet meer te herstellen; UWV beoordeelt het in het verslag."
            ],
        )
    return _part(
        "evaluaties",
        label,
        EMPLOYER,
        status=PRESENT,
        detail=summary,
        signed=_all_signed(periodic),
        signable=True,
    )


def _evaluation_of_kind(key, label, kind, evaluations, missing) -> Part:
    found = [e for e in evaluations if e.kind == kind]
    if not found:
        return _part(key, label, EMPLOYER, status=MISSING, detail=missing, signable=True)
    latest = max(found, key=lambda e: (e.date, e.pk))
    return _part(
        key,
        label,
        EMPLOYER,
        status=PRESENT,
        detail=f"van {_fmt(latest.date)}",
        signed=is_signed_by_both(latest),
        signable=True,
    )


def _actueel_oordeel(docs, today) -> Part:
    label = "Actueel oordeel van de bedrijfsarts"
    if docs.actueel_oordeel_on is None:
        return _part(
            "actueel_oordeel",
            label,
            DOCTOR,
            status=MISSING,
            detail="de bedrijfsarts heeft nog geen actueel oordeel gegeven en vrijgegeven",
        )
    limit = settings.ACTUEEL_OORDEEL_MAX_AGE_DAYS
    if (today - docs.actueel_oordeel_on).days > limit:
        return _part(
            "actueel_oordeel",
            label,
            DOCTOR,
            status=STALE,
            detail=f"het oordeel van {_fmt(docs.actueel_oordeel_on)} is ouder dan {limit} dagen; "
            "de bedrijfsarts geeft een nieuw actueel oordeel",
        )
    return _part(
        "actueel_oordeel",
        label,
        DOCTOR,
        status=PRESENT,
        detail=f"van {_fmt(docs.actueel_oordeel_on)}",
    )


def _verslag(verslag, plan, evaluations) -> Part:
    label = "Re-integratieverslag (deel werkgever)"
    if verslag is None:
        return _part(
            "verslag_werkgever",
            label,
            EMPLOYER,
            status=MISSING,
            detail="het deel van de werkgever is nog niet opgesteld",
            signable=True,
        )
    changed = [e.created_at for e in evaluations] + ([plan.updated_at] if plan else [])
    if changed and max(changed) > verslag.generated_at:
        return _part(
            "verslag_werkgever",
            label,
            EMPLOYER,
            status=STALE,
            detail=f"opgesteld op {_fmt(timezone.localdate(verslag.generated_at))}, vóór de "
            "laatste wijziging van het plan of een evaluatie; stel het opnieuw op",
            signable=True,
        )
    return _part(
        "verslag_werkgever",
        label,
        EMPLOYER,
        status=PRESENT,
        detail=f"opgesteld op {_fmt(timezone.localdate(verslag.generated_at))}",
        signed=is_signed_by_both(verslag),
        signable=True,
    )


def _sick_week(chain, today) -> int:
    """The sick week the case is in today (its periods are one case already, ZM-5)."""
    days = case_sick_days_until(verzuim_deadlines.periods_of(chain), today)
    return (days + 6) // 7


def check(zm, *, today=None) -> Completeness:
    """RI-12: every part of the case's re-integratieverslag with its status (the case of `zm`:
    its periods joined, ZM-5)."""
    today = today or timezone.localdate()
    chain = list(Ziekmelding.objects.filter(case_id=zm.case_id).select_related("werknemer"))
    latest = max(chain, key=lambda z: z.first_day) if chain else zm
    deadlines = verzuim_deadlines.deadlines_for(latest, chain=chain or None, today=today)
    plan = PlanVanAanpak.objects.filter(case_id=zm.case_id).first()
    evaluations = list(plan.evaluaties.all()) if plan else []
    verslag = (
        Reintegratieverslag.objects.filter(case_id=zm.case_id)
        .order_by("-generated_at", "-pk")
        .first()
    )
    docs = medisch_public.verslag_documents(zm.case_id)
    parts = (
        _probleemanalyse(docs),
        _plan(plan),
        _evaluations(plan, evaluations, deadlines),
        _evaluation_of_kind(
            "eerstejaarsevaluatie",
            "Eerstejaarsevaluatie",
            EvaluatieKind.EERSTEJAARS,
            evaluations,
            "nog niet vastgelegd (in week 46 tot en met 52)",
        ),
        _actueel_oordeel(docs, today),
        _evaluation_of_kind(
            "eindevaluatie",
            "Eindevaluatie",
            EvaluatieKind.EINDEVALUATIE,
            evaluations,
            "nog niet vastgelegd (uiterlijk week 91)",
        ),
        _verslag(verslag, plan, evaluations),
    )
    return Completeness(zm=zm, today=today, sick_week=_sick_week(chain or [zm], today), parts=parts)


def medical_part(zm) -> bool:
    """RI-4: whether the doctor's medical part of the verslag exists — yes/no, for the doctor's
    view only."""
    return medisch_public.verslag_documents(zm.case_id).medical_part_present


def lacking(zm, *, today=None) -> list[str]:
    """RI-12: what the verslag still lacks (empty: complete), in plain Dutch."""
    return check(zm, today=today).lacking


def is_complete(zm, *, today=None) -> bool:
    return not lacking(zm, today=today)


def wia_requirement(ziekmelding, today) -> list[str]:
    """RI-12: recording the WIA application (Poortwachter row `wia_aanvraag`) requires a complete
    re-integratieverslag; registered with verzuim.actions.termijnen.register_step_requirement."""
    return lacking(ziekmelding, today=today)
