"""Who may do what on the employer side of verzuim (SE-2, SE-4, SE-9, ZM-4).

Werkgever and HR of an organisation manage its employees and sick reports. The bedrijfsarts and
casemanager of an assigned organisation read the sick reports (they receive them). The employee
sees their own. The platform operator manages accounts, not sick reports (a sick report is
health data).
"""

from accounts.roles import Role

EMPLOYER_CASE_ROLES = frozenset({Role.WERKGEVER, Role.HR})
CASE_READER_ROLES = EMPLOYER_CASE_ROLES | {Role.BEDRIJFSARTS, Role.CASEMANAGER}


def _active(user):
    return user.is_authenticated and user.is_active


def can_manage_werknemers(user) -> bool:
    return _active(user) and user.role in EMPLOYER_CASE_ROLES


def can_file_ziekmelding(user) -> bool:
    return _active(user) and user.role in EMPLOYER_CASE_ROLES


def can_read_cases(user) -> bool:
    return _active(user) and user.role in CASE_READER_ROLES


def can_view_werknemers(user) -> bool:
    return can_read_cases(user)


def can_write_noodinformatie(user, werknemer) -> bool:
    """ZM-4: only the employee themself, never the employer."""
    return _active(user) and user.role == Role.WERKNEMER and werknemer.user_id == user.pk
