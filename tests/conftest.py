"""Shared fixtures: one organisation setup, a user per role, verified clients (SE-1).

Services are real (PostgreSQL, Redis, Chromium, nginx, pg_dump). With VK_REQUIRE_SERVICES=1 (CI)
a missing one stops the run at once instead of failing test by test.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.test import Client
from django_otp.oath import TOTP
from rest_framework.test import APIClient

from accounts.roles import Role
from tests.factories import AssignmentFactory, OrganisationFactory, TOTPDeviceFactory, UserFactory

CHROMIUM = "/usr/bin/chromium"
NGINX = "/usr/sbin/nginx"  # tests/test_proxy.py (Debian's nginx-light: `make test` installs it)


def pytest_sessionstart(session):
    if os.environ.get("VK_REQUIRE_SERVICES") != "1":
        return
    missing = []
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        missing.append("REDIS_URL is not set")
    else:
        parsed = urlparse(redis_url)
        try:
            socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=3).close()
        except OSError as exc:
            missing.append(f"Redis unreachable: {exc}")
    if not os.environ.get("DATABASE_URL"):
        missing.append("DATABASE_URL is not set")
    for program in (CHROMIUM, NGINX, "pg_dump", "pg_restore"):
        if not shutil.which(program):
            missing.append(f"{program} missing")
    if missing:
        pytest.exit("Required services missing: " + "; ".join(missing), returncode=3)


def totp_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def employer(db):
    return OrganisationFactory(name="Werkgever A BV")


@pytest.fixture
def other_employer(db):
    return OrganisationFactory(name="Werkgever B BV")


def user_maker(employer):
    """make_user(role, organisation=None, device=True, **fields) → a user with a TOTP device;
    an employer-side role defaults to `employer`, and doctors, casemanagers and consultants are
    assigned to it. A plain function, so a module-scoped World (tests/security) can use it too."""

    def make(role, organisation=None, device=True, **kwargs):
        if organisation is None and role in (
            Role.WERKGEVER,
            Role.HR,
            Role.WERKGEVER_BEHEERDER,
            Role.WERKNEMER,
        ):
            organisation = employer
        fields = {"role": role, **kwargs}
        if organisation is not None:
            fields["organisation"] = organisation
        user = UserFactory(**fields)
        if device:
            TOTPDeviceFactory(user=user)
        if role in (Role.BEDRIJFSARTS, Role.CASEMANAGER, Role.CONSULTANT):
            AssignmentFactory(user=user, organisation=employer)
        return user

    return make


@pytest.fixture
def make_user(db, employer):
    """make_user(role, organisation=None, verified_device=True) → user with a TOTP device."""
    return user_maker(employer)


@pytest.fixture
def verified_client():
    """verified_client(user) → a test Client logged in with a verified second factor."""

    def make(user):
        client = Client()
        client.force_login(user)
        device = user.totpdevice_set.filter(confirmed=True).first()
        assert device is not None, "user needs a TOTP device"
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
        return client

    return make


@pytest.fixture
def unverified_client():
    """unverified_client(user) → logged in with password only (no second factor yet)."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def bearer_client(db):
    """bearer_client(user) → an APIClient carrying a token issued through the real endpoint."""

    def make(user, password=None):
        from tests.factories import PASSWORD

        device = user.totpdevice_set.get(confirmed=True)
        client = APIClient()
        response = client.post(
            "/api/v1/auth/token/",
            {"username": user.email, "password": password or PASSWORD, "otp": totp_code(device)},
            format="json",
        )
        assert response.status_code == 201, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.hookimpl(tryfirst=True)  # before xdist adds the group to each node id
def pytest_collection_modifyitems(items):
    """Every database test may use both aliases: employer pages read the released advice through
    medisch/public.py on the medisch connection (MD-5).

    CI budget: a test that uses a module-scoped fixture (the matrix's World, the seeded demo,
    the layout walk's site, a Celery worker) joins its module's xdist group, so under
    `--dist loadgroup` (Makefile) the module runs on one worker and builds that fixture once,
    not once per worker; every other test is balanced one by one."""
    for item in items:
        _group_by_module_fixture(item)
        marker = item.get_closest_marker("django_db")
        uses_db = {"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        if marker is None and not uses_db:
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        if "transactional_db" in getattr(item, "fixturenames", ()) or "live_server" in getattr(
            item, "fixturenames", ()
        ):
            kwargs.setdefault("transaction", True)
        kwargs["databases"] = ["default", "medisch"]
        item.add_marker(
            pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False
        )


def _group_by_module_fixture(item):
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return
    for definitions in info.name2fixturedefs.values():
        if any(definition.scope == "module" for definition in definitions):
            item.add_marker(pytest.mark.xdist_group(item.module.__name__))
            return
