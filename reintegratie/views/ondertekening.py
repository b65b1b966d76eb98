"""Signing the employer documents (RI-12) and verifying a signature.

- `sign_plan`, `sign_evaluatie`, `sign_verslag`: the page where employer (werkgever, HR; the
  verslag: HR) and the werknemer whose case it is sign the plan's newest version, an evaluation
  or the employer's part of the re-integratieverslag. The page shows what is signed; the form
  appears only after a fresh proof of password and TOTP (accounts/reauth.py, at most
  SIGN_REAUTH_SECONDS old, spent by the signature). Anyone else: 404 outside their scope, 403
  inside it (the doctor reads the plan but does not sign it).
- `verify`: public on purpose. The reader at UWV has no account here; the page answers only
  valid or not, the document type, version, date and role — no name, no BSN, no content — for a
  typed check code or the codes printed in an uploaded PDF.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.errors import Conflict, require
from accounts.reauth import recently_authenticated
from accounts.viewhelpers import apply_errors, posted
from reintegratie import policies, queries, signing
from reintegratie.actions import ondertekening as sign_actions
from reintegratie.forms.ondertekening import SignForm, VerifyForm
from reintegratie.models import DocumentType
from reintegratie.viewhelpers import log_read

REFUSED = "Alleen de werkgever en de werknemer zelf ondertekenen dit document."
CHANGED = (
    "Het document is gewijzigd terwijl u het las. Hieronder staat de nieuwe versie; lees die en "
    "onderteken opnieuw."
)


def _proof_url(path: str) -> str:
    return f"{reverse('accounts:reauth')}?{urlencode({'next': path, 'doel': 'ondertekenen'})}"


def _back(request, document: signing.Document) -> str:
    if document.type == DocumentType.VERSLAG:
        return reverse("reintegratie:verslag", args=[document.record.pk])
    if policies.is_employee(request.user):
        return reverse("reintegratie:mijn")
    case = queries.newest_period(document.case_id)
    return reverse("reintegratie:plan", args=[case.pk]) if case else reverse("accounts:dashboard")


def _sign_page(request, record):
    document = signing.describe(record)
    require(signing.signer_role(request.user, document) is not None, REFUSED)
    fresh = recently_authenticated(request, within=sign_actions.SIGN_REAUTH_SECONDS)
    if request.method == "POST" and not fresh:
        messages.info(request, "Bevestig eerst met uw wachtwoord en code dat u het bent.")
        return redirect(_proof_url(request.path))
    digest = signing.content_hash(document.type, document.record)
    form = SignForm(posted(request), initial={"content_hash": digest})
    if request.method == "POST" and form.is_valid():
        try:
            signature = sign_actions.sign(
                by=request.user,
                document=record,
                agreed=form.agrees,
                remark=form.cleaned_data["remark"],
                seen_hash=form.cleaned_data["content_hash"],
                request=request,
            )
        except Conflict:
            form = SignForm(
                {**request.POST.dict(), "content_hash": digest}, initial={"content_hash": digest}
            )
            form.is_valid()
            form.add_error(None, CHANGED)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"{document.label} is ondertekend. Controlecode: "
                f"{signing.show_code(signature.check_code)}.",
            )
            return redirect(_back(request, document))
    log_read(
        request,
        f"reintegratie.{type(record).__name__.lower()}",
        [record.pk],
        document.werknemer,
        f"{document.label} ingezien om te ondertekenen",
    )
    return render(
        request,
        "reintegratie/ondertekenen.html",
        {
            "document": document,
            "record": document.record,
            "content_hash": digest,
            "fresh": fresh,
            "proof_url": _proof_url(request.path),
            "form": form,
            "signatures": queries.signatures_for(document.record),
            "back": _back(request, document),
        },
    )


@require_http_methods(["GET", "POST"])
def sign_plan(request, pk):
    """RI-12: the plan's newest version (an older one cannot be signed any more)."""
    return _sign_page(request, queries.plan_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def sign_evaluatie(request, pk):
    return _sign_page(request, queries.evaluatie_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def sign_verslag(request, pk):
    return _sign_page(request, queries.verslag_for(request.user, pk))


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """RI-12: is this signature valid for the document as it stands? Public: see the module."""
    form = VerifyForm(posted(request), request.FILES if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        codes = [form.cleaned_data["code"]] if form.cleaned_data["code"] else []
        pdf = form.cleaned_data.get("pdf")
        if pdf:
            try:
                codes += signing.codes_in_pdf(pdf)
            except ValueError:
                form.add_error("pdf", "Dit bestand is geen leesbaar PDF-document.")
            else:
                if not codes:
                    form.add_error("pdf", "In dit document staan geen controlecodes.")
        if form.is_valid():
            results = [queries.verify_code(code) for code in codes]
    return render(request, "reintegratie/verifieren.html", {"form": form, "results": results})
