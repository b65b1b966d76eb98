"""Who may do what on the employer side of verzuim (SE-2, SE-4, SE-9, ZM-4).

Werkgever and HR of an organisation manage its employees and sick reports. The bedrijfsarts and
casemanager of an assigned organisation read the sick reports (they receive them). The employee
sees their own. The platform operator manages accounts, not sick reports (a sick report is
health data).
"""

from accounts.policies import has_role
from accounts.roles import Role

EMPLOYER_CASE_ROLES = frozenset({Role.WERKGEVER, Role.HR})
CASE_READER_ROLES = EMPLOYER_CASE_ROLES | {Role.BEDRIJFSARTS, Role.CASEMANAGER}


def can_manage_werknemers(user) -> bool:
    return has_role(user, *EMPLOYER_CASE_ROLES)


def can_file_ziekmelding(user) -> bool:
    return has_role(user, *EMPLOYER_CASE_ROLES)


def can_read_cases(user) -> bool:
    return has_role(user, *CASE_READER_ROLES)


def can_view_werknemers(user) -> bool:
    return can_read_cases(user)


def is_werknemer(user) -> bool:
    """The employee (ZM-4): their own page ("Mijn verzuim"), their own record and case."""
    return has_role(user, Role.WERKNEMER)


def can_write_noodinformatie(user, werknemer) -> bool:
    """ZM-4: only the employee themself, never the employer."""
    return is_werknemer(user) and werknemer.user_id == user.pk
