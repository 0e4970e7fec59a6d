"""The planning and rendicontazione forms keep every input, label, value, help text and
error message: their controls on demo schede, compared with those captured before the
forms' rendering was made compact (tests/dati/moduli_scheda.json).

Each control is described by what the user sees and posts: its tag and attributes
(classes, aria, htmx, inputmode…), its value (selects and checkboxes by their labels:
primary keys vary between databases), the text of its <label>, and the text of the
elements its aria-describedby names (help and errors). Set PEG_AGGIORNA_MODULI=1 to
write the file again after a deliberate change of the forms.
"""

import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from objectives.models import Obiettivo
from peg.models import Ruolo

from .utenti import utente

DATI = Path(__file__).parent / "dati" / "moduli_scheda.json"
S = Obiettivo.Stato
# Values that change at every request.
VOLATILI = {"csrfmiddlewaretoken", "caricato_il", "obiettivo-caricato_il"}


class _Controlli(HTMLParser):
    """The controls of one form with their labels, and the texts of elements by id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id, self.dentro = form_id, False
        self.controlli: list[dict] = []
        self.etichette: dict[str, str] = {}
        self.testi: dict[str, str] = {}
        self._aperti: list[tuple[str, str | None]] = []  # (tag, id) of open elements
        self._select = None
        self._textarea = None
        self._opzione = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.dentro = a.get("id") == self.form_id
        if not self.dentro:
            return
        if tag not in ("input", "br", "hr", "img", "meta", "link"):
            self._aperti.append(
                (tag, a.get("id") if tag != "label" else "label:" + a.get("for", ""))
            )
        if tag in ("input", "select", "textarea") and "name" in a:
            controllo = {"tag": tag, "attrs": a, "testo": ""}
            self.controlli.append(controllo)
            if tag == "select":
                self._select, controllo["opzioni"] = controllo, []
            elif tag == "textarea":
                self._textarea = controllo
        elif tag == "option" and self._select is not None:
            self._opzione = ["", "selected" in a]
            self._select["opzioni"].append(self._opzione)

    def handle_endtag(self, tag):
        if tag == "form":
            self.dentro = False
        if not self.dentro:
            return
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "option":
            self._opzione = None
        while self._aperti:
            aperto, _ = self._aperti.pop()
            if aperto == tag:
                break

    def handle_data(self, data):
        if not self.dentro:
            return
        if self._textarea is not None:
            self._textarea["testo"] += data
            return
        if self._opzione is not None:
            self._opzione[0] += data.strip()
            return
        testo = " ".join(data.split())
        if not testo:
            return
        for _, chiave in self._aperti:
            if chiave and chiave.startswith("label:"):
                self.etichette[chiave[6:]] = (
                    self.etichette.get(chiave[6:], "") + " " + testo
                ).strip()
            elif chiave:
                self.testi[chiave] = (self.testi.get(chiave, "") + " " + testo).strip()


def _normalizza_pk(html: str) -> str:
    """Row prefixes carry the primary keys of indicatori and fasi: their rank instead."""
    visti: dict[str, str] = {}

    def sostituisci(m):
        return visti.setdefault(
            m.group(0), f"{m.group(1)}-#{len([k for k in visti if k.startswith(m.group(1))])}"
        )

    return re.sub(r"\b(ind|fase)-(\d+)", sostituisci, html)


def _senza_pk(controlli: list[dict]) -> list[dict]:
    """A row's ``id`` (and the ids its ``aria-describedby`` names) carry the primary key
    that its name already shows as a rank (``id_ind-13-x`` for ``ind-#0-x``): the rank,
    so that the comparison holds on any database (PostgreSQL does not reuse the keys of
    earlier tests)."""
    normali = []
    for c in controlli:
        a, nome = dict(c["attrs"]), c["attrs"].get("name", "")
        riga = re.match(r"(ind|fase)-#\d+", nome)
        if riga:
            for attributo in ("id", "aria-describedby"):
                if attributo in a:
                    a[attributo] = re.sub(r"(ind|fase)-\d+", riga.group(0), a[attributo])
        normali.append({**c, "attrs": a})
    return normali


def descrivi(html: str, form_id: str) -> list[dict]:
    parser = _Controlli(form_id)
    parser.feed(_normalizza_pk(html))
    descritti = []
    for c in parser.controlli:
        a = dict(c["attrs"])
        nome = a["name"]
        etichetta = parser.etichette.get(a.get("id", ""), "")
        if nome in VOLATILI or nome.endswith("-id") or nome.endswith("-obiettivo"):
            a.pop("value", None)  # a timestamp, a token or a primary key
        voce = {"tag": c["tag"], "attrs": a, "etichetta": etichetta}
        if a.get("type") in ("checkbox", "radio") and re.fullmatch(r"\d+", a.get("value", "")):
            a.pop("value")  # a primary key: the option is named by its label
        if c["tag"] == "textarea":
            voce["testo"] = c["testo"].removeprefix("\n")
        if c["tag"] == "select":
            voce["opzioni"] = c["opzioni"]
        voce["descrizioni"] = [
            parser.testi.get(i, "") for i in a.get("aria-describedby", "").split() if i
        ]
        # Errors shown after the field (crispy: <p id="error_1_id_…">).
        campo_id = a.get("id", "")
        voce["errori"] = [
            t
            for k, t in sorted(parser.testi.items())
            if k.startswith("error_") and k.endswith("_" + campo_id)
        ]
        descritti.append(voce)
    return descritti


def _scheda_demo(demo, comune, codice):
    demo(comune)
    return Obiettivo.objects.select_related("piano__comune", "settore").get(
        piano__comune__slug=comune, codice=codice
    )


# The richest demo scheda (6 indicatori, 6 fasi, risorse of every kind) and one with
# texts of graduazione, no fasi and many risorse finanziarie.
SCHEDE = [("seregno", "Ob_Obiet051101"), ("soresina", "N 11")]


def _pagine(client, obiettivo) -> dict:
    slug, pk = obiettivo.piano.comune.slug, obiettivo.pk
    client.force_login(utente(obiettivo.piano.comune, Ruolo.Tipo.SEGRETERIA))
    pagine = {}
    Obiettivo.objects.filter(pk=pk).update(stato=S.BOZZA)
    url = reverse("modifica_obiettivo", args=[slug, pk])
    html = client.get(url).content.decode()
    pagine["pianificazione"] = descrivi(html, "scheda-form")
    # Errors: a number that is not one, a missing required value.
    dati = _posta(html, "scheda-form")
    dati["peso"] = "molto"
    dati["codice"] = ""
    for chiave in list(dati):
        if chiave.endswith("-valore_atteso"):
            dati[chiave] = "tanti"
    pagine["pianificazione con errori"] = descrivi(
        client.post(url, dati).content.decode(), "scheda-form"
    )
    Obiettivo.objects.filter(pk=pk).update(stato=S.IN_MONITORAGGIO, versione=1)
    url = reverse("rendicontazione", args=[slug, pk])
    html = client.get(url).content.decode()
    pagine["rendicontazione"] = descrivi(html, "rendicontazione-form")
    dati = _posta(html, "rendicontazione-form")
    for chiave in list(dati):
        if chiave.endswith("-finale_valore") or chiave.endswith("-avanzamento"):
            dati[chiave] = "boh"
    pagine["rendicontazione con errori"] = descrivi(
        client.post(url, dati).content.decode(), "rendicontazione-form"
    )
    return pagine


def _posta(html, form_id):
    from .html_form import campi

    return campi(html, form_id)


@pytest.mark.parametrize(("comune", "codice"), SCHEDE)
def test_forms_keep_every_control_label_value_and_message(client, demo, comune, codice):
    pagine = _pagine(client, _scheda_demo(demo, comune, codice))
    chiave = f"{comune} {codice}"
    attesi = json.loads(DATI.read_text()) if DATI.exists() else {}
    if os.environ.get("PEG_AGGIORNA_MODULI"):
        attesi[chiave] = pagine
        DATI.parent.mkdir(exist_ok=True)
        DATI.write_text(json.dumps(attesi, ensure_ascii=False, indent=0, sort_keys=True) + "\n")
    for pagina, controlli in attesi[chiave].items():
        assert _senza_pk(pagine[pagina]) == _senza_pk(controlli), pagina
    assert any(c["errori"] for c in pagine["pianificazione con errori"])
    assert any(c["errori"] for c in pagine["rendicontazione con errori"])
