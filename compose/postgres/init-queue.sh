#!/bin/sh
# Runs once, on an empty data directory (official postgres image): a role and a database of
# their own for the sidecars' pg-boss queue, separate from Odoo's database.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE ROLE isp_queue LOGIN PASSWORD '${QUEUE_DB_PASSWORD}';
CREATE DATABASE isp_queue OWNER isp_queue;
SQL
