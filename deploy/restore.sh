#!/bin/sh
# Restore of a set written by deploy/backup.sh (issue 22, item 4; docs/backup.md):
#   deploy/restore.sh /backups/verzuimkluis-20260101T010000Z
# into an EMPTY database and an EMPTY medical files folder. In this order:
#   1. the manifest's sha256 of the dump and the tar are checked (nothing is touched before);
#   2. pg_restore --no-owner --no-privileges --exit-on-error --single-transaction: the objects
#      belong to the restoring owner login, all or nothing. Owners and grants of the source are
#      not carried over on purpose: the target's logins may have other names and passwords, and
#      the privileges of vk_app / vk_medisch (MD-2) are not data but code -
#   3. the files are unpacked into MEDICAL_FILES_ROOT, still encrypted;
#   4. `manage.py migrate --no-input` applies any newer migration and re-applies the roles'
#      privileges (config/db_roles.py: the medical tables closed to vk_app, the audit log
#      append-only for it, the audit functions executable by vk_app alone);
#   5. `manage.py verify_audit_log` walks the restored audit log's hash chain (SE-7): exit 1
#      when a row was changed or is missing.
# The keys are not in the set: give the restored application the same MEDICAL_ENCRYPTION_KEYS /
# MEDICAL_ENCRYPTION_KEY_FILE the data was encrypted with (the manifest names their ids). The
# database and the files restore without them, but every medical field and document stays
# unreadable. A restored set may hold records the purge has removed since: run the purge next.
#
# Environment:
#   DATABASE_URL        the owner login of the empty target database (MEDISCH_DATABASE_URL,
#                       if set, must reach the same database)
#   MEDICAL_FILES_ROOT  the empty (or not yet existing) target folder
#   PYTHON              the interpreter that runs manage.py, default `python`
#   PG_RESTORE, PSQL    optional, default pg_restore / psql
set -eu
umask 077

fail() {
    echo "restore: $*" >&2
    exit 1
}

[ $# -eq 1 ] || fail "usage: restore.sh BACKUP_SET_FOLDER"
: "${DATABASE_URL:?restore: set DATABASE_URL (the owner of the empty target database)}"
: "${MEDICAL_FILES_ROOT:?restore: set MEDICAL_FILES_ROOT (an empty folder)}"
PYTHON="${PYTHON:-python}"
PG_RESTORE="${PG_RESTORE:-pg_restore}"
PSQL="${PSQL:-psql}"

[ -d "$1" ] || fail "$1 is not a backup set folder"
set_dir=$(realpath "$1")
app_dir=$(cd "$(dirname "$0")/.." && pwd)
manifest="$set_dir/manifest.txt"
[ -f "$manifest" ] || fail "no manifest.txt in $set_dir"

# 1. Checksums: both artefacts must be listed and match.
sums=$(grep -E '^[0-9a-f]{64}  (database\.dump|medical-files\.tar)$' "$manifest" || true)
[ "$(printf '%s\n' "$sums" | grep -c .)" -eq 2 ] ||
    fail "the manifest does not list the sha256 of database.dump and medical-files.tar"
(cd "$set_dir" && printf '%s\n' "$sums" | sha256sum -c --strict -) ||
    fail "checksum mismatch: the set is damaged or was changed"

# The target must be empty: a restore never merges into live data.
tables=$("$PSQL" --no-password --no-psqlrc -Atq --dbname="$DATABASE_URL" -c \
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')")
[ "$tables" = "0" ] || fail "the target database is not empty ($tables relations in public)"
mkdir -p "$MEDICAL_FILES_ROOT"
[ -z "$(ls -A "$MEDICAL_FILES_ROOT")" ] || fail "MEDICAL_FILES_ROOT $MEDICAL_FILES_ROOT is not empty"

# Which keys the data needs, against the keys this environment has (ids only).
needed=$(
    {
        sed -n 's/^key_ids_configured: \([a-z0-9,]*\)$/\1/p' "$manifest"
        sed -n 's/^files_by_key: \([a-z0-9=,]*\)$/\1/p' "$manifest" | tr ',' '\n' |
            sed 's/=.*//' | grep -vx onversleuteld
    } | tr ',' '\n' | grep . | sort -u | paste -sd, -
) || true
have=","
if [ -n "${MEDICAL_ENCRYPTION_KEYS:-}" ]; then
    have=",$(printf '%s' "$MEDICAL_ENCRYPTION_KEYS" | tr -d ' \t' | tr ',' '\n' |
        sed 's/:.*//' | paste -sd, -),"
elif [ -n "${MEDICAL_ENCRYPTION_KEY_FILE:-}" ] && [ -r "$MEDICAL_ENCRYPTION_KEY_FILE" ]; then
    have=",$(sed 's/#.*//' "$MEDICAL_ENCRYPTION_KEY_FILE" | tr -d ' \t\r' | grep . |
        sed 's/:.*//' | paste -sd, -),"
fi
old_ifs=$IFS
IFS=,
for id in $needed; do
    case "$have" in
        *",$id,"*) ;;
        *) echo "restore: WARNING: key $id (named in the manifest) is not configured here; medical data encrypted with it will not decrypt" >&2 ;;
    esac
done
IFS=$old_ifs

# 2. The database. COMMENT ON EXTENSION needs the extension's owner (a superuser's CREATE
# EXTENSION pg_trgm in production): left out, it is only a comment.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
"$PG_RESTORE" --list "$set_dir/database.dump" | grep -v ' COMMENT - EXTENSION ' >"$list"
"$PG_RESTORE" --no-owner --no-privileges --exit-on-error --single-transaction --no-password \
    --use-list="$list" --dbname="$DATABASE_URL" "$set_dir/database.dump"

# 3. The files, as they were stored (encrypted, bound to their names).
tar -C "$MEDICAL_FILES_ROOT" --no-same-owner -xf "$set_dir/medical-files.tar"

# 4 and 5. The grants, then the audit log's chain.
cd "$app_dir"
# shellcheck disable=SC2086 # PYTHON may be a command with arguments
$PYTHON manage.py migrate --no-input
# shellcheck disable=SC2086
$PYTHON manage.py verify_audit_log

echo "restore: $set_dir restored. Next: the purge (retention_report, then 'Nu opschonen' or the daily task), docs/backup.md."
