"""The doctor's side of the aanstellingskeuring (MD-7). Same gates as the dossier pages (MD-2
layer 1): `gate(policies.may_enter)` first; then only exams of organisations the user is the
assigned bedrijfsarts for (queries.keuringen_visible_to, SE-9) — another organisation's exam
answers 404, as does one for a casemanager (an exam is not delegable). The exam is recorded
once, for a requested and not yet examined keuring. Every read and write is audited (SE-7),
without content. The write itself is medisch.actions.keuring.record_keuring (atomic with its
audit row).

The employer's and the candidate's side live in medisch/public.py."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.gates import gate
from accounts.models import User
from accounts.viewhelpers import posted
from medisch import policies, queries
from medisch.actions import keuring as keuring_actions
from medisch.forms import KeuringRecordForm
from privacy.models import AuditAction


@gate(policies.may_enter)
def keuring_list(request):
    rows = list(queries.keuringen_visible_to(request.user).defer("findings"))
    names = queries.candidate_names(rows)
    orgs = queries.organisation_names(rows)
    # SE-7: a list of exams is a search over medical data, one entry per person shown.
    queries.record_keuring_reads(
        rows, detail="overzicht aanstellingskeuringen", action=AuditAction.SEARCH, request=request
    )
    items = [
        {
            "keuring": k,
            "candidate": names.get(k.candidate_id, ""),
            "organisation": orgs.get(k.organisation_id, ""),
        }
        for k in rows
    ]
    return render(request, "medisch/keuring_list.html", {"items": items})


@gate(policies.may_enter)
def keuring_record(request, pk):
    keuring = queries.keuring_for(request.user, pk)
    if keuring.examined_at is not None:
        messages.info(request, "Deze keuring is al vastgelegd.")
        return redirect("medisch:keuringen")
    form = KeuringRecordForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if keuring_actions.record_keuring(
            by=request.user, keuring=keuring, request=request, **form.cleaned_data
        ):
            messages.success(
                request,
                "De keuring is vastgelegd. De kandidaat ziet de uitslag als eerste en beslist "
                "of de werkgever de conclusie hoort.",
            )
        else:
            messages.info(request, "Deze keuring is al vastgelegd.")
        return redirect("medisch:keuringen")
    queries.record_keuring_request_read(keuring, request)
    candidate = User.objects.filter(pk=keuring.candidate_id).first()
    return render(
        request,
        "medisch/keuring_form.html",
        {"form": form, "keuring": keuring, "candidate": candidate},
    )
