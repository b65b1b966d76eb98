"""Forms of the retention pages (RT-5, RT-6). A record is named by its category and number,
never by a person; the reason is required (RT-6: "a recorded legal hold or extension (with
reason)")."""

from django import forms

from core.limits import limited
from privacy.medical_guard import validate_no_medical_terms

from . import registry

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def category_choices():
    return [("", "— kies een categorie —")] + [
        (cat.key, f"{cat.label} ({cat.key})") for cat in registry.categories()
    ]


@limited
class _RecordForm(forms.Form):
    category = forms.ChoiceField(label="Categorie")
    object_id = forms.IntegerField(
        label="Recordnummer",
        min_value=1,
        help_text="Het nummer (ID) van het record in deze categorie, zoals het in het beheer "
        "staat.",
    )
    reason = forms.CharField(
        label="Reden",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_no_medical_terms],
        help_text="Verplicht. Noem geen medische gegevens en geen namen.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Geef een reden.")
        return reason


@limited
class LegalHoldForm(_RecordForm):
    until = forms.DateField(label="Tot en met", widget=DATE_WIDGET)


@limited
class ExtensionForm(_RecordForm):
    extended_until = forms.DateField(
        label="Bewaren tot en met",
        widget=DATE_WIDGET,
        # RT-5 (named in words in the text people read)
        help_text="Alleen voor dossiers van re-integratiebedrijven, tot ten hoogste 4 jaar "
        "na het einde van het traject, als terugkeer van dezelfde klachten waarschijnlijk is.",
    )

    field_order = ["category", "object_id", "extended_until", "reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = (
            "Verplicht, bijvoorbeeld: herhaling van het verzuim om dezelfde reden is "
            "waarschijnlijk. Noem geen medische gegevens en geen namen."
        )


@limited
class StartRunForm(forms.Form):
    """No fields: the POST with its CSRF token is the confirmation."""
