"""SE-7 with MD-1, MD-2, MD-7, RI-2, RI-4, RI-5 and RI-9 (issue 15, item 6): every state change
of the medical module is an action that writes the medical row, its audit row (SE-7) and, where
there is one, the data-flow record (RI-9) or consent record (AV-2) as one unit — across the two
database connections (the medisch alias for the medical tables, the default alias for the audit
log). A failing audit write leaves no medical write behind (never medical data changed without a
trace in the log); a failing medical write leaves no audit row of a change that did not happen.
And the API (like the pages) writes through those actions, not through code of its own.

The fault tests run on a transactional database (real commits, as tests/reliability does): in
the default per-test transaction a step committed too early would be rolled back with the test
and go unseen. "Nothing committed" is the fingerprint of every table, medical ones included.

The audit log is written by `privacy.audit.record`, which appends through
`privacy.audit.record_many` (medisch.public's reads call `record_many` directly): the fault goes
in `record_many`, so every audit write hits it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.query import QuerySet
from django.urls import get_resolver
from django.utils import timezone

from accounts.roles import OrganisationKind, Role
from medisch import public
from medisch.actions import documents as actions_documents
from medisch.actions import dossier as actions
from medisch.actions import keuring as actions_keuring
from medisch.actions import reintegratie as actions_reintegratie
from medisch.models import Dossier, Keuring, Probleemanalyse, TrajectNotitie
from privacy import audit, flows
from privacy.actions import toestemming as consent
from privacy.models import AuditEvent
from tests.factories import OrganisationFactory
from tests.reliability.support import db_fingerprint, fingerprint_diff

pytestmark = pytest.mark.django_db(databases=["default", "medisch"])

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
KEURING = {
    "function": "Heftruckchauffeur",
    "justification": "Het besturen van een heftruck vereist goed zicht en evenwicht.",
    "aspects": "Gezichtsvermogen en evenwichtsorgaan",
}
ADVICE = {
    "limitations": "Niet tillen boven 10 kg",
    "capabilities": "Bureauwerk 4 uur per dag",
    "expected_duration": "middel",
    "incapacity_percentage": 50,
    "adjustments": "Zit-sta-bureau",
}
CORRESPONDENCE = {
    "direction": "uit",
    "date": "2026-11-02",
    "counterpart": "huisarts (synthetisch)",
    "subject": "Verzoek om informatie",
    "body": "Graag uw bevindingen.",
    "consent_reference": "toestemming-2026-014",
}


class Injected(RuntimeError):
    """The fault: raised by the monkeypatched step."""


@pytest.fixture
def files_root(settings, tmp_path):
    """Encrypted documents go to a temporary MEDICAL_FILES_ROOT, never into var/."""
    root = tmp_path / "medical-files"
    settings.MEDICAL_FILES_ROOT = str(root)
    return root


def _stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def ctx(doctor, hr, patient, case, files_root):
    return SimpleNamespace(
        doctor=doctor,
        hr=hr,
        patient=patient,
        candidate=patient.user,
        case=case,
        dossier=actions.open_dossier(by=doctor, werknemer=patient),
        files_root=files_root,
    )


def _requested_keuring(ctx):
    pk = public.request_keuring(by=ctx.hr, candidate_email=ctx.candidate.email, **KEURING)
    return Keuring.objects.get(pk=pk)


def _examined_keuring(ctx):
    keuring = _requested_keuring(ctx)
    assert actions_keuring.record_keuring(
        by=ctx.doctor, keuring=keuring, findings="Visus normaal.", conclusion="geschikt"
    )
    return keuring


def _verslag_deel(ctx, deliver):
    return actions_reintegratie.record_verslag_deel(
        by=ctx.doctor,
        dossier=ctx.dossier,
        case_id=ctx.case.case_id,
        date=timezone.localdate(),
        text="Het herstel verloopt volgens verwachting.",
        deliver=deliver,
    )


def _consultant(make_user):
    provider = OrganisationFactory(kind=OrganisationKind.REINTEGRATIEBEDRIJF)
    return make_user(Role.CONSULTANT, organisation=provider, device=False)


# --- The writes -------------------------------------------------------------------------------
# Each `prepare(ctx, make_user)` makes what the write needs (committed, audited as usual) and
# returns the write itself, to run under the fault.


def _request_keuring(ctx, make_user):
    return lambda: public.request_keuring(by=ctx.hr, candidate_email=ctx.candidate.email, **KEURING)


def _record_keuring(ctx, make_user):
    keuring = _requested_keuring(ctx)
    return lambda: actions_keuring.record_keuring(
        by=ctx.doctor, keuring=keuring, findings="Visus normaal.", conclusion="geschikt"
    )


def _decide_keuring(ctx, make_user):
    keuring = _examined_keuring(ctx)
    return lambda: public.decide_keuring(by=ctx.candidate, keuring_id=keuring.pk, share=True)


def _withdraw_keuring(ctx, make_user):
    keuring = _examined_keuring(ctx)
    public.decide_keuring(by=ctx.candidate, keuring_id=keuring.pk, share=True)
    return lambda: public.decide_keuring(by=ctx.candidate, keuring_id=keuring.pk, share=False)


def _record_probleemanalyse(ctx, make_user):
    return lambda: actions_reintegratie.record_probleemanalyse(
        by=ctx.doctor,
        dossier=ctx.dossier,
        case_id=ctx.case.case_id,
        date=timezone.localdate(),
        medical_part="Rugklachten bij tillen.",
        release=True,
        **ADVICE,
    )


def _record_verslag_deel(ctx, make_user):
    return lambda: _verslag_deel(ctx, deliver=True)


def _deliver_verslag_deel(ctx, make_user):
    deel = _verslag_deel(ctx, deliver=False)
    return lambda: actions_reintegratie.deliver_verslag_deel(by=ctx.doctor, deel=deel)


def _upload_document(ctx, make_user):
    return lambda: actions_documents.upload_document(
        by=ctx.doctor,
        dossier=ctx.dossier,
        uploaded_file=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
        title="Uitslag",
        kind="uitslag",
    )


def _record_correspondence(ctx, make_user):
    return lambda: actions_documents.record_correspondence(
        by=ctx.doctor, dossier=ctx.dossier, **CORRESPONDENCE
    )


def _send_trajectory_note(ctx, make_user):
    consultant = _consultant(make_user)
    return lambda: public.send_trajectory_note_to_doctor(
        by=consultant,
        werknemer=ctx.patient,
        trajectory_id=1,
        provider_name="Re-integratie BV",
        kind="rapport",
        text="Uitgebreide rapportage (synthetisch).",
    )


@dataclass(frozen=True)
class Write:
    prepare: Callable
    # The medical table whose write fails in the "medical write fails" test: the LAST medical
    # write of the action where there are several, so that everything before it is undone too.
    medical: type
    # The default-side record that goes with it besides the audit row: (module, function).
    record: tuple | None = None
    # Which audit write fails: the action's own row, the last one it writes.
    audit_call: int = 1


WRITES = {
    "MD-7-keuring-aanvragen": Write(_request_keuring, Keuring),
    "MD-7-keuring-vastleggen": Write(_record_keuring, Keuring),
    "MD-7-AV-2-keuring-delen": Write(_decide_keuring, Keuring, (consent, "record")),
    "MD-7-AV-2-keuring-intrekken": Write(_withdraw_keuring, Keuring, (consent, "withdraw")),
    # The advice (MD-5) and its audit row and flow come first; the medical part last.
    "RI-2-probleemanalyse": Write(
        _record_probleemanalyse, Probleemanalyse, (flows, "record_flow"), audit_call=2
    ),
    # touch_dossier (RT-4) is the last medical write of these four.
    "RI-4-verslagdeel": Write(_record_verslag_deel, Dossier, (flows, "record_flow")),
    "RI-4-verslagdeel-geven": Write(_deliver_verslag_deel, Dossier, (flows, "record_flow")),
    "MD-1-document": Write(_upload_document, Dossier),
    "MD-1-correspondentie": Write(_record_correspondence, Dossier),
    "RI-5-trajectnotitie": Write(_send_trajectory_note, TrajectNotitie, (flows, "record_flow")),
}
WITH_RECORD = {name: w for name, w in WRITES.items() if w.record}


@pytest.fixture
def fault(monkeypatch):
    """fault(obj, name, call=1): obj.name raises Injected on its `call`-th call (the others run
    as usual)."""

    def install(obj, name, call=1):
        original = getattr(obj, name)
        state = {"raised": False, "calls": 0}

        def step(*args, **kwargs):
            state["calls"] += 1
            if state["calls"] == call:
                state["raised"] = True
                raise Injected(f"{name} failed")
            return original(*args, **kwargs)

        monkeypatch.setattr(obj, name, step)
        return state

    return install


@pytest.fixture
def fail_medical_write(monkeypatch):
    """fail_medical_write(Model): the first INSERT or UPDATE of Model's table raises Injected,
    whichever code path issues it (create, save, QuerySet.update)."""

    def install(model):
        state = {"raised": False}

        def guard(name):
            original = getattr(QuerySet, name)

            def step(self, *args, **kwargs):
                if self.model is model and not state["raised"]:
                    state["raised"] = True
                    raise Injected(f"{model.__name__}: {name} failed")
                return original(self, *args, **kwargs)

            return step

        for name in ("_insert", "_update", "update"):
            monkeypatch.setattr(QuerySet, name, guard(name))
        return state

    return install


def _assert_no_trace(write, state, files_root):
    """Run `write`, which must fail with the injected fault: no table changed (medical tables
    included), the audit chain intact, no encrypted file left behind without its row."""
    before = db_fingerprint()
    with pytest.raises(Injected):
        write()
    assert state["raised"], "the injected step was never reached"
    assert fingerprint_diff(before, db_fingerprint()) == {}, "partial write"
    assert list(audit.verify()) == []  # SE-7: the chain has no gap either
    assert _stored_files(files_root) == []


@pytest.mark.fault
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", WRITES)
def test_audit_write_fails_nothing_medical_is_committed_se7(name, ctx, make_user, fault):
    """SE-7, MD-2 (MD-1, MD-7, RI-2, RI-4, RI-5: see the id): the medical write and its audit
    row are one unit — when the audit write fails, the medical row is not committed (and no
    flow, consent or deadline record either). For the probleemanalyse the fault is at its own
    audit row, after the advice (MD-5) and the advice's audit row: all of it is undone."""
    write = WRITES[name].prepare(ctx, make_user)
    state = fault(audit, "record_many", WRITES[name].audit_call)
    _assert_no_trace(write, state, ctx.files_root)


