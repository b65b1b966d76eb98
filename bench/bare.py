"""Bench-only URLconf (bench/measure_server.py, issue 8): the project's own URLs plus one bare
view, `/bench/bare/`, the baseline the case page's throughput is divided by. It runs the same
middleware stack on the same gunicorn and database as every page, then does one trivial query
(`SELECT 1`) and answers a few bytes: what a request costs before any page logic.

Only `bench/bare_settings.py` points ROOT_URLCONF here; `config.urls` never has this route.
"""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from config import urls as project_urls

handler404 = project_urls.handler404


@login_not_required  # deliberately public: a fixed body, no data, bench-only URLconf
def bare(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse(b"ok\n", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    *project_urls.urlpatterns,
]
