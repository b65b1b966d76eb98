"""Issue 18 item 6: the menu shows a role only what it can open. Every link of the main menu
(the items the apps register in accounts/dashboard.py, plus the accounts app's own) answers
200 for the role that is shown it, signed in as the matrix's actor of that role (SE-2)."""

from html.parser import HTMLParser

import pytest

from accounts import dashboard
from accounts.roles import Role
from doelgroep import policies as doelgroep_policies
from doelgroep.models import Geheimhoudingsverklaring
from tests.security.matrix._base import ROLES

pytestmark = pytest.mark.django_db


class _MenuLinks(HTMLParser):
    """The hrefs inside <nav aria-label="Hoofdmenu">, and the logout form's action."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links = []
        self.logout_forms = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("aria-label") == "Hoofdmenu":
            self.depth = 1
        elif self.depth and tag == "nav":
            self.depth += 1
        elif self.depth and tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif self.depth and tag == "form" and attrs.get("action") == "/account/uitloggen/":
            self.logout_forms += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "nav":
            self.depth -= 1


def _menu(client):
    response = client.get("/")
    assert response.status_code == 200
    parser = _MenuLinks()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_link_a_role_is_shown_opens_for_that_role(client_for, world, role):
    """SE-2, issue 18 item 6: no menu item leads its role to a 403 or 404; the phone menu and
    the wide bar carry the same links, logout included."""
    client = client_for(role)
    menu = _menu(client)
    assert menu.logout_forms == 2, "logout in the wide bar and in the phone menu"
    items = menu.links[1:]  # after the brand link
    half = len(items) // 2
    assert items[:half] == items[half:], "the wide bar and the phone menu differ"
    links = sorted(set(menu.links))
    refused = [
        f"{href}: {status}" for href in links if (status := client.get(href).status_code) != 200
    ]
    assert not refused, f"{role} is shown menu items it cannot open: {refused}"


@pytest.mark.parametrize("role", [Role.HR, Role.WERKGEVER])
def test_doelgroep_item_leads_to_the_statement_until_signed(client_for, world, role):
    """DG-6, issue 18 item 6: HR or a leidinggevende without a current confidentiality statement
    is led to the statement to sign (not to the administration's 403); once signed, to the
    administration itself."""
    user = world.user(role)
    signed = Geheimhoudingsverklaring.objects.filter(user=user, withdrawn_at__isnull=True)
    signed.delete()
    links = _menu(client_for(role)).links
    assert "/doelgroep/verklaring/" in links and "/doelgroep/" not in links

    Geheimhoudingsverklaring.objects.create(
        user=user,
        organisation=user.organisation,
        text_version=doelgroep_policies.STATEMENT_VERSION,
        text=doelgroep_policies.STATEMENT_TEXT,
    )
    links = _menu(client_for(role)).links
    assert "/doelgroep/" in links and "/doelgroep/verklaring/" not in links


def test_every_registered_item_is_shown_to_some_role(world):
    """A registered item no role ever sees is a dead entry (the predicate or the URL is wrong)."""
    shown = {
        name
        for label, name, allowed in dashboard.nav_items
        for role in ROLES
        if allowed(world.user(role))
    }
    assert shown == {name for _label, name, _allowed in dashboard.nav_items}
