"""Werknemers and their sick reports, as the law allows (ZM-1, ZM-2, ZM-4, ZM-5).

A Ziekmelding records exactly the ZM-1 items: employee, first day of absence, the (partial)
percentage, where the employee can be reached (phone, care address), the expected duration, the
ongoing appointments and work, *whether* a vangnet provision applies (never which one), whether
it is an accident at work, and whether a liable third party is involved (regres). There is no
field for diagnosis, cause, complaints, treatment or medication, and there never may be (ZM-2;
tests/verzuim/test_zm2_schema.py fails on any such field).

Samentelling (ZM-5): periods of absence less than 28 days apart form one case; they share a
`case_id`, and every Poortwachter deadline is computed over the whole chain.
"""

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone

from accounts.models import Organisation
from core.validators import PHONE_HELP, validate_phone
from encryption.fields import EncryptedTextField

# The employee's personal and employment data as the employer enters it (pages, API, CSV import)
# and as the data-subject export and the bench generator list it: one list, in this order.
WERKNEMER_DATA_FIELDS = (
    "first_name",
    "last_name",
    "personnel_number",
    "date_of_birth",
    "email",
    "phone",
    "address",
    "postcode",
    "city",
    "employment_start",
    "employment_end",
    "department",
)
# ZM-1: exactly the items a ziekmelding records (ZM-2: nothing beyond them), in this order.
ZIEKMELDING_ZM1_FIELDS = (
    "first_day",
    "percentage",
    "phone",
    "care_address",
    "expected_duration",
    "lopende_afspraken",
    "vangnet",
    "arbeidsongeval",
    "regres",
)


class Werknemer(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="werknemers",
        verbose_name="organisatie",
    )
    first_name = models.CharField("voornaam", max_length=100)
    last_name = models.CharField("achternaam", max_length=150)
    personnel_number = models.CharField("personeelsnummer", max_length=32)
    date_of_birth = models.DateField("geboortedatum")
    email = models.EmailField("e-mailadres", blank=True)
    phone = models.CharField(
        "telefoonnummer",
        max_length=32,
        blank=True,
        validators=[validate_phone],
        help_text=PHONE_HELP,
    )
    address = models.CharField("adres", max_length=200, blank=True)
    postcode = models.CharField("postcode", max_length=7, blank=True)
    city = models.CharField("woonplaats", max_length=100, blank=True)
    employment_start = models.DateField("in dienst sinds")
    employment_end = models.DateField("uit dienst per", null=True, blank=True)
    department = models.CharField("afdeling", max_length=100, blank=True)
    # DG-2: only for the reports to UWV (RI-11, RI-12); encrypted at rest (AES-GCM, key outside
    # the database), shown masked, in full only on those reports (an audited read). Entered on
    # the report page when it is missing (verzuim.actions.uwv).
    bsn = EncryptedTextField("burgerservicenummer", blank=True)
    bsn_last3 = models.CharField(max_length=3, blank=True, editable=False)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="leidinggevende",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="werknemer",
        verbose_name="account",
    )
    # The stable pseudonymous ID under which the audit log knows this person (SE-7).
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    is_synthetic = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    # What the name search compares (issue 20, item 2; `queries.werknemer_search`): the names and
    # the personnel number as PostgreSQL's UPPER() makes them, computed by PostgreSQL on each
    # write (stored generated columns), so a search does not call UPPER() three times for every
    # employee of the employer — that was two thirds of the search's time.
    first_name_upper = models.GeneratedField(
        expression=Upper("first_name"),
        output_field=models.CharField(max_length=100),
        db_persist=True,
    )
    last_name_upper = models.GeneratedField(
        expression=Upper("last_name"),
        output_field=models.CharField(max_length=150),
        db_persist=True,
    )
    personnel_number_upper = models.GeneratedField(
        expression=Upper("personnel_number"),
        output_field=models.CharField(max_length=32),
        db_persist=True,
    )

    class Meta:
        verbose_name = "werknemer"
        verbose_name_plural = "werknemers"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "personnel_number"],
                name="werknemer_personnel_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "last_name"]),
            # The verzuimoverzicht's department choices and filter, within one employer.
            # INCLUDE id: the department filter joins the cases without reading the table.
            models.Index(
                fields=["organisation", "department"],
                include=["id"],
                name="werknemer_org_department",
            ),
            # The name search (issue 20): `upper_name LIKE '%TERM%'` on the generated columns
            # above, so trigram indexes on them (pg_trgm, migrations 0007 and 0008), and the
            # personnel number's exact match on (organisation, personnel_number_upper): with all
            # three indexable the search's OR can be a BitmapOr when the term is rare. For a name
            # common within the employer PostgreSQL reads the employer's employees instead: the
            # INCLUDE makes that read index-only (migration 0009), ~40 index pages for 5,069
            # employees instead of ~200 table pages.
            GinIndex(
                OpClass("first_name_upper", name="gin_trgm_ops"), name="werknemer_first_up_trgm"
            ),
            GinIndex(
                OpClass("last_name_upper", name="gin_trgm_ops"), name="werknemer_last_up_trgm"
            ),
            models.Index(
                fields=["organisation", "personnel_number_upper"],
                include=["first_name_upper", "last_name_upper", "id"],
                name="werknemer_org_search",
            ),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def bsn_masked(self) -> str:
        """DG-2: the BSN as the interface shows it outside the reports to UWV."""
        return f"••••••{self.bsn_last3}" if self.bsn_last3 else "—"


