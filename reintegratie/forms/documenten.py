"""Forms of the documents' own records (RI-12, DG-2): the BSN for the UWV documents (HR) and
the employee's zienswijze (guarded like ZM-3: the employer reads it)."""

from django import forms

from core.limits import limited
from privacy.medical_guard import GuardedTextField

from .mijn import EMPLOYEE_TEXT_NOTICE


@limited
class UwvBsnForm(forms.Form):
    bsn = forms.CharField(
        label="Burgerservicenummer",
        max_length=11,
        help_text="Alleen voor de documenten voor UWV (re-integratieverslag en meldingen). "
        "Het nummer wordt versleuteld bewaard en verder alleen gemaskeerd getoond.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


@limited
class ZienswijzeForm(forms.Form):
    text = GuardedTextField(
        label="Uw zienswijze",
        help_text=EMPLOYEE_TEXT_NOTICE,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
