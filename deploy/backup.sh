#!/bin/sh
# Backup of Verzuimkluis (issue 22, item 4; docs/backup.md): one timestamped set in BACKUP_DIR
#   database.dump       pg_dump --format=custom of the whole database (as the owning login)
#   medical-files.tar   the encrypted medical documents under MEDICAL_FILES_ROOT, as stored
#   manifest.txt        sha256 of both, versions, the key ids the data is encrypted with
# The encryption keys are never part of a set (MD-3: a key that is not in the database): the
# script refuses a key file inside BACKUP_DIR or MEDICAL_FILES_ROOT, and when it can see key
# material (MEDICAL_ENCRYPTION_KEYS / MEDICAL_ENCRYPTION_KEY_FILE) it scans both artefacts for
# it and throws the set away on a hit. Keep the keys elsewhere (docs/backup.md).
#
# Environment:
#   DATABASE_URL        postgres://owner:password@host:5432/db (the owner login: it can read
#                       every table, the medical ones included)
#   MEDICAL_FILES_ROOT  the folder of encrypted medical files
#   BACKUP_DIR          where the set is written (a folder per set; nothing else is touched)
#   PG_DUMP, PG_RESTORE optional, default pg_dump / pg_restore (the server's major version)
#
# Order: the database first, then the files. A document's file is written before the row that
# refers to it commits (medisch/actions/documents.py), so every row in the dump's snapshot has
# its file on disk when the dump starts; files are only removed by the retention purge (of
# expired rows) - run backups away from PURGE_HOUR. A file without a row (uploaded after the
# snapshot) is harmless; the other way round would lose a document, hence this order.
set -eu
umask 077

fail() {
    echo "backup: $*" >&2
    exit 1
}

: "${DATABASE_URL:?backup: set DATABASE_URL (the owner login)}"
: "${MEDICAL_FILES_ROOT:?backup: set MEDICAL_FILES_ROOT}"
: "${BACKUP_DIR:?backup: set BACKUP_DIR}"
PG_DUMP="${PG_DUMP:-pg_dump}"
PG_RESTORE="${PG_RESTORE:-pg_restore}"

[ -d "$MEDICAL_FILES_ROOT" ] || fail "MEDICAL_FILES_ROOT $MEDICAL_FILES_ROOT is not a folder"
mkdir -p "$BACKUP_DIR"
files_root=$(realpath "$MEDICAL_FILES_ROOT")
backup_root=$(realpath "$BACKUP_DIR")

