"""The re-integratieverslag for UWV as one PDF (RI-12): HR makes it from the completeness page
when nothing is lacking; its page lists what it holds; HR downloads it for UWV and the employee
downloads their copy from their portal — their first download is the receipt.

Who: HR of the organisation (make, read, download) and the employee themself (read, download).
The PDF carries the full BSN (DG-2): it is never cached and every download is audited (SE-7).
Views parse and check; reintegratie.actions.bundel changes state.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from accounts.errors import require
from privacy.models import AuditAction
from reintegratie import bundle as bundles
from reintegratie import policies, queries
from reintegratie.actions import bundel as bundle_actions
from reintegratie.models import Verslagbundel
from reintegratie.viewhelpers import flash_error, log_read


@require_POST
def bundel_create(request, pk):
    """RI-12: HR makes the bundle of the case; what is lacking comes back as the reason."""
    zm = queries.case_for(request.user, pk)
    require(policies.can_keep_dossier(request.user, zm.organisation_id))
    try:
        made = bundle_actions.make_bundle(by=request.user, ziekmelding=zm, request=request)
    except ValidationError as error:
        flash_error(request, error)
        return redirect("reintegratie:volledigheid", pk=zm.pk)
    messages.success(
        request,
        "Het re-integratieverslag voor UWV is gemaakt en staat in het portaal van de werknemer.",
    )
    return redirect("reintegratie:bundel", pk=made.pk)


def _visible(request, pk) -> Verslagbundel:
    found = queries.bundles_visible_to(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_GET
def bundel(request, pk):
    item = _visible(request, pk)
    zm = queries.newest_period(item.case_id)
    log_read(
        request,
        "reintegratie.verslagbundel",
        [item.pk],
        item.werknemer,
        "re-integratieverslag voor UWV ingezien",
    )
    hr = policies.can_keep_dossier(request.user, item.organisation_id)
    return render(
        request,
        "reintegratie/bundel.html",
        {
            "bundel": item,
            "zm": zm,
            "hr": hr,
            "current": bundles.is_current(item, zm) if hr else None,
        },
    )


@require_GET
def bundel_pdf(request, pk):
    """The file itself. The employee's first download is recorded as their receipt."""
    item = _visible(request, pk)
    if policies.is_own_employee(request.user, item.werknemer):
        bundle_actions.record_receipt(by=request.user, bundle=item, request=request)
    log_read(
        request,
        "reintegratie.verslagbundel",
        [item.pk],
        item.werknemer,
        "re-integratieverslag voor UWV gedownload",
        AuditAction.EXPORT,
    )
    return bundles.pdf_response(item)
