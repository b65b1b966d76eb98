"""What the re-integration forms share."""

from django import forms

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
