"""Medical documents and correspondence with treating physicians (MD-1), part of the medical
module like medisch/models/dossier.py: read and written only through the `medisch` alias (MD-2,
layer 2), free text encrypted per field (MD-3, layer 3).

A Document's bytes live in the EncryptedFileSystemStorage under MEDICAL_FILES_ROOT, encrypted and
bound to their storage name; the row keeps only that random name (uuid, it says nothing about the
person or the content), the type detected from the content, the size and the SHA-256 of the
plaintext. The uploader's original file name is never kept: it may itself be medical ("MRI
hernia.pdf"). There is no public URL: the bytes leave only through the audited download view.
"""

from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from encryption.fields import EncryptedTextField
from medisch.storage import EncryptedFileSystemStorage

__all__ = [
    "Correspondentie",
    "CorrespondentieDirection",
    "Document",
    "DocumentKind",
    "document_storage",
]


def document_storage() -> EncryptedFileSystemStorage:
    """The storage of medical documents (MEDICAL_FILES_ROOT, read when used)."""
    return EncryptedFileSystemStorage()


class DocumentKind(models.TextChoices):
    BRIEF_BEHANDELAAR = "brief_behandelaar", "brief van of aan een behandelaar"
    UITSLAG = "uitslag", "uitslag van onderzoek"
    OVERIG = "overig", "overig"


class Document(models.Model):
    """A PDF or image in the medical dossier (MD-1). See the module docstring."""

    dossier = models.ForeignKey(
        "medisch.Dossier", on_delete=models.CASCADE, related_name="documents"
    )
    title = EncryptedTextField("titel")
    kind = models.CharField(
        "soort", max_length=32, choices=DocumentKind.choices, default=DocumentKind.OVERIG
    )
    # Storage-relative name in document_storage(): random, never the uploaded file name.
    file = models.CharField("opslagnaam", max_length=100, unique=True, editable=False)
    content_type = models.CharField("bestandstype", max_length=64, editable=False)
    size = models.PositiveIntegerField("grootte (bytes)", editable=False)
    sha256 = models.CharField("SHA-256 van de inhoud", max_length=64, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "medisch document"
        verbose_name_plural = "medische documenten"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"Document {self.pk}"


class CorrespondentieDirection(models.TextChoices):
    IN = "in", "ontvangen"
    UIT = "uit", "verzonden"


class Correspondentie(models.Model):
    """A letter or message to or from a treating physician (MD-1). Requesting data from a GP or
    specialist needs the employee's specific consent (RI-9): `consent_reference` points to it."""

    dossier = models.ForeignKey(
        "medisch.Dossier", on_delete=models.CASCADE, related_name="correspondence"
    )
    direction = models.CharField("richting", max_length=3, choices=CorrespondentieDirection.choices)
    counterpart = EncryptedTextField(
        "behandelaar", help_text="Bijvoorbeeld huisarts, specialist of psycholoog."
    )
    date = models.DateField("datum")
    subject = EncryptedTextField("onderwerp")
    body = EncryptedTextField("inhoud", blank=True)
    consent_reference = models.CharField(
        "verwijzing naar toestemming van de werknemer",
        max_length=200,
        blank=True,
        help_text="Bij een verzoek om gegevens aan huisarts of specialist: verwijzing naar de "
        "specifieke toestemming van de werknemer (RI-9). Geen medische inhoud: dit veld is "
        "niet versleuteld.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The table keeps the name it had when the class was called Correspondence (issue 16:
        # one name per concept, Correspondentie as in reintegratie; the data stays put).
        db_table = "medisch_correspondence"
        verbose_name = "correspondentie met behandelaar"
        verbose_name_plural = "correspondentie met behandelaars"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Correspondentie {self.pk}"


@receiver(post_delete, sender=Document, dispatch_uid="medisch-document-file-delete")
def _delete_document_file(sender, instance, using, **kwargs):
    """A deleted document (directly or with its dossier, RT-4/RT-6) takes its encrypted file
    along — once the deletion is committed, so a rolled-back delete keeps the file."""
    name = instance.file
    if name:
        transaction.on_commit(lambda: document_storage().delete(name), using=using)
