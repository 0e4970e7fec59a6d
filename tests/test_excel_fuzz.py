"""Malformed Excel files: none may crash the import, each refusal is Italian, nothing saved.

A seeded generator derives a few hundred files from the export of a small piano: bytes
flipped or cut, zip entries replaced (garbage, malformed or huge XML, entity tricks,
corrupt deflate streams), cells replaced with extreme numbers, strings, dates and
formulas, sheets removed or renamed, rows duplicated. Every file goes through the
service function (each in a rolled-back savepoint, so a file that happens to be valid
does not change the next one's starting point); a handful also through the upload page
and the command.
"""

import io
import random
import re
import time
import zipfile
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import Indicatore, Rilevazione
from objectives.models import (
    CambioStato,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    Variazione,
)
from peg.models import Ruolo
from reporting import excel
from reporting.excel_import import importa

from .factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    PianoFactory,
    RilevazioneFactory,
    RisorsaFinanziariaFactory,
    RisorsaStrumentaleFactory,
    SettoreFactory,
)
from .utenti import utente

pytestmark = pytest.mark.django_db
SEME = 20261201

# -- the small piano and its export ------------------------------------------------


@pytest.fixture
def piano():
    piano = PianoFactory(riproporziona_pesi=False)
    settore = SettoreFactory(comune=piano.comune, nome="Servizi demografici", codice="SD")
    for codice, stato in (("SD - 1", "bozza"), ("SD - 2", "approvato")):
        obiettivo = ObiettivoFactory(
            piano=piano, settore=settore, codice=codice, stato=stato, peso=None
        )
        i1 = IndicatoreFactory(obiettivo=obiettivo, numero=1, peso=D(60), proporzionale=True)
        IndicatoreFactory(obiettivo=obiettivo, numero=2, peso=D(40))
        RilevazioneFactory(indicatore=i1, valore=D("7.5"))
        FaseFactory(obiettivo=obiettivo, numero=1, peso=D(50))
        FaseFactory(obiettivo=obiettivo, numero=2, peso=D(50))
        RisorsaFinanziariaFactory(obiettivo=obiettivo)
        RisorsaStrumentaleFactory(obiettivo=obiettivo)
    return piano


def esporta(piano) -> bytes:
    return excel.cartella(excel.obiettivi_da_esportare(Obiettivo.objects.all(), piano))


def fotografia(piano) -> tuple:
    """Every row of the scheda tables of the piano (and the history they write)."""
    filtri = (
        (Obiettivo, "piano"),
        (Indicatore, "obiettivo__piano"),
        (Fase, "obiettivo__piano"),
        (RisorsaFinanziaria, "obiettivo__piano"),
        (RisorsaStrumentale, "obiettivo__piano"),
        (Rilevazione, "indicatore__obiettivo__piano"),
        (Variazione, "obiettivo__piano"),
        (CambioStato, "obiettivo__piano"),
    )
    return tuple(
        tuple(modello.objects.filter(**{campo: piano}).order_by("pk").values_list())
        for modello, campo in filtri
    ) + (Obiettivo.history.count(), Indicatore.history.count(), Rilevazione.history.count())


# -- the generator ---------------------------------------------------------------


def _voci(dati: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(dati)) as z:
        return [(i, z.read(i)) for i in z.infolist()]


def _ricomponi(voci, metodo=zipfile.ZIP_DEFLATED) -> bytes:
    uscita = io.BytesIO()
    with zipfile.ZipFile(uscita, "w", metodo) as z:
        for nome, contenuto in voci:
            z.writestr(nome, contenuto)
    return uscita.getvalue()


def _sostituisci(dati: bytes, nome: str, contenuto: bytes | None) -> bytes:
    """The same zip with one entry replaced (None: removed)."""
    voci = [(i.filename, c) for i, c in _voci(dati)]
    voci = [(n, contenuto if n == nome else c) for n, c in voci if n != nome or contenuto]
    if nome not in {n for n, _ in voci} and contenuto is not None:
        voci.append((nome, contenuto))
    return _ricomponi(voci)


