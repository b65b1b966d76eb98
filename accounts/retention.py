"""Accounts under the retention registry: their lifecycle is the beheerder's (issue, deactivate),
not the purge; sessions and API tokens expire through accounts.tasks."""

from retention.registry import no_personal_data, outside_purge

from .models import (
    ApiToken,
    Assignment,
    EigenrisicodragerPeriode,
    EmailPreference,
    Notification,
    Organisation,
    User,
)


def register_accounts():
    outside_purge(
        User,
        "accounts bestaan zolang iemand toegang nodig heeft; de beheerder deactiveert ze "
        "(het auditlog kent personen alleen onder pseudoniem)",
    )
    outside_purge(Assignment, "hoort bij het account van de arts of consultant")
    outside_purge(
        ApiToken,
        "vervalt na 8 uur (een synchronisatietoken na API_SYNC_TOKEN_DAYS); accounts.tasks "
        "verwijdert het een dag na verlopen of intrekken",
    )
    outside_purge(
        Notification,
        "een bericht aan de gebruiker zelf, zonder gezondheidsgegevens; het verdwijnt met het "
        "account",
    )
    outside_purge(EmailPreference, "een instelling van het account")
    no_personal_data(Organisation, "gegevens van een organisatie, niet van een persoon")
    no_personal_data(
        EigenrisicodragerPeriode,
        "perioden waarin een werkgever eigenrisicodrager was (RT-2, RT-3): gegevens van een "
        "organisatie; bewaard zolang de organisatie, want de bewaartermijnen van haar verzuim "
        "hangen ervan af",
    )
