"""Who may see and run retention (RT-5, RT-6, AV-1): the platform operator alone (DESIGN.md,
Roles: the beheerder keeps the retention register). Views, the navigation entry and tests call
this one function."""

from accounts.roles import Role


def can_manage_retention(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "role", None) == Role.BEHEERDER
    )
