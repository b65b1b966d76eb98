"""Machtigingen of a trajectory (RI-9, AV-2): the handling consultant or vervanger asks for one
(specific: which data, at which party, for what, for how long) and uses it only while the
employee's consent is in force. The employee decides on their own page (views/mijn.py).

Views parse and check; reintegratie.actions.machtigingen changes state; queries scope.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.errors import require
from accounts.viewhelpers import posted
from reintegratie import policies, queries
from reintegratie.actions import machtigingen as machtiging_actions
from reintegratie.forms.traject import MachtigingForm
from reintegratie.models import Machtiging
from reintegratie.viewhelpers import flash_error, form_page


def machtiging_create(request, pk):
    trajectory, view = queries.trajectory_for(request.user, pk)
    require(policies.can_report(view))
    return form_page(
        request,
        MachtigingForm(posted(request)),
        lambda data: machtiging_actions.request_machtiging(
            by=request.user, trajectory=trajectory, request=request, **data
        ),
        message="De machtiging is gevraagd. De werknemer beslist zelf; pas als die is gegeven "
        "kunt u de gegevens opvragen.",
        then=reverse("reintegratie:trajectory", args=[trajectory.pk]),
        template="reintegratie/traject_machtiging_form.html",
        context={"trajectory": trajectory},
    )


@require_POST
def machtiging_use(request, pk):
    """RI-9: request the covered data — only while the machtiging is in force."""
    machtiging = Machtiging.objects.filter(pk=pk, trajectory__isnull=False).first()
    if machtiging is None:
        raise Http404
    trajectory, view = queries.trajectory_for(request.user, machtiging.trajectory_id)
    if not policies.may(view, "machtigingen"):
        raise Http404
    require(policies.can_report(view))
    machtiging.trajectory = trajectory
    try:
        machtiging_actions.use_machtiging(by=request.user, machtiging=machtiging, request=request)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(
            request,
            f"Vastgelegd: gegevens opgevraagd bij {machtiging.party} op grond van de machtiging "
            "van de werknemer.",
        )
    return redirect("reintegratie:trajectory", pk=trajectory.pk)
