"""Forms of the doelgroep administration. Only the fields the law allows exist (DG-1..8): no
reason of registration, no benefit or sickness history, no ethnicity, no criminal record
(tests/doelgroep/test_schema.py reads these classes). The one free-text field an applicant has,
the reference, says that medical data may not be entered; the action refuses it (ZM-3)."""

from django import forms
from django.utils import timezone

from core.limits import limited
from privacy.medical_guard import NO_MEDICAL_DATA_NOTICE

from .models import CheckedVia, MaatregelKind

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
YES_NO = [("ja", "ja"), ("nee", "nee")]


def _yes(value):
    return value == "ja"


def yes_no_field(label):
    """A required "ja"/"nee" question as radio buttons, cleaned to True/False."""
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=_yes,
        widget=forms.RadioSelect,
        error_messages={"required": "Kies ja of nee."},
    )


@limited
class SignForm(forms.Form):
    confirm = forms.BooleanField(
        label="Ik heb de verklaring gelezen en onderteken haar",
        error_messages={"required": "Vink aan dat u de verklaring ondertekent."},
    )


@limited
class RegistercheckForm(forms.Form):
    in_register = yes_no_field("Opgenomen in het doelgroepregister?")
    checked_on = forms.DateField(
        label="Gecontroleerd op", widget=DATE_WIDGET, initial=timezone.localdate
    )
    checked_via = forms.ChoiceField(
        label="Gecontroleerd via", choices=CheckedVia.choices, widget=forms.RadioSelect
    )
    bsn = forms.CharField(
        label="Burgerservicenummer",
        required=False,
        max_length=12,
        help_text="Alleen bij controle via het BSN. Het nummer wordt versleuteld opgeslagen en "
        "daarna alleen gemaskeerd getoond.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


@limited
class KandidaatForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200)
    reference = forms.CharField(
        label="Vacature of kenmerk",
        max_length=100,
        required=False,
        help_text=NO_MEDICAL_DATA_NOTICE,
    )


@limited
class NoRiskPolisForm(forms.Form):
    asked_on = forms.DateField(label="Gevraagd op", widget=DATE_WIDGET, initial=timezone.localdate)
    applies = yes_no_field("Is de no-riskpolis van toepassing?")
    category_56_plus_ww = forms.BooleanField(
        label="56 jaar of ouder bij indiensttreding en direct daarvoor ten minste 52 weken WW",
        required=False,
        help_text="Alleen deze categorie wordt vastgelegd; vraag nooit naar eerdere ziekte of "
        "eerdere uitkeringen.",
    )
    wia_decision_on = forms.DateField(
        label="Datum beslissing UWV over WIA (tijdens dienstverband)",
        widget=DATE_WIDGET,
        required=False,
    )


@limited
class VogForm(forms.Form):
    provided = yes_no_field("VOG overgelegd?")
    provided_on = forms.DateField(label="Datum", widget=DATE_WIDGET, required=False)


@limited
class GeboortelandForm(forms.Form):
    self_country = forms.CharField(label="Geboorteland werknemer", max_length=100)
    mother_country = forms.CharField(label="Geboorteland moeder", max_length=100, required=False)
    father_country = forms.CharField(label="Geboorteland vader", max_length=100, required=False)
    grandparents_countries = forms.CharField(
        label="Geboortelanden grootouders",
        max_length=400,
        required=False,
        help_text="Gescheiden door komma's.",
    )


@limited
class VoorkeursbeleidForm(forms.Form):
    group_description = forms.CharField(
        label="Groep met een aantoonbare achterstand", max_length=200
    )
    documentation = forms.CharField(
        label="Onderbouwing van de achterstand",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Bron en cijfers waaruit de achterstand in uw organisatie blijkt.",
    )
    decided_on = forms.DateField(
        label="Besloten op", widget=DATE_WIDGET, initial=timezone.localdate
    )


@limited
class MaatregelForm(forms.Form):
    kind = forms.ChoiceField(label="Maatregel", choices=MaatregelKind.choices)
    start_on = forms.DateField(label="Vanaf", widget=DATE_WIDGET, initial=timezone.localdate)
    end_on = forms.DateField(label="Tot en met", widget=DATE_WIDGET, required=False)
