"""Re-integration's dashboard panels (registered in ReintegratieConfig.ready).

- The employee's panel: what waits for them — a plan version to respond to (RI-3), notices of an
  aanmelding to read before the company gets anything (RI-10), progress reports to read before
  the employer does (RI-5), machtigingen to decide (AV-2).
- The re-integration consultant's panel (RI-8, RI-10): the trajectories this consultant is on,
  with their function on each — only once the employee has been informed, and never a
  colleague's trajectories.
- Worklists (issue 18): the consultant's reports due and remarks to answer; the employer's plans
  the employee disagreed with, plan activities due and (HR) newly released reports.
- RI-12 (issue 19): HR's cases from week 40 whose re-integratieverslag lacks parts.
"""

from datetime import timedelta

from django.db.models import Case, DateField, F, Max, Min, OuterRef, Subquery, When
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from accounts.dashboard import WORKLIST_LIMIT, WorkGroup, WorkItem, worklist
from privacy import audit
from verzuim import queries as queries_verzuim
from verzuim.models import Werknemer, Ziekmelding

from . import completeness, policies, queries
from .models import (
    Activiteit,
    EmployeeResponse,
    MachtigingStatus,
    Owner,
    ReportStatus,
    Trajectory,
    TrajectoryStaff,
    TrajectoryStatus,
    Voortgangsrapportage,
)

PANEL_LIMIT = 50


def employee_panel(request):
    user = request.user
    if not policies.is_employee(user):
        return None
    if not Werknemer.objects.filter(user=user).exists():
        return None
    trajectories = queries.trajectories_visible_to(user)
    return "reintegratie/_panel_mijn.html", {
        "plans": queries.plans_visible_to(user)
        .exclude(employee_response_version=F("version"))
        .count(),
        "notices": trajectories.filter(employee_informed_at__isnull=True).count(),
        "reports": Voortgangsrapportage.objects.filter(
            trajectory__in=trajectories,
            status=ReportStatus.TER_INZAGE,
            employee_seen_at__isnull=True,
        ).count(),
        "machtigingen": queries.machtigingen_for_employee(user)
        .filter(status=MachtigingStatus.GEVRAAGD)
        .count(),
    }


def consultant_panel(request):
    user = request.user
    if not policies.is_consultant(user):
        return None
    rows = list(
        TrajectoryStaff.objects.filter(user=user, trajectory__employee_informed_at__isnull=False)
        .select_related("trajectory")
        .order_by("-trajectory__start_on", "-trajectory_id")[:PANEL_LIMIT]
    )
    return "reintegratie/_panel_consultant.html", {"rows": rows}


# --- Worklists (issue 18) ------------------------------------------------------------------

# RI-5: a running trajectory reports at least this often (the plan is evaluated at least every
# 6 weeks, EvaluatieKind.PERIODIEK); the consultant sees it from DUE_SOON_DAYS before.
REPORT_INTERVAL = timedelta(weeks=6)
DUE_SOON_DAYS = 14
# HR: reports released to the employer within this many days are new to read.
RECENT_DAYS = 14


