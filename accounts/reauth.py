"""Re-authentication before changing how one logs in (ASVS 5.0 6.3.x/7.5.1: changing the
second factor or the e-mail address — the login name and password-reset channel — requires the
password and the current second factor again, even in a verified session).

- `require_recent_auth`: sends the user to /account/bevestigen/ unless they proved password and
  code there in the last REAUTH_SECONDS. The proof is spent by the change it allowed. New backup
  codes need it too: they are a second factor of their own — on /account/reservecodes/ and on the
  enrolment's completion page alike; only the session that has just confirmed the account's
  first device in the setup wizard gets its first ten codes without it (accounts/views.py).
- `change_email`: a new address (unique), the old address is told, other sessions end.
- `replace_device`: a new TOTP secret is shown (QR through two-factor-auth's QR view) and the old
  device stays in force until a code of the new one is confirmed — so there is never a moment
  without a second factor, and a stolen password alone can never enrol a device.

Why by hand: django-two-factor-auth's setup wizard only enrols a first device and has no
re-authentication step; django-otp gives the verification primitives used here.
"""

import time
from base64 import b32encode
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.limits import limited

from . import actions
from .models import User
from .sessions import end_sessions, revoke_tokens

REAUTH_AT = "vk_reauth_at"
REAUTH_SECONDS = 5 * 60
PENDING_KEY = "vk_pending_totp_key"
# two-factor-auth's QRGeneratorView draws the QR of the base32 secret under this session key.
QR_SESSION_KEY = "django_two_factor-qr_secret_key"


def recently_authenticated(request, within: int = REAUTH_SECONDS) -> bool:
    """Proved password and code in the last `within` seconds (signing asks a shorter window)."""
    proved = request.session.get(REAUTH_AT)
    return proved is not None and time.time() - proved <= within


def ask_for_proof(back: str):
    """Send the user to /account/bevestigen/, and back to the path `back` once proved."""
    return redirect(f"{reverse('accounts:reauth')}?next={back}")


def require_recent_auth(view=None, *, return_to=None):
    """Decorator. `return_to` (a URL name) is where the proof sends the user back to, for a
    POST-only view (the user repeats the click there); by default the view's own path."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not recently_authenticated(request):
                return ask_for_proof(reverse(return_to) if return_to else request.path)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def spend_proof(request) -> None:
    request.session.pop(REAUTH_AT, None)


@limited
class ReauthForm(forms.Form):
    password = forms.CharField(label="Wachtwoord", widget=forms.PasswordInput, strip=False)
    otp_token = forms.CharField(
        label="Code uit uw authenticator-app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        user = self.request.user
        password, token = data.get("password"), data.get("otp_token")
        if password is None or token is None:
            return data
        # authenticate() so django-axes counts a wrong password towards the lockout (SE-8).
        if authenticate(self.request, username=user.email, password=password) is None:
            raise ValidationError("Wachtwoord of code is onjuist.")
        # The TOTP device only: a backup code is for getting in, not for changing the factor.
        # verify_token refuses a code already used (django-otp keeps the last time step).
        if not any(d.verify_token(token) for d in TOTPDevice.objects.filter(user=user)):
            raise ValidationError("Wachtwoord of code is onjuist.")
        return data


@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    target = request.GET.get("next") or reverse("accounts:account")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("accounts:account")
    form = ReauthForm(request.POST if request.method == "POST" else None, request=request)
    if form.is_valid():
        request.session[REAUTH_AT] = int(time.time())
        return redirect(target)
    # A signature (reintegratie, RI-12) asks the same proof; the page then says what it is for.
    signing = request.GET.get("doel") == "ondertekenen"
    return render(
        request, "accounts/reauth.html", {"form": form, "signing": signing, "target": target}
    )


@limited
class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="Nieuw e-mailadres")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if email == self.user.email.lower():
            raise ValidationError("Dit is al uw e-mailadres.")
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Dit e-mailadres is al in gebruik.")
        return email


@require_http_methods(["GET", "POST"])
@require_recent_auth
def change_email(request):
    user = request.user
    form = EmailChangeForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_valid():
        old = user.email
        with transaction.atomic():
            user.email = form.cleaned_data["email"]
            user.save(update_fields=["email"])
            actions.record_user_change(
                request.user, "e-mailadres gewijzigd", by=request.user, request=request
            )
            revoke_tokens(user)  # SE-8: like the other sessions, tokens of the old login end
        end_sessions(user, keep=request.session.session_key)
        spend_proof(request)
        send_mail(
            "Uw e-mailadres voor Verzuimkluis is gewijzigd",
            "Het e-mailadres van uw Verzuimkluis-account is zojuist gewijzigd. Deed u dit niet "
            "zelf? Neem dan direct contact op met de beheerder.",
            settings.DEFAULT_FROM_EMAIL,
            [old],
        )
        messages.success(request, "Uw e-mailadres is gewijzigd.")
        return redirect("accounts:account")
    return render(request, "accounts/email_change.html", {"form": form})


@limited
class ConfirmDeviceForm(forms.Form):
    otp_token = forms.CharField(
        label="Code uit de nieuwe authenticator-app",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, key_hex, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_hex = key_hex

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"]
        totp = TOTP(bytes.fromhex(self.key_hex))
        totp.time = time.time()
        if not token.isdigit() or not totp.verify(int(token), tolerance=1):
            raise ValidationError("Deze code klopt niet. Probeer de volgende code van de app.")
        self.last_t = totp.t()  # the confirming code is spent: it cannot log in afterwards
        return token


@require_http_methods(["GET", "POST"])
@require_recent_auth
def replace_device(request):
    key_hex = request.session.get(PENDING_KEY)
    if not key_hex:
        key_hex = request.session[PENDING_KEY] = default_key()
    secret = b32encode(bytes.fromhex(key_hex)).decode()
    request.session[QR_SESSION_KEY] = secret
    form = ConfirmDeviceForm(request.POST if request.method == "POST" else None, key_hex=key_hex)
    if form.is_valid():
        user = request.user
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(
                user=user, name="default", key=key_hex, confirmed=True, last_t=form.last_t
            )
            actions.record_user_change(
                request.user, "authenticator-app vervangen", by=request.user, request=request
            )
            revoke_tokens(user)  # SE-8: issued with the old app; listed as revoked, not active
        otp_login(request, device)
        end_sessions(user, keep=request.session.session_key)
        for key in (PENDING_KEY, QR_SESSION_KEY):
            request.session.pop(key, None)
        spend_proof(request)
        messages.success(
            request, "Uw nieuwe authenticator-app is ingesteld; de oude werkt niet meer."
        )
        return redirect("accounts:account")
    return render(
        request,
        "accounts/replace_device.html",
        {"form": form, "secret_key": secret, "QR_URL": reverse("two_factor:qr")},
    )
