"""The medical module's data (MD-1): dossiers, consults, the doctor's advice to the employer
(MD-5) and delegations (MD-4). Read and written only through the `medisch` database alias, whose
role alone has privileges on these tables (MD-2, layer 2); free text encrypted per field with
AES-GCM (MD-3, layer 3).

Nothing outside this package imports this module; the employer side receives the released
advice through medisch/public.py alone.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from encryption.fields import EncryptedTextField

# The advice's own content (MD-5): what the page, the API and the data-subject export show.
ADVICE_FIELDS = (
    "date",
    "limitations",
    "capabilities",
    "expected_duration",
    "incapacity_percentage",
    "adjustments",
)


class Dossier(models.Model):
    """One medical dossier per employee, kept by the responsible bedrijfsarts."""

    # DO_NOTHING, not PROTECT: deleting an employee on the application's connection must never
    # make Django's collector read this table (the app role has no grant on it, MD-2). The purge
    # still waits for the dossier: retention.purge treats DO_NOTHING as blocking.
    werknemer = models.OneToOneField(
        "verzuim.Werknemer", on_delete=models.DO_NOTHING, related_name="+", db_constraint=False
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # The employee's pseudonym, copied so the audit log needs no join (SE-7).
    subject = models.UUIDField(db_index=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    # RT-4: 20 years after the last change, 40 for occupational exposure.
    last_changed_at = models.DateTimeField(auto_now=True)
    occupational_exposure = models.BooleanField(
        "blootstelling aan asbest, straling of kankerverwekkende stoffen", default=False
    )

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "medisch dossier"
        verbose_name_plural = "medische dossiers"

    def __str__(self):
        return f"Medisch dossier {self.pk}"


class Consult(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consults")
    date = models.DateField("datum")
    anamnesis = EncryptedTextField("anamnese", blank=True)
    findings = EncryptedTextField("bevindingen", blank=True)
    diagnosis = EncryptedTextField("diagnose", blank=True)
    diagnosis_code = EncryptedTextField("ICD-10/ICPC-code", blank=True)
    policy = EncryptedTextField("beleid", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "consult"
        verbose_name_plural = "consulten"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Consult {self.pk}"


class ExpectedDuration(models.TextChoices):
    SHORT = "kort", "korter dan zes weken"
    MEDIUM = "middel", "zes weken tot drie maanden"
    LONG = "lang", "langer dan drie maanden"
    UNKNOWN = "onbekend", "nog niet te zeggen"


class AdviesKind(models.TextChoices):
    ADVIES = "advies", "advies"
    # RI-1, week 91: the doctor's current judgement for the re-integratieverslag; its employer
    # part is an advice like any other (MD-5).
    ACTUEEL_OORDEEL = "actueel_oordeel", "actueel oordeel (re-integratieverslag)"


class Advies(models.Model):
    """MD-5: the doctor's advice to the employer — the only thing that crosses to the employer
    side, and only once released. Work terms only: no diagnosis, complaints or treatment."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="adviezen")
    case_id = models.UUIDField("verzuimgeval", db_index=True)
    kind = models.CharField(
        "soort", max_length=16, choices=AdviesKind.choices, default=AdviesKind.ADVIES
    )
    date = models.DateField("datum")
    limitations = models.TextField("functionele beperkingen (in termen van werk)")
    capabilities = models.TextField("benutbare mogelijkheden")
    expected_duration = models.CharField(
        "verwachte duur", max_length=16, choices=ExpectedDuration.choices
    )
    incapacity_percentage = models.PositiveSmallIntegerField(
        "mate van arbeidsongeschiktheid (%)", validators=[MaxValueValidator(100)]
    )
    adjustments = models.TextField(
        "advies over aanpassingen, voorzieningen of interventies", blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "advies aan werkgever"
        verbose_name_plural = "adviezen aan werkgever"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Advies {self.pk}"


class Delegation(models.Model):
    """MD-4: a doctor lets a casemanager carry out part of the guidance, for a period; the
    casemanager sees exactly the delegated parts; revocation is immediate."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="delegations")
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    parts = models.JSONField("onderdelen", default=list)
    valid_from = models.DateField("geldig vanaf")
    valid_until = models.DateField("geldig tot en met")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = "taakdelegatie"
        verbose_name_plural = "taakdelegaties"

    def __str__(self):
        return f"Delegatie {self.pk}"
