"""The worker of bench/measure_pages.py: Django set up against one database (the parent's
environment), its users logged in with Django's test Client (`force_login` plus the verified
TOTP device in the session, as tests/conftest.py's `verified_client`), answering the parent's
commands — JSON lines over a pipe — with timings and query counts of the pages.

Imported after django.setup() (`python -m bench.measure_pages --worker DB`)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import traceback
from collections import Counter
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench import common
from encryption import fields
from privacy import audit
from privacy.models import AuditEvent
from verzuim.models import Werknemer, Ziekmelding


class PageRunner:
    """One database's pages, as HR of its largest employer and as the big dossier's doctor."""

    def __init__(self, db: str):
        self.db = db
        self.manifest = common.load_manifest(db)
        User = get_user_model()  # noqa: N806

        def client_for(user_id: int) -> Client:
            user = User.objects.get(pk=user_id)
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            device = user.totpdevice_set.filter(confirmed=True).first()
            session = client.session
            session["otp_device_id"] = device.persistent_id
            session.save()
            return client

        org_id = self.manifest["largest_organisation_ids"][0]
        hr = next(h for h in self.manifest["hr"] if h["organisation_id"] == org_id)
        self.hr = client_for(hr["user_id"])
        self.hr_search = client_for(hr["user_id"])  # its own session: the term lives there
        doctor = self.manifest["big_dossier"]["doctor"]
        self.doctor = client_for(
            next(d["user_id"] for d in self.manifest["doctors"] if d["username"] == doctor)
        )
        self.org_id = org_id
        self.list_pages = self._list_pages()
        self.detail_url = self._detail_url()
        self.dossier_url = f"/medisch/dossiers/{self.manifest['big_dossier']['dossier_id']}/"
        self._plain: dict = {}

    # The pages -------------------------------------------------------------------------------

    def _list_pages(self) -> dict:
        # The same rule in both data sets (both draw from the same short name lists): the most
        # common department of the employer's employees, the most common last name among its
        # cases.
        people = Werknemer.objects.filter(organisation_id=self.org_id)
        department = Counter(people.values_list("department", flat=True)).most_common(1)[0][0]
        names = Ziekmelding.objects.filter(organisation_id=self.org_id).values_list(
            "werknemer__last_name", flat=True
        )
        term = Counter(names).most_common(1)[0][0]
        base = "/verzuim/meldingen/"
        pages = {
            "eerste pagina": {"url": base, "search": ""},
            "gefilterd (alle, termijn verlopen)": {
                "url": f"{base}?status=all&deadline=overdue",
                "search": "",
            },
            "gefilterd (alle, afdeling)": {
                "url": f"{base}?{urlencode({'status': 'all', 'department': department})}",
                "search": "",
            },
            # All cases, so that both data sets fill a page of 25 (open cases alone would
            # compare 12 rows against 3).
            "zoekopdracht (alle, achternaam)": {"url": f"{base}?status=all", "search": term},
        }
        # The search term is POSTed once and kept in the search client's session.
        response = self.hr_search.post(base, {"q": term})
        assert response.status_code == 302, response.status_code
        for page in pages.values():
            # Rows shown = the objects the request's audit entries name (one entry per page
            # view, naming every sick report on the page; privacy.audit.record_reads).
            client = self._client(page)
            before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
            self._time(client, page["url"])
            written = AuditEvent.objects.filter(id__gt=before or 0)
            page["rows"] = sum(len(ids) for ids in written.values_list("object_ids", flat=True))
        return pages

    def _detail_url(self) -> str:
        zm = (
            Ziekmelding.objects.filter(organisation_id=self.org_id, recovered_on__isnull=True)
            .order_by("-first_day", "-pk")
            .first()
        )
        return f"/verzuim/meldingen/{zm.pk}/"

    # Measuring -------------------------------------------------------------------------------

    @staticmethod
    def _time(client, url: str) -> float:
        t = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - t
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return elapsed

    @staticmethod
    def _count(client, url: str) -> dict:
        """Statements of one request on both aliases: all that CaptureQueriesContext captures,
        and the queries among them (without BEGIN/COMMIT/SAVEPOINT, the transaction control
        of the audit write and the session save)."""
        with (
            CaptureQueriesContext(connections["default"]) as default,
            CaptureQueriesContext(connections["medisch"]) as medisch,
        ):
            response = client.get(url)
        assert response.status_code == 200
        sql = [q["sql"] for q in default.captured_queries + medisch.captured_queries]
        control = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
        queries = [s for s in sql if not s.strip().upper().startswith(control)]
        return {
            "statements": len(sql),
            "queries": len(queries),
            "medisch": len(medisch.captured_queries),
        }

    def _client(self, spec: dict):
        """The search client (its session holds the term) for the search page, else HR's."""
        return self.hr_search if spec["search"] else self.hr

    def list_page(self, page: str, n: int) -> dict:
        spec = self.list_pages[page]
        client = self._client(spec)
        times = [self._time(client, spec["url"]) for _ in range(n)]
        return {"times": times, "queries": self._count(client, spec["url"])}

    def warm(self, page: str, n: int) -> dict:
        spec = self.list_pages[page]
        client = self._client(spec)
        for _ in range(n):
            self._time(client, spec["url"])
        return {}

    def _alternate(self, client, url, stub_on, stub_off, rounds, warmup) -> dict:
        for _ in range(warmup):
            stub_on()
            self._time(client, url)
            stub_off()
            self._time(client, url)
        on, off = [], []
        try:
            for i in range(rounds):
                # Alternate which variant goes first, so neither always follows the other.
                order = (True, False) if i % 2 == 0 else (False, True)
                for real in order:
                    (stub_off if real else stub_on)()
                    (on if real else off).append(self._time(client, url))
            stub_off()
            real_queries = self._count(client, url)
            stub_on()
            stubbed_queries = self._count(client, url)
        finally:
            stub_off()
        return {
            "median_on": statistics.median(on),
            "median_off": statistics.median(off),
            "queries": {"real": real_queries, "stubbed": stubbed_queries},
        }

    def detail(self, rounds: int, warmup: int) -> dict:
        real = (audit.record, audit.record_many)

        def stub():
            audit.record = lambda *a, **k: None
            audit.record_many = lambda *a, **k: []

        def unstub():
            audit.record, audit.record_many = real

        return self._alternate(self.hr, self.detail_url, stub, unstub, rounds, warmup)

    def dossier(self, rounds: int, warmup: int) -> dict:
        # Bench only: swaps the field's decrypt for a lookup of the same page's plaintexts, in
        # this measuring process, never in the application.
        real = fields.decrypt
        plain = self._plain

        def recording(token, *, aad):
            value = real(token, aad=aad)
            plain[(token, aad)] = value
            return value

        # Fill the table of plaintexts from the page's own tokens, through the real decrypt.
        fields.decrypt = recording
        try:
            self._time(self.doctor, self.dossier_url)
        finally:
            fields.decrypt = real

        def lookup(token, *, aad):
            return plain[(token, aad)]

        def stub():
            fields.decrypt = lookup

        def unstub():
            fields.decrypt = real

        return self._alternate(self.doctor, self.dossier_url, stub, unstub, rounds, warmup)

    def setup_info(self) -> dict:
        return {
            "list_pages": {
                name: {"url": p["url"], "search": bool(p["search"]), "rows": p["rows"]}
                for name, p in self.list_pages.items()
            },
            "detail": {"url": self.detail_url},
            "dossier": {
                "url": self.dossier_url,
                "extra": {"decrypted_values_per_page": len(self._plain) or None},
            },
        }


def serve(db: str) -> None:
    """Answer the parent's commands (JSON lines on stdin) until stdin closes."""
    # The pipe is the protocol: everything else (Django, logging) writes to stderr.
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "w")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    runner = None
    for line in sys.stdin:
        request = json.loads(line)
        cmd = request.pop("cmd")
        try:
            if cmd == "setup":
                runner = PageRunner(db)
                runner.dossier(rounds=1, warmup=0)  # fills the plaintext table
                answer = runner.setup_info()
            elif cmd == "list":
                answer = runner.list_page(**request)
            elif cmd == "warm":
                answer = runner.warm(**request)
            elif cmd == "detail":
                answer = runner.detail(**request)
            elif cmd == "dossier":
                answer = runner.dossier(**request)
            else:
                answer = {"error": f"unknown command {cmd!r}"}
        except Exception as exc:  # reported to the parent, which stops the run
            traceback.print_exc()
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        channel.write(json.dumps(answer) + "\n")
        channel.flush()
