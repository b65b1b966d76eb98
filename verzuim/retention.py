"""Retention categories of verzuim (RT-1, RT-2, RT-3), registered in VerzuimConfig.ready."""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.db.models import Value as V
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, Least, NullIf
from django.db.models.lookups import GreaterThanOrEqual
from django.db.models.signals import post_delete

from accounts.models import EigenrisicodragerPeriode, Organisation
from retention.registry import (
    Category,
    SqlDates,
    category,
    later,
    outside_purge,
    refresh,
    register,
)
from retention.rules import RULES

from . import poortwachter
from .models import (
    DeadlineCompletion,
    DeadlineSignal,
    Herstelmelding,
    Noodinformatie,
    Verlof,
    WachttijdVerlenging,
    Werknemer,
    WerknemerSync,
    Ziekmelding,
)


def case_end(zm):
    """The last day of the case's absence (samentelling: the whole chain), or None if open."""
    ends = list(
        Ziekmelding.objects.filter(case_id=zm.case_id).values_list("recovered_on", flat=True)
    )
    if not ends or any(end is None for end in ends):
        return None
    return max(ends)


def case_ends(case_ids) -> dict:
    """case_end for many cases in one query: {case_id: last recovery day, or None if open}."""
    rows = (
        Ziekmelding.objects.filter(case_id__in=list(case_ids))
        .order_by()
        .values("case_id")
        .annotate(
            still_open=Count("pk", filter=Q(recovered_on__isnull=True)), end=Max("recovered_on")
        )
    )
    return {row["case_id"]: None if row["still_open"] else row["end"] for row in rows}


_UNSET = object()
_ONE_DAY = timedelta(days=1)


@functools.cache
def wia_window_day() -> int:
    """RT-3: the sick day on which the WIA application's window opens (UWV's letter, week 88 in
    the Poortwachter table's `wia_aanvraag` row). A case that ended before it did not lead to a
    WIA application: the engine offers the application step only from that week (verzuim/
    actions/termijnen.py), so a case with the step done has reached it too."""
    (row,) = [r for r in poortwachter.load_table() if r.key == WIA_KEY]
    return (row.window_start_week - 1) * 7 + 1


WIA_KEY = "wia_aanvraag"


@dataclass(frozen=True)
class CaseFacts:
    """What RT-2 and RT-3 read of a case (samentelling: every period of it)."""

    first_day: date
    last_day: date | None  # the last day of absence (recovered_on − 1); None while it runs
    sick_days: int | None  # None while it runs

    @property
    def reached_wia(self) -> bool:
        """RT-3: the case led to a WIA application (sick into its window), or still runs and can
        reach one."""
        return self.last_day is None or self.sick_days >= wia_window_day()


def case_facts(case_ids) -> dict:
    """CaseFacts for many cases in one query."""
    rows = (
        Ziekmelding.objects.filter(case_id__in=list(case_ids))
        .order_by()
        .values("case_id")
        .annotate(
            first=Min("first_day"),
            still_open=Count("pk", filter=Q(recovered_on__isnull=True)),
            end=Max("recovered_on"),
            days=Sum(_days_sick()),
        )
    )
    return {
        row["case_id"]: CaseFacts(
            first_day=row["first"],
            last_day=None if row["still_open"] else row["end"] - _ONE_DAY,
            sick_days=None if row["still_open"] else row["days"],
        )
        for row in rows
    }


def _days_sick():
    """A closed period's sick days: recovered_on − first_day (the day back is not sick)."""
    return Func(
        F("recovered_on"),
        F("first_day"),
        template="(%(expressions)s)",
        arg_joiner=" - ",
        output_field=IntegerField(),
    )


def erd_periods(organisation_ids) -> dict:
    """{organisation id: [EigenrisicodragerPeriode]} (RT-2, RT-3)."""
    periods = {}
    for period in EigenrisicodragerPeriode.objects.filter(organisation_id__in=organisation_ids):
        periods.setdefault(period.organisation_id, []).append(period)
    return periods


