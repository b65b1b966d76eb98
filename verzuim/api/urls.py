"""verzuim's API routes, in the project's `api` namespace (config/urls.py)."""

from rest_framework.routers import DefaultRouter

from .views import WerknemerViewSet, ZiekmeldingViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("werknemers", WerknemerViewSet, basename="werknemer")
router.register("ziekmeldingen", ZiekmeldingViewSet, basename="ziekmelding")

urlpatterns = router.urls
