"""Users, organisations, memberships and assignments (SE-2, SE-3, SE-9).

A user belongs to one home organisation (their membership): an employer for employer roles and
employees, the arbodienst for its doctors and operators, a re-integration company for its
consultants. Doctors, casemanagers and consultants additionally serve employer organisations by
`Assignment`; that is what scoping reads (accounts.scoping).
"""

import hashlib
import secrets
import uuid
from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.validators import (
    LOONHEFFINGENNUMMER_HELP,
    clean_loonheffingennummer,
    validate_loonheffingennummer,
)

from .roles import OrganisationKind, Role

ADMIN_APPS = frozenset({"accounts"})


class Organisation(models.Model):
    name = models.CharField("naam", max_length=200)
    kind = models.CharField(
        "soort", max_length=32, choices=OrganisationKind.choices, default=OrganisationKind.WERKGEVER
    )
    kvk_number = models.CharField("KvK-nummer", max_length=8, blank=True)
    # RI-11: the number by which UWV knows the employer; on every report to UWV.
    loonheffingennummer = models.CharField(
        "loonheffingennummer",
        max_length=12,
        blank=True,
        validators=[validate_loonheffingennummer],
        help_text=LOONHEFFINGENNUMMER_HELP,
    )
    # Retention depends on the periods in which the employer was eigenrisicodrager (RT-2, RT-3):
    # EigenrisicodragerPeriode below, `eigenrisicodrager_on` for a day.
    is_synthetic = models.BooleanField("synthetische demodata", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="org_name_kind")]

    def __str__(self):
        return self.name

    def clean(self):
        # RI-11: one stored form (no spaces or dots, capital L), however it was typed.
        if self.loonheffingennummer:
            self.loonheffingennummer = clean_loonheffingennummer(self.loonheffingennummer)

    def eigenrisicodrager_on(self, kind: str, day: date | None = None) -> bool:
        """Whether a period of `kind` ("zw", "wga") covers `day` (default today)."""
        day = day or timezone.localdate()
        return any(p.covers(day, day) for p in self.eigenrisicodrager_periods.filter(kind=kind))


class EigenrisicodragerPeriode(models.Model):
    """A period in which the employer bore the Ziektewet or the WGA risk itself (RT-2, RT-3):
    retention uses the period that covered an absence, not today's status (issue 24). `start`
    empty: since before the records here began (the status as first recorded); `end` empty: it
    still runs. Saving or deleting one recomputes the employer's case dates (a retention trigger,
    verzuim/retention.py)."""

    class Kind(models.TextChoices):
        ZW = "zw", "Ziektewet"
        WGA = "wga", "WGA"

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="eigenrisicodrager_periods",
        verbose_name="organisatie",
    )
    kind = models.CharField("soort", max_length=3, choices=Kind.choices)
    start = models.DateField("vanaf", null=True, blank=True, help_text="leeg: al vanaf het begin")
    end = models.DateField("tot en met", null=True, blank=True, help_text="leeg: loopt nog")

    class Meta:
        verbose_name = "periode eigenrisicodragerschap"
        verbose_name_plural = "perioden eigenrisicodragerschap"
        ordering = ["organisation", "kind", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="erd_period_end_after_start",
            )
        ]

    def __str__(self):
        start = self.start.strftime("%d-%m-%Y") if self.start else "begin"
        end = self.end.strftime("%d-%m-%Y") if self.end else "heden"
        return f"eigenrisicodrager {self.get_kind_display()} {start} – {end}"

    def covers(self, first: date, last: date | None) -> bool:
        """Whether this period overlaps the absence from `first` to `last` (None: still sick)."""
        return (self.start is None or last is None or self.start <= last) and (
            self.end is None or self.end >= first
        )

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": "Het einde ligt vóór het begin."})
        overlapping = EigenrisicodragerPeriode.objects.filter(
            organisation_id=self.organisation_id, kind=self.kind
        ).exclude(pk=self.pk)
        for other in overlapping:
            if other.covers(self.start or date.min, self.end) and self.covers(
                other.start or date.min, other.end
            ):
                raise ValidationError("Deze periode overlapt met een andere van dezelfde soort.")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def _create(self, email, password, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        """Low-level constructor. Accounts are issued with accounts.actions.issue_account, which
        enforces SE-3; this exists for Django internals and factories."""
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        raise NotImplementedError(
            "Geen superusers: maak de eerste beheerder met `manage.py issue_account "
            "--bootstrap` (SE-3)."
        )


class User(AbstractBaseUser):
    email = models.EmailField("e-mailadres", unique=True)
    full_name = models.CharField("naam", max_length=200)
    role = models.CharField("rol", max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisatie",
        on_delete=models.PROTECT,
        related_name="members",
        null=True,
        blank=True,
    )
    # The stable pseudonymous ID under which the audit log knows this person (SE-7).
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    issued_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="aangemaakt door",
    )
    is_active = models.BooleanField("actief", default=True)
    is_synthetic = models.BooleanField("synthetische demodata", default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name", "role"]

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["email"]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    @property
    def is_staff(self):
        # The admin site is the operator's tool (organisations, assignments); nobody else's.
        return self.is_active and self.role == Role.BEHEERDER

    # No superusers: no role bypasses the policies (SE-2). The admin shows the operator only
    # the account models; the OTP device tables and anything medical are never on it.
    is_superuser = False

    def set_unusable_password(self):
        # Unlike set_password(), Django leaves no mark of this in `_password`; saving it revokes
        # the API tokens like a new password does (accounts/sessions.py).
        super().set_unusable_password()
        self._vk_password_unusable = True

    def has_perm(self, perm, obj=None):
        return self.is_staff and perm.split(".", 1)[0] in ADMIN_APPS

    def has_perms(self, perm_list, obj=None):
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label):
        return self.is_staff and app_label in ADMIN_APPS


