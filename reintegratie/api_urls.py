"""Stub: the re-integration API under /api/v1/reintegratie/."""

app_name = "reintegratie-api"

urlpatterns = []
