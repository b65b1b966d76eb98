"""Account pages: dashboard, mijn account, backup codes, API tokens, passwords, user management
(SE-1, SE-3, SE-8, SE-9). Login itself is django-two-factor-auth's wizard with our templates.

Minting a second factor — backup codes or a TOTP device — needs fresh re-authentication
(accounts/reauth.py), with one exception: the first enrolment. The setup wizard only enrols an
account that has no device yet, and only the session that has just confirmed that device there is
shown the account's first ten backup codes on /account/ingesteld/, once, without it.
"""

import time

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import FormView, TemplateView
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.views import LoginView as TwoFactorLoginView
from two_factor.views import SetupView as TwoFactorSetupView

from . import actions, dashboard, policies, scoping, sessions
from .forms import SESSION_TIMED_OUT, IssueAccountForm, dutch_otp_form, send_password_setup_mail
from .gates import gate
from .reauth import (
    REAUTH_SECONDS,
    ask_for_proof,
    recently_authenticated,
    require_recent_auth,
    spend_proof,
)
from .roles import Role

User = get_user_model()

# Set by the setup wizard when this session has just confirmed a new device: its persistent id
# and when. Read (and removed) by the first visit of /account/ingesteld/.
JUST_ENROLLED = "vk_just_enrolled"


# nosemgrep: vk-view-without-policy — the login page itself (django-two-factor-auth)
class LoginView(TwoFactorLoginView):
    template_name = "accounts/login.html"

    def get_form(self, step=None, **kwargs):
        # The wizard adds its own English "session timed out" error: ours instead.
        timed_out, self.show_timeout_error = self.show_timeout_error, False
        form = super().get_form(step=step, **kwargs)
        if timed_out:
            form.cleaned_data = getattr(form, "cleaned_data", {})
            form.add_error(None, ValidationError(SESSION_TIMED_OUT))
        step = step or self.steps.current
        if step in (self.TOKEN_STEP, self.BACKUP_STEP):
            dutch_otp_form(form, backup=step == self.BACKUP_STEP)
        return form


# nosemgrep: vk-view-without-policy — TOTP enrolment of request.user's own device (SE-1)
class SetupView(TwoFactorSetupView):
    """Enrolment: straight to the authenticator step (TOTP is the only method we offer)."""

    template_name = "accounts/setup.html"
    success_url = "accounts:enrolled"

    def dispatch(self, request, *args, **kwargs):
        # First enrolment only. The wizard itself refuses a GET of an enrolled account but would
        # take a POST, so a verified session could add a second device without re-authentication;
        # a new device comes only through /account/2fa/vervangen/ (accounts/reauth.py).
        if request.user.is_authenticated and user_has_device(request.user, confirmed=True):
            return redirect(self.success_url)
        return super().dispatch(request, *args, **kwargs)

    def get_form_list(self):
        form_list = super().get_form_list()
        form_list.pop("welcome", None)
        return form_list

    def get_form(self, step=None, **kwargs):
        return dutch_otp_form(super().get_form(step=step, **kwargs))

    def done(self, form_list, **kwargs):
        response = super().done(form_list, **kwargs)  # saves the device and verifies the session
        self.request.session[JUST_ENROLLED] = {
            "device": self.request.user.otp_device.persistent_id,
            "at": int(time.time()),
        }
        return response


class DashboardView(TemplateView):
    template_name = "accounts/dashboard.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "organisations": scoping.organisations_for(user)[:20],
            "role_label": Role(user.role).label,
            "panels": dashboard.render_named_panels(self.request),
        }


@gate(dashboard.has_worklist)
def worklist(request):
    """The dashboard's worklists as an htmx fragment (issue 18): all of the user's panels, or
    with ?paneel=<name> that one worklist — asked of its own policy first, 404 when it is not
    this user's. Opened without htmx (a bookmark, a new tab) the same lists come as a whole page."""
    name = request.GET.get("paneel")
    if name is not None:
        policy = dashboard.worklist_policies.get(name)
        if policy is None or not policy(request.user):
            raise Http404
    panels = dashboard.render_named_panels(request, only=name)
    if name is not None and not panels:
        raise Http404
    template = "accounts/worklist.html" if request.htmx else "accounts/worklist_page.html"
    return render(request, template, {"panels": panels})


def _just_enrolled(request) -> bool:
    """Whether this session has just confirmed the device it is verified with in the setup
    wizard. The mark is spent by asking."""
    mark = request.session.pop(JUST_ENROLLED, None)
    device = getattr(request.user, "otp_device", None)
    return (
        isinstance(mark, dict)
        and device is not None
        and mark.get("device") == device.persistent_id
        and time.time() - mark.get("at", 0) <= REAUTH_SECONDS
    )


