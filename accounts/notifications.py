"""Notifications: an in-app message and an e-mail for the events of a case (issue 18).

Domain apps call `notify(user_ids, kind=..., key=..., text=..., link=...)` from the action where
the event happens, inside its transaction; accounts imports no domain app. `notify` writes one
`Notification` per recipient at once (rolled back with the action) and queues one e-mail task
per new row with `transaction.on_commit`, so nothing is sent for an event that did not commit.

- **Once**: `key` names the event ("advies:12"); a row is unique per recipient and key, so a
  second call for the same event adds nothing, and the task sends only a row still pending
  (locked while it sends), so a retried or doubled task sends once.
- **No health data, no name** (DESIGN.md, MD-2): the e-mail says only that there is something
  to look at, of which kind (a neutral label), and a link. `text`, shown in the app to the
  recipient only, may name what the recipient is allowed to see; callers keep it neutral too.
- **Choice**: each user switches the e-mails of a kind off on /berichten/voorkeuren/ (read when
  the e-mail is sent); the legal deadline signals (`ALWAYS_EMAILED`, verzuim.tasks) always go.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .models import EmailPreference, Notification, NotificationKind
from .roles import Role

Kind = NotificationKind

# RI-1: the daily Poortwachter deadline signals are sent by verzuim.tasks.send_deadline_signals
# to HR, whatever the preferences: a missed legal deadline costs the employer a wage sanction.
ALWAYS_EMAILED = frozenset({Kind.TERMIJN})

# Which kinds each role can receive: what the preferences page offers.
KINDS_FOR_ROLE = {
    Role.BEDRIJFSARTS: (Kind.ZIEKMELDING,),
    Role.HR: (Kind.ADVIES, Kind.RAPPORTAGE, Kind.TERMIJN),
    Role.WERKNEMER: (Kind.PLAN, Kind.LEZEN),
}

SUBJECT = "Verzuimkluis: er staat iets voor u klaar"


def notify(user_ids, *, kind, key, text, link) -> list[int]:
    """Notify each active user in `user_ids` of one event; returns the ids of the new rows.
    `link` is a path on this site; `text` is the in-app message (neutral, see above)."""
    kind = Kind(kind)
    recipients = get_user_model().objects.filter(pk__in=set(user_ids), is_active=True)
    created = []
    for recipient_id in recipients.order_by("pk").values_list("pk", flat=True):
        row, new = Notification.objects.get_or_create(
            recipient_id=recipient_id,
            key=key,
            defaults={"kind": kind, "text": text[:300], "link": link},
        )
        if new:
            created.append(row.pk)
    if created:
        from .tasks import send_notification_mail  # tasks imports this module

        for pk in created:
            transaction.on_commit(lambda pk=pk: send_notification_mail.delay(pk))
    return created


def wants_email(user, kind) -> bool:
    if kind in ALWAYS_EMAILED:
        return True
    choice = EmailPreference.objects.filter(user=user, kind=kind).values_list("send", flat=True)
    return next(iter(choice), True)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def mail_body(notification) -> str:
    """The e-mail: the kind's neutral label and a link, nothing of the case itself."""
    return (
        "Er staat in Verzuimkluis iets voor u klaar om te bekijken "
        f"({Kind(notification.kind).label}).\n\n"
        f"Bekijken: {absolute(notification.link)}\n\n"
        "Om privacyredenen staat in deze e-mail verder niets; log in om het te lezen.\n"
        f"Welke e-mails u ontvangt, stelt u in op {absolute('/berichten/voorkeuren/')}.\n"
    )


# --- Recipients: the one place that asks who serves or works at an employer -----------------------
def hr_of(organisation_id) -> list[int]:
    """HR users of an employer (SE-9): who receives advice and released reports."""
    return list(
        get_user_model()
        .objects.filter(role=Role.HR, organisation_id=organisation_id, is_active=True)
        .values_list("pk", flat=True)
    )


def doctors_serving(organisation_id) -> list[int]:
    """The bedrijfsartsen assigned to an employer (accounts.policies.is_doctor_for). Casemanagers
    work only within a doctor's delegation for a dossier (MD-4), so a new ziekmelding, which has
    none yet, is the doctor's."""
    return list(
        get_user_model()
        .objects.filter(
            role=Role.BEDRIJFSARTS, is_active=True, assignments__organisation_id=organisation_id
        )
        .values_list("pk", flat=True)
    )


# --- The in-app list ----------------------------------------------------------------------
def inbox(user):
    return Notification.objects.filter(recipient=user)


def unread_count(user) -> int:
    return inbox(user).filter(read_at__isnull=True).count()


def mark_read(user, pk=None) -> int:
    """Mark one of `user`'s own messages read, or all of them (pk None)."""
    rows = inbox(user).filter(read_at__isnull=True)
    if pk is not None:
        rows = rows.filter(pk=pk)
    return rows.update(read_at=timezone.now())


def set_preferences(user, chosen) -> None:
    """Save which switchable kinds of the user's role they receive by e-mail."""
    with transaction.atomic():
        for kind in KINDS_FOR_ROLE.get(user.role, ()):
            if kind in ALWAYS_EMAILED:
                continue
            EmailPreference.objects.update_or_create(
                user=user, kind=kind, defaults={"send": kind in chosen}
            )
