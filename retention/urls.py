from django.urls import path

from . import views

app_name = "retention"

urlpatterns = [
    path("", views.index, name="index"),
    path("opschonen/", views.start, name="start"),
    path("runs/<int:pk>/", views.run, name="run"),
    path("runs/<int:pk>/status.json", views.run_status, name="run_status"),
    path("verwerkingsregister/", views.register, name="register"),
    path(
        "verwerkingsregister.json",
        views.register_export,
        {"fmt": "json"},
        name="register_export",
    ),
    path(
        "verwerkingsregister.csv",
        views.register_export,
        {"fmt": "csv"},
        name="register_export_csv",
    ),
    path("legal-holds/", views.holds, name="holds"),
    path("legal-holds/<int:pk>/opheffen/", views.hold_lift, name="hold_lift"),
    path("verlengingen/", views.extension, name="extension"),
]
