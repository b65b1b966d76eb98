from django.urls import path

from . import views, views_report

app_name = "doelgroep"

urlpatterns = [
    # DG-6: the confidentiality statement; the beheerder withdraws access.
    path("verklaring/", views.verklaring, name="verklaring"),
    path("verklaringen/", views.verklaringen, name="verklaringen"),
    path(
        "verklaringen/<int:pk>/intrekken/",
        views.verklaring_intrekken,
        name="verklaring_intrekken",
    ),
    # DG-1..4, DG-7, DG-8: the administration per person.
    path("", views.index, name="index"),
    path("werknemers/<int:pk>/", views.werknemer, name="werknemer"),
    path("werknemers/<int:pk>/register/", views.registercheck, name="registercheck"),
    path("werknemers/<int:pk>/no-riskpolis/", views.noriskpolis, name="noriskpolis"),
    path("werknemers/<int:pk>/vog/", views.vog, name="vog"),
    path("werknemers/<int:pk>/geboorteland/", views.geboorteland, name="geboorteland"),
    path("sollicitanten/nieuw/", views.kandidaat_create, name="kandidaat_create"),
    path(
        "sollicitanten/<int:pk>/register/",
        views.kandidaat_registercheck,
        name="kandidaat_registercheck",
    ),
    path("controles/<int:pk>/bsn/", views.bsn_reveal, name="bsn_reveal"),
    path("uwv-controle.csv", views.bsn_export, name="bsn_export"),
    path("voorkeursbeleid/", views.voorkeursbeleid, name="voorkeursbeleid"),
    path(
        "voorkeursbeleid/<int:pk>/beeindigen/",
        views.voorkeursbeleid_end,
        name="voorkeursbeleid_end",
    ),
    # DG-5: support measures and the k-anonymous reports.
    path(
        "werknemers/<int:pk>/maatregelen/nieuw/",
        views_report.maatregel_create,
        name="maatregel_create",
    ),
    path(
        "maatregelen/<int:pk>/beeindigen/",
        views_report.maatregel_end,
        name="maatregel_end",
    ),
    path("rapportage/", views_report.rapportage, name="rapportage"),
    path("rapportage.csv", views_report.rapportage_csv, name="rapportage_csv"),
    # DG-7: the employee's own page, with the objection.
    path("mijn/", views.mijn, name="mijn"),
    path("mijn/bezwaar/", views.bezwaar, name="bezwaar"),
]
