"""Re-integration under the Wet verbetering poortwachter (RI-1, RI-3..10): the plan van aanpak
with its activities, versions, the employee's response and evaluations; the employer's
re-integratiedossier (correspondence) and -verslag; trajectories at re-integration companies with
their per-case staff, reports and invoices; machtigingen.

Nothing here is medical (MD-2): the plan refers to the doctor's released advice by its id and
shows it live through medisch/public.py (RI-3: limitations and capabilities by reference, never
retyped); a re-integration company's fuller report and detailed proposal for the doctor are stored
in the medical module (medisch.models.reintegratie.TrajectNotitie). Every free-text field the
employer side reads is guarded like ZM-3.
"""

from .bundel import Verslagbundel
from .documents import DocumentKind, Zienswijze
from .dossier import Correspondentie, Direction, Reintegratieverslag
from .machtigingen import Machtiging, MachtigingStatus
from .ondertekening import DocumentType, Ondertekening, SignerRole
from .plan import (
    Activiteit,
    EmployeeResponse,
    Evaluatie,
    EvaluatieKind,
    Owner,
    PlanVanAanpak,
    PlanVersie,
    Spoor,
    SpoorKeuze,
)
from .trajecten import (
    Attendance,
    Category,
    CommissionerKind,
    DataItem,
    Factuur,
    ReportStatus,
    StaffFunction,
    Trajectory,
    TrajectoryStaff,
    TrajectoryStatus,
    Voortgangsrapportage,
)

__all__ = [
    "Activiteit",
    "Attendance",
    "Category",
    "CommissionerKind",
    "Correspondentie",
    "DataItem",
    "Direction",
    "DocumentKind",
    "DocumentType",
    "EmployeeResponse",
    "Evaluatie",
    "EvaluatieKind",
    "Factuur",
    "Machtiging",
    "MachtigingStatus",
    "Ondertekening",
    "Owner",
    "PlanVanAanpak",
    "PlanVersie",
    "Reintegratieverslag",
    "ReportStatus",
    "SignerRole",
    "Spoor",
    "SpoorKeuze",
    "StaffFunction",
    "Trajectory",
    "Verslagbundel",
    "TrajectoryStaff",
    "TrajectoryStatus",
    "Voortgangsrapportage",
    "Zienswijze",
]
