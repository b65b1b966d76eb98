from django.urls import path

from .views import documents, dossier, keuring, reintegratie

app_name = "medisch"

urlpatterns = [
    path("", dossier.index, name="index"),
    path("werknemers/<int:werknemer_pk>/dossier/", dossier.open_dossier, name="open_dossier"),
    path("dossiers/<int:pk>/", dossier.dossier, name="dossier"),
    path("dossiers/<int:pk>/consult/nieuw/", dossier.consult_create, name="consult_create"),
    path("dossiers/<int:pk>/advies/nieuw/", dossier.advies_create, name="advies_create"),
    path("adviezen/<int:pk>/vrijgeven/", dossier.advies_release, name="advies_release"),
    path(
        "dossiers/<int:pk>/delegaties/nieuw/", dossier.delegation_create, name="delegation_create"
    ),
    path("delegaties/<int:pk>/intrekken/", dossier.delegation_revoke, name="delegation_revoke"),
    path("dossiers/<int:pk>/documenten/nieuw/", documents.document_upload, name="document_upload"),
    path("documenten/<int:pk>/download/", documents.document_download, name="document_download"),
    path(
        "dossiers/<int:pk>/correspondentie/nieuw/",
        documents.correspondence_create,
        name="correspondence_create",
    ),
    # MD-7: the aanstellingskeuring, the doctor's side.
    path("keuringen/", keuring.keuring_list, name="keuringen"),
    path("keuringen/<int:pk>/vastleggen/", keuring.keuring_record, name="keuring_record"),
    # RI-2, RI-4: the probleemanalyse and the medical part of the re-integratieverslag.
    path(
        "dossiers/<int:pk>/probleemanalyse/nieuw/",
        reintegratie.probleemanalyse_create,
        name="probleemanalyse_create",
    ),
    path("dossiers/<int:pk>/verslag/nieuw/", reintegratie.verslag_create, name="verslag_create"),
    path("verslagdelen/<int:pk>/geven/", reintegratie.verslag_deliver, name="verslag_deliver"),
    # ZM-5: same cause yes/no around a Wazo leave.
    path(
        "dossiers/<int:pk>/verlof/<int:verlof_pk>/oordeel/",
        reintegratie.wazo_oordeel,
        name="wazo_oordeel",
    ),
]
