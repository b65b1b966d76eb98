"""Template filters for stored snapshots (plan versions, verslagen) whose dates are ISO strings:
shown as dd-mm-jjjj like every other date (DESIGN.md, Pages)."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def nl_date(value):
    if not value:
        return "—"
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d-%m-%Y")
    except ValueError:
        return value
