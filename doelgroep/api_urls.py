"""Stub: the doelgroep API under /api/v1/doelgroep/."""

app_name = "doelgroep-api"

urlpatterns = []
