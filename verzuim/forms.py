"""Employer-side forms. Only ZM-1 items exist here (ZM-2); the one free-text field carries the
medical-term guard and its notice (ZM-3)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.errors import Conflict
from accounts.viewhelpers import apply_errors
from core.limits import limited
from core.validators import LOONHEFFINGENNUMMER_HELP
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE, validate_no_medical_terms

from .actions.noodinformatie import NOODINFORMATIE_CONSENT_TEXT
from .models import (
    WERKNEMER_DATA_FIELDS,
    ZIEKMELDING_ZM1_FIELDS,
    ExtensionKind,
    HerstelKind,
    Werknemer,
    Ziekmelding,
)

CONFLICT_MESSAGE = (
    "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw; uw invoer staat hieronder "
    "nog."
)

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


@limited
class WerknemerForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Werknemer
        fields = WERKNEMER_DATA_FIELDS
        widgets = {
            "date_of_birth": DATE_WIDGET,
            "employment_start": DATE_WIDGET,
            "employment_end": DATE_WIDGET,
        }


@limited
class ZiekmeldingForm(forms.ModelForm):
    werknemer = forms.ModelChoiceField(
        queryset=Werknemer.objects.none(), label="Werknemer", empty_label="— kies een werknemer —"
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Ziekmelding
        fields = ZIEKMELDING_ZM1_FIELDS
        widgets = {
            "first_day": DATE_WIDGET,
            "lopende_afspraken": forms.Textarea(attrs={"rows": 4}),
            "expected_duration": forms.RadioSelect,
        }

    def __init__(self, *args, werknemers=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["lopende_afspraken"]
        field.validators.append(validate_no_medical_terms)
        field.help_text = NO_MEDICAL_DATA_NOTICE
        if not editing:
            self.order_fields(["werknemer", *ZIEKMELDING_ZM1_FIELDS])
        if editing:
            del self.fields["werknemer"]
            del self.fields["first_day"]
        else:
            self.fields["werknemer"].queryset = werknemers
            del self.fields["version"]


@limited
class HerstelForm(forms.Form):
    kind = forms.ChoiceField(
        label="Soort herstel",
        choices=HerstelKind.choices,
        widget=forms.RadioSelect,
        initial=HerstelKind.VOLLEDIG,
    )
    date = forms.DateField(label="Hersteld per", widget=DATE_WIDGET)
    absence_percentage = forms.IntegerField(
        label="Verzuimpercentage vanaf die datum",
        required=False,
        min_value=1,
        max_value=99,
        help_text="Alleen bij gedeeltelijk herstel: voor hoeveel procent verzuimt de werknemer "
        "nog?",
    )


@limited
class StepCompletionForm(forms.Form):
    """RI-1: marking a Poortwachter step done - the date it was done, what proves it, and a
    confirmation. The action checks it all again (verzuim.actions.termijnen.complete_step)."""

    completed_on = forms.DateField(label="Uitgevoerd op", widget=DATE_WIDGET)
    proof = forms.CharField(
        label="Bewijs",
        max_length=200,
        help_text="Bijvoorbeeld het kenmerk van UWV of het document in het dossier. "
        + NO_MEDICAL_DATA_NOTICE,
    )
    confirmed = forms.BooleanField(
        label="Ik bevestig dat deze stap op die datum is uitgevoerd.", required=True
    )


@limited
class UndoCompletionForm(forms.Form):
    reason = forms.CharField(
        label="Reden",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Waarom klopt de afronding niet? " + NO_MEDICAL_DATA_NOTICE,
    )


@limited
class VerlofForm(forms.Form):
    """ZM-5: pregnancy and birth leave (Wazo) - dates only."""

    start = forms.DateField(label="Eerste verlofdag", widget=DATE_WIDGET)
    end = forms.DateField(label="Laatste verlofdag", widget=DATE_WIDGET)


@limited
class VerlengingForm(forms.Form):
    """RI-1: a loonsanctie or a voluntary extension of the wage payment, with its dates."""

    kind = forms.ChoiceField(label="Soort", choices=ExtensionKind.choices, widget=forms.RadioSelect)
    decided_on = forms.DateField(label="Besloten of afgesproken op", widget=DATE_WIDGET)
    start = forms.DateField(label="Ingangsdatum", widget=DATE_WIDGET)
    end = forms.DateField(label="Loondoorbetaling tot en met", widget=DATE_WIDGET)
    reference = forms.CharField(label="Kenmerk (beschikking of afspraak)", max_length=100)


@limited
class CsvImportForm(forms.Form):
    file = forms.FileField(
        label="CSV-bestand",
        help_text=(
            "Het personeelsbestand uit het HR- of salarissysteem. Kolommen (Nederlands of Engels, "
            "hoofdletters maken niet uit): personeelsnummer, voornaam, achternaam, geboortedatum, "
            "in_dienst (verplicht) en uit_dienst, afdeling, email, telefoon, adres, postcode, "
            "woonplaats. Gescheiden door ; of , — UTF-8 of Windows-1252 — datums als dd-mm-jjjj "
            "of jjjj-mm-dd. U ziet eerst wat er verandert; er gebeurt niets tot u dat toepast."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.HR_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"Het bestand is groter dan {limit // (1024 * 1024)} MB.")
        return upload


class SyncApplyForm(forms.Form):
    """Applying a staff-list preview (verzuim/hr_sync.py): what to do with the employees missing
    from the file, and the confirmation the mass-change guard asks for."""

    END = "uit_dienst"
    KEEP = "laten"
    missing_action = forms.ChoiceField(
        label="Werknemers die niet in het bestand staan",
        choices=[
            (END, "Uit dienst melden per de datum hieronder"),
            (KEEP, "Laten staan (niets wijzigen)"),
        ],
        widget=forms.RadioSelect,
        required=False,
    )
    end_date = forms.DateField(label="Uit dienst per", widget=DATE_WIDGET, required=False)
    confirm = forms.BooleanField(
        label="Ik heb de omvang van deze wijziging gecontroleerd en wil hem toepassen",
        required=False,
    )

    def __init__(self, *args, has_missing: bool, needs_confirm: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_missing = has_missing
        if not has_missing:
            del self.fields["missing_action"]
            del self.fields["end_date"]
        else:
            self.fields["end_date"].initial = timezone.localdate()
        if not needs_confirm:
            del self.fields["confirm"]

    def clean(self):
        data = super().clean()
        if self.has_missing:
            action = data.get("missing_action")
            if not action:
                self.add_error("missing_action", "Kies wat er met deze werknemers gebeurt.")
            elif action == self.END and not data.get("end_date"):
                self.add_error("end_date", "Geef de datum waarop zij uit dienst gaan.")
        return data

    @property
    def end_missing_on(self):
        if self.has_missing and self.cleaned_data.get("missing_action") == self.END:
            return self.cleaned_data["end_date"]
        return None


@limited
class EndEmploymentForm(forms.Form):
    end_date = forms.DateField(label="Uit dienst per", widget=DATE_WIDGET)


@limited
class NoodinformatieForm(forms.Form):
    text = forms.CharField(
        label="Wat moeten collega's in een noodgeval weten?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Bijvoorbeeld wat collega's moeten doen als u onwel wordt. U bepaalt zelf wat "
        "hier staat.",
    )
    confirm = forms.BooleanField(
        label=NOODINFORMATIE_CONSENT_TEXT,
        required=True,
        error_messages={"required": "Bevestig dat u deze informatie zelf wilt delen."},
    )


@limited
class OverviewFilterForm(forms.Form):
    STATUS = [("open", "Open"), ("closed", "Hersteld"), ("all", "Alle")]
    DEADLINE = [("", "Alle"), ("overdue", "Termijn verlopen"), ("due_soon", "Binnen 14 dagen")]
    status = forms.ChoiceField(label="Status", choices=STATUS, required=False, initial="open")
    department = forms.ChoiceField(label="Afdeling", required=False)
    deadline = forms.ChoiceField(label="Termijn", choices=DEADLINE, required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "Alle")] + [(d, d) for d in departments]


def submit(form, action, **kwargs):
    """Run `action(**kwargs)` for a valid `form`: its result, or None when the action refused
    with a ValidationError (shown at the form's fields) or a Conflict (a stale version, shown at
    the top with CONFLICT_MESSAGE) — the form then comes back with what was typed."""
    try:
        return action(**kwargs)
    except Conflict:
        form.add_error(None, CONFLICT_MESSAGE)
    except ValidationError as error:
        apply_errors(form, error)
    return None


@limited
class KeuringRequestForm(forms.Form):
    """MD-7: no health or absence-history questions — only the job and its requirements."""

    candidate_email = forms.EmailField(
        label="E-mailadres van de kandidaat",
        help_text="De kandidaat heeft een account bij uw organisatie nodig (de arbodienst maakt "
        "dat aan).",
    )
    function = forms.CharField(label="Functie", max_length=200)
    justification = forms.CharField(
        label="Bijzondere medische eisen van de functie",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Waarom stelt deze functie bijzondere eisen aan de medische geschiktheid? "
        "Zonder zulke eisen is een aanstellingskeuring niet toegestaan.",
    )
    aspects = forms.CharField(
        label="Te onderzoeken aspecten",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Alleen de aspecten die uit deze eisen volgen; de bedrijfsarts onderzoekt "
        "niets anders.",
    )


@limited
class UwvFactsForm(forms.Form):
    """RI-11: the facts a report to UWV lacks, asked at the field. Only the fields the report
    misses are kept (`asked`); verzuim.actions.uwv.save_facts validates and stores them."""

    loonheffingennummer = forms.CharField(
        label="Loonheffingennummer van de werkgever",
        max_length=20,
        required=False,
        help_text=LOONHEFFINGENNUMMER_HELP,
    )
    bsn = forms.CharField(
        label="Burgerservicenummer (BSN) van de werknemer",
        max_length=11,
        required=False,
        help_text="Negen cijfers. Wordt versleuteld bewaard en alleen op de meldingen aan UWV "
        "voluit getoond.",
    )
    vangnet = forms.BooleanField(
        label="Ja, de werknemer valt onder een vangnetbepaling van de Ziektewet",
        required=False,
        help_text="Alleen ja of nee; nooit welke bepaling.",
    )
    employment_end = forms.DateField(
        label="Laatste dag van het dienstverband", widget=DATE_WIDGET, required=False
    )
    recovered_on = forms.DateField(
        label="Volledig hersteld per", widget=DATE_WIDGET, required=False
    )

    def __init__(self, *args, asked=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Each may be given on its own (what HR knows now); the action asks for at least one.
        for name in list(self.fields):
            if name not in asked:
                del self.fields[name]


@limited
class UwvSubmissionForm(forms.Form):
    """RI-11: when the report was made to UWV and UWV's reference; the action checks the date (not
    after today, not before the case) and completes the Poortwachter step."""

    completed_on = forms.DateField(label="Ingediend bij UWV op", widget=DATE_WIDGET)
    proof = forms.CharField(
        label="Kenmerk van UWV",
        max_length=200,
        help_text="Het kenmerk of meldingsnummer dat UWV bij de melding gaf. "
        + NO_MEDICAL_DATA_NOTICE,
    )


class SyncTokenForm(forms.Form):
    """Issue a token for the HR system (issue 23): a name to recognise it by."""

    label = forms.CharField(
        label="Naam van de koppeling",
        max_length=100,
        help_text="Bijvoorbeeld de naam van het HR- of salarissysteem.",
    )
