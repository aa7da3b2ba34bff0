#!/usr/bin/env bash
# The deployment, tested (CI runs this after the suite): AMC under gunicorn with DEBUG off on
# this machine's PostgreSQL, with a task worker; the smoke test (deploy/smoke.py) against it;
# then a backup (respaldo.sh) restored (restaurar.sh) into another database and folder, and the
# restored copy compared with the original.
# Plain HTTP on 127.0.0.1 only: the secure-cookie settings are relaxed for this run alone.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG="postgres://root@127.0.0.1:5432"
tmp=$(mktemp -d)
pids=()
fin() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$tmp"; }
trap fin EXIT

for db in amc_smoke amc_smoke_restaurada; do
  psql -h 127.0.0.1 -U root -d postgres -qtAc "DROP DATABASE IF EXISTS $db" >/dev/null
  createdb -h 127.0.0.1 -U root "$db"
done
export DATABASE_URL="$PG/amc_smoke" DEBUG=0 SECRET_KEY="$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export MEDIA_ROOT="$tmp/media" STATIC_ROOT="$tmp/static" GUNICORN_BIND=127.0.0.1:8099 GUNICORN_WORKERS=3

echo "== Instalación como en producción"
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py cargar_seed --demo -v0   # demo users, to log in (never --demo in production)
env -u SECURE_SSL_REDIRECT -u SESSION_COOKIE_SECURE -u CSRF_COOKIE_SECURE $PY manage.py check --deploy --fail-level WARNING

echo "== gunicorn + trabajador"
nice -n 10 $PY manage.py db_worker --worker-id ci-1 > "$tmp/worker.log" 2>&1 & pids+=($!)   # as deploy's Nice=10
.venv/bin/gunicorn -c deploy/gunicorn.conf.py amc.wsgi > "$tmp/gunicorn.log" 2>&1 & pids+=($!)
if ! python3 deploy/smoke.py http://127.0.0.1:8099 planificador amc-demo-2015; then
  echo "--- gunicorn"; tail -n 40 "$tmp/gunicorn.log"; echo "--- trabajador"; tail -n 40 "$tmp/worker.log"; exit 1
fi

echo "== Respaldo y restauración"
deploy/respaldo.sh "$tmp/respaldos" >/dev/null
respaldo=$(ls -1d "$tmp"/respaldos/amc-* | tail -n 1)
DATABASE_URL="$PG/amc_smoke_restaurada" MEDIA_ROOT="$tmp/media_restaurada" deploy/restaurar.sh "$respaldo" >/dev/null
cuenta='from django.apps import apps; from amc.models import Exportacion; import os
print(sorted((m._meta.label, m.objects.count()) for m in apps.get_models() if m._meta.app_label in {"planes","matrices","presupuesto","cronograma","seguimiento","amc"}))
print([os.path.exists(e.archivo.path) for e in Exportacion.objects.exclude(archivo="")])'
original=$($PY manage.py shell -c "$cuenta")
restaurada=$(DATABASE_URL="$PG/amc_smoke_restaurada" MEDIA_ROOT="$tmp/media_restaurada" $PY manage.py shell -c "$cuenta")
if [ "$original" != "$restaurada" ]; then
  echo "FALLA: la copia restaurada no es igual al original"; diff <(echo "$original") <(echo "$restaurada") || true; exit 1
fi
grep -q "True" <<<"$restaurada" || { echo "FALLA: el PDF exportado no está en la copia restaurada"; exit 1; }
echo "Restauración comprobada: mismas filas en cada tabla y los archivos subidos presentes."
