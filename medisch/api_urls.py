from rest_framework.routers import DefaultRouter

from .api import DossierViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("dossiers", DossierViewSet, basename="dossier")

app_name = "medisch-api"
urlpatterns = router.urls
