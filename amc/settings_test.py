"""Settings for the test suite: production settings with DEBUG off, plain HTTP and a fixed key."""
import os

os.environ.setdefault("SECRET_KEY", "pruebas-" + "x9Kq2LmZ7vR4tY8wB3nC6pD1fG5hJ0sA" * 2)
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")

from amc.settings import *  # noqa: E402,F401,F403

ALLOWED_HOSTS = ["*"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"  # noqa: F405
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Templates used only by tests (a plain table for the report machinery's tests).
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "tests" / "templates"]  # noqa: F405
# Report files are made in the request, as before, except in the tests of the background path
# (tests/amc/test_exportaciones.py), which turn it on with the immediate backend.
AMC_EXPORTACIONES_EN_SEGUNDO_PLANO = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Login attempts: the suite logs in a great deal; only the lockout's own tests use the real limit
# (tests/amc/test_login_lockout.py sets AXES_FAILURE_LIMIT back to the production default).
AXES_FAILURE_LIMIT = 1000

# Reports are computed on every request in tests (amc.versiones.por_version computes without the
# cache); the tests of the cache itself set a local-memory cache.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
