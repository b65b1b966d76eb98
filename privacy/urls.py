from django.urls import path

from .views import datalek, statement, verzoek

app_name = "privacy"

urlpatterns = [
    path("privacy/", statement.statement, name="statement"),
    path("beheer/datalekken/", datalek.breach_list, name="breaches"),
    path("beheer/datalekken/nieuw/", datalek.breach_form, name="breach_create"),
    path("beheer/datalekken/<int:pk>/", datalek.breach_form, name="breach"),
    path("beheer/verzoeken/", verzoek.request_list, name="requests"),
    path("beheer/verzoeken/nieuw/", verzoek.request_create, name="request_create"),
    path("beheer/verzoeken/<int:pk>/", verzoek.request_detail, name="request"),
    path("beheer/verzoeken/<int:pk>/export.json", verzoek.request_export, name="request_export"),
    path(
        "beheer/verzoeken/<int:pk>/export/", verzoek.request_export_html, name="request_export_html"
    ),
    path("verzoeken/<int:pk>/deel/<slug:part>/", verzoek.request_part, name="request_part"),
]
