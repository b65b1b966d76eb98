"""Forms for trajectories at re-integration companies (RI-5..10). They parse input; the actions
check it (which company, which consultant, which data, the ZM-3 guard on report text), so the
API cannot bypass anything. Errors the actions raise are put back at the field by the views."""

from django import forms
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind, Role
from core.limits import limited
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE
from reintegratie import policies
from reintegratie.actions.rapportages import PERIOD_IN_FUTURE
from reintegratie.models import Attendance, Category, DataItem

from ._common import DATE_WIDGET

# The kinds of medisch TrajectNotitie (RI-5, RI-6); the medical module checks them again.
DOCTOR_NOTE_KINDS = [
    ("voorstel", "gedetailleerd trajectvoorstel"),
    ("rapport", "uitgebreide rapportage"),
]


class ConsultantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation.name} — {obj.full_name}"


def _companies():
    return Organisation.objects.filter(kind=OrganisationKind.REINTEGRATIEBEDRIJF).order_by("name")


def _consultants():
    return (
        User.objects.filter(
            role=Role.CONSULTANT,
            is_active=True,
            organisation__kind=OrganisationKind.REINTEGRATIEBEDRIJF,
        )
        .select_related("organisation")
        .order_by("organisation__name", "full_name", "pk")
    )


@limited
class TrajectoryForm(forms.Form):
    """RI-10: the aanmelding — company, handling consultant, generic category (RI-6) and exactly
    which data the trajectory needs."""

    provider = forms.ModelChoiceField(
        label="Re-integratiebedrijf",
        queryset=Organisation.objects.none(),
        empty_label="— kies een re-integratiebedrijf —",
    )
    consultant = ConsultantChoiceField(
        label="Behandelend consultant",
        queryset=User.objects.none(),
        empty_label="— kies een consultant —",
        help_text="Alleen deze consultant (en wie hij of zij aanwijst als vervanger of "
        "administratief medewerker) kan het traject openen.",
    )
    category = forms.ChoiceField(
        label="Soort traject",
        choices=Category.choices,
        widget=forms.RadioSelect,
        help_text="Een algemene omschrijving; de behandeling of het specialisme staat hier niet.",
    )
    data_items = forms.MultipleChoiceField(
        label="Welke gegevens krijgt het re-integratiebedrijf?",
        choices=DataItem.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Kies alleen wat het traject nodig heeft. De werknemer ziet vooraf precies "
        "deze lijst.",
        error_messages={"required": "Kies welke gegevens het traject nodig heeft."},
    )
    start_on = forms.DateField(label="Start", widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _companies()
        self.fields["consultant"].queryset = _consultants()


@limited
class SubcontractForm(TrajectoryForm):
    """RI-7: no more data than the company received itself, and another company."""

    def __init__(self, *args, parent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = _companies().exclude(pk=parent.provider_id)
        self.fields["consultant"].queryset = _consultants().exclude(
            organisation_id=parent.provider_id
        )
        allowed = set(parent.data_items)
        self.fields["data_items"].choices = [
            (value, label) for value, label in DataItem.choices if value in allowed
        ]
        self.fields["data_items"].help_text = (
            "U kunt niet meer doorgeven dan uw eigen bedrijf heeft gekregen. De werknemer ziet "
            "vooraf precies deze lijst."
        )


@limited
class StaffForm(forms.Form):
    """RI-8: the handling consultant names the substitute and the administrative employee."""

    user = forms.ModelChoiceField(
        label="Medewerker",
        queryset=User.objects.none(),
        empty_label="— kies een medewerker —",
    )
    function = forms.ChoiceField(
        label="Functie op dit traject",
        choices=[
            (policies.VERVANGER, "vervanger"),
            (policies.ADMINISTRATIEF, "administratief medewerker (facturatie)"),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, trajectory, exclude_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        rows = User.objects.filter(
            role=Role.CONSULTANT, is_active=True, organisation_id=trajectory.provider_id
        ).order_by("full_name", "pk")
        if exclude_user is not None:
            rows = rows.exclude(pk=exclude_user.pk)
        self.fields["user"].queryset = rows
        self.fields["user"].label_from_instance = lambda u: u.full_name


def _yes(value) -> bool:
    return value == "ja"


@limited
class ReportForm(forms.Form):
    """RI-5: progress and cooperation only. The free text is checked by the ZM-3 guard in the
    action; the notice says so at every field."""

    period_end = forms.DateField(label="Rapportage tot en met", widget=DATE_WIDGET)
    attendance = forms.ChoiceField(
        label="Aanwezigheid", choices=Attendance.choices, widget=forms.RadioSelect
    )
    cooperating = forms.TypedChoiceField(
        label="Werkt de werknemer mee?",
        choices=[("ja", "ja"), ("nee", "nee")],
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )
    cooperation_explanation = forms.CharField(
        label="Toelichting op de medewerking",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Verplicht als de werknemer niet meewerkt. " + NO_MEDICAL_DATA_NOTICE,
    )
    progress = forms.CharField(
        label="Voortgang",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=NO_MEDICAL_DATA_NOTICE,
    )
    next_steps = forms.CharField(
        label="Volgende stappen",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_MEDICAL_DATA_NOTICE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers no day after today; the server refuses one all the same.
        self.fields["period_end"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_period_end(self):
        """RI-5: not after today (the action checks it again for every other caller)."""
        period_end = self.cleaned_data["period_end"]
        if period_end > timezone.localdate():
            raise forms.ValidationError(PERIOD_IN_FUTURE)
        return period_end


@limited
class DoctorNoteForm(forms.Form):
    """RI-5, RI-6: the detailed proposal or fuller report — for the bedrijfsarts only."""

    kind = forms.ChoiceField(label="Soort", choices=DOCTOR_NOTE_KINDS, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Inhoud",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Alleen de bedrijfsarts leest dit. Na het versturen staat het in het medisch "
        "dossier en kunt u het hier niet meer inzien.",
    )


@limited
class InvoiceForm(forms.Form):
    date = forms.DateField(label="Factuurdatum", widget=DATE_WIDGET)
    amount = forms.DecimalField(label="Bedrag (EUR)", max_digits=10, decimal_places=2, min_value=0)
    hours = forms.DecimalField(label="Uren", max_digits=6, decimal_places=1, min_value=0, initial=0)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("date", timezone.localdate())
        super().__init__(*args, **kwargs)


@limited
class MachtigingForm(forms.Form):
    """RI-9, AV-2: specific — which data, at which party, for what, for which period."""

    party = forms.CharField(
        label="Bij wie worden de gegevens opgevraagd?",
        max_length=200,
        help_text="Bijvoorbeeld de huisarts of de behandelend specialist, met naam.",
    )
    data_description = forms.CharField(
        label="Welke gegevens?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    purpose = forms.CharField(
        label="Waarvoor zijn ze nodig?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    valid_from = forms.DateField(label="Geldig vanaf", widget=DATE_WIDGET)
    valid_until = forms.DateField(
        label="Geldig tot en met", widget=DATE_WIDGET, help_text="Hoogstens een jaar."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, **kwargs)
