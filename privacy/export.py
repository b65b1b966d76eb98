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

Special parts (AV-3, DG-6): a section of special-category data is registered with
`special=<name>`, `deliverer=` (who assembles it and gives it to the person, in Dutch words),
`may_deliver(user, pseudonyms) -> bool` (the app's own policy) and `exists(pseudonyms) -> bool`
(an existence check that reads no content). `assemble` calls `contribute` only for a user
`may_deliver` allows; anyone else — the beheerder who handles the request — gets a placeholder
that says whether such a part exists and who delivers it. `assemble_part` gives that one part to
someone allowed. The medical section keeps its own check inside its contributor (MD-2: for anyone
but the assigned doctor the medical tables are not even queried, so it reports no existence).
"""

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.roles import Role

from . import audit
from .models import AuditEvent, DataFlow, Toestemming, Verzoek, VerzoekOntvanger


@dataclass(frozen=True)
class Contributor:
    key: str
    label: str
    covers: tuple
    contribute: Callable
    special: str = ""  # a special part (AV-3): assembled only when may_deliver allows
    deliverer: str = ""
    may_deliver: Callable | None = None
    exists: Callable | None = None


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


def register_contributor(
    key: str,
    label: str,
    *,
    covers: Iterable,
    contribute: Callable,
    special: str = "",
    deliverer: str = "",
    may_deliver: Callable | None = None,
    exists: Callable | None = None,
):
    assert key not in _contributors, key
    # A special part without its policy or existence check would fall open: refuse to start.
    assert not special or (deliverer and may_deliver and exists), key
    _contributors[key] = Contributor(
        key, label, tuple(covers), contribute, special, deliverer, may_deliver, exists
    )
    return _contributors[key]


def contributors() -> list[Contributor]:
    return sorted(_contributors.values(), key=lambda c: c.key)


def special_contributors() -> list[Contributor]:
    return [c for c in contributors() if c.special]


def special_contributor(key: str) -> Contributor | None:
    contributor = _contributors.get(key)
    return contributor if contributor is not None and contributor.special else None


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


def _may_deliver(contributor: Contributor, by, pseudonyms) -> bool:
    return by is not None and by.is_authenticated and bool(contributor.may_deliver(by, pseudonyms))


def _placeholder(contributor: Contributor, pseudonyms) -> dict:
    """What someone not allowed to see a special part gets: whether it exists, who delivers."""
    return {
        "bijzonder deel": contributor.special,
        "aanwezig": "ja" if contributor.exists(pseudonyms) else "nee",
        "levert": contributor.deliverer,
        "toelichting": "De inhoud van dit deel staat niet in dit overzicht. "
        # AV-3 (named in words in the text people read)
        f"De {contributor.deliverer} stelt het samen en geeft het rechtstreeks aan de betrokkene.",
    }


def _section(contributor: Contributor, pseudonyms, *, by, request) -> dict:
    if contributor.special and not _may_deliver(contributor, by, pseudonyms):
        data = _placeholder(contributor, pseudonyms)
    else:
        data = contributor.contribute(pseudonyms, by=by, request=request)
    return {"titel": contributor.label, "gegevens": data}


def _envelope(subject, pseudonyms, sections: dict, excepted: str) -> dict:
    return {
        "betrokkene": str(subject),
        "pseudoniemen": sorted(str(p) for p in pseudonyms),
        "samengesteld_op": timezone.localtime().isoformat(timespec="seconds"),
        "uitgezonderd": excepted,
        "secties": sections,
    }


def assemble(subject: uuid.UUID, *, by, request=None) -> dict:
    """The complete export for one person: every registered section, in a fixed order; a special
    part only for a user its contributor allows, else a placeholder (AV-3). Callers audit it
    (privacy.actions.verzoek.assemble_export: AuditAction.EXPORT) and check the requester's
    identity first (privacy.actions.verzoek.disclosure_refusal)."""
    pseudonyms = pseudonyms_of(subject)
    sections = {c.key: _section(c, pseudonyms, by=by, request=request) for c in contributors()}
    excepted = [
        # AV-3, MD-2 (named in words in the text people read)
        "interne werkaantekeningen",
        "het medische deel levert de bedrijfsarts rechtstreeks aan de betrokkene",
    ]
    excepted += [
        # AV-3 (named in words in the text people read)
        f"het deel '{c.label}' levert de {c.deliverer} rechtstreeks aan de betrokkene"
        for c in special_contributors()
        if not _may_deliver(c, by, pseudonyms)
    ]
    return _envelope(subject, pseudonyms, sections, "; ".join(excepted))


def may_assemble_part(key: str, user, subject: uuid.UUID) -> bool:
    """Whether `user` may assemble the special part `key` of the person `subject` names."""
    contributor = special_contributor(key)
    return contributor is not None and _may_deliver(contributor, user, pseudonyms_of(subject))


def assemble_part(subject: uuid.UUID, key: str, *, by, request=None) -> dict:
    """One special part, for someone its contributor allows to assemble it for the person
    (AV-3); PermissionDenied for anyone else. Callers audit it (AuditAction.EXPORT)."""
    contributor = special_contributor(key)
    if contributor is None:
        raise LookupError(key)
    pseudonyms = pseudonyms_of(subject)
    if not _may_deliver(contributor, by, pseudonyms):
        raise PermissionDenied
    sections = {key: _section(contributor, pseudonyms, by=by, request=request)}
    # AV-3 (named in words in the text people read)
    excepted = "alleen dit deel; de rest van de gegevens levert de beheerder"
    return _envelope(subject, pseudonyms, sections, excepted)


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
    return Role(value).label if value in Role.values else (value or "systeem")


def contribute_privacy(pseudonyms, *, by, request=None) -> dict:
    """Who received the person's data (RI-9), who accessed it — by role only, never another
    person's name (AV-6) — their consents (AV-2) and their earlier requests (AV-3)."""
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
                # Of a list: only the rows that were this person's (SE-7, AV-6).
                "objecten": audit.objects_of(e, subjects),
            }
            for e in AuditEvent.objects.filter(audit.about(subjects)).order_by("occurred_at", "pk")
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
                    "identity_method",
                    "identity_verified_at",
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
    register_contributor(
        "privacy",
        "Verstrekkingen, inzagelog, toestemmingen en verzoeken",
        covers=(AuditEvent, DataFlow, Toestemming, Verzoek, VerzoekOntvanger),
        contribute=contribute_privacy,
    )
