#!/usr/bin/env bash
# Debian packages the tests drive as real clients. Idempotent: installs only what is missing.
set -euo pipefail

missing=()
need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || missing+=("$1"); }

# warehouse/server tests: psql, psycopg2, SQLAlchemy, pandas, the PostgreSQL JDBC driver, ODBC.
need postgresql-client
need python3-psycopg2
need python3-sqlalchemy
need python3-pandas
need libpostgresql-jdbc-java
need odbc-postgresql
need python3-pyodbc
need unixodbc
need openjdk-17-jdk-headless

# jobs/reports tests: the HTML overview is rendered in headless Chromium (playwright-core).
need chromium

if [ "${#missing[@]}" -gt 0 ]; then
  if [ ! -f /tmp/.cdw-apt-updated ]; then apt-get update -qq && touch /tmp/.cdw-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
