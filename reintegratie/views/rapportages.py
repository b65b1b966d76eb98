"""Pages of a trajectory's progress reports (RI-5) and its notes to the doctor (RI-5, RI-6): the
handling consultant or vervanger files a concept, puts it before the employee and releases it to
the commissioner after the employee has read it; the fuller report goes to the doctor alone.

Views parse and check; reintegratie.actions.rapportages changes state; queries scope (404 for
missing and forbidden alike).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.errors import require
from accounts.viewhelpers import posted
from reintegratie import policies, queries
from reintegratie.actions import rapportages as rapportage_actions
from reintegratie.forms.traject import DoctorNoteForm, ReportForm
from reintegratie.viewhelpers import flash_error, form_page


def report_create(request, pk):
    trajectory, view = queries.trajectory_for(request.user, pk)
    require(policies.can_report(view))
    return form_page(
        request,
        ReportForm(posted(request)),
        lambda data: rapportage_actions.file_report(
            by=request.user, trajectory=trajectory, request=request, **data
        ),
        message="De rapportage is opgeslagen als concept. Leg haar eerst ter inzage aan de "
        "werknemer voor.",
        then=reverse("reintegratie:trajectory", args=[trajectory.pk]),
        template="reintegratie/traject_report_form.html",
        context={"trajectory": trajectory},
    )


@require_POST
def report_share(request, pk):
    report, view = queries.report_for(request.user, pk)
    require(policies.can_report(view))
    try:
        shared = rapportage_actions.share_report(by=request.user, report=report, request=request)
    except ValidationError as error:
        flash_error(request, error)
    else:
        if shared:
            messages.success(request, "De rapportage ligt ter inzage bij de werknemer.")
        else:
            messages.info(request, "Deze rapportage lag al ter inzage.")
    return redirect("reintegratie:trajectory", pk=report.trajectory_id)


@require_POST
def report_release(request, pk):
    report, view = queries.report_for(request.user, pk)
    require(policies.can_report(view))
    try:
        rapportage_actions.release_report(by=request.user, report=report, request=request)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, "De rapportage is vrijgegeven aan de opdrachtgever.")
    return redirect("reintegratie:trajectory", pk=report.trajectory_id)


def doctor_note_create(request, pk):
    trajectory, view = queries.trajectory_for(request.user, pk)
    require(policies.can_report(view))
    return form_page(
        request,
        DoctorNoteForm(posted(request)),
        lambda data: rapportage_actions.send_note_to_doctor(
            by=request.user, trajectory=trajectory, request=request, **data
        ),
        message="Verstuurd naar de bedrijfsarts.",
        then=reverse("reintegratie:trajectory", args=[trajectory.pk]),
        template="reintegratie/traject_note_form.html",
        context={"trajectory": trajectory},
    )
