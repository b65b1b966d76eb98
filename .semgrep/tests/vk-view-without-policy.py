# Semgrep test for vk-view-without-policy (SE-2, SE-9): run with `semgrep --test .semgrep`.
# The rule only looks at views*.py / api*.py; `semgrep --test` runs it on this file regardless.
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from rest_framework import viewsets
from rest_framework.views import APIView

from accounts.viewhelpers import require
from verzuim import policies, queries
from verzuim.models import Werknemer

gated_by_nothing = require_POST


# ruleid: vk-view-without-policy
def werknemer_list(request):
    return render(request, "x.html", {"rows": Werknemer.objects.all()})


# ruleid: vk-view-without-policy
@require_POST
def werknemer_delete(request, pk):
    Werknemer.objects.filter(pk=pk).delete()


# ruleid: vk-view-without-policy
class WerknemerOverview(TemplateView):
    template_name = "x.html"


# ruleid: vk-view-without-policy
class WerknemerApi(viewsets.ReadOnlyModelViewSet):
    queryset = Werknemer.objects.all()


# ruleid: vk-view-without-policy
class MeApi(APIView):
    def get(self, request):
        return None


# ok: vk-view-without-policy
def checked(request):
    require(policies.can_view_werknemers(request.user))
    return render(request, "x.html")


# ok: vk-view-without-policy
def checked_inline(request):
    if not policies.can_manage_werknemers(request.user):
        raise PermissionDenied
    return render(request, "x.html")


# ok: vk-view-without-policy
def scoped(request, pk):
    werknemer = queries.werknemer_for(request.user, pk)
    return render(request, "x.html", {"werknemer": werknemer})


# ok: vk-view-without-policy
@login_not_required
def public_statement(request):
    return render(request, "x.html")


def gate(policy):
    return lambda view: view


# ok: vk-view-without-policy
@require_POST
@gate(policies.can_view_werknemers)
def behind_gate(request):
    return render(request, "x.html")


# ruleid: vk-view-without-policy
@require_POST
@gated_by_nothing
def behind_no_gate(request):
    return render(request, "x.html")


# ok: vk-view-without-policy
class ScopedApi(viewsets.ReadOnlyModelViewSet):
    def get_queryset(self):
        return queries.werknemers_visible_to(self.request.user)


# ok: vk-view-without-policy
class GatedApi(APIView):
    permission_classes = [object]


# nosemgrep: vk-view-without-policy — own account only (the test of the marker itself)
def own_account(request):
    return render(request, "x.html", {"user": request.user})


# ok: vk-view-without-policy
@method_decorator(gate(policies.can_view_werknemers), name="dispatch")
class GatedOverview(TemplateView):
    template_name = "x.html"


# ruleid: vk-view-without-policy
@method_decorator(require_POST, name="dispatch")
class UngatedOverview(TemplateView):
    template_name = "x.html"
