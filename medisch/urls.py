from django.urls import path

from . import views, views_documents, views_keuring, views_reintegratie

app_name = "medisch"

urlpatterns = [
    path("", views.index, name="index"),
    path("werknemers/<int:werknemer_pk>/dossier/", views.open_dossier, name="open_dossier"),
    path("dossiers/<int:pk>/", views.dossier, name="dossier"),
    path("dossiers/<int:pk>/consult/nieuw/", views.consult_create, name="consult_create"),
    path("dossiers/<int:pk>/advies/nieuw/", views.advies_create, name="advies_create"),
    path("dossiers/<int:pk>/delegaties/nieuw/", views.delegation_create, name="delegation_create"),
    path("delegaties/<int:pk>/intrekken/", views.delegation_revoke, name="delegation_revoke"),
    path(
        "dossiers/<int:pk>/documenten/nieuw/",
        views_documents.document_upload,
        name="document_upload",
    ),
    path(
        "documenten/<int:pk>/download/",
        views_documents.document_download,
        name="document_download",
    ),
    path(
        "dossiers/<int:pk>/correspondentie/nieuw/",
        views_documents.correspondence_create,
        name="correspondence_create",
    ),
    # MD-7: the aanstellingskeuring, the doctor's side.
    path("keuringen/", views_keuring.keuring_list, name="keuringen"),
    path("keuringen/<int:pk>/vastleggen/", views_keuring.keuring_record, name="keuring_record"),
    # RI-2, RI-4: the probleemanalyse and the medical part of the re-integratieverslag.
    path(
        "dossiers/<int:pk>/probleemanalyse/nieuw/",
        views_reintegratie.probleemanalyse_create,
        name="probleemanalyse_create",
    ),
    path(
        "dossiers/<int:pk>/verslag/nieuw/",
        views_reintegratie.verslag_create,
        name="verslag_create",
    ),
    path(
        "verslagdelen/<int:pk>/geven/",
        views_reintegratie.verslag_deliver,
        name="verslag_deliver",
    ),
]
