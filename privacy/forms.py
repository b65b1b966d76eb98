"""Forms of the data-breach register (AV-4)."""

from django import forms

from .models import Datalek

DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class DatalekForm(forms.ModelForm):
    class Meta:
        model = Datalek
        fields = [
            "title",
            "description",
            "discovered_at",
            "categories",
            "affected_count",
            "risk",
            "assessment",
            "measures",
            "ap_notified_at",
            "ap_reference",
            "persons_informed_at",
        ]
        widgets = {
            "discovered_at": DATETIME_WIDGET,
            "ap_notified_at": DATETIME_WIDGET,
            "persons_informed_at": DATETIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "assessment": forms.Textarea(attrs={"rows": 3}),
            "measures": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        discovered = data.get("discovered_at")
        for name in ("ap_notified_at", "persons_informed_at"):
            value = data.get(name)
            if value and discovered and value < discovered:
                self.add_error(name, "Deze datum ligt vóór de ontdekking.")
        if data.get("risk") == "hoog" and not data.get("measures"):
            self.add_error("measures", "Beschrijf de maatregelen bij een hoog risico.")
        return data
