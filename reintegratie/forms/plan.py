"""Forms for the plan van aanpak, its activities and evaluations (RI-3, RI-1). Every free-text
field the employer writes carries the medical-term guard and its notice (ZM-3); the actions check
it again, so the API cannot bypass it."""

from django import forms
from django.utils import timezone

from core.limits import limited
from privacy.medical_guard import GuardedTextField
from reintegratie.models import EvaluatieKind, Owner, Spoor, SpoorKeuze

from ._common import DATE_WIDGET


@limited
class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    drawn_up_on = forms.DateField(label="Opgesteld op", widget=DATE_WIDGET)
    casemanager = forms.CharField(
        label="Casemanager",
        max_length=200,
        help_text="Wie de re-integratie coördineert (verplicht volgens de Poortwachter).",
    )
    spoor = forms.ChoiceField(label="Doel", choices=Spoor.choices, widget=forms.RadioSelect)
    goals = GuardedTextField(label="Doelen en afspraken")
    advies_ref = forms.TypedChoiceField(
        label="Beperkingen en mogelijkheden volgens het advies van de bedrijfsarts",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Het plan verwijst naar het advies; u typt de beperkingen niet over.",
    )

    def __init__(self, *args, adviezen=(), labels=None, **kwargs):
        """`labels`: {advice id: label} from medisch.public.advice_labels — distinct per advice
        (kind, date, release time, number), never its content."""
        super().__init__(*args, **kwargs)
        labels = labels or {}
        self.fields["advies_ref"].choices = [("", "— nog geen advies gekozen —")] + [
            (a.id, labels.get(a.id) or f"Advies van {a.date:%d-%m-%Y} (nr. {a.id})")
            for a in adviezen
        ]


@limited
class ActivityForm(forms.Form):
    description = GuardedTextField(label="Activiteit", widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.ChoiceField(label="Wie voert haar uit", choices=Owner.choices)
    due_on = forms.DateField(label="Uiterlijk op", widget=DATE_WIDGET)


@limited
class EvaluatieForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort evaluatie", choices=EvaluatieKind.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label="Datum", widget=DATE_WIDGET, initial=timezone.localdate)
    outcome = GuardedTextField(label="Uitkomst en vervolgafspraken")
    plan_adjusted = forms.BooleanField(label="Het plan van aanpak is bijgesteld", required=False)
    # RI-12: what the eerstejaars- and eindevaluatie record for UWV (asked for those kinds).
    activities_done = GuardedTextField(
        label="Wat is er gedaan (eerstejaars- en eindevaluatie)", required=False
    )
    result = GuardedTextField(label="Resultaat (eerstejaars- en eindevaluatie)", required=False)
    spoor = forms.ChoiceField(
        label="Spoor",
        choices=[("", "n.v.t.")] + list(SpoorKeuze.choices),
        required=False,
    )
    spoor_reason = GuardedTextField(label="Waarom dit spoor", required=False)
    ad_onderzoek = forms.BooleanField(
        label="Er is een arbeidsdeskundig onderzoek gedaan", required=False
    )
    ad_onderzoek_on = forms.DateField(
        label="Datum arbeidsdeskundig onderzoek", widget=DATE_WIDGET, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") in (EvaluatieKind.EERSTEJAARS, EvaluatieKind.EINDEVALUATIE):
            for name in ("activities_done", "result", "spoor", "spoor_reason"):
                if not data.get(name):
                    self.add_error(name, "Vul dit in voor de eerstejaars- of eindevaluatie.")
        return data
