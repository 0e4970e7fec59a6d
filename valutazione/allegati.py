"""Evidence (allegati): which files are accepted, who may add or remove them, the form.

A file is accepted when its extension is on the whitelist AND its first bytes are
those of that format (a renamed .exe is refused); the Content-Type served later
comes from the whitelist, never from the browser. Files live in the private
storage of ``Allegato.file`` and go out only through the checked download view.
"""

import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_UP, Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import transaction
from django.utils import timezone

from objectives.models import Obiettivo
from objectives.workflow import puo_modificare
from peg.formatting import numero

from .models import Allegato

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


# Who may add and remove evidence: the rendicontazione rule of objectives.workflow.


def puo_caricare(utente, obiettivo: Obiettivo) -> bool:
    return puo_modificare(utente, obiettivo, "rendicontazione")


def verifica_caricamento(utente, obiettivo: Obiettivo) -> None:
    """PermissionDenied with the reason unless the user may add or remove allegati."""
    if puo_caricare(utente, obiettivo):
        return
    scheda = f"{obiettivo.codice} ({obiettivo.anno})"
    if obiettivo.stato == Obiettivo.Stato.VALIDATO:
        raise PermissionDenied(
            f"{scheda} è validato: gli allegati non si possono più aggiungere né eliminare."
        )
    raise PermissionDenied(
        f"Non puoi aggiungere né eliminare allegati di {scheda} nello stato "
        f"«{obiettivo.get_stato_display()}»: lo possono fare il responsabile del settore "
        "e la segreteria mentre l'obiettivo è in monitoraggio."
    )


def allegati_di(obiettivo: Obiettivo) -> list[Allegato]:
    """The obiettivo's allegati in one query, ready for ``valutazione/_allegati.html``."""
    return list(
        Allegato.objects.filter(obiettivo=obiettivo).select_related(
            "indicatore", "fase", "caricato_da"
        )
    )


def contesto(utente, obiettivo: Obiettivo, form=None) -> dict:
    """What ``valutazione/_allegati.html`` expects; one query (the list)."""
    puo = puo_caricare(utente, obiettivo)
    if form is None and puo:
        form = AllegatoForm(obiettivo)
    return {"allegati": allegati_di(obiettivo), "puo_caricare": puo, "form_allegato": form}


class AllegatoForm(forms.Form):
    tipo = forms.ChoiceField(label="Tipo di documento", choices=Allegato.Tipo.choices)
    descrizione = forms.CharField(label="Descrizione", max_length=250)
    riferimento = forms.ChoiceField(label="Riguarda")
    file = forms.FileField(
        label="File",
        allow_empty_file=True,  # refused in clean_file, with the file's name
        error_messages={"required": "Scegli il file da allegare."},
        help_text=f"{AMMESSI}.",
    )

    def __init__(self, obiettivo: Obiettivo, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.obiettivo = obiettivo
        # From the prefetched children when the page has them: no query.
        self.indicatori = {f"indicatore-{i.pk}": i for i in obiettivo.indicatori.all()}
        self.fasi = {f"fase-{f.pk}": f for f in obiettivo.fasi.all()}
        self.fields["riferimento"].choices = [
            ("obiettivo", "Obiettivo"),
            *((k, f"Indicatore {i.numero}") for k, i in self.indicatori.items()),
            *((k, f"Fase {f.numero}") for k, f in self.fasi.items()),
        ]
        self.fields["file"].help_text = f"{AMMESSI}, fino a {settings.ALLEGATI_MAX_MB} MB."
        self.fields["file"].widget.attrs["accept"] = ",".join(FORMATI)

    def clean_file(self):
        file = self.cleaned_data["file"]
        self.formato = verifica_file(file)
        return file

    def save(self, utente) -> Allegato:
        """Create the Allegato; the file is removed again if the row cannot be saved."""
        file = self.cleaned_data["file"]
        riferimento = self.cleaned_data["riferimento"]
        allegato = Allegato(
            obiettivo=self.obiettivo,
            indicatore=self.indicatori.get(riferimento),
            fase=self.fasi.get(riferimento),
            tipo=self.cleaned_data["tipo"],
            descrizione=self.cleaned_data["descrizione"],
            nome_file=nome_pulito(file.name),
            content_type=self.formato.content_type,
            dimensione=file.size,
            caricato_da=utente,
            caricato_il=timezone.now(),
        )
        allegato.file = file
        try:
            with transaction.atomic():
                _blocca_e_verifica(utente, self.obiettivo)
                allegato.save()  # writes the file first (FileField.pre_save), then the row
        except BaseException:
            if allegato.file._committed and allegato.file.name:
                allegato.file.storage.delete(allegato.file.name)
            raise
        return allegato


@transaction.atomic
def elimina(allegato: Allegato, utente) -> None:
    """Remove the row; its file goes once the deletion is committed (valutazione.signals)."""
    _blocca_e_verifica(utente, allegato.obiettivo)
    allegato.delete()


def _blocca_e_verifica(utente, obiettivo: Obiettivo) -> None:
    """Check again on the locked row: the validation (which takes the same lock) cannot
    slip in between the check and the save."""
    bloccato = Obiettivo.objects.select_for_update().select_related("piano").get(pk=obiettivo.pk)
    obiettivo.stato = bloccato.stato
    obiettivo.__dict__.pop("_ruoli_utente", None)
    verifica_caricamento(utente, obiettivo)


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
