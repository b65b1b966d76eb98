"""Doelgroep's dashboard worklist (issue 18), registered in DoelgroepConfig.ready: a document that
waits for the employer's signature — the confidentiality statement (DG-6) an HR user or
werkgever signs before working in the doelgroep administration (not signed, or signed for an
older text version; one the operator withdrew cannot be signed again, so it is not listed)."""

from django.urls import reverse

from accounts.dashboard import WorkGroup, WorkItem, worklist

from . import policies


def statement_panel(request):
    user = request.user
    if not policies.may_sign(user) or policies.current_signature(user) is not None:
        return None
    if policies.is_withdrawn(user):
        return None  # withdrawn by the operator: signing again is refused, so nothing to do
    return "accounts/worklist_groups.html", worklist(
        "doelgroep-verklaring",
        "Doelgroepadministratie",
        [
            WorkGroup(
                "Te ondertekenen",
                [
                    WorkItem(
                        text="Geheimhoudingsverklaring doelgroepadministratie",
                        url=reverse("doelgroep:verklaring"),
                        note="nodig voordat u de doelgroepadministratie kunt gebruiken",
                    )
                ],
                1,
            )
        ],
    )
