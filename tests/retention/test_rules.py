"""RT-1..RT-6, rule by rule, as time travel: a record one day before the end of its period (and on
its last day) survives a purge, one day after it the purge removes it — with its members and, for
a medical dossier, its encrypted files. Then: keep_until follows its starting event when that
changes through the project's own actions."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.roles import Role
from doelgroep.actions.maatregelen import add_maatregel
from doelgroep.actions.noriskpolis import record_noriskpolis
from doelgroep.actions.registratie import create_kandidaat, record_registercheck
from doelgroep.actions.verklaring import sign_statement
from doelgroep.actions.vog import record_vog
from doelgroep.actions.voorkeursbeleid import record_geboorteland, record_voorkeursbeleid
from doelgroep.models import (
    CheckedVia,
    Geboorteland,
    Kandidaat,
    MaatregelKind,
    NoRiskPolis,
    Ondersteuningsmaatregel,
    Registercheck,
    Vog,
)
from doelgroep.synthetic import synthetic_bsns
from medisch.actions import documents as medisch_documents
from medisch.actions import dossier as medisch_actions
from medisch.models import Consult, Document, Dossier, Keuring, document_storage
from reintegratie.models import (
    Factuur,
    PlanVanAanpak,
    PlanVersie,
    Trajectory,
    TrajectoryStaff,
    Voortgangsrapportage,
)
from retention.models import LegalHold, RetentionExtension
from retention.purge import dry_run
from retention.rules import RULES
from tests.retention.builders import (
    at,
    day_after,
    day_before,
    dossier_with_document,
    employee,
    end_employment_on_model,
    erd,
    keuring,
    plan,
    provider_with_consultant,
    purge_on,
    sick,
    stored_files,
    trajectory,
)
from verzuim.actions.werknemer import end_employment
from verzuim.actions.ziekmelding import record_herstel
from verzuim.models import DeadlineCompletion, Herstelmelding, Werknemer, Ziekmelding

pytestmark = pytest.mark.django_db


def exists(model, pk) -> bool:
    return model._default_manager.filter(pk=pk).exists()


def kept_until(model, pk, last_day: date):
    """The record survives a purge the day before and on its last day, and is gone the day
    after."""
    for day in (day_before(last_day), last_day):
        purge_on(day)
        assert exists(model, pk), f"{model.__name__} {pk} removed on {day}, kept until {last_day}"
    purge_on(day_after(last_day))
    assert not exists(model, pk), f"{model.__name__} {pk} survived past {last_day}"


@pytest.fixture
def hr(make_user):
    return make_user(Role.HR, device=False)


@pytest.fixture
def doctor(make_user):
    return make_user(Role.BEDRIJFSARTS, device=False)  # assigned to `employer`


@pytest.fixture
def medical_files(settings, tmp_path):
    settings.MEDICAL_FILES_ROOT = str(tmp_path / "medical-files")
    return tmp_path / "medical-files"


# --- RT-1: the employer's absence administration and re-integratiedossier -------------------------


def test_rt1_verzuim_case_is_kept_two_years_after_employment_ends(hr, employer):
    """RT-1: the case (periods, herstelmelding, deadline completions) goes 2 years after the
    employment ends, not before — whenever the absence itself ended."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2022, 3, 7), recovered_on=date(2022, 4, 4))
    assert zm.keep_until is None  # still employed: the clock has not started
    end_employment_on_model(werknemer, date(2023, 8, 31))
    zm.refresh_from_db()
    assert zm.keep_until == date(2025, 8, 31)
    herstel = Herstelmelding.objects.get(ziekmelding=zm)
    kept_until(Ziekmelding, zm.pk, date(2025, 8, 31))
    assert not exists(Herstelmelding, herstel.pk)
    assert not DeadlineCompletion.objects.filter(case_id=zm.case_id).exists()


