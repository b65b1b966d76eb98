"""Who may do what with accounts (SE-2, SE-3). Views, API, admin and commands call these."""

from .models import Assignment
from .roles import ASSIGNED_ROLES, HOME_ORGANISATION_KIND, OrganisationKind, Role

# What a werkgever-beheerder may issue: employer users of their own organisation only (SE-3).
EMPLOYER_ISSUABLE_ROLES = frozenset({Role.WERKGEVER, Role.HR})


def has_role(user, *roles) -> bool:
    """Signed in, active and holding one of `roles`: the one way a policy asks for a role.

    Every other module asks a named policy (``medisch.policies.may_enter``, ...), never
    compares ``user.role`` itself."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "role", None) in roles
    )


def served_organisation_ids(user):
    """The employer organisations `user` serves by assignment (SE-9): the one place that reads
    ``Assignment`` for a doctor, casemanager or consultant. A values queryset, for ``__in``."""
    return Assignment.objects.filter(user=user).values("organisation_id")


# Bumped by every save or delete of an Assignment in this process (accounts/apps.py connects it).
_assignments = {"generation": 0}


def assignments_changed(**kwargs) -> None:
    _assignments["generation"] += 1


def _served_ids(user) -> frozenset:
    """The organisations `user` serves, read once per user object — a request's user lives for
    that request, so a page asking five times runs one query (issue 20: the dossier page ran the
    same check five times) — and read again after any Assignment was saved or deleted here.
    A queryset `.update()` of Assignment sends no signal: don't (nothing in the app does)."""
    memo = user.__dict__.get("_vk_served")
    if memo is not None and memo[0] == _assignments["generation"]:
        return memo[1]
    ids = frozenset(Assignment.objects.filter(user=user).values_list("organisation_id", flat=True))
    user.__dict__["_vk_served"] = (_assignments["generation"], ids)
    return ids


def serves(user, organisation_id) -> bool:
    """SE-9: whether `user` serves this employer by assignment."""
    return organisation_id in _served_ids(user)


def is_doctor_for(user, organisation_id) -> bool:
    """The bedrijfsarts assigned to this employer (MD-2, RI-3)."""
    return has_role(user, Role.BEDRIJFSARTS) and serves(user, organisation_id)


def is_signed_in(user) -> bool:
    """Any active account signed in with its second factor: what every page needs (SE-1), and
    all that the session's own keep-alive asks."""
    verified = getattr(user, "is_verified", None)  # set by django-otp's middleware
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and verified is not None
        and verified()
    )


def is_operator(user) -> bool:
    """The platform operator (beheerder), signed in and active: the one way to ask it."""
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.BEHEERDER
    )


def is_employer_admin(user) -> bool:
    """The employer's own admin (werkgever-beheerder): issues accounts in their own organisation
    only (SE-3), so the issuing form starts there."""
    return user.role == Role.WERKGEVER_BEHEERDER


def works_by_assignment(user) -> bool:
    """A doctor, casemanager or consultant: serves employers through ``Assignment`` (SE-9), so
    the operator's admin shows their assignments. Asked about an account, not the signed-in
    user: an inactive one still has them."""
    return user.role in ASSIGNED_ROLES


def issuable_roles(user) -> list[str]:
    if not user.is_authenticated or not user.is_active:
        return []
    if user.role == Role.BEHEERDER:
        return list(Role.values)
    if user.role == Role.WERKGEVER_BEHEERDER:
        return [r for r in Role.values if r in EMPLOYER_ISSUABLE_ROLES]
    return []


def can_manage_users(user) -> bool:
    return bool(issuable_roles(user))


def issue_refusal(by, role, organisation) -> str | None:
    """Why `by` may not issue an account with `role` in `organisation`, or None if allowed."""
    if role not in Role.values:
        return "Onbekende rol."
    if role not in issuable_roles(by):
        if by.is_authenticated and by.role == Role.WERKGEVER_BEHEERDER:
            return (
                "U kunt alleen werkgever- en HR-gebruikers aanmaken; artsen, casemanagers en "
                "re-integratieconsultants worden door de arbodienst aangemaakt (SE-3)."
            )
        return "U mag geen gebruikers met deze rol aanmaken."
    expected_kind = HOME_ORGANISATION_KIND[role]
    if organisation is None:
        return "Kies een organisatie."
    if organisation.kind != expected_kind:
        kind = OrganisationKind(expected_kind).label.lower()
        return f"Een {Role(role).label.lower()} hoort bij een {kind}."
    if by.role == Role.WERKGEVER_BEHEERDER and organisation.pk != by.organisation_id:
        return "U kunt alleen gebruikers van uw eigen organisatie aanmaken."
    return None


def can_reset_second_factor(by, target) -> bool:
    """The operator resets someone's 2FA (audited); nobody resets their own this way."""
    return by.is_authenticated and by.role == Role.BEHEERDER and by.pk != target.pk


def can_set_active(by, target) -> bool:
    """Who may issue an account may also disable (and re-enable) it; never one's own."""
    return (
        by.is_authenticated
        and by.pk != target.pk
        and target.role in issuable_roles(by)
        and (by.role == Role.BEHEERDER or target.organisation_id == by.organisation_id)
    )


def has_inbox(user) -> bool:
    """Every signed-in, active user reads their own messages and sets their own e-mail choices
    (/berichten/, accounts.notifications); the pages only ever show the user's own."""
    return bool(user.is_authenticated and user.is_active)
