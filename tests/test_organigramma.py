"""The import of the organigramma (peg.anagrafica.organigramma): the template filled in,
CSV, upsert, all-or-nothing, dry run, malformed files, queries, the command."""

import csv
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import base, call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from peg.anagrafica.organigramma import importa, modello
from peg.anagrafica.organigramma.colonne import COLONNE, PERSONE
from peg.management.commands.importa_organigramma import Command
from peg.models import Persona, Ruolo, Servizio, Settore

from .factories import ComuneFactory, PersonaFactory, ServizioFactory, SettoreFactory
from .lavoratore import esegui_db_worker
from .utenti import utente

pytestmark = pytest.mark.django_db

User = get_user_model()
T = Ruolo.Tipo

SETTORI = [
    ("I", "Affari generali", "Settore", "Segreteria, protocollo", "Protocollo; Messi; Contratti"),
    ("II", "Servizi alla persona", "Area", "", "Servizio sociale;Tutela minori"),
    ("III", "Lavori pubblici", "", "Opere pubbliche", ""),
]
# Matricola, Nome e cognome, E-mail, Area, Profilo, Categoria, Settore, Responsabile, Ruoli
PERSONE_FILE = [
    ("0001", "Maria Rossi", "maria.rossi@example.org", "Funzionari ed Elevata qualificazione",
     "Funzionario amministrativo", "D3", "I", "sì", "responsabile; segreteria"),
    ("0002", "Luca Bianchi", "luca.bianchi@example.org", "funzionari", "Assistente sociale",
     "D1", "II", "SI", "Responsabile di settore"),
    ("0003", "Anna Verdi", "anna.verdi@example.org", "Funzionari ed Elevata qualificazione",
     "Ingegnere", "D3", "III", "sì", "responsabile"),
    ("0004", "Paolo Neri", "paolo.neri@example.org", "Istruttori", "Istruttore amministrativo",
     "C1", "I", "no", "segreteria"),
    ("0005", "Giulia Gialli", "", "istruttori", "Istruttore contabile", "C2", "I", "", ""),
    ("0006", "Marco Blu", "", "Operatori esperti", "Messo notificatore", "B3", "I", "", ""),
    ("0007", "Sara Viola", "", "Istruttori", "Educatrice", "C1", "Servizi alla persona", "", ""),
    ("0008", "Franco Marrone", "", "Operatori", "Operaio", "A1", "III", "", ""),
    ("0009", "Elena Rosa", "", "Operatori esperti", "Autista", "B1", "iii", "", ""),
    ("0010", "Davide Grigi", "davide.grigi@example.org", "", "", "", "", "", "oiv"),
    ("0011", "Chiara Azzurri", "chiara.azzurri@example.org", "", "", "", "", "", "Lettore"),
    ("0012", "Roberto Verde", "", "Istruttori", "Istruttore tecnico", "C1", "III", "no", ""),
]  # fmt: skip
INVITATI = ["Maria Rossi", "Luca Bianchi", "Anna Verdi", "Paolo Neri", "Davide Grigi",
            "Chiara Azzurri"]  # fmt: skip
AREA_SBAGLIATA = (
    'Persone, riga 7, colonna «Area»: "Dirigente" non è un\'area del CCNL: Operatori, '
    "Operatori esperti, Istruttori, Funzionari ed Elevata qualificazione."
)


# -- helpers ---------------------------------------------------------------------------


def compila(settori=SETTORI, persone=PERSONE_FILE) -> bytes:
    """The template filled in as a user would, rows appended under the headers."""
    wb = load_workbook(io.BytesIO(modello()))
    for riga in settori:
        wb["Settori"].append(list(riga))
    for riga in persone:
        wb["Persone"].append(list(riga))
    uscita = io.BytesIO()
    wb.save(uscita)
    return uscita.getvalue()


def con_riga(persone, numero: int, **campi):
    """``persone`` with the row shown as ``numero`` in the sheet changed (by column key)."""
    chiavi = [c.chiave for c in COLONNE[PERSONE]]
    righe = [list(r) for r in persone]
    for chiave, valore in campi.items():
        righe[numero - 2][chiavi.index(chiave)] = valore
    return righe


def csv_persone(persone, separatore=";", bom=True) -> bytes:
    testo = io.StringIO()
    scrittore = csv.writer(testo, delimiter=separatore)
    scrittore.writerow([c.intestazione for c in COLONNE[PERSONE]])
    scrittore.writerows(persone)
    return ("\ufeff" if bom else "").encode() + testo.getvalue().encode("utf-8")


