"""The matrix's shared machinery (see tests/security/matrix/__init__.py): the outcomes and
row(), Check, the URL patterns from the resolver, building a path, sending a check's request
and asserting its outcome, and cases() that turns an app module's EXPECTED into test
parameters. No tests here: pytest does not collect this module (pyproject python_files).
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, fields

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, resolve
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from tests.security.conftest import ACTORS, ANONYMOUS, UNENROLLED, UNVERIFIED, World
from verzuim.models import DeadlineCompletion

LOGIN_URL = "/account/login/"
SETUP_URL = "/account/2fa/instellen/"
ADMIN_LOGIN_URL = "/admin/login/"
ROLES = tuple(Role.values)

# --- Outcomes -------------------------------------------------------------------------------------
OK = "ok"  # 200
CREATED = "created"  # 201
NO_CONTENT = "no_content"  # 204
FORM_ERROR = "form_error"  # 200: the form is shown again with an error; nothing is saved
LOGIN = "login"  # 302 to /account/login/?next=<path> (for a session: that session is ended)
SETUP = "setup"  # 302 to 2FA enrolment /account/2fa/instellen/
ADMIN_LOGIN = "admin_login"  # 302 to /admin/login/?next=<path> (which forwards to LOGIN_URL)
SIGNIN = "signin"  # LOGIN or ADMIN_LOGIN (the admin site's own views use its login page)
STAFF = "staff"  # admin group rule for the operator: the admin's own answer (2xx, 3xx inside
# the admin, 403, 404, 405) — never a server error, never a sign-in redirect
FORBIDDEN = "forbidden"  # 403 (on /api/: JSON with a code other than otp_required)
NOTFOUND = "notfound"  # 404 (on /api/: JSON code not_found) — SE-9 scoping hides the object
METHOD = "method"  # 405: GET on a POST-only view
INVALID = "invalid"  # 400: an empty or invalid body was refused
OTP_REQUIRED = "otp_required"  # 403 JSON {"code": "otp_required"} (SE-1, no redirect)
UNAUTH = "unauth"  # 401, WWW-Authenticate: Bearer (JSON code not_authenticated where JSON)
REFUSED = "refused"  # 403 JSON {"code": "account_refused"} (SE-3)
# DG-6, the doelgroep confidentiality gate: 403 for a role that may sign the statement but has
# no current signature (a page links to /doelgroep/verklaring/; on /api/: JSON code
# confidentiality_statement_required) ...
UNSIGNED = "unsigned"
# ... and 403 for a role that may not sign at all (no link to sign; on /api/: JSON code
# doelgroep_role_refused).
DG_ROLE = "dg_role"
DG_GATE_CODES = {UNSIGNED: "confidentiality_statement_required", DG_ROLE: "doelgroep_role_refused"}
# "redirect:<url>": 302 to exactly <url>

# Gates: what the non-role actors get.
PAGE = {ANONYMOUS: LOGIN, UNVERIFIED: LOGIN, UNENROLLED: SETUP}
PUBLIC = {ANONYMOUS: OK, UNVERIFIED: LOGIN, UNENROLLED: SETUP}  # Django's login_not_required
POSTED = {ANONYMOUS: LOGIN, UNVERIFIED: OTP_REQUIRED, UNENROLLED: OTP_REQUIRED}
API = {ANONYMOUS: UNAUTH, UNVERIFIED: OTP_REQUIRED, UNENROLLED: OTP_REQUIRED}


def row(gate: dict, roles: str, **exceptions) -> dict:
    """Outcome per actor: `gate` for the SE-1 actors, `roles` for every verified role unless an
    exception names it (keyword = role value with "_" for "-")."""
    outcomes = {**gate, **dict.fromkeys(ROLES, roles)}
    for key, outcome in exceptions.items():
        actor = key.replace("_", "-")
        assert actor in ACTORS, actor
        outcomes[actor] = outcome
    assert set(outcomes) == set(ACTORS)
    return outcomes


# Outcome groups more than one app module uses: the employer's two roles that file and request.
FILERS_OK = dict.fromkeys(("hr", "werkgever"), OK)
FILERS_FORM_ERROR = dict.fromkeys(("hr", "werkgever"), FORM_ERROR)


# --- State probes more than one app module uses ------------------------------------------------
def own_case_completions(world, user):
    return DeadlineCompletion.objects.filter(case_id=world.own_case.case_id).count()


def foreign_case_completions(world, user):
    return DeadlineCompletion.objects.filter(case_id=world.foreign_case.case_id).count()


def medisch_count(table):
    from django.db import connections

    with connections["medisch"].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
        return cursor.fetchone()[0]


@dataclass(frozen=True)
class Check:
    """One request on a URL and its expected outcome per actor."""

    outcomes: dict
    method: str = "GET"
    label: str = ""
    # Which object fills <pk>/<object_id>: "self" (the actor's own user; the colleague for
    # anonymous) or any World object by its attribute name (colleague, outsider,
    # outsider_token, employer, own_case, own_trajectory, ...; see tests/security/conftest.py).
    # An outcome "redirect:...{own_trajectory}..." names that World object's pk.
    target: str = "colleague"
    data: Callable | None = None  # world, user → POST body
    state: Callable | None = None  # world, user → value that must not change unless allowed
    may_change: frozenset = frozenset()
    bearer: dict | None = None  # outcome overrides when calling with a bearer token
    rules: str = "SE-2"

    @property
    def name(self):
        return self.label or self.method


ADMIN_GROUP = "admin:*"


# --- The URL patterns, from the resolver ----------------------------------------------------------
@dataclass(frozen=True)
class Pattern:
    route: str  # as ResolverMatch.route reports it
    name: str | None  # "namespace:name"

    @property
    def key(self):
        if self.namespace == "admin" or self.route.startswith("admin/"):
            return ADMIN_GROUP
        return self.name or self.route

    @property
    def namespace(self):
        return self.name.rpartition(":")[0] if self.name else ""

    @property
    def is_format_suffix(self):
        return "(?P<format>" in self.route


def url_patterns(patterns=None, prefix="", namespaces=()):
    """Every URL pattern, recursively through includes, with its full route and name."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from url_patterns(pattern.url_patterns, route, inner)
        else:
            name = ":".join((*namespaces, pattern.name)) if pattern.name else None
            yield Pattern(route, name)


