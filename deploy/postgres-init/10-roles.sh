#!/bin/sh
# The two login roles of the production shape (MD-2, DESIGN.md layer 2): the application
# (no privileges on medical tables) and the medical module. `migrate`, run by the owner, grants
# their privileges (config/db_roles.py creates the roles only when missing, so these stay).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE vk_app LOGIN PASSWORD '${APP_DB_PASSWORD}';
CREATE ROLE vk_medisch LOGIN PASSWORD '${MEDISCH_DB_PASSWORD}';
SQL