class ExpectedDuration(models.TextChoices):
    WEEK = "week", "korter dan een week"
    TWO_WEEKS = "twee_weken", "een tot twee weken"
    SIX_WEEKS = "zes_weken", "twee tot zes weken"
    LONGER = "langer", "langer dan zes weken"
    UNKNOWN = "onbekend", "onbekend"


percentage_validators = [MinValueValidator(1), MaxValueValidator(100)]


class WerknemerSync(models.Model):
    """One synchronisation of the staff list with the HR system (issue 23; verzuim/hr_sync.py):
    a file's preview until it is applied, then only the summary — who, when, the counts. The
    uploaded file is kept only between preview and apply (emptied by the apply, a preview left
    alone is deleted after a day: verzuim.tasks.drop_stale_sync_previews)."""

    class Source(models.TextChoices):
        FILE = "bestand", "CSV-bestand"
        API = "api", "API"

    class Status(models.TextChoices):
        PREVIEW = "voorbeeld", "Voorbeeld"
        APPLIED = "toegepast", "Toegepast"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name="organisatie"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="door",
    )
    source = models.CharField("bron", max_length=10, choices=Source.choices)
    status = models.CharField(
        "status", max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    created_at = models.DateTimeField("aangemaakt", default=timezone.now)
    applied_at = models.DateTimeField("toegepast", null=True, blank=True)
    # The file as uploaded, between preview and apply only.
    content = models.BinaryField(blank=True, default=b"", editable=False)
    fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    created_count = models.PositiveIntegerField("nieuw", default=0)
    changed_count = models.PositiveIntegerField("gewijzigd", default=0)
    ended_count = models.PositiveIntegerField("uit dienst", default=0)
    unchanged_count = models.PositiveIntegerField("ongewijzigd", default=0)
    open_cases_count = models.PositiveIntegerField("met open verzuim", default=0)
    confirmed = models.BooleanField("grote wijziging bevestigd", default=False)
    end_missing_on = models.DateField("ontbrekenden uit dienst per", null=True, blank=True)

    class Meta:
        verbose_name = "synchronisatie werknemers"
        verbose_name_plural = "synchronisaties werknemers"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self):
        return f"Synchronisatie {self.pk} ({self.get_status_display()})"


