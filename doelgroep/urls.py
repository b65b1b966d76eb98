from django.urls import path

from .views import administratie, rapportage, verklaring, voorkeursbeleid

app_name = "doelgroep"

urlpatterns = [
    # DG-6: the confidentiality statement; the beheerder withdraws access.
    path("verklaring/", verklaring.verklaring, name="verklaring"),
    path("verklaringen/", verklaring.verklaringen, name="verklaringen"),
    path(
        "verklaringen/<int:pk>/intrekken/",
        verklaring.verklaring_intrekken,
        name="verklaring_intrekken",
    ),
    # DG-1..4, DG-7, DG-8: the administration per person.
    path("", administratie.index, name="index"),
    path("werknemers/<int:pk>/", administratie.werknemer, name="werknemer"),
    path("werknemers/<int:pk>/register/", administratie.registercheck, name="registercheck"),
    path("werknemers/<int:pk>/no-riskpolis/", administratie.noriskpolis, name="noriskpolis"),
    path("werknemers/<int:pk>/vog/", administratie.vog, name="vog"),
    path("werknemers/<int:pk>/geboorteland/", voorkeursbeleid.geboorteland, name="geboorteland"),
    path("sollicitanten/nieuw/", administratie.kandidaat_create, name="kandidaat_create"),
    path(
        "sollicitanten/<int:pk>/register/",
        administratie.kandidaat_registercheck,
        name="kandidaat_registercheck",
    ),
    path("controles/<int:pk>/bsn/", administratie.bsn_reveal, name="bsn_reveal"),
    path("uwv-controle.csv", administratie.bsn_export, name="bsn_export"),
    path("voorkeursbeleid/", voorkeursbeleid.voorkeursbeleid, name="voorkeursbeleid"),
    path(
        "voorkeursbeleid/<int:pk>/beeindigen/",
        voorkeursbeleid.voorkeursbeleid_end,
        name="voorkeursbeleid_end",
    ),
    # DG-5: support measures and the k-anonymous reports.
    path(
        "werknemers/<int:pk>/maatregelen/nieuw/",
        administratie.maatregel_create,
        name="maatregel_create",
    ),
    path(
        "maatregelen/<int:pk>/beeindigen/",
        administratie.maatregel_end,
        name="maatregel_end",
    ),
    path("rapportage/", rapportage.rapportage, name="rapportage"),
    path("rapportage.csv", rapportage.rapportage_csv, name="rapportage_csv"),
    # DG-7: the employee's own page, with the objection.
    path("mijn/", voorkeursbeleid.mijn, name="mijn"),
    path("mijn/bezwaar/", voorkeursbeleid.bezwaar, name="bezwaar"),
]
