"""SE-7, issue 20: the audit log becomes a table partitioned by month on `occurred_at`.

Hand-written SQL (Django has no partitioned tables). The rows already there are copied into
their months' partitions; the append-only trigger is put back on the new parent, from which
PostgreSQL clones it onto every partition, now and later. Two SECURITY DEFINER functions, owned
by the owner that migrates, are the only way the application changes the partitions:
- `privacy_audit_ensure_partitions(first, last)`: makes the missing monthly partitions (UTC
  months), new ones without any privilege for the application role;
- `privacy_audit_drop_partition(name, keep_years)`: drops one month, and refuses a month whose
  end is less than max(keep_years, 5) years ago by the database's own clock, or one that holds
  unchained rows — so neither a bug nor the application role can shorten the log's term.
config/db_roles.py grants EXECUTE on both to the application role only.

The database's primary key becomes (id, occurred_at) and the unique constraints (seq,
occurred_at) and (hash, occurred_at): PostgreSQL wants the partition key in each of them. `id`
keeps its own sequence, so it stays unique. Not reversible.
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

ENSURE = r"""
CREATE OR REPLACE FUNCTION privacy_audit_ensure_partitions(first_month date, last_month date)
RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    m date := date_trunc('month', first_month)::date;
    made integer := 0;
    part text;
BEGIN
    IF last_month > first_month + 3700 THEN
        RAISE EXCEPTION 'auditlog: meer dan tien jaar partities tegelijk gevraagd';
    END IF;
    WHILE m <= last_month LOOP
        part := format('privacy_auditevent_y%sm%s', to_char(m, 'YYYY'), to_char(m, 'MM'));
        IF to_regclass(format('public.%I', part)) IS NULL THEN
            BEGIN
                EXECUTE format(
                    'CREATE TABLE public.%I PARTITION OF public.privacy_auditevent '
                    'FOR VALUES FROM (%L) TO (%L)',
                    part,
                    m::timestamp AT TIME ZONE 'UTC',
                    (m + interval '1 month')::timestamp AT TIME ZONE 'UTC'
                );
                EXECUTE format('REVOKE ALL ON public.%I FROM PUBLIC', part);
                made := made + 1;
            EXCEPTION WHEN check_violation THEN
                -- Rows of this month already wait in the default partition: they stay there
                -- (nothing is moved, nothing lost); verify_audit_log lists them.
                RAISE WARNING 'auditlog: maand % staat al in de standaardpartitie', m;
            END;
        END IF;
        m := (m + interval '1 month')::date;
    END LOOP;
    RETURN made;
END
$$;
REVOKE ALL ON FUNCTION privacy_audit_ensure_partitions(date, date) FROM PUBLIC;
"""

DROP = r"""
CREATE OR REPLACE FUNCTION privacy_audit_drop_partition(part text, keep_years integer)
RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    bound text;
    upper_bound timestamptz;
    n bigint;
BEGIN
    SELECT pg_get_expr(c.relpartbound, c.oid) INTO bound
      FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
     WHERE i.inhparent = 'public.privacy_auditevent'::regclass AND c.relname = part;
    IF bound IS NULL THEN
        RAISE EXCEPTION 'auditlog: % is geen partitie van het auditlog', part;
    END IF;
    IF bound = 'DEFAULT' THEN
        RAISE EXCEPTION 'auditlog: de standaardpartitie wordt niet verwijderd';
    END IF;
    upper_bound := substring(bound FROM 'TO \(''([^'']+)''\)')::timestamptz;
    -- SE-7: at least 5 years, whatever the caller asks.
    IF upper_bound > now() - make_interval(years => greatest(keep_years, 5)) THEN
        RAISE EXCEPTION 'auditlog: partitie % is jonger dan de bewaartermijn', part;
    END IF;
    EXECUTE format('SELECT count(*) FROM public.%I WHERE hash IS NULL', part) INTO n;
    IF n > 0 THEN
        RAISE EXCEPTION 'auditlog: partitie % heeft % ongeketende regels', part, n;
    END IF;
    EXECUTE format('SELECT count(*) FROM public.%I', part) INTO n;
    EXECUTE format('DROP TABLE public.%I', part);
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION privacy_audit_drop_partition(text, integer) FROM PUBLIC;
"""

CONVERT = """
LOCK TABLE privacy_auditevent IN ACCESS EXCLUSIVE MODE;
ALTER TABLE privacy_auditevent RENAME TO privacy_auditevent_unpartitioned;
CREATE TABLE privacy_auditevent (LIKE privacy_auditevent_unpartitioned INCLUDING DEFAULTS)
    PARTITION BY RANGE (occurred_at);