def test_rt1_reintegratiedossier_is_kept_two_years_after_the_reintegration_is_completed(
    hr, employer
):
    """RT-1: the plan van aanpak (with its versions) goes 2 years after the re-integration is
    completed (full recovery), although the employee is still employed."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2023, 1, 9))
    the_plan = plan(hr, zm, date(2023, 2, 27))
    assert the_plan.keep_until is None  # the re-integration is still running
    with at(date(2023, 6, 1)):
        record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=date(2023, 5, 15))
    # The employer records the plan's final version after the recovery (its save recomputes the
    # date; whether the recovery alone does is test_rt1_..._recomputed_when_recovery_recorded).
    the_plan = plan(hr, zm, date(2023, 6, 2), version=the_plan.version)
    the_plan.refresh_from_db()
    assert the_plan.keep_until == date(2025, 5, 15)
    versions = set(PlanVersie.objects.filter(plan=the_plan).values_list("pk", flat=True))
    assert versions
    kept_until(PlanVanAanpak, the_plan.pk, date(2025, 5, 15))
    assert not PlanVersie.objects.filter(pk__in=versions).exists()
    assert exists(Werknemer, werknemer.pk)  # still employed: the employee record stays


def test_rt1_reintegratiedossier_completed_by_the_end_of_employment(hr, employer):
    """RT-1: an absence that never ended is completed for the employer when the employment
    ends: the plan goes 2 years after that."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2023, 1, 9))
    the_plan = plan(hr, zm, date(2023, 2, 27))
    end_employment_on_model(werknemer, date(2024, 1, 31))
    the_plan.refresh_from_db()
    assert the_plan.keep_until == date(2026, 1, 31)
    kept_until(PlanVanAanpak, the_plan.pk, date(2026, 1, 31))


# --- RT-2, RT-3: eigenrisicodrager ZW and WGA -----------------------------------------------------


def test_rt2_eigenrisicodrager_zw_keeps_the_case_five_years_after_the_absence_ends(hr, employer):
    """RT-2: for an eigenrisicodrager ZW the case stays 5 years after the absence ends when
    that is later than RT-1's 2 years after the employment ends; the employee record waits for
    it (its own RT-1 date has passed, but the case protects it)."""
    erd(employer, "zw")
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2022, 10, 3), recovered_on=date(2023, 2, 13))
    end_employment_on_model(werknemer, date(2023, 3, 31))
    zm.refresh_from_db()
    # Counted from the last day of absence, 12 February (the 13th is the day back at work).
    assert zm.keep_until == date(2028, 2, 12)
    assert werknemer.keep_until == date(2025, 3, 31)
    purge_on(day_after(date(2025, 3, 31)))  # RT-1 alone would have removed it here
    assert exists(Ziekmelding, zm.pk)
    assert exists(Werknemer, werknemer.pk)
    kept_until(Ziekmelding, zm.pk, date(2028, 2, 12))
    assert not exists(Werknemer, werknemer.pk)  # removed after its case, in the same run


def test_rt2_rt1_wins_when_the_employment_ends_later(hr, employer):
    """RT-2 only lengthens: when 2 years after the employment end is later than 5 years after
    the absence, RT-1's date holds."""
    erd(employer, "zw")
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2022, 10, 3), recovered_on=date(2023, 2, 13))
    end_employment_on_model(werknemer, date(2027, 6, 30))
    zm.refresh_from_db()
    assert zm.keep_until == date(2029, 6, 30)
    kept_until(Ziekmelding, zm.pk, date(2029, 6, 30))


def test_rt3_eigenrisicodrager_wga_keeps_a_case_that_reached_the_wia_application_ten_years(
    hr, employer
):
    """RT-3: for an eigenrisicodrager WGA a case that reached the WIA application (sick into
    week 88) stays 10 years after its last day of absence."""
    erd(employer, "wga")
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2021, 1, 4), recovered_on=date(2022, 9, 12))  # 616 sick days
    end_employment_on_model(werknemer, date(2022, 10, 31))
    zm.refresh_from_db()
    assert zm.keep_until == date(2032, 9, 11)
    purge_on(day_after(date(2027, 9, 11)))  # past RT-2's five years: still kept
    assert exists(Ziekmelding, zm.pk)
    kept_until(Ziekmelding, zm.pk, date(2032, 9, 11))


