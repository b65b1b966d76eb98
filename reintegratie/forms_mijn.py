"""Forms of the employee's own re-integration page (RI-3, RI-5, AV-2).

The employee's remarks are read by the employer (on the plan) or go with the report to the
employer (RI-5), so they carry the medical-term guard and say so plainly (ZM-3); the actions
check them again. Every form gets a per-object `auto_id`, so several forms on one page keep
unique ids while posting plain field names.
"""

from django import forms

from privacy.medical_guard import GuardedTextField

from .models import EmployeeResponse

EMPLOYEE_TEXT_NOTICE = (
    "Uw werkgever leest wat u hier schrijft. Schrijf daarom geen medische gegevens op (zoals "
    "diagnose, klachten, behandeling of medicatie); die bespreekt u alleen met de bedrijfsarts."
)

RESPONSE_CHOICES = [
    (EmployeeResponse.AGREED.value, "Ik ga akkoord met deze versie van het plan"),
    (
        EmployeeResponse.DISAGREED.value,
        "Ik ben het niet (helemaal) eens met deze versie van het plan",
    ),
]

REMARK_REQUIRED = "Schrijf kort waarmee u het niet eens bent."


class PlanResponseForm(forms.Form):
    """RI-3: agree with, or record disagreement with, the version shown (hidden field)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    response = forms.ChoiceField(
        label="Uw reactie",
        choices=RESPONSE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of u akkoord gaat met het plan."},
    )
    remark = GuardedTextField(
        label="Opmerking (verplicht als u het niet eens bent)",
        required=False,
        max_length=2000,
        help_text=EMPLOYEE_TEXT_NOTICE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, plan_pk=None, **kwargs):
        kwargs.setdefault("auto_id", f"plan{plan_pk}_%s" if plan_pk else "id_%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("response") == EmployeeResponse.DISAGREED
            and not (cleaned.get("remark") or "").strip()
            and "remark" not in self.errors
        ):
            self.add_error("remark", REMARK_REQUIRED)
        return cleaned

    @property
    def agrees(self) -> bool:
        return self.cleaned_data["response"] == EmployeeResponse.AGREED


class ReportSeenForm(forms.Form):
    """RI-5: the employee has read the report; an optional reaction goes with it."""

    remark = GuardedTextField(
        label="Uw reactie op deze rapportage (niet verplicht)",
        required=False,
        max_length=2000,
        help_text=EMPLOYEE_TEXT_NOTICE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, report_pk=None, **kwargs):
        kwargs.setdefault("auto_id", f"rapport{report_pk}_%s" if report_pk else "id_%s")
        super().__init__(*args, **kwargs)


class MachtigingDecisionForm(forms.Form):
    """AV-2: the employee gives or refuses; the two buttons post `decision`."""

    GEVEN = "geven"
    WEIGEREN = "weigeren"

    decision = forms.ChoiceField(
        label="Uw besluit",
        choices=[(GEVEN, "Toestemming geven"), (WEIGEREN, "Toestemming weigeren")],
    )

    @property
    def gives(self) -> bool:
        return self.cleaned_data["decision"] == self.GEVEN
