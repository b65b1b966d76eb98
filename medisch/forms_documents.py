"""Forms for medical documents and correspondence (MD-1)."""

from django import forms

from . import uploads
from .forms import DATE_WIDGET
from .models_documents import Correspondence, DocumentKind


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


class CorrespondenceForm(forms.ModelForm):
    class Meta:
        model = Correspondence
        fields = ["direction", "date", "counterpart", "subject", "body", "consent_reference"]
        widgets = {
            "date": DATE_WIDGET,
            "counterpart": forms.TextInput,
            "subject": forms.TextInput,
            "body": forms.Textarea(attrs={"rows": 6}),
        }