# --- RT-4: the bedrijfsarts -----------------------------------------------------------------------


def test_rt4_aanstellingskeuring_is_kept_six_months_after_the_request(hr, make_user, employer):
    """RT-4: a pre-employment exam dossier goes 6 months after it was requested."""
    candidate = make_user(Role.WERKNEMER, organisation=employer, device=False)
    exam = keuring(hr, candidate, date(2024, 1, 15))
    assert exam.keep_until == date(2024, 7, 15)
    kept_until(Keuring, exam.pk, date(2024, 7, 15))


def test_rt4_medical_dossier_is_kept_twenty_years_after_its_last_change_files_included(
    doctor, employer, medical_files
):
    """RT-4: the medical dossier goes 20 years after its last change, with its consults and
    documents — and the encrypted document file leaves the storage too (no orphan)."""
    werknemer = employee(employer)
    dossier, document = dossier_with_document(doctor, werknemer, date(2005, 3, 10))
    consult = Consult.objects.get(dossier=dossier)
    assert dossier.keep_until == date(2025, 3, 10)
    assert document_storage().exists(document.file)
    for day in (day_before(date(2025, 3, 10)), date(2025, 3, 10)):
        purge_on(day)
        assert exists(Dossier, dossier.pk)
        assert document_storage().exists(document.file)
    purge_on(day_after(date(2025, 3, 10)))
    assert not exists(Dossier, dossier.pk)
    assert not exists(Consult, consult.pk)
    assert not exists(Document, document.pk)
    assert not document_storage().exists(document.file)
    assert stored_files(medical_files) == set()


def test_rt4_employee_waits_for_the_medical_dossier_kept_longer(
    doctor, hr, employer, medical_files
):
    """RT-1/RT-4: an employee whose own retention has run out stays while their medical
    dossier must still be kept (the dossier's link to the employee is a hidden relation,
    related_name="+"); the employee goes once the dossier has gone. Same for the correspondence
    of the re-integratiedossier (PROTECT, also hidden): it never makes the purge fail."""
    werknemer = employee(employer)
    dossier, _document = dossier_with_document(doctor, werknemer, date(2005, 3, 10))
    end_employment_on_model(werknemer, date(2008, 1, 31))
    werknemer.refresh_from_db()
    assert werknemer.keep_until < date(2015, 1, 1) < dossier.keep_until
    purge_on(date(2015, 1, 1))
    assert exists(Werknemer, werknemer.pk) and exists(Dossier, dossier.pk)
    purge_on(day_after(dossier.keep_until))
    assert not exists(Dossier, dossier.pk)
    purge_on(day_after(dossier.keep_until))
    assert not exists(Werknemer, werknemer.pk)


def test_rt4_dossier_with_occupational_exposure_is_kept_forty_years(
    doctor, employer, medical_files
):
    """RT-4: asbestos, radiation or carcinogens (occupational disease): 40 years after the last
    change; at 20 years it is still there."""
    werknemer = employee(employer)
    dossier, document = dossier_with_document(doctor, werknemer, date(2004, 5, 3))
    with at(date(2004, 5, 3)):
        dossier.occupational_exposure = True
        dossier.save()
    dossier.refresh_from_db()
    assert dossier.keep_until == date(2044, 5, 3)
    purge_on(day_after(date(2024, 5, 3)))
    assert exists(Dossier, dossier.pk)
    kept_until(Dossier, dossier.pk, date(2044, 5, 3))
    assert not document_storage().exists(document.file)
    assert stored_files(medical_files) == set()


# --- RT-5: the re-integration company -------------------------------------------------------------


