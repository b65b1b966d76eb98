from . import policies


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .dashboard import nav_for

    return {
        "nav_items": nav_for(user),
        "nav_can_manage_users": policies.can_manage_users(user),
        "nav_is_operator": user.is_staff,
    }


def demo(request):
    from django.conf import settings

    return {"demo_mode": settings.EMBEDDED_DATABASE and not settings.PRODUCTION}
