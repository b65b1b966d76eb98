"""Notifications from the medical module (accounts.notifications): one function per event, called
from every action where the event happens — the advice released at creation
(actions.dossier.record_advies with release) and a concept released later; the medical part of
the re-integratieverslag given to the employee (actions.reintegratie).

What leaves here is the fact that there is something to look at, with a link; never its content
(MD-2: no e-mail carries medical data)."""

from datetime import date

from django.urls import reverse

from accounts import notifications
from verzuim.models import Werknemer, Ziekmelding


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


def verslag_part_delivered(deel) -> None:
    """RI-4: the employee is told that the doctor's part of their re-integratieverslag is there
    to read (the text says no more)."""
    user_id = Werknemer.objects.filter(pk=deel.dossier.werknemer_id).values_list(
        "user_id", flat=True
    )
    notifications.notify(
        [uid for uid in user_id if uid],
        kind=notifications.Kind.LEZEN,
        key=f"verslag-medisch-lezen:{deel.pk}",
        text="De bedrijfsarts heeft u een deel van uw re-integratieverslag gegeven om te lezen.",
        link=reverse("reintegratie:mijn"),
    )
