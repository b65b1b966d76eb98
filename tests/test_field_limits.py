"""Issue 18 item 5: every text field of every form and API serializer has a maximum (core/
limits.py), shown at the field and refused there in Dutch; 1 MB of text is never saved
silently. This module walks every form and serializer class of the project's apps: a new one
with an unlimited text field fails here."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from rest_framework import serializers

from core import limits

APPS = [
    "accounts",
    "core",
    "doelgroep",
    "medisch",
    "privacy",
    "reintegratie",
    "retention",
    "verzuim",
]
# Serializers that only describe what the API answers (responses and errors); they never
# validate input, so their fields need no maximum. Module path + class name.
RESPONSE_ONLY = {
    "accounts.api_errors.ErrorSerializer",
    "verzuim.api.sync.SyncInvalidSerializer",  # the 400 of the sync page (ErrorSerializer's)
    "accounts.api.views.TokenResponseSerializer",
    "verzuim.api.views.DeadlineSerializer",
    "reintegratie.api.rapportages.ReportSerializer",
    "reintegratie.api.trajecten.ChoiceValueSerializer",
    "reintegratie.api.trajecten.SharedWerknemerSerializer",
    "reintegratie.api.trajecten.TrajectorySerializer",
    "doelgroep.api.serializers.ReportRowSerializer",
    "doelgroep.api.serializers.ReportTableSerializer",
}


def _project_classes():
    modules = []
    for app in APPS:
        package = importlib.import_module(app)
        modules.append(package)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in info.name or ".management" in info.name:
                continue
            modules.append(importlib.import_module(info.name))
    found = {}
    for module in modules:
        for obj in vars(module).values():
            if inspect.isclass(obj) and obj.__module__.split(".")[0] in APPS:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


CLASSES = _project_classes()
FORMS = {name: cls for name, cls in CLASSES.items() if issubclass(cls, forms.BaseForm)}
SERIALIZERS = {
    name: cls
    for name, cls in CLASSES.items()
    if issubclass(cls, serializers.BaseSerializer)
    and not issubclass(cls, serializers.ListSerializer)
}


def test_the_walk_finds_the_forms_and_serializers():
    assert len(FORMS) > 40
    assert len(SERIALIZERS) > 30
    assert RESPONSE_ONLY <= set(SERIALIZERS), RESPONSE_ONLY - set(SERIALIZERS)


@pytest.mark.django_db
def test_every_form_text_field_has_a_maximum():
    unlimited = [
        f"{name}.{field_name}"
        for name, form_class in FORMS.items()
        for field_name, field in form_class.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert not unlimited, f"text fields without max_length (core/limits.py): {unlimited}"


@pytest.mark.django_db
def test_every_serializer_text_field_that_takes_input_has_a_maximum():
    unlimited = []
    for name, serializer_class in SERIALIZERS.items():
        if name in RESPONSE_ONLY:
            continue
        for field_name, field in serializer_class().fields.items():
            if field.read_only:
                continue
            if isinstance(field, serializers.CharField) and field.max_length is None:
                unlimited.append(f"{name}.{field_name}")
    assert not unlimited, f"serializer text fields without max_length: {unlimited}"


def test_a_form_refuses_too_much_text_with_a_dutch_message_at_the_field():
    from reintegratie.forms.traject import DoctorNoteForm

    form = DoctorNoteForm(data={"text": "x" * (1024 * 1024)})
    assert not form.is_valid()
    assert form.errors["text"] == [
        "Deze tekst is te lang: maximaal 20000 tekens, het zijn er nu 1048576."
    ]


def test_a_serializer_refuses_too_much_text_with_a_field_error():
    from reintegratie.api.plan import PlanCreateSerializer

    serializer = PlanCreateSerializer(
        data={
            "ziekmelding": 1,
            "drawn_up_on": "2026-11-23",
            "casemanager": "C. Manager",
            "spoor": "eerste",
            "goals": "x" * (limits.TEXT + 1),
        }
    )
    assert not serializer.is_valid()
    assert "goals" in serializer.errors
    assert "4000" in str(serializer.errors["goals"])
