#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth for local TCP.
# Starts an installed but stopped cluster; installs Debian's package when missing (as root).
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if command -v pg_isready >/dev/null && ready; then exit 0; fi
if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "PostgreSQL fehlt – installiere Debians Paket …"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /etc/postgresql | sort -V | tail -1)
hba=/etc/postgresql/$ver/main/pg_hba.conf
if ! grep -q "staedtenetz-trust" "$hba"; then
  { echo "host all all 127.0.0.1/32 trust # staedtenetz-trust"; echo "host all all ::1/128 trust # staedtenetz-trust"; cat "$hba"; } > "$hba.new"
  mv "$hba.new" "$hba"; chown postgres:postgres "$hba"
fi
pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || pg_ctlcluster --skip-systemctl-redirect "$ver" main reload || true
for _ in $(seq 1 30); do ready && exit 0; sleep 1; done
echo "PostgreSQL antwortet nicht auf 127.0.0.1:5432" >&2; exit 1
