from django.urls import path

from .views import keuring, koppeling, mijn, overzicht, uwv, werknemers, ziekmelding

app_name = "verzuim"

urlpatterns = [
    path("werknemers/", werknemers.werknemer_list, name="werknemers"),
    path("werknemers/nieuw/", werknemers.werknemer_create, name="werknemer_create"),
    path("werknemers/import/", werknemers.werknemer_import, name="werknemer_import"),
    path("werknemers/import/<int:pk>/", werknemers.werknemer_sync, name="werknemer_sync"),
    path("werknemers/koppeling/", koppeling.sync_tokens, name="sync_tokens"),
    path("werknemers/<int:pk>/", werknemers.werknemer_detail, name="werknemer"),
    path(
        "werknemers/<int:pk>/uit-dienst/", werknemers.werknemer_end_employment, name="werknemer_end"
    ),
    path("meldingen/", overzicht.ziekmelding_list, name="ziekmeldingen"),
    path("meldingen/export.csv", overzicht.ziekmelding_export, name="ziekmelding_export"),
    path("meldingen/statistiek/", overzicht.ziekmelding_stats, name="ziekmelding_stats"),
    path("meldingen/nieuw/", ziekmelding.ziekmelding_create, name="ziekmelding_create"),
    path("meldingen/<int:pk>/", ziekmelding.ziekmelding_detail, name="ziekmelding"),
    path("meldingen/<int:pk>/wijzigen/", ziekmelding.ziekmelding_edit, name="ziekmelding_edit"),
    path(
        "meldingen/<int:pk>/herstel/", ziekmelding.ziekmelding_herstel, name="ziekmelding_herstel"
    ),
    path(
        "meldingen/<int:pk>/termijnen/<slug:key>/<int:occurrence>/afgerond/",
        ziekmelding.deadline_complete,
        name="deadline_complete",
    ),
    path(
        "meldingen/<int:pk>/termijnen/<slug:key>/<int:occurrence>/ongedaan/",
        ziekmelding.deadline_undo,
        name="deadline_undo",
    ),
    path("meldingen/<int:pk>/verlof/", ziekmelding.verlof_create, name="verlof_create"),
    path("meldingen/<int:pk>/verlenging/", ziekmelding.verlenging_create, name="verlenging_create"),
    path(
        "meldingen/<int:pk>/verzekeraar.<str:fmt>",
        ziekmelding.insurer_export,
        name="insurer_export",
    ),
    # RI-11: the reports to UWV of a case (42e-week, ziektewet, ziek-uit-dienst, hersteldmelding).
    path("meldingen/<int:pk>/uwv/<slug:report>/", uwv.uwv_melding, name="uwv_melding"),
    path(
        "meldingen/<int:pk>/uwv/<slug:report>/ingediend/",
        uwv.uwv_ingediend,
        name="uwv_ingediend",
    ),
    path("mijn/", mijn.mijn_verzuim, name="mijn"),
    path("mijn/inzage/", mijn.mijn_inzage, name="mijn_inzage"),
    path(
        "mijn/noodinformatie/intrekken/",
        mijn.noodinformatie_intrekken,
        name="noodinformatie_intrekken",
    ),
    # MD-7: the aanstellingskeuring — the employer's request and list, the candidate's decision.
    path("keuringen/", keuring.keuring_list, name="keuringen"),
    path("keuringen/nieuw/", keuring.keuring_create, name="keuring_create"),
    path("mijn/keuringen/<int:pk>/besluit/", keuring.keuring_besluit, name="keuring_besluit"),
]
