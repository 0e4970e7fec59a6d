"""An uploaded .xlsx as a zip, checked before any XML is parsed: the plan's import
(reporting.excel_import) and the organigramma's (peg.anagrafica.organigramma) share it.

An .xlsx is a zip of XML parts. What is something else (an old .xls, a workbook
protected by password, a CSV or a PDF renamed, an empty file), what grows past the
limit once uncompressed or compresses suspiciously well (a zip bomb: 1 MB that becomes
300 MB), and what does not decompress (a corrupt stream, a wrong checksum) is refused
here with the reason in Italian, reading only the zip's central directory and then
each part in small chunks: nothing is parsed, nothing large is held in memory.
Python reads a part only up to the size the directory declares, so the declared sizes
bound what the parser will ever see.
"""

import io
import zipfile
import zlib

from django.conf import settings

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected workbook
CIFRATO = "EncryptionInfo".encode("utf-16-le")
# A part larger than the grace size may not expand more than this many times (XML of a
# real workbook expands 5 to 30 times; Apache POI uses the same bound).
RAPPORTO_MASSIMO = 100
SOGLIA_RAPPORTO = 100 * 1024
BLOCCO = 64 * 1024
SALVA_COME = "aprilo in Excel o LibreOffice e salvalo come «Cartella di lavoro Excel (.xlsx)»."


class FileNonValido(Exception):
    """The file cannot be read; the message says why, in Italian."""


def limite_mb() -> int:
    return settings.EXCEL_IMPORT_MAX_MB


def limite_mb_decompresso() -> int:
    return settings.EXCEL_IMPORT_MAX_MB_DECOMPRESSO


def mb(byte: int) -> str:
    return f"{byte / 1024 / 1024:.1f}".replace(".", ",")


def verifica_dimensione(byte: int) -> None:
    """The limit on the file as uploaded (the page checks it before reading the file)."""
    if byte > limite_mb() * 1024 * 1024:
        raise FileNonValido(
            f"Il file è troppo grande ({mb(byte)} MB): il limite è {limite_mb()} MB."
        )


def esamina(dati: bytes) -> None:
    """Raise FileNonValido unless ``dati`` is a zip the parser may safely open."""
    verifica_dimensione(len(dati))
    if not dati.strip():
        raise FileNonValido("Il file è vuoto.")
    if dati.startswith(OLE2):
        if CIFRATO in dati:
            raise FileNonValido(
                "Il file è protetto da password: toglila (in Excel: File › Informazioni › "
                "Proteggi cartella di lavoro › Crittografa con password, lasciandola vuota) "
                "e caricalo di nuovo."
            )
        raise FileNonValido(f"Il file è nel vecchio formato Excel 97-2003 (.xls): {SALVA_COME}")
    if not zipfile.is_zipfile(io.BytesIO(dati)):
        raise FileNonValido(f"{_cosa_sembra(dati)} {SALVA_COME}")
    try:
        with zipfile.ZipFile(io.BytesIO(dati)) as archivio:
            parti = archivio.infolist()
            _dimensioni(parti)
            for parte in parti:
                _decomprimi(archivio, parte)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise FileNonValido(_danneggiato()) from exc


def _cosa_sembra(dati: bytes) -> str:
    if dati.startswith(b"%PDF"):
        return "Il file non è un file Excel (.xlsx) ma un PDF:"
    if dati.startswith(b"PK"):
        return "Il file è danneggiato o incompleto (forse il caricamento si è interrotto):"
    inizio = dati[:4096]
    if b"\0" not in inizio:
        try:
            inizio.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return (
                "Il file non è un file Excel (.xlsx) ma un testo (forse un CSV o una pagina web):"
            )
    return "Il file non è un file Excel (.xlsx):"


def _danneggiato(parte: str = "") -> str:
    dove = f" (la parte interna «{parte}» non si legge)" if parte else ""
    return f"Il file è danneggiato{dove}: {SALVA_COME}"


def _dimensioni(parti: list[zipfile.ZipInfo]) -> None:
    nomi = [p.filename for p in parti]
    if len(set(nomi)) != len(nomi):
        raise FileNonValido(_danneggiato() + " Contiene più parti con lo stesso nome.")
    if any(p.flag_bits & 0x1 for p in parti):
        raise FileNonValido(
            "Il file è protetto da password: toglila e caricalo di nuovo, "
            "o salvalo senza password come «Cartella di lavoro Excel (.xlsx)»."
        )
    totale = sum(p.file_size for p in parti)
    limite = limite_mb_decompresso()
    if totale > limite * 1024 * 1024:
        raise FileNonValido(
            f"Il contenuto del file, decompresso, è troppo grande ({mb(totale)} MB): "
            f"il limite è {limite} MB. Dividilo in più file (un piano per anno o per settore)."
        )
    for p in parti:
        if p.file_size > SOGLIA_RAPPORTO and p.file_size > RAPPORTO_MASSIMO * max(
            p.compress_size, 1
        ):
            raise FileNonValido(
                f"Il file non sembra un file Excel normale: la parte interna «{p.filename}» "
                f"passa da {mb(p.compress_size)} MB a {mb(p.file_size)} MB decompressa "
                f"(più di {RAPPORTO_MASSIMO} volte). Per sicurezza non viene letto: {SALVA_COME}"
            )


def _decomprimi(archivio: zipfile.ZipFile, parte: zipfile.ZipInfo) -> None:
    """Every byte of the part, in chunks: a corrupt stream or checksum fails here."""
    try:
        with archivio.open(parte) as flusso:
            while flusso.read(BLOCCO):
                pass
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        raise FileNonValido(_danneggiato(parte.filename)) from exc
