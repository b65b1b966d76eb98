"""Errors the domain apps share. Here, in the foundation, so that every app can raise and catch
the same class without importing another domain app (the import contracts in pyproject)."""

from django.core.exceptions import PermissionDenied


class Conflict(Exception):
    """Someone else changed the record since it was opened (optimistic locking): 409 `conflict`
    in the API (accounts.api_errors), the form again with the new version on the pages."""


def require(allowed, reason: str = "") -> None:
    """403 unless `allowed`: how a view or an action refuses after asking a policy about an
    object (``require(policies.can_edit(user, plan))``). `reason`, a Dutch sentence for the
    person refused, is shown on the 403 page (accounts/error_pages.py); without it the page
    gives the general reason."""
    if not allowed:
        raise PermissionDenied(reason) if reason else PermissionDenied
