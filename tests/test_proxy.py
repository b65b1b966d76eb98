"""Issue 22, item 3: TLS and the proxy, with a real nginx (Debian's nginx-light) running
deploy/nginx.conf in front of the application (pytest-django's live server). Only what cannot be
the same here is swapped: the upstream address (`web:8000` → the live server), Docker's resolver,
the listening ports and the file paths. Every swap is checked to hit exactly one line, so a change
to the file that the test would silently miss fails here instead.

The application runs with the security settings that docker-compose.yml's web environment gives
it: a subprocess imports config.settings with that environment (its secrets filled with dummies)
and reports them. Proven:
- plain HTTP only redirects to HTTPS;
- behind the proxy the application knows the request was HTTPS (BEHIND_PROXY): it sends HSTS
  and marks its cookies Secure (SE-8);
- one request id joins the proxy's access line, the application's log line and the response;
  neither log carries the query string (a name typed into a search);
- static files are served from nginx's cache after the first request;
- a 10 MB medical document passes the proxy, 12 MB does not.
"""

import base64
import json
import logging
import os
import re
import secrets
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"
SECURITY_SETTINGS = (
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _interpolate(value: str) -> str:
    """Compose's ${NAME:?message} and ${NAME:-default}: a dummy secret, or the default."""
    value = re.sub(r"\$\{(\w+):\?[^}]*\}", lambda m: f"dummy-{m.group(1).lower()}", value)
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: m.group(2), value)


def compose_web_environment() -> dict:
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    return {k: _interpolate(str(v)) for k, v in services["web"]["environment"].items()}


@pytest.fixture(scope="module")
def compose_web_env(tmp_path_factory):
    """The web replicas' environment from docker-compose.yml, with what the operator supplies:
    a random SECRET_KEY and a key file at the secret's path's stand-in."""
    keys = tmp_path_factory.mktemp("secrets") / "medical_keys"
    keys.write_text("k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=") + "\n")
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ["HOME"],
        **compose_web_environment(),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MEDICAL_ENCRYPTION_KEY_FILE": str(keys),
    }


