"""Load test of Verzuimkluis: HR, bedrijfsartsen and employees on the real pages (issue 7, item 3).

Started by bench/load/run.py, which seeds the database and hands over two files:
- VK_LOAD_MANIFEST: the seeded accounts (password, TOTP key) and what each works on;
- VK_LOAD_TALLY: where this file writes, at the end, how many requests it made to pages that
  read personal data and how many audit rows those requests must have written.

Every simulated user takes its own account (a TOTP code is accepted once per device per 30 s
window, and django-axes counts failures per username+IP) and logs in once through the real
two-factor wizard — password step, then a TOTP code computed from the seeded device key — then
loops over its role's pages with a think time of VK_LOAD_WAIT seconds (default "2,6").

The audit counting rule (privacy.audit; what the views write, per successful request):
- verzuimoverzicht (GET /verzuim/meldingen/): one `read` row per sick report on the page
  (record_many, one row per record) — counted from the rows of the table in the response;
  after a search the same with `search` rows. The search POST itself only stores the term in
  the session and redirects: no row; nor does clearing it.
- case page (/verzuim/meldingen/<id>/): one `read` row for the case, plus one `read` row of
  `medisch.advies` when the page shows the doctor's released advice (one row for all of them).
- filing a ziekmelding (POST /verzuim/meldingen/nieuw/ → 302): one `create` row; the form GET: none.
- doctor's overview (/medisch/): one `search` row of `medisch.dossier` (all ids in one row).
- dossier page (/medisch/dossiers/<id>/): one `read` row of `medisch.dossier` (every consult,
  advice, … id in that one row).
- recording a consult (POST …/consult/nieuw/ → 302): one `create` row; the form GET: none.
- employee: /verzuim/mijn/ one `medisch.advies` `read` row when it shows released advice
  (keuringen and medical report parts would add rows; none are seeded); /reintegratie/mijn/ one
  `reintegratie.mijn` `read` row.
- HR dashboard (/): one `read` row per sick report its deadline panel shows (name, Poortwachter
  step, date; up to 50) — counted from the panel's links. (Before 24-11-2026 the panel wrote
  none; this load test found that.) Other roles' dashboards and the login: no row.
"""

import csv
import json
import os
import random
import re
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

from django_otp.oath import TOTP
from locust import HttpUser, between, events, task
from locust.exception import StopUser

MANIFEST = json.loads(Path(os.environ["VK_LOAD_MANIFEST"]).read_text())
TALLY_PATH = os.environ.get("VK_LOAD_TALLY")
TIMELINE_PATH = os.environ.get("VK_LOAD_TIMELINE")
_wait = [float(x) for x in os.environ.get("VK_LOAD_WAIT", "2,6").split(",")]
WAIT = between(_wait[0], _wait[1])

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE_LINK_RE = re.compile(r'<a href="/verzuim/meldingen/(\d+)/">([^<]*)</a>')
DOSSIER_LINK_RE = re.compile(r'href="/medisch/dossiers/(\d+)/"')

_lock = threading.Lock()
_accounts = {role: list(MANIFEST[role]) for role in ("hr", "doctor", "employee")}
# (object_type, action) → audit rows the requests below must have written; page → requests.
expected_rows = Counter()
accesses = Counter()
logins = Counter()
unaudited = Counter()  # sick reports shown on pages that write no audit row
login_done_at = []  # when each simulated user finished logging in (epoch seconds)
timeline = []  # (start epoch, method, name, response ms, failed) of every request


def _take_account(role):
    with _lock:
        if not _accounts[role]:
            return None
        return _accounts[role].pop(0)


def _expect(page, rows):
    """One successful request to an audited page and the audit rows it must have written."""
    accesses[page] += 1
    for key, n in rows.items():
        expected_rows[key] += n


def _csrf(text):
    match = CSRF_RE.search(text or "")
    return match.group(1) if match else ""


def _totp(key_hex):
    totp = TOTP(bytes.fromhex(key_hex), step=30, t0=0, digits=6)
    return f"{totp.token():06d}"


def _tbody(text):
    start, end = text.find("<tbody>"), text.find("</tbody>")
    return text[start:end] if start >= 0 and end > start else ""


