"""Who may see and run retention (RT-5, RT-6, AV-1): the platform operator alone (DESIGN.md,
Roles: the beheerder keeps the retention register). Views, the navigation entry and tests call
this one function."""

from accounts.policies import is_operator


def can_manage_retention(user) -> bool:
    return is_operator(user)
