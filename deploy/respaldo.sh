#!/usr/bin/env bash
# Backup of AMC: the database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT).
#   deploy/respaldo.sh /var/backups/amc        -> /var/backups/amc/amc-AAAAMMDD-HHMMSS/{base.dump,media.tar.gz}
# Reads DATABASE_URL and MEDIA_ROOT from the environment (as the application does). Keeps the
# newest AMC_RESPALDOS backups (14 by default). Restore with deploy/restaurar.sh.
set -euo pipefail
destino="${1:?Indique la carpeta de los respaldos, p. ej. /var/backups/amc}"
: "${DATABASE_URL:?Falta DATABASE_URL}"
: "${MEDIA_ROOT:?Falta MEDIA_ROOT}"
carpeta="$destino/amc-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$carpeta"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) pg_dump --format=custom --no-owner --file="$carpeta/base.dump" "$DATABASE_URL" ;;
  sqlite://*) python3 -c 'import sqlite3,sys; s=sqlite3.connect(sys.argv[1]); d=sqlite3.connect(sys.argv[2]); s.backup(d)' \
                "${DATABASE_URL#sqlite://}" "$carpeta/base.sqlite3" ;;
  *) echo "Base de datos no soportada por el respaldo: $DATABASE_URL" >&2; exit 2 ;;
esac
if [ -d "$MEDIA_ROOT" ]; then
  tar -czf "$carpeta/media.tar.gz" -C "$MEDIA_ROOT" .
else
  tar -czf "$carpeta/media.tar.gz" --files-from /dev/null
fi
( cd "$carpeta" && sha256sum ./* > SHA256SUMS )
# Only the newest backups are kept.
ls -1d "$destino"/amc-* 2>/dev/null | sort | head -n "-${AMC_RESPALDOS:-14}" | xargs -r rm -rf
echo "Respaldo en $carpeta"
