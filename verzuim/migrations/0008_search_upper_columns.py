"""The name search on stored UPPER() columns (issue 20, item 2).

`first_name_upper`, `last_name_upper`, `personnel_number_upper`: stored generated columns
(PostgreSQL computes them on every write; nothing in the application maintains them), compared by
`verzuim.queries.werknemer_search`. Evaluating `UPPER(name) LIKE '%TERM%'` over an employer's
employees spent two thirds of its time in UPPER() (5,069 employees: 2.5 ms with UPPER() three
times a row, 1.1 ms on the stored columns; bench/README.md).

- The three columns in one `ALTER TABLE` (one table rewrite under its lock instead of three; the
  state is Django's three AddFields).
- The trigram indexes and the personnel-number index move to the new columns: built CONCURRENTLY
  first, the old expression indexes of 0007 dropped CONCURRENTLY after, hence not atomic.
"""

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently
from django.db import migrations, models

COLUMNS = [
    ("first_name_upper", "first_name", 100),
    ("last_name_upper", "last_name", 150),
    ("personnel_number_upper", "personnel_number", 32),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("verzuim", "0007_search_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="werknemer",
                    name=name,
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.db.models.functions.text.Upper(source),
                        output_field=models.CharField(max_length=length),
                    ),
                )
                for name, source, length in COLUMNS
            ],
            database_operations=[
                migrations.RunSQL(
                    'ALTER TABLE "verzuim_werknemer" '
                    + ", ".join(
                        f'ADD COLUMN "{name}" varchar({length}) '
                        f'GENERATED ALWAYS AS (UPPER("{source}")) STORED'
                        for name, source, length in COLUMNS
                    ),
                    reverse_sql='ALTER TABLE "verzuim_werknemer" '
                    + ", ".join(f'DROP COLUMN "{name}"' for name, _, _ in COLUMNS),
                ),
            ],
        ),
        AddIndexConcurrently(
            model_name="werknemer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("first_name_upper", name="gin_trgm_ops"),
                name="werknemer_first_up_trgm",
            ),
        ),
        AddIndexConcurrently(
            model_name="werknemer",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass("last_name_upper", name="gin_trgm_ops"),
                name="werknemer_last_up_trgm",
            ),
        ),
        AddIndexConcurrently(
            model_name="werknemer",
            index=models.Index(
                fields=["organisation", "personnel_number_upper"], name="werknemer_org_pnr_up"
            ),
        ),
        RemoveIndexConcurrently(model_name="werknemer", name="werknemer_first_trgm"),
        RemoveIndexConcurrently(model_name="werknemer", name="werknemer_last_trgm"),
        RemoveIndexConcurrently(model_name="werknemer", name="werknemer_org_pnr_upper"),
    ]