class Ziekmelding(models.Model):
    werknemer = models.ForeignKey(
        Werknemer, on_delete=models.PROTECT, related_name="ziekmeldingen", verbose_name="werknemer"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisatie"
    )
    first_day = models.DateField("eerste verzuimdag")
    percentage = models.PositiveSmallIntegerField(
        "verzuimpercentage",
        validators=percentage_validators,
        default=100,
        help_text="100 bij volledig verzuim; lager bij gedeeltelijk verzuim.",
    )
    phone = models.CharField(
        "telefoonnummer waarop de werknemer bereikbaar is",
        max_length=32,
        validators=[validate_phone],
        help_text=PHONE_HELP,
    )
    care_address = models.CharField(
        "(verpleeg)adres",
        max_length=250,
        blank=True,
        help_text="Alleen invullen als de werknemer op een ander adres verblijft dan thuis.",
    )
    expected_duration = models.CharField(
        "verwachte duur",
        max_length=16,
        choices=ExpectedDuration.choices,
        default=ExpectedDuration.UNKNOWN,
    )
    lopende_afspraken = models.TextField("lopende afspraken en werkzaamheden", blank=True)
    vangnet = models.BooleanField(
        "valt onder een vangnetbepaling van de Ziektewet",
        default=False,
        help_text="Alleen ja of nee; nooit welke bepaling.",
    )
    arbeidsongeval = models.BooleanField("verzuim door een arbeidsongeval", default=False)
    regres = models.BooleanField(
        "verkeersongeval met een aansprakelijke derde (regres)", default=False
    )
    recovered_on = models.DateField("volledig hersteld per", null=True, blank=True)
    # ZM-5: "hersteld in aangepast of passend werk" since this day; the case stays open.
    adapted_work_since = models.DateField(
        "hersteld in aangepast of passend werk per", null=True, blank=True
    )
    # Samentelling (ZM-5): every period of one case carries the same case_id.
    case_id = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    # Poortwachter: the next open deadline, kept for filtering and the dashboard (RI-1).
    next_deadline_on = models.DateField(null=True, blank=True, db_index=True)
    next_deadline_key = models.CharField(max_length=64, blank=True)
    next_deadline_label = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "ziekmelding"
        verbose_name_plural = "ziekmeldingen"
        ordering = ["-first_day", "-pk"]
        constraints = [
            # No second open case for the same person.
            models.UniqueConstraint(
                fields=["werknemer"],
                condition=Q(recovered_on__isnull=True),
                name="one_open_ziekmelding_per_werknemer",
            ),
            models.CheckConstraint(
                condition=Q(percentage__gte=1) & Q(percentage__lte=100),
                name="ziekmelding_percentage_range",
            ),
            models.CheckConstraint(
                condition=Q(recovered_on__isnull=True) | Q(recovered_on__gt=models.F("first_day")),
                name="ziekmelding_recovery_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "recovered_on", "-first_day"]),
            models.Index(fields=["organisation", "next_deadline_on"]),
            # The verzuimoverzicht reads one employer's cases in its order (-first_day, -pk) and
            # stops after a page: open cases (the default view) from a partial index, all cases
            # from a full one — no sort over the employer's whole history.
            models.Index(
                fields=["organisation", "-first_day", "-id"],
                condition=Q(recovered_on__isnull=True),
                name="ziekmelding_org_open_order",
            ),
            models.Index(
                fields=["organisation", "-first_day", "-id"], name="ziekmelding_org_order"
            ),
            # Filters on the employee (department, search) join one employer's cases to the
            # matching employees index-only, for the count and for the page's keys (the late row
            # lookup of core/pagination.py): the table is read for the 25 rows shown only.
            models.Index(
                fields=["organisation", "werknemer"],
                include=["first_day", "id"],
                name="ziekmelding_org_werknemer",
            ),
        ]

    def __str__(self):
        return f"Ziekmelding {self.pk} ({self.first_day:%d-%m-%Y})"

    @property
    def is_open(self):
        return self.recovered_on is None


class HerstelKind(models.TextChoices):
    VOLLEDIG = "volledig", "volledig hersteld"
    GEDEELTELIJK = "gedeeltelijk", "gedeeltelijk hersteld"
    # ZM-5: working all hours, but not yet in the own job - the case stays open and the 104-week
    # clock keeps running.
    AANGEPAST_WERK = "aangepast_werk", "hersteld in aangepast of passend werk"


class Herstelmelding(models.Model):
    """Full or partial recovery (ZM-5). Partial keeps the case open at a lower percentage."""

    ziekmelding = models.ForeignKey(
        Ziekmelding, on_delete=models.CASCADE, related_name="herstelmeldingen"
    )
    kind = models.CharField("soort herstel", max_length=16, choices=HerstelKind.choices)
    date = models.DateField("hersteld per")
    absence_percentage = models.PositiveSmallIntegerField(
        "verzuimpercentage vanaf deze datum", validators=[MaxValueValidator(99)], default=0
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "herstelmelding"
        verbose_name_plural = "herstelmeldingen"
        ordering = ["date", "pk"]

    def __str__(self):
        return f"Herstelmelding {self.pk} ({self.date:%d-%m-%Y})"


class CaseDeadlineRecord(models.Model):
    """Something recorded about one occurrence of a Poortwachter moment of a case (RI-1): by
    case_id, so that it holds for every period of the case (samentelling, ZM-5)."""

    case_id = models.UUIDField(db_index=True)
    key = models.CharField(max_length=64)
    occurrence = models.PositiveSmallIntegerField(default=1)

    class Meta:
        abstract = True


class DeadlineCompletion(CaseDeadlineRecord):
    """A Poortwachter step done for a case (RI-1): who, the date it was done, what proves it (a
    UWV reference, the document that completed it). Undoing it keeps the row, with who, when
    and why; only a completion not undone counts."""

    completed_on = models.DateField("uitgevoerd op")
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proof = models.CharField("bewijs", max_length=200, blank=True)
    recorded_at = models.DateTimeField("vastgelegd op", default=timezone.now)
    undone_at = models.DateTimeField("ongedaan gemaakt op", null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    undo_reason = models.CharField("reden", max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_id", "key", "occurrence"],
                condition=Q(undone_at__isnull=True),
                name="deadline_completion_unique",
            )
        ]

    def __str__(self):
        return f"{self.key}#{self.occurrence} afgerond {self.completed_on}"


class DeadlineSignal(CaseDeadlineRecord):
    """One signal e-mail per deadline occurrence per recipient, never twice (RI-1)."""

    state = models.CharField(max_length=16)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case_id", "key", "occurrence", "state", "recipient"],
                name="deadline_signal_once",
            )
        ]

    def __str__(self):
        return f"signaal {self.key}#{self.occurrence} {self.state}"


