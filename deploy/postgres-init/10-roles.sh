#!/bin/sh
# The three logins of the production shape (MD-2, DESIGN.md layer 2; README "Production"):
# - the owner ($VK_OWNER_LOGIN): owns the database and every table; only `migrate`, the backup
#   and the restore log in as it;
# - the application ($VK_APP_LOGIN): the privileges `migrate` grants to DB_APP_ROLE, none on a
#   medical table;
# - the medical module ($VK_MEDISCH_LOGIN): the privileges of DB_MEDISCH_ROLE.
# None is a superuser, none may create roles or databases, and none is a member of another, so
# none can SET ROLE to another's privileges. `migrate` (config/db_roles.py) grants the table
# privileges and, with DB_SET_ROLE=false, creates no role and no membership.
#
# Run by the postgres image on the first start of an empty data directory
# (/docker-entrypoint-initdb.d), as the image's superuser $POSTGRES_USER in $POSTGRES_DB. It runs
# the same way against any PostgreSQL 13+ with psql and a superuser (PGHOST/PGPORT as usual):
# tests/test_production_logins.py runs it against the local server.
set -eu
: "${POSTGRES_USER:?}" "${POSTGRES_DB:?}"
: "${VK_OWNER_PASSWORD:?set VK_OWNER_PASSWORD}"
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"
: "${MEDISCH_DB_PASSWORD:?set MEDISCH_DB_PASSWORD}"

psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v db="$POSTGRES_DB" \
  -v owner="${VK_OWNER_LOGIN:-vk_owner}" -v owner_password="$VK_OWNER_PASSWORD" \
  -v app="${VK_APP_LOGIN:-vk_app}" -v app_password="$APP_DB_PASSWORD" \
  -v medisch="${VK_MEDISCH_LOGIN:-vk_medisch}" -v medisch_password="$MEDISCH_DB_PASSWORD" <<'SQL'
-- psql quotes :'x' as a literal and :"x" as an identifier: a password with a quote in it
-- cannot break out of the statement.
SET password_encryption = 'scram-sha-256';
-- The owner inherits: a member of no role, it needs only pg_database_owner's implicit
-- membership, which gives it CREATE on the public schema of a new database it owns (a restore
-- target: docs/backup.md). The other two are NOINHERIT, so even a membership granted to them
-- by mistake would give nothing without an explicit SET ROLE.
CREATE ROLE :"owner" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  INHERIT PASSWORD :'owner_password';
CREATE ROLE :"app" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  NOINHERIT PASSWORD :'app_password';
CREATE ROLE :"medisch" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
  NOINHERIT PASSWORD :'medisch_password';

-- The owner owns the database (CREATE for the trusted extension pg_trgm, verzuim migration
-- 0007) and, through pg_database_owner, the public schema.
ALTER DATABASE :"db" OWNER TO :"owner";
ALTER SCHEMA public OWNER TO :"owner";
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT CONNECT ON DATABASE :"db" TO :"app", :"medisch";
SQL
