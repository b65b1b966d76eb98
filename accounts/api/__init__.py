"""accounts' API: bearer tokens, /me, organisations and accounts (views.py), routed in urls.py.
The API's shared plumbing stays beside it in accounts/: api_auth.py (authentication and the
default permission), api_errors.py (the one exception handler), schema.py (OpenAPI)."""
