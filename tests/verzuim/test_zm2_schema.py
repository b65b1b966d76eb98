"""ZM-1 and ZM-2 at the schema level: inspect every employer-reachable model, form, serializer,
filter and export column, and fail on any field that could hold the nature or cause of the
illness, a diagnosis, complaints, treatment, medication or *which* vangnet provision applies."""

import re

import pytest
from django import forms as django_forms
from django.apps import apps
from django.urls import get_resolver

from verzuim import forms
from verzuim.api import views as api
from verzuim.models import Ziekmelding
from verzuim.views.overzicht import CSV_HEADER

FORBIDDEN = re.compile(
    r"diagno|oorzaak|cause|klacht|complaint|symptom|ziekte(?!wet)|illness|disease|behandel|"
    r"treat|medica|medicijn|(^|_)icd|icpc|aandoening|condition|vangnet_?(soort|type|kind|welke|"
    r"bepaling_?naam)|which_vangnet|specialis|therap|kwaal",
    re.I,
)
EMPLOYER_APPS = ["verzuim", "accounts"]

ZM1_FIELDS = {
    "id",
    "werknemer",
    "organisation",
    "first_day",
    "percentage",
    "phone",
    "care_address",
    "expected_duration",
    "lopende_afspraken",
    "vangnet",
    "arbeidsongeval",
    "regres",
    "recovered_on",
    "adapted_work_since",  # ZM-5: recovery in adapted or suitable work, case stays open
    "case_id",
    "next_deadline_on",
    "next_deadline_key",
    "next_deadline_label",
    "created_by",
    "created_at",
    "updated_at",
    "version",
    "keep_until",  # RT-6: the retention date, bookkeeping
    "herstelmeldingen",
}


def _names(obj_fields):
    return [n for n in obj_fields if FORBIDDEN.search(n)]


def test_ziekmelding_has_exactly_the_zm1_items():
    """ZM-1: employee, first day, percentage, reachability, expected duration, ongoing work,
    vangnet yes/no, work accident, regres — plus bookkeeping; nothing else."""
    names = {f.name for f in Ziekmelding._meta.get_fields()}
    assert names == ZM1_FIELDS
    assert Ziekmelding._meta.get_field("vangnet").get_internal_type() == "BooleanField"
    assert Ziekmelding._meta.get_field("arbeidsongeval").get_internal_type() == "BooleanField"
    assert Ziekmelding._meta.get_field("regres").get_internal_type() == "BooleanField"


def test_no_employer_side_model_has_a_medical_field():
    """ZM-2: no model of the employer apps has a diagnosis/cause/treatment/... field."""
    offenders = []
    for label in EMPLOYER_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                verbose = str(getattr(field, "verbose_name", ""))
                if FORBIDDEN.search(field.name) or FORBIDDEN.search(verbose):
                    offenders.append(f"{model.__name__}.{field.name}")
    assert offenders == []


def _form_classes():
    return [
        obj
        for obj in vars(forms).values()
        if isinstance(obj, type)
        and issubclass(obj, django_forms.BaseForm)
        and obj.__module__ == forms.__name__
    ]


@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda c: c.__name__)
def test_no_employer_form_offers_a_medical_field(form_class):
    """ZM-2: forms and filters (incl. choice lists) offer nothing medical."""
    kwargs = {}
    if form_class is forms.ZiekmeldingForm:
        kwargs["werknemers"] = forms.Werknemer.objects.none()
    if form_class is forms.SyncApplyForm:
        kwargs.update(has_missing=True, needs_confirm=True)
    form = form_class(**kwargs)
    assert _names(form.fields) == []
    for field in form.fields.values():
        for value, label in getattr(field, "choices", []) or []:
            assert not FORBIDDEN.search(f"{value} {label}"), (field, value, label)


def _serializer_classes():
    from rest_framework import serializers

    return [
        obj
        for obj in vars(api).values()
        if isinstance(obj, type)
        and issubclass(obj, serializers.BaseSerializer)
        and obj.__module__ == api.__name__
    ]


@pytest.mark.parametrize("serializer_class", _serializer_classes(), ids=lambda c: c.__name__)
def test_no_employer_serializer_has_a_medical_attribute(serializer_class):
    """ZM-2: no API attribute is medical."""
    assert _names(serializer_class().fields) == []


def test_export_columns_are_not_medical():
    """ZM-2 / SE-4: the CSV export's columns."""
    assert _names(CSV_HEADER) == []
    from verzuim.hr_sync import ALIASES

    assert _names(ALIASES) == []  # every column name the staff-list import reads


def test_openapi_schema_has_no_medical_property(settings):
    """ZM-2: the whole employer API schema, as published."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    offenders = []
    for name, component in schema["components"]["schemas"].items():
        if name.startswith("Medisch"):
            continue  # the doctor's API (medisch/api.py), refused to every employer role
        for prop in component.get("properties", {}):
            if FORBIDDEN.search(prop):
                offenders.append(f"{name}.{prop}")
    assert offenders == []
    assert get_resolver()  # the schema came from the live URL conf
