"""Forms of the data-breach register (AV-4) and of data-subject requests (AV-3)."""

from django import forms

from core.limits import limited

from . import export
from .actions.verzoek import recipient_label
from .models import Datalek, IdentityMethod, Recipient, VerzoekKind

DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


@limited
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


# --- AV-3: requests by a data subject ------------------------------------------------------

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


@limited
class VerzoekForm(forms.Form):
    """Registering a request. The person is named by an exact e-mail address or personnel
    number, resolved through the resolvers the domain apps register (privacy.export) — no name
    search over the employee table. Several matches: the operator picks one."""

    kind = forms.ChoiceField(label="Soort verzoek", choices=VerzoekKind.choices)
    identifier = forms.CharField(
        label="E-mailadres of personeelsnummer van de betrokkene",
        max_length=254,
        help_text="Het e-mailadres van het account of de werknemer, of het personeelsnummer.",
    )
    subject = forms.ChoiceField(
        label="Welke persoon?", required=False, widget=forms.RadioSelect, choices=()
    )
    received_on = forms.DateField(label="Ontvangen op", widget=DATE_WIDGET)
    description = forms.CharField(
        label="Omschrijving van het verzoek",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = []
        identifier = (self.data.get("identifier") or "").strip() if self.is_bound else ""
        if identifier:
            self.people = export.find_people(identifier)
        self.fields["subject"].choices = [
            (str(p.subject), f"{p.name} — {p.detail}") for p in self.people
        ]

    def clean(self):
        data = super().clean()
        if "identifier" not in data:
            return data
        if not self.people:
            self.add_error("identifier", "Geen persoon gevonden met dit e-mailadres of nummer.")
        elif len(self.people) == 1:
            data["person"] = self.people[0]
        elif not data.get("subject"):
            self.add_error("subject", "Meer personen gevonden: kies de juiste.")
        else:
            data["person"] = next(p for p in self.people if str(p.subject) == data["subject"])
        return data


@limited
class IdentityForm(forms.Form):
    """AV-3: how the requester's identity was verified, recorded before anything is disclosed."""

    method = forms.ChoiceField(
        label="Hoe is de identiteit vastgesteld?",
        choices=IdentityMethod.choices,
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label="Toelichting",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Verplicht bij 'anders'. Bewaar geen kopie van het identiteitsbewijs.",
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == IdentityMethod.ANDERS and not data.get("explanation", "").strip():
            self.add_error("explanation", "Licht toe hoe de identiteit is vastgesteld.")
        return data


@limited
class ExtendForm(forms.Form):
    notice_sent_on = forms.DateField(
        label="Bericht over de verlenging verstuurd op",
        widget=DATE_WIDGET,
        help_text="Alleen binnen de eerste maand na ontvangst (AVG art. 12 lid 3).",
    )


@limited
class RefuseForm(forms.Form):
    reason = forms.CharField(
        label="Reden van de weigering",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="De betrokkene krijgt de reden, met de klachtroute (AP, rechter).",
    )


@limited
class CompleteForm(forms.Form):
    completed_on = forms.DateField(label="Afgehandeld op", widget=DATE_WIDGET)


@limited
class NotifyForm(forms.Form):
    recipients = forms.MultipleChoiceField(
        label="Geïnformeerde ontvangers (uit het register van verstrekkingen)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_recipient = forms.ChoiceField(
        label="Andere ontvanger (soort)",
        required=False,
        choices=[("", "—"), *Recipient.choices],
    )
    other_name = forms.CharField(label="Andere ontvanger (naam)", required=False, max_length=200)

    def __init__(self, *args, known=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipients"].choices = [
            (f"{kind}|{name}", recipient_label(kind, name)) for kind, name in known
        ]
        self.fields["recipients"].initial = [
            value for value, _ in self.fields["recipients"].choices
        ]

    def clean(self):
        data = super().clean()
        chosen = [tuple(value.split("|", 1)) for value in data.get("recipients", [])]
        if data.get("other_recipient"):
            chosen.append((data["other_recipient"], data.get("other_name", "")))
        elif data.get("other_name"):
            self.add_error("other_recipient", "Kies de soort ontvanger.")
        if not chosen and not self.errors:
            raise forms.ValidationError("Kies ten minste één ontvanger.")
        data["chosen"] = chosen
        return data