@pytest.mark.fault
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", WRITES)
def test_medical_write_fails_no_audit_row_remains_se7(name, ctx, make_user, fail_medical_write):
    """SE-7, MD-2 (MD-1, MD-7, RI-2, RI-4, RI-5: see the id): when a medical write of the
    action fails, no audit row (nor flow or consent record) of the change remains — the log
    records only what happened. The fault is at the action's last medical write, so every
    earlier step (the probleemanalyse's advice with its own audit row and flow, MD-5) must be
    undone too."""
    write = WRITES[name].prepare(ctx, make_user)
    audit_rows = AuditEvent.objects.count()
    state = fail_medical_write(WRITES[name].medical)
    _assert_no_trace(write, state, ctx.files_root)
    assert AuditEvent.objects.count() == audit_rows


@pytest.mark.fault
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", WITH_RECORD)
def test_flow_or_consent_record_fails_nothing_is_committed_ri9(name, ctx, make_user, fault):
    """RI-9, AV-2, SE-7 (MD-7, RI-2, RI-4, RI-5: see the id): the data-flow record (the legal
    basis of what leaves the medical module) or the candidate's consent record is written with
    the medical change and its audit row, or none of them is."""
    write = WRITES[name].prepare(ctx, make_user)
    state = fault(*WRITES[name].record)
    _assert_no_trace(write, state, ctx.files_root)


