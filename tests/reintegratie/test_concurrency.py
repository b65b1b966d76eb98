"""RI-3 and ZM-1 under real concurrency (issue 7, item 5): two people save the same plan van
aanpak or the same verzuimdossier (the ziekmelding) from the same version at the same moment —
two threads, two database connections, committed transactions, released together by a barrier.
Exactly one save wins; the other gets a clear conflict (409 `conflict` in the API, a form error
with the typed input kept on the page), and after re-reading, the loser's change lands on top of
the winner's: no update is lost. Several rounds, so a race that only sometimes loses shows up."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection

from accounts.roles import Role
from reintegratie.models import PlanVanAanpak, PlanVersie
from tests.verzuim.factories import WerknemerFactory
from verzuim.actions.ziekmelding import create_ziekmelding
from verzuim.models import Ziekmelding

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 5
PLANS = "/api/v1/reintegratie/plannen/"


def _simultaneously(*calls):
    """Run the calls in threads released at the same instant; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


@pytest.fixture
def case(make_user, employer):
    hr = make_user(Role.HR)
    werknemer = WerknemerFactory(organisation=employer)
    return create_ziekmelding(
        by=hr,
        werknemer=werknemer,
        first_day=date.today() - timedelta(days=50),
        phone="06-12345678",
        expected_duration="onbekend",
        lopende_afspraken="",
    )


def test_ri3_simultaneous_plan_saves_in_the_api_one_wins_one_gets_409(
    make_user, bearer_client, case
):
    """RI-3: HR and the werkgever PATCH the plan from the same version at the same moment."""
    hr, werkgever = bearer_client(make_user(Role.HR)), bearer_client(make_user(Role.WERKGEVER))
    body = {
        "ziekmelding": case.pk,
        "drawn_up_on": date.today().isoformat(),
        "casemanager": "J. de Boer",
        "spoor": "eigen_werk",
        "goals": "Start.",
    }
    plan = hr.post(PLANS, body, format="json").json()
    url = f"{PLANS}{plan['id']}/"
    for round_ in range(ROUNDS):
        version = hr.get(url).json()["version"]
        mine, theirs = f"HR ronde {round_}.", f"Werkgever ronde {round_}."
        answers = _simultaneously(
            lambda v=version, g=mine: hr.patch(url, {"version": v, "goals": g}, format="json"),
            lambda v=version, a=theirs: werkgever.patch(
                url, {"version": v, "goals": a}, format="json"
            ),
        )
        codes = sorted(a.status_code for a in answers)
        assert codes == [200, 409], [a.content for a in answers]
        loser = next(a for a in answers if a.status_code == 409)
        assert loser.json()["code"] == "conflict"
        winner_goals = next(a for a in answers if a.status_code == 200).json()["goals"]
        stored = PlanVanAanpak.objects.get(pk=plan["id"])
        assert stored.version == version + 1 and stored.goals == winner_goals
        # The loser re-reads and saves again: now on top of the winner's version.
        client, goals = (hr, mine) if winner_goals == theirs else (werkgever, theirs)
        fresh = client.get(url).json()
        again = client.patch(
            url, {"version": fresh["version"], "goals": f"{winner_goals} {goals}"}, format="json"
        )
        assert again.status_code == 200
        assert again.json()["goals"] == f"{winner_goals} {goals}"  # both changes present
    stored = PlanVanAanpak.objects.get(pk=plan["id"])
    assert stored.version == 1 + 2 * ROUNDS
    assert PlanVersie.objects.filter(plan=stored).count() == stored.version  # every save kept


def test_ri3_simultaneous_plan_saves_on_the_page_the_loser_keeps_the_typed_text(
    make_user, verified_client, case
):
    """RI-3: on the plan page the second save shows the conflict with the input kept."""
    first, second = verified_client(make_user(Role.HR)), verified_client(make_user(Role.HR))
    url = f"/reintegratie/meldingen/{case.pk}/plan/"
    base = {
        "drawn_up_on": date.today().isoformat(),
        "casemanager": "Carla Casemanager",
        "spoor": "aangepast_werk",
        "advies_ref": "",
    }
    assert first.post(url, {**base, "version": "0", "goals": "Start."}).status_code == 302
    for round_ in range(ROUNDS):
        version = str(PlanVanAanpak.objects.get(case_id=case.case_id).version)
        texts = (f"Eerste schrijver {round_}.", f"Tweede schrijver {round_}.")
        answers = _simultaneously(
            lambda v=version, t=texts[0]: first.post(url, {**base, "version": v, "goals": t}),
            lambda v=version, t=texts[1]: second.post(url, {**base, "version": v, "goals": t}),
        )
        assert sorted(a.status_code for a in answers) == [200, 302]
        index = next(i for i, a in enumerate(answers) if a.status_code == 200)
        page = answers[index].content.decode()
        assert "Iemand anders heeft het plan intussen gewijzigd" in page
        assert texts[index] in page  # nothing typed is lost
        plan = PlanVanAanpak.objects.get(case_id=case.case_id)
        assert plan.goals == texts[1 - index] and plan.version == int(version) + 1


def test_zm1_simultaneous_edits_of_the_ziekmelding_one_wins_one_gets_409(
    make_user, bearer_client, case
):
    """ZM-1: two HR users change the same verzuimdossier (the ziekmelding) at the same moment."""
    one, two = bearer_client(make_user(Role.HR)), bearer_client(make_user(Role.HR))
    url = f"/api/v1/ziekmeldingen/{case.pk}/"
    for round_ in range(ROUNDS):
        version = one.get(url).json()["version"]
        answers = _simultaneously(
            lambda v=version: one.patch(url, {"version": v, "percentage": 50}, format="json"),
            lambda v=version, r=round_: two.patch(
                url, {"version": v, "phone": f"06-2000000{r}"}, format="json"
            ),
        )
        assert sorted(a.status_code for a in answers) == [200, 409], [a.content for a in answers]
        assert next(a for a in answers if a.status_code == 409).json()["code"] == "conflict"
        assert Ziekmelding.objects.get(pk=case.pk).version == version + 1
    # No lost update: the row moved exactly one version per round.
    assert Ziekmelding.objects.get(pk=case.pk).version == case.version + ROUNDS


def test_zm1_simultaneous_edits_on_the_page_show_a_form_error(make_user, verified_client, case):
    """ZM-1: on the page the loser sees the conflict at the top of the form, input kept."""
    first, second = verified_client(make_user(Role.HR)), verified_client(make_user(Role.HR))
    url = f"/verzuim/meldingen/{case.pk}/wijzigen/"
    zm = Ziekmelding.objects.get(pk=case.pk)
    base = {
        "version": str(zm.version),
        "first_day": zm.first_day.isoformat(),
        "percentage": "100",
        "expected_duration": "onbekend",
        "lopende_afspraken": "",
    }
    answers = _simultaneously(
        lambda: first.post(url, {**base, "phone": "06-30000001"}),
        lambda: second.post(url, {**base, "phone": "06-30000002"}),
    )
    assert sorted(a.status_code for a in answers) == [200, 302], [
        a.content.decode()[:2000] for a in answers if a.status_code == 200
    ]
    index = next(i for i, a in enumerate(answers) if a.status_code == 200)
    page = answers[index].content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert f"06-3000000{index + 1}" in page
    assert Ziekmelding.objects.get(pk=case.pk).phone == f"06-3000000{2 - index}"
