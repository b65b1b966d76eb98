"""The register of data-subject requests with the export (AV-3): nothing is exported before the
requester's identity is recorded; special parts go to the person through someone allowed to see
them (request_part), never through the operator."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.gates import gate
from privacy import export, policies, queries
from privacy.actions import verzoek as verzoek_actions
from privacy.forms import (
    CompleteForm,
    ExtendForm,
    IdentityForm,
    NotifyForm,
    RefuseForm,
    VerzoekForm,
)


@gate(policies.can_manage_requests)
def request_list(request):
    rows = queries.request_rows(timezone.localdate())
    return render(request, "privacy/request_list.html", {"rows": rows})


@gate(policies.can_manage_requests)
def request_create(request):
    form = VerzoekForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verzoek = verzoek_actions.register(
                by=request.user,
                person=data["person"],
                kind=data["kind"],
                received_on=data["received_on"],
                description=data["description"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Het verzoek is geregistreerd.")
            return redirect("privacy:request", pk=verzoek.pk)
    return render(request, "privacy/request_form.html", {"form": form})


def _step(action, request, verzoek, data):
    """The action one of the detail page's forms asks for, with that form's data."""
    by = request.user
    if action == "identity":
        return verzoek_actions.record_identity(
            by=by,
            verzoek=verzoek,
            method=data["method"],
            explanation=data["explanation"],
            request=request,
        )
    if action == "extend":
        return verzoek_actions.extend(
            by=by, verzoek=verzoek, notice_sent_on=data["notice_sent_on"], request=request
        )
    if action == "refuse":
        return verzoek_actions.refuse(
            by=by, verzoek=verzoek, reason=data["reason"], request=request
        )
    if action == "complete":
        return verzoek_actions.complete(
            by=by, verzoek=verzoek, on=data["completed_on"], request=request
        )
    return verzoek_actions.record_notifications(
        by=by, verzoek=verzoek, recipients=data["chosen"], request=request
    )


@gate(policies.can_manage_requests)
def request_detail(request, pk):
    verzoek = queries.verzoek(pk)
    today = timezone.localdate()
    known = queries.known_recipients(export.pseudonyms_of(verzoek.subject))
    notified = {(o.recipient, o.recipient_name) for o in verzoek.ontvangers.all()}
    action = request.POST.get("action") if request.method == "POST" else None
    forms = {
        "identity": IdentityForm(request.POST if action == "identity" else None, prefix="identity"),
        "extend": ExtendForm(request.POST if action == "extend" else None, prefix="extend"),
        "refuse": RefuseForm(request.POST if action == "refuse" else None, prefix="refuse"),
        "complete": CompleteForm(
            request.POST if action == "complete" else None,
            prefix="complete",
            initial={"completed_on": today},
        ),
        "notify": NotifyForm(
            request.POST if action == "notify" else None,
            prefix="notify",
            known=[r for r in known if r not in notified],
        ),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        try:
            _step(action, request, verzoek, form.cleaned_data)
        except ValidationError as error:
            verzoek.refresh_from_db()
            form.add_error(None, error)
        else:
            messages.success(request, "Het verzoek is bijgewerkt.")
            return redirect("privacy:request", pk=verzoek.pk)
    return render(
        request,
        "privacy/request_detail.html",
        {
            "verzoek": verzoek,
            "due": verzoek_actions.due_date(verzoek),
            "first_due": verzoek_actions.original_due(verzoek.received_on),
            "countdown": verzoek_actions.countdown(verzoek, today),
            "overdue": verzoek_actions.is_overdue(verzoek, today),
            "forms": forms,
            "may_notify": verzoek.kind in verzoek_actions.NOTIFY_KINDS,
            "pending": [
                verzoek_actions.recipient_label(k, n) for k, n in known if (k, n) not in notified
            ],
            "refusal_text": (
                verzoek_actions.refusal_text(verzoek) if verzoek.refusal_reason else ""
            ),
            "ontvangers": verzoek.ontvangers.all(),
            "disclosure_refusal": verzoek_actions.disclosure_refusal(verzoek),
            "special_parts": export.special_contributors(),
        },
    )


def _disclosure_refused(request, verzoek, reason):
    """AV-3: the export page refused, with the reason; nothing has been assembled."""
    return render(
        request,
        "privacy/request_refused.html",
        {"verzoek": verzoek, "reason": reason},
        status=403,
    )


def _json_download(data: dict, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _tree(value):
    """Export data as nested nodes for the readable page (templates cannot test types)."""
    if isinstance(value, dict):
        return {"kind": "dict", "items": [(str(k), _tree(v)) for k, v in value.items()]}
    if isinstance(value, list):
        return {"kind": "list", "items": [_tree(v) for v in value]}
    if value is None or value == "":
        return {"kind": "value", "text": "—"}
    if isinstance(value, bool):
        return {"kind": "value", "text": "ja" if value else "nee"}
    return {"kind": "value", "text": str(value)}


def _sections(data: dict) -> list:
    return [
        (key, section["titel"], _tree(section["gegevens"]))
        for key, section in data["secties"].items()
    ]


@gate(policies.can_manage_requests)
def request_export(request, pk):
    """AV-3, AVG art. 15 and 20: machine-readable (JSON), as a download that no cache keeps."""
    verzoek = queries.verzoek(pk)
    if reason := verzoek_actions.disclosure_refusal(verzoek):
        return _disclosure_refused(request, verzoek, reason)
    data = verzoek_actions.assemble_export(
        by=request.user, verzoek=verzoek, fmt="json", request=request
    )
    response = _json_download(data, f"verzoek-{verzoek.pk}-export.json")
    response["Cache-Control"] = "no-store"
    return response


@gate(policies.can_manage_requests)
def request_export_html(request, pk):
    verzoek = queries.verzoek(pk)
    if reason := verzoek_actions.disclosure_refusal(verzoek):
        return _disclosure_refused(request, verzoek, reason)
    data = verzoek_actions.assemble_export(
        by=request.user, verzoek=verzoek, fmt="html", request=request
    )
    response = render(
        request,
        "privacy/request_export.html",
        {"verzoek": verzoek, "data": data, "sections": _sections(data)},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- AV-3: a special part, assembled by someone allowed to see it, for the person -------------


def request_part(request, pk, part):
    """AV-3, DG-6: one special part of the export (e.g. the doelgroep administration), for the
    person, by someone its contributor allows (for doelgroep: HR of the person's organisation
    with the confidentiality statement signed) — never the operator. Only for a registered
    request whose requester's identity is recorded. Readable page, or JSON with ?formaat=json."""
    contributor = export.special_contributor(part)
    if contributor is None:
        raise Http404
    verzoek = queries.verzoek(pk)
    if not export.may_assemble_part(part, request.user, verzoek.subject):
        raise PermissionDenied
    if reason := verzoek_actions.disclosure_refusal(verzoek):
        return _disclosure_refused(request, verzoek, reason)
    fmt = "json" if request.GET.get("formaat") == "json" else "html"
    data = verzoek_actions.assemble_export(
        by=request.user, verzoek=verzoek, fmt=fmt, part=part, request=request
    )
    if fmt == "json":
        response = _json_download(data, f"verzoek-{verzoek.pk}-{part}.json")
    else:
        response = render(
            request,
            "privacy/request_part.html",
            {
                "verzoek": verzoek,
                "data": data,
                "sections": _sections(data),
                "contributor": contributor,
            },
        )
    response["Cache-Control"] = "no-store"
    return response
