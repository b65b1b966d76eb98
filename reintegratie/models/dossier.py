"""The employer's re-integratiedossier (correspondence) and its part of the
re-integratieverslag (RI-4)."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from verzuim.models import Werknemer

from ._fields import keep_until_field


class Direction(models.TextChoices):
    IN = "in", "ontvangen"
    UIT = "uit", "verstuurd"
    GESPREK = "gesprek", "gesprek"


class Correspondentie(models.Model):
    """The employer's correspondence and conversations in the re-integratiedossier (RI-4). No
    medical content: the summary is guarded (ZM-3)."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    date = models.DateField("datum")
    direction = models.CharField("soort", max_length=16, choices=Direction.choices)
    party = models.CharField("met wie", max_length=200)
    subject = models.CharField("onderwerp", max_length=200)
    summary = models.TextField("samenvatting", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "correspondentie"
        verbose_name_plural = "correspondentie"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Correspondentie {self.pk}"


class Reintegratieverslag(models.Model):
    """The employer's part of the re-integratieverslag (RI-4), generated from the dossier as it
    stood. The employee receives a copy (given_to_employee_at); the doctor's medical part never
    passes here."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    given_to_employee_at = models.DateTimeField("kopie aan werknemer", null=True, blank=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "re-integratieverslag (deel werkgever)"
        verbose_name_plural = "re-integratieverslagen (deel werkgever)"
        ordering = ["-generated_at", "-pk"]

    def __str__(self):
        return f"Re-integratieverslag {self.pk}"
