#!/usr/bin/env bash
# Restore an AMC backup made by deploy/respaldo.sh into the database of DATABASE_URL and the
# folder MEDIA_ROOT (stop amc-web and the workers first):
#   deploy/restaurar.sh /var/backups/amc/amc-20151231-011500
# The database's tables are replaced by the backup's; the files are added to MEDIA_ROOT.
set -euo pipefail
carpeta="${1:?Indique la carpeta del respaldo (amc-AAAAMMDD-HHMMSS)}"
: "${DATABASE_URL:?Falta DATABASE_URL}"
: "${MEDIA_ROOT:?Falta MEDIA_ROOT}"
( cd "$carpeta" && sha256sum --quiet -c SHA256SUMS ) || { echo "El respaldo está dañado (SHA256SUMS no coincide)." >&2; exit 1; }
case "$DATABASE_URL" in
  postgres://*|postgresql://*) pg_restore --clean --if-exists --no-owner --exit-on-error --dbname="$DATABASE_URL" "$carpeta/base.dump" ;;
  sqlite://*) cp "$carpeta/base.sqlite3" "${DATABASE_URL#sqlite://}" ;;
  *) echo "Base de datos no soportada: $DATABASE_URL" >&2; exit 2 ;;
esac
mkdir -p "$MEDIA_ROOT"
tar -xzf "$carpeta/media.tar.gz" -C "$MEDIA_ROOT"
echo "Restaurado desde $carpeta"