# --- The API and the pages write through the actions ------------------------------------------


@pytest.fixture
def spy(monkeypatch):
    """spy(module, name): calls of module.name are recorded (and run as usual)."""
    # Every view and API module is imported first: one that imported the action by name would
    # otherwise bind the spy at its import and pass for the wrong reason.
    get_resolver().url_patterns  # noqa: B018

    def install(module, name):
        original = getattr(module, name)
        calls = []

        def record(*args, **kwargs):
            calls.append(kwargs)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, record)
        return calls

    return install


def _today():
    return timezone.localdate().isoformat()


def _probleemanalyse_form(release):
    return {
        "date": _today(),
        "medical_part": "Rugklachten bij tillen.",
        **ADVICE,
        "release": release,
    }


# (action module, action, actor, url, body, multipart/json): the API's writes.
API_WRITES = {
    "MD-7-keuring-vastleggen": lambda c: (
        actions_keuring,
        "record_keuring",
        c.doctor,
        f"/api/v1/medisch/keuringen/{_requested_keuring(c).pk}/record/",
        {"findings": "Visus normaal.", "conclusion": "geschikt"},
    ),
    "RI-2-probleemanalyse": lambda c: (
        actions_reintegratie,
        "record_probleemanalyse",
        c.doctor,
        f"/api/v1/medisch/dossiers/{c.dossier.pk}/probleemanalyses/",
        _probleemanalyse_form(True),
    ),
    "RI-4-verslagdeel": lambda c: (
        actions_reintegratie,
        "record_verslag_deel",
        c.doctor,
        f"/api/v1/medisch/dossiers/{c.dossier.pk}/verslagdelen/",
        {"date": _today(), "text": "Herstel verloopt goed.", "deliver": True},
    ),
    "RI-4-verslagdeel-geven": lambda c: (
        actions_reintegratie,
        "deliver_verslag_deel",
        c.doctor,
        f"/api/v1/medisch/verslagdelen/{_verslag_deel(c, deliver=False).pk}/deliver/",
        None,
    ),
    "MD-1-document": lambda c: (
        actions_documents,
        "upload_document",
        c.doctor,
        f"/api/v1/medisch/dossiers/{c.dossier.pk}/documents/",
        {"title": "Uitslag", "kind": "uitslag", "uploaded_file": SimpleUploadedFile("a.pdf", PDF)},
    ),
    "MD-1-correspondentie": lambda c: (
        actions_documents,
        "record_correspondence",
        c.doctor,
        f"/api/v1/medisch/dossiers/{c.dossier.pk}/correspondence/",
        CORRESPONDENCE,
    ),
}