def consultant_worklist(request):
    """RI-5, RI-8: what waits for the handling consultant (or substitute) — progress reports due
    on their running trajectories, and employees' remarks on reports not yet released. Only the
    trajectories this consultant handles once the employee has been informed (RI-10); the
    reports through queries.reports_visible_to."""
    user = request.user
    if not policies.is_consultant(user):
        return None
    today = timezone.localdate()
    handling = TrajectoryStaff.objects.filter(
        user=user, function__in=(policies.CONSULTANT, policies.VERVANGER)
    )
    running = (
        Trajectory.objects.filter(
            pk__in=handling.values("trajectory_id"),
            employee_informed_at__isnull=False,
            status=TrajectoryStatus.LOPEND,
        )
        .annotate(last_report=Max("reports__period_end"))
        .annotate(
            report_from=Case(
                When(last_report__isnull=True, then=F("start_on")),
                default=F("last_report"),
                output_field=DateField(),
            )
        )
        .filter(report_from__lte=today + timedelta(days=DUE_SOON_DAYS) - REPORT_INTERVAL)
        .order_by("report_from", "pk")
    )
    due_rows = list(running[:WORKLIST_LIMIT])
    remarks = (
        queries.reports_visible_to(user)
        .filter(status=ReportStatus.TER_INZAGE, employee_seen_at__isnull=False)
        .exclude(employee_remark="")
        .select_related("trajectory")
        .order_by("employee_seen_at", "pk")
    )
    remark_rows = list(remarks[:WORKLIST_LIMIT])
    groups = [
        WorkGroup(
            "Voortgangsrapportage te maken",
            [
                WorkItem(
                    text=f"{t.get_category_display()} ({t.client_number})",
                    url=reverse("reintegratie:report_create", args=[t.pk]),
                    due=t.report_from + REPORT_INTERVAL,
                    overdue=t.report_from + REPORT_INTERVAL < today,
                    note="nog geen rapportage" if t.last_report is None else "",
                )
                for t in due_rows
            ],
            running.count(),
            reverse("reintegratie:trajectories"),
            "Alle trajecten",
        ),
        WorkGroup(
            "Reacties van werknemers op een rapportage",
            [
                WorkItem(
                    text=f"{r.trajectory.get_category_display()} ({r.trajectory.client_number})",
                    url=reverse("reintegratie:trajectory", args=[r.trajectory_id]) + "#rapportages",
                    note=f"rapportage tot en met {r.period_end:%d-%m-%Y}",
                )
                for r in remark_rows
            ],
            remarks.count(),
        ),
    ]
    return "accounts/worklist_groups.html", worklist(
        "reintegratie-consultant", "Werklijst", groups, empty="Er wacht nu niets op u."
    )


