"""Dashboard panels, filled by the domain apps (registered in their AppConfig.ready), so the
accounts app never imports them. A panel is a callable(request) → (template, context) or None."""

panels = []


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
