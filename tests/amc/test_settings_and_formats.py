import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.utils import translation

from amc import formatting

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT",
                                                               "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120)


def test_without_debug_the_application_refuses_to_start_without_a_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "Falta SECRET_KEY" in result.stderr


def test_without_debug_a_weak_secret_key_is_refused():
    result = run_manage("check", SECRET_KEY="corta")
    assert result.returncode != 0
    assert "SECRET_KEY es demasiado débil" in result.stderr


def test_check_deploy_reports_no_warnings():
    result = run_manage("check", "--deploy", SECRET_KEY="k" * 10 + "Zq8-Lm3!xT7@wB2#pR5$" * 3, ALLOWED_HOSTS="amc.example.pe",
                        DATABASE_URL="sqlite:////tmp/amc-check-deploy.sqlite3")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_soles_are_written_as_in_peru():
    assert formatting.soles(Decimal("1234.5")) == "S/\u00a01,234.50"
    assert formatting.soles(Decimal("41700")) == "S/\u00a041,700.00"
    assert formatting.soles(None) == "No se ha determinado"
    assert formatting.percent(Decimal("0.857")) == "85.7%"


@pytest.mark.django_db
def test_templates_write_dates_and_numbers_in_es_pe():
    template = engines["django"].from_string("{{ d|date:'SHORT_DATE_FORMAT' }} {{ d }} {{ n|floatformat:'2g' }} {{ m|soles }}")
    with translation.override("es-pe"):
        out = template.render({"d": date(2015, 12, 31), "n": Decimal("1234.5"), "m": Decimal("8000")})
    assert out == "31/12/2015 31/12/2015 1,234.50 S/\u00a08,000.00"


def test_makemigrations_check_runs_without_a_secret_key_but_nothing_else_does():
    result = run_manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert "Falta SECRET_KEY" in run_manage("migrate", "--plan").stderr
