"""State changes of the doelgroep administration: every write goes through here — behind the
confidentiality gate (DG-6), validated, atomic and audited (SE-7). Pages and API call the same
functions. Validation raises ValidationError with field names (the form shows it at the field,
the API answers 400).
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as stdnum_bsn

from accounts.roles import Role
from privacy import audit
from privacy.actions import toestemming
from privacy.models import AuditAction, ConsentKind

from . import policies
from .models import (
    Bezwaar,
    CheckedVia,
    Geboorteland,
    Geheimhoudingsverklaring,
    Kandidaat,
    NoRiskPolis,
    Ondersteuningsmaatregel,
    Registercheck,
    Vog,
    Voorkeursbeleid,
)

# DG-3: the 56+ waiting time of 13 weeks does not apply to those hired in this window.
EXCEPTION_HIRED_FROM = date(2018, 1, 1)
EXCEPTION_HIRED_UNTIL = date(2019, 12, 31)
WAITING_WEEKS_56_PLUS = 13

OBJECTION_TEXT_VERSION = "2026-11"
OBJECTION_TEXT = (
    "Ik maak bezwaar tegen de verwerking van mijn geboorteland en dat van mijn ouders en "
    "grootouders voor het voorkeursbeleid. Mijn gegevens worden direct verwijderd en er wordt "
    "niets meer over mij vastgelegd."
)


def _require(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _gate(by):
    """DG-6 on every write: role and a current signature."""
    _require(policies.can_access(by))


def _own(by, organisation_id):
    _require(organisation_id == by.organisation_id)


def _log(action, obj, subject, detail, *, by, request=None):
    audit.record(
        action,
        f"doelgroep.{type(obj).__name__.lower()}",
        [obj.pk],
        subject=subject,
        detail=detail,
        request=request,
        actor=by,
    )


# --- DG-6: the confidentiality statement ----------------------------------------------------------


def sign_statement(*, by, request=None) -> Geheimhoudingsverklaring:
    _require(policies.may_sign(by))
    if policies.is_withdrawn(by):
        raise ValidationError(
            "Uw toegang is ingetrokken door de beheerder; opnieuw ondertekenen kan pas na "
            "overleg met de beheerder."
        )
    with transaction.atomic():
        existing = policies.current_signature(by)
        if existing:
            return existing
        statement = Geheimhoudingsverklaring.objects.create(
            user=by,
            organisation_id=by.organisation_id,
            text_version=policies.STATEMENT_VERSION,
            text=policies.STATEMENT_TEXT,
        )
        _log(
            AuditAction.CREATE,
            statement,
            by.pseudonym,
            f"geheimhoudingsverklaring versie {statement.text_version} ondertekend",
            by=by,
            request=request,
        )
    return statement


def withdraw_statement(*, by, statement, request=None) -> bool:
    """DG-6: the beheerder withdraws someone's access at once."""
    _require(policies.can_manage_statements(by))
    with transaction.atomic():
        updated = Geheimhoudingsverklaring.objects.filter(
            pk=statement.pk, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now(), withdrawn_by=by)
        if updated:
            _log(
                AuditAction.UPDATE,
                statement,
                statement.user.pseudonym,
                "toegang doelgroepadministratie ingetrokken",
                by=by,
                request=request,
            )
    return bool(updated)


# --- DG-1, DG-2: the doelgroepregister and the BSN ------------------------------------------------


def clean_bsn(value: str) -> str:
    """DG-2: the 11-proef (python-stdnum); the compact nine digits, or a field error."""
    try:
        return stdnum_bsn.validate(value or "")
    except StdnumError:
        raise ValidationError(
            {"bsn": "Dit is geen geldig burgerservicenummer (de 11-proef klopt niet)."}
        ) from None


