"""Plan van aanpak (RI-3, RI-1): the plan of a case with its versions, activities and
evaluations, and the employee's response to a version."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from verzuim.models import Werknemer

from ._fields import keep_until_field


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

    keep_until = keep_until_field()

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
    EINDEVALUATIE = "eindevaluatie", "eindevaluatie (week 91)"


class SpoorKeuze(models.TextChoices):
    SPOOR_1 = "spoor_1", "spoor 1 (werk bij de eigen werkgever)"
    SPOOR_2 = "spoor_2", "spoor 2 (werk bij een andere werkgever)"
    BEIDE = "beide", "spoor 1 en spoor 2"


class Evaluatie(models.Model):
    """An evaluation of the plan (RI-1): feeds the Poortwachter deadlines.

    The eerstejaarsevaluatie and the eindevaluatie record besides the outcome what UWV asks of
    them (UWV, "Eerstejaarsevaluatie" and "Eindevaluatie" in the re-integratieverslag, RI-12):
    what was done, the result, spoor 1 / spoor 2 and why, and whether an arbeidsdeskundig
    onderzoek was done (and when)."""

    plan = models.ForeignKey(PlanVanAanpak, on_delete=models.CASCADE, related_name="evaluaties")
    kind = models.CharField("soort", max_length=16, choices=EvaluatieKind.choices)
    date = models.DateField("datum")
    outcome = models.TextField("uitkomst en vervolgafspraken")
    plan_adjusted = models.BooleanField("plan van aanpak bijgesteld", default=False)
    activities_done = models.TextField("wat is er gedaan", blank=True)
    result = models.TextField("resultaat", blank=True)
    spoor = models.CharField("spoor", max_length=16, choices=SpoorKeuze.choices, blank=True)
    spoor_reason = models.TextField("waarom dit spoor", blank=True)
    ad_onderzoek = models.BooleanField("arbeidsdeskundig onderzoek gedaan", default=False)
    ad_onderzoek_on = models.DateField("datum arbeidsdeskundig onderzoek", null=True, blank=True)
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
