"""AV-3: the account's part of the data-subject export, and finding a person by the e-mail
address of their login (someone without an employee record: a doctor, an HR user, a candidate).
Registered in AccountsConfig.ready. Never the password hash, OTP secrets or token hashes."""

from privacy.export import Person, record, register_contributor, register_resolver

from .models import ApiToken, Assignment, EmailPreference, Notification, User


def contribute(pseudonyms, *, by, request=None) -> dict:
    users = User.objects.filter(pseudonym__in=pseudonyms).select_related("organisation")
    out = []
    for user in users.order_by("pk"):
        row = record(
            user,
            "full_name",
            "email",
            "role",
            "organisation",
            "is_active",
            "date_joined",
            "last_login",
            labels={
                "email": "e-mailadres",
                "is_active": "actief",
                "date_joined": "account aangemaakt op",
                "last_login": "laatst ingelogd",
            },
        )
        row["toegewezen organisaties"] = [
            record(a, "organisation", "assigned_at")
            for a in Assignment.objects.filter(user=user).select_related("organisation")
        ]
        row["apparaten (API)"] = [
            record(
                t,
                "label",
                "scope",
                "created_at",
                "expires_at",
                "revoked_at",
                "last_used_at",
                labels={
                    "label": "apparaat",
                    "scope": "bereik",
                    "created_at": "uitgegeven op",
                    "expires_at": "verloopt op",
                    "revoked_at": "ingetrokken op",
                    "last_used_at": "laatst gebruikt op",
                },
            )
            for t in ApiToken.objects.filter(user=user).order_by("pk")
        ]
        row["berichten"] = [
            record(
                n,
                "created_at",
                "kind",
                "text",
                "read_at",
                "mail",
                labels={"created_at": "ontvangen op", "read_at": "gelezen op", "mail": "e-mail"},
            )
            for n in Notification.objects.filter(recipient=user).order_by("pk")
        ]
        row["e-mailvoorkeuren"] = [
            record(p, "kind", "send")
            for p in EmailPreference.objects.filter(user=user).order_by("kind")
        ]
        out.append(row)
    return {"accounts": out}


def find(text):
    return [
        Person(u.pseudonym, u.full_name or u.email, f"account ({u.get_role_display()})")
        for u in User.objects.filter(email__iexact=text)[:5]
    ]


def register_accounts_export():
    register_contributor(
        "accounts",
        "Account",
        covers=(User, Assignment, ApiToken, Notification, EmailPreference),
        contribute=contribute,
    )
    register_resolver(find, priority=50)
