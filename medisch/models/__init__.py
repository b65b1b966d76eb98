"""The medical module's models (MD-1), one module per sub-domain: the dossier with consults,
advice and delegations (`dossier`), documents and correspondence (`documents`), the
aanstellingskeuring (`keuring`) and the doctor's part of re-integration (`reintegratie`).

Django finds the models here; `from medisch.models import X` works for every one of them.
Nothing outside medisch/ imports this package (MD-2): the employer side goes through
medisch/public.py.
"""

from .documents import (
    Correspondentie,
    CorrespondentieDirection,
    Document,
    DocumentKind,
    document_storage,
)
from .dossier import (
    ADVICE_FIELDS,
    Advies,
    AdviesKind,
    Consult,
    Delegation,
    Dossier,
    ExpectedDuration,
)
from .keuring import CandidateDecision, Keuring, KeuringConclusion
from .reintegratie import Probleemanalyse, TrajectNotitie, VerslagMedischDeel, WazoOordeel

# The rows that belong to one dossier and go with it (retention RT-4, the AV-3 export).
DOSSIER_MEMBERS = (
    Consult,
    Advies,
    Delegation,
    Document,
    Correspondentie,
    Probleemanalyse,
    VerslagMedischDeel,
    WazoOordeel,
)

__all__ = [
    "ADVICE_FIELDS",
    "DOSSIER_MEMBERS",
    "Advies",
    "AdviesKind",
    "CandidateDecision",
    "Consult",
    "Correspondentie",
    "CorrespondentieDirection",
    "Delegation",
    "Document",
    "DocumentKind",
    "Dossier",
    "ExpectedDuration",
    "Keuring",
    "KeuringConclusion",
    "Probleemanalyse",
    "TrajectNotitie",
    "VerslagMedischDeel",
    "WazoOordeel",
    "document_storage",
]
