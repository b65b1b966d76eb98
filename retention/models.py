"""Legal holds, recorded extensions and purge records (RT-5, RT-6). None of them holds personal
data: an object is named by its category and primary key, a person never."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class LegalHold(models.Model):
    """RT-6: a recorded legal hold postpones the purge of one record (reason, who, until)."""

    category = models.CharField("categorie", max_length=64)
    object_id = models.PositiveBigIntegerField("record")
    reason = models.CharField("reden", max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    placed_at = models.DateTimeField(auto_now_add=True)
    until = models.DateField("tot en met")
    lifted_at = models.DateTimeField("opgeheven op", null=True, blank=True)

    class Meta:
        verbose_name = "bewaarplicht (legal hold)"
        verbose_name_plural = "bewaarplichten (legal holds)"
        indexes = [models.Index(fields=["category", "object_id"])]

    def __str__(self):
        return f"Legal hold {self.category}#{self.object_id} tot {self.until}"


class RetentionExtension(models.Model):
    """RT-5: a longer period with a recorded reason (e.g. recurrence of the same condition is
    likely), never beyond the rule's maximum."""

    category = models.CharField("categorie", max_length=64)
    object_id = models.PositiveBigIntegerField("record")
    reason = models.CharField("reden", max_length=300)
    extended_until = models.DateField("bewaren tot en met")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "verlenging bewaartermijn"
        verbose_name_plural = "verlengingen bewaartermijn"
        constraints = [
            models.UniqueConstraint(fields=["category", "object_id"], name="one_extension")
        ]

    def __str__(self):
        return f"Verlenging {self.category}#{self.object_id} tot {self.extended_until}"


class PurgeRun(models.Model):
    """RT-6: one run of the purge, and per category how many records it removed — no personal
    data."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    counts = models.JSONField("verwijderd per categorie", default=dict)
    # Progress, for the beheerder's page while the task runs.
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    current = models.CharField("bezig met", max_length=200, blank=True)

    class Meta:
        verbose_name = "opschoonrun"
        verbose_name_plural = "opschoonruns"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Opschoonrun {self.pk}"


def active_holds(category, today):
    return LegalHold.objects.filter(
        Q(lifted_at__isnull=True) & Q(until__gte=today), category=category
    )


class DriftCheck(models.Model):
    """RT-6 (issue 24): one run of the nightly check of the stored retention dates
    (retention/drift.py): per category how many records were checked, how many had a date that
    was missing, too late or too early, and how many were repaired — counts only, no personal
    data, no record ids."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {category key: {"checked", "missing", "too_late", "too_early", "repaired": int}}
    counts = models.JSONField("afwijkingen per categorie", default=dict)

    class Meta:
        verbose_name = "controle bewaardata"
        verbose_name_plural = "controles bewaardata"
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"Controle bewaardata {self.pk}"
