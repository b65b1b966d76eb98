"""The medical worklist on the dashboard (issue 18), registered in MedischConfig.ready: what
waits for the bedrijfsarts — new ziekmeldingen without a consult yet, probleemanalyses due (RI-1,
week 6), advice still in concept (MD-5: not released to the employer), aanstellingskeuringen
waiting (MD-7) — and for a casemanager the same, but only within the dossiers and parts an
active delegation names (MD-4); keuringen and writing stay the doctor's.

Built from the scoping that guards the pages themselves (SE-9): verzuim's
`ziekmeldingen_visible_to`, `queries.dossiers_visible_to` / `keuringen_visible_to`, so a doctor
never sees a case of a client they do not serve. Every person shown is audited like a list
(SE-7). The queries are bounded: a fixed number per group, whatever the number of cases."""

from datetime import timedelta

from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from accounts.dashboard import WORKLIST_LIMIT, WorkGroup, WorkItem, worklist
from privacy import audit
from privacy.models import AuditAction
from verzuim import deadlines as verzuim_deadlines
from verzuim import queries as verzuim_queries
from verzuim.models import Werknemer, Ziekmelding
from verzuim.poortwachter import DUE_SOON_DAYS

from . import policies, queries
from .actions.reintegratie import PROBLEEMANALYSE_KEY
from .models import Advies, Dossier

# RI-1: the probleemanalyse is due on the last day of week 6 (verzuim/poortwachter.toml; the
# first sick day is day 1); a case is on the worklist from DUE_SOON_DAYS before that. The rows
# shown carry the engine's own date (deadlines_for).
PROBLEEMANALYSE_DUE = timedelta(weeks=6) - timedelta(days=1)


def _dossiers_with(user, part):
    """The dossiers whose `part` the user may read: the doctor's clients' dossiers, or those an
    active delegation names with that part (MD-4)."""
    if policies.is_bedrijfsarts(user):
        return queries.dossiers_visible_to(user)
    if policies.is_casemanager(user):
        today = timezone.localdate()
        return Dossier.objects.filter(
            Q(delegations__delegate_id=user.pk)
            & Q(delegations__revoked_at__isnull=True)
            & Q(delegations__valid_from__lte=today)
            & Q(delegations__valid_until__gte=today)
            & Q(delegations__parts__contains=[part])
        ).distinct()
    return Dossier.objects.none()


def _open_cases(user):
    """Open cases the user may read, each once (its newest period); a casemanager's only of the
    employees whose dossier is delegated to them."""
    cases = verzuim_queries.ziekmeldingen_visible_to(user).filter(recovered_on__isnull=True)
    if policies.is_casemanager(user):
        delegated = list(queries.dossiers_visible_to(user).values_list("werknemer_id", flat=True))
        cases = cases.filter(werknemer_id__in=delegated)
    return cases


def _new_without_consult(user, today):
    """Open cases whose employee has had no consult since the first sick day."""
    cases = list(
        _open_cases(user).order_by("first_day", "pk").values_list("pk", "werknemer_id", "first_day")
    )
    if not cases:
        return 0, []
    last_consult = dict(
        _dossiers_with(user, "consults")
        .filter(werknemer_id__in={w for _, w, _ in cases})
        .annotate(last=Max("consults__date"))
        .values_list("werknemer_id", "last")
    )
    dossier_of = dict(
        queries.dossiers_visible_to(user)
        .filter(werknemer_id__in={w for _, w, _ in cases})
        .values_list("werknemer_id", "pk")
    )
    if policies.is_casemanager(user):
        # Only what the delegation shows: whether there was a consult is the consults part.
        cases = [c for c in cases if c[1] in last_consult]
    waiting = [
        (pk, werknemer_id)
        for pk, werknemer_id, first_day in cases
        if last_consult.get(werknemer_id) is None or last_consult[werknemer_id] < first_day
    ]
    shown = waiting[:WORKLIST_LIMIT]
    rows = {
        zm.pk: zm
        for zm in Ziekmelding.objects.filter(pk__in=[pk for pk, _ in shown]).select_related(
            "werknemer"
        )
    }
    return len(waiting), [(rows[pk], dossier_of.get(w)) for pk, w in shown if pk in rows]


def _probleemanalyses_due(user, today):
    """Open cases without a probleemanalyse whose week 6 falls within DUE_SOON_DAYS or has
    passed (the stored completion of the Poortwachter step, RI-1)."""
    case_start = (
        Ziekmelding.objects.filter(case_id=OuterRef("case_id"))
        .order_by("first_day")
        .values("first_day")[:1]
    )
    latest = today + timedelta(days=DUE_SOON_DAYS) - PROBLEEMANALYSE_DUE
    done = verzuim_deadlines.active_completions().filter(key=PROBLEEMANALYSE_KEY)
    rows = (
        _open_cases(user)
        .exclude(case_id__in=done.values("case_id"))
        .annotate(case_start=Subquery(case_start))
        .filter(case_start__lte=latest)
        .order_by("case_start", "pk")
    )
    return rows.count(), list(rows.select_related("werknemer")[:WORKLIST_LIMIT])


def _due_of(zm, key):
    """The engine's due date of one deadline of this case (the few shown rows only)."""
    for deadline in verzuim_deadlines.deadlines_for(zm):
        if deadline.key == key:
            return deadline.due
    return zm.case_start + PROBLEEMANALYSE_DUE


