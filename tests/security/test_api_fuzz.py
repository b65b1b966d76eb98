"""SE-6, SE-2, SE-1, SE-9: schemathesis fuzzes every operation of the API schema, in-process,
once per actor of the security World, with that actor's credentials.

Per example (one generated request, positive or negative input) it checks: no server error
(5xx); status code, content type and body as documented in the schema (drf-spectacular); and
no 2xx for an actor the authorization matrix (test_authorization_matrix.EXPECTED, the rows of
tests/security/matrix/ merged) denies. Every example runs in a savepoint that is rolled back,
so each request sees the same fresh World (a revoked token or a recorded exam does not leak
into the next example).

CI size: a fixed request budget, VK_FUZZ_BUDGET (default 2,400) requests over all actors,
spread evenly over the operations (at least one example each), no shrinking. The examples are
seeded by the date (VK_FUZZ_SEED, default today's yyyymmdd, mixed with the operation): the same
day gives the same requests, and every day other ones, so CI's coverage grows over the days. A
failure prints its seed; `VK_FUZZ_SEED=<seed>` repeats it. VK_FUZZ_DEBUG=1 adds the request body
to a failure. The dedicated run (`make fuzz`) sets VK_FUZZ_EXAMPLES, examples per operation per
actor, derandomized:

    VK_FUZZ_EXAMPLES=100 pytest tests/security/test_api_fuzz.py -s

Last figures (2026-11-24, shared 2-core machine, load 2-5): dedicated run 53 operations × 11
actors × 100 examples = 58,300 requests, 0 failures, 17 min 48 s; CI size 5,830 requests,
0 failures, 2 min 0 s. Before the fixes the runs found 10 schema and server bugs (undocumented
400/401/403/404/415/429, 500s on non-numeric ids, HTML 404s under /api/, bodies off-schema).
"""

import json
import os
import re
import sys
import time
import traceback
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.conf import settings as django_settings
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import resolve
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.roles import Role
from tests.security.conftest import ACTORS, ANONYMOUS
from tests.security.matrix._base import GRANTED, INVALID, NOTFOUND, path_values
from tests.security.test_authorization_matrix import EXPECTED

pytestmark = pytest.mark.django_db

# make fuzz: a number of examples per operation per actor; CI: a request budget (see above).
EXAMPLES = int(os.environ["VK_FUZZ_EXAMPLES"]) if os.environ.get("VK_FUZZ_EXAMPLES") else None
BUDGET = int(os.environ.get("VK_FUZZ_BUDGET", "2400"))
SEED = int(os.environ.get("VK_FUZZ_SEED") or date.today().strftime("%Y%m%d"))
DATABASES = ("default", "medisch")
# An outcome in the matrix that means "this actor gets past authorization" (the request may
# still be refused for its content: INVALID is a 400 after the permission checks).
PASSES = frozenset({*GRANTED, INVALID})
_PARAM = re.compile(r"\{(\w+)\}")


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


# --- The schema, in-process ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def api_schema():
    """The schema exactly as /api/schema/ serves it (drf-spectacular), loaded by schemathesis,
    calling the Django WSGI application in-process."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    raw = json.loads(OpenApiJsonRenderer().render(raw, renderer_context={}))
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = get_wsgi_application()
    return schema


@contextmanager
def in_process():
    """Keep the test transaction's connections open across in-process requests (as the Django
    test client does per request; so no test client may run inside this block), and note any
    exception a view raises."""
    errors = []

    def note(sender, request=None, **kwargs):
        kind, exc, tb = sys.exc_info()
        ours = [
            f for f in traceback.extract_tb(tb) if "/.venv/" not in f.filename
        ] or traceback.extract_tb(tb)
        where = f"{ours[-1].filename}:{ours[-1].lineno} in {ours[-1].name}" if ours else "?"
        errors.append(f"{kind.__name__}: {exc} (at {where})")

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    got_request_exception.connect(note, weak=False)
    try:
        yield errors
    finally:
        got_request_exception.disconnect(note)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def operations(schema):
    return [result.ok() for result in schema.get_all_operations()]


def url_key(path_template: str) -> str:
    """The matrix key (URL name) of a schema path, via Django's resolver."""
    return resolve(_PARAM.sub("1", path_template)).view_name


# --- Credentials per actor -----------------------------------------------------------------------
@dataclass
class Credentials:
    transport: str  # "none", "session" or "bearer"
    cookies: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


