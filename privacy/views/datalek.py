"""The operator's data-breach register (AV-4): the list with each breach's 72-hour clock, and
one form to record a breach or its assessment."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.gates import gate
from privacy import policies, queries
from privacy.actions import datalek as datalek_actions
from privacy.forms import DatalekForm


@gate(policies.can_manage_breaches)
def breach_list(request):
    return render(request, "privacy/breach_list.html", {"rows": queries.breach_rows()})


@gate(policies.can_manage_breaches)
def breach_form(request, pk=None):
    breach = None if pk is None else queries.datalek(pk)
    form = DatalekForm(request.POST if request.method == "POST" else None, instance=breach)
    if request.method == "POST" and form.is_valid():
        saved = datalek_actions.save(
            by=request.user, datalek=form.save(commit=False), request=request
        )
        messages.success(request, "Het datalek is vastgelegd.")
        return redirect("privacy:breach", pk=saved.pk)
    return render(
        request,
        "privacy/breach_form.html",
        {
            "form": form,
            "breach": breach,
            "countdown": datalek_actions.countdown(breach) if breach else None,
            "deadline": datalek_actions.ap_deadline(breach) if breach else None,
            "inform_persons": (datalek_actions.needs_persons_informed(breach) if breach else False),
        },
    )
