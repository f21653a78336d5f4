"""Gunicorn's settings for the web process (docs/deploy.md): `gunicorn -c deploy/gunicorn.conf.py factcheck.wsgi`.

Everything can be changed from the environment: GUNICORN_BIND (default 0.0.0.0:8000, or
127.0.0.1:$PORT when PORT is set), GUNICORN_WORKERS (default 2 per core + 1), GUNICORN_TIMEOUT.
With LOG_FORMAT=json the access log and gunicorn's own messages are JSON lines too, like the app's.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND") or (
    f"127.0.0.1:{os.environ['PORT']}" if os.environ.get("PORT") else "0.0.0.0:8000"
)
workers = int(os.environ.get("GUNICORN_WORKERS") or 2 * multiprocessing.cpu_count() + 1)
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 30)
graceful_timeout = 30
# A load balancer's idle connections are kept a little longer than its own keep-alive is likely to be.
keepalive = 5
# The app reads the visitor's address from a header named in CLIENT_IP_HEADER; gunicorn trusts
# X-Forwarded-Proto only from these addresses (the local proxy by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms'

if os.environ.get("LOG_FORMAT", "").lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "factcheck.logs.JsonFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
