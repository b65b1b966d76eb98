"""The re-integratieverslag for UWV as one PDF (RI-12): the bundle HR makes when the verslag is
complete — the parts in UWV's order, the medical part never among them (RI-4) — and the
employee's copy in their portal, with the moment they first downloaded it as the receipt.

The PDF carries the employee's full BSN (DG-2) and the employer parts of the doctor's documents:
it is stored encrypted (AES-GCM, encryption.crypto, bound to this bundle's `token`), never as a
file with a URL. What it holds is listed in `parts` (each part's document, version, pages and
the SHA-256 of its content as signed, reintegratie/signing.py) and `sha256` is the hash of the
PDF itself: the bundle is what was sent, not what the case says today.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from encryption.crypto import decrypt_bytes, encrypt_bytes
from verzuim.models import Werknemer

from ._fields import keep_until_field

AAD_PREFIX = "reintegratie.verslagbundel:"


class Verslagbundel(models.Model):
    """One re-integratieverslag for UWV, made from a complete case (RI-12)."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    parts = models.JSONField("onderdelen")
    fingerprint = models.CharField("vingerafdruk van de onderdelen", max_length=64)
    pdf_encrypted = models.BinaryField("PDF (versleuteld)")
    sha256 = models.CharField("SHA-256 van de PDF", max_length=64)
    size = models.PositiveIntegerField("grootte in bytes")
    pages = models.PositiveIntegerField("pagina's")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    made_at = models.DateTimeField("gemaakt op", default=timezone.now)
    # Delivered in the employee's portal when made (made_at); the receipt is their first download.
    received_at = models.DateTimeField("door de werknemer ontvangen op", null=True, blank=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "re-integratieverslag voor UWV (bundel)"
        verbose_name_plural = "re-integratieverslagen voor UWV (bundels)"
        ordering = ["-made_at", "-pk"]

    def __str__(self):
        return f"Re-integratieverslag voor UWV {self.pk}"

    @property
    def aad(self) -> str:
        return f"{AAD_PREFIX}{self.token}"

    def set_pdf(self, data: bytes) -> None:
        self.pdf_encrypted = encrypt_bytes(data, self.aad)

    def pdf(self) -> bytes:
        return decrypt_bytes(bytes(self.pdf_encrypted), self.aad)
