from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sites.shortcuts import get_current_site
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core.limits import limited

from . import policies, scoping
from .models import Organisation
from .roles import Role


@limited
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
        if policies.is_employer_admin(by):
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
    """A new account has no usable password, which Django's PasswordResetForm skips; send the
    set-password link for exactly this user."""
    site = get_current_site(request)
    context = {
        "email": user.email,
        "domain": site.domain if not request else request.get_host(),
        "site_name": site.name,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "user": user,
        "token": default_token_generator.make_token(user),
        "protocol": "https" if request is None or request.is_secure() else "http",
    }
    PasswordResetForm().send_mail(
        "registration/account_issued_subject.txt",
        "registration/account_issued_email.txt",
        context,
        None,
        user.email,
    )


# --- The two-factor forms in Dutch (issue 18 item 6) ------------------------------------------
# django-two-factor-auth and django-otp ship no Dutch for their forms: the login wizard's code
# step said "Token" and "Invalid token. Please make sure you have entered it correctly.". Their
# forms are chosen inside the wizards (per device method), so the views hand each form they
# build to `dutch_otp_form`, which sets our labels and messages on that instance.

OTP_ERROR_MESSAGES = {
    "token_required": "Vul de code in.",
    "challenge_exception": "De code kon niet worden aangevraagd: {0}",
    "not_interactive": "Dit apparaat kan geen code sturen.",
    "challenge_message": "Code: {0}",
    "invalid_token": (
        "Deze code klopt niet of is verlopen. Controleer de code in uw authenticator-app en "
        "probeer het opnieuw."
    ),
    "n_failed_attempts": (
        "Na %(failure_count)d onjuiste codes kunt u even geen code invullen. "
        "Probeer het over een minuut opnieuw."
    ),
    "verification_not_allowed": "Code invullen is tijdelijk niet mogelijk. Probeer het later.",
    "device_required": "Kies een apparaat.",
}
OTP_LABELS = {
    "otp_token": "Code uit uw authenticator-app",
    "token": "Code uit uw authenticator-app",
}
BACKUP_LABEL = "Reservecode"
SESSION_TIMED_OUT = "Het inloggen duurde te lang. Begin opnieuw met uw e-mailadres en wachtwoord."


def dutch_otp_form(form, *, backup: bool = False):
    """Dutch labels and messages on a form of django-two-factor-auth / django-otp."""
    for name, label in OTP_LABELS.items():
        if name in form.fields:
            form.fields[name].label = BACKUP_LABEL if backup else label
    if hasattr(form, "otp_error_messages"):
        form.otp_error_messages = {**form.otp_error_messages, **OTP_ERROR_MESSAGES}
    if "invalid_token" in getattr(form, "error_messages", {}):
        form.error_messages = {
            **form.error_messages,
            "invalid_token": OTP_ERROR_MESSAGES["invalid_token"],
        }
    return form
