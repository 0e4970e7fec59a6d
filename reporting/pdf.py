"""HTML → PDF with WeasyPrint: one entry point for schede, books and the relazione.

No network: only file: and data: URLs are fetched (static files are read from disk),
so a PDF never waits on, or leaks to, a remote server. The output depends only on
the content and the print date: no creation time, a fixed document identifier.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
from datetime import date

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from peg.formatting import data_lunga

# WeasyPrint logs every step at INFO, some while it is imported: silenced first,
# they are noise in the console and in the background job's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

# Only local resources: a template mistake must not turn into a network request.
PROTOCOLLI_AMMESSI = ("file", "data")


def url_fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols=PROTOCOLLI_AMMESSI, fail_on_errors=False)


def base_url() -> str:
    """Relative URLs in the templates (static/css/...) resolve inside the project."""
    return settings.BASE_DIR.as_uri() + "/"


def static_uri(percorso: str) -> str:
    trovato = finders.find(percorso)
    return f"file://{trovato}" if trovato else ""


def logo_data_uri(comune) -> str:
    """The comune's logo inlined, so the page header needs no file lookup per page."""
    logo = getattr(comune, "logo", None)
    if not logo:
        return ""
    try:
        with logo.open("rb") as f:
            dati = f.read()
    except (OSError, ValueError):
        return ""
    tipo = mimetypes.guess_type(logo.name)[0] or "image/png"
    return f"data:{tipo};base64,{base64.b64encode(dati).decode()}"


def contesto_base(comune, titolo: str, oggi: date | None = None) -> dict:
    oggi = oggi or timezone.localdate()
    return {
        "comune": comune,
        "logo": logo_data_uri(comune),
        "titolo_documento": titolo,
        "data_stampa": data_lunga(oggi),
    }


def html_to_pdf(html: str) -> bytes:
    documento = HTML(string=html, base_url=base_url(), url_fetcher=url_fetcher()).render()
    # Same content → same bytes: the identifier comes from the text, not from a random id.
    identificativo = hashlib.md5(html.encode(), usedforsecurity=False).hexdigest().encode()
    return documento.write_pdf(pdf_identifier=identificativo)


def render_document(template_name: str, context: dict):
    """The laid-out WeasyPrint document (pages), e.g. to count pages."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url(), url_fetcher=url_fetcher()).render()


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
