"""The doelgroep API under /api/v1/doelgroep/ (DG-1..6, DG-8), every route behind the
confidentiality gate (DG-6)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import RapportageView, WerknemerViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("werknemers", WerknemerViewSet, basename="werknemer")

app_name = "doelgroep-api"
urlpatterns = [
    path("rapportage/", RapportageView.as_view(), name="rapportage"),
    *router.urls,
]