def credentials_for(client_for, actor) -> list[Credentials]:
    """The ways in an actor has: none (anonymous); a session cookie with a CSRF cookie and the
    matching header (every other actor); a bearer token from the real token endpoint (the
    verified roles)."""
    if actor == ANONYMOUS:
        return [Credentials("none")]
    client = client_for(actor)
    csrf = get_random_string(32)
    session = Credentials(
        "session",
        cookies={
            django_settings.SESSION_COOKIE_NAME: client.cookies[
                django_settings.SESSION_COOKIE_NAME
            ].value,
            django_settings.CSRF_COOKIE_NAME: csrf,
        },
        headers={"X-CSRFToken": csrf},
    )
    if actor not in Role.values:
        return [session]
    bearer = client_for(actor, "bearer")._credentials["HTTP_AUTHORIZATION"]
    return [session, Credentials("bearer", headers={"Authorization": bearer})]


# --- The matrix: who may get a 2xx --------------------------------------------------------------
def target_ids(world, key, user) -> dict[int, set[str]]:
    """pk → the matrix targets of `key` that have that pk (for steering path ids)."""
    ids: dict[int, set[str]] = {}
    for check in EXPECTED.get(key, ()):
        pk = path_values(world, check.target, user)["pk"]
        ids.setdefault(pk, set()).add(check.target)
    return ids


def denied(key, method, actor, transport, targets_hit) -> bool | None:
    """True when the matrix refuses `actor` every check of `key` with this method (on the
    object addressed, when it is one of the matrix's targets). Without a check for the method,
    the GET checks decide: who may not read a resource may not change it either. None when the
    matrix has nothing to say.

    An id the fuzzer made up (none of the matrix's targets) may still name a row the actor may
    see — their own account or case, whose pk depends on what ran before. For such an id only a
    refusal that does not depend on the object counts (401, 403, a sign-in or set-up redirect);
    a 404, which is scoping (SE-9), is asserted on the named targets only."""
    checks = [c for c in EXPECTED.get(key, ()) if c.method == method]
    if not checks:
        checks = [c for c in EXPECTED.get(key, ()) if c.method == "GET"]
    if targets_hit:
        on_target = [c for c in checks if c.target in targets_hit]
        checks = on_target or checks
    if not checks:
        return None
    outcomes = []
    for check in checks:
        outcome = check.outcomes[actor]
        if transport == "bearer" and check.bearer and actor in check.bearer:
            outcome = check.bearer[actor]
        outcomes.append(outcome)
    if not targets_hit and NOTFOUND in outcomes:
        return False
    return not any(o in PASSES or o.startswith("redirect:") for o in outcomes)


# --- Fuzzing -------------------------------------------------------------------------------------
def _rollback_all():
    for alias in DATABASES:
        transaction.set_rollback(True, using=alias)


