"""Daily Poortwachter signals (RI-1): refresh every open case's next deadline and e-mail the
organisation's HR users about deadlines due within 14 days or overdue — one e-mail per deadline
occurrence, state and recipient, never twice (DeadlineSignal's unique constraint), and with no
health detail beyond the deadline itself (SE-4)."""

from celery import shared_task
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts import notifications
from accounts.models import User
from accounts.roles import Role

from . import deadlines
from .models import DeadlineSignal, WerknemerSync, Ziekmelding
from .poortwachter import format_date, week_label

BATCH = 500
SIGNAL_STATES = ("due_soon", "overdue")
# Issue 23 (verzuim/hr_sync.py): the uploaded staff list is kept only between preview and apply;
# a preview left alone goes after a day. The summaries (who, when, counts) go after two years.
SYNC_PREVIEW_HOURS = 24
SYNC_SUMMARY_DAYS = 2 * 365


@shared_task(acks_late=True)
def drop_stale_syncs() -> dict:
    """Idempotent: deletes what is past its time, nothing else."""
    now = timezone.now()
    previews = WerknemerSync.objects.filter(
        status=WerknemerSync.Status.PREVIEW,
        created_at__lt=now - timezone.timedelta(hours=SYNC_PREVIEW_HOURS),
    ).delete()[0]
    summaries = WerknemerSync.objects.filter(
        created_at__lt=now - timezone.timedelta(days=SYNC_SUMMARY_DAYS)
    ).delete()[0]
    return {"previews": previews, "summaries": summaries}


def _message(zm, deadline):
    """No name or number of the employee (DESIGN.md: an e-mail says only that there is
    something to look at, and a link); always sent (accounts.notifications.ALWAYS_EMAILED)."""
    state = "is verlopen" if deadline.state == "overdue" else "verloopt binnenkort"
    subject = f"Verzuimkluis: termijn {state}"
    link = notifications.absolute(reverse("verzuim:ziekmelding", args=[zm.pk]))
    body = (
        f"Een Poortwachter-termijn ('{week_label(deadline)}') {state}: "
        f"{format_date(deadline.due)}.\n\nBekijk de verzuimmelding: {link}\n\n"
        "Om privacyredenen staat in deze e-mail niet wie het betreft. E-mails over wettelijke "
        "termijnen krijgt u altijd.\n"
    )
    return subject, body


@shared_task(acks_late=True)
def send_deadline_signals(today_iso: str | None = None) -> dict:
    today = timezone.datetime.fromisoformat(today_iso).date() if today_iso else timezone.localdate()
    sent = 0
    last_pk = 0
    while True:
        batch = list(
            Ziekmelding.objects.filter(
                Q(recovered_on__isnull=True) | Q(next_deadline_on__isnull=False), pk__gt=last_pk
            )
            .select_related("werknemer")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        chains = deadlines.chains_of(batch)
        completions = deadlines.completions_of(chains.keys())
        hr_by_org = {}
        for user in User.objects.filter(
            role=Role.HR, is_active=True, organisation__in={zm.organisation_id for zm in batch}
        ):
            hr_by_org.setdefault(user.organisation_id, []).append(user)
        leaves = deadlines.leaves_of({zm.werknemer_id for zm in batch})
        extensions = deadlines.extensions_of(chains.keys())
        for zm in batch:
            chain = chains[zm.case_id]
            found = deadlines.deadlines_for(
                zm,
                chain=chain,
                completed=completions.get(zm.case_id, {}),
                today=today,
                leaves=leaves.get(zm.werknemer_id, []),
                extensions=extensions.get(zm.case_id, []),
            )
            deadlines.store_next_deadline(chain, found)
            if zm.pk != max(chain, key=lambda z: z.first_day).pk:
                continue  # the case is signalled once, from its latest period
            for deadline in deadlines.still_asked(found, chain):
                if deadline.state not in SIGNAL_STATES:
                    continue
                for recipient in hr_by_org.get(zm.organisation_id, []):
                    try:
                        with transaction.atomic():
                            DeadlineSignal.objects.create(
                                case_id=zm.case_id,
                                key=deadline.key,
                                occurrence=deadline.occurrence,
                                state=deadline.state,
                                recipient=recipient,
                            )
                            subject, body = _message(zm, deadline)
                            # Inside the transaction: if sending fails the row is rolled back
                            # and the next run tries again.
                            send_mail(subject, body, None, [recipient.email])
                    except IntegrityError:
                        continue  # already signalled
                    sent += 1
    return {"sent": sent}
