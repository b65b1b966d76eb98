"""The beheerder's dashboard panel for data-subject requests (AV-3): due within 7 days or
overdue."""

from django.utils import timezone

from accounts.policies import is_operator

from . import requests
from .models import Verzoek


def requests_panel(request):
    user = request.user
    if not is_operator(user):
        return None
    today = timezone.localdate()
    rows = [
        (v, requests.due_date(v), requests.countdown(v, today), requests.is_overdue(v, today))
        for v in requests.due_soon(Verzoek.objects.all(), today)
    ]
    return "privacy/_panel_requests.html", {"rows": rows, "days": requests.DUE_SOON_DAYS}
