"""gunicorn settings for AMC (`gunicorn -c deploy/gunicorn.conf.py amc.wsgi`).

Heavy work (PDF and Excel exports) runs in the task worker, not here, so web workers answer
quickly and the default timeout is kept. Logs go to standard output (journald or the
container runtime keeps them)."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory)
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