def create_kandidaat(*, by, name, reference="", request=None) -> Kandidaat:
    _gate(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Vul de naam in."})
    with transaction.atomic():
        kandidaat = Kandidaat.objects.create(
            organisation_id=by.organisation_id, name=name, reference=reference
        )
        _log(
            AuditAction.CREATE,
            kandidaat,
            kandidaat.pseudonym,
            "sollicitant",
            by=by,
            request=request,
        )
    return kandidaat


def record_registercheck(
    *,
    by,
    in_register,
    checked_on,
    checked_via,
    bsn="",
    werknemer=None,
    kandidaat=None,
    request=None,
) -> Registercheck:
    """DG-1: whether the person is in the register, when and how it was checked — no reason."""
    _gate(by)
    subject = werknemer or kandidaat
    _require(subject is not None and (werknemer is None or kandidaat is None))
    _own(by, subject.organisation_id)
    errors = {}
    if checked_on and checked_on > timezone.localdate():
        errors["checked_on"] = "De controledatum ligt in de toekomst."
    if checked_via == CheckedVia.LOONHEFFINGENNUMMER and werknemer is None:
        errors["checked_via"] = (
            "Met het loonheffingennummer controleert u alleen huidige werknemers; gebruik voor "
            "een sollicitant het burgerservicenummer."
        )
    if errors:
        raise ValidationError(errors)
    if checked_via == CheckedVia.BSN:
        bsn = clean_bsn(bsn)
    else:
        bsn = ""
    with transaction.atomic():
        check, _ = Registercheck.objects.update_or_create(
            werknemer=werknemer,
            kandidaat=kandidaat,
            defaults={
                "organisation_id": subject.organisation_id,
                "in_register": in_register,
                "checked_on": checked_on,
                "checked_via": checked_via,
                "bsn": bsn,
                "bsn_last3": bsn[-3:] if bsn else "",
                "recorded_by": by,
            },
        )
        _log(
            AuditAction.UPDATE,
            check,
            subject.pseudonym,
            "controle doelgroepregister vastgelegd",
            by=by,
            request=request,
        )
    return check


def reveal_bsn(*, by, check, request=None) -> str:
    """DG-2: the full BSN, only on an explicit, audited request."""
    _gate(by)
    _own(by, check.organisation_id)
    subject = check.werknemer or check.kandidaat
    _log(AuditAction.READ, check, subject.pseudonym, "BSN getoond", by=by, request=request)
    return check.bsn


# --- DG-3, DG-4: no-riskpolis ---------------------------------------------------------------------


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
    return add_months(employment_start, 2) + timezone.timedelta(days=1)


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
    _gate(by)
    _own(by, werknemer.organisation_id)
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
            "vastgelegd (DG-4)."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        polis, _ = NoRiskPolis.objects.update_or_create(
            werknemer=werknemer,
            defaults={
                "asked_on": asked_on,
                "applies": applies,
                "category_56_plus_ww": category_56_plus_ww,
                "wia_decision_on": wia_decision_on,
                "recorded_by": by,
            },
        )
        _log(
            AuditAction.UPDATE,
            polis,
            werknemer.pseudonym,
            "no-riskpolis vastgelegd",
            by=by,
            request=request,
        )
    return polis


# --- DG-5: support measures -----------------------------------------------------------------------


def add_maatregel(*, by, werknemer, kind, start_on, end_on=None, request=None):
    _gate(by)
    _own(by, werknemer.organisation_id)
    if end_on and end_on < start_on:
        raise ValidationError({"end_on": "De einddatum ligt vóór de begindatum."})
    with transaction.atomic():
        maatregel = Ondersteuningsmaatregel.objects.create(
            werknemer=werknemer,
            organisation_id=werknemer.organisation_id,
            kind=kind,
            start_on=start_on,
            end_on=end_on,
            recorded_by=by,
        )
        _log(
            AuditAction.CREATE,
            maatregel,
            werknemer.pseudonym,
            "ondersteuningsmaatregel",
            by=by,
            request=request,
        )
    return maatregel


def end_maatregel(*, by, maatregel, end_on, request=None):
    _gate(by)
    _own(by, maatregel.organisation_id)
    if end_on < maatregel.start_on:
        raise ValidationError({"end_on": "De einddatum ligt vóór de begindatum."})
    with transaction.atomic():
        Ondersteuningsmaatregel.objects.filter(pk=maatregel.pk).update(end_on=end_on)
        maatregel.refresh_from_db()
        _log(
            AuditAction.UPDATE,
            maatregel,
            maatregel.werknemer.pseudonym,
            "ondersteuningsmaatregel beëindigd",
            by=by,
            request=request,
        )
    return maatregel


# --- DG-7: voorkeursbeleid ------------------------------------------------------------------------


def active_beleid(organisation_id):
    return (
        Voorkeursbeleid.objects.filter(organisation_id=organisation_id, ended_on__isnull=True)
        .order_by("-decided_on", "-pk")
        .first()
    )


def record_voorkeursbeleid(*, by, group_description, documentation, decided_on, request=None):
    _gate(by)
    errors = {}
    if not (group_description or "").strip():
        errors["group_description"] = "Omschrijf de groep met een aantoonbare achterstand."
    if active_beleid(by.organisation_id) is not None:
        errors["group_description"] = "Er is al een voorkeursbeleid van kracht; beëindig dat eerst."
    if len((documentation or "").strip()) < 40:
        errors["documentation"] = (
            "Leg vast waaruit de achterstand blijkt (bron, cijfers); zonder gedocumenteerde "
            "achterstand is voorkeursbeleid niet toegestaan (DG-7)."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        beleid = Voorkeursbeleid.objects.create(
            organisation_id=by.organisation_id,
            group_description=group_description,
            documentation=documentation,
            decided_on=decided_on,
            recorded_by=by,
        )
        _log(AuditAction.CREATE, beleid, None, "voorkeursbeleid vastgelegd", by=by, request=request)
    return beleid


def end_voorkeursbeleid(*, by, beleid, ended_on, request=None) -> int:
    """Ending the policy ends the processing: its country-of-birth data is deleted."""
    _gate(by)
    _own(by, beleid.organisation_id)
    with transaction.atomic():
        Voorkeursbeleid.objects.filter(pk=beleid.pk).update(ended_on=ended_on)
        deleted, _ = Geboorteland.objects.filter(beleid=beleid).delete()
        _log(
            AuditAction.DELETE,
            beleid,
            None,
            f"voorkeursbeleid beëindigd; {deleted} registraties verwijderd",
            by=by,
            request=request,
        )
    return deleted


def record_geboorteland(*, by, werknemer, request=None, **countries) -> Geboorteland:
    _gate(by)
    _own(by, werknemer.organisation_id)
    beleid = active_beleid(werknemer.organisation_id)
    if beleid is None:
        raise ValidationError(
            "Geboorteland mag alleen worden vastgelegd bij een voorkeursbeleid met een "
            "gedocumenteerde achterstand (DG-7). Leg dat eerst vast."
        )
    if Bezwaar.objects.filter(werknemer=werknemer).exists():
        raise ValidationError(
            "Deze werknemer heeft bezwaar gemaakt; er mag niets meer worden vastgelegd (DG-7)."
        )
    if not (countries.get("self_country") or "").strip():
        raise ValidationError({"self_country": "Vul het geboorteland van de werknemer in."})
    fields = ("self_country", "mother_country", "father_country", "grandparents_countries")
    with transaction.atomic():
        record, _ = Geboorteland.objects.update_or_create(
            werknemer=werknemer,
            defaults={
                "beleid": beleid,
                "recorded_by": by,
                **{f: countries.get(f, "") for f in fields},
            },
        )
        _log(
            AuditAction.UPDATE,
            record,
            werknemer.pseudonym,
            "geboorteland vastgelegd",
            by=by,
            request=request,
        )
    return record


def object_to_voorkeursbeleid(*, by, werknemer, request=None) -> bool:
    """DG-7: the employee objects — at any time, without reasons — and the data is deleted at
    once; from then on nothing may be recorded for them."""
    _require(by.role == Role.WERKNEMER and werknemer.user_id == by.pk)
    with transaction.atomic():
        bezwaar, created = Bezwaar.objects.get_or_create(werknemer=werknemer)
        deleted, _ = Geboorteland.objects.filter(werknemer=werknemer).delete()
        if created:
            toestemming.record(
                kind=ConsentKind.VOORKEURSBELEID,
                subject=werknemer.pseudonym,
                by=by,
                given=False,
                text_version=OBJECTION_TEXT_VERSION,
                text=OBJECTION_TEXT,
                scope="geboorteland van werknemer, ouders en grootouders (voorkeursbeleid)",
                obj=bezwaar,
            )
        audit.record(
            AuditAction.DELETE,
            "doelgroep.geboorteland",
            [werknemer.pk],
            subject=werknemer.pseudonym,
            detail="bezwaar voorkeursbeleid: gegevens verwijderd",
            request=request,
            actor=by,
        )
    return created or bool(deleted)


# --- DG-8: VOG ------------------------------------------------------------------------------------


def record_vog(*, by, werknemer, provided, provided_on=None, request=None) -> Vog:
    _gate(by)
    _own(by, werknemer.organisation_id)
    if provided and not provided_on:
        raise ValidationError({"provided_on": "Vul de datum van de VOG in."})
    with transaction.atomic():
        vog, _ = Vog.objects.update_or_create(
            werknemer=werknemer,
            defaults={
                "provided": provided,
                "provided_on": provided_on if provided else None,
                "recorded_by": by,
            },
        )
        _log(AuditAction.UPDATE, vog, werknemer.pseudonym, "VOG vastgelegd", by=by, request=request)
    return vog
