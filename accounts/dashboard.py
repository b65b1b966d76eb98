"""Dashboard panels, filled by the domain apps (registered in their AppConfig.ready), so the
accounts app never imports them. A panel is a callable(request) → (template, context) or None.

A panel registered with a `name` and a `policy` (a function of the user, from the app's own
policies) is a *worklist*: the dashboard wraps it so htmx can refresh it alone through
/werklijst/?paneel=<name> (accounts.views.worklist), which asks the same policy first. A
worklist panel usually renders "accounts/worklist_groups.html" with a context made by
`worklist(...)`: groups of work items, each linking to the page where the work is done, at most
WORKLIST_LIMIT per group with the full count and a link to the whole list."""

from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse

panels = []  # (name or None, panel)
# name → policy(user) for the panels that can be refreshed on their own.
worklist_policies = {}
# Navigation entries: (label, url name, predicate(user) → bool), registered by the domain apps.
# The url name may also be a function(user) → url name or None, for an item that leads each
# user to the page they can open (issue 18: no menu item may lead to a refusal).
nav_items = []

# Items shown per group of a worklist; the group shows the full count and links to the list.
WORKLIST_LIMIT = 5


@dataclass(frozen=True)
class WorkItem:
    text: str
    url: str
    due: date | None = None
    note: str = ""
    overdue: bool = False


@dataclass
class WorkGroup:
    title: str
    items: list = field(default_factory=list)
    count: int = 0
    more_url: str = ""
    more_label: str = "Alles bekijken"


def worklist(
    key: str, title: str, groups, *, intro: str = "", empty: str = "Er wacht niets op u."
) -> dict:
    """The context of "accounts/worklist_groups.html" (`key`: the heading's id)."""
    groups = list(groups)
    return {
        "key": key,
        "title": title,
        "intro": intro,
        "groups": groups,
        "empty": empty,
        "total": sum(g.count for g in groups),
    }


def register(panel, *, name=None, policy=None):
    """Add a panel; with `name` and `policy` it is a worklist htmx can refresh on its own."""
    assert (name is None) == (policy is None), "a worklist needs both a name and a policy"
    if name is not None:
        assert name not in worklist_policies, name
        worklist_policies[name] = policy
    panels.append((name, panel))
    return panel


def render_panels(request):
    """(template, context) of every panel for this request (the dashboard's own loop)."""
    return [(template, context) for _, template, context in render_named_panels(request)]


def render_named_panels(request, only=None):
    """(name, template, context) of every panel for this request, or only the one named."""
    rendered = []
    for name, panel in panels:
        if only is not None and name != only:
            continue
        result = panel(request)
        if result is not None:
            rendered.append((name, *result))
    return rendered


def has_worklist(user) -> bool:
    """Whether any worklist is for this user (the gate of /werklijst/)."""
    return any(policy(user) for policy in worklist_policies.values())


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
