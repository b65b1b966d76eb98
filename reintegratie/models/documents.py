"""The Poortwachter documents' own records (RI-12): the employee's zienswijze (their own view
where they disagree) on a document. The BSN the documents print (DG-2) is the one on the employee
record (verzuim.Werknemer.bsn: encrypted, masked in the interface, in full only in the PDFs).

- `Zienswijze`: RI-12 — "the employee's view where they disagree included": a record by the
  employee on one document (the plan van aanpak's own response stays on the plan, RI-3).
"""

from django.conf import settings
from django.db import models

from accounts.models import Organisation
from verzuim.models import Werknemer

from ._fields import keep_until_field


class DocumentKind(models.TextChoices):
    PLAN = "plan", "plan van aanpak"
    EVALUATIE = "evaluatie", "evaluatie"
    VERSLAG = "verslag", "re-integratieverslag (deel werkgever)"


class Zienswijze(models.Model):
    """The employee's own view on one document (version) they disagree with (RI-12)."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    document_kind = models.CharField("document", max_length=16, choices=DocumentKind.choices)
    document_id = models.PositiveIntegerField()
    document_version = models.PositiveIntegerField("versie", null=True, blank=True)
    text = models.TextField("zienswijze")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "zienswijze werknemer"
        verbose_name_plural = "zienswijzen werknemer"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Zienswijze {self.pk}"
