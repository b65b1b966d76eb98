"""DG-5: support measures (ondersteuningsmaatregelen) of a werknemer, added and ended."""

from django.core.exceptions import ValidationError
from django.db import transaction

from doelgroep.models import Ondersteuningsmaatregel
from privacy.models import AuditAction

from .common import log, require_gate, require_own_organisation

END_BEFORE_START = "De einddatum ligt vóór de begindatum."


def add_maatregel(*, by, werknemer, kind, start_on, end_on=None, request=None):
    require_gate(by)
    require_own_organisation(by, werknemer.organisation_id)
    if end_on and end_on < start_on:
        raise ValidationError({"end_on": END_BEFORE_START})
    with transaction.atomic():
        maatregel = Ondersteuningsmaatregel.objects.create(
            werknemer=werknemer,
            organisation_id=werknemer.organisation_id,
            kind=kind,
            start_on=start_on,
            end_on=end_on,
            recorded_by=by,
        )
        log(
            AuditAction.CREATE,
            maatregel,
            werknemer.pseudonym,
            "ondersteuningsmaatregel",
            by=by,
            request=request,
        )
    return maatregel


def end_maatregel(*, by, maatregel, end_on, request=None):
    require_gate(by)
    require_own_organisation(by, maatregel.organisation_id)
    if end_on < maatregel.start_on:
        raise ValidationError({"end_on": END_BEFORE_START})
    with transaction.atomic():
        Ondersteuningsmaatregel.objects.filter(pk=maatregel.pk).update(end_on=end_on)
        maatregel.refresh_from_db()
        log(
            AuditAction.UPDATE,
            maatregel,
            maatregel.werknemer.pseudonym,
            "ondersteuningsmaatregel beëindigd",
            by=by,
            request=request,
        )
    return maatregel
