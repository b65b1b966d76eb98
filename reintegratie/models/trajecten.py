"""Trajectories at re-integration companies (RI-5..8, RI-10): the trajectory, its per-case
staff, progress reports and invoices."""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from accounts.models import Organisation
from verzuim.models import Werknemer

from ._fields import keep_until_field


class Category(models.TextChoices):
    """RI-6: the generic description the employer sees — never treatment or specialism."""

    FYSIEK = "fysiek", "fysiek interventietraject"
    PSYCHISCH = "psychisch", "psychisch interventietraject"
    TWEEDE_SPOOR = "tweede_spoor", "tweede-spoortraject"
    COACHING = "coaching", "coaching"
    WERKPLEK = "werkplek", "werkplekonderzoek"


class CommissionerKind(models.TextChoices):
    WERKGEVER = "werkgever", "werkgever"
    BEDRIJFSARTS = "bedrijfsarts", "arbodienst / bedrijfsarts"
    # RI-7: a company that commissions another one is informed like an employer.
    REINTEGRATIEBEDRIJF = "reintegratiebedrijf", "re-integratiebedrijf (onderaanneming)"


class DataItem(models.TextChoices):
    """RI-10: what an aanmelding may pass, chosen per trajectory and shown to the employee."""

    PERSONALIA = "personalia", "naam, geboortedatum en contactgegevens"
    VERZUIM = "verzuim", "eerste verzuimdag en verzuimpercentage"
    FUNCTIE = "functie", "afdeling en functie"
    ADVIES = "advies", "advies van de bedrijfsarts (functionele beperkingen en mogelijkheden)"
    PLAN = "plan", "plan van aanpak"


class TrajectoryStatus(models.TextChoices):
    AANGEMELD = "aangemeld", "aangemeld — werknemer nog niet geïnformeerd"
    LOPEND = "lopend", "lopend"
    AFGEROND = "afgerond", "afgerond"


class Trajectory(models.Model):
    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="trajecten")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="werkgever"
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="trajectories",
        verbose_name="re-integratiebedrijf",
        limit_choices_to={"kind": "reintegratiebedrijf"},
    )
    category = models.CharField("soort traject", max_length=32, choices=Category.choices)
    commissioner_kind = models.CharField(
        "opdrachtgever", max_length=32, choices=CommissionerKind.choices
    )
    commissioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcontracts",
        verbose_name="in onderaanneming van",
    )
    data_items = models.JSONField("meegegeven gegevens", default=list)
    status = models.CharField(
        max_length=16, choices=TrajectoryStatus.choices, default=TrajectoryStatus.AANGEMELD
    )
    start_on = models.DateField("start")
    end_on = models.DateField("einde", null=True, blank=True)
    employee_informed_at = models.DateTimeField("werknemer geïnformeerd", null=True, blank=True)
    # RI-6: invoices may use a client number instead of the name.
    client_number = models.CharField("cliëntnummer", max_length=16, unique=True)
    invoice_by_client_number = models.BooleanField(
        "factuur op cliëntnummer in plaats van naam", default=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    keep_until = keep_until_field()

    class Meta:
        verbose_name = "re-integratietraject"
        verbose_name_plural = "re-integratietrajecten"
        ordering = ["-start_on", "-pk"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self):
        return f"{self.get_category_display()} ({self.client_number})"

    @classmethod
    def new_client_number(cls) -> str:
        return f"CL-{uuid.uuid4().hex[:8].upper()}"


class StaffFunction(models.TextChoices):
    """RI-8: the three kinds of company staff who may open a dossier, each its own parts."""

    CONSULTANT = "consultant", "behandelend consultant"
    VERVANGER = "vervanger", "vervanger"
    ADMINISTRATIEF = "administratief", "administratief medewerker (facturatie)"


class TrajectoryStaff(models.Model):
    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trajectory_roles"
    )
    function = models.CharField("functie", max_length=16, choices=StaffFunction.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "betrokken medewerker"
        verbose_name_plural = "betrokken medewerkers"
        constraints = [
            models.UniqueConstraint(fields=["trajectory", "function"], name="staff_one_per_role"),
            models.UniqueConstraint(fields=["trajectory", "user"], name="staff_one_role_per_user"),
        ]

    def __str__(self):
        return f"{self.get_function_display()} op traject {self.trajectory_id}"


class Attendance(models.TextChoices):
    AANWEZIG = "aanwezig", "alle afspraken nagekomen"
    DEELS = "deels", "een deel van de afspraken nagekomen"
    NO_SHOW = "niet_verschenen", "niet verschenen (no-show)"


class ReportStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    TER_INZAGE = "ter_inzage", "ter inzage bij de werknemer"
    VRIJGEGEVEN = "vrijgegeven", "vrijgegeven aan de werkgever"


class Voortgangsrapportage(models.Model):
    """RI-5: what the employer may learn — progress and cooperation, structured, guarded free
    text. The employee reads it before it is released to the employer."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="reports")
    period_end = models.DateField("rapportage tot en met")
    attendance = models.CharField("aanwezigheid", max_length=16, choices=Attendance.choices)
    cooperating = models.BooleanField("werkt de werknemer mee?")
    cooperation_explanation = models.TextField("toelichting op de medewerking", blank=True)
    progress = models.TextField("voortgang")
    next_steps = models.TextField("volgende stappen")
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.CONCEPT
    )
    shared_with_employee_at = models.DateTimeField(null=True, blank=True)
    employee_seen_at = models.DateTimeField("gelezen door werknemer", null=True, blank=True)
    employee_remark = models.TextField("reactie werknemer", blank=True)
    released_at = models.DateTimeField("vrijgegeven aan werkgever", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "voortgangsrapportage"
        verbose_name_plural = "voortgangsrapportages"
        ordering = ["-period_end", "-pk"]
        constraints = [
            # RI-5: never released before the employee has seen it.
            models.CheckConstraint(
                condition=Q(released_at__isnull=True) | Q(employee_seen_at__isnull=False),
                name="report_released_only_after_employee_saw_it",
            ),
        ]

    def __str__(self):
        return f"Voortgangsrapportage {self.pk}"


class Factuur(models.Model):
    """RI-6: generic trajectory description, client number instead of the name on request,
    marked confidential when shown or printed."""

    trajectory = models.ForeignKey(Trajectory, on_delete=models.CASCADE, related_name="invoices")
    number = models.CharField("factuurnummer", max_length=32, unique=True)
    date = models.DateField("factuurdatum")
    amount = models.DecimalField(
        "bedrag (EUR)", max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    hours = models.DecimalField("uren", max_digits=6, decimal_places=1, default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "factuur"
        verbose_name_plural = "facturen"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Factuur {self.number}"
