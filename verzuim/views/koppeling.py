"""The page "Koppeling HR-systeem" (issue 23): the organisation's sync tokens for the HR or
payroll system — listed, issued (the raw token shown once, never stored) and revoked. Issuing
needs the second factor of this session (SE-1: the token is bound to its OTP device)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from accounts.gates import gate
from accounts.viewhelpers import posted
from verzuim import policies
from verzuim.actions import koppeling
from verzuim.forms import SyncTokenForm


@gate(policies.can_manage_werknemers)
def sync_tokens(request):
    form = SyncTokenForm(posted(request) if request.POST.get("action") != "revoke" else None)
    raw = None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            token_id = int(request.POST.get("token", ""))
        except ValueError:
            raise Http404 from None
        if not koppeling.revoke_sync_token(by=request.user, token_id=token_id, request=request):
            raise Http404
        messages.success(request, "De koppeling is ingetrokken; het token werkt niet meer.")
        return redirect("verzuim:sync_tokens")
    if request.method == "POST" and form.is_valid():
        token, raw = koppeling.issue_sync_token(
            by=request.user,
            device=getattr(request.user, "otp_device", None),
            label=form.cleaned_data["label"],
            request=request,
        )
        form = SyncTokenForm()
    # No-store: the raw token is on this answer only.
    response = render(
        request,
        "verzuim/sync_tokens.html",
        {
            "form": form,
            "raw": raw,
            "tokens": koppeling.sync_tokens_of(request.user)[:50],
            "lifetime_days": settings.API_SYNC_TOKEN_LIFETIME.days,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
