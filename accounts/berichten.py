"""The in-app messages and e-mail choices (accounts.notifications): /berichten/ (paginated,
mark one or all read) and /berichten/voorkeuren/. Each user sees and changes only their own."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import notifications, policies
from .gates import gate

PAGE_SIZE = 25


@gate(policies.has_inbox)
def inbox(request):
    page = Paginator(notifications.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/berichten.html", {"page": page})


@gate(policies.has_inbox)
@require_POST
def mark_read(request):
    """One message (`id`) or, without it, all of them; someone else's id changes nothing."""
    raw = request.POST.get("id", "")
    if raw:
        if raw.isdigit():
            notifications.mark_read(request.user, int(raw))
    else:
        notifications.mark_read(request.user)
        messages.success(request, "Alle berichten zijn als gelezen gemarkeerd.")
    page = request.POST.get("page", "")
    return redirect(f"/berichten/?page={page}" if page.isdigit() else "/berichten/")


@gate(policies.has_inbox)
def preferences(request):
    user = request.user
    kinds = notifications.KINDS_FOR_ROLE.get(user.role, ())
    if request.method == "POST":
        notifications.set_preferences(user, set(request.POST.getlist("email")))
        messages.success(request, "Uw keuze voor e-mails is opgeslagen.")
        return redirect("accounts:berichten_voorkeuren")
    rows = [
        {
            "kind": kind.value,
            "label": kind.label,
            "always": kind in notifications.ALWAYS_EMAILED,
            "on": notifications.wants_email(user, kind),
        }
        for kind in kinds
    ]
    return render(request, "accounts/berichten_voorkeuren.html", {"rows": rows})
