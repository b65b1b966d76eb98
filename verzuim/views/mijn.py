"""The employee's own page (ZM-4, AV-6, MD-7): their cases, their emergency information, the
doctor's released advice, who accessed their medical data, and their pre-employment exams.
Every other role gets 404 (the page does not exist for them)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.gates import gate
from accounts.viewhelpers import posted
from medisch.public import (
    keuringen_for_candidate,
    medical_report_parts_for_employee,
    released_advice,
)
from privacy.access_log import access_log_page
from verzuim import policies, queries
from verzuim.actions import noodinformatie as noodinformatie_actions
from verzuim.forms import NoodinformatieForm
from verzuim.models import Noodinformatie, Werknemer

# Rows of the access log on the employee's own page; the rest on its own page (AV-6).
ACCESS_LOG_PREVIEW = 5


def _own_werknemer(request) -> Werknemer:
    werknemer = Werknemer.objects.filter(user=request.user).first()
    if werknemer is None or not policies.is_werknemer(request.user):
        raise Http404
    return werknemer


# nosemgrep: vk-view-without-policy — own page; 404 unless the role is werknemer
def mijn_verzuim(request):
    """The employee's own page. An applicant with a login but no employment yet (MD-7) sees only
    their exam results and the access log."""
    if not policies.is_werknemer(request.user):
        raise Http404
    werknemer = Werknemer.objects.filter(user=request.user).first()
    cases = list(werknemer.ziekmeldingen.all()[:10]) if werknemer else []
    info = Noodinformatie.objects.filter(werknemer=werknemer).first() if werknemer else None
    form = NoodinformatieForm(posted(request), initial={"text": info.text if info else ""})
    if werknemer and request.method == "POST" and form.is_valid():
        noodinformatie_actions.save_noodinformatie(
            by=request.user, werknemer=werknemer, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, "Uw noodinformatie is opgeslagen en zichtbaar voor uw werkgever.")
        return redirect("verzuim:mijn")
    if request.method == "POST" and not werknemer:
        raise Http404
    open_case = next((c for c in cases if c.is_open), None)
    access_log = access_log_page(
        queries.own_subjects(request.user), viewer=request.user, per_page=ACCESS_LOG_PREVIEW
    )
    return render(
        request,
        "verzuim/mijn.html",
        {
            "werknemer": werknemer,
            "cases": cases,
            "info": info,
            "form": form,
            "adviezen": released_advice(
                open_case.case_id, subject=werknemer.pseudonym, request=request
            )
            if open_case
            else [],
            "access_log": access_log,
            "keuringen": keuringen_for_candidate(request.user, request=request),
            "verslag_delen": medical_report_parts_for_employee(request.user, request=request),
        },
    )


@gate(policies.is_werknemer)
def mijn_inzage(request):
    """AV-6: who accessed my medical data — per person per day, how often and what, without my
    own views; paginated. Also for an applicant without employment (MD-7)."""
    return render(
        request,
        "verzuim/mijn_inzage.html",
        {
            "access_log": access_log_page(
                queries.own_subjects(request.user),
                viewer=request.user,
                page_number=request.GET.get("page"),
            ),
        },
    )


@require_POST
def noodinformatie_intrekken(request):
    werknemer = _own_werknemer(request)
    if noodinformatie_actions.withdraw_noodinformatie(
        by=request.user, werknemer=werknemer, request=request
    ):
        messages.success(request, "Uw noodinformatie is ingetrokken en verwijderd.")
    return redirect("verzuim:mijn")