def employer_worklist(request):
    """RI-3, RI-5: what waits for the employer (werkgever, HR) in re-integration — a plan van
    aanpak the employee did not agree with, the employer's own plan activities due, and (HR, who
    keeps the dossier) progress reports newly released to read. Nothing medical (MD-5): only
    what queries.plans_visible_to / reports_visible_to give the employer."""
    user = request.user
    if not policies.draws_up_plans(user):
        return None
    today = timezone.localdate()
    newest_period = (
        Ziekmelding.objects.filter(case_id=OuterRef("case_id"))
        .order_by("-first_day", "-pk")
        .values("pk")[:1]
    )
    disagreed = (
        queries.plans_visible_to(user)
        .filter(
            employee_response=EmployeeResponse.DISAGREED, employee_response_version=F("version")
        )
        .annotate(zm_pk=Subquery(newest_period))
        .select_related("werknemer")
        .order_by("employee_responded_at", "pk")
    )
    disagreed_rows = list(disagreed[:WORKLIST_LIMIT])
    activities = (
        Activiteit.objects.filter(
            plan__in=queries.plans_visible_to(user),
            owner__in=(Owner.WERKGEVER, Owner.SAMEN),
            done_on__isnull=True,
            due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
        .annotate(
            zm_pk=Subquery(
                Ziekmelding.objects.filter(case_id=OuterRef("plan__case_id"))
                .order_by("-first_day", "-pk")
                .values("pk")[:1]
            )
        )
        .select_related("plan__werknemer")
        .order_by("due_on", "pk")
    )
    activity_rows = list(activities[:WORKLIST_LIMIT])
    groups = [
        WorkGroup(
            "Plan van aanpak: werknemer niet akkoord",
            [
                WorkItem(
                    text=p.werknemer.full_name,
                    url=reverse("reintegratie:plan", args=[p.zm_pk]) + "#bewerken",
                    note=f"versie {p.version}",
                )
                for p in disagreed_rows
                if p.zm_pk
            ],
            disagreed.count(),
        ),
        WorkGroup(
            "Activiteiten van de werkgever in het plan van aanpak",
            [
                WorkItem(
                    text=f"{a.plan.werknemer.full_name}: {Truncator(a.description).chars(60)}",
                    url=reverse("reintegratie:plan", args=[a.zm_pk]) + "#activiteiten",
                    due=a.due_on,
                    overdue=a.due_on < today,
                )
                for a in activity_rows
                if a.zm_pk
            ],
            activities.count(),
        ),
    ]
    report_rows = []
    if policies.keeps_dossiers(user):
        released = (
            queries.reports_visible_to(user)
            .filter(released_at__gte=timezone.now() - timedelta(days=RECENT_DAYS))
            .select_related("trajectory__werknemer")
            .order_by("-released_at", "-pk")
        )
        report_rows = list(released[:WORKLIST_LIMIT])
        groups.append(
            WorkGroup(
                f"Voortgangsrapportages vrijgegeven (laatste {RECENT_DAYS} dagen)",
                [
                    WorkItem(
                        text=r.trajectory.werknemer.full_name,
                        url=reverse("reintegratie:trajectory", args=[r.trajectory_id])
                        + "#rapportages",
                        note=f"{r.trajectory.get_category_display()}, tot en met "
                        f"{r.period_end:%d-%m-%Y}",
                    )
                    for r in report_rows
                ],
                released.count(),
                reverse("reintegratie:trajectories"),
                "Alle trajecten",
            )
        )
    # SE-7: every person named, audited like a list.
    audit.record_reads(
        disagreed_rows,
        object_type="reintegratie.planvanaanpak",
        subject_of=lambda p: p.werknemer.pseudonym,
        detail="dashboard: werklijst",
        request=request,
    )
    audit.record_reads(
        activity_rows,
        object_type="reintegratie.activiteit",
        subject_of=lambda a: a.plan.werknemer.pseudonym,
        detail="dashboard: werklijst",
        request=request,
    )
    audit.record_reads(
        report_rows,
        object_type="reintegratie.voortgangsrapportage",
        subject_of=lambda r: r.trajectory.werknemer.pseudonym,
        detail="dashboard: werklijst",
        request=request,
    )
    return "accounts/worklist_groups.html", worklist(
        "reintegratie-werkgever",
        "Re-integratie: wat op u wacht",
        groups,
        empty="Er wacht in de re-integratie nu niets op u.",
    )


def completeness_worklist(request):
    """RI-12: HR's open cases from sick week 40 on (completeness.WORKLIST_FROM_WEEK) whose
    re-integratieverslag still lacks parts, each with "n onderdelen ontbreken" and a link to its
    completeness page. Scoped through verzuim's queries (SE-9); named people audited (SE-7)."""
    user = request.user
    if not policies.keeps_dossiers(user):
        return None
    today = timezone.localdate()
    open_periods = list(
        queries_verzuim.ziekmeldingen_visible_to(user)
        .filter(recovered_on__isnull=True)
        .select_related("werknemer")
    )
    starts = dict(
        Ziekmelding.objects.filter(case_id__in={zm.case_id for zm in open_periods})
        .values("case_id")
        .annotate(start=Min("first_day"))
        .values_list("case_id", "start")
    )
    # Sick days never outnumber calendar days: only a case that began this long ago can be there.
    earliest = today - timedelta(weeks=completeness.WORKLIST_FROM_WEEK - 1)
    found = []
    for zm in open_periods:
        if starts.get(zm.case_id, zm.first_day) > earliest:
            continue
        result = completeness.check(zm, today=today)
        if result.sick_week >= completeness.WORKLIST_FROM_WEEK and not result.complete:
            found.append(result)
    found.sort(key=lambda r: (-r.sick_week, r.zm.pk))
    shown = found[:WORKLIST_LIMIT]
    audit.record_reads(
        [r.zm for r in shown],
        object_type="verzuim.ziekmelding",
        subject_of=lambda zm: zm.werknemer.pseudonym,
        detail="dashboard: volledigheid re-integratieverslag",
        request=request,
    )
    group = WorkGroup(
        f"Re-integratieverslag niet compleet (vanaf week {completeness.WORKLIST_FROM_WEEK})",
        [
            WorkItem(
                text=r.zm.werknemer.full_name,
                url=reverse("reintegratie:volledigheid", args=[r.zm.pk]),
                note=f"week {r.sick_week}: "
                + (
                    "1 onderdeel ontbreekt"
                    if r.lacking_count == 1
                    else f"{r.lacking_count} onderdelen ontbreken"
                ),
            )
            for r in shown
        ],
        len(found),
    )
    return "accounts/worklist_groups.html", worklist(
        "reintegratie-volledigheid",
        "Re-integratieverslag: wat ontbreekt",
        [group],
        empty="Geen verzuim vanaf week 40 met een onvolledig re-integratieverslag.",
    )
