"""The public privacy statement (AV-5)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from privacy.models import LegalBasis
from retention import registry

RIGHTS = [
    ("inzage", "U mag zien welke gegevens wij over u hebben (art. 15 AVG)."),
    ("rectificatie", "U mag onjuiste gegevens laten verbeteren (art. 16)."),
    ("verwijdering", "U mag vragen gegevens te wissen als er geen grond meer is (art. 17)."),
    ("beperking", "U mag vragen de verwerking tijdelijk te beperken (art. 18)."),
    ("bezwaar", "U mag bezwaar maken tegen verwerking op grond van een belang (art. 21)."),
    ("overdraagbaarheid", "U krijgt uw gegevens in een gangbaar, leesbaar formaat (art. 20)."),
]


@login_not_required
def statement(request):
    """AV-5: every item, filled from settings and the processing register (retention.registry)."""
    return render(
        request,
        "privacy/statement.html",
        {
            "controller": settings.PRIVACY_CONTROLLER,
            "dpo": settings.PRIVACY_DPO,
            "categories": registry.categories(),
            "legal_bases": LegalBasis.choices,
            "rights": RIGHTS,
        },
    )
