"""The doctor's part of re-integration (RI-2, RI-4), part of the medical module like
medisch/models/dossier.py: read and written only through the `medisch` alias (MD-2, layer 2), the
medical text encrypted per field (MD-3, layer 3).

- `Probleemanalyse` (RI-2): the doctor's problem analysis for the employee's current case. Its
  MEDICAL part (nature of the complaints, limitations and circumstances, MD-1) stays here; its
  EMPLOYER part is exactly an `Advies` (MD-5: functional limitations, remaining capabilities,
  what they mean for the work, expected duration, incapacity, adjustments), released through the
  advice mechanism like any other advice.
- `TrajectNotitie` (RI-5, RI-6, RI-10): what a re-integration company sends only to the doctor
  — the detailed trajectory proposal and the fuller report. Written through medisch/public.py by
  the trajectory's own consultant; read only by the doctor of the employee's organisation.
- `WazoOordeel` (ZM-5): the doctor's yes/no on whether sickness after pregnancy and birth leave
  has the same cause as the sickness before it; the employer learns only whether the periods
  are joined (medisch/public.py, `leave_joins`).
- `VerslagMedischDeel` (RI-4): the doctor's medical part of the re-integratieverslag. It goes
  directly to the EMPLOYEE (medisch/public.py, `medical_report_parts_for_employee`) once
  delivered; the employer has no route to it.

Nothing outside this package imports this module.
"""

from django.conf import settings
from django.db import models

from encryption.fields import EncryptedTextField

__all__ = ["Probleemanalyse", "TrajectNotitie", "VerslagMedischDeel", "WazoOordeel"]


class Probleemanalyse(models.Model):
    """RI-2: medical part here; the employer part is the linked advice (MD-5)."""

    dossier = models.ForeignKey(
        "medisch.Dossier", on_delete=models.CASCADE, related_name="probleemanalyses"
    )
    case_id = models.UUIDField("verzuimgeval", db_index=True)
    date = models.DateField("datum")
    medical_part = EncryptedTextField(
        "medisch deel (aard van de klachten, beperkingen en omstandigheden)"
    )
    advies = models.OneToOneField(
        "medisch.Advies",
        on_delete=models.PROTECT,
        related_name="probleemanalyse",
        verbose_name="deel voor de werkgever (advies)",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "probleemanalyse"
        verbose_name_plural = "probleemanalyses"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Probleemanalyse {self.pk}"


class VerslagMedischDeel(models.Model):
    """RI-4: the doctor's medical part of the re-integratieverslag — to the employee only."""

    dossier = models.ForeignKey(
        "medisch.Dossier", on_delete=models.CASCADE, related_name="verslag_delen"
    )
    case_id = models.UUIDField("verzuimgeval", db_index=True)
    date = models.DateField("datum")
    text = EncryptedTextField("medisch deel van het re-integratieverslag")
    delivered_at = models.DateTimeField("aan de werknemer gegeven", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "medisch deel re-integratieverslag"
        verbose_name_plural = "medische delen re-integratieverslag"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Medisch deel re-integratieverslag {self.pk}"


class TrajectNotitie(models.Model):
    """RI-5/RI-6: the detailed proposal or fuller report of a re-integration company — to the
    doctor only (the employer sees the generic category and the progress report)."""

    class Kind(models.TextChoices):
        VOORSTEL = "voorstel", "gedetailleerd trajectvoorstel"
        RAPPORT = "rapport", "uitgebreide rapportage"

    werknemer_id = models.PositiveBigIntegerField("werknemer", db_index=True)
    organisation_id = models.PositiveBigIntegerField("werkgever")
    trajectory_id = models.PositiveBigIntegerField("traject", db_index=True)
    provider_name = models.CharField("re-integratiebedrijf", max_length=200)
    kind = models.CharField("soort", max_length=16, choices=Kind.choices)
    text = EncryptedTextField("inhoud")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "trajectnotitie voor de bedrijfsarts"
        verbose_name_plural = "trajectnotities voor de bedrijfsarts"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Trajectnotitie {self.pk}"


class WazoOordeel(models.Model):
    """ZM-5: the bedrijfsarts's judgement whether the sickness after a Wazo leave
    (verzuim.Verlof) has the same cause as the sickness before it. Not decided means joined (the
    law joins unless the cause differs)."""

    dossier = models.ForeignKey(
        "medisch.Dossier", on_delete=models.CASCADE, related_name="wazo_oordelen"
    )
    verlof_id = models.PositiveIntegerField("verlof", unique=True)
    same_cause = models.BooleanField("zelfde oorzaak")
    date = models.DateField("datum")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "oordeel samentelling rond verlof"
        verbose_name_plural = "oordelen samentelling rond verlof"

    def __str__(self):
        return f"Oordeel verlof {self.verlof_id}"
