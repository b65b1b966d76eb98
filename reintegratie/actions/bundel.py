"""The re-integratieverslag for UWV (RI-12): HR makes the bundle from a complete case; it is put
in the employee's portal at once (their copy, row `kopie_werknemer` of the Poortwachter table) and
their first download is recorded as the receipt. What goes into the file is reintegratie/bundle.py.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.errors import require
from privacy import flows
from privacy.models import AuditAction, LegalBasis, Recipient
from reintegratie import bundle as bundles
from reintegratie import notifications, policies
from reintegratie.models import Verslagbundel
from verzuim import deadlines
from verzuim.actions import termijnen
from verzuim.models import Ziekmelding

from ._common import log

COPY_STEP = "kopie_werknemer"


def make_bundle(*, by, ziekmelding, request=None, today=None) -> Verslagbundel:
    """RI-12: one PDF of the whole re-integratieverslag, made only when nothing is missing or
    out of date (the list of what is lacking is the error); the employee gets it in their portal
    and the Poortwachter step "copy to the employee" is recorded as done."""
    zm = ziekmelding
    require(policies.can_keep_dossier(by, zm.organisation_id))
    today = today or timezone.localdate()
    lacking = bundles.lacking(zm, today=today)
    if lacking:
        raise ValidationError(
            "Het re-integratieverslag is nog niet compleet. Nog nodig: " + "; ".join(lacking) + "."
        )
    parts = bundles.refs(zm)
    number = Verslagbundel.objects.filter(case_id=zm.case_id).count() + 1
    rendered = bundles.render(zm, parts, number=number, made_on=today, request=request)
    with transaction.atomic():
        bundle = Verslagbundel(
            case_id=zm.case_id,
            werknemer=zm.werknemer,
            organisation_id=zm.organisation_id,
            parts=rendered.parts,
            fingerprint=bundles.fingerprint(zm, parts),
            sha256=hashlib.sha256(rendered.pdf).hexdigest(),
            size=len(rendered.pdf),
            pages=rendered.pages,
            made_by=by,
        )
        bundle.set_pdf(rendered.pdf)
        bundle.save()
        log(
            AuditAction.CREATE,
            bundle,
            zm.werknemer,
            f"re-integratieverslag voor UWV gemaakt ({len(parts)} documenten, "
            f"{rendered.pages} pagina's) en in het portaal van de werknemer gezet",
            by=by,
            request=request,
        )
        flows.record_flow(
            kind="re-integratieverslag voor UWV, kopie",
            recipient=Recipient.WERKNEMER,
            legal_basis=LegalBasis.POORTWACHTER,
            object_type="reintegratie.verslagbundel",
            object_id=bundle.pk,
            subject=zm.werknemer.pseudonym,
            actor=by,
        )
        notifications.bundle_delivered(bundle)
        _record_copy_step(by=by, zm=zm, bundle=bundle, today=today, request=request)
    return bundle


def _record_copy_step(*, by, zm, bundle, today, request) -> None:
    """The copy in the portal is the copy the law asks for (art. 25 lid 3 WIA): the step is done
    on the day the bundle is made, unless it already was or is not this case's."""
    latest = Ziekmelding.objects.filter(case_id=zm.case_id).order_by("-first_day").first()
    open_rows = [
        d
        for d in deadlines.deadlines_for(latest, today=today)
        if d.key == COPY_STEP and d.state not in ("done", "not_applicable")
    ]
    if not open_rows:
        return
    termijnen.complete_step(
        by=by,
        ziekmelding=latest,
        key=COPY_STEP,
        occurrence=open_rows[0].occurrence,
        completed_on=today,
        proof=f"re-integratieverslag voor UWV nr. {bundle.pk} in het portaal van de werknemer "
        f"gezet ({bundle.pages} pagina's)",
        confirmed=True,
        request=request,
        today=today,
    )


def record_receipt(*, by, bundle, request=None) -> bool:
    """The employee's first download of their copy is the receipt (True when it was this one)."""
    require(policies.is_own_employee(by, bundle.werknemer))
    with transaction.atomic():
        received = Verslagbundel.objects.filter(pk=bundle.pk, received_at__isnull=True).update(
            received_at=timezone.now()
        )
        if received:
            bundle.refresh_from_db(fields=["received_at"])
            log(
                AuditAction.UPDATE,
                bundle,
                bundle.werknemer,
                "kopie van het re-integratieverslag voor UWV ontvangen (gedownload)",
                by=by,
                request=request,
            )
    return bool(received)
