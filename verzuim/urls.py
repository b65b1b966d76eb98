from django.urls import path

from . import views, views_keuring

app_name = "verzuim"

urlpatterns = [
    path("werknemers/", views.werknemer_list, name="werknemers"),
    path("werknemers/nieuw/", views.werknemer_create, name="werknemer_create"),
    path("werknemers/import/", views.werknemer_import, name="werknemer_import"),
    path("werknemers/<int:pk>/", views.werknemer_detail, name="werknemer"),
    path("werknemers/<int:pk>/uit-dienst/", views.werknemer_end_employment, name="werknemer_end"),
    path("meldingen/", views.ziekmelding_list, name="ziekmeldingen"),
    path("meldingen/export.csv", views.ziekmelding_export, name="ziekmelding_export"),
    path("meldingen/statistiek/", views.ziekmelding_stats, name="ziekmelding_stats"),
    path("meldingen/nieuw/", views.ziekmelding_create, name="ziekmelding_create"),
    path("meldingen/<int:pk>/", views.ziekmelding_detail, name="ziekmelding"),
    path("meldingen/<int:pk>/wijzigen/", views.ziekmelding_edit, name="ziekmelding_edit"),
    path("meldingen/<int:pk>/herstel/", views.ziekmelding_herstel, name="ziekmelding_herstel"),
    path(
        "meldingen/<int:pk>/termijnen/<slug:key>/<int:occurrence>/afgerond/",
        views.deadline_complete,
        name="deadline_complete",
    ),
    path("meldingen/<int:pk>/verzekeraar.<str:fmt>", views.insurer_export, name="insurer_export"),
    path("mijn/", views.mijn_verzuim, name="mijn"),
    path(
        "mijn/noodinformatie/intrekken/",
        views.noodinformatie_intrekken,
        name="noodinformatie_intrekken",
    ),
    # MD-7: the aanstellingskeuring — the employer's request and list, the candidate's decision.
    path("keuringen/", views_keuring.keuring_list, name="keuringen"),
    path("keuringen/nieuw/", views_keuring.keuring_create, name="keuring_create"),
    path("mijn/keuringen/<int:pk>/besluit/", views_keuring.keuring_besluit, name="keuring_besluit"),
]
