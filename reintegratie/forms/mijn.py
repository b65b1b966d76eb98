"""Forms of the employee's own re-integration page (RI-3, RI-5, AV-2).

The employee's remarks are read by the employer (on the plan) or go with the report to the
employer (RI-5), so they carry the medical-term guard and say so plainly (ZM-3); the actions
check them again. Every form gets a per-object `auto_id`, so several forms on one page keep
unique ids while posting plain field names.
"""

from django import forms

from core import limits
from core.limits import limited
from privacy.medical_guard import GuardedTextField
from reintegratie.models import EmployeeResponse

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


def _remark_field(label):
    """The employee's remark, which the employer reads: guarded (ZM-3) and saying so."""
    return GuardedTextField(
        label=label,
        required=False,
        max_length=limits.BY_NAME["remark"],
        help_text=EMPLOYEE_TEXT_NOTICE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@limited
class _PerObjectForm(forms.Form):
    """A form shown once per object on one page: ids `<prefix><pk>_<field>`, names plain."""

    id_prefix = ""

    def __init__(self, *args, pk=None, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}{pk}_%s" if pk else "id_%s")
        super().__init__(*args, **kwargs)


@limited
class PlanResponseForm(_PerObjectForm):
    """RI-3: agree with, or record disagreement with, the version shown (hidden field)."""

    id_prefix = "plan"
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    response = forms.ChoiceField(
        label="Uw reactie",
        choices=RESPONSE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of u akkoord gaat met het plan."},
    )
    remark = _remark_field("Opmerking (verplicht als u het niet eens bent)")

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


@limited
class ReportSeenForm(_PerObjectForm):
    """RI-5: the employee has read the report; an optional reaction goes with it."""

    id_prefix = "rapport"
    remark = _remark_field("Uw reactie op deze rapportage (niet verplicht)")


@limited
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