def ritocca_xml(dati: bytes, vecchio: str, nuovo: str) -> bytes:
    """The workbook with a value of its sheets' XML replaced (what openpyxl cannot write)."""
    entrata, uscita = zipfile.ZipFile(io.BytesIO(dati)), io.BytesIO()
    with zipfile.ZipFile(uscita, "w", zipfile.ZIP_DEFLATED) as nuovo_zip:
        for parte in entrata.infolist():
            contenuto = entrata.read(parte)
            if parte.filename.startswith("xl/worksheets/"):
                contenuto = contenuto.replace(vecchio.encode(), nuovo.encode())
            nuovo_zip.writestr(parte, contenuto)
    return uscita.getvalue()


def conteggi() -> dict:
    return {
        "settori": Settore.objects.count(),
        "servizi": Servizio.objects.count(),
        "persone": Persona.objects.count(),
        "utenti": User.objects.count(),
        "ruoli": Ruolo.objects.count(),
        "addetti": Settore.addetti.through.objects.count(),
        "responsabili": Settore.responsabili.through.objects.count(),
    }


def fotografia(comune) -> dict:
    """Every value the import may write, to tell that a second run changed nothing."""
    return {
        "settori": list(Settore.objects.filter(comune=comune).order_by("pk").values()),
        "servizi": list(Servizio.objects.filter(settore__comune=comune).order_by("pk").values()),
        "persone": list(Persona.objects.filter(comune=comune).order_by("pk").values()),
        "addetti": sorted(
            Settore.addetti.through.objects.values_list("pk", "settore_id", "persona_id")
        ),
        "responsabili": sorted(
            Settore.responsabili.through.objects.values_list("pk", "settore_id", "persona_id")
        ),
        "ruoli": sorted(Ruolo.objects.values_list("pk", "utente_id", "tipo", "settori")),
        "utenti": list(User.objects.order_by("pk").values_list("pk", "username", "email")),
    }


def persona(comune, matricola) -> Persona:
    return Persona.objects.get(comune=comune, matricola=matricola)


def settore(comune, codice) -> Settore:
    return Settore.objects.get(comune=comune, codice=codice)


def matricole(queryset) -> set[str]:
    return set(queryset.values_list("matricola", flat=True))


def tipi(p: Persona) -> set[str]:
    return set(
        Ruolo.objects.filter(utente=p.utente, comune=p.comune).values_list("tipo", flat=True)
    )


def settori_del_responsabile(p: Persona) -> set[str]:
    ruolo = Ruolo.objects.get(utente=p.utente, comune=p.comune, tipo=T.RESPONSABILE)
    return set(ruolo.settori.values_list("codice", flat=True))


@pytest.fixture
def comune():
    return ComuneFactory(nome="Borgo Organigramma", slug="borgo-organigramma")


# -- the template ----------------------------------------------------------------------


def test_the_template_has_both_sheets_the_headers_lists_and_instructions():
    wb = load_workbook(io.BytesIO(modello()))
    assert wb.sheetnames == ["Settori", "Persone", "Istruzioni"]
    assert [c.value for c in wb["Settori"][1]] == [
        "Codice", "Denominazione", "Tipo", "Materie", "Servizi",
    ]  # fmt: skip
    assert [c.value for c in wb["Persone"][1]] == [
        "Matricola", "Nome e cognome", "E-mail", "Area", "Profilo", "Categoria", "Settore",
        "Responsabile del settore", "Ruoli",
    ]  # fmt: skip
    elenchi = {
        (foglio, str(dv.sqref).split(":")[0]): dv.formula1
        for foglio in ("Settori", "Persone")
        for dv in wb[foglio].data_validations.dataValidation
        if dv.type == "list"
    }
    assert elenchi == {
        ("Settori", "C2"): '"Settore,Area,Centro di responsabilità,Servizio / unità organizzativa"',
        ("Persone", "D2"): '"Operatori,Operatori esperti,Istruttori,'
        'Funzionari ed Elevata qualificazione"',
        ("Persone", "H2"): '"sì,no"',
    }
    istruzioni = " ".join(c.value or "" for c in wb["Istruzioni"]["A"])
    assert "non sono nel file restano come sono" in istruzioni


def test_the_empty_template_imports_nothing_and_no_error(comune):
    esito = importa(comune, modello(), "organigramma.xlsx", solo_verifica=False)
    assert esito.ok and esito.salvato
    assert esito.settori_creati == esito.persone_create == []
    assert Settore.objects.count() == Persona.objects.count() == 0


