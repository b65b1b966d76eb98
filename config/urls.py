from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from two_factor.admin import AdminSiteOTPRequired

from accounts import api as accounts_api
from accounts.urls import two_factor_patterns
from verzuim import api as verzuim_api

# The admin site requires a verified second factor too (SE-1).
admin.site.__class__ = AdminSiteOTPRequired
admin.site.site_header = "Verzuimkluis — beheer"
admin.site.site_title = "Verzuimkluis"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", accounts_api.OrganisationViewSet, basename="organisation")
router.register("accounts", accounts_api.AccountViewSet, basename="account")
router.register("werknemers", verzuim_api.WerknemerViewSet, basename="werknemer")
router.register("ziekmeldingen", verzuim_api.ZiekmeldingViewSet, basename="ziekmelding")

api_v1 = [
    path("auth/token/", accounts_api.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", accounts_api.RevokeTokenView.as_view(), name="token-revoke"),
    path("me/", accounts_api.MeView.as_view(), name="me"),
    *router.urls,
]

# An unmatched /api/ URL answers JSON {"code": "not_found"} like the API itself.
handler404 = "accounts.api_errors.not_found"

urlpatterns = [
    path("", include(two_factor_patterns)),
    path("", include("accounts.urls")),
    path("verzuim/", include("verzuim.urls")),
    path("medisch/", include("medisch.urls")),
    path("reintegratie/", include("reintegratie.urls")),
    path("doelgroep/", include("doelgroep.urls")),
    path("beheer/bewaren/", include("retention.urls")),
    path("", include("privacy.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"))),
    path("api/v1/medisch/", include("medisch.api.urls")),
    path("api/v1/reintegratie/", include("reintegratie.api.urls")),
    path("api/v1/doelgroep/", include("doelgroep.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
