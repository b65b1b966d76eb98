from rest_framework.routers import DefaultRouter

from .documents import DocumentViewSet
from .dossier import AdviesViewSet, DelegationViewSet, DossierViewSet
from .keuring import KeuringViewSet
from .reintegratie import VerslagDeelViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("dossiers", DossierViewSet, basename="dossier")
router.register("documents", DocumentViewSet, basename="document")
router.register("delegations", DelegationViewSet, basename="delegation")
router.register("adviezen", AdviesViewSet, basename="advies")
router.register("verslagdelen", VerslagDeelViewSet, basename="verslagdeel")
router.register("keuringen", KeuringViewSet, basename="keuring")

app_name = "medisch-api"
urlpatterns = router.urls
