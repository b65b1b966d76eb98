"""Forms for the re-integratiedossier (RI-4): every free-text field of a correspondence item
(with whom, subject, summary) says that medical data may not be entered and the summary checks
it early (ZM-3); the action checks all three."""

from django import forms
from django.utils import timezone

from core.limits import limited
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE, GuardedTextField
from reintegratie.models import Direction

from ._common import DATE_WIDGET


@limited
class CorrespondentieForm(forms.Form):
    date = forms.DateField(label="Datum", widget=DATE_WIDGET, initial=timezone.localdate)
    direction = forms.ChoiceField(label="Soort", choices=Direction.choices)
    party = forms.CharField(label="Met wie", max_length=200, help_text=NO_MEDICAL_DATA_NOTICE)
    subject = forms.CharField(label="Onderwerp", max_length=200, help_text=NO_MEDICAL_DATA_NOTICE)
    summary = GuardedTextField(label="Samenvatting", required=False)