class VerzuimkluisUser(HttpUser):
    abstract = True
    wait_time = WAIT
    role = ""

    def on_start(self):
        self.account = _take_account(self.role)
        if self.account is None:
            logins["no account left"] += 1
            raise StopUser
        self.login()

    def login(self):
        client = self.client
        page = client.get("/account/login/", name="login: formulier")
        with client.post(
            "/account/login/",
            data={
                "csrfmiddlewaretoken": _csrf(page.text),
                "login_view-current_step": "auth",
                "auth-username": self.account["username"],
                "auth-password": MANIFEST["password"],
            },
            name="login: wachtwoord",
            catch_response=True,
        ) as step:
            if step.status_code != 200 or "token-otp_token" not in step.text:
                step.failure(f"wachtwoordstap: HTTP {step.status_code}, geen codeveld")
                logins["failed"] += 1
                raise StopUser
        with client.post(
            "/account/login/",
            data={
                "csrfmiddlewaretoken": _csrf(step.text),
                "login_view-current_step": "token",
                "token-otp_token": _totp(self.account["totp_key"]),
            },
            name="login: TOTP-code",
            allow_redirects=False,
            catch_response=True,
        ) as done:
            if done.status_code != 302:
                done.failure(f"codestap: HTTP {done.status_code} (code geweigerd?)")
                logins["failed"] += 1
                raise StopUser
        logins["ok"] += 1
        login_done_at.append(time.time())
        self.dashboard()

    def dashboard(self):
        self.get_page("/", "dashboard /", "<h1")

    def get_page(self, path, name, marker):
        """GET a page that must answer 200 with `marker` (not the login page after a lost
        session). Returns the text, or None after recording a failure."""
        with self.client.get(path, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"HTTP {r.status_code}")
                return None
            if marker not in r.text:
                r.failure(f"kenmerk ontbreekt: {marker!r}")
                return None
            return r.text

    def post_form(self, path, data, name, expect_location=None):
        """POST a form that must answer with a redirect (302); returns the Location or None."""
        with self.client.post(
            path, data=data, name=name, catch_response=True, allow_redirects=False
        ) as r:
            location = r.headers.get("Location", "")
            if r.status_code != 302:
                detail = re.findall(r'class="errorlist[^"]*"[^>]*>(.{0,160})', r.text or "")
                r.failure(f"HTTP {r.status_code} {detail[:1]}")
                return None
            if expect_location and not re.search(expect_location, location):
                r.failure(f"onverwachte redirect {location}")
                return None
            return location

    def submit(self, path, page, marker, fields, name, expect_location, rows):
        """GET the form at `path` (must show `marker`), POST it back with its CSRF token and
        `fields()` (called only once the form is there), and count `rows` audit rows when it
        redirects to `expect_location`."""
        form = self.get_page(path, page, marker)
        if form is None:
            return
        data = {"csrfmiddlewaretoken": _csrf(form), **fields()}
        if self.post_form(path, data, name, expect_location):
            _expect(name, rows)


class HRUser(VerzuimkluisUser):
    """Personeelszaken: dashboard, verzuimoverzicht, search, case pages, now and then a
    ziekmelding for a healthy employee of its own reserved pool."""

    weight = 5
    role = "hr"

    def on_start(self):
        self.case_ids = []
        self.names = []
        super().on_start()
        self.file_pool = list(self.account["file_pool"])

    def _remember(self, text):
        links = CASE_LINK_RE.findall(_tbody(text))
        if links:
            self.case_ids = [int(pk) for pk, _ in links]
            self.names = [name.split()[-1] for _, name in links if name.strip()]
        return len(links)

    @task(3)
    def dashboard(self):
        text = self.get_page("/", "dashboard /", "<h1")
        if text is not None:
            shown = len(CASE_LINK_RE.findall(_tbody(text)))
            _expect("dashboard /", {("verzuim.ziekmelding", "read"): shown})

    @task(4)
    def case_list(self):
        text = self.get_page("/verzuim/meldingen/", "verzuimoverzicht", "Verzuimoverzicht")
        if text is not None:
            shown = self._remember(text)
            _expect("verzuimoverzicht", {("verzuim.ziekmelding", "read"): shown})

    @task(2)
    def search(self):
        if not self.names:
            self.case_list()
            return
        term = random.choice(self.names)[:4]
        page = self.get_page("/verzuim/meldingen/", "verzuimoverzicht", "Verzuimoverzicht")
        if page is None:
            return
        _expect("verzuimoverzicht", {("verzuim.ziekmelding", "read"): self._remember(page)})
        if not self.post_form(
            "/verzuim/meldingen/",
            {"csrfmiddlewaretoken": _csrf(page), "q": term},
            "zoeken (POST)",
            r"/verzuim/meldingen/",
        ):
            return
        text = self.get_page("/verzuim/meldingen/", "zoekresultaat", "Verzuimoverzicht")
        if text is not None:
            shown = len(CASE_LINK_RE.findall(_tbody(text)))
            _expect("zoekresultaat", {("verzuim.ziekmelding", "search"): shown})
            self.post_form(
                "/verzuim/meldingen/",
                {"csrfmiddlewaretoken": _csrf(text), "q": ""},
                "zoeken wissen (POST)",
                r"/verzuim/meldingen/",
            )

    @task(6)
    def case_page(self):
        if not self.case_ids:
            self.case_list()
            return
        pk = random.choice(self.case_ids)
        text = self.get_page(f"/verzuim/meldingen/{pk}/", "ziekmelding [id]", 'id="advies"')
        if text is not None:
            rows = {("verzuim.ziekmelding", "read"): 1}
            if "Nog geen advies van de bedrijfsarts." not in text:
                rows[("medisch.advies", "read")] = 1
            _expect("ziekmelding [id]", rows)

    @task(1)
    def file_ziekmelding(self):
        if not self.file_pool:
            return
        self.submit(
            "/verzuim/meldingen/nieuw/",
            "ziekmelding doen (formulier)",
            "Ziekmelding vastleggen",
            lambda: {
                "werknemer": self.file_pool.pop(),
                "first_day": date.today().isoformat(),
                "percentage": 100,
                "phone": "06-12345678",
                "care_address": "",
                "expected_duration": random.choice(["week", "twee_weken", "zes_weken"]),
                "lopende_afspraken": "Collega neemt de planning van deze week over.",
            },
            "ziekmelding doen (POST)",
            r"/verzuim/meldingen/\d+/$",
            {("verzuim.ziekmelding", "create"): 1},
        )


