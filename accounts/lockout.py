"""django-axes glue (SE-8): the username as typed, from the login wizard, the token API or the
authenticate() credentials, normalised so "A@x" and "a@x" count as one account."""

from django.http import JsonResponse
from django.shortcuts import render


def username_for(request, credentials=None) -> str | None:
    # axes keys the credentials by USERNAME_FIELD ("email", as a lazy string) or "username".
    given = {str(key): value for key, value in (credentials or {}).items()}
    username = given.get("username") or given.get("email")
    if not username:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        username = data.get("auth-username") or data.get("username")
    return username.strip().lower() if isinstance(username, str) else None


def lockout_response(request, original_response=None, credentials=None):
    """The same answer for every locked pair, known user or not: JSON for the API, the Dutch
    lockout page otherwise (HTTP 429)."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {
                "detail": "Te veel mislukte pogingen; probeer het later opnieuw.",
                "code": "locked_out",
            },
            status=429,
        )
    return render(request, "accounts/lockout.html", status=429)
