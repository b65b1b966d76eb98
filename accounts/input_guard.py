"""Characters PostgreSQL refuses never reach it (SE-6): a NUL (U+0000) — psycopg raises on it —
and an unpaired surrogate (U+D800–U+DFFF), which cannot be encoded as UTF-8.

Forms and DRF serializers already refuse them per field (Django's and DRF's
ProhibitNullCharactersValidator, DRF's ProhibitSurrogateCharactersValidator), with a message at
the field. What reaches the database without a form is the URL: the path and the query string
(`?q=` on the API lists, filters, page numbers). `RefuseBadCharactersMiddleware` answers a
request carrying such a character there with 400 — JSON with code `invalid_characters` under
/api/, the Dutch 400 page elsewhere — before any view runs. The search box kept in the session
(accounts.viewhelpers.search_term) and the CSV import check their own text with `has_bad_chars`.
"""

from django.http import JsonResponse
from django.shortcuts import render

MESSAGE = "De aanvraag bevat een teken dat niet is toegestaan (een NUL- of stuurteken)."


def has_bad_chars(text: str) -> bool:
    return "\x00" in text or any("\ud800" <= char <= "\udfff" for char in text)


def first_bad_line(text: str) -> int | None:
    """The 1-based line number of the first forbidden character, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if has_bad_chars(line):
            return number
    return None


class RefuseBadCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._bad(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": MESSAGE, "code": "invalid_characters"}, status=400)
            return render(request, "400.html", {"reason": MESSAGE}, status=400)
        return self.get_response(request)

    @staticmethod
    def _bad(request) -> bool:
        if has_bad_chars(request.path):
            return True
        return any(
            has_bad_chars(key) or any(has_bad_chars(value) for value in values)
            for key, values in request.GET.lists()
        )
