"""Which files are accepted as evidence, and how they are named, sized and served.

A file is accepted when its extension is on the whitelist AND its first bytes are
those of that format (a renamed .exe is refused); the Content-Type served later
comes from the whitelist, never from the browser. An upload past the size limit is
counted, not kept (``LimiteAllegati``).
"""

import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from indicators.engine.formatting import numero

MB = 1024 * 1024
AMMESSI = "PDF, ODT, ODS, DOCX, XLSX, PNG, JPEG"
ZIP = b"PK\x03\x04"
# Zip members read to recognise the format: small files, never a zip bomb.
MAX_MEMBRO = 64 * 1024


@dataclass(frozen=True)
class Formato:
    nome: str
    content_type: str
    firma: bytes
    # ZIP-based: the member that says what the document is, and what it must contain.
    membro: str = ""
    contiene: bytes = b""


_ODF = "application/vnd.oasis.opendocument."
_OOXML = "application/vnd.openxmlformats-officedocument."
FORMATI = {
    ".pdf": Formato("PDF", "application/pdf", b"%PDF-"),
    ".odt": Formato("ODT", _ODF + "text", ZIP, "mimetype", (_ODF + "text").encode()),
    ".ods": Formato("ODS", _ODF + "spreadsheet", ZIP, "mimetype", (_ODF + "spreadsheet").encode()),
    # The main part's type, not the macro-enabled one (.docm, .xlsm are refused).
    ".docx": Formato(
        "DOCX",
        _OOXML + "wordprocessingml.document",
        ZIP,
        "[Content_Types].xml",
        b"wordprocessingml.document.main+xml",
    ),
    ".xlsx": Formato(
        "XLSX",
        _OOXML + "spreadsheetml.sheet",
        ZIP,
        "[Content_Types].xml",
        b"spreadsheetml.sheet.main+xml",
    ),
    ".png": Formato("PNG", "image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": Formato("JPEG", "image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": Formato("JPEG", "image/jpeg", b"\xff\xd8\xff"),
}


def limite_byte() -> int:
    # Read at every request: the setting may change without a restart (and in tests).
    return settings.ALLEGATI_MAX_MB * MB


def dimensione_leggibile(byte: int | None, per_eccesso: bool = False) -> str:
    """1258291 → "1,2 MB"; 2048 → "2 KB"; 300 → "300 byte"."""
    if byte is None:
        return ""
    if byte < 1024:
        return f"{byte} byte"
    if byte < MB:
        return f"{numero(Decimal(byte) / 1024, 0)} KB"
    mb = Decimal(byte) / MB
    if per_eccesso:  # "over the limit" must never read as the limit itself
        mb = mb.quantize(Decimal("0.1"), rounding=ROUND_UP)
    return f"{numero(mb, 1)} MB"


def content_type(nome_file: str) -> str:
    """The type a stored file is served with, from the whitelist only."""
    formato = FORMATI.get(Path(nome_file).suffix.lower())
    return formato.content_type if formato else "application/octet-stream"


def nome_pulito(nome: str) -> str:
    """The name as the user called the file, without folders or control characters."""
    nome = re.sub(r"[\x00-\x1f\x7f]", "", nome.replace("\\", "/").rsplit("/", 1)[-1]).strip()
    if len(nome) > 250:
        suffisso = Path(nome).suffix[:20]
        nome = nome[: 250 - len(suffisso)] + suffisso
    return nome or "allegato"


def _contenuto_conforme(file, formato: Formato) -> bool:
    file.seek(0)
    inizio = file.read(len(formato.firma))
    if inizio != formato.firma:
        return False
    if not formato.membro:
        return True
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archivio:
            info = archivio.getinfo(formato.membro)
            if info.file_size > MAX_MEMBRO:
                return False
            return formato.contiene in archivio.read(info)
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return False
    finally:
        file.seek(0)


def verifica_file(file) -> Formato:
    """The file's format, or ValidationError with an Italian message naming the file."""
    nome = nome_pulito(file.name or "")
    formato = FORMATI.get(Path(nome).suffix.lower())
    if formato is None:
        raise forms.ValidationError(
            f"«{nome}»: tipo di file non ammesso. Sono ammessi {AMMESSI}.", code="tipo"
        )
    limite = limite_byte()
    if file.size > limite:
        raise forms.ValidationError(
            f"«{nome}» supera il limite di {settings.ALLEGATI_MAX_MB} MB "
            f"(è di {dimensione_leggibile(file.size, per_eccesso=True)}).",
            code="dimensione",
        )
    if not file.size:
        raise forms.ValidationError(f"«{nome}» è vuoto.", code="vuoto")
    if not _contenuto_conforme(file, formato):
        raise forms.ValidationError(
            f"«{nome}»: il contenuto non è quello di un file {formato.nome}, "
            f"tipo di file non ammesso. Sono ammessi {AMMESSI}.",
            code="contenuto",
        )
    return formato


class LimiteAllegati(FileUploadHandler):
    """Stops keeping a file once past ALLEGATI_MAX_MB: the rest of the body is counted
    and thrown away, so a huge upload never fills the temporary directory; the form
    then refuses it with its real size."""

    def __init__(self, request=None):
        super().__init__(request)
        self.limite = limite_byte()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.oltre = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limite:
            self.oltre = True
            return None  # later handlers (memory, temporary file) do not get it
        return raw_data

    def file_complete(self, file_size):
        if not self.oltre:
            return None
        troppo_grande = SimpleUploadedFile(self.file_name, b"", self.content_type)
        troppo_grande.size = file_size
        return troppo_grande