class Verlof(models.Model):
    """Pregnancy and birth leave (Wazo art. 3:1) of an employee (ZM-5): sick periods directly
    before and after it form one case unless the bedrijfsarts says the cause differs. The
    doctor's yes/no lives in the medical module; the employer sees only whether the periods
    are joined (medisch.public.leave_joins)."""

    werknemer = models.ForeignKey(Werknemer, on_delete=models.CASCADE, related_name="verloven")
    start = models.DateField("eerste verlofdag")
    end = models.DateField("laatste verlofdag")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "zwangerschaps- en bevallingsverlof"
        verbose_name_plural = "zwangerschaps- en bevallingsverloven"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="verlof_order"),
        ]

    def __str__(self):
        return f"Verlof {self.pk} ({self.start:%d-%m-%Y} – {self.end:%d-%m-%Y})"


class ExtensionKind(models.TextChoices):
    LOONSANCTIE = "loonsanctie", "loonsanctie (opgelegd door UWV)"
    VERLENGING = "verlenging", "vrijwillige verlenging loondoorbetaling"


class WachttijdVerlenging(models.Model):
    """RI-1: a loonsanctie UWV imposed (art. 25 lid 9 WIA, at most 52 weeks) or a voluntary
    extension of the wage payment (art. 24 WIA): the wage payment runs through `end`, which
    moves the einde wachttijd of the case."""

    case_id = models.UUIDField(db_index=True)
    kind = models.CharField("soort", max_length=16, choices=ExtensionKind.choices)
    decided_on = models.DateField("besloten of afgesproken op")
    start = models.DateField("ingangsdatum")
    end = models.DateField("loondoorbetaling tot en met")
    reference = models.CharField("kenmerk (beschikking of afspraak)", max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "loonsanctie of verlenging"
        verbose_name_plural = "loonsancties en verlengingen"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="wachttijdverlenging_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} tot en met {self.end:%d-%m-%Y}"


class Noodinformatie(models.Model):
    """ZM-4: what the employee, on their own initiative, wants colleagues to know for an
    emergency. Written and confirmed by the employee only; withdrawal deletes it at once."""

    werknemer = models.OneToOneField(
        Werknemer, on_delete=models.CASCADE, related_name="noodinformatie"
    )
    text = models.TextField("wat collega's in een noodgeval moeten weten", max_length=1000)
    consent_text_version = models.CharField(max_length=16)
    consent_text = models.TextField()
    confirmed_at = models.DateTimeField()

    class Meta:
        verbose_name = "noodinformatie"
        verbose_name_plural = "noodinformatie"

    def __str__(self):
        return f"Noodinformatie van werknemer {self.werknemer_id}"
