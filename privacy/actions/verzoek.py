"""AV-3: requests by a data subject — the deadline arithmetic and the state changes (the
register's lists and the recipients it knows are in privacy.queries).

AVG art. 12 lid 3: answer without undue delay and at the latest within one month of receipt;
extendable by two more months when the person is told so within that first month. A refusal
states why and mentions the complaint route (AVG art. 12 lid 4: Autoriteit Persoonsgegevens,
court). After rectification, erasure or restriction the known recipients are notified (art. 19).
The requester's identity is verified and recorded before anything is disclosed (AV-3, AVG art. 12
lid 6): `record_identity` stores how, by whom and when; `disclosure_refusal` says why an export
may not be made yet.

"One month" is counted as in the EU regulation on time limits (1182/71 art. 3): the same day of
the next month; if that day does not exist, the last day of that month (31 January → 28 or
29 February).
"""

import calendar
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from privacy import audit, export
from privacy.models import (
    AuditAction,
    IdentityMethod,
    Recipient,
    Verzoek,
    VerzoekKind,
    VerzoekOntvanger,
    VerzoekStatus,
)

# AVG art. 19: these kinds oblige the controller to tell the recipients.
NOTIFY_KINDS = (VerzoekKind.RECTIFICATIE, VerzoekKind.VERWIJDERING, VerzoekKind.BEPERKING)
COMPLAINT_ROUTE = (
    "Bent u het niet eens met deze beslissing, dan kunt u een klacht indienen bij de "
    "Autoriteit Persoonsgegevens (autoriteitpersoonsgegevens.nl) of u wenden tot de rechter."
)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def original_due(received_on: date) -> date:
    return add_months(received_on, 1)


def extended_due(received_on: date) -> date:
    # Counted from receipt, not from the first due date: 31 January → 30 April, not 28 April.
    return add_months(received_on, 3)


def due_date(verzoek: Verzoek) -> date:
    if verzoek.extended:
        return extended_due(verzoek.received_on)
    return original_due(verzoek.received_on)


def days_left(verzoek: Verzoek, today: date | None = None) -> int:
    return (due_date(verzoek) - (today or timezone.localdate())).days


def is_overdue(verzoek: Verzoek, today: date | None = None) -> bool:
    return not verzoek.is_closed and days_left(verzoek, today) < 0


def countdown(verzoek: Verzoek, today: date | None = None) -> str:
    """The state in words (not colour alone): overdue is said in the text."""
    due = due_date(verzoek)
    if verzoek.is_closed:
        done = verzoek.completed_on
        late = done is not None and done > due
        word = "geweigerd" if verzoek.status == VerzoekStatus.GEWEIGERD else "afgehandeld"
        when = f" op {done:%d-%m-%Y}" if done else ""
        return f"{word}{when} ({'te laat' if late else 'op tijd'})"
    left = days_left(verzoek, today)
    if left < 0:
        return f"TERMIJN VERLOPEN: {-left} dag{'en' if -left != 1 else ''} te laat"
    if left == 0:
        return "termijn verloopt vandaag"
    return f"nog {left} dag{'en' if left != 1 else ''}"


def refusal_text(verzoek: Verzoek) -> str:
    """The answer to the person on a refusal: the reason and always the complaint route."""
    return (
        f"Uw verzoek ({verzoek.get_kind_display()}), ontvangen op "
        f"{verzoek.received_on:%d-%m-%Y}, wijzen wij af. Reden: {verzoek.refusal_reason.strip()} "
        f"{COMPLAINT_ROUTE}"
    )


def recipient_label(kind: str, name: str) -> str:
    label = Recipient(kind).label if kind in Recipient.values else kind
    return f"{label}: {name}" if name else label


# --- state changes (audited) ------------------------------------------------------------------


def _log(action, verzoek, detail, *, by, request):
    audit.record(
        action,
        "privacy.verzoek",
        [verzoek.pk],
        subject=verzoek.subject,
        detail=detail,
        request=request,
        actor=by,
    )


def _require_open(verzoek):
    if verzoek.is_closed:
        raise ValidationError("Dit verzoek is al afgehandeld.")


def disclosure_refusal(verzoek: Verzoek) -> str | None:
    """None when the person's data may be disclosed for this request, else why not (Dutch)."""
    if not verzoek.identity_verified:
        return (
            "De identiteit van de verzoeker is nog niet vastgesteld en vastgelegd. Er wordt niets "
            # AV-3 (named in words in the text people read)
            "verstrekt voordat vaststaat dat het verzoek van de betrokkene zelf komt: leg "
            "eerst op de pagina van het verzoek vast hoe de identiteit is gecontroleerd."
        )
    return None