# -- the filled template ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_filled_template_imports_everything_and_queues_the_invitations(comune, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    segreteria = utente(comune, T.SEGRETERIA, first_name="Sara", last_name="Segreteria")

    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=False, da=segreteria)

    assert esito.ok and esito.salvato
    assert esito.settori_creati == [
        "I - Affari generali", "II - Servizi alla persona", "III - Lavori pubblici",
    ]  # fmt: skip
    assert esito.persone_create[0] == "0001 - Maria Rossi" and len(esito.persone_create) == 12
    assert esito.settori_aggiornati == esito.persone_aggiornate == []
    assert esito.invitati == INVITATI
    # Settori: tipo (empty: Settore), materie, servizi in order.
    i, ii, iii = settore(comune, "I"), settore(comune, "II"), settore(comune, "III")
    assert (i.tipo, ii.tipo, iii.tipo) == ("settore", "area", "settore")
    assert (i.descrizione, ii.descrizione) == ("Segreteria, protocollo", "")
    assert list(i.servizi.values_list("nome", "ordine")) == [
        ("Protocollo", 1), ("Messi", 2), ("Contratti", 3),
    ]  # fmt: skip
    assert list(ii.servizi.values_list("nome", flat=True)) == ["Servizio sociale", "Tutela minori"]
    assert not iii.servizi.exists()
    # Who works where (by codice, by denominazione, any case), who directs.
    assert matricole(i.addetti) == {"0001", "0004", "0005", "0006"}
    assert matricole(ii.addetti) == {"0002", "0007"}
    assert matricole(iii.addetti) == {"0003", "0008", "0009", "0012"}
    assert [matricole(s.responsabili) for s in (i, ii, iii)] == [{"0001"}, {"0002"}, {"0003"}]
    assert [s.responsabili_testo for s in (i, ii, iii)] == [
        "Maria Rossi",
        "Luca Bianchi",
        "Anna Verdi",
    ]
    # The persona's fields: matricola as text (its zeros), area as its code.
    rossi = persona(comune, "0001")
    assert (rossi.nome, rossi.email, rossi.area, rossi.profilo, rossi.categoria) == (
        "Maria Rossi", "maria.rossi@example.org", "funzionari", "Funzionario amministrativo", "D3",
    )  # fmt: skip
    assert persona(comune, "0006").area == "operatori_esperti"
    # Ruoli, users (no password until the invitation is used), the responsabili's settori.
    assert tipi(rossi) == {T.RESPONSABILE, T.SEGRETERIA}
    assert settori_del_responsabile(rossi) == {"I"}
    assert settori_del_responsabile(persona(comune, "0002")) == {"II"}
    assert tipi(persona(comune, "0010")) == {T.OIV}
    assert tipi(persona(comune, "0011")) == {T.LETTORE}
    assert persona(comune, "0005").utente is None
    assert not rossi.utente.has_usable_password() and rossi.utente.email == rossi.email

    # The invitations are queued with the import, sent by the worker.
    assert mail.outbox == []
    esegui_db_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"{n.lower().replace(' ', '.')}@example.org" for n in INVITATI
    )
    (a_rossi,) = [m for m in mail.outbox if m.to == ["maria.rossi@example.org"]]
    assert "Borgo Organigramma" in a_rossi.subject
    assert (
        rossi.utente.username in a_rossi.body and "Sara Segreteria ti ha invitato" in a_rossi.body
    )


def test_a_file_with_one_bad_row_writes_nothing_then_the_fixed_file_imports(comune):
    prima = conteggi()
    sbagliato = compila(persone=con_riga(PERSONE_FILE, 7, area="Dirigente"))

    esito = importa(comune, sbagliato, "organigramma.xlsx", solo_verifica=False)

    assert [str(e) for e in esito.errori] == [AREA_SBAGLIATA]
    assert not esito.salvato and esito.settori_creati == esito.invitati == []
    assert conteggi() == prima and mail.outbox == []

    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)
    assert esito.ok and esito.salvato
    assert conteggi() == {
        **prima, "settori": 3, "servizi": 5, "persone": 12, "utenti": prima["utenti"] + 6,
        "ruoli": prima["ruoli"] + 7, "addetti": 10, "responsabili": 3,
    }  # fmt: skip
    assert len(mail.outbox) == 6


