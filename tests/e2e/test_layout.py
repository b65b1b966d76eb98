"""Issue 18, items 1 and 9 in real Chromium: every page a role can open fits a 390 px phone
(no horizontal scrolling of the document) and has no serious or critical axe-core violation
(WCAG 2.1 AA); each role's dashboard is kept as a screenshot at phone and desktop size.

Which pages: the URL resolver through the authorization matrix (tests/security/matrix), which
has a row for every URL pattern (test_every_url_pattern_has_an_expectation). Every GET row
that answers 200 to the role — parameterless pages and the detail pages of the matrix's
World (a case, dossier, plan, trajectory, report, keuring, verzoek, ...) — is opened, so a
new page is covered as soon as it has its matrix row. API routes and downloads are left out
(not HTML). The operator's admin pages are the matrix's representative admin rows.

Speed: the World is built once for the module and committed (a module-scoped live server of
our own, since pytest-django's live_server flushes the database after every test); one
browser context per role, with the verified session the World made for it; axe runs once per
URL name and role (the width and markup checks on every page).

Screenshots, the run's artifacts (test-artifacts/ is gitignored):
test-artifacts/e2e/screenshots/dashboard-<role>-390.png, -390-menu.png and -1280.png.
"""

from contextlib import ExitStack

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Error as PlaywrightError
from pytest_django.live_server_helper import LiveServer

from accounts.roles import Role
from tests.e2e.conftest import TIMEOUT_MS
from tests.security import test_authorization_matrix as matrix_index
from tests.security.conftest import ANONYMOUS, build_world
from tests.security.matrix._base import (
    FORBIDDEN,
    OK,
    PATTERNS_BY_KEY,
    build_path,
    path_values,
)

# The mark makes pytest-django set up the test databases; each test's own transaction holds
# nothing (the pages are served by the live server's thread, on its own connections).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(databases=["default", "medisch"])]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# WCAG 2.1 A and AA rules only (axe also runs best-practice rules, not what the issue asks).
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}
BLOCKING = {"serious", "critical"}
# Anonymous: the login and password-reset pages and the privacy statement.
ACTORS = (ANONYMOUS, *Role.values)


# Issue 18 item 9, what axe's WCAG 2.1 rules leave out: an id used twice (the trajectory form
# repeated id="_helptext") and a radio button outside a fieldset with a legend.
MARKUP_FAULTS = """() => {
  const seen = {}, faults = [];
  for (const e of document.querySelectorAll('[id]')) seen[e.id] = (seen[e.id] || 0) + 1;
  for (const [id, n] of Object.entries(seen)) if (n > 1) faults.push(`id "${id}" ${n} times`);
  for (const r of document.querySelectorAll('input[type=radio]')) {
    const group = r.closest('fieldset');
    const legend = group && group.querySelector(':scope > legend');
    if (!legend) faults.push(`radio ${r.name} without legend`);
  }
  return [...new Set(faults)];
}"""