def ziekmelding_keep_until(zm, facts=_UNSET, periods=_UNSET):
    """RT-1: 2 years after the employment ends. RT-2: if a period in which the employer was
    eigenrisicodrager ZW covered the absence, 5 years after its last day, if later. RT-3: if a
    WGA period covered it and the case led to a WIA application (or still runs), 10 years after
    its last day, if later. While employed, no end yet; while an eigenrisicodrager's absence
    runs, neither. `facts`, `periods`: what the caller already has (the batch form)."""
    employment_end = zm.werknemer.employment_end
    base = RULES["verzuimadministratie"].period.after(employment_end) if employment_end else None
    if base is None:
        return None, "verzuimadministratie"
    if facts is _UNSET:
        facts = case_facts([zm.case_id]).get(zm.case_id)
    if periods is _UNSET:
        periods = erd_periods([zm.organisation_id]).get(zm.organisation_id, [])
    if facts is None:  # not saved yet: the record alone
        last = None if zm.recovered_on is None else zm.recovered_on - _ONE_DAY
        facts = CaseFacts(zm.first_day, last, None)
    covered = {p.kind for p in periods if p.covers(facts.first_day, facts.last_day)}
    if facts.last_day is None and covered:
        return None, "eigenrisicodrager_zw"  # the absence has not ended: its clock has not run
    candidates = [(base, "verzuimadministratie")]
    if "zw" in covered:
        zw = RULES["eigenrisicodrager_zw"].period.after(facts.last_day)
        candidates.append((zw, "eigenrisicodrager_zw"))
    if "wga" in covered and facts.reached_wia:
        wga = RULES["eigenrisicodrager_wga"].period.after(facts.last_day)
        candidates.append((wga, "eigenrisicodrager_wga"))
    return max(candidates)


def ziekmelding_keep_until_many(ziekmeldingen) -> dict:
    """The purge's batch form of ziekmelding_keep_until: the cases' facts and the employers'
    periods of the whole batch in two queries instead of per record (bench/README.md,
    Purge). Same answers, record by record (tests/retention/test_purge_setbased.py)."""
    facts = case_facts({zm.case_id for zm in ziekmeldingen})
    periods = erd_periods({zm.organisation_id for zm in ziekmeldingen})
    return {
        zm.pk: ziekmelding_keep_until(
            zm, facts=facts.get(zm.case_id), periods=periods.get(zm.organisation_id, [])
        )
        for zm in ziekmeldingen
    }


# PostgreSQL's infinite date: an open case's "end" in SQL, so that one GREATEST carries it
# through every candidate date and a single NULLIF turns it into "no end yet".
ERD_ZW = "eigenrisicodrager_zw"
_OPEN = Func(template="'infinity'::date", output_field=DateField())


def _case_periods(nested=False):
    """The periods of the row's case; `nested`: from inside a subquery of the row's query."""
    ref = OuterRef(OuterRef("case_id")) if nested else OuterRef("case_id")
    return Ziekmelding.objects.filter(case_id=ref).order_by()


def _case_end_sql(nested=False):
    """case_end in SQL for the outer row's case: its last recovery day; 'infinity' while a
    period of the case is open."""
    periods = _case_periods(nested)
    return Case(
        When(Exists(periods.filter(recovered_on__isnull=True)), then=_OPEN),
        default=Subquery(periods.order_by("-recovered_on").values("recovered_on")[:1]),
        output_field=DateField(),
    )


def _case_aggregate(expression, nested=False):
    return Subquery(
        _case_periods(nested).values("case_id").annotate(value=expression).values("value")[:1]
    )


def _last_day_sql(nested=False):
    """The case's last day of absence (recovered_on − 1); 'infinity' while it runs."""
    return Func(_case_end_sql(nested), template="(%(expressions)s - 1)", output_field=DateField())


def _covered_sql(kind):
    """RT-2, RT-3: a period of this kind of the row's employer overlaps the absence."""
    first = _case_aggregate(Min("first_day"), nested=True)
    return Exists(
        EigenrisicodragerPeriode.objects.filter(
            Q(start__isnull=True) | Q(start__lte=_last_day_sql(nested=True)),
            Q(end__isnull=True) | Q(end__gte=first),
            organisation_id=OuterRef("organisation_id"),
            kind=kind,
        )
    )