def test_every_error_of_the_file_is_listed_with_sheet_row_and_column(comune):
    settori = [*SETTORI, ("I", "Doppione", "", "", ""), ("IV", "Polizia locale", "Ufficio", "", "")]
    persone = [
        *PERSONE_FILE,
        ("0001", "Altra Rossi", "", "", "", "", "I", "", ""),
        ("0013", "Senza Posta", "", "", "", "", "I", "", "segreteria"),
        ("0014", "Posta Sbagliata", "non-un-indirizzo", "", "", "", "", "", ""),
        ("0015", "Capo Senza Settore", "", "", "", "", "", "sì", ""),
        ("0016", "Settore Ignoto", "", "", "", "", "XII", "", ""),
        ("0017", "Vecchia Categoria", "", "D3", "", "", "", "", ""),
        ("0018", "Ruolo Ignoto", "r@example.org", "", "", "", "", "forse", "capo; oiv"),
        ("0019", "N" * 121, "", "", "", "", "", "", ""),
        ("", "Senza Matricola", "", "", "", "", "", "", ""),
    ]
    esito = importa(comune, compila(settori, persone), "organigramma.xlsx", solo_verifica=True)
    assert [str(e) for e in esito.errori] == [
        'Settori, riga 5, colonna «Codice»: "I" è già alla riga 2 del foglio.',
        'Settori, riga 6, colonna «Tipo»: "Ufficio" non è un tipo di settore: Settore, Area, '
        "Centro di responsabilità, Servizio / unità organizzativa.",
        'Persone, riga 14, colonna «Matricola»: "0001" è già alla riga 2 del foglio.',
        "Persone, riga 15, colonna «E-mail»: per dare un ruolo serve l'e-mail: l'invito ad "
        "accedere arriva lì.",
        'Persone, riga 16, colonna «E-mail»: "non-un-indirizzo" non è un indirizzo e-mail valido.',
        "Persone, riga 17, colonna «Responsabile del settore»: è responsabile, ma la colonna "
        "«Settore» è vuota.",
        'Persone, riga 18, colonna «Settore»: "XII" non è nel foglio Settori né tra i settori '
        "del comune.",
        'Persone, riga 19, colonna «Area»: "D3" non è un\'area del CCNL: Operatori, Operatori '
        "esperti, Istruttori, Funzionari ed Elevata qualificazione. La categoria "
        "dell'ordinamento precedente va nella colonna «Categoria».",
        'Persone, riga 20, colonna «Responsabile del settore»: "forse" non è «sì» o «no».',
        'Persone, riga 20, colonna «Ruoli»: "capo" non è un ruolo: segreteria, responsabile, '
        "oiv, lettore, sindaco, personale, dipendente.",
        f'Persone, riga 21, colonna «Nome e cognome»: "{"N" * 57}…" è troppo lungo: al massimo '
        "120 caratteri (ne ha 121).",
        "Persone, riga 22, colonna «Matricola»: manca il valore (obbligatorio).",
    ]
    assert conteggi()["settori"] == 0


def test_unknown_duplicate_and_missing_columns_are_named(comune):
    wb = Workbook()
    wb.active.title = "Settori"
    wb["Settori"].append(["denominazione", "CODICE", "Telefono"])
    persone = wb.create_sheet("Persone")
    persone.append(["Nome e cognome", "E-mail", "email"])
    uscita = io.BytesIO()
    wb.save(uscita)
    esito = importa(comune, uscita.getvalue(), "org.xlsx", solo_verifica=True)
    assert [str(e) for e in esito.errori] == [
        "Settori, riga 1, colonna «Telefono»: non è una colonna del foglio (sono: Codice, "
        "Denominazione, Tipo, Materie, Servizi).",
        "Persone, riga 1, colonna «E-mail»: la colonna compare due volte.",
        "Persone, riga 1: manca la colonna obbligatoria «Matricola».",
    ]


# -- CSV -------------------------------------------------------------------------------


@pytest.mark.parametrize(("separatore", "bom"), [(";", True), (";", False), (",", True)])
def test_the_persone_sheet_as_csv_uses_the_settori_of_the_comune(comune, separatore, bom):
    importa(comune, compila(persone=[]), "settori.xlsx", solo_verifica=False)
    dati = csv_persone(PERSONE_FILE, separatore, bom)

    esito = importa(comune, dati, "persone.csv", solo_verifica=False)

    assert esito.ok and len(esito.persone_create) == 12 and esito.invitati == INVITATI
    assert matricole(settore(comune, "III").addetti) == {"0003", "0008", "0009", "0012"}
    assert persona(comune, "0001").nome == "Maria Rossi"  # no BOM left in the first header
    assert persona(comune, "0007").area == "istruttori"


def test_a_csv_without_some_columns_leaves_their_data_as_it_is(comune):
    importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)
    prima = fotografia(comune)
    dati = "Nome e cognome,MATRICOLA,settore\nMaria Rossi,0001,I\nLuca Bianchi,0002,II\n"

    esito = importa(comune, dati.encode(), "persone.csv", solo_verifica=False)

    assert esito.ok and esito.persone_aggiornate == esito.settori_aggiornati == []
    assert fotografia(comune) == prima
    assert matricole(settore(comune, "I").responsabili) == {"0001"}


def test_a_csv_naming_a_settore_the_comune_does_not_have_is_refused(comune):
    dati = csv_persone([("0001", "Maria Rossi", "", "", "", "", "IX", "", "")])
    esito = importa(comune, dati, "persone.csv", solo_verifica=False)
    assert [str(e) for e in esito.errori] == [
        'Persone, riga 2, colonna «Settore»: "IX" non è tra i settori del comune.'
    ]
    assert not Persona.objects.exists()


