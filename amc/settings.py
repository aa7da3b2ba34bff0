"""Settings for AMC, read from the environment.

DATABASE_URL   default: SQLite file db.sqlite3 in the project; postgres://user@host/db for PostgreSQL
SECRET_KEY     required when DEBUG is off
DEBUG          "1"/"true" to turn on (off by default)
ALLOWED_HOSTS  comma-separated
EMAIL_*, DEFAULT_FROM_EMAIL, AMC_URL   e-mail of the notices (avisos); see the README
"""
from datetime import timedelta
from pathlib import Path
import os
import sys

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "si", "sí", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

_INSECURE_KEY = "django-insecure-solo-para-desarrollo-local"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Commands that never serve a request nor sign anything may run without a key, so that
# `manage.py makemigrations --check` works in a bare checkout (hooks, CI).
_KEYLESS_COMMAND = len(sys.argv) > 1 and sys.argv[1] == "makemigrations" and Path(sys.argv[0]).name == "manage.py"
if not SECRET_KEY:
    if not DEBUG and not _KEYLESS_COMMAND:
        raise ImproperlyConfigured(
            "Falta SECRET_KEY. Con DEBUG desactivado la aplicación no arranca sin una clave "
            "secreta real: exporte SECRET_KEY con al menos 50 caracteres aleatorios "
            "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
        )
    SECRET_KEY = _INSECURE_KEY
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "SECRET_KEY es demasiado débil para producción: use al menos 50 caracteres aleatorios."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "amc",
    "planes",
    "importacion",
    "matrices",
    "presupuesto",
    "cronograma",
    "seguimiento",
    "documento",
    "avisos",
    "nacional",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",  # the audit trail knows who changed what
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "amc.middleware.QueryStringGuardMiddleware",  # a NUL byte or an overflowing number in the query string: 400
    "amc.middleware.PrivateNoStoreMiddleware",  # Cache-Control: private, no-store to a logged-in user
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a lockout into amc.lockout's page
]

ROOT_URLCONF = "amc.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amc.context_processors.demo",
                "avisos.context_processors.navegacion",  # the navigation's counts, counted when a page shows them
            ],
            "builtins": ["amc.templatetags.amc"],
        },
    },
]

WSGI_APPLICATION = "amc.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Foreign keys and a busy timeout make the embedded database behave like the real one.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20})
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "planes.Usuario"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", "Español (Perú)")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["amc.formats"]
# Amounts are grouped by amc.formatting (|soles, |numero); grouping every integer would
# print years as "2,015".
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security: strict by default when DEBUG is off (python manage.py check --deploy is clean).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
# Asking browsers to preload HSTS for the domain is hard to undo: opt in with SECURE_HSTS_PRELOAD=1
# (amc.apps replaces Django's check that asks for it; see amc/checks.py).
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_AGE = 8 * 3600

# Content-Security-Policy (django-csp): only this site's own files, no inline script or style
# (pages use classes and static/css, static/js), no plugins, no framing, forms post here only.
# `data:` images: the page's empty favicon (base.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Largest evidence file (medio de verificación) an entity may attach, in MB (seguimiento).
SEGUIMIENTO_EVIDENCIA_MAX_MB = int(os.environ.get("SEGUIMIENTO_EVIDENCIA_MAX_MB", "10"))

# Banner that marks demonstration data in the interface (set by `make run`).
AMC_DEMO = env_bool("AMC_DEMO", False)

# Logging: every record is written once, by the root's console handler. (Django's default
# configuration gives the `django` logger a console handler of its own, active with DEBUG, and
# the record then propagates to the root's: every line twice.) So `django` keeps only Django's
# mail_admins (errors, DEBUG off, to ADMINS if any) and propagates; `django.server` (runserver's
# request lines) keeps its own format and does not propagate; `django.request` writes a client
# error (an expected 403, a 400) as its one line, without the traceback; 5xx keep theirs.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "client_errors_one_line": {"()": "amc.log.ClientErrorsOneLine"},
    },
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
        "mail_admins": {"level": "ERROR", "filters": ["require_debug_false"], "class": "django.utils.log.AdminEmailHandler"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        "django.request": {"filters": ["client_errors_one_line"]},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# django-axes' backend first: it refuses a locked-out user name + address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "amc.backends.AmcBackend"]

# Login attempts (django-axes, amc/lockout.py): AXES_FAILURE_LIMIT failed logins for one user name
# from one address lock that pair out for AXES_COOLOFF_MINUTES, on /ingresar/ and /admin/login/.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "amc.lockout.locked_out"
if env_bool("BEHIND_PROXY"):
    AXES_CLIENT_IP_CALLABLE = "amc.lockout.client_ip"

# Audit trail of plan data (amc/auditoria.py): reasons as text, history read-only (no revert).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Heavy exports (PDF, large Excel files) are made by the task engine's worker
# (`manage.py db_worker`, Django's Tasks API through django-tasks; tasks kept in the database).
# Reports computed once per data version (amc.versiones) are kept here: the process's memory by
# default (at most 50 entries: a national plan's «Todas» tracking report is ~3 MB pickled);
# AMC_CACHE_URL=redis://127.0.0.1:6379/1 shares them between the gunicorn workers.
_CACHE_URL = os.environ.get("AMC_CACHE_URL", "")
CACHES = {"default": (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL, "KEY_PREFIX": "amc"}
    if _CACHE_URL.startswith(("redis://", "rediss://", "unix://"))
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "amc", "OPTIONS": {"MAX_ENTRIES": 50}}
)}
AMC_CACHE_INFORMES_SEGUNDOS = int(os.environ.get("AMC_CACHE_INFORMES_SEGUNDOS", "600"))

TASKS = {"default": {"BACKEND": os.environ.get("AMC_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
AMC_EXPORTACIONES_EN_SEGUNDO_PLANO = env_bool("AMC_EXPORTACIONES_EN_SEGUNDO_PLANO", True)
AMC_EXPORTACIONES_DIAS = int(os.environ.get("AMC_EXPORTACIONES_DIAS", "7"))

# E-mail of the notices (avisos; sent by `manage.py enviar_avisos`, run from cron). With DEBUG
# the mails are printed on the console (`make run`); otherwise they go through SMTP.
EMAIL_BACKEND = ("django.core.mail.backends.console.EmailBackend" if DEBUG
                 else "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AMC <no-responder@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where AMC is served, for the links in the mails (the job has no request to take it from):
# AMC_URL, else https:// and the first of ALLOWED_HOSTS; http://127.0.0.1:8000 with DEBUG.
_PRIMER_HOST = next((h for h in ALLOWED_HOSTS if h and h[0] not in ".*"), "")
AMC_URL = (os.environ.get("AMC_URL", "").strip().rstrip("/")
           or ("http://127.0.0.1:8000" if DEBUG else (f"https://{_PRIMER_HOST}" if _PRIMER_HOST else "")))

# Excel import (issue 7): largest workbook accepted, in MB (a 10,000-row sheet is about 0.3 MB).
AMC_IMPORTACION_MAX_BYTES = int(os.environ.get("AMC_IMPORTACION_MAX_MB", "5")) * 1024 * 1024
# A file with more rows than this is previewed and applied by the task worker (about 800 rows
# a second: 2,000 rows is a couple of seconds), with a progress page; smaller ones answer at once.
AMC_IMPORTACION_FILAS_DIRECTAS = int(os.environ.get("AMC_IMPORTACION_FILAS_DIRECTAS", "2000"))
AMC_IMPORTACION_EN_SEGUNDO_PLANO = env_bool("AMC_IMPORTACION_EN_SEGUNDO_PLANO", True)