def ziekmelding_keep_until_sql() -> SqlDates:
    """ziekmelding_keep_until in SQL (retention.registry.SqlDates): same branches, same rule
    table. The rule key follows Python's max() over (date, key): on equal dates the greater key
    wins (verzuimadministratie > eigenrisicodrager_zw > eigenrisicodrager_wga)."""
    last = _last_day_sql()
    is_open = Exists(_case_periods().filter(recovered_on__isnull=True))
    zw = Q(_covered_sql("zw"))
    reached = Q(is_open) | Q(
        GreaterThanOrEqual(_case_aggregate(Sum(_days_sick())), wia_window_day())
    )
    wga = Q(_covered_sql("wga")) & reached
    base = RULES["verzuimadministratie"].period.sql(F("werknemer__employment_end"))
    zw_date = Case(When(zw, then=RULES["eigenrisicodrager_zw"].period.sql(last)))
    wga_date = Case(When(wga, then=RULES["eigenrisicodrager_wga"].period.sql(last)))
    no_end = Q(werknemer__employment_end__isnull=True)
    keep_until = Case(
        When(no_end, then=V(None)),
        When(zw | wga, then=NullIf(Greatest(base, zw_date, wga_date), _OPEN)),
        default=base,
        output_field=DateField(),
    )
    latest = Greatest(base, zw_date, wga_date)
    rule = Case(
        When(no_end | ~(zw | wga), then=V("verzuimadministratie")),
        # the absence has not ended: its clock has not run
        When(is_open, then=V(ERD_ZW)),
        When(GreaterThanOrEqual(base, latest), then=V("verzuimadministratie")),
        When(zw & Q(GreaterThanOrEqual(zw_date, latest)), then=V(ERD_ZW)),
        default=V("eigenrisicodrager_wga"),
    )
    return SqlDates(keep_until=keep_until, rule=rule)


def werknemer_keep_until_sql() -> SqlDates:
    return SqlDates(
        keep_until=RULES["verzuimadministratie"].period.sql(F("employment_end")),
        rule=V("verzuimadministratie"),
    )


def werknemer_keep_until(werknemer):
    end = werknemer.employment_end
    if end is None:
        return None, "verzuimadministratie"
    return RULES["verzuimadministratie"].period.after(end), "verzuimadministratie"


def _delete_case_rows(ziekmeldingen):
    """The purge's hook (in the batch's transaction): a case's deadline rows go with its last
    period. The cases of which every period is in the batch are found by one aggregate query in
    the database, then each table is one DELETE on that array of case ids (issue 20; bench/
    README.md, Purge). Not a NOT EXISTS per table over "a period outside the batch": the
    planner costs the batch's `NOT IN` as if it ran once per probe and hashes the whole
    ziekmelding table instead (140 ms against 30 ms per batch); and not the case ids as a list
    of placeholders, which psycopg and Django spent more time on than the deletes."""
    gone = list(
        Ziekmelding.objects.filter(case_id__in=ziekmeldingen.values("case_id"))
        .order_by()
        .values("case_id")
        .annotate(outside=Count("pk", filter=~Q(pk__in=ziekmeldingen.values("pk"))))
        .filter(outside=0)
        .values_list("case_id", flat=True)
    )
    if not gone:
        return
    # One text parameter in array syntax, cast: psycopg would dump a list of UUIDs one by one.
    cases = RawSQL("SELECT unnest(%s::uuid[])", ["{" + ",".join(map(str, gone)) + "}"])
    for model in (DeadlineCompletion, DeadlineSignal, WachttijdVerlenging):
        model.objects.filter(case_id__in=cases).delete()


def _cases_of_employer(period):
    """RT-2, RT-3: an eigenrisicodrager period saved or deleted moves its employer's cases."""
    return Ziekmelding.objects.filter(organisation_id=period.organisation_id)


def _period_deleted(sender, instance, **kwargs):
    refresh(category("verzuim.ziekmelding"), _cases_of_employer(instance))


