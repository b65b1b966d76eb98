"""Dashboard panels, filled by the domain apps (registered in their AppConfig.ready), so the
accounts app never imports them. A panel is a callable(request) → (template, context) or None."""

from django.urls import reverse

panels = []
# Navigation entries: (label, url name, predicate(user) → bool), registered by the domain apps.
# The url name may also be a function(user) → url name or None, for an item that leads each
# user to the page they can open (issue 18: no menu item may lead to a refusal).
nav_items = []


def register(panel):
    panels.append(panel)
    return panel


def render_panels(request):
    rendered = []
    for panel in panels:
        result = panel(request)
        if result is not None:
            rendered.append(result)
    return rendered


def register_nav(label, url_name, predicate):
    nav_items.append((label, url_name, predicate))


def nav_for(user):
    items = []
    for label, name, allowed in nav_items:
        if not allowed(user):
            continue
        if callable(name):
            name = name(user)
        if name:
            items.append((label, reverse(name)))
    return items