CREATE TABLE privacy_auditevent_default PARTITION OF privacy_auditevent DEFAULT;
REVOKE ALL ON privacy_auditevent_default FROM PUBLIC;
SELECT privacy_audit_ensure_partitions(
    least(
        (SELECT min(occurred_at) FROM privacy_auditevent_unpartitioned) AT TIME ZONE 'UTC',
        now() AT TIME ZONE 'UTC'
    )::date,
    ((now() AT TIME ZONE 'UTC') + interval '3 months')::date
);
INSERT INTO privacy_auditevent SELECT * FROM privacy_auditevent_unpartitioned;
DROP TABLE privacy_auditevent_unpartitioned;
"""

# The identity sequence went with the old table: a plain sequence owned by the new column.
SEQUENCE = """
CREATE SEQUENCE privacy_auditevent_id_seq OWNED BY privacy_auditevent.id;
SELECT setval(
    'privacy_auditevent_id_seq', coalesce((SELECT max(id) FROM privacy_auditevent), 0) + 1, false
);
ALTER TABLE privacy_auditevent
    ALTER COLUMN id SET DEFAULT nextval('privacy_auditevent_id_seq');
"""

INDEXES = """
ALTER TABLE privacy_auditevent ADD CONSTRAINT privacy_auditevent_pkey PRIMARY KEY (id, occurred_at);
ALTER TABLE privacy_auditevent
    ADD CONSTRAINT privacy_audit_seq_uniq UNIQUE (seq, occurred_at);
ALTER TABLE privacy_auditevent
    ADD CONSTRAINT privacy_audit_hash_uniq UNIQUE (hash, occurred_at);
CREATE INDEX privacy_auditevent_occurred_at_143d1d6a ON privacy_auditevent (occurred_at);
CREATE INDEX privacy_auditevent_subject_f9dbb056 ON privacy_auditevent (subject);
CREATE INDEX privacy_auditevent_actor_d3639bad ON privacy_auditevent (actor);
CREATE INDEX privacy_audit_subjects_gin ON privacy_auditevent USING gin (subjects);
CREATE INDEX privacy_audit_unchained ON privacy_auditevent (id) WHERE hash IS NULL;
"""

APPEND_ONLY = pgtrigger.compiler.Trigger(
    name="append_only",
    sql=pgtrigger.compiler.UpsertTriggerSql(
        func="\nIF TG_OP = 'UPDATE'\n   AND OLD.hash IS NULL AND OLD.seq IS NULL AND OLD.prev_hash IS NULL\n   AND NEW.hash IS NOT NULL AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL\n   AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash')\n       = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash')\nTHEN\n    RETURN NEW;\nEND IF;\nRAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;\n",  # noqa: E501
        hash="3fea8577abd9cf59964dd904a450cec61e3ea1e8",
        operation="UPDATE OR DELETE",
        pgid="pgtrigger_append_only_0b894",
        table="privacy_auditevent",
        when="BEFORE",
    ),
)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0008_auditevent_unchained_rows"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="auditevent", name="append_only"),
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(ENSURE),
                migrations.RunSQL(DROP),
                migrations.RunSQL(CONVERT),
                migrations.RunSQL(SEQUENCE),
                migrations.RunSQL(INDEXES),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent",
                    name="seq",
                    field=models.BigIntegerField(blank=True, null=True, verbose_name="volgnummer"),
                ),
                migrations.AlterField(
                    model_name="auditevent",
                    name="hash",
                    field=models.CharField(blank=True, max_length=64, null=True),
                ),
                migrations.AddConstraint(
                    model_name="auditevent",
                    constraint=models.UniqueConstraint(
                        fields=("seq", "occurred_at"), name="privacy_audit_seq_uniq"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="auditevent",
                    constraint=models.UniqueConstraint(
                        fields=("hash", "occurred_at"), name="privacy_audit_hash_uniq"
                    ),
                ),
            ],
        ),
        pgtrigger.migrations.AddTrigger(model_name="auditevent", trigger=APPEND_ONLY),
    ]
