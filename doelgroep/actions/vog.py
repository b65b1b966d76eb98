"""DG-8: only whether a certificate of conduct (VOG) was provided, and when."""

from django.core.exceptions import ValidationError

from doelgroep.models import Vog

from .common import record_for_werknemer, require_gate, require_own_organisation


def record_vog(*, by, werknemer, provided, provided_on=None, request=None) -> Vog:
    require_gate(by)
    require_own_organisation(by, werknemer.organisation_id)
    if provided and not provided_on:
        raise ValidationError({"provided_on": "Vul de datum van de VOG in."})
    return record_for_werknemer(
        Vog,
        by=by,
        werknemer=werknemer,
        values={"provided": provided, "provided_on": provided_on if provided else None},
        detail="VOG vastgelegd",
        request=request,
    )
