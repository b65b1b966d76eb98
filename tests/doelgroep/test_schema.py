"""DG-1, DG-3, DG-4, DG-7, DG-8: no field for the reason of registration, sickness or benefit
history, ethnicity or criminal history exists — in any model of the project, in any form or
serializer of the doelgroep app, or in any header of its exports. A schema-level test: it reads
the real classes, and a planted field shows that it can fail."""

import importlib
import pkgutil
import re

import pytest
from django import forms
from django.apps import apps
from django.db import models

import doelgroep
from doelgroep import reports

# (pattern, rule): matched against field names, verbose names, labels and help texts, folded to
# lower case. "WIA-beslissing" is allowed (DG-4) and so is the DG-3 category label, which names
# WW only as the condition the law requires to be recorded.
FORBIDDEN = [
    (r"\breden\b|\breason\b|grond van opname|opnamegrond", "DG-1"),
    (r"wajong|uitkeringsverleden|benefit.?history|ziekteverleden|sickness.?history", "DG-3/DG-4"),
    (r"etnic|ethnic|afkomst|\brace?\b|nationaliteit|nationality", "DG-7"),
    (r"strafblad|strafrecht|criminal|veroordel|conviction|justiti|antecedent", "DG-8"),
]
ALLOWED = {"ten minste 52 weken ww", "beslissing uwv over wia"}


def _texts_of_model_field(field):
    yield field.name
    yield str(getattr(field, "verbose_name", ""))
    yield str(getattr(field, "help_text", ""))


def _violations(texts, *, everywhere=False):
    """`everywhere`: the scan of models outside the doelgroep app, where "reason" is an
    ordinary word (a legal hold has a reason) and only the other rules apply."""
    found = []
    for text in texts:
        folded = text.lower()
        for allowed in ALLOWED:
            folded = folded.replace(allowed, "")
        for pattern, rule in FORBIDDEN:
            if everywhere and rule == "DG-1":
                continue
            if re.search(pattern, folded):
                found.append((rule, text))
    return found


def _doelgroep_modules():
    for info in pkgutil.walk_packages(doelgroep.__path__, "doelgroep."):
        if ".migrations" in info.name or ".tests" in info.name:
            continue
        yield importlib.import_module(info.name)


def test_dg_no_forbidden_field_in_any_model():
    problems = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.Field):
                texts = _texts_of_model_field(field)
                outside = model._meta.app_label != "doelgroep"
                problems += [(model.__name__, *v) for v in _violations(texts, everywhere=outside)]
    assert problems == []


def test_dg_no_forbidden_field_in_doelgroep_forms_or_serializers():
    from rest_framework import serializers

    problems = []
    seen = 0
    for module in _doelgroep_modules():
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != module.__name__:
                continue
            if issubclass(value, forms.BaseForm):
                fields = value.base_fields
                texts = [
                    t
                    for name, f in fields.items()
                    for t in (name, str(f.label or ""), str(f.help_text or ""))
                ]
            elif issubclass(value, serializers.BaseSerializer):
                fields = value().get_fields()
                texts = [t for name, f in fields.items() for t in (name, str(f.label or ""))]
            else:
                continue
            seen += 1
            problems += [(value.__name__, *v) for v in _violations(texts)]
    assert problems == []
    assert seen > 0, "no form or serializer found: the scan would prove nothing"


@pytest.mark.django_db
def test_dg_no_forbidden_heading_in_the_reports(employer):
    texts = []
    for title, table in reports.all_tables(employer.pk, 2026):
        texts += [title, *table.col_labels]
    assert _violations(texts) == []


def test_dg_the_scan_finds_a_planted_field():
    """Controls: the patterns do catch what they are for."""
    planted = [
        models.CharField("reden van opname", max_length=10),
        models.BooleanField("eerder Wajong-uitkering"),
        models.CharField("etniciteit", max_length=10),
        models.TextField("strafblad"),
    ]
    for name, field in zip(("reden", "wajong", "etniciteit", "strafblad"), planted, strict=True):
        field.name = name
        assert _violations(_texts_of_model_field(field)), name
    assert _violations(["VOG overgelegd", "gecontroleerd via"]) == []