# nosemgrep: vk-view-without-policy — request.user's own backup codes, shown once
def enrolled(request):
    """First stop after enrolment: the 10 one-time backup codes, shown once (SE-1). Without
    codes left, any visit but the enrolling session's first (of an account that never had
    codes) needs the password and a code again, like /account/reservecodes/ (issue 15)."""
    user = request.user
    just_enrolled = _just_enrolled(request)
    if StaticToken.objects.filter(device__user=user).exists():
        return render(request, "accounts/enrolled.html", {"codes": None})
    first_codes = just_enrolled and not StaticDevice.objects.filter(user=user).exists()
    if not first_codes:
        if not recently_authenticated(request):
            return ask_for_proof(request.path)
        spend_proof(request)
    codes = actions.regenerate_backup_codes(user)
    return render(request, "accounts/enrolled.html", {"codes": codes})


# nosemgrep: vk-view-without-policy — request.user's own account page
class AccountView(TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "totp_devices": TOTPDevice.objects.filter(user=user, confirmed=True),
            "backup_codes_left": StaticToken.objects.filter(device__user=user).count(),
            "tokens": user.api_tokens.filter(
                revoked_at__isnull=True, expires_at__gt=timezone.now()
            ),
        }


# nosemgrep: vk-view-without-policy — request.user's own backup codes
@require_POST
@require_recent_auth(return_to="accounts:account")
def regenerate_backup_codes(request):
    codes = actions.regenerate_backup_codes(request.user)
    spend_proof(request)
    return render(request, "accounts/backup_codes.html", {"codes": codes})


class _AuditedPasswordSave:
    """Saving a new password and its audit entry in one transaction; the save itself revokes
    every API token of the account (accounts/sessions.py)."""

    audit_detail = ""

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            actions.record_user_change(
                form.user, self.audit_detail, by=form.user, request=self.request
            )
        return response


# nosemgrep: vk-view-without-policy — changes request.user's own password
class PasswordChangeView(_AuditedPasswordSave, auth_views.PasswordChangeView):
    """Saving the new password revokes every API token of the account (accounts/sessions.py);
    the change is audited (SE-8, issue 15)."""

    audit_detail = "wachtwoord gewijzigd; alle API-tokens ingetrokken"


# nosemgrep: vk-view-without-policy — the reset link's signed token identifies the account
class PasswordResetConfirmView(_AuditedPasswordSave, auth_views.PasswordResetConfirmView):
    """As above for a password set through the reset link: every API token ends (SE-8)."""

    audit_detail = "wachtwoord opnieuw ingesteld via e-maillink; alle API-tokens ingetrokken"


@require_http_methods(["GET", "POST"])
@gate(policies.is_signed_in)
def session_state(request):
    """The idle warning's two calls (static/js/session-timeout.js, SE-8, issue 18 item 5).

    POST ("Blijf ingelogd", CSRF-protected): a request renews the idle expiry
    (SESSION_SAVE_EVERY_REQUEST), so answering is all it takes. GET, just before a form is sent:
    is the session still alive, and which CSRF token goes with it now — after a login in
    another tab Django rotated the token, and the form's old one would be refused. An expired
    session never reaches this view: the login redirect tells the script so."""
    return JsonResponse(
        {"seconds_left": sessions.seconds_left(request), "csrf_token": get_token(request)}
    )


# nosemgrep: vk-view-without-policy — revokes only request.user's own tokens
@require_POST
def revoke_token(request, pk):
    if actions.revoke_token(user=request.user, token_id=pk):
        messages.success(request, "Het API-token is ingetrokken.")
    return redirect("accounts:account")


@gate(policies.can_manage_users)
def user_list(request):
    users = list(scoping.users_visible_to(request.user).select_related("organisation"))
    may_block = {u.pk for u in users if policies.can_set_active(request.user, u)}
    return render(request, "accounts/user_list.html", {"users": users, "may_block": may_block})


@method_decorator(gate(policies.can_manage_users), name="dispatch")
class IssueAccountView(FormView):
    template_name = "accounts/user_form.html"
    form_class = IssueAccountForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "by": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = actions.issue_account(by=self.request.user, request=self.request, **data)
        except actions.AccountRefused as refusal:
            form.add_error(None, str(refusal))
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        send_password_setup_mail(self.request, user)
        messages.success(
            self.request,
            f"Account voor {user.email} aangemaakt; de gebruiker "
            "ontvangt een e-mail om een wachtwoord in te stellen.",
        )
        return redirect("accounts:users")


@require_POST
def reset_second_factor(request, pk):
    target = get_object_or_404(scoping.users_visible_to(request.user), pk=pk)
    try:
        actions.reset_second_factor(by=request.user, target=target, request=request)
    except actions.AccountRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    messages.success(
        request,
        f"Tweestapsverificatie van {target.email} is hersteld; "
        "bij de volgende login stelt de gebruiker die opnieuw in.",
    )
    return redirect("accounts:users")


@require_POST
def set_account_active(request, pk):
    """Block or unblock an account; blocking ends its sessions and tokens at once."""
    target = get_object_or_404(scoping.users_visible_to(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        actions.set_active(by=request.user, target=target, active=active, request=request)
    except actions.AccountRefused as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    if active:
        messages.success(request, f"Account van {target.email} is gedeblokkeerd.")
    else:
        messages.success(
            request,
            f"Account van {target.email} is geblokkeerd; "
            "alle sessies en API-tokens zijn beëindigd.",
        )
    return redirect("accounts:users")
