"""Forms for the re-integratiedossier (RI-4): the summary of correspondence carries the
medical-term guard (ZM-3); the action checks it again."""

from django import forms
from django.utils import timezone

from privacy.medical_guard import GuardedTextField
from reintegratie.models import Direction

from ._common import DATE_WIDGET


class CorrespondentieForm(forms.Form):
    date = forms.DateField(label="Datum", widget=DATE_WIDGET, initial=timezone.localdate)
    direction = forms.ChoiceField(label="Soort", choices=Direction.choices)
    party = forms.CharField(label="Met wie", max_length=200)
    subject = forms.CharField(label="Onderwerp", max_length=200)
    summary = GuardedTextField(label="Samenvatting", required=False)