FOGLIO_XML = "xl/worksheets/sheet2.xml"  # the Indicatori sheet of the export
FOGLIO_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _foglio_con(doctype: bytes, testo: bytes) -> bytes:
    """A worksheet whose only cell holds ``testo``, after ``doctype``."""
    return (
        b'<?xml version="1.0"?>' + doctype + b"<worksheet " + FOGLIO_NS + b"><sheetData>"
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + testo + b"</t></is></c></row>"
        b"</sheetData></worksheet>"
    )


RISATE = _foglio_con(
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>",
    b"&lol9;",
)
ESTERNA = _foglio_con(b'<!DOCTYPE w [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', b"&xxe;")


def _cella_xml(dati: bytes, rng: random.Random) -> bytes:
    """A value of a cell of the Indicatori sheet rewritten in the XML itself (what
    openpyxl would never write): NaN, 1e400, a shared string out of range..."""
    voci = dict((i.filename, c) for i, c in _voci(dati))
    xml = voci[FOGLIO_XML].decode()
    celle = list(re.finditer(r'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>(.*?)</c>)', xml))
    cella = rng.choice([c for c in celle if int(c.group(2)) > 1] or celle)
    stile = rng.choice(["", ' s="1"', ' s="999"', ' s="x"'])
    nuova = rng.choice(
        [
            '<c r="{r}"{s} t="n"><v>nan</v></c>',
            '<c r="{r}"{s} t="n"><v>inf</v></c>',
            '<c r="{r}"{s} t="n"><v>1e400</v></c>',
            '<c r="{r}"{s} t="n"><v>-1e30</v></c>',
            '<c r="{r}"{s} t="n"><v>123456789012345678901234567890123</v></c>',
            '<c r="{r}"{s} t="n"><v>abc</v></c>',
            '<c r="{r}"{s} t="s"><v>99999</v></c>',
            '<c r="{r}"{s} t="s"><v>-1</v></c>',
            '<c r="{r}"{s} t="b"><v>7</v></c>',
            '<c r="{r}"{s} t="d"><v>2019-13-45</v></c>',
            '<c r="{r}"{s} t="e"><v>#DIV/0!</v></c>',
            '<c r="{r}"{s}><f>1/0</f></c>',
            '<c r="{r}"{s}><f>SUM(A1:A2)</f><v>3</v></c>',
            '<c r="{r}"{s} t="inlineStr"><is><t>in linea</t></is></c>',
            '<c r="ZZZZZ{n}"{s}><v>1</v></c>',
            '<c r="A0"{s}><v>1</v></c>',
            '<c r="XFD1048576"{s}><v>1</v></c>',
            '<c r="{r}"{s} t="zz"><v>1</v></c>',
        ]
    )
    coordinata = cella.group(1) + cella.group(2)
    sostituto = nuova.format(r=coordinata, s=stile, n=cella.group(2))
    xml = xml[: cella.start()] + sostituto + xml[cella.end() :]
    return _sostituisci(dati, FOGLIO_XML, xml.encode())


def _deflate_rotto(dati: bytes, rng: random.Random) -> bytes:
    """A byte of one entry's compressed data changed, headers intact (zlib.error, CRC)."""
    buffer = bytearray(dati)
    with zipfile.ZipFile(io.BytesIO(dati)) as z:
        info = rng.choice([i for i in z.infolist() if i.compress_size > 20])
    inizio = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for _ in range(rng.randint(1, 4)):
        posizione = inizio + rng.randrange(info.compress_size)
        buffer[posizione] ^= rng.randrange(1, 256)
    return bytes(buffer)