# is_within PATH DIR: PATH is DIR or lies below it (both already resolved).
is_within() {
    case "$1/" in
        "$2"/*) return 0 ;;
    esac
    return 1
}

is_within "$backup_root" "$files_root" &&
    fail "BACKUP_DIR lies inside MEDICAL_FILES_ROOT: the backup would contain itself"

# --- The keys: never inside the backup --------------------------------------------------------
key_values=""
key_ids_configured=""
add_entry() { # one "keyid:key" entry
    entry=$(printf '%s' "$1" | tr -d ' \t\r')
    [ -n "$entry" ] || return 0
    key_ids_configured="${key_ids_configured:+$key_ids_configured,}${entry%%:*}"
    key_values="${key_values:+$key_values }${entry#*:}"
}
if [ -n "${MEDICAL_ENCRYPTION_KEY_FILE:-}" ]; then
    [ -r "$MEDICAL_ENCRYPTION_KEY_FILE" ] || fail "cannot read MEDICAL_ENCRYPTION_KEY_FILE"
    key_file=$(realpath "$MEDICAL_ENCRYPTION_KEY_FILE")
    if is_within "$key_file" "$backup_root" || is_within "$key_file" "$files_root"; then
        fail "refused: the key file lies inside BACKUP_DIR or MEDICAL_FILES_ROOT; keep the keys apart from the backup (docs/backup.md)"
    fi
    while IFS= read -r line || [ -n "$line" ]; do
        add_entry "${line%%#*}"
    done <"$key_file"
fi
if [ -n "${MEDICAL_ENCRYPTION_KEYS:-}" ]; then
    old_ifs=$IFS
    IFS=,
    for entry in $MEDICAL_ENCRYPTION_KEYS; do
        IFS=$old_ifs
        add_entry "$entry"
    done
    IFS=$old_ifs
fi

# contains_key FILE|-: a configured key occurs in the text of FILE (the keys never reach argv).
contains_key() {
    [ -n "$key_values" ] || return 1
    VK_SCAN_KEYS="$key_values" LC_ALL=C awk '
        BEGIN { n = split(ENVIRON["VK_SCAN_KEYS"], keys, " ") }
        { for (i = 1; i <= n; i++) if (index($0, keys[i])) { found = 1; exit } }
        END { exit found ? 0 : 1 }' "$1"
}

# bytes_contain_key FILE: the same for a binary file (grep -a; patterns on stdin, not argv).
bytes_contain_key() {
    [ -n "$key_values" ] || return 1
    # shellcheck disable=SC2086 # one key per line
    printf '%s\n' $key_values | LC_ALL=C grep -aqF -f - "$1"
}

# --- The set ----------------------------------------------------------------------------------
stamp=$(date -u +%Y%m%dT%H%M%SZ)
set_dir="$backup_root/verzuimkluis-$stamp"
partial="$set_dir.partial"
[ ! -e "$set_dir" ] && [ ! -e "$partial" ] || fail "$set_dir exists already"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT
trap 'exit 1' HUP INT TERM

# 1. The database: one consistent snapshot (pg_dump runs in one repeatable-read transaction).
"$PG_DUMP" --format=custom --no-password --file="$partial/database.dump" --dbname="$DATABASE_URL"

# 2. The files, as stored (already encrypted; no compression would win anything). A file that
# is replaced (key rotation: an atomic rename) or removed (the purge) while tar reads makes GNU
# tar exit 1: the set stays usable, the manifest says so.
tar_status=0
tar -C "$files_root" --exclude='*.rotating' -cf "$partial/medical-files.tar" . || tar_status=$?
[ "$tar_status" -le 1 ] || fail "tar failed ($tar_status)"

# 3. No key material in either artefact. The dump is read back as the SQL it restores to (which
# also proves it readable); the tar holds the files as they are.
if [ -n "$key_values" ]; then
    scan=$(
        {
            { "$PG_RESTORE" --file=- "$partial/database.dump" || echo unreadable >&3; } |
                { contains_key - && echo key >&3 || true; }
        } 3>&1
    )
    case "$scan" in
        *key*) fail "refused: the database contains encryption key material; the set is removed" ;;
        *unreadable*) fail "the dump cannot be read back with $PG_RESTORE" ;;
    esac
    if bytes_contain_key "$partial/medical-files.tar"; then
        fail "refused: MEDICAL_FILES_ROOT contains encryption key material; the set is removed"
    fi
fi

# 4. Which keys the files are encrypted with (a file starts with "v1:<keyid>:"), so a restore
# knows which keys it needs - ids only, never a key.
files_by_key=$(
    find "$files_root" -type f ! -name '*.rotating' -exec sh -c '
        for f; do head -c 20 "$f" | LC_ALL=C tr -c "a-z0-9:" "#"; echo; done' sh {} + |
        sed -n -e 's/^v1:\([a-z0-9]\{1,16\}\):.*/\1/p' -e t -e 's/.*/onversleuteld/p' |
        sort | uniq -c | awk '{ printf "%s%s=%s", sep, $2, $1; sep = "," }'
)

# database name and host only: the URL's password stays out of the manifest
where=$(printf '%s' "$DATABASE_URL" | sed 's#^[a-zA-Z]*://\([^@/]*@\)\{0,1\}##; s#?.*##')
{
    echo "# Verzuimkluis backup set (deploy/backup.sh; restore with deploy/restore.sh)"
    echo "format: 1"
    echo "created: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "database: $where"
    echo "pg_dump: $("$PG_DUMP" --version)"
    echo "key_ids_configured: ${key_ids_configured:-(niet gezien door de backup)}"
    echo "files_by_key: ${files_by_key:-(geen bestanden)}"
    echo "tar_warnings: $([ "$tar_status" -eq 0 ] && echo no || echo yes)"
    echo "# the keys themselves are not in this set; without them medical fields and files are lost"
    (cd "$partial" && sha256sum database.dump medical-files.tar)
} >"$partial/manifest.txt"

mv "$partial" "$set_dir"
trap - EXIT
echo "$set_dir"
