"""Issue 18, item 6: the plan's choice of advice shows distinct, meaningful labels (RI-3, MD-5).

Two advices of one day used to show as two identical "Advies van 03-12-2026". Each label now
says which document it is — kind, date, release time, number in the case — and nothing of the
advice's content, since HR and the werkgever see the choice."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from medisch.actions import dossier as actions
from medisch.actions import reintegratie as reintegratie_actions
from medisch.public import advice_labels

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

CONTENT = ("Niet tillen", "Bureauwerk", "Zit-sta-bureau", "Medisch deel")


@pytest.fixture
def dossier(doctor, patient):
    return actions.open_dossier(by=doctor, werknemer=patient)


def _advice(doctor, dossier, case, release=True, **extra):
    return actions.record_advies(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        release=release,
        date=timezone.localdate(),
        limitations="Niet tillen boven 10 kg.",
        capabilities="Bureauwerk, vier uur per dag.",
        expected_duration="kort",
        incapacity_percentage=50,
        adjustments="Zit-sta-bureau.",
        **extra,
    )


@pytest.fixture
def three_on_one_day(doctor, dossier, case):
    """A probleemanalyse's employer part, an advice and an actueel oordeel, all today, and a
    concept that is not offered at all."""
    analyse = reintegratie_actions.record_probleemanalyse(
        by=doctor,
        dossier=dossier,
        case_id=case.case_id,
        date=timezone.localdate(),
        medical_part="Medisch deel van de analyse.",
        release=True,
        limitations="Niet tillen boven 10 kg.",
        capabilities="Bureauwerk, vier uur per dag.",
        expected_duration="kort",
        incapacity_percentage=50,
    )
    advies = _advice(doctor, dossier, case)
    oordeel = _advice(doctor, dossier, case, kind="actueel_oordeel")
    concept = _advice(doctor, dossier, case, release=False)
    return analyse.advies, advies, oordeel, concept


def test_ri3_md5_labels_are_distinct_and_name_kind_date_and_number(case, three_on_one_day):
    analysis_part, advies, oordeel, concept = three_on_one_day
    labels = advice_labels(case.case_id)
    assert set(labels) == {analysis_part.pk, advies.pk, oordeel.pk}  # the concept is not offered
    assert len(set(labels.values())) == 3
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert labels[analysis_part.pk].startswith(
        f"Probleemanalyse (deel voor de werkgever) van {today}"
    )
    assert labels[advies.pk].startswith(f"Advies van {today}")
    assert labels[oordeel.pk].startswith(f"Actueel oordeel van {today}")
    assert [re.search(r"nr\. (\d+)", labels[a.pk]).group(1) for a in three_on_one_day[:3]] == [
        "1",
        "2",
        "3",
    ]
    for label in labels.values():
        assert "vrijgegeven op" in label
        assert not any(word in label for word in CONTENT)


def test_ri3_md5_hr_sees_distinct_advice_choices_without_content(
    verified_client, hr, case, three_on_one_day
):
    page = verified_client(hr).get(reverse("reintegratie:plan", args=[case.pk]))
    assert page.status_code == 200
    options = [
        label for value, label in page.context["form"].fields["advies_ref"].choices if value != ""
    ]
    assert len(options) == 3 and len(set(options)) == 3
    html = page.content.decode()
    for label in options:
        assert label in html
        assert not any(word in label for word in CONTENT)
    assert "Medisch deel" not in html