def test_a_csv_not_in_utf8_is_refused_in_italian(comune):
    dati = "Matricola;Nome e cognome\n1;Niccolò Rossi\n".encode("cp1252")
    esito = importa(comune, dati, "persone.csv", solo_verifica=False)
    assert [str(e) for e in esito.errori] == [
        "Il file CSV non è in UTF-8: salvalo come «CSV UTF-8 (delimitato da virgole)» in "
        "Excel, o con la codifica UTF-8 in LibreOffice."
    ]


# -- upsert, idempotence, dry run ------------------------------------------------------


def test_a_second_import_of_the_same_file_changes_nothing(comune):
    assert importa(comune, compila(), "organigramma.xlsx", solo_verifica=False).ok
    prima, inviti = fotografia(comune), len(mail.outbox)

    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)

    assert esito.ok and esito.salvato
    assert esito.settori_creati == esito.settori_aggiornati == []
    assert esito.persone_create == esito.persone_aggiornate == esito.invitati == []
    assert fotografia(comune) == prima
    assert len(mail.outbox) == inviti == 6


def test_the_dry_run_says_what_would_change_and_writes_nothing(comune):
    prima = conteggi()
    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=True)
    assert esito.ok and not esito.salvato
    assert len(esito.settori_creati) == 3 and len(esito.persone_create) == 12
    assert esito.invitati == INVITATI
    assert conteggi() == prima and mail.outbox == []


def test_rows_update_the_comunes_records_and_leave_the_others_alone(comune):
    """Settore by codice, else denominazione; persona by matricola, else (recorded
    without one) by name. What is not in the file, and empty cells, stay as they are."""
    vecchio = SettoreFactory(
        comune=comune, codice="", nome="Lavori pubblici", descrizione="Vecchie"
    )
    ServizioFactory(settore=vecchio, nome="Strade", ordine=1)
    fuori = SettoreFactory(comune=comune, codice="X", nome="Fuori dal file")
    estraneo = PersonaFactory(comune=comune, matricola="9999", nome="Non Nel File")
    fuori.addetti.add(estraneo)
    fuori.responsabili.add(estraneo)
    neri = PersonaFactory(comune=comune, matricola="0004", nome="P. Neri", categoria="C")
    gialli = PersonaFactory(comune=comune, matricola="", nome="Giulia Gialli", email="g@x.it")
    fuori.addetti.add(gialli)
    altro = ComuneFactory()
    PersonaFactory(comune=altro, matricola="0001", nome="Omonima di un altro comune")

    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)

    assert esito.ok
    assert esito.settori_creati == ["I - Affari generali", "II - Servizi alla persona"]
    assert esito.settori_aggiornati == ["III - Lavori pubblici"]
    assert esito.persone_aggiornate == ["0004 - Paolo Neri", "0005 - Giulia Gialli"]
    vecchio.refresh_from_db()
    assert (vecchio.codice, vecchio.descrizione) == ("III", "Opere pubbliche")
    assert list(vecchio.servizi.values_list("nome", flat=True)) == ["Strade"]  # cell empty
    neri.refresh_from_db()
    assert (neri.nome, neri.categoria, neri.email) == ("Paolo Neri", "C1", "paolo.neri@example.org")
    gialli.refresh_from_db()
    assert (gialli.matricola, gialli.email) == ("0005", "g@x.it")  # e-mail cell empty
    assert set(gialli.settori_addetto.all()) == {settore(comune, "I")}  # moved
    fuori.refresh_from_db()
    assert fuori.nome == "Fuori dal file" and set(fuori.responsabili.all()) == {estraneo}
    assert set(fuori.addetti.all()) == {estraneo}
    assert Persona.objects.filter(comune=comune).count() == 13
    assert Persona.objects.get(comune=altro).nome == "Omonima di un altro comune"


def test_the_file_replaces_the_servizi_and_the_generated_responsabili_only(comune):
    importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)
    i = settore(comune, "I")
    i.responsabili_testo = "Dott.ssa Maria Rossi"  # written by hand: it stays
    i.save()
    settori = [
        ("I", "Affari generali", "", "", "Messi; Protocollo"),
        ("II", "Servizi alla persona", "", "", ""),
        ("III", "Lavori pubblici", "", "", ""),
    ]
    # Verdi leaves III (empty: no) and Verde directs it; Rossi also directs II and
    # Bianchi, still in II, no longer does.
    persone = con_riga(PERSONE_FILE, 4, responsabile="")
    persone = con_riga(persone, 13, responsabile="sì")
    persone = con_riga(persone, 2, settore="II")
    persone = con_riga(persone, 3, responsabile="no")

    esito = importa(comune, compila(settori, persone), "org.xlsx", solo_verifica=False)

    assert esito.ok
    i.refresh_from_db()
    assert list(i.servizi.values_list("nome", flat=True)) == ["Messi", "Protocollo"]
    assert i.responsabili_testo == "Dott.ssa Maria Rossi"
    ii, iii = settore(comune, "II"), settore(comune, "III")
    assert matricole(iii.responsabili) == {"0012"} and iii.responsabili_testo == "Roberto Verde"
    assert matricole(ii.responsabili) == {"0001"} and ii.responsabili_testo == "Maria Rossi"
    assert matricole(i.responsabili) == {"0001"}  # the settore she left keeps her
    # The responsabili's ruoli follow the settori they direct.
    assert settori_del_responsabile(persona(comune, "0001")) == {"I", "II"}
    assert settori_del_responsabile(persona(comune, "0002")) == set()
    assert settori_del_responsabile(persona(comune, "0003")) == set()
    assert esito.settori_aggiornati == ["I - Affari generali", "II - Servizi alla persona",
                                        "III - Lavori pubblici"]  # fmt: skip


