from django.urls import path

from . import views, views_mijn, views_traject

app_name = "reintegratie"

urlpatterns = [
    # RI-3: the plan van aanpak of a case (werkgever, HR; the doctor reads).
    path("meldingen/<int:pk>/plan/", views.plan, name="plan"),
    path("plannen/<int:pk>/activiteiten/nieuw/", views.activity_create, name="activity_create"),
    path("activiteiten/<int:pk>/uitgevoerd/", views.activity_done, name="activity_done"),
    path("plannen/<int:pk>/evaluaties/nieuw/", views.evaluatie_create, name="evaluatie_create"),
    path("plannen/<int:pk>/versies/<int:number>/", views.plan_version, name="plan_version"),
    # RI-4: the re-integratiedossier and the employer's part of the verslag (HR).
    path("meldingen/<int:pk>/dossier/", views.dossier, name="dossier"),
    path(
        "meldingen/<int:pk>/correspondentie/nieuw/",
        views.correspondentie_create,
        name="correspondentie_create",
    ),
    path("meldingen/<int:pk>/verslag/nieuw/", views.verslag_create, name="verslag_create"),
    path("verslagen/<int:pk>/", views.verslag, name="verslag"),
    path("verslagen/<int:pk>/aan-werknemer/", views.verslag_give, name="verslag_give"),
    # RI-5..8, RI-10: trajectories at re-integration companies.
    path("trajecten/", views_traject.trajectory_list, name="trajectories"),
    path(
        "meldingen/<int:pk>/trajecten/nieuw/",
        views_traject.trajectory_create,
        name="trajectory_create",
    ),
    path("trajecten/<int:pk>/", views_traject.trajectory_detail, name="trajectory"),
    path(
        "trajecten/<int:pk>/onderaanneming/",
        views_traject.subcontract_create,
        name="subcontract_create",
    ),
    path("trajecten/<int:pk>/medewerkers/", views_traject.staff_assign, name="staff_assign"),
    path(
        "trajecten/<int:pk>/werknemer-geinformeerd/",
        views_traject.trajectory_informed,
        name="trajectory_informed",
    ),
    path(
        "trajecten/<int:pk>/rapportages/nieuw/",
        views_traject.report_create,
        name="report_create",
    ),
    path("rapportages/<int:pk>/ter-inzage/", views_traject.report_share, name="report_share"),
    path("rapportages/<int:pk>/vrijgeven/", views_traject.report_release, name="report_release"),
    path(
        "trajecten/<int:pk>/naar-bedrijfsarts/",
        views_traject.doctor_note_create,
        name="doctor_note_create",
    ),
    path("trajecten/<int:pk>/facturen/nieuw/", views_traject.invoice_create, name="invoice_create"),
    path("facturen/<int:pk>/", views_traject.invoice, name="invoice"),
    path(
        "trajecten/<int:pk>/machtigingen/nieuw/",
        views_traject.machtiging_create,
        name="machtiging_create",
    ),
    path(
        "machtigingen/<int:pk>/gebruiken/",
        views_traject.machtiging_use,
        name="machtiging_use",
    ),
    # The employee's own re-integration page.
    path("mijn/", views_mijn.mijn, name="mijn"),
    path("mijn/plan/<int:pk>/reactie/", views_mijn.plan_response, name="mijn_plan_response"),
    path(
        "mijn/trajecten/<int:pk>/gelezen/",
        views_mijn.trajectory_ack,
        name="mijn_trajectory_ack",
    ),
    path("mijn/rapportages/<int:pk>/gelezen/", views_mijn.report_seen, name="mijn_report_seen"),
    path(
        "mijn/machtigingen/<int:pk>/besluit/",
        views_mijn.machtiging_decide,
        name="mijn_machtiging_decide",
    ),
    path(
        "mijn/machtigingen/<int:pk>/intrekken/",
        views_mijn.machtiging_revoke,
        name="mijn_machtiging_revoke",
    ),
]