def _voce(dati: bytes, rng: random.Random) -> bytes:
    nomi = [i.filename for i, _ in _voci(dati)]
    nome = rng.choice(nomi)
    contenuto = rng.choice(
        [
            None,
            b"",
            bytes(rng.randrange(256) for _ in range(rng.randint(1, 300))),
            b"<?xml version='1.0'?><worksheet><sheetData><row><c>",
            b"<non chiuso",
            RISATE,
            ESTERNA,
            b'<?xml version="1.0" encoding="UTF-16"?><a/>',
            b"\xef\xbb\xbf<?xml version='1.0'?><x>\xff\xfe</x>",
        ]
    )
    return _sostituisci(dati, nome, contenuto)


def _cartella(dati: bytes, rng: random.Random) -> bytes:
    """Through openpyxl: values, sheets, rows, merged cells."""
    wb = load_workbook(io.BytesIO(dati))
    ws = wb[rng.choice(wb.sheetnames)]
    mossa = rng.randrange(6)
    if mossa == 0 and len(wb.sheetnames) > 1:
        del wb[ws.title]
    elif mossa == 1:
        ws.title = rng.choice(["Foglio1", ws.title.lower(), ws.title + " ", "Indicatori "])
    elif mossa == 2 and ws.max_row > 1:
        riga = rng.randint(2, ws.max_row)
        ws.append([c.value for c in ws[riga]])
    elif mossa == 3:
        ws.merge_cells(start_row=1, start_column=1, end_row=rng.randint(1, 3), end_column=3)
    elif mossa == 4:
        ws.delete_rows(1)
    else:
        for _ in range(rng.randint(1, 3)):
            riga = rng.randint(1, max(ws.max_row, 2))
            colonna = rng.randint(1, ws.max_column)
            ws.cell(riga, colonna).value = rng.choice(VALORI_ESTREMI)
            if rng.random() < 0.3:
                ws.cell(riga, colonna).number_format = "DD/MM/YYYY"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


VALORI_ESTREMI = [
    -1e30,
    1e30,
    1e308,
    -1e-30,
    float("inf"),
    float("-inf"),
    2**70,
    -(2**63),
    0,
    -1,
    "1e400",
    "-1e30",
    "inf",
    "nan",
    "NaN",
    "sNaN",
    "1,2,3",
    "1.000.000.000.000.000.000.000.000.000,00",
    "€ -0,001",
    "x" * 40000,
    "è" * 300,
    "=1/0",
    "=SUM(A1:A9)",
    '=HYPERLINK("http://x","y")',
    "@SUM(1)",
    "31/02/2019",
    "00/00/0000",
    "01/01/0001",
    "99/99/9999",
    datetime(1900, 1, 1),
    datetime(9999, 12, 31, 23, 59),
    date(1, 1, 1),
    True,
    False,
    " ",
    "\t\n",
    "SD - 1",
    "2019",
    2019,
    1e15,
]


def _byte(dati: bytes, rng: random.Random) -> bytes:
    buffer = bytearray(dati)
    for _ in range(rng.randint(1, 20)):
        buffer[rng.randrange(len(buffer))] = rng.randrange(256)
    return bytes(buffer)


def _tronca(dati: bytes, rng: random.Random) -> bytes:
    return dati[: rng.randrange(len(dati))]


MUTAZIONI = {
    "byte": _byte,
    "tronca": _tronca,
    "deflate": _deflate_rotto,
    "voce": _voce,
    "cella_xml": _cella_xml,
    "cartella": _cartella,
}


