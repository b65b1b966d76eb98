"""Dashboard panels, filled by the domain apps (registered in their AppConfig.ready), so the
accounts app never imports them. A panel is a callable(request) → (template, context) or None."""

from django.urls import reverse

panels = []
# Navigation entries: (label, url name, predicate(user) → bool), registered by the domain apps.
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
    return [(label, reverse(name)) for label, name, allowed in nav_items if allowed(user)]
