"""The re-integration API under /api/v1/reintegratie/ (RI-3, RI-5..8, RI-10)."""

from rest_framework.routers import DefaultRouter

from .bundels import BundelViewSet
from .plan import PlanViewSet
from .rapportages import ReportViewSet
from .trajecten import TrajectoryViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("plannen", PlanViewSet, basename="plan")
router.register("trajecten", TrajectoryViewSet, basename="trajectory")
router.register("rapportages", ReportViewSet, basename="report")
router.register("bundels", BundelViewSet, basename="bundel")

app_name = "reintegratie-api"
urlpatterns = router.urls
