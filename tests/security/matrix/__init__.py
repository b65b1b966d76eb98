"""SE-2: the authorization matrix. Every URL pattern of the project × every actor.

Actors: anonymous, unverified (password only, HAS a confirmed TOTP device), unenrolled
(password only, no device) — the SE-1 rows — and the eight roles of accounts.roles.Role, each
logged in with a verified second factor.

Where it lives:
- One module per app: accounts.py (login and enrolment, account pages, user management, the
  accounts API, the API schema and docs, and the admin site), verzuim.py, medisch.py (with the
  aanstellingskeuring, MD-7, also its pages under verzuim/), reintegratie.py, doelgroep.py and
  privacy.py (privacy and retention). Each holds its own EXPECTED rows, their state probes and
  request bodies, its World builder where it has one (called by build_world() in
  tests/security/conftest.py, so every module's World holds every object), its KNOWN_BUGS, and
  its test_matrix / test_matrix_with_bearer_token parametrized over its own rows only. Each
  module builds its own World (the `world` fixture is module-scoped).
- _base.py: the shared machinery (outcomes, row(), Check, the URL patterns from the resolver,
  path_values, assert_outcome, run_check, cases()). pytest collects the app modules but not
  _base.py or this file (pyproject, python_files).
- tests/security/test_authorization_matrix.py: the whole-resolver checks over the union of
  the app modules (APP_MODULES there): every URL has a row, no row names a missing URL or sits
  in two modules, and every pattern is requested by every actor.

How to read and extend it:
- EXPECTED maps a URL name (or, for an unnamed pattern, its route) to one or more Checks; a
  Check is one request (method, path parameters, body) with an outcome per actor. A new URL
  gets its row in the module of its app; a new app module is added to APP_MODULES in
  test_authorization_matrix.py (pytest collects it by its place in this package).
- Rule FORMAT: a DRF format-suffix pattern (``...\\.(?P<format>[a-z0-9]+)/?$``) shares its
  name with the plain route and must answer like it; every GET check is repeated on it with
  ``.json``.
- Rule ADMIN: every pattern of the admin site (namespace ``admin``, and the unnamed redirect
  and catch-all patterns under ``admin/``) is governed by EXPECTED[ADMIN_GROUP] in
  accounts.py; a representative set of admin pages also has its own exact row there, and
  test_admin_group_rule_holds_for_every_admin_pattern requests every admin pattern.
- test_every_url_pattern_has_an_expectation fails for a new URL without an entry, and
  test_expected_names_only_existing_urls for an entry whose URL is gone.
- KNOWN_BUGS (per module, for the module's own rows) lists cases where the application answers
  differently from what the design requires; they run as strict xfails, so fixing the bug makes
  them fail until the entry is removed. Add an entry rather than weakening a row when the code
  disagrees with the design.
"""

import pytest

# Not a test module, so pytest would not rewrite its asserts by itself; keep the detailed
# assertion messages the matrix gave when all of it lived in one test module.
pytest.register_assert_rewrite("tests.security.matrix._base")
