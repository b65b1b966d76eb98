"""Retention categories of verzuim (RT-1, RT-2, RT-3), registered in VerzuimConfig.ready."""

from django.db.models import Count, Max, Q

from accounts.models import Organisation
from retention.registry import Category, later, register
from retention.rules import RULES

from .models import (
    DeadlineCompletion,
    DeadlineSignal,
    Herstelmelding,
    Noodinformatie,
    Verlof,
    WachttijdVerlenging,
    Werknemer,
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


def ziekmelding_keep_until(zm, end=_UNSET):
    """RT-1: 2 years after the employment ends; RT-2/RT-3: for an eigenrisicodrager 5 (ZW) or 10
    (WGA) years after the absence ends, if that is later. While employed, no end yet. `end`:
    the case's end when the caller already has it (ziekmelding_keep_until_many)."""
    employment_end = zm.werknemer.employment_end
    base = RULES["verzuimadministratie"].period.after(employment_end) if employment_end else None
    if base is None:
        return None, "verzuimadministratie"
    end = case_end(zm) if end is _UNSET else end
    candidates = [(base, "verzuimadministratie")]
    organisation = zm.organisation
    if end and organisation.eigenrisicodrager_zw:
        candidates.append((RULES["eigenrisicodrager_zw"].period.after(end), "eigenrisicodrager_zw"))
    if end and organisation.eigenrisicodrager_wga:
        candidates.append(
            (RULES["eigenrisicodrager_wga"].period.after(end), "eigenrisicodrager_wga")
        )
    if end is None and (organisation.eigenrisicodrager_zw or organisation.eigenrisicodrager_wga):
        return None, "eigenrisicodrager_zw"  # the absence has not ended: its clock has not run
    return max(candidates)


def ziekmelding_keep_until_many(ziekmeldingen) -> dict:
    """The purge's batch form of ziekmelding_keep_until: the case ends of the whole batch in one
    query instead of one per record (bench/README.md, Purge). Same answers, record by record
    (tests/retention/test_purge_setbased.py)."""
    ends = case_ends({zm.case_id for zm in ziekmeldingen})
    return {zm.pk: ziekmelding_keep_until(zm, end=ends.get(zm.case_id)) for zm in ziekmeldingen}


def werknemer_keep_until(werknemer):
    end = werknemer.employment_end
    if end is None:
        return None, "verzuimadministratie"
    return RULES["verzuimadministratie"].period.after(end), "verzuimadministratie"


def _delete_case_rows(ziekmeldingen):
    case_ids = set(ziekmeldingen.values_list("case_id", flat=True))
    remaining = set(
        Ziekmelding.objects.filter(case_id__in=case_ids)
        .exclude(pk__in=ziekmeldingen.values("pk"))
        .values_list("case_id", flat=True)
    )
    gone = case_ids - remaining
    DeadlineCompletion.objects.filter(case_id__in=gone).delete()
    DeadlineSignal.objects.filter(case_id__in=gone).delete()
    WachttijdVerlenging.objects.filter(case_id__in=gone).delete()


def register_verzuim():
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