@pytest.fixture(scope="module")
def production_security(compose_web_env):
    """The security settings config.settings computes from the compose web environment."""
    code = (
        "import json, config.settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=compose_web_env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if values["SECURE_PROXY_SSL_HEADER"] is not None:
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


def test_se6_the_compose_web_environment_passes_the_deploy_check(compose_web_env):
    """SE-6/SE-8, issue 22 item 5: what go-live requires, with nothing but the secrets added to
    the compose file's environment: `check --deploy --fail-level WARNING` says no issues."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=compose_web_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def _swap(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx.conf: expected {old!r} exactly once"
    return text.replace(old, new)


@pytest.fixture
def proxy(live_server, settings, production_security, tmp_path):
    for name, value in production_security.items():
        setattr(settings, name, value)
    tls = tmp_path / "tls"
    tls.mkdir()
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(tls / "privkey.pem"), "-out", str(tls / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    http, https = _free_port(), _free_port()
    upstream = f"127.0.0.1:{live_server.url.rsplit(':', 1)[1]}"
    conf = (ROOT / "deploy" / "nginx.conf").read_text()
    for old, new in [
        ("resolver 127.0.0.11 valid=10s ipv6=off;", ""),
        ("set $web http://web:8000;", f"set $web http://{upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
        ("listen 443 ssl;", f"listen 127.0.0.1:{https} ssl;"),
        ("/etc/nginx/tls/fullchain.pem", str(tls / "fullchain.pem")),
        ("/etc/nginx/tls/privkey.pem", str(tls / "privkey.pem")),
        ("pid /tmp/nginx.pid;", f"pid {tmp_path / 'nginx.pid'}; user root;"),
        ("/tmp/nginx-static", str(tmp_path / "cache")),  # noqa: S108 — the file's own path
        ("access_log /dev/stdout vk;", f"access_log {tmp_path / 'access.log'} vk;"),
        ("error_log /dev/stderr warn;", f"error_log {tmp_path / 'error.log'} warn;"),
    ]:
        conf = _swap(conf, old, new)
    (tmp_path / "nginx.conf").write_text(conf)
    (tmp_path / "temp").mkdir()
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path / "temp"), "-c", str(tmp_path / "nginx.conf"), "-g",
         "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", https), timeout=1).close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        context = ssl.create_default_context(cafile=str(tls / "fullchain.pem"))
        yield {
            "http": f"http://127.0.0.1:{http}",
            "https": f"https://localhost:{https}",
            "context": context,
            "access_log": tmp_path / "access.log",
        }
    finally:
        process.terminate()
        process.wait(timeout=15)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(proxy, path, *, secure=True, method="GET", data=None, headers=None):
    """(status, headers, body) without following redirects."""
    base = proxy["https"] if secure else proxy["http"]
    opener = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPSHandler(context=proxy["context"])
    )
    # The test's own https:// or http:// URL on loopback.
    request = urllib.request.Request(  # noqa: S310
        base + path, method=method, data=data, headers=headers or {}
    )
    try:
        with opener.open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_compose_web_environment_turns_on_https_behind_the_proxy(production_security):
    """SE-8: what the compose file gives the web replicas means HTTPS behind a proxy."""
    assert production_security["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert production_security["SECURE_SSL_REDIRECT"] is True
    assert production_security["SESSION_COOKIE_SECURE"] is True
    assert production_security["CSRF_COOKIE_SECURE"] is True
    assert production_security["SECURE_HSTS_SECONDS"] >= 31_536_000


@pytest.mark.django_db(transaction=True)
def test_se8_plain_http_only_redirects_and_https_carries_hsts_and_secure_cookies(proxy):
    status, headers, _ = fetch(proxy, "/inloggen/?next=/verzuim/", secure=False)
    assert status == 301
    assert headers["Location"].startswith("https://127.0.0.1/inloggen/")
    status, headers, body = fetch(proxy, "/healthz")
    assert (status, body) == (200, b"ok")
    # The login page through TLS: the application saw HTTPS (no redirect loop), sends HSTS and
    # marks its cookies Secure.
    status, headers, body = fetch(proxy, "/account/login/")
    assert status == 200, body[:500]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookies = headers.get_all("Set-Cookie")
    assert cookies and all("Secure" in c for c in cookies)
    assert headers["Server"] == "nginx"  # server_tokens off: no version


@pytest.mark.django_db(transaction=True)
def test_one_request_id_in_proxy_log_application_log_and_response(proxy, caplog):
    with caplog.at_level(logging.INFO, logger="verzuimkluis.request"):
        status, headers, _ = fetch(proxy, "/account/login/?next=/verzuim/werknemers/%3Fq%3DJansen")
    assert status == 200
    request_id = headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    lines = [r.getMessage() for r in caplog.records if r.name == "verzuimkluis.request"]
    assert any(line.startswith(f"request_id={request_id} method=GET") for line in lines), lines
    # nginx writes its line in the log phase, just after the response went out.
    deadline = time.monotonic() + 10
    while f" {request_id} " not in (access := proxy["access_log"].read_text()):
        assert time.monotonic() < deadline, f"no access line for {request_id}: {access!r}"
        time.sleep(0.05)
    assert '"GET /account/login/"' in access
    assert "Jansen" not in access and "Jansen" not in caplog.text
    # The sync API's personnel number in the path is logged as "..." (the route, not the person).
    status, headers, _ = fetch(proxy, "/api/v1/werknemers/nummer/P40417/", method="PATCH")
    number_id = headers["X-Request-ID"]
    deadline = time.monotonic() + 10
    while f" {number_id} " not in (access := proxy["access_log"].read_text()):
        assert time.monotonic() < deadline, f"no access line for {number_id}: {access!r}"
        time.sleep(0.05)
    assert '"PATCH /api/v1/werknemers/nummer/.../"' in access and "P40417" not in access


@pytest.mark.django_db(transaction=True)
def test_static_files_come_from_the_proxy_cache_after_the_first_request(proxy):
    first = fetch(proxy, "/static/css/app.css")
    second = fetch(proxy, "/static/css/app.css")
    assert first[0] == second[0] == 200
    assert first[2] == second[2] and b"{" in first[2]
    assert (first[1]["X-Cache"], second[1]["X-Cache"]) == ("MISS", "HIT")
    # Pages are never cached by the proxy (no X-Cache, and no-store from the application).
    page = fetch(proxy, "/account/login/")
    assert "X-Cache" not in page[1] and "no-store" in page[1]["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_a_ten_megabyte_document_passes_the_proxy_and_more_does_not(proxy):
    """MEDICAL_UPLOAD_MAX_BYTES (10 MB) must reach the application; nginx refuses above 11 MB."""
    headers = {"Content-Type": "application/octet-stream"}
    megabyte = 1024 * 1024
    ten = fetch(proxy, "/healthz", method="POST", data=b"x" * (10 * megabyte), headers=headers)
    assert ten[0] != 413 and "X-Request-ID" in ten[1]  # the application answered it
    twelve = fetch(proxy, "/healthz", method="POST", data=b"x" * (12 * megabyte), headers=headers)
    assert twelve[0] == 413
    assert b"nginx" in twelve[2]
