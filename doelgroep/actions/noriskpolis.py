"""DG-3, DG-4: the no-riskpolis — when the question may be asked, when the policy pays out, and
recording the answer (yes/no, the one category the law requires, a WIA decision date)."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from doelgroep.models import NoRiskPolis

from .common import record_for_werknemer, require_gate, require_own_organisation

# DG-3: the 56+ waiting time of 13 weeks does not apply to those hired in this window.
EXCEPTION_HIRED_FROM = date(2018, 1, 1)
EXCEPTION_HIRED_UNTIL = date(2019, 12, 31)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def noriskpolis_question_allowed_from(employment_start: date) -> date:
    """DG-3: the question may be asked only after MORE than two months of employment."""
    return add_months(employment_start, 2) + timedelta(days=1)


def pays_only_after_13_weeks(*, category_56_plus_ww: bool, employment_start: date) -> bool:
    """DG-3: the no-riskpolis for the 56+/52-weeks-WW category pays out only after 13 weeks of
    sickness — except for those hired between 1 January 2018 and 31 December 2019."""
    if not category_56_plus_ww:
        return False
    return not (EXCEPTION_HIRED_FROM <= employment_start <= EXCEPTION_HIRED_UNTIL)


def record_noriskpolis(
    *,
    by,
    werknemer,
    asked_on,
    applies,
    category_56_plus_ww=False,
    wia_decision_on=None,
    request=None,
) -> NoRiskPolis:
    require_gate(by)
    require_own_organisation(by, werknemer.organisation_id)
    errors = {}
    allowed_from = noriskpolis_question_allowed_from(werknemer.employment_start)
    if asked_on < allowed_from:
        errors["asked_on"] = (
            "Deze vraag mag pas na meer dan twee maanden dienstverband worden gesteld: "
            f"vanaf {allowed_from:%d-%m-%Y}."
        )
    elif asked_on > timezone.localdate():
        errors["asked_on"] = "De datum ligt in de toekomst."
    if category_56_plus_ww and not applies:
        errors["category_56_plus_ww"] = (
            "Deze categorie bestaat alleen als de no-riskpolis van toepassing is."
        )
    if wia_decision_on and wia_decision_on < werknemer.employment_start:
        errors["wia_decision_on"] = (
            "Alleen een WIA-beslissing die tijdens het dienstverband is ontvangen mag worden "
            # DG-4 (named in words in the text people read)
            "vastgelegd."
        )
    if errors:
        raise ValidationError(errors)
    return record_for_werknemer(
        NoRiskPolis,
        by=by,
        werknemer=werknemer,
        values={
            "asked_on": asked_on,
            "applies": applies,
            "category_56_plus_ww": category_56_plus_ww,
            "wia_decision_on": wia_decision_on,
        },
        detail="no-riskpolis vastgelegd",
        request=request,
    )
