"""HTML → PDF with WeasyPrint: one entry point for schede, books and the relazione.

No network and no files: only data: URLs are fetched (the logo is embedded), so a PDF
never waits on, or leaks to, a remote server, and no template can pull a local file in. The output depends only on
the content and the print date: no creation time, a fixed document identifier.
"""

from __future__ import annotations

import base64
import gc
import hashlib
import io
import logging
import mimetypes
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject

from indicators.engine.formatting import data_lunga
from peg.memoria import senza_raccolta

# WeasyPrint logs every step at INFO, some while it is imported: silenced first,
# they are noise in the console and in the background job's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher  # noqa: E402

# Only embedded resources: a template mistake must not turn into a request or a file read.
PROTOCOLLI_AMMESSI = ("data",)


def url_fetcher() -> URLFetcher:
    return URLFetcher(allowed_protocols=PROTOCOLLI_AMMESSI, fail_on_errors=False)


def base_url() -> str:
    """Relative URLs in the templates (static/css/...) resolve inside the project."""
    return settings.BASE_DIR.as_uri() + "/"


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


def contesto_base(comune, titolo: str, modello=None, oggi: date | None = None) -> dict:
    """What every print's page needs. ``modello``: the print model, whose page options
    (orientation, running header, print date, page numbers) and logo apply; without one
    (the relazione), the product's page: header with the comune, date and page numbers."""
    oggi = oggi or timezone.localdate()
    return {
        "comune": comune,
        "logo": (modello.logo if modello is not None and modello.logo else "")
        or logo_data_uri(comune),
        "titolo_documento": titolo,
        "data_stampa": data_lunga(oggi),
        "modello": modello,
        "pagina": {
            "formato": modello.pagina_css if modello else "A4 landscape",
            "intestazione": modello.intestazione_pagina if modello else True,
            "data": modello.data_stampa if modello else True,
            "numeri": modello.numeri_pagina if modello else True,
        },
    }


@dataclass
class Impaginato:
    """A laid-out HTML document written to PDF: its bytes, pages and where each id starts."""

    pdf: bytes
    pagine: int
    ancore: dict[str, int]  # element id → page number (from 1) where the element starts
    # Internal links to an id that is not in this document (it is in a part joined later):
    # (page from 1, id, rectangle in PDF points), for ``unisci_file`` to add once it is there.
    rimandi: list[tuple[int, str, tuple[float, float, float, float]]]


class _SenzaAncora(logging.Filter):
    """Silences WeasyPrint's error for links whose anchor is in another part."""

    def __init__(self, nomi: set[str]):
        super().__init__()
        self.nomi = nomi

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.msg == "No anchor #%s for internal URI reference"
            and record.args
            and record.args[0] in self.nomi
        )


def impagina(html: str) -> Impaginato:
    """HTML → PDF, also reporting the page count, the page of each anchor (id) and the
    links to anchors found elsewhere."""
    with senza_raccolta():
        return _impagina(html)


def _impagina(html: str) -> Impaginato:
    documento = HTML(string=html, base_url=base_url(), url_fetcher=url_fetcher()).render()
    ancore: dict[str, int] = {}
    for numero, pagina in enumerate(documento.pages, 1):
        for nome in pagina.anchors:
            ancore.setdefault(nome, numero)
    rimandi = []
    for numero, pagina in enumerate(documento.pages, 1):
        altezza = pagina.height * 0.75  # CSS px → PDF points, y from the bottom (WeasyPrint's)
        for tipo, nome, (x1, y1, x2, y2), _ in pagina.links:
            if tipo == "internal" and nome not in ancore:
                rettangolo = (x1 * 0.75, altezza - y2 * 0.75, x2 * 0.75, altezza - y1 * 0.75)
                rimandi.append((numero, nome, rettangolo))
    # Same content → same bytes: the identifier comes from the text, not from a random id.
    identificativo = hashlib.md5(html.encode(), usedforsecurity=False).hexdigest().encode()
    filtro = _SenzaAncora({nome for _, nome, _ in rimandi})
    logger = logging.getLogger("weasyprint")
    logger.addFilter(filtro)
    try:
        pdf = documento.write_pdf(pdf_identifier=identificativo)
    finally:
        logger.removeFilter(filtro)
    return Impaginato(pdf, len(documento.pages), ancore, rimandi)