@transaction.atomic
def record_identity(*, by, verzoek, method: str, explanation: str = "", request=None) -> Verzoek:
    """AV-3: how the requester's identity was verified, by whom and when — once per request."""
    verzoek = Verzoek.objects.select_for_update().get(pk=verzoek.pk)
    _require_open(verzoek)
    if verzoek.identity_verified:
        raise ValidationError("De identiteit is al vastgesteld; dat kan niet worden gewijzigd.")
    if method not in IdentityMethod.values:
        raise ValidationError({"method": "Kies hoe de identiteit is vastgesteld."})
    explanation = (explanation or "").strip()
    if method == IdentityMethod.ANDERS and not explanation:
        raise ValidationError(
            {"explanation": "Licht toe hoe de identiteit is vastgesteld (bij 'anders' verplicht)."}
        )
    verzoek.identity_method = method
    verzoek.identity_explanation = explanation
    verzoek.identity_verified_by = by
    verzoek.identity_verified_at = timezone.now()
    verzoek.save(
        update_fields=[
            "identity_method",
            "identity_explanation",
            "identity_verified_by",
            "identity_verified_at",
        ]
    )
    # The method, not the explanation: the log holds no content (SE-7).
    _log(AuditAction.UPDATE, verzoek, f"identiteit vastgesteld ({method})", by=by, request=request)
    return verzoek


@transaction.atomic
def register(*, by, person, kind, received_on, description="", request=None) -> Verzoek:
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "De ontvangstdatum ligt in de toekomst."})
    verzoek = Verzoek.objects.create(
        kind=kind,
        subject=person.subject,
        subject_name=person.name,
        received_on=received_on,
        description=description,
        registered_by=by,
    )
    _log(AuditAction.CREATE, verzoek, f"verzoek {kind} geregistreerd", by=by, request=request)
    return verzoek


@transaction.atomic
def extend(*, by, verzoek, notice_sent_on: date, request=None) -> Verzoek:
    """Two more months, only when the person was told within the first month."""
    _require_open(verzoek)
    if verzoek.extended:
        raise ValidationError("De termijn is al verlengd; verder verlengen kan niet.")
    first_due = original_due(verzoek.received_on)
    if notice_sent_on < verzoek.received_on:
        raise ValidationError(
            {"notice_sent_on": "Het bericht kan niet vóór de ontvangst van het verzoek liggen."}
        )
    if notice_sent_on > first_due:
        raise ValidationError(
            {
                "notice_sent_on": "Verlengen mag alleen als de betrokkene binnen de eerste "
                f"maand (uiterlijk {first_due:%d-%m-%Y}) bericht heeft gekregen. Het verzoek moet "
                "nu worden afgehandeld."
            }
        )
    verzoek.extended = True
    verzoek.extension_notice_sent_on = notice_sent_on
    verzoek.status = VerzoekStatus.VERLENGD
    # A new deadline gets its own reminder (privacy.tasks.signal_request_deadlines).
    verzoek.signal_sent_at = None
    verzoek.save()
    _log(AuditAction.UPDATE, verzoek, "termijn verlengd", by=by, request=request)
    return verzoek


@transaction.atomic
def refuse(*, by, verzoek, reason: str, on: date | None = None, request=None) -> Verzoek:
    _require_open(verzoek)
    if not (reason or "").strip():
        raise ValidationError({"reason": "Geef de reden van de weigering; die krijgt de persoon."})
    verzoek.status = VerzoekStatus.GEWEIGERD
    verzoek.refusal_reason = reason.strip()
    verzoek.completed_on = on or timezone.localdate()
    verzoek.save()
    _log(AuditAction.UPDATE, verzoek, "verzoek geweigerd", by=by, request=request)
    return verzoek


@transaction.atomic
def complete(*, by, verzoek, on: date | None = None, request=None) -> Verzoek:
    _require_open(verzoek)
    verzoek.status = VerzoekStatus.AFGEHANDELD
    verzoek.completed_on = on or timezone.localdate()
    verzoek.save()
    _log(AuditAction.UPDATE, verzoek, "verzoek afgehandeld", by=by, request=request)
    return verzoek


@transaction.atomic
def record_notifications(*, by, verzoek, recipients, request=None) -> list[VerzoekOntvanger]:
    """AVG art. 19: the recipients told of the rectification, erasure or restriction."""
    if verzoek.kind not in NOTIFY_KINDS:
        raise ValidationError("Alleen na rectificatie, verwijdering of beperking.")
    now = timezone.now()
    rows = [
        VerzoekOntvanger.objects.create(
            verzoek=verzoek,
            recipient=kind,
            recipient_name=name,
            notified_at=now,
            notified_by=by,
        )
        for kind, name in recipients
    ]
    if rows:
        _log(
            AuditAction.UPDATE,
            verzoek,
            f"{len(rows)} ontvanger(s) geïnformeerd",
            by=by,
            request=request,
        )
    return rows


@transaction.atomic
def assemble_export(*, by, verzoek, fmt: str, part: str | None = None, request=None) -> dict:
    """AV-3, AVG art. 15 and 20: the person's data for this request — all of it, or one special
    `part` — with the export written to the audit log and a header naming the request. The caller
    has asked `disclosure_refusal` first (and, for a part, the part's contributor)."""
    if part is None:
        data = export.assemble(verzoek.subject, by=by, request=request)
        detail = f"export voor verzoek {verzoek.get_kind_display()} ({fmt})"
    else:
        data = export.assemble_part(verzoek.subject, part, by=by, request=request)
        detail = f"bijzonder deel {part} voor verzoek {verzoek.get_kind_display()} ({fmt})"
    _log(AuditAction.EXPORT, verzoek, detail, by=by, request=request)
    return {
        "verzoek": {
            "nummer": verzoek.pk,
            "soort": verzoek.get_kind_display(),
            "ontvangen op": verzoek.received_on.isoformat(),
            "naam betrokkene": verzoek.subject_name,
        },
        **data,
    }
