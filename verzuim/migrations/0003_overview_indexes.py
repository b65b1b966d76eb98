"""Indexes for the verzuimoverzicht (issue 8): one employer's cases in the page's order, open
cases from a partial index, and the employees of one employer by department. Built
CONCURRENTLY, so a large production table is not locked for writes while they are made."""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("verzuim", "0002_werknemer_keep_until_ziekmelding_keep_until"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="werknemer",
            index=models.Index(
                fields=["organisation", "department"], name="werknemer_org_department"
            ),
        ),
        AddIndexConcurrently(
            model_name="ziekmelding",
            index=models.Index(
                condition=models.Q(("recovered_on__isnull", True)),
                fields=["organisation", "-first_day", "-id"],
                name="ziekmelding_org_open_order",
            ),
        ),
        AddIndexConcurrently(
            model_name="ziekmelding",
            index=models.Index(
                fields=["organisation", "-first_day", "-id"], name="ziekmelding_org_order"
            ),
        ),
    ]