PATTERNS = tuple(url_patterns())
PATTERNS_BY_KEY: dict[str, list[Pattern]] = {}
for _pattern in PATTERNS:
    PATTERNS_BY_KEY.setdefault(_pattern.name or _pattern.route, []).append(_pattern)

_CONVERTER = re.compile(r"<(?:\w+:)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def build_path(pattern: Pattern, values: dict) -> str:
    """A concrete path for a route (path() converters and regex groups alike)."""
    path = _GROUP.sub(lambda m: str(values[m["name"]]), pattern.route)
    path = _CONVERTER.sub(lambda m: str(values[m["name"]]), path)
    path = "/" + path.replace("$", "").replace("/?", "").replace("\\.", ".")
    assert resolve(path).route == pattern.route, (path, pattern.route)
    return path


# World fields that are not objects a check can aim at.
_NOT_TARGETS = frozenset({"make_user", "users", "sessions", "tokens"})
TARGETS = frozenset(f.name for f in fields(World)) - _NOT_TARGETS


def path_values(world, check_target, user) -> dict:
    """The values for a route's parameters; <pk> and <object_id> are the check's target."""
    assert check_target == "self" or check_target in TARGETS, f"unknown target {check_target!r}"
    if check_target == "self":
        pk = user.pk if user else world.colleague.pk
    else:
        pk = getattr(world, check_target).pk
    # The sync API's <personnel_number>: the target's when it is an employee, else own_werknemer's.
    werknemer = world.own_werknemer if check_target == "self" else getattr(world, check_target)
    return {
        "personnel_number": getattr(werknemer, "personnel_number", None)
        or world.own_werknemer.personnel_number,
        "werknemer_pk": world.own_werknemer.pk,
        "fmt": "csv",
        # RI-1: an employer's step (completed with date and proof), open on the world's case.
        "key": "melding_42e_week",
        "verlof_pk": world.own_verlof.pk,
        "part": "doelgroep",  # privacy:request_part — the special part of an access request
        "occurrence": 1,
        "number": 1,  # reintegratie:plan_version — every plan has its version 1
        "pk": pk,
        "object_id": pk,
        "format": "json",
        "uidb64": urlsafe_base64_encode(force_bytes(world.colleague.pk)),
        "token": "set-password",
        "app_label": "accounts",
        "content_type_id": ContentType.objects.get_for_model(User).pk,
        "url": "bestaat-niet/",
        "report": "42e-week",  # verzuim:uwv_melding — the 42e-weekmelding (RI-11)
        # RI-12: reintegratie:oordeel(_pdf) — the released advice of own_case; and the document
        # kind of reintegratie:mijn_zienswijze (its <pk> a verslag).
        "advies": world.released_advies.pk if world.released_advies else 0,
        "kind": "verslag",
    }


# --- Asserting an outcome -------------------------------------------------------------------------
def _is_json(response):
    return "json" in response.headers.get("Content-Type", "")


def _json_code(response):
    assert _is_json(response), response.headers.get("Content-Type")
    return json.loads(response.content).get("code")


def assert_outcome(response, outcome: str, path: str) -> None:
    status = response.status_code
    location = response.headers.get("Location", "")
    got = f"{path}: expected {outcome}, got {status} {location}".rstrip()
    api = path.startswith("/api/")
    sign_in = (f"{LOGIN_URL}?next={path}", f"{ADMIN_LOGIN_URL}?next={path}")
    if outcome == OK:
        assert status == 200, got
    elif outcome == CREATED:
        assert status == 201, got
    elif outcome == NO_CONTENT:
        assert status == 204, got
    elif outcome == FORM_ERROR:
        assert status == 200, got
        assert 'class="error-summary"' in response.content.decode(), got
    elif outcome == LOGIN:
        assert (status, location) == (302, sign_in[0]), got
    elif outcome == ADMIN_LOGIN:
        assert (status, location) == (302, sign_in[1]), got
    elif outcome == SIGNIN:
        assert status == 302 and location in sign_in, got
    elif outcome == SETUP:
        assert (status, location) == (302, SETUP_URL), got
    elif outcome == STAFF:
        assert status < 500, got
        assert not location.startswith((LOGIN_URL, ADMIN_LOGIN_URL)), got
        assert status != 302 or location.startswith("/admin/"), got
    elif outcome == FORBIDDEN:
        assert status == 403, got
        if api:
            assert _json_code(response) not in (None, "otp_required"), got
    elif outcome == NOTFOUND:
        assert status == 404, got
        if api:
            assert _json_code(response) == "not_found", got
    elif outcome == METHOD:
        assert status == 405, got
    elif outcome == INVALID:
        assert status == 400, got
    elif outcome == OTP_REQUIRED:
        assert status == 403, got
        assert _json_code(response) == "otp_required", got
    elif outcome == UNAUTH:
        assert status == 401, got
        # The schema and docs views render their own media type; the API answers JSON.
        assert not _is_json(response) or _json_code(response) == "not_authenticated", got
        assert response.headers.get("WWW-Authenticate") == 'Bearer realm="api"', got
    elif outcome == REFUSED:
        assert status == 403, got
        assert _json_code(response) == "account_refused", got
    elif outcome in (UNSIGNED, DG_ROLE):
        assert status == 403, got
        if api:
            assert _json_code(response) == DG_GATE_CODES[outcome], got
        else:
            sign_link = 'href="/doelgroep/verklaring/"' in response.content.decode()
            assert sign_link == (outcome == UNSIGNED), got
    elif outcome.startswith("redirect:"):
        assert (status, location) == (302, outcome.removeprefix("redirect:")), got
    else:  # pragma: no cover
        raise AssertionError(f"unknown outcome {outcome!r}")


GRANTED = (OK, CREATED, NO_CONTENT, FORM_ERROR, STAFF)


def assert_no_leak(response, world, actor, outcome, path):
    """SE-9: only the operator ever sees another organisation's people; a refusal shows
    nobody's data at all."""
    if actor == Role.BEHEERDER:
        return
    body = response.content.decode(errors="replace")
    for secret in (world.outsider.email, world.outsider.full_name, world.other_employer.name):
        assert secret not in body, f"{path} leaks {secret!r} to {actor}"
    if outcome not in GRANTED:
        for secret in (world.colleague.email, world.colleague.full_name):
            assert secret not in body, f"{path} ({outcome}) leaks {secret!r} to {actor}"


def fill_placeholders(outcome: str, world) -> str:
    """A "{own_trajectory}" in an outcome → that World object's pk; NEW_RI_VERSLAG → the
    newest verslag (read after the request, which may just have created it)."""
    if "NEW_RI_VERSLAG" in outcome:
        from reintegratie.models import Reintegratieverslag

        newest = Reintegratieverslag.objects.order_by("-pk").first()
        outcome = outcome.replace("NEW_RI_VERSLAG", f"/reintegratie/verslagen/{newest.pk}/")
    return re.sub(r"\{(\w+)\}", lambda m: str(getattr(world, m[1]).pk), outcome)


def send(client, check: Check, path: str, world, user):
    if check.method == "GET":
        return client.get(path)
    data = check.data(world, user) if check.data else None
    if check.method in ("PATCH", "PUT"):
        method = check.method.lower()
        if isinstance(client, APIClient):
            return getattr(client, method)(path, data or {}, format="json")
        return getattr(client, method)(
            path, json.dumps(data or {}), content_type="application/json"
        )
    if data is None:
        return client.post(path)
    if isinstance(client, APIClient):
        return client.post(path, data, format="json")
    if path.startswith("/api/"):
        return client.post(path, data, content_type="application/json")
    return client.post(path, data)


def run_check(client_for, world, key, check, pattern, actor, transport="session"):
    user = world.user(actor)
    client = client_for(actor, transport)
    outcome = check.outcomes[actor]
    if transport == "bearer" and check.bearer and actor in check.bearer:
        outcome = check.bearer[actor]
    path = build_path(pattern, path_values(world, check.target, user))
    before = check.state(world, user) if check.state else None

    response = send(client, check, path, world, user)

    outcome = outcome.replace("OWN_WN", f"/verzuim/werknemers/{world.own_werknemer.pk}/")
    outcome = outcome.replace("OWN_CASE", f"/verzuim/meldingen/{world.own_case.pk}/")
    outcome = outcome.replace("OWN_DOSSIER", f"/medisch/dossiers/{world.own_dossier.pk}/")
    outcome = fill_placeholders(outcome, world)

    try:
        assert_outcome(response, outcome, path)
        assert_no_leak(response, world, actor, outcome, path)
        if check.state:
            after = check.state(world, user)
            if actor in check.may_change:
                assert after != before, f"{check.method} {path} did not take effect"
            else:
                assert after == before, f"{check.method} {path} changed state it may not"
        if actor == UNVERIFIED and outcome == LOGIN:
            # SE-1: a session without the second factor is ended, not just redirected.
            assert "_auth_user_id" not in client.session, f"{path} left the session logged in"
    except AssertionError as error:
        context = f"[{check.rules}] {check.method} as {actor} ({transport})"
        raise AssertionError(f"{context}: {error}") from error


# --- Parametrisation ------------------------------------------------------------------------------
def marks(key, check, actor, known_bugs):
    bug = known_bugs.get((key, check.name))
    if bug and actor in bug[0]:
        return [pytest.mark.xfail(strict=True, reason=bug[1])]
    return []


def cases(expected, actors, transport="session", known_bugs=None):
    """The test parameters of an app module's EXPECTED: every check × every pattern of its URL
    key × every actor (for transport "bearer" only the API patterns), with id
    "{key}.{check.name}{.json for a format-suffix pattern}@{actor}". An entry of known_bugs (the
    module's KNOWN_BUGS) makes its cases strict xfails."""
    known_bugs = known_bugs or {}
    for key, checks in expected.items():
        if key == ADMIN_GROUP or key not in PATTERNS_BY_KEY:
            continue  # the admin sweep covers the group; stale keys fail their own test
        for check in checks:
            for pattern in PATTERNS_BY_KEY[key]:
                if transport == "bearer" and not pattern.route.startswith("api/"):
                    continue
                if pattern.is_format_suffix and check.method != "GET":
                    continue  # rule FORMAT: the suffix variants repeat the GET checks
                suffix = ".json" if pattern.is_format_suffix else ""
                for actor in actors:
                    yield pytest.param(
                        key,
                        check,
                        pattern,
                        actor,
                        id=f"{key}.{check.name}{suffix}@{actor}",
                        marks=marks(key, check, actor, known_bugs),
                    )


def matrix_tests(expected, known_bugs):
    """An app module's cases and its two tests, parametrised over its rows:

        MATRIX, BEARER_MATRIX, test_matrix, test_matrix_with_bearer_token = matrix_tests(...)

    test_matrix_with_bearer_token is None for a module without API rows (an empty parametrize
    would add a [NOTSET] case)."""
    matrix = list(cases(expected, ACTORS, known_bugs=known_bugs))
    bearer_matrix = list(cases(expected, ROLES, "bearer", known_bugs=known_bugs))

    @pytest.mark.parametrize(("key", "check", "pattern", "actor"), matrix)
    def test_matrix(client_for, world, key, check, pattern, actor):
        """SE-2 (all rows), SE-1 (anonymous/unverified/unenrolled rows), SE-3 (issuing pages and
        API), SE-9 (scoped lookups answer 404 and leak nothing): one URL × one actor, over a
        session (the browser's way in)."""
        run_check(client_for, world, key, check, pattern, actor)

    @pytest.mark.parametrize(("key", "check", "pattern", "actor"), bearer_matrix)
    def test_matrix_with_bearer_token(client_for, world, key, check, pattern, actor):
        """SE-2, SE-1, SE-3, SE-9: the API rows again, calling with a bearer token issued after
        password + TOTP (no session cookie, so the middleware leaves it to DRF)."""
        run_check(client_for, world, key, check, pattern, actor, transport="bearer")

    return (
        matrix,
        bearer_matrix,
        test_matrix,
        (test_matrix_with_bearer_token if bearer_matrix else None),
    )
