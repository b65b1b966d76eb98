"""Doelgroep API under /api/v1/doelgroep/ (DG-1..6, DG-8, SE-7, SE-9): the same gate
(doelgroep.policies), scoping (doelgroep.queries), actions and audit as the pages.

- DG-6: every endpoint sits behind `DoelgroepGate`: a role that needs the administration AND a
  current, unwithdrawn signature under the confidentiality statement. Otherwise 403 with the
  reason (where to sign) and code `confidentiality_statement_required`, or
  `doelgroep_role_refused` for a role that may not sign at all.
- DG-1, DG-2: only whether someone is in the register, when and how it was checked; the BSN is
  accepted on input (11-proef in the action) but only ever returned masked.
- DG-3, DG-4: the no-riskpolis yes/no, the 56+/52-weeks-WW category, a WIA decision date.
- DG-5: support measures, and the inclusion report as k-anonymous tables (null = suppressed).
- DG-8: only whether a VOG was provided, and when.

Nothing here has a field for the reason of registration, sickness or benefit history,
ethnicity or criminal history (tests/doelgroep/test_schema.py scans these serializers).

The package: `permissions` (the gate), `serializers`, `views` (the viewset and the report view),
`urls` (mounted by config/urls.py).

Errors are JSON with a `code` (accounts.api_errors): 404 for missing and forbidden alike,
403 for the gate, 400 `invalid` with `fields` (the actions' ValidationError propagates to
accounts.api_errors.exception_handler).
"""
