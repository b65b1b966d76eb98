"""A field several re-integration models share."""

from django.db import models


def keep_until_field():
    """RT-6: the last day this record may be kept (retention/registry.py computes it)."""
    return models.DateField(
        "bewaren tot en met", null=True, blank=True, db_index=True, editable=False
    )
