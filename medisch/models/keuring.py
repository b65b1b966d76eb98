"""The pre-employment medical exam, aanstellingskeuring (MD-7), part of the medical module like
medisch/models/dossier.py: read and written only through the `medisch` alias (MD-2, layer 2), the
doctor's findings encrypted per field (MD-3, layer 3).

The flow: an employer user (hr or werkgever) requests an exam for a candidate, and may do so only
with a recorded justification of the special medical requirements the job sets (`justification`)
and a statement of the aspects to be examined — only those (`aspects`). The bedrijfsarts assigned
to the organisation records the exam (`findings`, `conclusion`). The candidate sees the result
first and decides (`candidate_decision`) whether the employer may learn the conclusion
"geschikt / niet geschikt"; the employer never sees the findings. Refusing has no consequence
inside this system (AV-2): the employer then sees only that the candidate does not share.

The candidate is a user with role "werknemer" of the requesting organisation: an applicant gets a
login issued by the platform operator like any employee (SE-3), so they can read the result and
decide on their own page (/verzuim/mijn/). No Werknemer record is needed for the exam itself.

Nothing outside this package imports this module; the employer and the candidate reach it only
through medisch/public.py.
"""

from django.conf import settings
from django.db import models

from encryption.fields import EncryptedTextField

__all__ = ["CandidateDecision", "Keuring", "KeuringConclusion"]


class KeuringConclusion(models.TextChoices):
    GESCHIKT = "geschikt", "geschikt"
    NIET_GESCHIKT = "niet_geschikt", "niet geschikt"


class CandidateDecision(models.TextChoices):
    OPEN = "", "nog niet beslist"
    DELEN = "delen", "uitslag gedeeld met de werkgever"
    NIET_DELEN = "niet_delen", "uitslag niet gedeeld"


class Keuring(models.Model):
    """One aanstellingskeuring (MD-7). See the module docstring."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    # The candidate's pseudonym (User.pseudonym), copied so the audit log needs no join (SE-7).
    subject = models.UUIDField(db_index=True)
    function = models.CharField("functie", max_length=200)
    justification = models.TextField(
        "bijzondere medische eisen van de functie",
        help_text="Waarom deze functie bijzondere eisen aan de medische geschiktheid stelt.",
    )
    aspects = models.TextField(
        "te onderzoeken aspecten",
        help_text="Alleen de aspecten die met de bijzondere functie-eisen samenhangen.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        null=True,
        blank=True,
    )
    examined_at = models.DateTimeField(null=True, blank=True)
    findings = EncryptedTextField("bevindingen", blank=True)
    conclusion = models.CharField(
        "conclusie", max_length=16, choices=KeuringConclusion.choices, blank=True
    )
    candidate_decision = models.CharField(
        "besluit kandidaat",
        max_length=16,
        choices=CandidateDecision.choices,
        blank=True,
        default=CandidateDecision.OPEN,
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "aanstellingskeuring"
        verbose_name_plural = "aanstellingskeuringen"
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"Aanstellingskeuring {self.pk}"

    @property
    def is_examined(self) -> bool:
        return self.examined_at is not None