def role_pages(world, role):
    """(URL name, path) of every HTML page the matrix says `role` may GET (200)."""
    user = world.user(role)
    pages = {}
    for key, checks in matrix_index.EXPECTED.items():
        for check in checks:
            if check.method != "GET" or check.outcomes.get(role) != OK:
                continue
            for pattern in PATTERNS_BY_KEY.get(key, ()):
                if pattern.route.startswith("api/") or pattern.is_format_suffix:
                    continue
                path = build_path(pattern, path_values(world, check.target, user))
                pages.setdefault(path, key)
    return sorted((key, path) for path, key in pages.items())


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The matrix's World, committed, and a live server of this module; both aliases are
    flushed at the end like a transactional test does."""
    files = tmp_path_factory.mktemp("medical-files")
    with ExitStack() as stack:
        stack.enter_context(django_db_blocker.unblock())
        stack.enter_context(override_settings(MEDICAL_FILES_ROOT=str(files)))
        try:
            world = build_world()
            server = LiveServer("localhost")
            try:
                yield server, world, {actor: role_pages(world, actor) for actor in ACTORS}
            finally:
                server.stop()
        finally:
            for alias in ("default", "medisch"):
                call_command("flush", verbosity=0, interactive=False, database=alias)


@pytest.fixture(scope="module")
def axe():
    return Axe()


def _login(context, base_url, world, role):
    """The role's verified session (password + TOTP, made by the World up front: its TOTP code
    of this time step is spent on the bearer token, so the login form would refuse it again)."""
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": world.sessions[role], "url": base_url}]
    )
    page = context.new_page()
    page.goto("/")
    assert page.url == f"{base_url}/", page.url
    return page


def _menu_opens_with_logout(page):
    """On a phone the menu is one "Menu" button; opened, every item and "Uitloggen" show
    inside the screen (issue 18 item 1)."""
    logout = page.get_by_role("button", name="Uitloggen")
    assert not logout.is_visible(), "the phone menu should start closed"
    page.locator("nav summary", has_text="Menu").click()
    assert logout.is_visible()
    links = page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link")
    for box in [logout.bounding_box()] + [
        links.nth(i).bounding_box() for i in range(links.count())
    ]:
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def _dashboard_screenshots(page, shots, role):
    """The Done-when's artifacts: the dashboard at phone size (menu closed and open) and at
    desktop size, where the items are a bar and "Menu" is gone."""
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"dashboard-{role}-390.png"), full_page=True)
    _menu_opens_with_logout(page)
    page.screenshot(path=str(shots / f"dashboard-{role}-390-menu.png"), full_page=True)
    for width in (768, 1024, DESKTOP["width"]):  # tablet, the bar's narrowest, desktop
        page.set_viewport_size({**DESKTOP, "width": width})
        scroll_width, inner_width = _overflow(page)
        assert scroll_width <= inner_width, f"dashboard of {role} at {width} px: {scroll_width}px"
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    assert not page.locator("nav summary", has_text="Menu").is_visible()
    page.screenshot(path=str(shots / f"dashboard-{role}-1280.png"), full_page=True)
    page.set_viewport_size(PHONE)


def _overflow(page):
    return page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")


def _widest(page):
    """The elements that stick out to the right of the viewport (for the failure message)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth)
          .slice(0, 5)
          .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
               + (e.className && typeof e.className === 'string' ? '.' + e.className : '')
               + ' (' + Math.round(e.getBoundingClientRect().right) + 'px)')"""
    )


@pytest.mark.parametrize("role", ACTORS)
def test_every_page_fits_a_phone_and_passes_axe(site, browser, axe, artifacts_dir, role):
    """Issue 18 item 1 (no horizontal scrolling at 390×844) and item 9 (axe-core, WCAG 2.1 AA:
    no serious or critical violation) on every page the role can open."""
    server, world, pages = site
    context = browser.new_context(base_url=server.url, locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        if role == ANONYMOUS:
            page = context.new_page()
        else:
            page = _login(context, server.url, world, role)
            _dashboard_screenshots(page, artifacts_dir / "screenshots", role)

        too_wide, inaccessible, markup, opened, audited = [], [], [], 0, set()
        for name, path in pages[role]:
            try:
                response = page.goto(path)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file download, not a page
                raise
            if "text/html" not in response.headers.get("content-type", ""):
                continue
            assert response.status == 200, f"{name} {path}: {response.status} for {role}"
            opened += 1
            scroll_width, inner_width = _overflow(page)
            if scroll_width > inner_width:
                too_wide.append(
                    f"{name} {path}: {scroll_width}px > {inner_width}px {_widest(page)}"
                )
            markup.extend(f"{name} {path}: {fault}" for fault in page.evaluate(MARKUP_FAULTS))
            if name in audited:
                continue  # axe once per URL name and role: the same template, other data
            audited.add(name)
            violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
            for violation in violations:
                if violation["impact"] in BLOCKING:
                    targets = [node["target"] for node in violation["nodes"][:3]]
                    inaccessible.append(
                        f"{name} {path}: {violation['id']} ({violation['impact']}) {targets}"
                    )
        assert opened >= 3, f"only {opened} pages opened for {role}"  # the list is not empty
        problems = [f"wider than a 390 px phone: {line}" for line in too_wide]
        problems += [f"axe: {line}" for line in inaccessible]
        problems += [f"markup: {line}" for line in markup]
        assert not problems, f"{role}:\n" + "\n".join(problems)
    finally:
        context.close()


def test_failed_submit_moves_focus_to_the_error_summary(site, browser):
    """Issue 18 item 9: after a refused submit the focus is on the error summary (a screen
    reader announces what to fix) — not left at the top of the page; also on the login page,
    whose e-mail field asks for the focus too."""
    server, world, _pages = site
    context = browser.new_context(base_url=server.url, locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/account/login/")
        page.fill("input[name='auth-username']", "niemand@test.verzuimkluis.example")
        page.fill("input[name='auth-password']", "fout-wachtwoord-1")
        _submit(page, "Volgende")
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"

        page = _login(context, server.url, world, Role.HR)
        page.goto("/verzuim/meldingen/nieuw/")
        _submit(page, "Ziekmelding vastleggen")
        assert page.locator(".error-summary").is_visible()
        assert page.evaluate("() => document.activeElement.id") == "foutmeldingen"
    finally:
        context.close()


def test_error_pages_fit_a_phone(site, browser, axe):
    """Issue 18 items 1 and 5: a refusal (403, the first page the matrix refuses the employee)
    and a missing page (404) fit a 390 px phone and pass axe too."""
    server, world, _pages = site
    refused = next(
        build_path(pattern, path_values(world, check.target, world.user(Role.WERKNEMER)))
        for key, checks in sorted(matrix_index.EXPECTED.items())
        for check in checks
        if check.method == "GET" and check.outcomes.get(Role.WERKNEMER) == FORBIDDEN
        for pattern in PATTERNS_BY_KEY.get(key, ())
        if not pattern.route.startswith("api/")
    )
    context = browser.new_context(base_url=server.url, locale="nl-NL", viewport=PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = _login(context, server.url, world, Role.WERKNEMER)
        for path, status in ((refused, 403), ("/bestaat-niet/", 404)):
            assert page.goto(path).status == status, path
            scroll_width, inner_width = _overflow(page)
            assert scroll_width <= inner_width, f"{path}: {scroll_width}px {_widest(page)}"
            violations = axe.run(page, options=AXE_OPTIONS).response["violations"]
            assert not [v["id"] for v in violations if v["impact"] in BLOCKING], path
    finally:
        context.close()


def _submit(page, button):
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name=button, exact=True).click()
