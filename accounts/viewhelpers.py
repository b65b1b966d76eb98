"""The three small helpers every page module uses: views parse and check, actions change state.

- `posted(request)`: the POST data of a POST (even an empty one, which must show errors),
  else None — so a form is bound exactly when the user submitted it.
- `require(allowed)`: 403 unless allowed.
- `apply_errors(form, error)`: an action's ValidationError shown at the form's fields (or at the
  top for a field the form does not have), so the form comes back with what was typed.
"""

from django.core.exceptions import PermissionDenied, ValidationError


def posted(request):
    return request.POST if request.method == "POST" else None


def require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
