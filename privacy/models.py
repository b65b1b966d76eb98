"""The audit log (SE-7, NEN 7513): one append-only, hash-chained table.

People are referred to by their stable pseudonymous ID (a UUID), never by a foreign key: purging
a case must not cascade into its access log, nor be blocked by it (DESIGN.md). The log never
holds the content that was accessed, only what kind of object and which IDs.
"""

import pgtrigger
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "aangemaakt"
    READ = "read", "ingezien"
    UPDATE = "update", "gewijzigd"
    DELETE = "delete", "verwijderd"
    EXPORT = "export", "geëxporteerd/afgedrukt"
    SEARCH = "search", "gezocht"
    EMERGENCY = "emergency", "noodtoegang"


class AuditEvent(models.Model):
    seq = models.BigIntegerField("volgnummer", unique=True)
    occurred_at = models.DateTimeField("tijdstip", db_index=True)
    action = models.CharField("gebeurtenis", max_length=16, choices=AuditAction.choices)
    subject = models.UUIDField("betrokkene (pseudoniem)", null=True, blank=True, db_index=True)
    actor = models.UUIDField("gebruiker (pseudoniem)", null=True, blank=True, db_index=True)
    actor_role = models.CharField("rol van de gebruiker", max_length=32, blank=True)
    on_behalf_of = models.UUIDField("verantwoordelijke (pseudoniem)", null=True, blank=True)
    ip_address = models.GenericIPAddressField("toegangspunt (IP)", null=True, blank=True)
    object_type = models.CharField("soort object", max_length=64)
    object_ids = models.JSONField("objecten", default=list)
    detail = models.CharField("omschrijving (geen inhoud)", max_length=200, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "auditregel"
        verbose_name_plural = "auditlog"
        ordering = ["seq"]
        triggers = [
            # Append-only in the database itself: UPDATE and DELETE raise. Only the log's own
            # retention purge may lift this, with pgtrigger.ignore (LIBRARIES.md).
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}"