@pytest.fixture
def ended_trajectory(hr, employer, make_user):
    """A trajectory (staff, a report, an invoice) that ended on 31 March 2024."""
    provider, consultant = provider_with_consultant(make_user)
    zm = sick(hr, employee(employer), date(2023, 9, 4))
    return trajectory(hr, zm, provider, consultant, date(2023, 11, 1), end_on=date(2024, 3, 31))


def test_rt5_trajectory_is_kept_two_years_after_it_ends(ended_trajectory):
    """RT-5: the re-integration company's dossier goes 2 years after the trajectory ends, with
    its staff, reports and invoices."""
    t = ended_trajectory
    assert t.keep_until == date(2026, 3, 31)
    assert TrajectoryStaff.objects.filter(trajectory=t).exists()
    kept_until(Trajectory, t.pk, date(2026, 3, 31))
    for member in (TrajectoryStaff, Voortgangsrapportage, Factuur):
        assert not member.objects.filter(trajectory_id=t.pk).exists(), member.__name__


def test_rt5_recorded_extension_up_to_four_years_is_honoured(ended_trajectory, hr):
    """RT-5: with a recorded reason (recurrence of the same condition is likely) the dossier
    may be kept up to 4 years after the trajectory ends; the dry run agrees."""
    t = ended_trajectory
    extension = RetentionExtension.objects.create(
        category="reintegratie.traject",
        object_id=t.pk,
        reason="Terugval in dezelfde klachten is waarschijnlijk.",
        extended_until=RULES["reintegratiebedrijf"].max_extension.after(t.end_on),
        recorded_by=hr,
    )
    assert extension.extended_until == date(2028, 3, 31)
    assert RetentionExtension.objects.get(pk=extension.pk).reason
    with at(day_after(date(2026, 3, 31))):
        assert {r.key: r.count for r in dry_run()}["reintegratie.traject"] == 0
    purge_on(day_after(date(2026, 3, 31)))
    assert exists(Trajectory, t.pk)
    kept_until(Trajectory, t.pk, date(2028, 3, 31))


def test_rt5_an_extension_needs_a_reason(ended_trajectory):
    """RT-5: an extension without a recorded reason is not valid."""
    extension = RetentionExtension(
        category="reintegratie.traject",
        object_id=ended_trajectory.pk,
        reason="",
        extended_until=date(2027, 3, 31),
    )
    with pytest.raises(ValidationError) as error:
        extension.full_clean()
    assert "reason" in error.value.message_dict


def test_rt5_extension_is_never_honoured_beyond_four_years(ended_trajectory, hr):
    """RT-5: 'up to 4 years' is the maximum, counted from the end of the trajectory. An extension
    recorded at the maximum, after which the trajectory's end is corrected to half a year
    earlier, does not keep the dossier past 4 years after the corrected end (the purge, not only
    the form that records an extension, must respect the rule's maximum)."""
    t = ended_trajectory
    RetentionExtension.objects.create(
        category="reintegratie.traject",
        object_id=t.pk,
        reason="Terugval in dezelfde klachten is waarschijnlijk.",
        extended_until=date(2028, 3, 31),  # 4 years after 31 March 2024: the maximum
        recorded_by=hr,
    )
    t.end_on = date(2023, 9, 30)  # corrected: the trajectory ended half a year earlier
    t.save()
    t.refresh_from_db()
    assert t.keep_until == date(2025, 9, 30)
    purge_on(day_after(date(2027, 9, 30)))  # 4 years and a day after the real end
    assert not exists(Trajectory, t.pk), "kept beyond RT-5's maximum of 4 years"


def test_rt5_rt6_legal_hold_postpones_the_purge_until_its_date(ended_trajectory, hr):
    """RT-5, RT-6: a legal hold (reason, until a date) keeps an expired trajectory through that
    date; the day after, the purge removes it."""
    t = ended_trajectory
    LegalHold.objects.create(
        category="reintegratie.traject",
        object_id=t.pk,
        reason="Procedure bij de rechtbank (synthetisch).",
        placed_by=hr,
        until=date(2026, 12, 31),
    )
    purge_on(day_after(date(2026, 3, 31)))
    assert exists(Trajectory, t.pk)
    kept_until(Trajectory, t.pk, date(2026, 12, 31))


