"""The retention registry (RT-1..6, AV-1): each domain app registers, next to its models (in its
AppConfig.ready), the categories of personal data it holds. retention/ never imports a domain
app; a new model is covered by one registration beside it, and
tests/retention/test_coverage.py fails for a model that has none.

A *category* has one root model carrying an indexed `keep_until` date, computed from the event
that starts its clock (retention/rules.py). Records that belong to a root (a case's periods, a
dossier's consults) are registered as its *members*: they are removed with it, first, and never
outlive it. A model without personal data is declared so, with the reason.

Written by hand: no maintained Django library does rule-driven retention with per-record dates,
legal holds and dependent-first batched deletes (django-gdpr-assist and django-data-retention
are unmaintained or delete by age only).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models.signals import post_save

from .rules import RULES


@dataclass(frozen=True)
class SqlDates:
    """`compute` as SQL expressions over the root's queryset (joins through its foreign keys and
    correlated subqueries allowed), so the purge and the dry run compute a whole chunk's dates
    in the database without building a model instance (issue 20; retention/purge.py). The
    periods still come from the rule table (`Period.sql`); tests/retention/test_sql_dates.py
    proves they answer what `compute` answers, rule by rule and edge by edge."""

    keep_until: Any  # → the date `compute` answers; NULL where it answers None (no end yet)
    rule: Any  # → the rule key `compute` answers (a Value where there is one)
    extension_start: Any = None  # → what `extension_start` answers (RT-5), where it is set


@dataclass
class Category:
    key: str  # "<app>.<name>", also the key of holds and extensions
    label: str  # Dutch, for the dry-run report and the processing register
    model: type  # the root: has a keep_until DateField (indexed)
    compute: Callable  # root → (keep_until | None, rule key); None = no end yet
    rules: tuple[str, ...]  # every rule key `compute` may answer (for the register)
    # AV-1 (AVG art. 30): purpose, legal basis, data subjects, recipients, security.
    purpose: str
    legal_basis: str
    subjects: str
    recipients: str
    # SE-2, SE-9 (named in words in the text people read)
    security: str = "toegang per rol en organisatie; tweestapsverificatie; auditlog"
    members: tuple = ()  # models removed with their root (documentation; the FK cascades)
    before_delete: Callable | None = None  # root queryset → None (e.g. remove stored files)
    # Saving one of these models recomputes the roots it names: model → (instance → roots).
    triggers: dict = field(default_factory=dict)
    order: int = 100  # purge order: lower first (members of others before their owners)
    # RT-5: for rules with a maximum extension, the date the extension is counted from.
    extension_start: Callable | None = None
    # Optional, for speed only: `compute` for a whole chunk of roots with a few set-based
    # queries, list of roots → {pk: (keep_until | None, rule key)}. It must answer exactly what
    # `compute` answers for each root; the purge and the dry run use it when it is set.
    compute_many: Callable | None = None
    # For speed: `compute` in SQL, () → SqlDates; the purge and the dry run use it when set
    # (before `compute_many`), the saves that move a date keep using `compute`.
    sql: Callable[[], SqlDates] | None = None

    @property
    def rule_rows(self):
        return [RULES[key] for key in self.rules]


@dataclass(frozen=True)
class PartitionedLog:
    """A log purged by whole partitions, not per record (the audit log, SE-7: a month at a time,
    privacy/partitions.py). The purge lists its expired partitions in the dry run and drops them
    after the categories, counting their rows in the PurgeRun."""

    key: str
    label: str
    terms: str  # Dutch, for the operator's page: the term and what starts it
    rule_id: str
    expired: Callable[[date], list[tuple[str, int]]]  # today → [(partition, rows)], oldest first
    drop: Callable[[str, int | None], int]  # (partition, PurgeRun pk) → rows dropped


_categories: dict[str, Category] = {}
_logs: dict[str, PartitionedLog] = {}
_members: dict[type, str] = {}
_no_personal_data: dict[type, str] = {}
_outside: dict[type, str] = {}


def register(category: Category) -> Category:
    assert category.key not in _categories, category.key
    assert all(key in RULES for key in category.rules), category.rules
    _categories[category.key] = category
    for member in category.members:
        _members[member] = category.key
    post_save.connect(
        _recompute_root,
        sender=category.model,
        weak=False,
        dispatch_uid=f"retention-root-{category.key}",
    )
    for model, roots_of in category.triggers.items():
        post_save.connect(
            _make_trigger(category, roots_of),
            sender=model,
            weak=False,
            dispatch_uid=f"retention-trigger-{category.key}-{model._meta.label}",
        )
    return category


def add_members(key: str, *models):
    """Another app's models that live and die with a category's root (e.g. the doelgroep
    records of an employee)."""
    cat = _categories[key]
    cat.members = (*cat.members, *models)
    for model in models:
        _members[model] = key


def outside_purge(model, reason: str):
    """Personal data with its own lifecycle outside the purge (accounts, the audit log): declared
    with the reason, so the coverage test knows it was considered."""
    _outside[model] = reason


def declared_outside_purge() -> dict:
    return dict(_outside)


def no_personal_data(model, reason: str):
    _no_personal_data[model] = reason


def register_partitioned(log: PartitionedLog) -> PartitionedLog:
    assert log.key not in _logs and log.key not in _categories, log.key
    _logs[log.key] = log
    return log


def partitioned_logs() -> list[PartitionedLog]:
    return sorted(_logs.values(), key=lambda log: log.key)


def labels() -> dict[str, str]:
    """Every key a PurgeRun may count, with its Dutch label."""
    return {
        **{cat.key: cat.label for cat in categories()},
        **{log.key: log.label for log in partitioned_logs()},
    }


def categories() -> list[Category]:
    return sorted(_categories.values(), key=lambda c: (c.order, c.key))


def category(key) -> Category:
    return _categories[key]


def declared_without_personal_data() -> dict:
    return dict(_no_personal_data)


def refresh(cat: Category, roots: Iterable) -> None:
    """Recompute keep_until for these roots (the starting event may have changed)."""
    for root in roots:
        keep_until, _ = cat.compute(root)
        if root.keep_until != keep_until:
            type(root).objects.filter(pk=root.pk).update(keep_until=keep_until)
            root.keep_until = keep_until


def changed(instance) -> None:
    """Call after changing a starting event with QuerySet.update() (which sends no post_save):
    recomputes the instance itself if it is a root, and every root its triggers name."""
    model = type(instance)
    for cat in _categories.values():
        if cat.model is model:
            refresh(cat, [model._default_manager.get(pk=instance.pk)])
        roots_of = cat.triggers.get(model)
        if roots_of is not None:
            refresh(cat, roots_of(instance))


def _recompute_root(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for cat in _categories.values():
        if cat.model is sender:
            refresh(cat, [instance])


def _make_trigger(cat, roots_of):
    def receiver(sender, instance, raw=False, **kwargs):
        if not raw:
            refresh(cat, roots_of(instance))

    return receiver


def later(*dates) -> date | None:
    """The latest of the given dates; None if any is None (the clock has not started)."""
    if any(d is None for d in dates):
        return None
    return max(dates)
