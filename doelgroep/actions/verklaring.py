"""DG-6: the confidentiality statement — signed by the user, withdrawn by the beheerder."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from doelgroep import policies
from doelgroep.models import Geheimhoudingsverklaring
from privacy.models import AuditAction

from .common import log


def sign_statement(*, by, request=None) -> Geheimhoudingsverklaring:
    require(policies.may_sign(by))
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
        log(
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
    require(policies.can_manage_statements(by))
    with transaction.atomic():
        updated = Geheimhoudingsverklaring.objects.filter(
            pk=statement.pk, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now(), withdrawn_by=by)
        if updated:
            log(
                AuditAction.UPDATE,
                statement,
                statement.user.pseudonym,
                "toegang doelgroepadministratie ingetrokken",
                by=by,
                request=request,
            )
    return bool(updated)