class DoctorUser(VerzuimkluisUser):
    """Bedrijfsarts: the dossier overview, dossier pages with consults, now and then a consult."""

    weight = 2
    role = "doctor"

    @task(3)
    def dossier_list(self):
        text = self.get_page("/medisch/", "medisch overzicht", "<h1")
        if text is not None:
            _expect("medisch overzicht", {("medisch.dossier", "search"): 1})
            found = [int(pk) for pk in DOSSIER_LINK_RE.findall(text)]
            if found:
                self.account["dossier_ids"] = sorted(set(found))

    @task(6)
    def dossier_page(self):
        pk = random.choice(self.account["dossier_ids"])
        text = self.get_page(f"/medisch/dossiers/{pk}/", "dossier [id]", "(synthetisch)")
        if text is not None:
            _expect("dossier [id]", {("medisch.dossier", "read"): 1})

    @task(1)
    def record_consult(self):
        pk = random.choice(self.account["dossier_ids"])
        self.submit(
            f"/medisch/dossiers/{pk}/consult/nieuw/",
            "consult (formulier)",
            "csrfmiddlewaretoken",
            lambda: {
                "date": date.today().isoformat(),
                "anamnesis": "(synthetisch) klachten wisselend, slaapt beter",
                "findings": "(synthetisch) geen bijzonderheden",
                "diagnosis": "(synthetisch)",
                "diagnosis_code": "",
                "policy": "(synthetisch) opbouw in uren, vervolgconsult over 2 weken",
            },
            "consult vastleggen (POST)",
            rf"/medisch/dossiers/{pk}/$",
            {("medisch.consult", "create"): 1},
        )


class EmployeeUser(VerzuimkluisUser):
    """Werknemer: the portal — dashboard, own verzuim page, own re-integration page."""

    weight = 3
    role = "employee"

    @task(2)
    def dashboard(self):
        self.get_page("/", "dashboard /", "<h1")

    @task(3)
    def mijn_verzuim(self):
        text = self.get_page("/verzuim/mijn/", "mijn verzuim", "<h1")
        if text is not None:
            rows = {}
            if "Advies van de bedrijfsarts aan uw werkgever" in text:
                rows[("medisch.advies", "read")] = 1
            _expect("mijn verzuim", rows)

    @task(2)
    def mijn_reintegratie(self):
        text = self.get_page("/reintegratie/mijn/", "mijn re-integratie", "<h1")
        if text is not None:
            _expect("mijn re-integratie", {("reintegratie.mijn", "read"): 1})


@events.request.add_listener
def _on_request(request_type, name, response_time, exception=None, start_time=None, **_kwargs):
    start = start_time if start_time is not None else time.time() - response_time / 1000
    timeline.append(
        (round(start, 3), request_type, name, round(response_time), exception is not None)
    )


def _write_tally(**_kwargs):
    if not TALLY_PATH:
        return
    Path(TALLY_PATH).write_text(
        json.dumps(
            {
                "accesses": dict(accesses),
                "expected_rows": [
                    {"object_type": t, "action": a, "rows": n}
                    for (t, a), n in sorted(expected_rows.items())
                ],
                "logins": dict(logins),
                "unaudited": dict(unaudited),
                "first_login_done_at": min(login_done_at, default=None),
                "last_login_done_at": max(login_done_at, default=None),
            },
            indent=1,
        )
    )

    if TIMELINE_PATH:
        with open(TIMELINE_PATH, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["start", "method", "name", "response_ms", "failed"])
            writer.writerows(timeline)


events.test_stop.add_listener(_write_tally)
events.quitting.add_listener(_write_tally)
