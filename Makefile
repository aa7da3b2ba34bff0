# The two commands of the README:
#   make run    install, migrate, load reference data + the 2015 seed plan + demo users, serve on :8000
#               (with the task worker that makes PDF and Excel exports)
#   make test   install, run the whole suite (SQLite by default; DATABASE_URL=postgres://... for PostgreSQL)
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install browser seed

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own download cannot work offline) and
# LibreOffice Calc, which prints the workbooks as an office would (tests/libreoffice.py).
browser:
	@command -v chromium >/dev/null 2>&1 && command -v soffice >/dev/null 2>&1 || { \
	  echo "Instalando Chromium y LibreOffice Calc de Debian para las pruebas..."; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libreoffice-calc-nogui) >/dev/null; }

seed: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py cargar_seed --demo

run: seed
	@echo ""
	@echo "AMC en http://127.0.0.1:8000  (datos de demostración cargados)"
	@echo "Usuarios de demostración (contraseña: amc-demo-2015): admin, mtpe, puno, planificador"
	@echo ""
	@# The task worker (PDF and Excel exports) runs beside the web server, on the same database,
	@# at a lower CPU priority (nice 10): a PDF being laid out does not slow the pages down.
	DEBUG=1 AMC_DEMO=1 nice -n 10 $(BIN)/python manage.py db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=1 AMC_DEMO=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP) browser
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=amc.settings_test >/dev/null || \
	  { echo "Hay cambios de modelos sin migración: python manage.py makemigrations"; exit 1; }
	$(BIN)/pytest -n 2 $(PYTEST_ARGS)
