"""The medical module's forms (MD-1, MD-4, MD-5, MD-7, RI-2, RI-4), for the pages and the API
alike: the API validates its input with the same form as the page."""

from django import forms

from core.limits import limited
from privacy.medical_guard import find_medical_terms

from . import uploads
from .models import (
    ADVICE_FIELDS,
    Advies,
    AdviesKind,
    Consult,
    Correspondentie,
    DocumentKind,
    KeuringConclusion,
    VerslagMedischDeel,
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


@limited
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


@limited
class AdviesForm(forms.ModelForm):
    """MD-5: before anything that looks like a diagnosis is released to the employer, the doctor
    is warned (the ZM-3 vocabulary) and must confirm."""

    release = forms.BooleanField(
        label="Direct vrijgeven aan werkgever en werknemer",
        required=False,
        initial=True,
        help_text="Zonder vinkje blijft het advies een concept dat alleen u ziet; u kunt het "
        "later vrijgeven vanuit het medisch dossier.",
    )
    confirm_terms = forms.BooleanField(
        label="Ik heb de gemarkeerde woorden gecontroleerd: dit advies bevat geen diagnose, "
        "klachten of behandeling.",
        required=False,
    )

    class Meta:
        model = Advies
        fields = [*ADVICE_FIELDS, "kind"]
        widgets = {
            "date": DATE_WIDGET,
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ADVICE_TEXT_FIELDS},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:  # RI-1: an actueel oordeel completes the week-91 step
            self.fields["kind"].required = False
            self.fields["kind"].label = "Soort"

    def clean_kind(self):
        return self.cleaned_data.get("kind") or AdviesKind.ADVIES

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


class AdviesReleaseForm(forms.Form):
    """MD-5: releasing a concept advice later; the same confirmation of flagged words as at
    recording (the action checks it again)."""

    confirm_terms = forms.BooleanField(
        label="Ik heb de gemarkeerde woorden gecontroleerd: dit advies bevat geen diagnose, "
        "klachten of behandeling.",
        required=False,
    )

    def __init__(self, *args, flagged=(), **kwargs):
        super().__init__(*args, **kwargs)
        if not flagged:  # nothing to confirm: the button alone releases
            del self.fields["confirm_terms"]


@limited
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


# --- Documents and correspondence (MD-1) ---------------------------------------------------


@limited
class DocumentForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=300)
    kind = forms.ChoiceField(label="Soort", choices=DocumentKind.choices)
    uploaded_file = forms.FileField(
        label="Bestand",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = uploads.format_size(uploads.max_upload_bytes())
        self.fields["uploaded_file"].help_text = (
            f"{uploads.ALLOWED_TYPES_TEXT}, hoogstens {limit}. "
            "Het bestand wordt versleuteld opgeslagen; de bestandsnaam wordt niet bewaard."
        )

    def clean_uploaded_file(self):
        uploaded = self.cleaned_data.get("uploaded_file")
        uploads.check_upload(uploaded)  # by content and size; raises a Dutch ValidationError
        return uploaded


@limited
class CorrespondentieForm(forms.ModelForm):
    class Meta:
        model = Correspondentie
        fields = ["direction", "date", "counterpart", "subject", "body", "consent_reference"]
        widgets = {
            "date": DATE_WIDGET,
            "counterpart": forms.TextInput,
            "subject": forms.TextInput,
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        # The model's help text names the rule (RI-9); the doctor reads what it means.
        help_texts = {
            "consent_reference": "Bij een verzoek om gegevens aan huisarts of specialist: "
            "verwijzing naar de toestemming die de werknemer daarvoor specifiek gaf. Geen "
            "medische inhoud: dit veld is niet versleuteld."
        }


# --- The aanstellingskeuring, the doctor's record (MD-7) -------------------------------------


@limited
class KeuringRecordForm(forms.Form):
    findings = forms.CharField(
        label="Bevindingen",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Alleen over de aangevraagde aspecten. Alleen de kandidaat leest dit; de "
        "werkgever nooit.",
    )
    conclusion = forms.ChoiceField(
        label="Conclusie",
        choices=[("", "— kies —"), *KeuringConclusion.choices],
        help_text="De werkgever hoort alleen deze conclusie, en alleen als de kandidaat dat wil.",
    )


# --- The doctor's part of re-integration (RI-2, RI-4) ----------------------------------------


@limited
class ProbleemanalyseForm(AdviesForm):
    """RI-2: the medical part plus the employer part, which is exactly an advice (MD-5). The
    AdviesForm's check on medical words applies to the employer part only; the medical part is
    medical by design and never leaves the medical module."""

    medical_part = forms.CharField(
        label="Medisch deel: aard van de klachten, beperkingen en omstandigheden",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Blijft in het medisch dossier. De werkgever ziet dit nooit.",
    )

    field_order = ["date", "medical_part"]

    class Meta(AdviesForm.Meta):
        fields = list(ADVICE_FIELDS)


@limited
class VerslagMedischDeelForm(forms.ModelForm):
    """RI-4: the doctor's medical part of the re-integratieverslag, for the employee only."""

    deliver = forms.BooleanField(
        label="Direct aan de werknemer geven", required=False, initial=True
    )

    class Meta:
        model = VerslagMedischDeel
        fields = ["date", "text"]
        widgets = {"date": DATE_WIDGET, "text": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "text": "Gaat rechtstreeks naar de werknemer. De werkgever kan dit niet inzien.",
        }