def test_rt5_rt6_lifting_a_legal_hold_lets_the_record_go(ended_trajectory, hr):
    """RT-5, RT-6: lifting the hold before its date lets the next purge remove the record."""
    t = ended_trajectory
    hold = LegalHold.objects.create(
        category="reintegratie.traject",
        object_id=t.pk,
        reason="Procedure bij de rechtbank (synthetisch).",
        placed_by=hr,
        until=date(2030, 1, 1),
    )
    purge_on(date(2027, 6, 1))
    assert exists(Trajectory, t.pk)
    with at(date(2027, 6, 2)):
        hold.lifted_at = timezone.now()
        hold.save()
    purge_on(date(2027, 6, 3))
    assert not exists(Trajectory, t.pk)


def test_rt6_legal_hold_applies_to_other_categories_too(hr, employer):
    """RT-6: a hold on a verzuim case (RT-1) postpones it in the same way."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2022, 3, 7), recovered_on=date(2022, 4, 4))
    end_employment_on_model(werknemer, date(2023, 8, 31))
    LegalHold.objects.create(
        category="verzuim.ziekmelding",
        object_id=zm.pk,
        reason="Geschil over loondoorbetaling (synthetisch).",
        until=date(2026, 2, 28),
    )
    purge_on(day_after(date(2025, 8, 31)))
    assert exists(Ziekmelding, zm.pk)
    assert exists(Werknemer, werknemer.pk)  # protected by its held case
    kept_until(Ziekmelding, zm.pk, date(2026, 2, 28))


# --- Doelgroep (RT-6 'sollicitant', RT-1 'doelgroepadministratie') --------------------------------


@pytest.fixture
def signed_hr(hr):
    sign_statement(by=hr)  # DG-6: the gate of the doelgroep administration
    return hr


def test_rt6_applicant_register_check_is_kept_one_month(signed_hr):
    """RT-6 (rule 'sollicitant'): an applicant's register check — and the applicant — go one
    month after the check."""
    bsns = synthetic_bsns()
    with at(date(2024, 1, 10)):
        kandidaat = create_kandidaat(by=signed_hr, name="Sol Licitant", reference="Vac 7")
    with at(date(2024, 1, 15)):
        check = record_registercheck(
            by=signed_hr,
            kandidaat=kandidaat,
            in_register=True,
            checked_on=date(2024, 1, 15),
            checked_via=CheckedVia.BSN,
            bsn=next(bsns),
        )
    check.refresh_from_db()
    kandidaat.refresh_from_db()
    assert check.keep_until == date(2024, 2, 15)
    assert kandidaat.keep_until == date(2024, 2, 15)
    kept_until(Registercheck, check.pk, date(2024, 2, 15))
    assert not exists(Kandidaat, kandidaat.pk)


def test_rt1_employee_doelgroep_records_go_with_the_employee_record(signed_hr, employer):
    """RT-1 (rule 'doelgroepadministratie'): an employee's register check, no-riskpolis, support
    measure, VOG and country of birth go with the employee record, 2 years after the employment
    ends."""
    bsns = synthetic_bsns()
    werknemer = employee(employer, employment_start=date(2019, 1, 1))
    with at(date(2022, 1, 10)):
        check = record_registercheck(
            by=signed_hr,
            werknemer=werknemer,
            in_register=True,
            checked_on=date(2022, 1, 10),
            checked_via=CheckedVia.BSN,
            bsn=next(bsns),
        )
        record_noriskpolis(
            by=signed_hr, werknemer=werknemer, asked_on=date(2022, 1, 10), applies=True
        )
        add_maatregel(
            by=signed_hr,
            werknemer=werknemer,
            kind=MaatregelKind.BEGELEIDING,
            start_on=date(2022, 1, 3),
        )
        record_vog(by=signed_hr, werknemer=werknemer, provided=True, provided_on=date(2022, 1, 5))
        record_voorkeursbeleid(
            by=signed_hr,
            group_description="Werknemers met een migratieachtergrond",
            documentation="Personeelsmonitor: 4% tegen 14% in de regio (synthetisch).",
            decided_on=date(2021, 11, 1),
        )
        record_geboorteland(
            by=signed_hr, werknemer=werknemer, self_country="Nederland", mother_country="Suriname"
        )
    check.refresh_from_db()
    assert check.keep_until is None  # employed: no end yet
    end_employment_on_model(werknemer, date(2023, 4, 30))
    check.refresh_from_db()
    assert werknemer.keep_until == date(2025, 4, 30)
    assert check.keep_until == date(2025, 4, 30)
    members = (NoRiskPolis, Ondersteuningsmaatregel, Vog, Geboorteland, Registercheck)
    kept_until(Werknemer, werknemer.pk, date(2025, 4, 30))
    for model in members:
        assert not model.objects.filter(werknemer_id=werknemer.pk).exists(), model.__name__


# --- keep_until follows its starting event (RT-6) ------------------------------------------------


def test_rt1_keep_until_recomputed_when_employment_ends_through_the_action(hr, employer):
    """RT-1, RT-6: ending the employment through verzuim.actions.werknemer.end_employment (what the
    employer's page does) dates the case, the employee record and the re-integratiedossier; a
    corrected end date moves them again."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2023, 1, 9))
    the_plan = plan(hr, zm, date(2023, 2, 27))
    with at(date(2024, 2, 1)):
        werknemer.refresh_from_db()
        end_employment(by=hr, werknemer=werknemer, end_date=date(2024, 1, 31))
    for model, pk in (
        (Ziekmelding, zm.pk),
        (Werknemer, werknemer.pk),
        (PlanVanAanpak, the_plan.pk),
    ):
        assert model.objects.get(pk=pk).keep_until == date(2026, 1, 31), model.__name__
    with at(date(2024, 2, 2)):
        werknemer.refresh_from_db()
        end_employment(by=hr, werknemer=werknemer, end_date=date(2024, 1, 15))
    for model, pk in (
        (Ziekmelding, zm.pk),
        (Werknemer, werknemer.pk),
        (PlanVanAanpak, the_plan.pk),
    ):
        assert model.objects.get(pk=pk).keep_until == date(2026, 1, 15), model.__name__


def test_rt1_keep_until_recomputed_when_employment_end_saved_on_the_record(hr, employer):
    """RT-1, RT-6: the same when the employment end is saved on the record; cleared again (the
    employment continues after all), the clock stops."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2023, 1, 9), recovered_on=date(2023, 2, 6))
    end_employment_on_model(werknemer, date(2024, 1, 31))
    zm.refresh_from_db()
    assert zm.keep_until == date(2026, 1, 31)
    end_employment_on_model(werknemer, None)
    zm.refresh_from_db()
    assert zm.keep_until is None
    assert werknemer.keep_until is None


def test_rt1_plan_keep_until_recomputed_when_recovery_recorded(hr, employer):
    """RT-1, RT-6: recording the full recovery (verzuim.actions.ziekmelding.record_herstel)
    completes the re-integration: the plan van aanpak is then dated 2 years after the recovery."""
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2023, 1, 9))
    the_plan = plan(hr, zm, date(2023, 2, 27))
    assert the_plan.keep_until is None
    with at(date(2023, 6, 1)):
        record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=date(2023, 5, 15))
    the_plan.refresh_from_db()
    assert the_plan.keep_until == date(2025, 5, 15)


def test_rt2_case_keep_until_recomputed_when_recovery_recorded(hr, employer):
    """RT-2, RT-6: an eigenrisicodrager ZW's case whose employment already ended has no date
    while the absence runs; recording the recovery (record_herstel) dates it 5 years after."""
    erd(employer, "zw")
    werknemer = employee(employer)
    zm = sick(hr, werknemer, date(2022, 10, 3))
    end_employment_on_model(werknemer, date(2022, 12, 31))
    zm.refresh_from_db()
    assert zm.keep_until is None  # the absence has not ended: its clock has not run
    with at(date(2023, 3, 1)):
        record_herstel(by=hr, ziekmelding=zm, kind="volledig", date=date(2023, 2, 13))
    zm.refresh_from_db()
    assert zm.keep_until == date(2028, 2, 12)  # 5 years after the last day of absence


def test_rt5_keep_until_recomputed_when_trajectory_end_is_set_or_changed(hr, employer, make_user):
    """RT-5, RT-6: a running trajectory has no date; setting its end dates it 2 years later;
    moving the end moves the date."""
    provider, consultant = provider_with_consultant(make_user)
    zm = sick(hr, employee(employer), date(2023, 9, 4))
    t = trajectory(hr, zm, provider, consultant, date(2023, 11, 1))
    assert t.keep_until is None
    t.end_on = date(2024, 3, 31)
    t.save()
    t.refresh_from_db()
    assert t.keep_until == date(2026, 3, 31)
    t.end_on = date(2024, 6, 30)
    t.save()
    t.refresh_from_db()
    assert t.keep_until == date(2026, 6, 30)
    purge_on(day_after(date(2026, 3, 31)))
    assert exists(Trajectory, t.pk)


def test_rt4_keep_until_recomputed_when_a_consult_changes_the_dossier(
    doctor, employer, medical_files
):
    """RT-4, RT-6: a consult recorded years later is a change of the dossier: the 20 years run
    from it, and the purge at the old date leaves the dossier alone."""
    werknemer = employee(employer)
    dossier, _ = dossier_with_document(doctor, werknemer, date(2005, 3, 10))
    assert dossier.keep_until == date(2025, 3, 10)
    with at(date(2012, 9, 20)):
        medisch_actions.record_consult(by=doctor, dossier=dossier, date=date(2012, 9, 20))
    purge_on(day_after(date(2025, 3, 10)))
    assert exists(Dossier, dossier.pk), "dossier changed in 2012 purged 20 years after 2005"
    assert Dossier.objects.get(pk=dossier.pk).keep_until == date(2032, 9, 20)


def test_rt4_keep_until_recomputed_when_a_document_changes_the_dossier(
    doctor, employer, medical_files
):
    """RT-4, RT-6: so does a document uploaded or a letter recorded later."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.retention.builders import PDF

    werknemer = employee(employer)
    dossier, _ = dossier_with_document(doctor, werknemer, date(2005, 3, 10))
    with at(date(2010, 4, 1)):
        medisch_documents.upload_document(
            by=doctor,
            dossier=dossier,
            uploaded_file=SimpleUploadedFile("uitslag.pdf", PDF),
            title="Uitslag",
            kind="uitslag",
        )
    assert Dossier.objects.get(pk=dossier.pk).keep_until == date(2030, 4, 1)
    with at(date(2011, 5, 2)):
        medisch_documents.record_correspondence(
            by=doctor,
            dossier=Dossier.objects.get(pk=dossier.pk),
            direction="uit",
            counterpart="Huisarts (synthetisch)",
            date=date(2011, 5, 2),
            subject="Verzoek om informatie",
        )
    assert Dossier.objects.get(pk=dossier.pk).keep_until == date(2031, 5, 2)


def test_rt4_keep_until_recomputed_when_the_dossier_record_is_saved(doctor, employer):
    """RT-4, RT-6: saving the dossier itself (here: marking occupational exposure) restarts the
    clock at that change, with the 40-year period."""
    werknemer = employee(employer)
    with at(date(2005, 3, 10)):
        dossier = medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    assert dossier.keep_until == date(2025, 3, 10)
    with at(date(2009, 7, 7)):
        dossier.occupational_exposure = True
        dossier.save()
    assert Dossier.objects.get(pk=dossier.pk).keep_until == date(2049, 7, 7)
