from django import forms

from privacy.medical_guard import find_medical_terms

from .models import Advies, Consult

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class ConsultForm(forms.ModelForm):
    class Meta:
        model = Consult
        fields = ["date", "anamnesis", "findings", "diagnosis", "diagnosis_code", "policy"]
        widgets = {
            "date": DATE_WIDGET,
            **{
                f: forms.Textarea(attrs={"rows": 3})
                for f in ["anamnesis", "findings", "diagnosis", "policy"]
            },
            "diagnosis_code": forms.TextInput,
        }


ADVICE_TEXT_FIELDS = ["limitations", "capabilities", "adjustments"]


class AdviesForm(forms.ModelForm):
    """MD-5: before anything that looks like a diagnosis is released to the employer, the doctor
    is warned (the ZM-3 vocabulary) and must confirm."""

    release = forms.BooleanField(
        label="Direct vrijgeven aan werkgever en werknemer", required=False, initial=True
    )
    confirm_terms = forms.BooleanField(
        label="Ik heb de gemarkeerde woorden gecontroleerd: dit advies bevat geen diagnose, "
        "klachten of behandeling.",
        required=False,
    )

    class Meta:
        model = Advies
        fields = [
            "date",
            "limitations",
            "capabilities",
            "expected_duration",
            "incapacity_percentage",
            "adjustments",
        ]
        widgets = {
            "date": DATE_WIDGET,
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ADVICE_TEXT_FIELDS},
        }

    def clean(self):
        data = super().clean()
        flagged = []
        for field in ADVICE_TEXT_FIELDS:
            flagged += find_medical_terms(data.get(field) or "")
        self.flagged_terms = sorted(set(flagged))
        if self.flagged_terms and data.get("release") and not data.get("confirm_terms"):
            words = ", ".join(f'"{w}"' for w in self.flagged_terms)
            raise forms.ValidationError(
                f"Dit advies gaat naar de werkgever en bevat woorden die op medische gegevens "
                f"lijken: {words}. Pas het aan of bevestig dat het geen diagnose, klachten of "
                f"behandeling bevat."
            )
        return data


class DelegationForm(forms.Form):
    delegate = forms.ModelChoiceField(label="Casemanager", queryset=None, empty_label="— kies —")
    parts = forms.MultipleChoiceField(
        label="Onderdelen",
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("consults", "consulten"),
            ("adviezen", "adviezen aan de werkgever"),
            ("documenten", "documenten"),
            ("correspondentie", "correspondentie met behandelaars"),
        ],
    )
    valid_from = forms.DateField(label="Geldig vanaf", widget=DATE_WIDGET)
    valid_until = forms.DateField(label="Geldig tot en met", widget=DATE_WIDGET)

    def __init__(self, *args, casemanagers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegate"].queryset = casemanagers

    def clean(self):
        data = super().clean()
        if (
            data.get("valid_from")
            and data.get("valid_until")
            and data["valid_until"] < data["valid_from"]
        ):
            self.add_error("valid_until", "De einddatum ligt vóór de begindatum.")
        return data
