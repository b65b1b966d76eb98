"""Index paths for the verzuimoverzicht's search and department filter (issue 20, item 2).

- `pg_trgm` (`TrigramExtension`: CREATE EXTENSION IF NOT EXISTS, so an extension already there,
  e.g. created by a DBA, is fine). pg_trgm is a *trusted* extension since PostgreSQL 13: the
  database owner that runs `migrate` may create it without being superuser (it needs CREATE on
  the database, which the owner has). On PostgreSQL 12 or older a superuser must run
  `CREATE EXTENSION pg_trgm;` in the database first (README, production).
- GIN trigram indexes on UPPER(first_name) and UPPER(last_name): Django's `icontains` is
  `UPPER(col::text) LIKE UPPER('%term%')`, so these serve the search as it is written; plus
  (organisation, UPPER(personnel_number)) for its `iexact`. Search semantics unchanged.
- werknemer (organisation, department) now INCLUDEs id, and ziekmelding (organisation, werknemer)
  INCLUDE (first_day, id): the department filter and the search join one employer's cases to the
  matching employees index-only, for the count and for the page's keys (core/pagination.py).

Built CONCURRENTLY (no write lock on a large production table), hence not atomic.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import (
    AddIndexConcurrently,
    RemoveIndexConcurrently,
    TrigramExtension,
)
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("verzuim", "0006_werknemer_bsn_werknemer_bsn_last3"),
    ]

    operations = [
        TrigramExtension(),
        RemoveIndexConcurrently(model_name="werknemer", name="werknemer_org_department"),
        AddIndexConcurrently(
            model_name="werknemer",
            index=models.Index(
                fields=["organisation", "department"],
                include=("id",),
                name="werknemer_org_department",
            ),
        ),
        AddIndexConcurrently(
            model_name="werknemer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("first_name"), name="gin_trgm_ops"
                ),
                name="werknemer_first_trgm",
            ),
        ),
        AddIndexConcurrently(
            model_name="werknemer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("last_name"), name="gin_trgm_ops"
                ),
                name="werknemer_last_trgm",
            ),
        ),
        AddIndexConcurrently(
            model_name="werknemer",
            index=models.Index(
                models.F("organisation"),
                django.db.models.functions.text.Upper("personnel_number"),
                name="werknemer_org_pnr_upper",
            ),
        ),
        AddIndexConcurrently(
            model_name="ziekmelding",
            index=models.Index(
                fields=["organisation", "werknemer"],
                include=("first_day", "id"),
                name="ziekmelding_org_werknemer",
            ),
        ),
    ]