@dataclass
class Run:
    """One actor's fuzzing: its World, ways in, and what it found."""

    world: object
    actor: str
    ways: list
    errors: list  # exceptions views raised (see in_process)
    examples: int = 1  # per operation; set by fuzz()
    failures: dict = field(default_factory=dict)
    requests: int = 0

    def record(self, operation, key, problem, way, response, detail):
        ident = (operation.label, way.transport, problem)
        if ident not in self.failures:
            status = response.status_code if response is not None else "-"
            if response is not None:
                sent = response.request.headers.get("Content-Type", "-")
                detail = f"{detail}\n      (sent {sent}; got {response.content[:200]!r})"
                if os.environ.get("VK_FUZZ_DEBUG"):
                    detail += f"\n      body {response.request.body[:400]!r}"
            self.failures[ident] = (
                f"{operation.label} [{key}] as {self.actor} ({way.transport}) → {status}: "
                f"{problem}\n      {detail.strip()[:700]}"
            )

    def fuzz(self, schema):
        """Every operation × `examples` requests (EXAMPLES, or this actor's share of BUDGET);
        returns one line per distinct (operation, transport, problem), sorted."""
        every = operations(schema)
        self.examples = EXAMPLES or max(1, BUDGET // (len(ACTORS) * len(every)))
        for operation in every:
            self.fuzz_operation(operation)
        return sorted(self.failures.values())

    def seeded(self, operation, test):
        """make fuzz: derandomized (the same examples every run). CI: the date's seed mixed
        with the operation and the actor, so each day tries other requests."""
        if EXAMPLES:
            return test
        mixed = zlib.crc32(f"{SEED}:{operation.label}:{self.actor}".encode())
        return seed(mixed)(test)

    def fuzz_operation(self, operation):
        import schemathesis
        from schemathesis.core.failures import FailureGroup

        checks = _checks()
        method = operation.method.upper()
        key = url_key(operation.path)
        has_id = "{id}" in operation.path
        ids = target_ids(self.world, key, self.world.user(self.actor)) if has_id else {}
        strategy = st.one_of(
            operation.as_strategy(schemathesis.GenerationMode.POSITIVE),
            operation.as_strategy(schemathesis.GenerationMode.NEGATIVE),
        )

        @hypothesis_settings(
            max_examples=self.examples,
            derandomize=bool(EXAMPLES),
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy, data=st.data())
        def run(case, data):
            way = data.draw(st.sampled_from(self.ways), label="transport")
            if has_id:
                # Half the time the id of an object the matrix names (own and foreign ones).
                steer = data.draw(st.sampled_from([None, *sorted(ids)]), label="id")
                if steer is not None:
                    case.path_parameters = {**(case.path_parameters or {}), "id": steer}
            if way.transport == "session" and case.headers:
                # The schema's bearerAuth makes schemathesis invent a token; a session caller
                # sends none (a bad one is answered 401 first, see the anonymous actor).
                case.headers = {
                    k: v for k, v in case.headers.items() if k.lower() != "authorization"
                }
            pk = (case.path_parameters or {}).get("id")
            hit = ids.get(pk, set()) if isinstance(pk, int) else set()
            self.errors.clear()
            response = None
            with transaction.atomic(using="default"), transaction.atomic(using="medisch"):
                try:
                    response = case.call(headers=dict(way.headers), cookies=dict(way.cookies))
                except Exception as exc:  # a request schemathesis could not even send
                    problem = f"transport error {type(exc).__name__}"
                    self.record(operation, key, problem, way, None, str(exc))
                _rollback_all()
            if response is None:
                return
            self.requests += 1
            try:
                case.validate_response(response, checks=checks, headers=dict(way.headers))
            except FailureGroup as group:
                for failure in group.exceptions:
                    detail = failure.message
                    if response.status_code >= 500 and self.errors:
                        detail += "\n" + self.errors[-1]
                    self.record(operation, key, failure.title, way, response, detail)
            if 200 <= response.status_code < 300 and denied(
                key, method, self.actor, way.transport, hit
            ):
                self.record(
                    operation,
                    key,
                    "SE-2: 2xx for an actor the authorization matrix denies",
                    way,
                    response,
                    f"{method} {case.formatted_path} id={pk}",
                )

        self.seeded(operation, run)()


# --- Tests ---------------------------------------------------------------------------------------
def test_every_schema_operation_has_a_matrix_row(api_schema):
    """SE-2: every operation of the API schema resolves to a URL name with a row in the
    authorization matrix, so the fuzzer knows who may get a 2xx."""
    missing = sorted(
        f"{op.label} → {url_key(op.path)}"
        for op in operations(api_schema)
        if url_key(op.path) not in EXPECTED
    )
    assert not missing, missing


def test_matrix_denials_are_derived(api_schema):
    """SE-2, MD-2, SE-1: the "no 2xx to a denied actor" check is not vacuous — read from the
    matrix, anonymous is denied every operation but the token exchange, no employer role may
    read the medical dossiers, and the doctor may."""
    for op in operations(api_schema):
        key = url_key(op.path)
        method = op.method.upper()
        assert denied(key, method, ANONYMOUS, "none", set()) == (key != "api:token"), key
    for role in ("werkgever", "hr", "werkgever-beheerder", "beheerder"):
        assert denied("medisch-api:dossier-detail", "GET", role, "session", {"own_dossier"})
    assert not denied("medisch-api:dossier-detail", "GET", "bedrijfsarts", "bearer", set())


@pytest.mark.parametrize("actor", ACTORS)
def test_api_fuzz(api_schema, world, client_for, actor):
    """SE-6 (automated attack tests), SE-2/SE-9 (no 2xx the matrix denies), SE-1 (anonymous,
    unverified and unenrolled get nothing): every operation, fuzzed as one actor, positive and
    negative inputs; no 5xx, only documented status codes, content types and bodies."""
    ways = credentials_for(client_for, actor)
    started = time.monotonic()
    with in_process() as errors:
        run = Run(world, actor, ways, errors)
        failures = run.fuzz(api_schema)
    seconds = time.monotonic() - started
    mode = f"{EXAMPLES} examples" if EXAMPLES else f"budget {BUDGET}, VK_FUZZ_SEED={SEED}"
    print(f"{actor}: {run.requests} requests in {seconds:.0f} s ({mode}), {len(failures)} failures")
    if failures:
        pytest.fail(f"{len(failures)} failure(s) as {actor} ({mode}):\n  " + "\n  ".join(failures))
