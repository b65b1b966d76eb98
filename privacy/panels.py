"""The beheerder's dashboard panel for data-subject requests (AV-3): due within 7 days or
overdue."""

from django.utils import timezone

from . import policies, queries
from .actions import verzoek as verzoek_actions
from .models import Verzoek


def requests_panel(request):
    if not policies.can_manage_requests(request.user):
        return None
    today = timezone.localdate()
    rows = [
        (
            v,
            verzoek_actions.due_date(v),
            verzoek_actions.countdown(v, today),
            verzoek_actions.is_overdue(v, today),
        )
        for v in queries.due_soon(Verzoek.objects.all(), today)
    ]
    return "privacy/_panel_requests.html", {"rows": rows, "days": queries.DUE_SOON_DAYS}
