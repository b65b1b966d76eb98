"""MD-2 (layer 2), SE-2: deleting on the admin site. Django's delete collector reads every table
that points at the object on the object's own connection; for a medical table that is the
application role, which may not read it — the admin answered 500 for any organisation with a
medical dossier. Now: a clear refusal while medical records refer to the object, a normal
deletion otherwise, never a 500 and never one query on a medical table as the application role.
Every model on the admin site is covered (test_every_admin_model_is_covered)."""

from datetime import date

import pytest
from django.contrib import admin
from django.contrib.sites.models import Site
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.models import Organisation, User
from accounts.roles import Role
from config.routers import MEDICAL_APP
from tests.verzuim.factories import WerknemerFactory


def _medical_tables():
    from django.apps import apps

    return {m._meta.db_table for m in apps.get_app_config(MEDICAL_APP).get_models()}


def _referenced_by_medical(model) -> bool:
    from django.apps import apps

    return any(
        field.is_relation and field.related_model is model
        for medical in apps.get_app_config(MEDICAL_APP).get_models()
        for field in medical._meta.concrete_fields
    )


def _dossier(make_user, employer):
    """A medical dossier in `employer`, opened by its doctor: refers to both."""
    from medisch.actions import dossier as medisch_actions

    doctor = make_user(Role.BEDRIJFSARTS)
    werknemer = WerknemerFactory(organisation=employer)
    medisch_actions.open_dossier(by=doctor, werknemer=werknemer)
    return doctor


# Per admin model: (object with medical records referring to it, object without) — builders.
def _organisations(make_user, employer):
    _dossier(make_user, employer)
    from tests.factories import OrganisationFactory

    return employer, OrganisationFactory(name="Lege organisatie BV")


def _users(make_user, employer):
    doctor = _dossier(make_user, employer)
    return doctor, make_user(Role.HR)


def _sites(make_user, employer):
    # The sites migration inserts pk 1 without advancing the sequence: name the pk.
    pk = max(Site.objects.values_list("pk", flat=True), default=0) + 1
    return None, Site.objects.create(pk=pk, domain="tweede.example", name="Tweede")


BUILDERS = {Organisation: _organisations, User: _users, Site: _sites}


def _admin_url(obj, view):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/{view}/"


def _changelist(model):
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_every_admin_model_is_covered():
    """Every model on the admin site has a builder here, and a model that a medical model points
    at has an object with medical records to try."""
    assert set(admin.site._registry) == set(BUILDERS)
    for model in admin.site._registry:
        assert _referenced_by_medical(model) == (model in (Organisation, User)), model


@pytest.fixture
def operator(make_user):
    return make_user(Role.BEHEERDER)


@pytest.fixture
def operator_client(operator, verified_client):
    return verified_client(operator)


@pytest.mark.parametrize("model", list(BUILDERS), ids=lambda m: m._meta.label)
def test_admin_delete_never_reads_medical_tables_and_refuses_medical_objects(
    model, make_user, employer, operator, operator_client
):
    """MD-2: the delete page, its confirmation and the bulk delete action, as the operator, for
    an object medical records refer to (refused, kept) and one they do not (deleted, where the
    model admin allows deleting at all) — no 500, no medical table read on `default`."""
    held, free = BUILDERS[model](make_user, employer)
    medical = _medical_tables()
    model_admin = admin.site._registry[model]
    with CaptureQueriesContext(connections["default"]) as queries:
        if held is not None:
            page = operator_client.get(_admin_url(held, "delete"))
            assert page.status_code in (200, 403), page.status_code
            if page.status_code == 200:
                assert "Medische gegevens" in page.content.decode()
            confirmed = operator_client.post(_admin_url(held, "delete"), {"post": "yes"})
            assert confirmed.status_code in (200, 403), confirmed.status_code
            bulk = operator_client.post(
                _changelist(model),
                {"action": "delete_selected", "_selected_action": [held.pk], "post": "yes"},
            )
            assert bulk.status_code in (200, 302), bulk.status_code
            assert model._default_manager.filter(pk=held.pk).exists(), "a medical object went"
        page = operator_client.get(_admin_url(free, "delete"))
        confirmed = operator_client.post(_admin_url(free, "delete"), {"post": "yes"})
    deletable = model_admin.has_delete_permission(type("Request", (), {"user": operator}), free)
    if deletable:
        assert page.status_code == 200
        assert (confirmed.status_code, confirmed.headers["Location"]) == (302, _changelist(model))
        assert not model._default_manager.filter(pk=free.pk).exists()
    else:
        assert (page.status_code, confirmed.status_code) == (403, 403)
        assert model._default_manager.filter(pk=free.pk).exists()
    touched = [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in medical)]
    assert not touched, f"medical tables read on the application connection: {touched[:2]}"


def test_refusal_names_counts_not_content(make_user, employer, operator_client):
    """MD-2: the refusal tells the operator what kind of medical record holds the organisation
    and how many — never a name, a date or anything of the dossier itself."""
    _dossier(make_user, employer)
    body = operator_client.get(_admin_url(employer, "delete")).content.decode()
    assert "Medische gegevens: 1 × " in body
    assert "bewaartermijn" in body
    assert str(date.today().year) not in body.split("Medische gegevens")[1][:200]
