"""Re-integration under the Wet verbetering poortwachter (RI-1, RI-3..10): the plan van aanpak
with its activities, versions, the employee's response and evaluations; the employer's
re-integratiedossier (correspondence) and -verslag; trajectories at re-integration companies with
their per-case staff, reports and invoices; machtigingen.

Nothing here is medical (MD-2): the plan refers to the doctor's released advice by its id and
shows it live through medisch/public.py (RI-3: limitations and capabilities by reference, never
retyped); a re-integration company's fuller report and detailed proposal for the doctor are stored
in the medical module (medisch.models.reintegratie.TrajectNotitie). Every free-text field the
employer side reads is guarded like ZM-3.
"""

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from verzuim.models import Werknemer

# --- Plan van aanpak (RI-3) -----------------------------------------------------------------------


class Spoor(models.TextChoices):
    EIGEN_WERK = "eigen_werk", "terug naar het eigen werk"
    AANGEPAST_WERK = "aangepast_werk", "eigen werk, aangepast"
    ANDER_WERK = "ander_werk", "ander werk bij de eigen werkgever (spoor 1)"
    TWEEDE_SPOOR = "tweede_spoor", "werk bij een andere werkgever (spoor 2)"


class EmployeeResponse(models.TextChoices):
    PENDING = "open", "nog niet gereageerd"
    AGREED = "akkoord", "akkoord"
    DISAGREED = "niet_akkoord", "niet akkoord"


class PlanVanAanpak(models.Model):
    """One plan per case (samentelling, ZM-5). Drawn up by employer and employee together; the
    employee agrees or disagrees with a specific version (RI-3). Every save is a new version
    (PlanVersie) and stale saves are refused (optimistic locking)."""

    case_id = models.UUIDField("verzuimgeval", unique=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="plannen")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    drawn_up_on = models.DateField("opgesteld op")
    casemanager = models.CharField(
        "casemanager", max_length=200, help_text="Naam van de casemanager (verplicht, RI-1)."
    )
    spoor = models.CharField("doel", max_length=32, choices=Spoor.choices)
    goals = models.TextField("doelen en afspraken")
    # RI-3: the doctor's limitations and capabilities, by reference to the released advice.
    advies_ref = models.PositiveIntegerField("advies van de bedrijfsarts", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    employee_response = models.CharField(
        "reactie werknemer",
        max_length=16,
        choices=EmployeeResponse.choices,
        default=EmployeeResponse.PENDING,
    )
    employee_remark = models.TextField("opmerking werknemer", blank=True)
    employee_response_version = models.PositiveIntegerField(null=True, blank=True)
    employee_responded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "plan van aanpak"
        verbose_name_plural = "plannen van aanpak"
        indexes = [models.Index(fields=["organisation", "updated_at"])]

    def __str__(self):
        return f"Plan van aanpak {self.pk} (versie {self.version})"

    @property
    def response_is_current(self):
        return self.employee_response_version == self.version


class PlanVersie(models.Model):
    """Every saved version of a plan, as it stood (RI-3: every version is kept)."""

    plan = models.ForeignKey(PlanVanAanpak, on_delete=models.CASCADE, related_name="versies")
    number = models.PositiveIntegerField("versie")
    snapshot = models.JSONField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    summary = models.CharField("wat is gewijzigd", max_length=200)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planversie_unique")]

    def __str__(self):
        return f"Versie {self.number} van plan {self.plan_id}"


class Owner(models.TextChoices):
    WERKGEVER = "werkgever", "werkgever"
    WERKNEMER = "werknemer", "werknemer"
    SAMEN = "samen", "werkgever en werknemer"
    BEDRIJFSARTS = "bedrijfsarts", "bedrijfsarts"
    REINTEGRATIEBEDRIJF = "reintegratiebedrijf", "re-integratiebedrijf"


class Activiteit(models.Model):
    plan = models.ForeignKey(PlanVanAanpak, on_delete=models.CASCADE, related_name="activiteiten")
    description = models.TextField("activiteit")
    owner = models.CharField("wie", max_length=32, choices=Owner.choices)
    due_on = models.DateField("uiterlijk op")
    done_on = models.DateField("uitgevoerd op", null=True, blank=True)

    class Meta:
        verbose_name = "activiteit"
        verbose_name_plural = "activiteiten"
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"Activiteit {self.pk}"


class EvaluatieKind(models.TextChoices):
    PERIODIEK = "periodiek", "evaluatie plan van aanpak (ten minste elke 6 weken)"
    EERSTEJAARS = "eerstejaars", "eerstejaarsevaluatie"


class Evaluatie(models.Model):
    """An evaluation of the plan (RI-1): feeds the Poortwachter deadlines."""

    plan = models.ForeignKey(PlanVanAanpak, on_delete=models.CASCADE, related_name="evaluaties")
    kind = models.CharField("soort", max_length=16, choices=EvaluatieKind.choices)
    date = models.DateField("datum")
    outcome = models.TextField("uitkomst en vervolgafspraken")
    plan_adjusted = models.BooleanField("plan van aanpak bijgesteld", default=False)
    deadline_key = models.CharField(max_length=64, blank=True)
    deadline_occurrence = models.PositiveSmallIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "evaluatie"
        verbose_name_plural = "evaluaties"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Evaluatie {self.pk} ({self.date:%d-%m-%Y})"


# --- Re-integratiedossier and -verslag (RI-4) -----------------------------------------------------


class Direction(models.TextChoices):
    IN = "in", "ontvangen"
    UIT = "uit", "verstuurd"
    GESPREK = "gesprek", "gesprek"


class Correspondentie(models.Model):
    """The employer's correspondence and conversations in the re-integratiedossier (RI-4). No
    medical content: the summary is guarded (ZM-3)."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    date = models.DateField("datum")
    direction = models.CharField("soort", max_length=16, choices=Direction.choices)
    party = models.CharField("met wie", max_length=200)
    subject = models.CharField("onderwerp", max_length=200)
    summary = models.TextField("samenvatting", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "correspondentie"
        verbose_name_plural = "correspondentie"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"Correspondentie {self.pk}"


class Reintegratieverslag(models.Model):
    """The employer's part of the re-integratieverslag (RI-4), generated from the dossier as it
    stood. The employee receives a copy (given_to_employee_at); the doctor's medical part never
    passes here."""

    case_id = models.UUIDField("verzuimgeval", db_index=True)
    werknemer = models.ForeignKey(Werknemer, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField()
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    given_to_employee_at = models.DateTimeField("kopie aan werknemer", null=True, blank=True)

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = "re-integratieverslag (deel werkgever)"
        verbose_name_plural = "re-integratieverslagen (deel werkgever)"
        ordering = ["-generated_at", "-pk"]

    def __str__(self):
        return f"Re-integratieverslag {self.pk}"


# --- Trajectories at re-integration companies (RI-5..8, RI-10) ------------------------------------


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

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

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


# --- Machtigingen (RI-9, AV-2) --------------------------------------------------------------------


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

    # RT-6: the last day this record may be kept (retention/registry.py computes it).
    keep_until = models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )

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
