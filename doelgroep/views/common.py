"""What the doelgroep pages share (no views here): the 403 page of the confidentiality gate
(DG-6) and the one way a form page calls its action."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts.viewhelpers import apply_errors
from doelgroep import policies


def render_gate(request, reason):
    """DG-6: the refusal of `gate(policies.gate_refusal, ...)` — 403 saying why, and where to
    sign for a role that may."""
    return render(
        request,
        "doelgroep/gate.html",
        {"reason": reason, "may_sign": policies.may_sign(request.user)},
        status=403,
    )


def form_page(request, form, template, context, save, *, success, target):  # nosemgrep
    """A valid POST calls `save(cleaned_data)` (an action); its ValidationError comes back at the
    form's fields. On success: the message (if any) and a redirect to `target` — a URL name with
    arguments, or a function of what `save` returned that gives them. Not a view, so exempt from
    vk-view-without-policy (the nosemgrep): every caller is gated."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if success:
                messages.success(request, success)
            return redirect(*(target(saved) if callable(target) else target))
    return render(request, template, {"form": form, **context})


def werknemer_form_page(request, person, form, *, title, save, success, intro=None):  # nosemgrep
    """A form about one werknemer (doelgroep/form.html): `save` is the action, called with
    `by`, `werknemer`, `request` and the form's data; back to the werknemer's page. Not a view
    (nosemgrep as above): every caller is gated and has looked `person` up in its scope."""
    context = {"title": f"{title} — {person.full_name}", "back": person}
    if intro:
        context["intro"] = intro
    return form_page(
        request,
        form,
        "doelgroep/form.html",
        context,
        lambda data: save(by=request.user, werknemer=person, request=request, **data),
        success=success,
        target=("doelgroep:werknemer", person.pk),
    )
