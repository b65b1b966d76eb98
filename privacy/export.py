"""AV-3: the data-subject export (inzage, overdraagbaarheid) — a registry the domain apps fill.

privacy/ sits at the bottom of the dependency graph (DESIGN.md) and never imports a domain app.
Each app registers, in its AppConfig.ready (through `<app>/export.py`):

- a *contributor*: `register_contributor(key, label, covers=(models...), contribute=fn)` where
  `fn(subject_pseudonyms: set[UUID], *, by, request) -> dict` returns that app's section as
  plain JSON-able data (use `record()` below). `covers` names every model the section reports
  on; tests/privacy/test_requests.py fails for a model in the retention registry that no
  contributor covers, so a new model is exported by adding it next to its registration.
- optionally a *resolver*: `register_resolver(find, related=...)`. `find(text)` answers the
  people an e-mail address or personnel number identifies (for registering a request without a
  name search over the domain tables); `related(pseudonyms)` answers the other pseudonyms of
  the same person (the Werknemer record and the login of one employee).

Internal work notes are excepted from inzage (AV-3): a contributor leaves them out of its
section and says so in a comment beside its registration.
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone


@dataclass(frozen=True)
class Contributor:
    key: str
    label: str
    covers: tuple
    contribute: Callable


@dataclass(frozen=True)
class Person:
    """Someone a request can be about: the pseudonym stored on the Verzoek, a display name and a
    line that tells the operator which record matched (never special-category data)."""

    subject: uuid.UUID
    name: str
    detail: str
    priority: int = 100  # lower wins when two resolvers find the same person


@dataclass(frozen=True)
class _Resolver:
    find: Callable
    related: Callable | None
    priority: int


_contributors: dict[str, Contributor] = {}
_resolvers: list[_Resolver] = []


def register_contributor(key: str, label: str, *, covers: Iterable, contribute: Callable):
    assert key not in _contributors, key
    _contributors[key] = Contributor(key, label, tuple(covers), contribute)
    return _contributors[key]


def contributors() -> list[Contributor]:
    return sorted(_contributors.values(), key=lambda c: c.key)


def covered_models() -> set:
    return {model for c in _contributors.values() for model in c.covers}


def register_resolver(find: Callable, *, related: Callable | None = None, priority: int = 100):
    _resolvers.append(_Resolver(find, related, priority))


def find_people(text: str) -> list[Person]:
    """The people `text` (an e-mail address or personnel number) identifies, one entry per
    person: a match by two resolvers for one person (employee record and login) is kept once,
    from the resolver with the lowest priority number (the employee record)."""
    text = (text or "").strip()
    if not text:
        return []
    found: list[Person] = []
    for resolver in sorted(_resolvers, key=lambda r: r.priority):
        for person in resolver.find(text):
            person = Person(person.subject, person.name, person.detail, resolver.priority)
            if any(person.subject in pseudonyms_of(other.subject) for other in found):
                continue
            found.append(person)
    return found


def pseudonyms_of(subject: uuid.UUID) -> set[uuid.UUID]:
    """Every pseudonym of the person `subject` names (closure over the resolvers' `related`)."""
    known = {subject}
    while True:
        grown = set(known)
        for resolver in _resolvers:
            if resolver.related is not None:
                grown |= set(resolver.related(set(known)))
        if grown == known:
            return known
        known = grown


def assemble(subject: uuid.UUID, *, by, request=None) -> dict:
    """The complete export for one person: every registered section, in a fixed order. Callers
    audit it (privacy.views: AuditAction.EXPORT)."""
    pseudonyms = pseudonyms_of(subject)
    sections = {}
    for contributor in contributors():
        sections[contributor.key] = {
            "titel": contributor.label,
            "gegevens": contributor.contribute(pseudonyms, by=by, request=request),
        }
    return {
        "betrokkene": str(subject),
        "pseudoniemen": sorted(str(p) for p in pseudonyms),
        "samengesteld_op": timezone.localtime().isoformat(timespec="seconds"),
        "uitgezonderd": "interne werkaantekeningen (AV-3); het medische deel levert de "
        "bedrijfsarts rechtstreeks aan de betrokkene (MD-2)",
        "secties": sections,
    }


# --- helpers for contributors ---------------------------------------------------------------


def plain(value):
    """A value as plain JSON data: dates ISO 8601, decimals and UUIDs as strings."""
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds")
            if value.tzinfo
            else (value.isoformat(timespec="seconds"))
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [plain(v) for v in value]
    return value


def record(obj, *names: str, labels: dict | None = None) -> dict:
    """Fields of `obj` under their Dutch verbose names (or `labels[name]`). Choices as their
    label; a reference to a user as that user's role only (other people are not named in
    someone's export, AV-6); another reference as its string."""
    out = {}
    for name in names:
        field = obj._meta.get_field(name)
        label = (labels or {}).get(name) or str(field.verbose_name)
        if field.choices:
            value = getattr(obj, f"get_{name}_display")()
        elif field.is_relation:
            related = getattr(obj, name)
            if related is None:
                value = None
            elif field.related_model._meta.label == "accounts.User":
                label = f"{label} (rol)"
                value = related.get_role_display()
            else:
                value = str(related)
        else:
            value = getattr(obj, name)
        out[label] = plain(value)
    return out


# --- privacy's own section: data flows, the access log (AV-6), consents, requests -----------


def _role_label(value: str) -> str:
    from accounts.roles import Role

    return Role(value).label if value in Role.values else (value or "systeem")


def contribute_privacy(pseudonyms, *, by, request=None) -> dict:
    """Who received the person's data (RI-9), who accessed it — by role only, never another
    person's name (AV-6) — their consents (AV-2) and their earlier requests (AV-3)."""
    from .models import AuditEvent, DataFlow, Toestemming, Verzoek

    subjects = list(pseudonyms)
    return {
        "verstrekkingen": [
            record(f, "occurred_at", "kind", "recipient", "recipient_name", "legal_basis")
            for f in DataFlow.objects.filter(subject__in=subjects).order_by("occurred_at", "pk")
        ],
        "inzagelog": [
            {
                "tijdstip": plain(e.occurred_at),
                "wie (rol)": _role_label(e.actor_role),
                "gebeurtenis": e.get_action_display(),
                "soort gegevens": e.object_type,
                "omschrijving": e.detail,
            }
            for e in AuditEvent.objects.filter(subject__in=subjects).order_by("seq")
        ],
        "toestemmingen": [
            record(
                t,
                "kind",
                "given",
                "text_version",
                "text",
                "scope",
                "valid_from",
                "valid_until",
                "recorded_at",
                "withdrawn_at",
            )
            for t in Toestemming.objects.filter(subject__in=subjects).order_by("recorded_at", "pk")
        ],
        "verzoeken": [
            {
                **record(
                    v,
                    "kind",
                    "received_on",
                    "description",
                    "status",
                    "extension_notice_sent_on",
                    "refusal_reason",
                    "completed_on",
                ),
                "geïnformeerde ontvangers": [
                    record(o, "recipient", "recipient_name", "notified_at")
                    for o in v.ontvangers.all()
                ],
            }
            for v in Verzoek.objects.filter(subject__in=subjects).prefetch_related("ontvangers")
        ],
    }


def register_privacy_export():
    from .models import AuditEvent, DataFlow, Toestemming, Verzoek, VerzoekOntvanger

    register_contributor(
        "privacy",
        "Verstrekkingen, inzagelog, toestemmingen en verzoeken",
        covers=(AuditEvent, DataFlow, Toestemming, Verzoek, VerzoekOntvanger),
        contribute=contribute_privacy,
    )
