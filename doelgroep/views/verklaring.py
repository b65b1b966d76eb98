"""DG-6: the confidentiality statement — signed by HR and leidinggevenden before they may use
the administration; the beheerder sees who signed and withdraws access at once."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.gates import gate
from accounts.viewhelpers import apply_errors, posted
from doelgroep import policies
from doelgroep.actions import verklaring as verklaring_actions
from doelgroep.forms import SignForm
from doelgroep.models import Geheimhoudingsverklaring


@gate(policies.may_sign)
def verklaring(request):
    signature = policies.current_signature(request.user)
    form = SignForm(posted(request))
    if request.method == "POST" and signature is None and form.is_valid():
        try:
            verklaring_actions.sign_statement(by=request.user, request=request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "U hebt de geheimhoudingsverklaring ondertekend.")
            return redirect("doelgroep:index")
    return render(
        request,
        "doelgroep/verklaring.html",
        {
            "form": form,
            "signature": signature,
            "withdrawn": policies.is_withdrawn(request.user),
            "text": policies.STATEMENT_TEXT,
            "version": policies.STATEMENT_VERSION,
        },
    )


@gate(policies.can_manage_statements)
def verklaringen(request):
    rows = Geheimhoudingsverklaring.objects.select_related("user", "organisation", "withdrawn_by")
    return render(request, "doelgroep/verklaringen.html", {"rows": rows})


@require_POST
@gate(policies.can_manage_statements)
def verklaring_intrekken(request, pk):
    statement = Geheimhoudingsverklaring.objects.filter(pk=pk).select_related("user").first()
    if statement is None:
        raise Http404
    if verklaring_actions.withdraw_statement(by=request.user, statement=statement, request=request):
        messages.success(request, f"De toegang van {statement.user.full_name} is ingetrokken.")
    return redirect("doelgroep:verklaringen")
