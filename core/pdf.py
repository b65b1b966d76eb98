"""PDF from the page's own template (RI-12, DG-2): WeasyPrint renders the same Django template
the browser gets, with `pdf/base.html` as its base instead of `base.html` (no navigation, A4,
"pagina X van Y", and on every page the employee's name and full BSN, the arbodienst, the
employer, the document's version and date — see templates/pdf/base.html and static/css/pdf.css).

A page template opts in with `{% extends base_template|default:"base.html" %}`; `render_pdf`
passes `base_template="pdf/base.html"` and `pdf=True`.

Why hand-rolled and not django-weasyprint's `WeasyTemplateResponse`: that response fetches
resources with `django_url_fetcher`, which falls back to WeasyPrint's default fetcher — the
network — for every URL it cannot serve from the static files. The renderer must never fetch a
URL (issue 19, LIBRARIES.md "PDF"), so the fetcher here (`StaticOnlyFetcher`) serves only files
the static-files finders know under `/static/` and refuses everything else (http, https, data
outside static, paths that climb out). What is left is twenty lines; django-weasyprint stays a
dependency for nothing else here.

The system libraries (pango, pangoft2) and the DejaVu fonts come from Debian: `make install`
and `.ci/run` install them (`libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core`).
"""

import mimetypes
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_BASE_TEMPLATE = "pdf/base.html"
# Every resource a document names is a static file, addressed as the page addresses it.
BASE_URL = "file:///"


class FetchRefused(ValueError):
    """A URL the PDF renderer may not fetch (not a static file)."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `file:///static/<path>` (what `{% static %}` yields against BASE_URL) from the
    static-files finders; refuses every other URL and remembers it in `refused` (the test
    proves an http URL in a template is never fetched)."""

    def __init__(self):
        super().__init__(allowed_protocols=("file",))
        self.refused: list[str] = []
        self.served: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        prefix = settings.STATIC_URL
        path = unquote(parts.path)
        if parts.scheme != "file" or parts.netloc or not path.startswith(prefix):
            self.refused.append(url)
            raise FetchRefused(f"PDF: alleen statische bestanden, niet {url}")
        relative = path.removeprefix(prefix)
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            self.refused.append(url)
            raise FetchRefused(f"PDF: geen statisch bestand {relative}")
        with open(found, "rb") as handle:
            body = handle.read()
        self.served.append(relative)
        mime = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})


def html_to_pdf(html: str, *, fetcher=None) -> bytes:
    """WeasyPrint on `html`, every resource through the static-only fetcher."""
    return HTML(
        string=html, base_url=BASE_URL, url_fetcher=fetcher or StaticOnlyFetcher()
    ).write_pdf()


def render_pdf_bytes(template_name, context, request=None, *, fetcher=None) -> bytes:
    """The PDF of `template_name` rendered with `pdf/base.html` as its base."""
    html = render_to_string(
        template_name,
        {**context, "pdf": True, "base_template": PDF_BASE_TEMPLATE},
        request=request,
    )
    return html_to_pdf(html, fetcher=fetcher)


def pdf_response(template_name, context, request, *, filename) -> HttpResponse:
    """The PDF as a download, never cached (it may carry a full BSN, DG-2)."""
    response = HttpResponse(
        render_pdf_bytes(template_name, context, request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
