"""The doelgroep administration (DG-1..8): what an employer may record for the banenafspraak,
the no-riskpolis, inclusion efforts and a documented voorkeursbeleid — and nothing more.

What does NOT exist here, and may never (tests/doelgroep/test_schema.py fails on such a field):
the reason someone is in the doelgroepregister (DG-1), sickness or benefit history such as Wajong
(DG-3, DG-4), ethnicity (DG-7: only country of birth, only under a documented voorkeursbeleid,
deleted on objection) and criminal history (DG-8: only "VOG provided yes/no, date").

The BSN (DG-2) is stored encrypted with the shared field encryption (encryption/: AES-GCM, keys
outside the database), shown masked, and revealed only through an audited action.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from encryption.fields import EncryptedTextField
from verzuim.models import Werknemer

# --- DG-6: the confidentiality statement ----------------------------------------------------------


class Geheimhoudingsverklaring(models.Model):
    """A signature under the confidentiality statement (text and version as signed). Access to
    the doelgroep administration needs a current, unwithdrawn signature (DG-6)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="geheimhoudingsverklaringen",
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    text_version = models.CharField("versie van de tekst", max_length=16)
    text = models.TextField("ondertekende tekst")
    signed_at = models.DateTimeField("ondertekend op", default=timezone.now)
    withdrawn_at = models.DateTimeField("toegang ingetrokken op", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "geheimhoudingsverklaring"
        verbose_name_plural = "geheimhoudingsverklaringen"
        ordering = ["-signed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "text_version"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_statement_per_version",
            )
        ]

    def __str__(self):
        return f"Geheimhoudingsverklaring {self.pk} (versie {self.text_version})"


# --- DG-1, DG-2: the doelgroepregister ------------------------------------------------------------