def zip_bomba(mb: int) -> bytes:
    """A well-formed worksheet of ``mb`` MB that compresses to a few KB."""
    riga = b'<row><c t="inlineStr"><is><t>aaaaaaaaaaaaaaaaaaaaa</t></is></c></row>'
    righe = riga * (mb * 1024 * 1024 // len(riga) + 1)
    return b"<worksheet " + FOGLIO_NS + b"><sheetData>" + righe + b"</sheetData></worksheet>"


def fissi(base: bytes) -> list[tuple[str, bytes]]:
    """The named cases of the issue, always in the set."""
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    return [
        ("vuoto", b""),
        ("un byte", b"P"),
        ("xls rinominato", ole + "Workbook".encode("utf-16-le") + b"\0" * 1000),
        ("protetto da password", ole + "EncryptionInfo".encode("utf-16-le") + b"\0" * 1000),
        ("csv rinominato", b"CODICE;ANNO\nSD - 1;2019\n"),
        ("pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        ("zip di testo", _ricomponi([("leggimi.txt", b"ciao")])),
        ("zip vuoto", _ricomponi([])),
        ("bomba", _sostituisci(base, "xl/worksheets/sheet6.xml", zip_bomba(60))),
        ("risate", _sostituisci(base, FOGLIO_XML, RISATE)),
        ("entita esterna", _sostituisci(base, FOGLIO_XML, ESTERNA)),
        ("workbook malformato", _sostituisci(base, "xl/workbook.xml", b"<workbook><sheets>")),
        ("foglio malformato", _sostituisci(base, FOGLIO_XML, b"<worksheet><sheetData><row>")),
        ("senza content types", _sostituisci(base, "[Content_Types].xml", None)),
        (
            "content types sbagliati",
            _sostituisci(
                base,
                "[Content_Types].xml",
                b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                b'package/2006/content-types"><Default Extension="xml" '
                b'ContentType="text/plain"/></Types>',
            ),
        ),
        ("senza workbook", _sostituisci(base, "xl/workbook.xml", None)),
        ("senza foglio", _sostituisci(base, FOGLIO_XML, None)),
        ("memorizzato", _ricomponi([(i.filename, c) for i, c in _voci(base)], zipfile.ZIP_STORED)),
    ]


def malformati(base: bytes, quanti: int, seme: int = SEME) -> list[tuple[str, bytes]]:
    """``quanti`` files derived from ``base``, the same for the same seed."""
    rng = random.Random(seme)
    casi = fissi(base)
    tipi = list(MUTAZIONI)
    for n in range(quanti - len(casi)):
        tipo = tipi[n % len(tipi)]
        casi.append((f"{tipo} {n}", MUTAZIONI[tipo](base, rng)))
    return casi


# -- what every refusal must be ----------------------------------------------------

PAROLE_INGLESI = re.compile(
    r"\b(Error|error|Exception|Traceback|invalid|Invalid|not|the|file is|None|"
    r"BadZipFile|KeyError|ValueError|ParseError|zlib|must|Ensure)\b"
)


def _italiano(messaggio: str) -> bool:
    return bool(messaggio.strip()) and not PAROLE_INGLESI.search(messaggio)


def _prova(piano, prima, nome, dati, **kwargs) -> str | None:
    """What is wrong with the import of ``dati`` (None: nothing); ``prima`` is the
    database before, and after: each file is tried in a savepoint rolled back."""
    with transaction.atomic():
        try:
            esito = importa(piano, dati, **kwargs)
        except Exception as exc:  # noqa: BLE001 - the point of the test
            transaction.set_rollback(True)
            return f"{nome}: eccezione {type(exc).__name__}: {exc}"[:300]
        errori = [str(e) for e in esito.errori]
        problema = None
        if esito.ok != (not errori) or (esito.salvato and errori):
            problema = f"{nome}: esito incoerente {errori}"
        elif not esito.ok:
            if fotografia(piano) != prima:
                problema = f"{nome}: rifiutato ma il database è cambiato"
            elif not all(_italiano(e) for e in errori):
                problema = f"{nome}: messaggio non italiano {errori}"
        transaction.set_rollback(True)
    return problema


def test_file_malformati_nessuna_eccezione_nulla_salvato(piano):
    segreteria = utente(piano.comune, Ruolo.Tipo.SEGRETERIA, username="fuzz")
    base = esporta(piano)
    assert importa(piano, base, solo_verifica=True).ok
    prima = fotografia(piano)
    inizio = time.process_time()  # CPU time: the bound holds on a busy machine too
    casi = malformati(base, 240)
    problemi = []
    for n, (nome, dati) in enumerate(casi):
        kwargs = {"motivazione": "Prova", "utente": segreteria} if n % 2 else {}
        problema = _prova(piano, prima, nome, dati, **kwargs)
        if problema:
            problemi.append(problema)
    durata = time.process_time() - inizio
    assert not problemi, "\n".join(problemi)
    assert fotografia(piano) == prima
    assert durata < 60, f"{len(casi)} file in {durata:.0f} s"


# -- the named cases: the message, and where ------------------------------------------


def _cella(dati: bytes, foglio: str, riga: int, colonna: str, valore) -> bytes:
    wb = load_workbook(io.BytesIO(dati))
    ws = wb[foglio]
    ws.cell(riga, [c.value for c in ws[1]].index(colonna) + 1).value = valore
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _xml_cella(dati: bytes, coordinata: str, valore: str, tipo: str = "n") -> bytes:
    voci = {i.filename: c for i, c in _voci(dati)}
    xml = re.sub(
        rf'<c r="{coordinata}"[^>]*?(/>|>.*?</c>)'.encode(),
        f'<c r="{coordinata}" t="{tipo}"><v>{valore}</v></c>'.encode(),
        voci[FOGLIO_XML],
        count=1,
    )
    return _sostituisci(dati, FOGLIO_XML, xml)


CASI = {
    "vuoto": (lambda base: b"", "Il file è vuoto."),
    "xls": (lambda base: fissi(base)[2][1], "vecchio formato Excel 97-2003 (.xls)"),
    "password": (lambda base: fissi(base)[3][1], "Il file è protetto da password"),
    "csv": (lambda base: fissi(base)[4][1], "ma un testo (forse un CSV"),
    "pdf": (lambda base: fissi(base)[5][1], "Il file non è un file Excel (.xlsx) ma un PDF"),
    "troncato": (lambda base: base[: len(base) // 2], "Il file è danneggiato o incompleto"),
    "deflate": (
        lambda base: _deflate_rotto(base, random.Random(3)),
        "Il file è danneggiato (la parte interna «",
    ),
    "risate": (
        lambda base: _sostituisci(base, FOGLIO_XML, RISATE),
        "Il file contiene dichiarazioni XML (DOCTYPE con entità)",
    ),
    "entità esterna": (
        lambda base: _sostituisci(base, FOGLIO_XML, ESTERNA),
        "Il file contiene dichiarazioni XML (DOCTYPE con entità)",
    ),
    "xml malformato": (
        lambda base: _sostituisci(base, FOGLIO_XML, voci_di(base)[FOGLIO_XML][:-40]),
        "Indicatori: il foglio è danneggiato dopo la riga 5 (XML non valido)",
    ),
    "workbook malformato": (
        lambda base: _sostituisci(base, "xl/workbook.xml", b"<workbook><sheets>"),
        "Il file è danneggiato (XML non valido)",
    ),
    "peso -1e30": (
        lambda base: _cella(base, "Indicatori", 2, "Peso", -1e30),
        'Indicatori, riga 2, colonna «Peso»: "-1000000000000000019884624838656" è un numero '
        "troppo grande (al massimo 15 cifre prima della virgola).",
    ),
    "valore 1e400 nel testo": (
        lambda base: _cella(base, "Indicatori", 3, "Livello finale atteso (valore)", "1e400"),
        'Indicatori, riga 3, colonna «Livello finale atteso (valore)»: "1e400" è un numero '
        "troppo grande",
    ),
    "valore 1e400 nel file": (
        lambda base: _xml_cella(base, "N2", "1e400"),
        'Indicatori, riga 2, colonna «Livello finale atteso (valore)»: "inf" non è un numero.',
    ),
    "nan nel file": (
        lambda base: _xml_cella(base, "N3", "nan"),
        "Indicatori: una cella dopo la riga 2 ha un valore che un file Excel non può contenere",
    ),
    "data fuori scala": (
        lambda base: _cella(base, "Fasi", 2, "Fine prevista", 1e10),
        "Fasi, riga 2, colonna «Fine prevista»: la cella contiene un errore di Excel (#VALUE!)",
    ),
    "errore di una formula": (
        lambda base: _xml_cella(base, "D2", "#DIV/0!", tipo="e"),
        "Indicatori, riga 2, colonna «Peso»: la cella contiene un errore di Excel (#DIV/0!)",
    ),
}


def voci_di(dati: bytes) -> dict:
    return {i.filename: c for i, c in _voci(dati)}


@pytest.mark.parametrize("caso", list(CASI))
def test_caso_nominato(piano, caso):
    crea, atteso = CASI[caso]
    dati = crea(esporta(piano))
    prima = fotografia(piano)
    esito = importa(piano, dati)
    errori = [str(e) for e in esito.errori]
    if atteso:
        assert not esito.ok and any(atteso in e for e in errori), errori
    assert all(_italiano(e) for e in errori), errori
    assert fotografia(piano) == prima or esito.salvato


def test_bomba_rifiutata_prima_di_leggerla(piano):
    """1 MB that becomes more than the limit once uncompressed: refused from the zip's
    directory alone, at once, saying the limit."""
    dati = _sostituisci(esporta(piano), "xl/worksheets/sheet6.xml", zip_bomba(51))
    assert len(dati) < 1024 * 1024
    inizio = time.process_time()
    esito = importa(piano, dati)
    assert time.process_time() - inizio < 2
    (errore,) = esito.errori
    assert str(errore).startswith("Il contenuto del file, decompresso, è troppo grande (51,")
    assert "il limite è 50 MB" in str(errore)


def test_rapporto_di_compressione_sospetto(piano, settings):
    settings.EXCEL_IMPORT_MAX_MB_DECOMPRESSO = 100
    dati = _sostituisci(esporta(piano), "xl/worksheets/sheet6.xml", zip_bomba(2))
    (errore,) = importa(piano, dati).errori
    assert "la parte interna «xl/worksheets/sheet6.xml» passa da 0,0 MB a 2,0 MB" in str(errore)


def test_openpyxl_legge_con_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# -- through the page and the command ----------------------------------------------


def test_pagina_nessun_500(client, piano):
    client.force_login(utente(piano.comune, Ruolo.Tipo.SEGRETERIA, username="fuzz-web"))
    url = reverse("excel_importa", args=[piano.comune.slug, piano.pk])
    base = esporta(piano)
    casi = [(nome, crea(base)) for nome, (crea, _) in CASI.items()]
    for nome, dati in casi[:: max(1, len(casi) // 8)] + malformati(base, 30, seme=7)[-8:]:
        file = io.BytesIO(dati)
        file.name = "piano.xlsx"
        prima = fotografia(piano)
        risposta = client.post(url, {"file": file})
        assert risposta.status_code in (200, 400), nome
        testo = risposta.content.decode()
        if risposta.status_code == 400:
            assert "non è stato salvato nulla" in testo or "alert-danger" in testo, nome
            assert fotografia(piano) == prima, nome


def test_comando_esce_con_2_e_gli_errori(piano, tmp_path):
    base = esporta(piano)
    prima = fotografia(piano)
    for nome in ("nan nel file", "risate", "peso -1e30", "deflate", "vuoto", "xls"):
        crea, atteso = CASI[nome]
        file = tmp_path / "piano.xlsx"
        file.write_bytes(crea(base))
        err = io.StringIO()
        with pytest.raises(SystemExit) as uscita:
            call_command("importa_excel", "--comune", piano.comune.slug, str(file), stderr=err)
        assert uscita.value.code == 2, nome
        assert atteso.split(": ", 1)[-1][:40] in err.getvalue(), (nome, err.getvalue())
        assert fotografia(piano) == prima
