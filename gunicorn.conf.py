"""Gunicorn settings for Làm Theo in production.

Gunicorn reads this file by itself when it starts in this folder, so `make serve` and a
systemd unit (``WorkingDirectory=`` this folder, ``ExecStart=.venv/bin/gunicorn``) run the
same server. Each value comes from an environment variable with a default that suits one
server behind a TLS proxy; put them in the EnvironmentFile the web and worker units share.
Anything else: ``GUNICORN_CMD_ARGS`` (it overrides this file), see ``gunicorn --help``.
"""

from __future__ import annotations

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "lamtheo.wsgi:application"

# Loopback unless told otherwise: users reach the TLS proxy, and only the proxy reaches us.
# (Gunicorn's own default is 0.0.0.0:$PORT, every interface, as soon as PORT is set.)
_host = os.environ.get("HOST", "").strip() or "127.0.0.1"
if ":" in _host and not _host.startswith("["):
    _host = f"[{_host}]"  # an IPv6 address such as ::1
bind = [f"{_host}:{_env_int('PORT', 8000)}"]

# Synchronous workers, one request each: the pages are short database round trips, and the
# slow work (large spreadsheet imports) runs in the background worker. Two per core plus one,
# at most eight (each worker holds Django and the app in memory, about 100 MB).
workers = _env_int("GUNICORN_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))

# A request still running after this many seconds has its worker killed and restarted. 60
# leaves room for checking a 500-row spreadsheet in the request (bigger ones go to the worker).
timeout = _env_int("GUNICORN_TIMEOUT", 60)
# On stop or reload, requests in flight get this long to finish.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)

# Replace each worker after about a thousand requests, so a slow leak (a big workbook
# parsed by openpyxl, say) never grows for weeks; the jitter keeps them from restarting at once.
max_requests = 1000
max_requests_jitter = 100

# One line per request on stdout, errors on stderr: the journal (or the terminal) keeps both.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The control socket for `gunicornc` (gunicorn 25.1+) defaults to ~/.gunicorn/gunicorn.ctl,
# one path per user that any other gunicorn of that user replaces: off unless a path is given.
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
if _control_socket:
    control_socket = _control_socket
else:
    control_socket_disable = True

# X-Forwarded-Proto is trusted from FORWARDED_ALLOW_IPS only (gunicorn reads that variable
# itself; default 127.0.0.1,::1, a proxy on the same machine). Django trusts the header too
# (SECURE_PROXY_SSL_HEADER in settings), so the proxy must overwrite what clients send.
