"""SE-2: the authorization matrix as a whole, against the project's whole URL resolver.

The rows and the requests they make live per app in tests/security/matrix/ (how to read and
extend the matrix: tests/security/matrix/__init__.py). This module merges the app modules'
EXPECTED and KNOWN_BUGS and checks them against every URL pattern: a URL without a row, a row
without a URL, a URL in two modules, or a pattern that no actor requests fails here.
"""

import pytest

from tests.security.conftest import ACTORS
from tests.security.matrix import accounts, doelgroep, medisch, privacy, reintegratie, verzuim
from tests.security.matrix._base import ADMIN_GROUP, PATTERNS, PATTERNS_BY_KEY, Check

pytestmark = pytest.mark.django_db

# Every module of the matrix; a new one is added here.
APP_MODULES = (accounts, verzuim, medisch, reintegratie, doelgroep, privacy)


def _merge(attribute):
    merged, owner = {}, {}
    for module in APP_MODULES:
        for key, value in getattr(module, attribute).items():
            assert key not in owner, (
                f"{attribute} key {key!r} is in both {owner[key]} and {module.__name__}"
            )
            owner[key] = module.__name__
            merged[key] = value
    return merged


EXPECTED: dict[str, tuple[Check, ...]] = _merge("EXPECTED")
# (URL key, check name) → (actors, reason), for session and bearer alike. Empty: the two bugs
# this matrix found when written (accounts/scoping.py organisations_for() raising a TypeError
# for assigned roles; /api/schema/ and /api/docs/ served to anonymous callers) were fixed in
# 0740047.
KNOWN_BUGS: dict[tuple[str, str], tuple[tuple[str, ...], str]] = _merge("KNOWN_BUGS")
MATRIX = [param for module in APP_MODULES for param in module.MATRIX]
BEARER_MATRIX = [param for module in APP_MODULES for param in module.BEARER_MATRIX]


def test_every_url_pattern_has_an_expectation():
    """SE-2: a URL without a row in EXPECTED fails here — add its row when adding the URL."""
    missing = sorted(f"{p.route} (name={p.name})" for p in PATTERNS if p.key not in EXPECTED)
    assert not missing, "URL patterns without an authorization row: " + ", ".join(missing)


def test_expected_names_only_existing_urls():
    """SE-2: a row whose URL no longer exists fails here — remove or rename it."""
    stale = sorted(key for key in EXPECTED if key != ADMIN_GROUP and key not in PATTERNS_BY_KEY)
    assert not stale, f"EXPECTED names URLs that do not exist: {stale}"
    # A module's KNOWN_BUGS marks only that module's cases: an entry must name its own rows.
    stale_bugs = sorted(
        f"{module.__name__}: {key}.{name}"
        for module in APP_MODULES
        for key, name in module.KNOWN_BUGS
        if name not in {check.name for check in module.EXPECTED.get(key, ())}
    )
    assert not stale_bugs, f"KNOWN_BUGS names checks that do not exist: {stale_bugs}"


def test_matrix_is_complete():
    """SE-2: every non-admin pattern is requested by every actor, every admin pattern is under
    the group rule, and the admin's representative pages are all in the matrix — over the
    union of the app modules, each of which runs its own cases."""
    for module in APP_MODULES:
        assert module.MATRIX and callable(getattr(module, "test_matrix", None)), module.__name__
        if module.BEARER_MATRIX:
            assert callable(getattr(module, "test_matrix_with_bearer_token", None)), (
                f"{module.__name__} has API rows but no test_matrix_with_bearer_token"
            )
    requested = {(param.values[2], param.values[3]) for param in MATRIX}
    for pattern in PATTERNS:
        if pattern.key == ADMIN_GROUP:
            continue
        for actor in ACTORS:
            assert (pattern, actor) in requested, (pattern.route, actor)
    admin = [p for p in PATTERNS if p.key == ADMIN_GROUP]
    assert len(admin) >= 20, "the admin site should contribute its full set of patterns"
    representative = {
        "admin:index",
        "admin:app_list",
        "admin:accounts_user_changelist",
        "admin:accounts_organisation_changelist",
        "admin:accounts_organisation_add",
    }
    assert representative <= set(accounts.EXPECTED)
    api_v1 = {p for p in PATTERNS if p.route.startswith("api/v1/")}
    assert api_v1 <= {param.values[2] for param in BEARER_MATRIX}
    assert any(p.is_format_suffix for p in api_v1), "DRF format-suffix variants expected"
