"""The security World's guard (tests/security/conftest.py): the per-table counts it compares
see a row written on either database alias, and `rolled_back` leaves nothing behind — so a test
that leaves a row in the module's World, or a write that escapes its transaction, fails the
module instead of changing what the next test sees."""

import pytest

from accounts.roles import Role
from tests.factories import OrganisationFactory
from tests.security.conftest import _diff, rolled_back, row_counts
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db


def test_counts_see_a_row_on_each_alias_and_the_diff_names_its_table(make_user, employer):
    from medisch.actions import dossier as medisch_actions

    doctor = make_user(Role.BEDRIJFSARTS)
    werknemer = WerknemerFactory(organisation=employer)
    before = row_counts()
    OrganisationFactory()
    medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    changed = _diff(before, row_counts())
    assert "accounts_organisation" in changed  # default alias
    assert "medisch_dossier" in changed  # medisch alias, counted as vk_medisch
    assert _diff(before, before) == ""


def test_rolled_back_leaves_no_row_on_either_alias(make_user, employer):
    from medisch.actions import dossier as medisch_actions

    doctor = make_user(Role.BEDRIJFSARTS)
    werknemer = WerknemerFactory(organisation=employer)
    before = row_counts()
    with rolled_back():
        OrganisationFactory()
        medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
        assert _diff(before, row_counts())
    assert _diff(before, row_counts()) == ""
