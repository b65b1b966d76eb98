"""Notifications from re-integration (accounts.notifications), one function per event, each
called from the one action where it happens, inside its transaction — so pages, API and
imports notify alike. The texts name no one (the employee reads about their own case; HR is
pointed to the trajectory) and the e-mails carry only a neutral label and the link."""

from django.urls import reverse

from accounts import notifications


def _employee(werknemer) -> list[int]:
    return [werknemer.user_id] if werknemer.user_id else []


def plan_version(plan) -> None:
    """RI-3: each new version of the plan van aanpak is put before the employee."""
    notifications.notify(
        _employee(plan.werknemer),
        kind=notifications.Kind.PLAN,
        key=f"plan:{plan.pk}:{plan.version}",
        text=f"Er is een nieuwe versie ({plan.version}) van uw plan van aanpak.",
        link=reverse("reintegratie:mijn") + f"#plan-{plan.pk}",
    )


def report_to_read(report) -> None:
    """RI-5: a progress report waits for the employee to read it."""
    notifications.notify(
        _employee(report.trajectory.werknemer),
        kind=notifications.Kind.LEZEN,
        key=f"rapportage-lezen:{report.pk}",
        text="Er staat een voortgangsrapportage over uw traject voor u klaar om te lezen.",
        link=reverse("reintegratie:mijn"),
    )


def verslag_to_read(verslag) -> None:
    """RI-4: the employee's copy of the employer's part of the re-integratieverslag."""
    notifications.notify(
        _employee(verslag.werknemer),
        kind=notifications.Kind.LEZEN,
        key=f"verslag-lezen:{verslag.pk}",
        text="U hebt een kopie van het re-integratieverslag ontvangen.",
        link=reverse("reintegratie:mijn"),
    )


def report_released(report) -> None:
    """RI-5: HR of the employer may read a released progress report."""
    trajectory = report.trajectory
    notifications.notify(
        notifications.hr_of(trajectory.organisation_id),
        kind=notifications.Kind.RAPPORTAGE,
        key=f"rapportage-vrijgegeven:{report.pk}",
        text=f"Er is een voortgangsrapportage vrijgegeven bij traject {trajectory.client_number}.",
        link=reverse("reintegratie:trajectory", args=[trajectory.pk]),
    )


def bundle_delivered(bundle) -> None:
    """RI-12: the employee's copy of the re-integratieverslag for UWV is in their portal."""
    notifications.notify(
        _employee(bundle.werknemer),
        kind=notifications.Kind.LEZEN,
        key=f"bundel:{bundle.pk}",
        text="Uw re-integratieverslag voor UWV staat voor u klaar om te downloaden.",
        link=reverse("reintegratie:mijn") + "#bundels",
    )
