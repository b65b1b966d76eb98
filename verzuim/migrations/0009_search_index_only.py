"""The name search reads the employer's employees index-only (issue 20, item 2).

For a name common within the employer PostgreSQL takes the employer's employees and filters them
on the stored upper columns (0008). The personnel-number index becomes (organisation,
personnel_number_upper) INCLUDE (first_name_upper, last_name_upper, id): the same key for the
exact personnel-number match, and everything the filter and the join need, so the scan reads ~40
index pages for 5,069 employees instead of ~200 table pages (bench/README.md). Built CONCURRENTLY
before the old one is dropped, hence not atomic.
"""

from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("verzuim", "0008_search_upper_columns"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="werknemer",
            index=models.Index(
                fields=["organisation", "personnel_number_upper"],
                include=("first_name_upper", "last_name_upper", "id"),
                name="werknemer_org_search",
            ),
        ),
        RemoveIndexConcurrently(model_name="werknemer", name="werknemer_org_pnr_up"),
    ]
