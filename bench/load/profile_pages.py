"""Query counts and timings per page of the load mix, on the seeded load database (no locust).

Run by `bench/load/run.py --profile` after seeding (same production-like environment and roles);
for each page of the mix it requests the page a few times with Django's test client as a seeded
user of that role and prints status, the best wall time, the number of SQL queries on each
database alias (default = vk_load_app, medisch = vk_load_medisch) and the statements repeated
most often within one request (an N+1 shows as one statement run once per row).
"""

import json
import re
import sys
import time
from collections import Counter

import django

REPEATS = 5


def main(manifest_path: str) -> None:
    django.setup()
    # After django.setup(): this file runs as a script, and the application's modules below need
    # the apps loaded, so they are imported here rather than at the top.
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    manifest = json.loads(open(manifest_path).read())

    def client_for(username):
        user = User.objects.get(email=username)
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(user)
        session = client.session
        session["otp_device_id"] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return client

    hr = client_for(manifest["hr"][0]["username"])
    doctor_account = manifest["doctor"][0]
    doctor = client_for(doctor_account["username"])
    employee = client_for(manifest["employee"][0]["username"])
    list_html = hr.get("/verzuim/meldingen/").content.decode()
    case_ids = [int(pk) for pk in re.findall(r'href="/verzuim/meldingen/(\d+)/"', list_html)]
    pages = [
        ("hr", hr, "/"),
        ("hr", hr, "/verzuim/meldingen/"),
        ("hr", hr, f"/verzuim/meldingen/{case_ids[0]}/"),
        ("hr", hr, "/verzuim/meldingen/nieuw/"),
        ("doctor", doctor, "/medisch/"),
        ("doctor", doctor, f"/medisch/dossiers/{doctor_account['dossier_ids'][0]}/"),
        ("employee", employee, "/"),
        ("employee", employee, "/verzuim/mijn/"),
        ("employee", employee, "/reintegratie/mijn/"),
    ]
    print(
        f"{'role':<9} {'page':<28} {'status':>6} {'best ms':>8} {'q default':>9} {'q medisch':>9}"
    )
    repeated = []
    for role, client, path in pages:
        best = None
        for _ in range(REPEATS):
            with (
                CaptureQueriesContext(connections["default"]) as q_default,
                CaptureQueriesContext(connections["medisch"]) as q_medisch,
            ):
                start = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - start) * 1000
            best = elapsed if best is None else min(best, elapsed)
        print(
            f"{role:<9} {path:<28} {response.status_code:>6} {best:>8.1f} "
            f"{len(q_default.captured_queries):>9} {len(q_medisch.captured_queries):>9}"
        )
        shapes = Counter(
            re.sub(r"\b\d+\b", "N", re.sub(r"'[^']*'", "?", q["sql"]))[:150]
            for q in [*q_default.captured_queries, *q_medisch.captured_queries]
        )
        for sql, n in shapes.most_common(3):
            if n > 2:
                repeated.append((path, n, sql))
    if repeated:
        print("\nstatements repeated within one request (> 2x):")
        for path, n, sql in repeated:
            print(f"  {path:<28} {n:>4}x  {sql}")


if __name__ == "__main__":
    main(sys.argv[1])