def register_verzuim():
    # The registry's triggers follow saves; a deleted period moves the dates back as well.
    post_delete.connect(
        _period_deleted, sender=EigenrisicodragerPeriode, dispatch_uid="verzuim-erd-deleted"
    )
    outside_purge(
        WerknemerSync,
        "synchronisatie van het personeelsbestand: het geüploade bestand alleen tussen voorbeeld "
        "en toepassen (daarna gewist; een voorbeeld dat niet wordt toegepast na 24 uur "
        "verwijderd), daarna alleen wie, wanneer en aantallen, 2 jaar (verzuim.tasks."
        "drop_stale_syncs)",
    )
    common = {
        "subjects": "werknemers van aangesloten werkgevers",
        "recipients": "werkgever (HR, leidinggevende), bedrijfsarts en casemanager van de "
        # MD-6 (named in words in the text people read)
        "arbodienst; verzuimverzekeraar (alleen de gegevens voor de claimbeoordeling)",
    }
    register(
        Category(
            key="verzuim.ziekmelding",
            label="ziekmeldingen, herstelmeldingen en Poortwachter-termijnen",
            model=Ziekmelding,
            compute=ziekmelding_keep_until,
            compute_many=ziekmelding_keep_until_many,
            sql=ziekmelding_keep_until_sql,
            rules=("verzuimadministratie", "eigenrisicodrager_zw", "eigenrisicodrager_wga"),
            purpose="verzuimbegeleiding en re-integratie; loondoorbetaling bij ziekte",
            legal_basis="wettelijke plicht: art. 7:629 en 7:658a BW, Wet verbetering "
            "poortwachter (AVG art. 6 lid 1c; UAVG art. 30)",
            members=(Herstelmelding, DeadlineCompletion, DeadlineSignal, WachttijdVerlenging),
            before_delete=_delete_case_rows,
            triggers={
                Werknemer: lambda w: Ziekmelding.objects.filter(werknemer=w),
                Herstelmelding: lambda h: Ziekmelding.objects.filter(case_id=h.ziekmelding.case_id),
                Organisation: lambda o: Ziekmelding.objects.filter(organisation=o),
                EigenrisicodragerPeriode: _cases_of_employer,
            },
            order=20,
            **common,
        )
    )
    register(
        Category(
            key="verzuim.werknemer",
            label="werknemergegevens, noodinformatie en doelgroepadministratie",
            model=Werknemer,
            compute=werknemer_keep_until,
            sql=werknemer_keep_until_sql,
            rules=("verzuimadministratie", "doelgroepadministratie"),
            purpose="personeels- en verzuimadministratie; wettelijke regelingen (banenafspraak, "
            "no-riskpolis)",
            legal_basis="uitvoering arbeidsovereenkomst en wettelijke plicht (AVG art. 6 lid 1b "
            "en 1c)",
            members=(Noodinformatie, Verlof),
            order=90,
            **common,
        )
    )


def case_keep_until_by_case_id(case_id):
    """RT-1: the employer's re-integratiedossier, 2 years after the re-integration is completed
    (the end of the case's absence, or of the employment if that came first)."""
    periods = list(Ziekmelding.objects.filter(case_id=case_id).select_related("werknemer"))
    if not periods:
        return None
    ends = [p.recovered_on for p in periods]
    employment_end = periods[0].werknemer.employment_end
    if any(end is None for end in ends):
        completed = employment_end
    else:
        completed = later(*ends)
        if employment_end and employment_end < completed:
            completed = employment_end
    if completed is None:
        return None
    return RULES["reintegratiedossier"].period.after(completed)


def case_keep_until_sql():
    """case_keep_until_by_case_id in SQL for the outer row's `case_id`: the re-integration is
    completed at the last recovery, or at the employment's end if that came first or a period
    is still open (the employee of the case's latest period, as the Python takes periods[0] in
    Ziekmelding's ordering). NULL without a case: the caller decides."""
    periods = _case_periods()
    employment_end = Subquery(
        periods.order_by("-first_day", "-pk").values("werknemer__employment_end")[:1]
    )
    last = Subquery(periods.order_by("-recovered_on").values("recovered_on")[:1])
    completed = Case(
        When(Exists(periods.filter(recovered_on__isnull=True)), then=employment_end),
        default=Least(last, employment_end),  # LEAST skips a NULL: employed → the recovery
        output_field=DateField(),
    )
    return RULES["reintegratiedossier"].period.sql(completed)


def case_exists_sql():
    return Exists(_case_periods())
