"""The employer's and the candidate's side of the aanstellingskeuring (MD-7).

The employer (hr, werkgever: policies.can_file_ziekmelding; every other role 403) requests an
exam — only with a recorded justification of the job's special medical requirements — and sees a
list with the status and, only when the candidate shared it, "geschikt / niet geschikt". The
candidate reads the result first on /verzuim/mijn/ and decides there (AV-2: refusing has no
consequence). Everything medical stays in the medical module: this module reaches it only
through medisch.public (MD-2), which also writes the audit log (SE-7)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.gates import gate
from accounts.viewhelpers import posted
from medisch.public import decide_keuring, keuringen_for_employer, request_keuring
from verzuim import policies
from verzuim.forms import KeuringRequestForm, submit


@gate(policies.can_file_ziekmelding)
def keuring_list(request):
    return render(
        request,
        "verzuim/keuring_list.html",
        {"keuringen": keuringen_for_employer(request.user, request=request)},
    )


@gate(policies.can_file_ziekmelding)
def keuring_create(request):
    form = KeuringRequestForm(posted(request))
    if request.method == "POST" and form.is_valid():
        requested = submit(
            form, request_keuring, by=request.user, request=request, **form.cleaned_data
        )
        if requested is not None:
            messages.success(
                request,
                "De aanstellingskeuring is aangevraagd. De kandidaat hoort de uitslag als eerste "
                "en beslist of u de conclusie te horen krijgt.",
            )
            return redirect("verzuim:keuringen")
    return render(request, "verzuim/keuring_form.html", {"form": form})


# nosemgrep: vk-view-without-policy — decide_keuring: 404 unless it is the user's own exam
@require_POST
def keuring_besluit(request, pk):
    """The candidate's decision (MD-7, AV-2); somebody else's exam answers 404."""
    share = {"delen": True, "niet_delen": False}.get(request.POST.get("besluit", ""))
    try:
        decide_keuring(by=request.user, keuring_id=pk, share=share, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            "Uw besluit is vastgelegd: de werkgever hoort alleen of u geschikt of niet geschikt "
            "bent."
            if share
            else "Uw besluit is vastgelegd: de werkgever hoort de uitslag niet.",
        )
    return redirect("verzuim:mijn")
