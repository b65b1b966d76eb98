"""DG-2: the BSN — 11-proef, encrypted column, masked display, audited reveal; synthetic test
numbers only (SE-5)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from doelgroep.actions.registratie import create_kandidaat, record_registercheck, reveal_bsn
from doelgroep.actions.verklaring import sign_statement
from doelgroep.models import Registercheck
from doelgroep.synthetic import is_synthetic_bsn, synthetic_bsns
from privacy.models import AuditEvent
from tests.verzuim.factories import WerknemerFactory

pytestmark = pytest.mark.django_db
BSN = next(synthetic_bsns())  # 999990007


@pytest.fixture
def hr(make_user):
    user = make_user("hr")
    sign_statement(by=user)
    return user


@pytest.fixture
def werknemer(employer):
    return WerknemerFactory(organisation=employer)


@pytest.mark.parametrize("bad", ["999990008", "12345678", "abcdefghi", "", "1234567890"])
def test_dg2_bsn_must_pass_the_11_proef(hr, werknemer, bad):
    with pytest.raises(ValidationError) as error:
        record_registercheck(
            by=hr,
            werknemer=werknemer,
            in_register=True,
            checked_on=date.today(),
            checked_via="bsn",
            bsn=bad,
        )
    assert "11-proef" in error.value.message_dict["bsn"][0]
    assert not Registercheck.objects.exists()


def test_dg2_bsn_is_encrypted_at_rest_masked_and_revealed_only_with_an_audit_entry(hr, werknemer):
    assert is_synthetic_bsn(BSN)
    check = record_registercheck(
        by=hr,
        werknemer=werknemer,
        in_register=True,
        checked_on=date.today(),
        checked_via="bsn",
        bsn=f"{BSN[:4]}.{BSN[4:6]}.{BSN[6:]}",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT bsn FROM doelgroep_registercheck WHERE id = %s", [check.pk])
        (stored,) = cursor.fetchone()
    assert BSN not in stored and BSN[-3:] not in stored
    check.refresh_from_db()
    assert check.bsn == BSN
    assert check.bsn_masked == f"••••••{BSN[-3:]}" and BSN[:6] not in check.bsn_masked
    before = AuditEvent.objects.filter(detail="BSN getoond").count()
    assert reveal_bsn(by=hr, check=check) == BSN
    event = AuditEvent.objects.filter(detail="BSN getoond").latest("pk")
    assert AuditEvent.objects.filter(detail="BSN getoond").count() == before + 1
    assert event.subject == werknemer.pseudonym and event.actor == hr.pseudonym


def test_dg2_loonheffingennummer_check_stores_no_bsn_and_is_for_employees_only(hr, werknemer):
    check = record_registercheck(
        by=hr,
        werknemer=werknemer,
        in_register=False,
        checked_on=date.today(),
        checked_via="loonheffingennummer",
        bsn=BSN,
    )
    assert check.bsn == "" and check.bsn_last3 == ""
    kandidaat = create_kandidaat(by=hr, name="Sollicitant Synthetisch")
    with pytest.raises(ValidationError) as error:
        record_registercheck(
            by=hr,
            kandidaat=kandidaat,
            in_register=True,
            checked_on=date.today(),
            checked_via="loonheffingennummer",
        )
    assert "checked_via" in error.value.message_dict


def test_dg2_synthetic_range_is_test_only():
    numbers = [n for _, n in zip(range(50), synthetic_bsns(), strict=False)]
    assert all(is_synthetic_bsn(n) for n in numbers)
    assert not is_synthetic_bsn("111222333")  # bsn-scan: ok — valid 11-proef, outside the range
