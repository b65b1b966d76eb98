"""The public privacy statement (AV-5), the operator's data-breach register (AV-4) and the
register of data-subject requests with the export (AV-3): nothing is exported before the
requester's identity is recorded; special parts go to the person through someone allowed to see
them (request_part), never through the operator."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.policies import is_operator

from . import audit, breaches, export
from . import requests as verzoeken
from .forms import (
    CompleteForm,
    DatalekForm,
    ExtendForm,
    IdentityForm,
    NotifyForm,
    RefuseForm,
    VerzoekForm,
)
from .models import AuditAction, Datalek, LegalBasis, Verzoek

RIGHTS = [
    ("inzage", "U mag zien welke gegevens wij over u hebben (art. 15 AVG)."),
    ("rectificatie", "U mag onjuiste gegevens laten verbeteren (art. 16)."),
    ("verwijdering", "U mag vragen gegevens te wissen als er geen grond meer is (art. 17)."),
    ("beperking", "U mag vragen de verwerking tijdelijk te beperken (art. 18)."),
    ("bezwaar", "U mag bezwaar maken tegen verwerking op grond van een belang (art. 21)."),
    ("overdraagbaarheid", "U krijgt uw gegevens in een gangbaar, leesbaar formaat (art. 20)."),
]


@login_not_required
def statement(request):
    """AV-5: every item, filled from settings and the processing register (retention.registry)."""
    from retention import registry

    categories = registry.categories()
    return render(
        request,
        "privacy/statement.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "dpo": settings.PRIVACY_DPO,
            "categories": categories,
            "legal_bases": LegalBasis.choices,
            "rights": RIGHTS,
        },
    )


def breach_list(request):
    if not is_operator(request.user):
        raise PermissionDenied
    rows = [(b, breaches.countdown(b)) for b in Datalek.objects.all()]
    return render(request, "privacy/breach_list.html", {"rows": rows})


def breach_form(request, pk=None):
    if not is_operator(request.user):
        raise PermissionDenied
    breach = None
    if pk is not None:
        breach = Datalek.objects.filter(pk=pk).first()
        if breach is None:
            raise Http404
    form = DatalekForm(request.POST if request.method == "POST" else None, instance=breach)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if breach is None:
            saved.recorded_by = request.user
        saved.save()
        audit.record(
            AuditAction.CREATE if breach is None else AuditAction.UPDATE,
            "privacy.datalek",
            [saved.pk],
            subject=None,
            detail="datalek geregistreerd" if breach is None else "datalek bijgewerkt",
            request=request,
        )
        messages.success(request, "Het datalek is vastgelegd.")
        return redirect("privacy:breach", pk=saved.pk)
    return render(
        request,
        "privacy/breach_form.html",
        {
            "form": form,
            "breach": breach,
            "countdown": breaches.countdown(breach) if breach else None,
            "deadline": breaches.ap_deadline(breach) if breach else None,
            "inform_persons": breaches.needs_persons_informed(breach) if breach else False,
        },
    )


# --- AV-3: requests by a data subject (the beheerder only) -----------------------------------


def _verzoek_for(user, pk) -> Verzoek:
    """The one getter: 403 for anyone but the beheerder, 404 for a missing request."""
    if not is_operator(user):
        raise PermissionDenied
    verzoek = Verzoek.objects.filter(pk=pk).first()
    if verzoek is None:
        raise Http404
    return verzoek


def request_list(request):
    if not is_operator(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = [
        (
            v,
            verzoeken.due_date(v),
            None if v.is_closed else verzoeken.days_left(v, today),
            verzoeken.countdown(v, today),
            verzoeken.is_overdue(v, today),
        )
        for v in Verzoek.objects.order_by("-received_on", "-pk")
    ]
    return render(request, "privacy/request_list.html", {"rows": rows})


def request_create(request):
    if not is_operator(request.user):
        raise PermissionDenied
    form = VerzoekForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verzoek = verzoeken.register(
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


def request_detail(request, pk):
    verzoek = _verzoek_for(request.user, pk)
    today = timezone.localdate()
    known = verzoeken.known_recipients(export.pseudonyms_of(verzoek.subject))
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
        data = form.cleaned_data
        steps = {
            "identity": lambda: verzoeken.record_identity(
                by=request.user,
                verzoek=verzoek,
                method=data["method"],
                explanation=data["explanation"],
                request=request,
            ),
            "extend": lambda: verzoeken.extend(
                by=request.user,
                verzoek=verzoek,
                notice_sent_on=data["notice_sent_on"],
                request=request,
            ),
            "refuse": lambda: verzoeken.refuse(
                by=request.user, verzoek=verzoek, reason=data["reason"], request=request
            ),
            "complete": lambda: verzoeken.complete(
                by=request.user, verzoek=verzoek, on=data["completed_on"], request=request
            ),
            "notify": lambda: verzoeken.record_notifications(
                by=request.user, verzoek=verzoek, recipients=data["chosen"], request=request
            ),
        }
        try:
            steps[action]()
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
            "due": verzoeken.due_date(verzoek),
            "first_due": verzoeken.original_due(verzoek.received_on),
            "countdown": verzoeken.countdown(verzoek, today),
            "overdue": verzoeken.is_overdue(verzoek, today),
            "forms": forms,
            "may_notify": verzoek.kind in verzoeken.NOTIFY_KINDS,
            "pending": [
                verzoeken.recipient_label(k, n) for k, n in known if (k, n) not in notified
            ],
            "refusal_text": verzoeken.refusal_text(verzoek) if verzoek.refusal_reason else "",
            "ontvangers": verzoek.ontvangers.all(),
            "disclosure_refusal": verzoeken.disclosure_refusal(verzoek),
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


def _export_for(request, verzoek, *, fmt) -> dict:
    data = export.assemble(verzoek.subject, by=request.user, request=request)
    audit.record(
        AuditAction.EXPORT,
        "privacy.verzoek",
        [verzoek.pk],
        subject=verzoek.subject,
        detail=f"export voor verzoek {verzoek.get_kind_display()} ({fmt})",
        request=request,
    )
    return _with_header(verzoek, data)


def _with_header(verzoek, data: dict) -> dict:
    return {
        "verzoek": {
            "nummer": verzoek.pk,
            "soort": verzoek.get_kind_display(),
            "ontvangen op": verzoek.received_on.isoformat(),
            "naam betrokkene": verzoek.subject_name,
        },
        **data,
    }


def request_export(request, pk):
    """AV-3, AVG art. 15 and 20: machine-readable (JSON), as a download that no cache keeps."""
    verzoek = _verzoek_for(request.user, pk)
    if reason := verzoeken.disclosure_refusal(verzoek):
        return _disclosure_refused(request, verzoek, reason)
    data = _export_for(request, verzoek, fmt="json")
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="verzoek-{verzoek.pk}-export.json"'
    response["Cache-Control"] = "no-store"
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


def request_export_html(request, pk):
    verzoek = _verzoek_for(request.user, pk)
    if reason := verzoeken.disclosure_refusal(verzoek):
        return _disclosure_refused(request, verzoek, reason)
    data = _export_for(request, verzoek, fmt="html")
    sections = [
        (key, section["titel"], _tree(section["gegevens"]))
        for key, section in data["secties"].items()
    ]
    response = render(
        request,
        "privacy/request_export.html",
        {"verzoek": verzoek, "data": data, "sections": sections},
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
    verzoek = Verzoek.objects.filter(pk=pk).first()
    if contributor is None or verzoek is None:
        raise Http404
    if not export.may_assemble_part(part, request.user, verzoek.subject):
        raise PermissionDenied
    if reason := verzoeken.disclosure_refusal(verzoek):
        return _disclosure_refused(request, verzoek, reason)
    fmt = "json" if request.GET.get("formaat") == "json" else "html"
    data = export.assemble_part(verzoek.subject, part, by=request.user, request=request)
    audit.record(
        AuditAction.EXPORT,
        "privacy.verzoek",
        [verzoek.pk],
        subject=verzoek.subject,
        detail=f"bijzonder deel {part} voor verzoek {verzoek.get_kind_display()} ({fmt})",
        request=request,
    )
    data = _with_header(verzoek, data)
    if fmt == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="verzoek-{verzoek.pk}-{part}.json"'
    else:
        sections = [
            (key, section["titel"], _tree(section["gegevens"]))
            for key, section in data["secties"].items()
        ]
        response = render(
            request,
            "privacy/request_part.html",
            {"verzoek": verzoek, "data": data, "sections": sections, "contributor": contributor},
        )
    response["Cache-Control"] = "no-store"
    return response
