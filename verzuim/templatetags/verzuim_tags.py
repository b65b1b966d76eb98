from django import template

from verzuim.poortwachter import week_label as _week_label

register = template.Library()


@register.filter
def week_label(key_or_deadline):
    """'probleemanalyse' → 'week 6 — probleemanalyse' (DESIGN.md, Pages)."""
    return _week_label(key_or_deadline) if key_or_deadline else ""
