"""RT-6, AV-1: every model of the project is accounted for by the retention registry — a root
with an indexed keep_until date, a member removed with its root, personal data with its own
declared lifecycle, or declared free of personal data. A new model without a registration fails
here."""

from django.apps import apps
from django.db import models

from retention import registry
from retention.rules import RULES

PROJECT_APPS = {
    "accounts",
    "privacy",
    "verzuim",
    "medisch",
    "reintegratie",
    "doelgroep",
    "retention",
}


def _project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def test_rt6_every_project_model_is_accounted_for():
    roots = {cat.model for cat in registry.categories()}
    members = {m for cat in registry.categories() for m in cat.members}
    declared = set(registry.declared_without_personal_data()) | set(
        registry.declared_outside_purge()
    )
    missing = [m._meta.label for m in _project_models() if m not in roots | members | declared]
    assert missing == []


def test_rt6_every_root_carries_an_indexed_keep_until_date():
    for cat in registry.categories():
        field = cat.model._meta.get_field("keep_until")
        assert isinstance(field, models.DateField) and field.db_index, cat.key
        assert field.null, cat.key  # None: the clock has not started


def test_rt6_every_member_is_removed_with_its_root():
    """A member reaches its root by a cascading foreign key (directly or through another
    member), or the category removes it itself (before_delete)."""
    for cat in registry.categories():
        for member in cat.members:
            chain = {cat.model}
            reachable = False
            for _ in range(3):
                for model in list(chain):
                    for rel in model._meta.related_objects:
                        if rel.related_model is member and rel.on_delete is models.CASCADE:
                            reachable = True
                        if rel.related_model in cat.members and rel.on_delete is models.CASCADE:
                            chain.add(rel.related_model)
            assert reachable or cat.before_delete, (cat.key, member._meta.label)


def test_rt_every_rule_in_the_table_cites_its_rule_and_is_used():
    used = {key for cat in registry.categories() for key in cat.rules}
    for key, rule in RULES.items():
        assert rule.rule_id.startswith("RT-"), key
        assert rule.source and rule.starts, key
        assert key in used, f"rule {key} is in the table but no category uses it"


def test_av1_every_category_states_purpose_basis_subjects_recipients():
    for cat in registry.categories():
        for attribute in ("purpose", "legal_basis", "subjects", "recipients", "security"):
            assert len(getattr(cat, attribute)) > 10, (cat.key, attribute)
