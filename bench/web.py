"""The application over HTTP on loopback, for the benchmarks that run it under gunicorn
(bench/measure_server.py, bench/load/run.py): a free port, the status of a URL, gunicorn as in
the Dockerfile (sync workers) started and stopped, and logging in through the real two-factor
wizard (password, then a TOTP code from the device's key).

Importable without Django."""

from __future__ import annotations

import hashlib
import hmac
import http.cookiejar
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from bench import common

BIN = Path(sys.executable).parent
LOGIN = "/account/login/"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def http_status(url: str, timeout: float = 2) -> int | None:
    """The status of a GET, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310  # nosec B310 — http://127.0.0.1 URL we build
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


# --- gunicorn ------------------------------------------------------------------------------------


def start_gunicorn(env: dict, port: int, workers: int, log_file) -> subprocess.Popen:
    """The venv's gunicorn as in the Dockerfile (sync workers) on 127.0.0.1:`port`, its output
    to `log_file`, in a session of its own (Ctrl-C reaches us; we stop it ourselves)."""
    return subprocess.Popen(  # noqa: S603 — the venv's gunicorn, arguments we build
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--error-logfile",
            "-",
        ],
        cwd=common.ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_ready(
    base: str,
    proc: subprocess.Popen,
    *,
    timeout: float = 90,
    request_timeout: float = 2,
    stopped: str = "gunicorn stopped at once (exit {code})",
    silent: str = "gunicorn does not answer /account/login/",
) -> None:
    """Wait until the login page answers 200; `stopped` (with {code}) and `silent` are the
    messages when gunicorn exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(stopped.format(code=proc.returncode))
        if http_status(base + LOGIN, timeout=request_timeout) == 200:
            return
        time.sleep(0.5)
    raise RuntimeError(silent)


def stop_gunicorn(proc: subprocess.Popen | None) -> None:
    """SIGTERM (a graceful stop), SIGKILL after 30 s."""
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# --- Logging in through the real wizard ---------------------------------------------------------


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 as django_otp's TOTP device computes it (SHA-1, 30 s step, t0 0, 6 digits)."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(opener, url: str, data: dict | None = None):
    """(status, body) of one request; 3xx answers are returned, not followed."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body)  # noqa: S310 — http://127.0.0.1 URL we build
    try:
        with opener.open(request, timeout=30) as response:  # nosec B310 — http://127.0.0.1 URL we build
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def _wizard_step(opener, base: str, page: str, step: str, fields: dict):
    """POST one step of the login wizard with the CSRF token of the page before it."""
    return fetch(
        opener,
        base + LOGIN,
        {
            "csrfmiddlewaretoken": CSRF_RE.search(page).group(1),
            "login_view-current_step": step,
            **fields,
        },
    )


def login(base: str, username: str, password: str, key_hex: str, log) -> tuple[str, object]:
    """Log in through the two-factor wizard; returns the Cookie header value and the opener.
    A TOTP code is accepted once per device per 30 s window (someone else may use this account
    at the same moment), so a refused code is retried once in the next window (said to `log`)."""
    for attempt in range(2):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())
        status, page = fetch(opener, base + LOGIN)
        if status != 200:
            raise RuntimeError(f"login form: HTTP {status}")
        fields = {"auth-username": username, "auth-password": password}
        status, step = _wizard_step(opener, base, page, "auth", fields)
        if status != 200 or "token-otp_token" not in step:
            raise RuntimeError(f"password step: HTTP {status}, no code field")
        status, _ = _wizard_step(opener, base, step, "token", {"token-otp_token": totp(key_hex)})
        if status == 302:
            return "; ".join(f"{c.name}={c.value}" for c in jar), opener
        if attempt == 0:
            log(f"TOTP code refused (HTTP {status}); next window")
            time.sleep(31 - time.time() % 30)
    raise RuntimeError("TOTP step refused twice")
