from django import forms
from django.contrib.auth.forms import PasswordResetForm

from . import policies, scoping
from .models import Organisation
from .roles import Role


class IssueAccountForm(forms.Form):
    full_name = forms.CharField(label="Naam", max_length=200)
    email = forms.EmailField(
        label="E-mailadres",
        help_text="De gebruiker krijgt hierop een link om een wachtwoord in te stellen.",
    )
    role = forms.ChoiceField(label="Rol")
    organisation = forms.ModelChoiceField(
        label="Organisatie", queryset=Organisation.objects.none(), empty_label="— kies —"
    )

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.by = by
        allowed = policies.issuable_roles(by)
        self.fields["role"].choices = [(r, Role(r).label) for r in allowed]
        self.fields["organisation"].queryset = scoping.organisations_for(by)
        if by.role == Role.WERKGEVER_BEHEERDER:
            self.fields["organisation"].initial = by.organisation_id

    def clean(self):
        data = super().clean()
        role, organisation = data.get("role"), data.get("organisation")
        if role and organisation:
            refusal = policies.issue_refusal(self.by, role, organisation)
            if refusal:
                self.add_error("role", refusal)
        return data


def send_password_setup_mail(request, user) -> None:
    """A new account has no usable password; the reset mail lets the person set one."""
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            subject_template_name="registration/account_issued_subject.txt",
            email_template_name="registration/account_issued_email.txt",
        )
