from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.statement, name="statement"),
    path("beheer/datalekken/", views.breach_list, name="breaches"),
    path("beheer/datalekken/nieuw/", views.breach_form, name="breach_create"),
    path("beheer/datalekken/<int:pk>/", views.breach_form, name="breach"),
    path("beheer/verzoeken/", views.request_list, name="requests"),
    path("beheer/verzoeken/nieuw/", views.request_create, name="request_create"),
    path("beheer/verzoeken/<int:pk>/", views.request_detail, name="request"),
    path("beheer/verzoeken/<int:pk>/export.json", views.request_export, name="request_export"),
    path(
        "beheer/verzoeken/<int:pk>/export/", views.request_export_html, name="request_export_html"
    ),
    path("verzoeken/<int:pk>/deel/<slug:part>/", views.request_part, name="request_part"),
]