def test_ruoli_given_become_exactly_the_ruoli_and_an_existing_user_needs_no_email(comune):
    gia = utente(comune, T.LETTORE, username="gia.dentro", email="")
    esistente = PersonaFactory(comune=comune, matricola="0100", nome="Già Dentro", utente=gia)
    importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)
    persone = [
        ("0100", "Già Dentro", "", "", "", "", "", "", "oiv; segreteria"),
        ("0004", "Paolo Neri", "", "", "", "", "", "", "lettore"),
    ]
    dati = csv_persone(persone)

    esito = importa(comune, dati, "persone.csv", solo_verifica=False)

    assert esito.ok and esito.invitati == []
    assert esito.persone_aggiornate == ["0100 - Già Dentro", "0004 - Paolo Neri"]
    esistente.refresh_from_db()
    assert esistente.utente == gia and tipi(esistente) == {T.OIV, T.SEGRETERIA}
    assert tipi(persona(comune, "0004")) == {T.LETTORE}


def test_settori_may_swap_their_names_in_one_file(comune):
    SettoreFactory(comune=comune, codice="A", nome="Alfa")
    SettoreFactory(comune=comune, codice="B", nome="Beta")
    settori = [("A", "Beta", "", "", ""), ("B", "Alfa", "", "", "")]
    esito = importa(comune, compila(settori, []), "org.xlsx", solo_verifica=False)
    assert esito.ok and esito.settori_aggiornati == ["A - Beta", "B - Alfa"]
    assert (settore(comune, "A").nome, settore(comune, "B").nome) == ("Beta", "Alfa")


def test_a_denominazione_of_another_settore_of_the_comune_is_refused(comune):
    SettoreFactory(comune=comune, codice="Z", nome="Affari generali")
    esito = importa(comune, compila([("I", "affari  generali", "", "", "")], []), "o.xlsx",
                    solo_verifica=False)  # fmt: skip
    assert [str(e) for e in esito.errori] == [
        'Settori, riga 2, colonna «Denominazione»: "affari generali" è già la denominazione '
        "del settore «Z - Affari generali» del comune, che non è nel file."
    ]


def test_without_invitations_the_users_are_created_and_nobody_is_written_to(comune):
    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=False, invita=False)
    assert esito.ok and esito.invitati == []
    assert persona(comune, "0001").utente is not None and mail.outbox == []


# -- queries ---------------------------------------------------------------------------


def _file_grande(settori: int, persone: int) -> bytes:
    righe_settori = [(f"S{n}", f"Settore {n}", "", "", "A; B") for n in range(settori)]
    righe_persone = [
        (f"{n:04}", f"Persona {n}", f"p{n}@example.org", "Istruttori", "", "",
         f"S{n % settori}", "sì" if n < settori else "", "responsabile" if n < settori else "")
        for n in range(persone)
    ]  # fmt: skip
    return compila(righe_settori, righe_persone)


def test_the_dry_run_reads_the_same_number_of_queries_whatever_the_files_size(comune):
    # An organigramma already there, so that the check has records to compare with.
    importa(comune, _file_grande(5, 20), "org.xlsx", solo_verifica=False, invita=False)
    quante = {}
    for settori, persone in ((3, 12), (40, 400)):
        dati = _file_grande(settori, persone)
        with CaptureQueriesContext(connection) as query:
            esito = importa(comune, dati, "org.xlsx", solo_verifica=True)
        assert esito.ok and len(esito.persone_create) == max(persone - 20, 0)
        quante[persone] = len(query)
    # Settori, servizi, persone, addetti, responsabili, the users' ruoli; and, as these
    # files name no segreteria, whether the comune keeps one outside the file.
    assert quante[12] == quante[400] <= 7


# -- malformed files -------------------------------------------------------------------


def _cartella(*fogli: str) -> bytes:
    wb = Workbook()
    wb.active.title = fogli[0]
    for nome in fogli[1:]:
        wb.create_sheet(nome)
    uscita = io.BytesIO()
    wb.save(uscita)
    return uscita.getvalue()


