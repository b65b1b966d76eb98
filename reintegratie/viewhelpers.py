"""What the re-integration page modules share (views parse and check, actions change state).

- `submitted(request, form, act)`: the posted, valid form handed to an action; the action's
  ValidationError back at the form's fields.
- `form_page(...)`: the page of one such form: on success a message and a redirect, otherwise
  the form (again) on its template.
- `flash_error(request, error)`: an action's refusal as a message, for a button without a form.
- `log_read(request, object_type, ids, werknemer, detail)`: the audit row of a page that shows a
  case's re-integration (SE-7).

Candidates for accounts/viewhelpers.py (the same shapes stand in verzuim, medisch, doelgroep).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.viewhelpers import apply_errors
from privacy import audit
from privacy.models import AuditAction


def submitted(request, form, act):
    """What ``act(cleaned_data)`` returned when the user posted `form`, it is valid and the action
    accepted it (an action returns its object, never None); otherwise None, and then the form
    carries the action's errors at its fields so it comes back with what was typed."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return act(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return None


def form_page(request, form, act, *, message, then, template, context):
    """The page of one form handed to one action (`submitted`). On success: `message` and a
    redirect to `then` (each a value, or a function of what the action returned); otherwise
    `template` with the form and `context`."""
    result = submitted(request, form, act)
    if result is not None:
        messages.success(request, message(result) if callable(message) else message)
        return redirect(then(result) if callable(then) else then)
    return render(request, template, {"form": form, **context})


def flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def log_read(request, object_type, ids, werknemer, detail, action=AuditAction.READ) -> None:
    audit.record(
        action, object_type, ids, subject=werknemer.pseudonym, detail=detail, request=request
    )
