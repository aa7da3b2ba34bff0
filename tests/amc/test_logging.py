"""Logging (settings.LOGGING): every record is written once; a refused request (403) is one
line without a traceback; a server error (500) keeps its traceback. What the configured
handlers write is captured instead of going to stderr, with DEBUG on (as `make run`) and off."""
from __future__ import annotations

import io
import logging
from contextlib import contextmanager

import pytest
from django.urls import include, path, reverse


def _falla(request):
    raise RuntimeError("fallo de prueba")


urlpatterns = [path("falla/", _falla), path("", include("amc.urls"))]  # the 500 test (pytest.mark.urls)


@contextmanager
def logged_output():
    """Point every stream handler of the logging configuration at one buffer."""
    loggers = [logging.getLogger()] + [lg for lg in logging.Logger.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    # exactly StreamHandler: pytest's own capture handlers are subclasses and stay as they are
    handlers = {h for lg in loggers for h in lg.handlers if type(h) is logging.StreamHandler}
    assert handlers, "no hay manejadores de consola configurados"
    buffer = io.StringIO()
    streams = {h: h.stream for h in handlers}
    for h in handlers:
        h.setStream(buffer)
    try:
        yield buffer
    finally:
        for h, stream in streams.items():
            h.setStream(stream)


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "sin-DEBUG"])
def test_a_refused_request_logs_one_line_without_traceback(client, settings, usuario_puno, seed_plan, debug):
    settings.DEBUG = debug
    client.force_login(usuario_puno)
    url = reverse("seguimiento:revision", args=[seed_plan.pk])  # a regional user is no reviewer
    with logged_output() as out:
        assert client.get(url).status_code == 403
    assert out.getvalue().splitlines() == [f"Forbidden (Permission denied): {url}"]


@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "sin-DEBUG"])
def test_a_missing_page_logs_one_line(client, settings, usuario_puno, debug):
    settings.DEBUG = debug
    client.force_login(usuario_puno)
    with logged_output() as out:
        assert client.get("/no-existe/").status_code == 404
    assert out.getvalue().splitlines() == ["Not Found: /no-existe/"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [True, False], ids=["DEBUG", "sin-DEBUG"])
def test_a_server_error_logs_its_traceback_once(client, settings, usuario_puno, debug):
    settings.DEBUG = debug
    client.force_login(usuario_puno)
    client.raise_request_exception = False
    with logged_output() as out:
        assert client.get("/falla/").status_code == 500
    text = out.getvalue()
    assert text.splitlines()[0] == "Internal Server Error: /falla/"
    assert text.count("Internal Server Error") == 1
    assert text.count("Traceback (most recent call last):") == 1
    assert text.rstrip().endswith("RuntimeError: fallo de prueba")