def html_to_pdf(html: str) -> bytes:
    return impagina(html).pdf


def numeri_di_pagina(
    pagine: int, pagina: dict | None = None, inizio: int = 1, totale: int | None = None
) -> bytes:
    """``pagine`` blank pages carrying only the footer "pagina x di totale", x from
    ``inizio``, to stamp on a PDF assembled from separately rendered parts
    (``reporting/pdf/numeri.html``); ``pagina``: the page options of ``contesto_base``
    (format and margins); ``totale``: the whole document's pages (default ``pagine``)."""
    contesto = {
        "pagine": range(pagine),
        "pagina": pagina or {"formato": "A4 landscape"},
        "inizio": inizio,
        "totale_pagine": totale or pagine,
    }
    return html_to_pdf(render_to_string("reporting/pdf/numeri.html", contesto))


@dataclass
class Parte:
    """A part of a book laid out and written to a file (``impagina_in_file``): what the
    process that joins the parts needs to know of it, without its pages."""

    file: str
    pagine: int
    ancore: dict[str, int]
    rimandi: list[tuple[int, str, tuple[float, float, float, float]]]


def impagina_in_file(html: str, file: str) -> Parte:
    """Lays out ``html`` and writes its PDF to ``file``: a part of a book, in this process
    or in one of ``reporting.processi``. The layout's cycles are freed before returning."""
    impaginato = impagina(html)
    del html
    with open(file, "wb") as uscita:
        uscita.write(impaginato.pdf)
    gc.collect()  # a layout is a web of cycles: freed now, not at some later part
    return Parte(file, impaginato.pagine, impaginato.ancore, impaginato.rimandi)


def numera(file: str, uscita: str, inizio: int, totale: int, pagina: dict | None) -> str:
    """Stamps "pagina x di totale" on the pages of the part in ``file``, x from ``inizio``,
    and writes it to ``uscita`` with compressed page content (pypdf leaves merged content
    uncompressed: five times the size). One part at a time: the memory of one block of
    pages, wherever the book is long. Returns ``uscita``."""
    writer = PdfWriter(clone_from=file)
    numeri = PdfReader(io.BytesIO(numeri_di_pagina(len(writer.pages), pagina, inizio, totale)))
    for foglio, numero in zip(writer.pages, numeri.pages, strict=True):
        foglio.merge_page(numero)
        foglio.compress_content_streams()
    writer.write(uscita)
    return uscita


def unisci_file(file: list[str], rimandi: list, destinazione) -> None:
    """The parts' files, in order, joined into ``destinazione`` (a path or a binary file).

    The first part gives the document its metadata, identifier and outline; the others'
    outlines and anchors (named destinations) follow, and the links of the first part to
    their anchors (``rimandi``: the table of contents) are added back. The parts are read
    from their files one after the other; what stays in memory is their compressed pages.
    """
    writer = PdfWriter(clone_from=file[0])
    for altro in file[1:]:
        writer.append(altro)
    destinazioni = writer.named_destinations
    for numero, nome, rettangolo in rimandi:
        if nome in destinazioni:
            writer.add_annotation(
                numero - 1,
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject(FloatObject(round(v, 3)) for v in rettangolo),
                    NameObject("/Border"): ArrayObject([FloatObject(0)] * 3),
                    NameObject("/Dest"): TextStringObject(nome),
                },
            )
    writer.write(destinazione)


def render_pdf(template_name: str, context: dict) -> bytes:
    return html_to_pdf(render_to_string(template_name, context))
