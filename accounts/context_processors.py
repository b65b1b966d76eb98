from django.conf import settings
from django.utils.functional import SimpleLazyObject

from . import notifications, policies, sessions
from .dashboard import nav_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": nav_for(user),
        "nav_can_manage_users": policies.can_manage_users(user),
        "nav_is_operator": policies.is_operator(user),
        # Lazy: queried only when the page's menu shows it, and once although the menu is drawn
        # twice (the bar and the phone menu, includes/nav_items.html).
        "nav_unread": SimpleLazyObject(lambda: notifications.unread_count(user)),
    }


def demo(request):
    return {"demo_mode": settings.EMBEDDED_DATABASE and not settings.PRODUCTION}


def session_timeout(request):
    """What the idle warning needs (static/js/session-timeout.js): seconds until this session
    expires without activity. Only for a signed-in, verified user; nothing else has a session
    worth warning about."""
    user = getattr(request, "user", None)
    if not policies.is_signed_in(user):
        return {}
    return {"session_seconds_left": sessions.seconds_left(request)}
