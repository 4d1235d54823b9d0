"""gunicorn's settings for `gunicorn example_site.wsgi` (read from the working directory).

Environment: PORT (8000), WEB_CONCURRENCY (worker processes; gunicorn reads it itself),
FORWARDED_ALLOW_IPS (addresses of the TLS proxy whose X-Forwarded-* headers are trusted).
"""

import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: each request is short; a slow one must not hold the worker beyond this.
timeout = 30
# SIGTERM lets running requests finish for this long (systemd's TimeoutStopSec is above it).
graceful_timeout = 20
# Recycle workers now and then, so memory growth of a long-running process stays bounded.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"  # stdout, beside the application's log lines
# gunicorn 27's runtime control socket (~/.gunicorn/gunicorn.ctl) is one per user: two instances
# on a machine would fight over it, and nothing here uses it.
control_socket_disable = True
errorlog = "-"
