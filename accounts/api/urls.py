"""accounts' API routes, in the project's `api` namespace (config/urls.py)."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from .views import AccountViewSet, MeView, OrganisationViewSet, RevokeTokenView, TokenView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("accounts", AccountViewSet, basename="account")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/token/revoke/", RevokeTokenView.as_view(), name="token-revoke"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
]
