"""Logging pieces used by settings.LOGGING."""
from __future__ import annotations

import logging


class ClientErrorsOneLine(logging.Filter):
    """On `django.request`: a client error (4xx) is the expected answer to the request, not a
    fault of the application. Django logs a refused request (PermissionDenied → 403) or a bad
    one (400) with the exception attached, which the handler prints as a traceback; keep the
    one line ("Forbidden (Permission denied): /planes/1/revision/") and drop the traceback.
    Server errors (5xx) keep theirs."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500 and record.exc_info:
            record.exc_info = None
            record.exc_text = None
        return True
