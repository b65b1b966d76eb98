"""The three small helpers every page module uses: views parse and check, actions change state.

- `posted(request)`: the POST data of a POST (even an empty one, which must show errors),
  else None — so a form is bound exactly when the user submitted it.
- `require(allowed)` (from accounts.errors, re-exported for the page modules): 403 unless allowed.
- `apply_errors(form, error)`: an action's ValidationError shown at the form's fields (or at the
  top for a field the form does not have), so the form comes back with what was typed.
- `search_term(request, scope)`: a name typed into a search box is personal data, so it travels
  in a POST body and is kept in the session, never in a URL (ASVS 5.0 14.2.1: no sensitive data
  in query strings, which end up in server logs, browser history and Referer headers).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from .errors import require  # noqa: F401 (the page modules' one import of their helpers)
from .input_guard import has_bad_chars

SEARCH_SESSION_KEY = "vk_search"
SEARCH_MAX_LENGTH = 100


def posted(request):
    return request.POST if request.method == "POST" else None


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def search_term(request, scope: str):
    """(term, response): on a POST of the search box the term is stored for `scope` (an empty
    term clears it) and `response` redirects back to the list with its other, non-personal
    filters; otherwise `response` is None and `term` is the stored one."""
    searches = request.session.get(SEARCH_SESSION_KEY, {})
    if has_bad_chars(searches.get(scope, "")):  # kept before this check existed: dropped
        searches.pop(scope)
        request.session[SEARCH_SESSION_KEY] = searches
    if request.method == "POST" and "q" in request.POST:
        term = request.POST["q"].strip()[:SEARCH_MAX_LENGTH]
        if has_bad_chars(term):
            # SE-6: never stored (the database refuses it); the list says why nothing was found.
            messages.error(request, "De zoekterm bevat een teken dat niet is toegestaan.")
            term = ""
        elif term:
            searches[scope] = term
        else:
            searches.pop(scope, None)
        request.session[SEARCH_SESSION_KEY] = searches
        query = request.GET.copy()
        query.pop("page", None)
        return term, redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    return searches.get(scope, ""), None
