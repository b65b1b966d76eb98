"""Signatures of the employer documents of the re-integratieverslag (RI-12): the plan van aanpak
per version, the evaluations (incl. eerstejaars- and eindevaluatie) and the employer's part of
the re-integratieverslag, each signed by employer and employee.

A signature stores the SHA-256 of exactly the content signed — the canonical serialisation of
the document's own fields (reintegratie/signing.py documents it) — never of rendered HTML. A
later change of the document gives another hash: the signature then stands as "niet meer
geldig" and the document must be signed again. Disagreement is recorded, not blocked."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from verzuim.models import Werknemer

from ._fields import keep_until_field


class DocumentType(models.TextChoices):
    PLANVERSIE = "planversie", "plan van aanpak"
    EVALUATIE = "evaluatie", "evaluatie"
    VERSLAG = "reintegratieverslag", "re-integratieverslag (deel werkgever)"


class SignerRole(models.TextChoices):
    WERKGEVER = "werkgever", "werkgever"
    WERKNEMER = "werknemer", "werknemer"


class Ondertekening(models.Model):
    """One signature of one version of one employer document (RI-12)."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    document_type = models.CharField("document", max_length=32, choices=DocumentType.choices)
    document_id = models.PositiveIntegerField("documentnummer")
    document_version = models.PositiveIntegerField("versie")
    content_hash = models.CharField("SHA-256 van de inhoud", max_length=64)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The name as it stood when signing: the signature stays readable if the account goes.
    signer_name = models.CharField("ondertekend door", max_length=200)
    role = models.CharField("als", max_length=16, choices=SignerRole.choices)
    agreed = models.BooleanField("akkoord")
    remark = models.TextField("toelichting", blank=True)
    signed_at = models.DateTimeField("ondertekend op", default=timezone.now)
    check_code = models.CharField("controlecode", max_length=16, unique=True, null=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "ondertekening"
        verbose_name_plural = "ondertekeningen"
        ordering = ["signed_at", "pk"]
        indexes = [models.Index(fields=["document_type", "document_id"])]

    def __str__(self):
        return f"Ondertekening {self.pk}"