def _werknemer_names(dossiers):
    ids = {d.werknemer_id for d in dossiers}
    return {w.pk: w for w in Werknemer.objects.filter(pk__in=ids)}


def doctor_worklist(request):
    user = request.user
    if not policies.may_enter(user):
        return None
    today = timezone.localdate()
    doctor = policies.is_bedrijfsarts(user)
    groups = []

    new_count, new_rows = _new_without_consult(user, today)
    items = []
    for zm, dossier_pk in new_rows:
        if dossier_pk is None:
            url = reverse("medisch:index")
        elif doctor:
            url = reverse("medisch:consult_create", args=[dossier_pk])
        else:
            url = reverse("medisch:dossier", args=[dossier_pk])
        items.append(
            WorkItem(
                text=zm.werknemer.full_name,
                url=url,
                note=f"ziek sinds {zm.first_day:%d-%m-%Y}"
                + ("" if dossier_pk else ", nog geen dossier"),
            )
        )
    groups.append(
        WorkGroup(
            "Nieuwe ziekmeldingen zonder consult",
            items,
            new_count,
            reverse("verzuim:ziekmeldingen"),
            "Naar het verzuimoverzicht",
        )
    )

    pa_count, pa_rows = _probleemanalyses_due(user, today)
    dossier_of = dict(
        queries.dossiers_visible_to(user)
        .filter(werknemer_id__in={zm.werknemer_id for zm in pa_rows})
        .values_list("werknemer_id", "pk")
    )
    items = []
    for zm in pa_rows:
        due = _due_of(zm, PROBLEEMANALYSE_KEY)
        dossier_pk = dossier_of.get(zm.werknemer_id)
        if dossier_pk is None:
            url = reverse("medisch:index")
        elif doctor:
            url = reverse("medisch:probleemanalyse_create", args=[dossier_pk])
        else:
            url = reverse("medisch:dossier", args=[dossier_pk])
        items.append(WorkItem(text=zm.werknemer.full_name, url=url, due=due, overdue=due < today))
    groups.append(
        WorkGroup(
            "Probleemanalyse te maken",
            items,
            pa_count,
            reverse("verzuim:ziekmeldingen"),
            "Naar het verzuimoverzicht",
        )
    )

    concepts = Advies.objects.filter(
        dossier__in=_dossiers_with(user, "adviezen"), released_at__isnull=True
    )
    concept_count = concepts.count()
    concept_rows = list(concepts.select_related("dossier").order_by("date", "pk")[:WORKLIST_LIMIT])
    people = _werknemer_names([a.dossier for a in concept_rows])
    groups.append(
        WorkGroup(
            "Advies in concept (nog niet vrijgegeven)",
            [
                WorkItem(
                    text=people[a.dossier.werknemer_id].full_name
                    if a.dossier.werknemer_id in people
                    else f"Dossier {a.dossier_id}",
                    url=reverse("medisch:dossier", args=[a.dossier_id]) + "#adviezen",
                    note=f"advies van {a.date:%d-%m-%Y}",
                )
                for a in concept_rows
            ],
            concept_count,
            reverse("medisch:index"),
            "Naar de medische dossiers",
        )
    )

    keuringen = queries.keuringen_visible_to(user).filter(examined_at__isnull=True)
    keuring_count = keuringen.count()
    keuring_rows = list(keuringen.defer("findings").order_by("requested_at", "pk")[:WORKLIST_LIMIT])
    if doctor:
        names = queries.candidate_names(keuring_rows)
        groups.append(
            WorkGroup(
                "Aanstellingskeuringen die wachten",
                [
                    WorkItem(
                        text=names.get(k.candidate_id, "") or f"Keuring {k.pk}",
                        url=reverse("medisch:keuring_record", args=[k.pk]),
                        note=f"{k.function}, aangevraagd "
                        f"{timezone.localtime(k.requested_at):%d-%m-%Y}",
                    )
                    for k in keuring_rows
                ],
                keuring_count,
                reverse("medisch:keuringen"),
                "Alle keuringen",
            )
        )

    # SE-7: every person named on the worklist, audited like a list.
    shown_cases = [zm for zm, _ in new_rows] + pa_rows
    audit.record_reads(
        shown_cases,
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="dashboard: werklijst",
        request=request,
    )
    if doctor:
        audit.record_reads(
            concept_rows,
            object_type="medisch.advies",
            subject_of=lambda a: a.dossier.subject,
            detail="dashboard: werklijst, advies in concept",
            request=request,
        )
    else:
        # A casemanager reads on the delegating doctor's behalf (SE-7, MD-4), per dossier.
        for a in concept_rows:
            audit.record(
                AuditAction.READ,
                "medisch.advies",
                [a.pk],
                subject=a.dossier.subject,
                detail="dashboard: werklijst, advies in concept",
                request=request,
                on_behalf_of=queries.on_behalf_of(user, a.dossier),
            )
    queries.record_keuring_reads(keuring_rows, detail="dashboard: werklijst", request=request)
    return "accounts/worklist_groups.html", worklist(
        "medisch",
        "Werklijst",
        groups,
        intro=None
        if doctor
        else "Binnen de dossiers die een bedrijfsarts aan u heeft gedelegeerd.",
        empty="Er wacht nu niets op u.",
    )
