"""Errors the domain apps share. Here, in the foundation, so that every app can raise and catch
the same class without importing another domain app (the import contracts in pyproject)."""


class Conflict(Exception):
    """Someone else changed the record since it was opened (optimistic locking): 409 `conflict`
    in the API (accounts.api_errors), the form again with the new version on the pages."""
