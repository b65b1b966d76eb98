"""The one gate for pages and API: a view runs only when a named policy says yes.

    @gate(policies.may_enter)                     # page: 403 page otherwise
    @gate(policies.gate_refusal, refusal=render_gate)   # page: a policy that says *why* not
    permission_classes = [IsVerified, allowed_by(policies.may_enter, "Alleen ...")]   # API

A policy is a function of the user that returns a truthy "yes"; a *refusal* policy (``refusal=``
given) returns None for yes and a reason for no, and the view answers with
``refusal(request, reason)``. Object-level checks (may this user see *this* dossier) stay in the
view, as ``require(policies.can_x(user, obj))``: they need the object the view loads.

Hand-written because Django's ``user_passes_test`` redirects to the login page on refusal
(a signed-in user who may not see a page must get 403, not a login loop) and DRF has no
permission class that takes a function.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from rest_framework import permissions


def gate(policy, *, refusal=None):
    """Decorate a page view with a policy of the user (see the module docstring)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            answer = policy(request.user)
            if refusal is not None:
                if answer:
                    return refusal(request, answer)
            elif not answer:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapper.gate_policy = policy
        return wrapper

    return decorate


def allowed_by(policy, message: str) -> type[permissions.BasePermission]:
    """A DRF permission class that lets a request through when ``policy(user)`` is true."""

    class PolicyPermission(permissions.BasePermission):
        def has_permission(self, request, view):
            return bool(policy(request.user))

    PolicyPermission.message = message
    PolicyPermission.__name__ = f"AllowedBy_{policy.__name__}"
    PolicyPermission.__qualname__ = PolicyPermission.__name__
    return PolicyPermission
