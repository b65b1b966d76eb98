from django.urls import path

from .views import (
    bundel,
    documenten,
    dossier,
    facturen,
    machtigingen,
    mijn,
    ondertekening,
    plan,
    rapportages,
    traject,
    volledigheid,
)

app_name = "reintegratie"

urlpatterns = [
    # RI-3: the plan van aanpak of a case (werkgever, HR; the doctor reads).
    path("meldingen/<int:pk>/plan/", plan.plan, name="plan"),
    path("plannen/<int:pk>/activiteiten/nieuw/", plan.activity_create, name="activity_create"),
    path("activiteiten/<int:pk>/uitgevoerd/", plan.activity_done, name="activity_done"),
    path("plannen/<int:pk>/evaluaties/nieuw/", plan.evaluatie_create, name="evaluatie_create"),
    path("plannen/<int:pk>/versies/<int:number>/", plan.plan_version, name="plan_version"),
    # RI-12: each Poortwachter document as a page and, from the same template, a PDF.
    path(
        "plannen/<int:pk>/versies/<int:number>/pdf/",
        plan.plan_version,
        {"pdf": True},
        name="plan_version_pdf",
    ),
    path("evaluaties/<int:pk>/", documenten.evaluatie, name="evaluatie"),
    path("evaluaties/<int:pk>/pdf/", documenten.evaluatie, {"pdf": True}, name="evaluatie_pdf"),
    path("meldingen/<int:pk>/oordelen/<int:advies>/", documenten.oordeel, name="oordeel"),
    path(
        "meldingen/<int:pk>/oordelen/<int:advies>/pdf/",
        documenten.oordeel,
        {"pdf": True},
        name="oordeel_pdf",
    ),
    path("meldingen/<int:pk>/bsn/", documenten.uwv_bsn, name="uwv_bsn"),
    # RI-4: the re-integratiedossier and the employer's part of the verslag (HR).
    path("meldingen/<int:pk>/dossier/", dossier.dossier, name="dossier"),
    path(
        "meldingen/<int:pk>/correspondentie/nieuw/",
        dossier.correspondentie_create,
        name="correspondentie_create",
    ),
    path("meldingen/<int:pk>/verslag/nieuw/", dossier.verslag_create, name="verslag_create"),
    path("verslagen/<int:pk>/", dossier.verslag, name="verslag"),
    path("verslagen/<int:pk>/pdf/", dossier.verslag, {"pdf": True}, name="verslag_pdf"),
    path("verslagen/<int:pk>/aan-werknemer/", dossier.verslag_give, name="verslag_give"),
    # RI-12: the completeness of the re-integratieverslag (werkgever, HR; the doctor).
    path("meldingen/<int:pk>/volledigheid/", volledigheid.volledigheid, name="volledigheid"),
    # RI-12: the re-integratieverslag for UWV as one PDF (HR makes it; the employee's copy).
    path("meldingen/<int:pk>/bundel/nieuw/", bundel.bundel_create, name="bundel_create"),
    path("bundels/<int:pk>/", bundel.bundel, name="bundel"),
    path("bundels/<int:pk>/pdf/", bundel.bundel_pdf, name="bundel_pdf"),
    # RI-5..8, RI-10: trajectories at re-integration companies.
    path("trajecten/", traject.trajectory_list, name="trajectories"),
    path(
        "meldingen/<int:pk>/trajecten/nieuw/",
        traject.trajectory_create,
        name="trajectory_create",
    ),
    path("trajecten/<int:pk>/", traject.trajectory_detail, name="trajectory"),
    path(
        "trajecten/<int:pk>/onderaanneming/",
        traject.subcontract_create,
        name="subcontract_create",
    ),
    path("trajecten/<int:pk>/medewerkers/", traject.staff_assign, name="staff_assign"),
    path(
        "trajecten/<int:pk>/werknemer-geinformeerd/",
        traject.trajectory_informed,
        name="trajectory_informed",
    ),
    path(
        "trajecten/<int:pk>/rapportages/nieuw/",
        rapportages.report_create,
        name="report_create",
    ),
    path("rapportages/<int:pk>/ter-inzage/", rapportages.report_share, name="report_share"),
    path("rapportages/<int:pk>/vrijgeven/", rapportages.report_release, name="report_release"),
    path(
        "trajecten/<int:pk>/naar-bedrijfsarts/",
        rapportages.doctor_note_create,
        name="doctor_note_create",
    ),
    path("trajecten/<int:pk>/facturen/nieuw/", facturen.invoice_create, name="invoice_create"),
    path("facturen/<int:pk>/", facturen.invoice, name="invoice"),
    path(
        "trajecten/<int:pk>/machtigingen/nieuw/",
        machtigingen.machtiging_create,
        name="machtiging_create",
    ),
    path(
        "machtigingen/<int:pk>/gebruiken/",
        machtigingen.machtiging_use,
        name="machtiging_use",
    ),
    # RI-12: employer and employee sign each employer document; anyone verifies a check code.
    path("plannen/<int:pk>/ondertekenen/", ondertekening.sign_plan, name="sign_plan"),
    path("evaluaties/<int:pk>/ondertekenen/", ondertekening.sign_evaluatie, name="sign_evaluatie"),
    path("verslagen/<int:pk>/ondertekenen/", ondertekening.sign_verslag, name="sign_verslag"),
    path("verifieren/", ondertekening.verify, name="verify"),
    # The employee's own re-integration page.
    path("mijn/", mijn.mijn, name="mijn"),
    path("mijn/plan/<int:pk>/reactie/", mijn.plan_response, name="mijn_plan_response"),
    path(
        "mijn/zienswijze/<str:kind>/<int:pk>/",
        documenten.mijn_zienswijze,
        name="mijn_zienswijze",
    ),
    path(
        "mijn/trajecten/<int:pk>/gelezen/",
        mijn.trajectory_ack,
        name="mijn_trajectory_ack",
    ),
    path("mijn/rapportages/<int:pk>/gelezen/", mijn.report_seen, name="mijn_report_seen"),
    path(
        "mijn/machtigingen/<int:pk>/besluit/",
        mijn.machtiging_decide,
        name="mijn_machtiging_decide",
    ),
    path(
        "mijn/machtigingen/<int:pk>/intrekken/",
        mijn.machtiging_revoke,
        name="mijn_machtiging_revoke",
    ),
]
