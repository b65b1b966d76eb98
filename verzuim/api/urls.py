"""verzuim's API routes, in the project's `api` namespace (config/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .sync import WerknemerByNumberView, WerknemerSyncView
from .views import WerknemerViewSet, ZiekmeldingViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("werknemers", WerknemerViewSet, basename="werknemer")
router.register("ziekmeldingen", ZiekmeldingViewSet, basename="ziekmelding")

urlpatterns = [
    # Issue 23, the HR system's sync; before the router, whose werknemers/<pk>/ would take "sync".
    path("werknemers/sync/", WerknemerSyncView.as_view(), name="werknemer-sync"),
    path(
        "werknemers/nummer/<str:personnel_number>/",
        WerknemerByNumberView.as_view(),
        name="werknemer-nummer",
    ),
    *router.urls,
]