@pytest.mark.parametrize("name", API_WRITES)
def test_api_writes_through_the_action_md2(name, ctx, spy, bearer_client):
    """MD-2, SE-7 (MD-1, MD-7, RI-2, RI-4: see the id): the doctor's API changes medical state
    only through the medisch action the page uses (one policy, one audit, one transaction) —
    never through a function of its own or of a views module."""
    module, action, actor, url, body = API_WRITES[name](ctx)
    calls = spy(module, action)
    client = bearer_client(actor)
    if isinstance(body, dict) and "uploaded_file" in body:
        response = client.post(url, body, format="multipart")
    else:
        response = client.post(url, body, format="json")
    assert response.status_code in (200, 201), response.content
    assert len(calls) == 1 and calls[0]["by"] == actor


# (action module, action, actor, url, form): the pages' writes.
PAGE_WRITES = {
    "MD-7-keuring-aanvragen": lambda c: (
        actions_keuring,
        "request_keuring",
        c.hr,
        "/verzuim/keuringen/nieuw/",
        {"candidate_email": c.candidate.email, **KEURING},
    ),
    "MD-7-keuring-vastleggen": lambda c: (
        actions_keuring,
        "record_keuring",
        c.doctor,
        f"/medisch/keuringen/{_requested_keuring(c).pk}/vastleggen/",
        {"findings": "Visus normaal.", "conclusion": "geschikt"},
    ),
    "MD-7-AV-2-keuring-delen": lambda c: (
        actions_keuring,
        "decide_keuring",
        c.candidate,
        f"/verzuim/mijn/keuringen/{_examined_keuring(c).pk}/besluit/",
        {"besluit": "delen"},
    ),
    "RI-2-probleemanalyse": lambda c: (
        actions_reintegratie,
        "record_probleemanalyse",
        c.doctor,
        f"/medisch/dossiers/{c.dossier.pk}/probleemanalyse/nieuw/",
        _probleemanalyse_form("on"),
    ),
    "RI-4-verslagdeel": lambda c: (
        actions_reintegratie,
        "record_verslag_deel",
        c.doctor,
        f"/medisch/dossiers/{c.dossier.pk}/verslag/nieuw/",
        {"date": _today(), "text": "Herstel verloopt goed.", "deliver": "on"},
    ),
    "RI-4-verslagdeel-geven": lambda c: (
        actions_reintegratie,
        "deliver_verslag_deel",
        c.doctor,
        f"/medisch/verslagdelen/{_verslag_deel(c, deliver=False).pk}/geven/",
        {},
    ),
    "MD-1-document": lambda c: (
        actions_documents,
        "upload_document",
        c.doctor,
        f"/medisch/dossiers/{c.dossier.pk}/documenten/nieuw/",
        {"title": "Uitslag", "kind": "uitslag", "uploaded_file": SimpleUploadedFile("a.pdf", PDF)},
    ),
    "MD-1-correspondentie": lambda c: (
        actions_documents,
        "record_correspondence",
        c.doctor,
        f"/medisch/dossiers/{c.dossier.pk}/correspondentie/nieuw/",
        CORRESPONDENCE,
    ),
}


@pytest.mark.parametrize("name", PAGE_WRITES)
def test_page_writes_through_the_action_md2(name, ctx, spy, verified_client):
    """MD-2, SE-7 (MD-1, MD-7, RI-2, RI-4: see the id): the pages (the doctor's, and the
    employer's and candidate's keuring pages through medisch.public) change medical state only
    through the medisch action, and still answer with their redirect."""
    module, action, actor, url, form = PAGE_WRITES[name](ctx)
    calls = spy(module, action)
    response = verified_client(actor).post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert len(calls) == 1 and calls[0]["by"] == actor
