"""Notifications from the medical module (accounts.notifications): one function per event, called
from every action where the event happens — the advice released at creation
(actions.dossier.record_advies with release) and a concept released later.

What leaves here is the fact that the employer may look at a released advice (MD-5), with a link
to its case page; never its content (MD-2: no e-mail carries medical data)."""

from datetime import date

from django.urls import reverse

from accounts import notifications
from verzuim.models import Ziekmelding


def advice_released(advies) -> None:
    """MD-5: HR of the employer is told that an advice was released. Call inside the releasing
    transaction; once per advice however often it is called (the key)."""
    ziekmelding = (
        Ziekmelding.objects.filter(case_id=advies.case_id).order_by("-first_day", "-pk").first()
    )
    link = (
        reverse("verzuim:ziekmelding", args=[ziekmelding.pk])
        if ziekmelding
        else reverse("verzuim:ziekmeldingen")
    )
    # An action given the date as text (the API, a test) leaves it so on the instance.
    day = advies.date if isinstance(advies.date, date) else date.fromisoformat(str(advies.date))
    notifications.notify(
        notifications.hr_of(advies.dossier.organisation_id),
        kind=notifications.Kind.ADVIES,
        key=f"advies:{advies.pk}",
        text=f"De bedrijfsarts heeft een advies van {day:%d-%m-%Y} vrijgegeven.",
        link=link,
    )