class Kandidaat(models.Model):
    """An applicant, for the doelgroepregister check before hiring (DG-1). Only a name and the
    employer's own reference: no CV, no history."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField("naam", max_length=200)
    reference = models.CharField("vacature of kenmerk", max_length=100, blank=True)
    # The stable pseudonymous ID under which the audit log knows this person (SE-7).
    pseudonym = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "sollicitant"
        verbose_name_plural = "sollicitanten"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class CheckedVia(models.TextChoices):
    BSN = "bsn", "burgerservicenummer (werkgeversportaal UWV)"
    LOONHEFFINGENNUMMER = "loonheffingennummer", "loonheffingennummer (huidige werknemer)"


class Registercheck(models.Model):
    """DG-1: only WHETHER the person is in the doelgroepregister, when it was checked and how.
    There is no field for the reason, and there never may be."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    werknemer = models.OneToOneField(
        Werknemer, on_delete=models.CASCADE, null=True, blank=True, related_name="registercheck"
    )
    kandidaat = models.OneToOneField(
        Kandidaat, on_delete=models.CASCADE, null=True, blank=True, related_name="registercheck"
    )
    in_register = models.BooleanField("opgenomen in het doelgroepregister")
    checked_on = models.DateField("gecontroleerd op")
    checked_via = models.CharField("gecontroleerd via", max_length=32, choices=CheckedVia.choices)
    # DG-2: encrypted at rest (AES-GCM, key outside the database), never searchable.
    bsn = EncryptedTextField("burgerservicenummer", blank=True)
    bsn_last3 = models.CharField(max_length=3, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "controle doelgroepregister"
        verbose_name_plural = "controles doelgroepregister"
        constraints = [
            models.CheckConstraint(
                condition=(Q(werknemer__isnull=False) & Q(kandidaat__isnull=True))
                | (Q(werknemer__isnull=True) & Q(kandidaat__isnull=False)),
                name="registercheck_one_subject",
            )
        ]

    def __str__(self):
        return f"Controle doelgroepregister {self.pk}"

    @property
    def bsn_masked(self) -> str:
        return f"••••••{self.bsn_last3}" if self.bsn_last3 else "—"


# --- DG-3, DG-4: the no-riskpolis -----------------------------------------------------------------


class NoRiskPolis(models.Model):
    """DG-3: asked only after more than two months of employment; yes/no, and the one category
    the law requires to be recorded (56+ at hiring with at least 52 weeks of WW directly
    before). DG-4: no benefit history; a UWV WIA decision received during employment may be
    recorded."""

    werknemer = models.OneToOneField(
        Werknemer, on_delete=models.CASCADE, related_name="noriskpolis"
    )
    asked_on = models.DateField("gevraagd op")
    applies = models.BooleanField("de no-riskpolis is van toepassing")
    category_56_plus_ww = models.BooleanField(
        "56 jaar of ouder bij indiensttreding en direct daarvoor ten minste 52 weken WW",
        default=False,
    )
    wia_decision_on = models.DateField(
        "datum beslissing UWV over WIA (tijdens dienstverband)", null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "no-riskpolis"
        verbose_name_plural = "no-riskpolissen"

    def __str__(self):
        return f"No-riskpolis {self.pk}"


# --- DG-5: support measures -----------------------------------------------------------------------


class MaatregelKind(models.TextChoices):
    BEGELEIDING = "begeleiding", "persoonlijke begeleiding"
    SCHOLING = "scholing", "scholing"
    FUNCTIE = "functie", "aanpassing van de functie"
    WERKPLEK = "werkplek", "aanpassing van de werkplek"
    WERKTIJDEN = "werktijden", "aanpassing van de werktijden"
    PRODUCTIENORM = "productienorm", "aanpassing van de productienorm"


class Ondersteuningsmaatregel(models.Model):
    werknemer = models.ForeignKey(
        Werknemer, on_delete=models.CASCADE, related_name="ondersteuningsmaatregelen"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("maatregel", max_length=32, choices=MaatregelKind.choices)
    start_on = models.DateField("vanaf")
    end_on = models.DateField("tot en met", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ondersteuningsmaatregel"
        verbose_name_plural = "ondersteuningsmaatregelen"
        ordering = ["-start_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "start_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=models.F("start_on")),
                name="maatregel_period_valid",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} vanaf {self.start_on:%d-%m-%Y}"


# --- DG-7: voorkeursbeleid ------------------------------------------------------------------------


class Voorkeursbeleid(models.Model):
    """DG-7: the organisation's documented disadvantage that justifies a voorkeursbeleid. Without
    an active one, no country of birth may be recorded at all."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group_description = models.CharField("groep met een aantoonbare achterstand", max_length=200)
    documentation = models.TextField("onderbouwing van de achterstand (documentatie)")
    decided_on = models.DateField("besloten op")
    ended_on = models.DateField("beëindigd op", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "voorkeursbeleid"
        verbose_name_plural = "voorkeursbeleid"
        ordering = ["-decided_on", "-pk"]

    def __str__(self):
        return f"Voorkeursbeleid {self.pk}"


class Geboorteland(models.Model):
    """DG-7: country of birth of the employee, parents and grandparents — only under an active
    voorkeursbeleid and only while the employee has not objected."""

    werknemer = models.OneToOneField(
        Werknemer, on_delete=models.CASCADE, related_name="geboorteland"
    )
    beleid = models.ForeignKey(Voorkeursbeleid, on_delete=models.PROTECT, related_name="+")
    self_country = models.CharField("geboorteland werknemer", max_length=100)
    mother_country = models.CharField("geboorteland moeder", max_length=100, blank=True)
    father_country = models.CharField("geboorteland vader", max_length=100, blank=True)
    grandparents_countries = models.CharField(
        "geboortelanden grootouders", max_length=400, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "geboorteland (voorkeursbeleid)"
        verbose_name_plural = "geboortelanden (voorkeursbeleid)"

    def __str__(self):
        return f"Geboorteland {self.pk}"


class Bezwaar(models.Model):
    """DG-7: the employee's objection. Once recorded, the data is gone and no new data may be
    recorded for them; the objection itself holds no reason (none is required)."""

    werknemer = models.OneToOneField(
        Werknemer, on_delete=models.CASCADE, related_name="voorkeursbeleid_bezwaar"
    )
    objected_at = models.DateTimeField("bezwaar gemaakt op", default=timezone.now)

    class Meta:
        verbose_name = "bezwaar voorkeursbeleid"
        verbose_name_plural = "bezwaren voorkeursbeleid"

    def __str__(self):
        return f"Bezwaar {self.pk}"


# --- DG-8: VOG ------------------------------------------------------------------------------------


class Vog(models.Model):
    """DG-8: only whether a VOG was provided, and when. No criminal-record fields."""

    werknemer = models.OneToOneField(Werknemer, on_delete=models.CASCADE, related_name="vog")
    provided = models.BooleanField("VOG overgelegd")
    provided_on = models.DateField("datum", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "VOG"
        verbose_name_plural = "VOG's"

    def __str__(self):
        return f"VOG {self.pk}"
