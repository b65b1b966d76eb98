"""Retention categories of re-integration (RT-1, RT-5), registered in ReintegratieConfig.ready."""

from datetime import UTC

from django.db.models import Case, F, When
from django.db.models import Value as V
from django.db.models.functions import Coalesce, TruncDate

from retention.registry import Category, SqlDates, register
from retention.rules import RULES
from verzuim.models import Herstelmelding, Werknemer, Ziekmelding
from verzuim.retention import case_exists_sql, case_keep_until_by_case_id, case_keep_until_sql

from .models import (
    Activiteit,
    Correspondentie,
    Evaluatie,
    Factuur,
    Machtiging,
    Ondertekening,
    PlanVanAanpak,
    PlanVersie,
    Reintegratieverslag,
    Trajectory,
    TrajectoryStaff,
    Verslagbundel,
    Voortgangsrapportage,
    Zienswijze,
)

COMMON = {
    "subjects": "zieke werknemers in re-integratie",
    "legal_basis": "wettelijke plicht: Wet verbetering poortwachter, art. 7:658a BW "
    "(AVG art. 6 lid 1c; UAVG art. 30)",
}


def _by_case(obj):
    if not Ziekmelding.objects.filter(case_id=obj.case_id).exists():
        # The case itself is gone (purged): the date computed while it existed stands.
        return obj.keep_until, "reintegratiedossier"
    return case_keep_until_by_case_id(obj.case_id), "reintegratiedossier"


def _by_case_sql() -> SqlDates:
    return SqlDates(
        keep_until=Case(
            When(case_exists_sql(), then=case_keep_until_sql()), default=F("keep_until")
        ),
        rule=V("reintegratiedossier"),
    )


def trajectory_keep_until(trajectory):
    """RT-5: 2 years after the trajectory ends (a recorded extension may add up to 4)."""
    if trajectory.end_on is None:
        return None, "reintegratiebedrijf"
    return RULES["reintegratiebedrijf"].period.after(trajectory.end_on), "reintegratiebedrijf"


def machtiging_keep_until(machtiging):
    end = machtiging.revoked_at.date() if machtiging.revoked_at else machtiging.valid_until
    return RULES["reintegratiebedrijf"].period.after(end), "reintegratiebedrijf"


def trajectory_keep_until_sql() -> SqlDates:
    return SqlDates(
        keep_until=RULES["reintegratiebedrijf"].period.sql(F("end_on")),
        rule=V("reintegratiebedrijf"),
        extension_start=F("end_on"),
    )


def machtiging_keep_until_sql() -> SqlDates:
    """`revoked_at.date()` in Python is the UTC date (Django reads aware datetimes in UTC)."""
    end = Coalesce(TruncDate("revoked_at", tzinfo=UTC), F("valid_until"))
    return SqlDates(
        keep_until=RULES["reintegratiebedrijf"].period.sql(end), rule=V("reintegratiebedrijf")
    )


def register_reintegratie():
    def by_case(model):
        def roots(instance):
            case_ids = (
                [instance.case_id]
                if hasattr(instance, "case_id")
                else Ziekmelding.objects.filter(werknemer=instance).values("case_id")
            )
            return model.objects.filter(case_id__in=case_ids)

        return roots

    for key, label, model, members in (
        (
            "reintegratie.plan",
            "plannen van aanpak met versies, activiteiten en evaluaties",
            PlanVanAanpak,
            (PlanVersie, Activiteit, Evaluatie),
        ),
        (
            "reintegratie.correspondentie",
            "correspondentie in het re-integratiedossier",
            Correspondentie,
            (),
        ),
        (
            "reintegratie.verslag",
            "re-integratieverslagen (deel werkgever)",
            Reintegratieverslag,
            (),
        ),
        (
            # RI-12: what was made for UWV and given to the employee, kept with the dossier.
            "reintegratie.bundel",
            "re-integratieverslagen voor UWV (bundels, de kopie van de werknemer)",
            Verslagbundel,
            (),
        ),
        (
            "reintegratie.zienswijze",
            "zienswijzen van de werknemer op de re-integratiedocumenten",
            Zienswijze,
            (),
        ),
        (
            # RI-12: kept as long as the documents they sign (the re-integratiedossier, RT-1).
            "reintegratie.ondertekening",
            "ondertekeningen van plannen van aanpak, evaluaties en re-integratieverslagen",
            Ondertekening,
            (),
        ),
    ):
        register(
            Category(
                key=key,
                label=label,
                model=model,
                compute=_by_case,
                sql=_by_case_sql,
                rules=("reintegratiedossier",),
                purpose="re-integratie volgens de Wet verbetering poortwachter",
                recipients="werkgever (HR), werknemer (kopie), UWV (bij de WIA-aanvraag)",
                members=members,
                triggers={
                    Ziekmelding: by_case(model),
                    Herstelmelding: lambda h, model=model: model.objects.filter(
                        case_id=h.ziekmelding.case_id
                    ),
                    Werknemer: by_case(model),
                },
                order=15,  # before the sick reports its date is computed from
                **COMMON,
            )
        )
    register(
        Category(
            key="reintegratie.traject",
            label="re-integratietrajecten met rapportages, medewerkers en facturen",
            model=Trajectory,
            compute=trajectory_keep_until,
            sql=trajectory_keep_until_sql,
            rules=("reintegratiebedrijf",),
            purpose="uitvoering van een re-integratietraject",
            # RI-8 (named in words in the text people read)
            recipients="re-integratiebedrijf (per dossier), werkgever (voortgang en "
            "medewerking), bedrijfsarts",
            members=(TrajectoryStaff, Voortgangsrapportage, Factuur),
            extension_start=lambda trajectory: trajectory.end_on,
            order=25,
            **COMMON,
        )
    )
    register(
        Category(
            key="reintegratie.machtiging",
            label="machtigingen",
            model=Machtiging,
            compute=machtiging_keep_until,
            sql=machtiging_keep_until_sql,
            rules=("reintegratiebedrijf",),
            # AV-2 (named in words in the text people read)
            purpose="bewijs van toestemming voor het opvragen van medische gegevens",
            recipients="re-integratiebedrijf; de werknemer",
            order=24,
            **COMMON,
        )
    )
