"""Forms of signing (RI-12) and of verifying a signature.

The remark goes with the signature onto the document the employer keeps and UWV reads: guarded
(ZM-3) and saying so. Signing never depends on agreeing: "niet akkoord" is recorded like
"akkoord" (RI-12: disagreement is recorded, not blocked)."""

from django import forms

from core import limits
from core.limits import limited
from privacy.medical_guard import GuardedTextField

REMARK_NOTICE = (
    "Werkgever en werknemer lezen wat u hier schrijft, en UWV bij de WIA-aanvraag. Schrijf daarom "
    "geen medische gegevens op (zoals diagnose, klachten, behandeling of medicatie)."
)
AGREE = "akkoord"
DISAGREE = "niet_akkoord"
# A PDF to verify: big enough for a whole re-integratieverslag, small enough to read in a request.
VERIFY_PDF_MAX_BYTES = 20 * 1024 * 1024


@limited
class SignForm(forms.Form):
    content_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)
    decision = forms.ChoiceField(
        label="Uw oordeel over dit document",
        choices=[
            (AGREE, "Akkoord: ik onderteken dit document voor gezien en akkoord"),
            (DISAGREE, "Niet akkoord: ik onderteken voor gezien, maar ben het er niet mee eens"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Kies of u akkoord gaat."},
    )
    remark = GuardedTextField(
        label="Toelichting (niet verplicht)",
        required=False,
        max_length=limits.SHORT_TEXT,
        help_text=REMARK_NOTICE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @property
    def agrees(self) -> bool:
        return self.cleaned_data["decision"] == AGREE


@limited
class VerifyForm(forms.Form):
    code = forms.CharField(
        label="Controlecode",
        required=False,
        max_length=32,
        help_text="16 tekens, zoals ABCD-EFGH-JKLM-NPQR; streepjes en spaties mogen.",
    )
    pdf = forms.FileField(
        label="Of: het PDF-document",
        required=False,
        help_text="De controlecodes in het document worden gelezen en gecontroleerd.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_pdf(self):
        pdf = self.cleaned_data.get("pdf")
        if pdf and pdf.size > VERIFY_PDF_MAX_BYTES:
            raise forms.ValidationError("Dit bestand is te groot (hoogstens 20 MB).")
        return pdf

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("code") and not cleaned.get("pdf"):
            raise forms.ValidationError("Vul een controlecode in of kies een PDF-document.")
        return cleaned
