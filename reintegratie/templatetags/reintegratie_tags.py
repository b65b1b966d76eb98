"""Template filters for stored snapshots (plan versions, verslagen) whose dates are ISO strings:
shown as dd-mm-jjjj like every other date (DESIGN.md, Pages)."""

from datetime import date

from django import template

from reintegratie import queries, signing

register = template.Library()


@register.filter
def nl_date(value):
    if not value:
        return "—"
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return value


# --- Signatures (RI-12): for pages whose view has already scoped the document -----------------


@register.simple_tag
def signatures_of(document):
    """``{% signatures_of plan as signatures %}{% include "includes/signatures.html" %}``."""
    return queries.signatures_for(document)


@register.simple_tag
def may_sign(user, document) -> bool:
    """Whether `user` signs `document` (a plan: its newest version) and has not yet signed its
    current content validly. No user (a PDF rendered without a request, the bundle): False."""
    if not getattr(user, "is_authenticated", False):
        return False
    described = signing.describe(document)
    role = signing.signer_role(user, described)
    return role is not None and role in queries.unsigned_roles(described.record)
