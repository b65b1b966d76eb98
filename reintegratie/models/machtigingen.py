"""Machtigingen (RI-9, AV-2): consent where the law requires it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from verzuim.models import Werknemer

from ._fields import keep_until_field
from .trajecten import Trajectory


class MachtigingStatus(models.TextChoices):
    GEVRAAGD = "gevraagd", "gevraagd"
    GEGEVEN = "gegeven", "gegeven"
    GEWEIGERD = "geweigerd", "geweigerd"
    INGETROKKEN = "ingetrokken", "ingetrokken"


class Machtiging(models.Model):
    """Consent where the law requires it (RI-9, AV-2): e.g. the company's medical professional
    asks the GP for information. Specific (which data, which party, which period), informed (the
    full text is kept as shown), provable (who, when, which version) and revocable at once."""

    werknemer = models.ForeignKey(Werknemer, on_delete=models.CASCADE, related_name="machtigingen")
    trajectory = models.ForeignKey(
        Trajectory, on_delete=models.SET_NULL, null=True, blank=True, related_name="machtigingen"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requester_name = models.CharField("aangevraagd door (organisatie)", max_length=200)
    party = models.CharField("bij wie de gegevens worden opgevraagd", max_length=200)
    data_description = models.CharField("welke gegevens", max_length=500)
    purpose = models.CharField("waarvoor", max_length=500)
    valid_from = models.DateField("geldig vanaf")
    valid_until = models.DateField("geldig tot en met")
    text_version = models.CharField(max_length=16)
    full_text = models.TextField("tekst zoals getoond")
    status = models.CharField(
        max_length=16, choices=MachtigingStatus.choices, default=MachtigingStatus.GEVRAAGD
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "machtiging"
        verbose_name_plural = "machtigingen"
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="machtiging_period_valid",
            )
        ]

    def __str__(self):
        return f"Machtiging {self.pk} ({self.status})"

    def in_force_on(self, day) -> bool:
        return (
            self.status == MachtigingStatus.GEGEVEN
            and self.revoked_at is None
            and self.valid_from <= day <= self.valid_until
        )

    @property
    def in_force(self) -> bool:
        return self.in_force_on(timezone.localdate())

    @property
    def state_label(self) -> str:
        if self.status == MachtigingStatus.GEGEVEN and timezone.localdate() > self.valid_until:
            return "verlopen"
        return self.get_status_display()
