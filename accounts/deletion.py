"""Deleting shared rows on the admin site without touching the medical tables (MD-2, layer 2).

Django's delete collector looks for related rows of every relation pointing at the object —
also the hidden ones (`related_name="+"`) of the medical models — and it does so on the
connection of the object being deleted. For an organisation, a user or an employee that is the
application connection (role `vk_app`), which has no privilege on any medical table: PostgreSQL
answers "permission denied" and the admin answered 500.

So, by hand because Django has no hook for it (the admin's `get_deleted_objects` builds its
`NestedObjects` collector inside a module function):
- the medical rows that refer to the objects are counted by the counter the medical app
  registers here (`medisch.public.medical_references`, from `MedischConfig.ready`: accounts is
  the foundation and imports no domain app), on the `medisch` connection, and if there are any
  the deletion is refused with a clear page —
  medical data goes only by its retention term (RT-1), never with an admin click;
- otherwise the collector runs with the medical relations left out (there is nothing there to
  find), so not one query reaches a medical table on the application connection.
"""

from django.apps import apps
from django.contrib.admin.utils import NestedObjects, quote
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from config.routers import MEDICAL_APP

# Functions (model, pks) -> {kind: count} of medical rows referring to those rows.
_reference_counters = []


def register_reference_counter(counter) -> None:
    """Called by the medical app's AppConfig.ready with its counter (medisch.public)."""
    if counter not in _reference_counters:
        _reference_counters.append(counter)


def medical_references(model, pks) -> dict[str, int]:
    if not _reference_counters and apps.is_installed(MEDICAL_APP):
        # Never delete past medical rows unchecked: without its counter, refuse to run at all.
        raise ImproperlyConfigured("The medical app registered no reference counter.")
    counts = {}
    for counter in _reference_counters:
        for kind, count in counter(model, pks).items():
            counts[kind] = counts.get(kind, 0) + count
    return counts


def _is_medical(model) -> bool:
    return model._meta.app_label == MEDICAL_APP


class _WithoutMedicalRelations:
    """Collector mixin: relations from medical models are neither fast-deleted nor queried."""

    def can_fast_delete(self, objs, from_field=None):
        model = objs if isinstance(objs, type) else getattr(objs, "model", None)
        if model is not None and _is_medical(model):
            return False
        return super().can_fast_delete(objs, from_field=from_field)

    def related_objects(self, related_model, related_fields, objs):
        if _is_medical(related_model):
            return related_model._base_manager.none()
        return super().related_objects(related_model, related_fields, objs)


class ApplicationCollector(_WithoutMedicalRelations, Collector):
    pass


class ApplicationNestedObjects(_WithoutMedicalRelations, NestedObjects):
    pass


def refusal(model, pks) -> list[str]:
    """Why these objects may not be deleted: one line per kind of medical record that refers to
    them (counts only, nothing of their content); empty when there are none."""
    held = medical_references(model, pks)
    return [
        f"Medische gegevens: {count} × {label}. Die verwijdert alleen de bewaartermijn "
        "(RT-1); deactiveer in plaats daarvan."
        for label, count in sorted(held.items())
    ]


def deleted_objects(objs, request, admin_site):
    """ModelAdmin.get_deleted_objects for shared models: as Django's, with the medical relations
    checked on their own connection first (see the module docstring)."""
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    model = type(objs[0])
    refused = refusal(model, [obj.pk for obj in objs])
    if refused:
        return [], {}, set(), refused
    collector = ApplicationNestedObjects(using=router.db_for_write(model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def describe(obj):
        opts = obj._meta
        label = f"{capfirst(opts.verbose_name)}: {obj}"
        if not admin_site.is_registered(type(obj)):
            return label
        if not admin_site.get_model_admin(type(obj)).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        try:
            url = reverse(
                f"{admin_site.name}:{opts.app_label}_{opts.model_name}_change",
                args=(quote(obj.pk),),
            )
        except NoReverseMatch:
            return label
        return format_html('{}: <a href="{}">{}</a>', capfirst(opts.verbose_name), url, obj)

    to_delete = collector.nested(describe)
    protected = [describe(obj) for obj in collector.protected]
    counts = {m._meta.verbose_name_plural: len(o) for m, o in collector.model_objs.items()}
    return to_delete, counts, perms_needed, protected


def delete(objs) -> None:
    """Delete shared rows that no medical record refers to, without a query on a medical table
    (the caller checked `refusal` first: the admin's confirmation page does)."""
    objs = list(objs)
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    with transaction.atomic(using=using):
        if refusal(model, [obj.pk for obj in objs]):
            raise PermissionDenied(
                "Medische gegevens verwijzen naar deze records; ze worden niet verwijderd."
            )
        collector = ApplicationCollector(using=using, origin=objs)
        collector.collect(objs)
        collector.delete()