def _zip_qualsiasi() -> bytes:
    uscita = io.BytesIO()
    with zipfile.ZipFile(uscita, "w") as z:
        z.writestr("leggimi.txt", "non un foglio di calcolo")
    return uscita.getvalue()


MALFORMATI = {
    "vuoto": ("o.xlsx", lambda: b"", "Il file è vuoto."),
    "solo spazi in csv": ("o.csv", lambda: b"  \n ", "Il file è vuoto."),
    "non un zip": ("o.xlsx", lambda: b"Matricola;Nome\n1;Rossi\n", "non è un file Excel (.xlsx)"),
    "troncato": ("o.xlsx", lambda: compila()[:3000], "danneggiato o incompleto"),
    "zip che non è Excel": ("o.xlsx", _zip_qualsiasi, "non è un file Excel (.xlsx) leggibile"),
    "vecchio xls": ("o.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, ".xls"),
    "pdf": ("o.pdf", lambda: b"%PDF-1.4 ...", "non è né un .xlsx né un .csv"),
    "senza i fogli": ("o.xlsx", lambda: _cartella("Foglio1"), "Manca il foglio «Settori»"),
    "foglio vuoto": ("o.xlsx", lambda: _cartella("Settori", "Persone"), "il foglio è vuoto"),
    "#REF!": (
        "o.xlsx",
        lambda: compila(persone=con_riga(PERSONE_FILE, 5, nome="#REF!")),
        "Persone, riga 5, colonna «Nome e cognome»: la cella contiene un errore di Excel (#REF!)",
    ),
    "formula senza valore": (
        "o.xlsx",
        lambda: compila(persone=con_riga(PERSONE_FILE, 3, nome="=A1&B1")),
        "Persone, riga 3, colonna «Nome e cognome»: manca il valore (obbligatorio).",
    ),
    "numero enorme in matricola": (
        "o.xlsx",
        lambda: compila(persone=con_riga(PERSONE_FILE, 4, matricola=10**20)),
        "Persone, riga 4, colonna «Matricola»: il numero ha più di 15 cifre",
    ),
    "numero di 5000 cifre": (
        "o.xlsx",
        lambda: ritocca_xml(
            compila(persone=con_riga(PERSONE_FILE, 4, profilo=987654321)), "987654321", "9" * 5000
        ),
        "Persone: il foglio non si legge dopo la riga 3",
    ),
    "numero infinito": (
        "o.xlsx",
        lambda: ritocca_xml(
            compila(settori=[(123456789, "Uno", "", "", "")], persone=[]), "123456789", "1e400"
        ),  # fmt: skip
        "Settori, riga 2, colonna «Codice»: il numero non è un valore valido",
    ),
    "testo troppo lungo": (
        "o.xlsx",
        lambda: compila(settori=[("I" * 21, "Uno", "", "", "")], persone=[]),
        'Settori, riga 2, colonna «Codice»: "IIIIIIIIIIIIIIIIIIIII" è troppo lungo: al '
        "massimo 20 caratteri (ne ha 21).",
    ),
    "csv con un nul": (
        "o.csv",
        lambda: b"Matricola;Nome e cognome\n1;Ro\0ssi\n",
        "Persone, riga 2, colonna «Nome e cognome»: il testo contiene caratteri di controllo",
    ),
}


@pytest.mark.parametrize("caso", MALFORMATI)
def test_malformed_files_give_errors_in_italian_not_exceptions(comune, caso):
    nome, dati, atteso = MALFORMATI[caso]
    esito = importa(comune, dati(), nome, solo_verifica=False)
    assert not esito.ok and not esito.salvato
    assert atteso in "\n".join(str(e) for e in esito.errori)
    assert conteggi()["settori"] == conteggi()["persone"] == 0


def test_a_file_beyond_the_size_limit_is_refused_before_reading(comune, settings):
    settings.EXCEL_IMPORT_MAX_MB = 0
    esito = importa(comune, compila(), "organigramma.xlsx", solo_verifica=False)
    (errore,) = esito.errori
    assert str(errore).startswith("Il file è troppo grande (0,")
    assert str(errore).endswith("MB): il limite è 0 MB.")


# -- the command -----------------------------------------------------------------------


def test_the_command_imports_and_exits_0(comune, tmp_path):
    file = tmp_path / "organigramma.xlsx"
    file.write_bytes(compila())
    out = io.StringIO()
    call_command(
        "importa_organigramma", "--comune", comune.slug, str(file), "--dry-run", stdout=out
    )
    assert out.getvalue().startswith("Verifica superata (nulla salvato)")
    assert "3 settori nuovi:\n  - I - Affari generali" in out.getvalue()
    assert not Settore.objects.exists() and mail.outbox == []

    out = io.StringIO()
    call_command("importa_organigramma", "--comune", comune.slug, str(file), stdout=out)
    testo = out.getvalue()
    assert "Organigramma di" in testo and "12 persone nuove:" in testo
    assert "6 persone invitate:\n  - Maria Rossi" in testo
    assert testo.rstrip().endswith(
        "I settori e le persone che non sono nel file restano come sono."
    )
    assert Settore.objects.filter(comune=comune).count() == 3 and len(mail.outbox) == 6


def test_the_command_without_invitations_creates_users_and_sends_nothing(comune, tmp_path):
    file = tmp_path / "persone.csv"
    file.write_bytes(csv_persone(PERSONE_FILE[9:11]))
    out = io.StringIO()
    call_command("importa_organigramma", "--comune", comune.slug, str(file), "--senza-inviti",
                 stdout=out)  # fmt: skip
    assert "0 persone invitate." in out.getvalue() and mail.outbox == []
    assert persona(comune, "0010").utente is not None


def test_the_command_exits_2_with_the_errors_of_the_file(comune, tmp_path):
    file = tmp_path / "organigramma.xlsx"
    file.write_bytes(compila(persone=con_riga(PERSONE_FILE, 7, area="Dirigente")))
    err = io.StringIO()
    with pytest.raises(SystemExit) as uscita:
        call_command("importa_organigramma", "--comune", comune.slug, str(file), stderr=err)
    assert uscita.value.code == 2
    assert err.getvalue().splitlines() == [
        "Il file contiene 1 errore: non è stato salvato nulla.",
        f"- {AREA_SBAGLIATA}",
    ]
    assert not Settore.objects.exists()


@pytest.mark.parametrize("caso", ["comune", "file"])
def test_the_command_exits_2_for_an_unknown_comune_or_a_missing_file(
    comune, tmp_path, caso, capsys, monkeypatch
):
    file = tmp_path / "organigramma.xlsx"
    if caso == "comune":
        file.write_bytes(compila())
    argomenti = ["--comune", "nessuno" if caso == "comune" else comune.slug, str(file)]
    with pytest.raises(CommandError) as errore:
        call_command("importa_organigramma", *argomenti)
    assert errore.value.returncode == 2
    atteso = "Comune «nessuno» sconosciuto." if caso == "comune" else f"Il file {file} non esiste."
    assert str(errore.value) == atteso
    # From the shell: the message on stderr and exit status 2. (run_from_argv closes the
    # connections when done, which would end the test's transaction.)
    monkeypatch.setattr(base.connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as uscita:
        Command().run_from_argv(["manage.py", "importa_organigramma", "--skip-checks", *argomenti])
    assert uscita.value.code == 2 and atteso in capsys.readouterr().err
    assert not Settore.objects.exists()


# -- ruoli of existing users, the last segreteria, the CCNL's own words ----------------


def test_the_dry_run_names_the_ruoli_it_would_change_on_existing_users(comune):
    assert importa(comune, compila(), "o.xlsx", solo_verifica=False).salvato
    prima = fotografia(comune)
    file = compila(persone=con_riga(PERSONE_FILE, 5, ruoli="oiv"))

    esito = importa(comune, file, "o.xlsx", solo_verifica=True)

    assert esito.ok and not esito.salvato
    assert esito.ruoli_cambiati == ["Paolo Neri: segreteria → oiv"]
    assert esito.persone_aggiornate == ["0004 - Paolo Neri"]
    assert fotografia(comune) == prima
    esito = importa(comune, file, "o.xlsx", solo_verifica=False)
    assert esito.ruoli_cambiati == ["Paolo Neri: segreteria → oiv"]
    assert tipi(persona(comune, "0004")) == {"oiv"}


def test_a_file_taking_the_segreteria_from_everybody_is_refused_on_those_rows(comune):
    assert importa(comune, compila(), "o.xlsx", solo_verifica=False).salvato
    prima = fotografia(comune)
    righe = con_riga(con_riga(PERSONE_FILE, 2, ruoli="responsabile"), 5, ruoli="oiv")

    esito = importa(comune, compila(persone=righe), "o.xlsx", solo_verifica=False)

    assert [(e.foglio, e.riga, e.colonna) for e in esito.errori] == [
        ("Persone", 2, "Ruoli"),
        ("Persone", 5, "Ruoli"),
    ]
    assert "toglie la segreteria all'ultima persona" in esito.errori[0].messaggio
    assert fotografia(comune) == prima


@pytest.mark.parametrize(
    "scritto", ["Funzionari ed EQ", "Area dei Funzionari e dell'Elevata Qualificazione"]
)
def test_the_area_as_the_ccnl_and_the_offices_write_it(comune, scritto):
    file = compila(persone=con_riga(PERSONE_FILE, 2, area=scritto))
    assert importa(comune, file, "o.xlsx", solo_verifica=False).ok
    assert persona(comune, "0001").area == Persona.Area.FUNZIONARI