class Assignment(models.Model):
    """A doctor, casemanager or consultant serving an employer organisation (SE-9)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "toewijzing"
        verbose_name_plural = "toewijzingen"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="assignment_unique")
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its hash is stored; issued only after the second factor
    (SE-1), bound to the OTP device that verified it, expiring and revocable.

    `scope` narrows what it may do: "" is the user's own rights (8 hours), WERKNEMERS_SYNC is the
    machine account of an HR or payroll system (issue 23): only the staff-list sync endpoints
    (views with `sync_token_allowed`, accounts.api_auth), for API_SYNC_TOKEN_DAYS."""

    class Scope(models.TextChoices):
        ALL = "", "alle rechten van de gebruiker"
        WERKNEMERS_SYNC = "werknemers-sync", "alleen werknemers synchroniseren"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    device_id = models.CharField(max_length=128)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.ALL, blank=True)

    class Meta:
        verbose_name = "API-token"
        verbose_name_plural = "API-tokens"

    def __str__(self):
        return f"API-token {self.pk} van {self.user_id}"

    @classmethod
    def issue(cls, user, device, label="", scope=Scope.ALL) -> tuple["ApiToken", str]:
        raw = secrets.token_urlsafe(32)
        lifetime = (
            settings.API_SYNC_TOKEN_LIFETIME
            if scope == cls.Scope.WERKNEMERS_SYNC
            else settings.API_TOKEN_LIFETIME
        )
        token = cls.objects.create(
            user=user,
            key_hash=hash_token(raw),
            device_id=device.persistent_id,
            label=label,
            scope=scope,
            expires_at=timezone.now() + lifetime,
        )
        return token, raw

    @property
    def is_usable(self):
        return self.revoked_at is None and self.expires_at > timezone.now()


class NotificationKind(models.TextChoices):
    """What a notification is about (accounts.notifications). The labels are neutral: they
    appear in e-mails, which carry no health data and no name of a sick employee."""

    ZIEKMELDING = "ziekmelding", "nieuwe verzuimmelding bij een werkgever die u bedient"
    ADVIES = "advies", "advies van de bedrijfsarts vrijgegeven"
    RAPPORTAGE = "rapportage", "voortgangsrapportage vrijgegeven"
    PLAN = "plan", "nieuwe versie van het plan van aanpak"
    LEZEN = "lezen", "rapportage of verslag om te lezen"
    # RI-1: the daily Poortwachter signals (verzuim.tasks); always sent, cannot be switched off.
    TERMIJN = "termijn", "wettelijke termijn (Poortwachter)"


class Notification(models.Model):
    """One event for one recipient: the in-app message and its e-mail. `key` names the event
    (e.g. "advies:12"); unique per recipient, so a repeated call or a retried task makes one
    row and sends one e-mail."""

    class Mail(models.TextChoices):
        PENDING = "pending", "nog te versturen"
        SENT = "sent", "verstuurd"
        OFF = "off", "niet verstuurd (uitgezet)"

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("soort", max_length=16, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    text = models.CharField("bericht", max_length=300)
    link = models.CharField(max_length=300)  # a path on this site, e.g. /verzuim/meldingen/3/
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField("gelezen op", null=True, blank=True)
    mail = models.CharField(max_length=8, choices=Mail.choices, default=Mail.PENDING)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "bericht"
        verbose_name_plural = "berichten"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"Bericht {self.pk} aan {self.recipient_id}"


class EmailPreference(models.Model):
    """A user's choice for the e-mails of one kind; without a row the e-mail goes. Kinds that
    cannot be switched off (accounts.notifications.ALWAYS_EMAILED) ignore it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_preferences")
    kind = models.CharField("soort", max_length=16, choices=NotificationKind.choices)
    send = models.BooleanField("e-mail ontvangen", default=True)

    class Meta:
        verbose_name = "e-mailvoorkeur"
        verbose_name_plural = "e-mailvoorkeuren"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="email_preference_unique")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind} {'aan' if self.send else 'uit'}"
