"""The production server: gunicorn with gunicorn.conf.py and production settings, for real.

One subprocess test, as `make serve` runs it: migrate and collectstatic on a throwaway SQLite
database and static folder, then gunicorn on a free loopback port, answering as it would
behind the TLS proxy (which sends X-Forwarded-Proto). Always SQLite, also in the PostgreSQL run.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROXIED = {"X-Forwarded-Proto": "https"}
HASHED_BOOTSTRAP_CSS = re.compile(
    rb'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]{12}\.css)"'
)

# Variables of the caller that would change what is served (a PostgreSQL DATABASE_URL in CI,
# a developer's DEBUG=1, gunicorn's own overrides).
UNSET = (
    "DATABASE_URL",
    "DEBUG",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "TASKS_BACKEND",
    "CACHE_URL",
    "SECURE_SSL_REDIRECT",
    "GUNICORN_CMD_ARGS",
    "GUNICORN_CONTROL_SOCKET",
    "WEB_CONCURRENCY",
    "FORWARDED_ALLOW_IPS",
    "TRUSTED_PROXIES",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _production_env(var_dir: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in UNSET and not k.startswith("GUNICORN_")}
    env.update(
        LAMTHEO_PRODUCTION="1",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        LAMTHEO_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'serve.sqlite3'}",
        HOST="127.0.0.1",
        PORT=str(port),
        GUNICORN_WORKERS="2",
        PYTHONUNBUFFERED="1",
    )
    return env


def _deploy_steps(env: dict[str, str]) -> None:
    """migrate and collectstatic, as `make deploy` runs them; side by side, as neither needs
    the other."""
    steps = [
        subprocess.Popen(
            [sys.executable, "manage.py", command, "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for command in ("migrate", "collectstatic")
    ]
    errors = [step.communicate(timeout=120)[1].decode() for step in steps]
    for step, error in zip(steps, errors, strict=True):
        assert step.returncode == 0, f"{step.args[2]}:\n{error}"


def _get(port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def _wait_for_port(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert server.poll() is None, f"gunicorn exited early:\n{log.read_text()}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"gunicorn did not listen on port {port} within 20 s:\n{log.read_text()}")


@pytest.mark.slow
def test_gunicorn_serves_the_site_and_its_static_files_with_production_settings(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = _production_env(tmp_path / "var", port)
    _deploy_steps(env)

    out, err = tmp_path / "access.log", tmp_path / "error.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own process group: the workers can be checked too
        )
    try:
        _wait_for_port(port, server, err)

        status, headers, body = _get(port, "/health/", PROXIED)
        assert (status, body) == (200, b'{"status": "ok", "database": true}')
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")

        # Without the proxy's header the request came over plain HTTP: off to HTTPS.
        status, headers, _ = _get(port, "/health/", {})
        assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{port}/health/")

        # The login page links the hashed names from collectstatic's manifest...
        status, _, body = _get(port, "/accounts/login/", PROXIED)
        assert status == 200
        css = HASHED_BOOTSTRAP_CSS.search(body)
        assert css, body.decode()
        # ...which WhiteNoise serves (cached for good: the name changes with the content),
        # as it does the plain name.
        cache_control = {}
        for path in (css.group(1).decode(), "/static/vendor/bootstrap/bootstrap.min.css"):
            status, headers, body = _get(port, path, PROXIED)
            assert (status, headers["Content-Type"]) == (200, 'text/css; charset="utf-8"'), path
            assert body.startswith(b'@charset "UTF-8";/*!\n * Bootstrap  v5.3.9'), path
            cache_control[path] = headers["Cache-Control"]
        assert "immutable" in cache_control[css.group(1).decode()]
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            returncode = server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
            raise

    assert returncode == 0, err.read_text()
    with pytest.raises(ProcessLookupError):  # no worker outlived the master
        os.killpg(server.pid, 0)
    assert '"GET /health/ HTTP/1.1" 200' in out.read_text()  # the access log is on stdout
    assert "Shutting down: Master" in err.read_text()
