"""AV-6: a person's own access log — who accessed their medical data — read from the audit log
(SE-7) in words the person understands.

- Grouped: one row per person who accessed the data (acting on whose behalf, in which role) per
  day, with how often and what; not one row per page load.
- The person's own views are left out: they know they looked.
- Every actor is named with role and organisation; an account removed since is said to be one,
  with the role it had; an access without a person (a scheduled job) is said to be automatic.
- Paginated.

The domain app that knows who the person is passes their pseudonyms (`subjects`): privacy
imports no domain app.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role

from .audit import about
from .models import AuditEvent

PAGE_SIZE = 20
# The audit object types that are medical data (AV-6: "who accessed my medical data").
MEDICAL_PREFIX = "medisch."

# The roles in a sentence ("Anna Arts, bedrijfsarts bij Arbo Oost").
ROLE_WORDS = {
    Role.BEDRIJFSARTS: "bedrijfsarts",
    Role.CASEMANAGER: "casemanager van de bedrijfsarts",
    Role.HR: "HR-medewerker",
    Role.WERKGEVER: "leidinggevende",
    Role.WERKGEVER_BEHEERDER: "beheerder bij de werkgever",
    Role.BEHEERDER: "beheerder van de arbodienst",
    Role.CONSULTANT: "re-integratieconsultant",
    Role.WERKNEMER: "werknemer",
}
AUTOMATIC = "Automatisch, door het systeem zelf (geen persoon)"


@dataclass(frozen=True)
class AccessGroup:
    """One row of the log: one actor (on whose behalf) on one day."""

    day: date
    first: datetime
    last: datetime
    who: str
    on_behalf_of: str
    count: int
    what: list[str] = field(default_factory=list)


def _role_words(role: str) -> str:
    return ROLE_WORDS.get(role, "")


def describe_actor(pseudonym, role: str, users: dict) -> str:
    """The actor in words: name, role and organisation; a removed account says so."""
    if pseudonym is None:
        return AUTOMATIC
    user = users.get(pseudonym)
    role_text = _role_words(role or (user.role if user else ""))
    if user is None:
        return (
            f"Een account dat niet meer bestaat (was {role_text})"
            if role_text
            else "Een account dat niet meer bestaat"
        )
    parts = [user.full_name or user.email]
    if role_text:
        parts.append(role_text)
    text = ", ".join(parts)
    if user.organisation_id:
        text += f" bij {user.organisation.name}"
    return text


# A rule code in an audit description ("(AV-3)") means nothing to the person reading their log.
RULE_CODE = re.compile(r"\s*\((?:[A-Z]{2}-\d+(?:,\s*)?)+\)")
# Words of the audit descriptions said plainly.
PLAIN = {"(API)": "(via een koppeling)", "consults": "consulten"}


def _what(detail: str, object_type: str, action_label: str, count: int) -> str:
    text = detail or f"{object_type.removeprefix(MEDICAL_PREFIX)} {action_label}"
    text = RULE_CODE.sub("", text)
    for word, plain in PLAIN.items():
        text = text.replace(word, plain)
    return f"{text} ({count} keer)" if count > 1 else text


def events_about(subjects, *, viewer) -> "AuditEvent.objects":
    """The audit entries of medical data about these people, without the viewer's own."""
    # A single-subject entry or a list the person appeared in (record_reads, one row per view).
    events = AuditEvent.objects.filter(about(subjects), object_type__startswith=MEDICAL_PREFIX)
    if viewer is not None and getattr(viewer, "pseudonym", None):
        # A NULL actor (a scheduled job) stays: exclude() keeps NULLs.
        events = events.exclude(actor=viewer.pseudonym)
    return events


def access_log_page(subjects, *, viewer, page_number=1, per_page=PAGE_SIZE) -> Page:
    """One page of the grouped access log (newest day first); `page.object_list` holds
    AccessGroup rows."""
    events = events_about(subjects, viewer=viewer).annotate(
        day=TruncDate("occurred_at", tzinfo=timezone.get_current_timezone())
    )
    groups = (
        events.values("day", "actor", "actor_role", "on_behalf_of")
        .annotate(count=Count("pk"), first=Min("occurred_at"), last=Max("occurred_at"))
        .order_by("-day", "-last", "actor_role", "actor", "on_behalf_of")
    )
    page = Paginator(groups, per_page).get_page(page_number)
    rows = list(page.object_list)
    days = {row["day"] for row in rows}
    details: dict[tuple, list] = {}
    labels = dict(AuditEvent._meta.get_field("action").choices)
    for entry in (
        events.filter(day__in=days)
        .values("day", "actor", "actor_role", "on_behalf_of", "detail", "object_type", "action")
        .annotate(n=Count("pk"), last=Max("occurred_at"))
        .order_by("-last")
    ):
        key = (entry["day"], entry["actor"], entry["actor_role"], entry["on_behalf_of"])
        details.setdefault(key, []).append(
            _what(
                entry["detail"], entry["object_type"], labels.get(entry["action"], ""), entry["n"]
            )
        )
    pseudonyms = {r["actor"] for r in rows} | {r["on_behalf_of"] for r in rows}
    users = {
        u.pseudonym: u
        for u in User.objects.filter(pseudonym__in=pseudonyms - {None}).select_related(
            "organisation"
        )
    }
    page.object_list = [
        AccessGroup(
            day=row["day"],
            first=row["first"],
            last=row["last"],
            who=describe_actor(row["actor"], row["actor_role"], users),
            on_behalf_of=describe_actor(row["on_behalf_of"], "", users)
            if row["on_behalf_of"]
            else "",
            count=row["count"],
            what=details.get(
                (row["day"], row["actor"], row["actor_role"], row["on_behalf_of"]), []
            ),
        )
        for row in rows
    ]
    return page
