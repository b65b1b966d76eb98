from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from two_factor.admin import AdminSiteOTPRequired

from accounts.api import urls as accounts_api_urls
from accounts.urls import two_factor_patterns
from verzuim.api import urls as verzuim_api_urls

# The admin site requires a verified second factor too (SE-1).
admin.site.__class__ = AdminSiteOTPRequired
admin.site.site_header = "Verzuimkluis — beheer"
admin.site.site_title = "Verzuimkluis"

# Every app routes its own API (<app>/api/urls.py); accounts and verzuim share the `api`
# namespace at the root of /api/v1/, the others have their own under /api/v1/<app>/.
api_v1 = [*accounts_api_urls.urlpatterns, *verzuim_api_urls.urlpatterns]

# An unmatched /api/ URL answers JSON {"code": "not_found"} like the API itself.
handler404 = "accounts.api_errors.not_found"
# The other error pages: Dutch, in the site's layout, with a way back (accounts/error_pages.py).
handler400 = "accounts.error_pages.bad_request"
handler403 = "accounts.error_pages.permission_denied"
handler500 = "accounts.error_pages.server_error"

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
