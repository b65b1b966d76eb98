from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.statement, name="statement"),
    path("beheer/datalekken/", views.breach_list, name="breaches"),
    path("beheer/datalekken/nieuw/", views.breach_form, name="breach_create"),
    path("beheer/datalekken/<int:pk>/", views.breach_form, name="breach"),
]
