"""Who may do what in the privacy registers (AV-3, AV-4; DESIGN.md, Roles): the platform operator
keeps the breach register and the register of data-subject requests. A special part of an export
is assembled by whom its contributor allows (privacy.export.may_assemble_part), never the
operator. Views, the navigation and the dashboard panel call these."""

from accounts.policies import is_operator


def can_manage_breaches(user) -> bool:
    return is_operator(user)


def can_manage_requests(user) -> bool:
    return is_operator(user)
