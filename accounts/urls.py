from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from two_factor.views import QRGeneratorView

from . import berichten, reauth, views

app_name = "accounts"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("werklijst/", views.worklist, name="worklist"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/ingesteld/", views.enrolled, name="enrolled"),
    path("account/reservecodes/", views.regenerate_backup_codes, name="backup_codes"),
    path("account/tokens/<int:pk>/intrekken/", views.revoke_token, name="revoke_token"),
    path("account/bevestigen/", reauth.reauthenticate, name="reauth"),
    path("account/e-mailadres/", reauth.change_email, name="change_email"),
    path("account/2fa/vervangen/", reauth.replace_device, name="replace_device"),
    path("account/uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/sessie/", views.session_state, name="session"),
    path(
        "account/wachtwoord/",
        views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "account/wachtwoord/gewijzigd/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "account/wachtwoord-vergeten/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "account/wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "account/wachtwoord-instellen/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "account/wachtwoord-instellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("berichten/", berichten.inbox, name="berichten"),
    path("berichten/gelezen/", berichten.mark_read, name="berichten_gelezen"),
    path("berichten/voorkeuren/", berichten.preferences, name="berichten_voorkeuren"),
    path("beheer/gebruikers/", views.user_list, name="users"),
    path("beheer/gebruikers/nieuw/", views.IssueAccountView.as_view(), name="issue_account"),
    path(
        "beheer/gebruikers/<int:pk>/2fa-herstellen/",
        views.reset_second_factor,
        name="reset_second_factor",
    ),
    path("beheer/gebruikers/<int:pk>/actief/", views.set_account_active, name="set_active"),
]

# The two-factor pages under the namespace django-two-factor-auth expects ("two_factor").
two_factor_patterns = (
    [
        path("account/login/", views.LoginView.as_view(), name="login"),
        path("account/2fa/instellen/", views.SetupView.as_view(), name="setup"),
        path("account/2fa/qr/", QRGeneratorView.as_view(), name="qr"),
    ],
    "two_factor",
)
