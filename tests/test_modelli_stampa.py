"""The segreteria's print models as services: copies and versions, a form read back
into a model (reporting.modelli.modulo), the piano's choice and its fixed version, the
publishable variant of ``esporta_pdf``."""

from __future__ import annotations

import base64
import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.http import QueryDict
from PIL import Image

from objectives.modifiche import approva_piano
from peg.models import Piano
from reporting import libri
from reporting.modelli import catalogo, copie, gestione, modulo, scelta
from reporting.modelli.predefiniti import PREDEFINITI
from reporting.modelli.schema import ModelloNonValido, leggi
from reporting.models import SceltaModello, VersioneModello

from .factories import IndicatoreFactory, ObiettivoFactory, RisorsaFinanziariaFactory

pytestmark = pytest.mark.django_db


def post_di(dati: dict, **cambi) -> QueryDict:
    """What the editing page posts for ``dati`` (normalized), with ``cambi`` applied."""
    q = QueryDict(mutable=True)
    for chiave in ("orientamento", "ordine", "interruzione"):
        q[chiave] = dati[chiave]
    for chiave in modulo.INTERRUTTORI:
        if dati[chiave]:
            q[chiave] = "on"
    for i, s in enumerate(dati["sezioni"]):
        q[f"sez-{i}-tipo"] = s["tipo"]
        q[f"sez-{i}-etichetta"] = s["etichetta"]
        q[f"sez-{i}-se_vuota"] = s["se_vuota"]
        if s["visibile"]:
            q[f"sez-{i}-visibile"] = "on"
        if s["nuova_pagina"]:
            q[f"sez-{i}-nuova_pagina"] = "on"
        for k, c in s["colonne"].items():
            q[f"sez-{i}-col-{k}-etichetta"] = c["etichetta"]
            if c["visibile"]:
                q[f"sez-{i}-col-{k}-visibile"] = "on"
    for chiave, valore in cambi.items():
        chiave = chiave.replace("__", "-")
        if valore is None:
            q.pop(chiave, None)
        else:
            q[chiave] = valore
    return q


def indice(dati: dict, tipo: str) -> int:
    return next(i for i, s in enumerate(dati["sezioni"]) if s["tipo"] == tipo)


def png(lato: int = 8) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (lato, lato), "blue").save(buffer, "PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- copies and versions


def test_la_copia_nasce_con_la_versione_1_e_il_salvataggio_invariato_non_crea_versioni(ente):
    modello = copie.copia(ente.comune, "Il nostro PDO", da_predefinito="chiavari")
    assert list(modello.versioni.values_list("numero", flat=True)) == [1]
    dati = gestione.dati_correnti(modello)
    # The built-in model written sparsely and the copy written explicitly are the same print.
    assert copie.salva(modello, PREDEFINITI["chiavari"]) is None
    assert copie.salva(modello, dati) is None
    letto = modulo.leggi_modulo(dati, post_di(dati))
    assert letto.errori == []
    assert letto.dati == dati
    assert copie.salva(modello, letto.dati) is None
    assert modello.versioni.count() == 1


def test_salvare_crea_una_versione_nuova_e_le_vecchie_restano(ente):
    modello = copie.copia(ente.comune, "Copia", da_predefinito="chiavari")
    dati = gestione.dati_correnti(modello)
    i = indice(dati, "chiavari_indicatori")
    letto = modulo.leggi_modulo(
        dati,
        post_di(dati, **{f"sez-{i}-etichetta": "Indicatori di risultato"}),
    )
    v2 = copie.salva(modello, letto.dati)
    assert v2.numero == 2
    assert copie.salva(modello, letto.dati) is None  # twice: nothing moves
    assert modello.versioni.count() == 2
    v1 = modello.versioni.get(numero=1)
    assert leggi(v1.dati).sezioni[i].etichetta == "Indicatori"
    assert leggi(v2.dati).sezioni[i].etichetta == "Indicatori di risultato"
    assert modulo.differenze(v1.dati, v2.dati) == [
        "Sezione «Indicatori» rinominata «Indicatori di risultato»"
    ]


def test_copia_di_una_copia_e_nomi(ente):
    prima = copie.copia(ente.comune, "Prima", da_predefinito="soresina")
    seconda = gestione.copia_da(ente.comune, f"modello:{prima.pk}", "Seconda", None)
    assert seconda.base == "soresina"
    with pytest.raises(ModelloNonValido, match="già un modello chiamato «Prima»"):
        copie.copia(ente.comune, "Prima", da_predefinito="chiavari")
    with pytest.raises(ModelloNonValido, match="troppo lungo"):
        copie.copia(ente.comune, "x" * 151, da_predefinito="chiavari")
    with pytest.raises(ModelloNonValido, match="Scegliere il modello"):
        gestione.copia_da(ente.comune, "predefinito:inesistente", "Terza", None)
    altra = copie.copia(ente.altro_comune, "Altrove", da_predefinito="chiavari")
    with pytest.raises(ModelloNonValido, match="non è tra quelli del comune"):
        gestione.copia_da(ente.comune, f"modello:{altra.pk}", "Rubata", None)


# ---------------------------------------------------------------- the form


def test_il_modulo_cambia_etichette_colonne_opzioni_e_ordine(ente):
    dati = modulo.normalizza(PREDEFINITI["chiavari"])
    i = indice(dati, "chiavari_indicatori")
    post = post_di(
        dati,
        orientamento="verticale",
        data_stampa="on",
        **{
            f"sez-{i}-col-formula-visibile": None,
            f"sez-{i}-col-peso-etichetta": "Peso %",
            f"sez-{i}-se_vuota": "trattino",
            f"sez-{i}-nuova_pagina": "on",
        },
    )
    letto = modulo.leggi_modulo(dati, post)
    assert letto.errori == []
    m = leggi(letto.dati)
    sez = m.sezioni[i]
    assert m.orientamento == "verticale" and m.data_stampa
    assert "formula" not in sez.col and sez.col["peso"] == "Peso %"
    assert sez.se_vuota == "trattino" and sez.nuova_pagina
    assert modulo.sposta(letto.dati, f"su-{i}").startswith("«Indicatori» spostata in su")
    assert letto.dati["sezioni"][i - 1]["tipo"] == "chiavari_indicatori"
    assert modulo.sposta(letto.dati, "su-0") == ""
    assert modulo.sposta(letto.dati, "giu-999") == ""


@pytest.mark.parametrize(
    ("cambi", "messaggio"),
    [
        (
            {"sez-3-etichetta": "  "},
            "Sezione 4 («Intestazione della scheda»): l'etichetta non può essere vuota.",
        ),
        ({"sez-3-etichetta": "x" * 201}, "troppo lunga (201 caratteri, al massimo 200)"),
        ({"sez-3-col-anni-etichetta": ""}, "colonna «ANNI»: l'etichetta non può essere vuota"),
        ({"sez-3-se_vuota": "esplodi"}, "valore non ammesso per «se vuota»: «esplodi»"),
        ({"orientamento": "obliquo"}, "Orientamento della pagina: valore non ammesso «obliquo»"),
        ({"ordine": None}, "Ordine delle schede: valore non ammesso"),
        ({"sez-3-tipo": "inventato"}, "non corrisponde alle sezioni del modello salvato"),
        ({"sez-3-tipo": "chiavari_note"}, "non corrisponde alle sezioni del modello salvato"),
        ({"sez-99-tipo": "chiavari_note"}, "non corrisponde alle sezioni del modello salvato"),
        ({"sez-0-tipo": None}, "non corrisponde alle sezioni del modello salvato"),
    ],
)
def test_il_modulo_rifiuta_con_un_messaggio_chiaro(cambi, messaggio):
    dati = modulo.normalizza(PREDEFINITI["chiavari"])
    assert dati["sezioni"][3]["tipo"] == "chiavari_intestazione"
    letto = modulo.leggi_modulo(dati, post_di(dati, **cambi))
    assert any(messaggio in e for e in letto.errori), letto.errori


def test_il_logo_si_carica_si_controlla_e_si_toglie():
    dati = modulo.normalizza(PREDEFINITI["chiavari"])

    class File(io.BytesIO):
        @property
        def size(self):
            return len(self.getvalue())

    letto = modulo.leggi_modulo(dati, post_di(dati), File(png()))
    assert letto.errori == [] and letto.dati["logo"].startswith("data:image/png;base64,")
    # The next round of the same unsaved form carries it as a hidden field, checked again.
    di_nuovo = modulo.leggi_modulo(dati, post_di(dati, logo_nuovo=letto.dati["logo"]))
    assert di_nuovo.dati["logo"] == letto.dati["logo"]
    falso = "data:image/png;base64," + base64.b64encode(b"<svg onload=alert(1)>").decode()
    assert (
        "non è un'immagine PNG o JPEG"
        in modulo.leggi_modulo(dati, post_di(dati, logo_nuovo=falso)).errori[0]
    )
    assert (
        "non è leggibile"
        in modulo.leggi_modulo(dati, post_di(dati, logo_nuovo="data:text/html;base64,AAAA")).errori[
            0
        ]
    )
    assert (
        "non è un'immagine" in modulo.leggi_modulo(dati, post_di(dati), File(b"%PDF-1.4")).errori[0]
    )
    grande = File(b"\0" * (modulo.LOGO_MAX_KB * 1024 + 1))
    assert "il massimo è 256 KB" in modulo.leggi_modulo(dati, post_di(dati), grande).errori[0]
    con_logo = {**dati, "logo": letto.dati["logo"]}
    tolto = modulo.leggi_modulo(con_logo, post_di(con_logo, togli_logo="on"))
    assert tolto.dati["logo"] == ""
    assert modulo.differenze(con_logo, tolto.dati) == ["Logo: tolto"]


# ---------------------------------------------------------------- the piano's choice


def _piano_in_bozza(ente):
    Piano.objects.filter(pk=ente.piano.pk).update(stato=Piano.Stato.BOZZA)
    ente.piano.refresh_from_db()
    return ente.piano


def _rinomina(modello, tipo: str, etichetta: str):
    dati = gestione.dati_correnti(modello)
    dati["sezioni"][indice(dati, tipo)]["etichetta"] = etichetta
    return copie.salva(modello, dati)


def test_un_piano_approvato_con_la_v1_stampa_la_v1_dopo_che_la_v2_e_salvata(ente, monkeypatch):
    piano = _piano_in_bozza(ente)
    ObiettivoFactory(piano=piano, settore=ente.settore_a, codice="A - 1", stato="proposto")
    modello = copie.copia(ente.comune, "Nostro", da_predefinito="chiavari")
    _rinomina(modello, "chiavari_risultato", "Risultato v2")  # v2, while still in bozza
    scelta.scegli(piano, scelta.PIANO, modello=modello)
    assert scelta.modello_del_piano(piano, scelta.PIANO).sezioni[4].etichetta == "Risultato v2"
    approva_piano(piano, ente.segreteria, "12", datetime.date(2019, 2, 5))
    fissata = SceltaModello.objects.get(piano=piano, uso=scelta.PIANO).versione_fissata
    assert fissata.numero == 2
    _rinomina(modello, "chiavari_risultato", "Risultato v3")
    stampato = libri.modelli_stampa(piano)[scelta.PIANO]
    assert stampato.sezioni[4].etichetta == "Risultato v2"
    [voce] = [s for s in gestione.scelte_del_piano(piano) if s.uso == scelta.PIANO]
    assert (voce.stampata.numero, voce.ultima.numero, voce.fissata) == (2, 3, True)
    assert voce.cambi == ("Sezione «Risultato v2» rinominata «Risultato v3»",)
    # Explicitly moved to the latest version.
    assert "dalla versione 2 alla versione 3" in gestione.aggiorna_versione(piano, scelta.PIANO)
    assert scelta.modello_del_piano(piano, scelta.PIANO).sezioni[4].etichetta == "Risultato v3"
    assert gestione.aggiorna_versione(piano, scelta.PIANO) == ""


def test_la_stampa_di_un_piano_approvato_fissa_la_versione(ente, tmp_path):
    """A choice made before the fix (or by another path) is fixed when printed."""
    modello = copie.copia(ente.comune, "Nostro", da_predefinito="chiavari")
    ente.scheda("approvato", codice="A - 1")
    SceltaModello.objects.create(piano=ente.piano, uso=scelta.PIANO, modello=modello)
    call_command(
        "esporta_pdf", "--comune", ente.comune.slug, "--anno", "2019", "-o", str(tmp_path / "p.pdf")
    )
    assert (
        SceltaModello.objects.get(piano=ente.piano, uso=scelta.PIANO).versione_fissata.numero == 1
    )
    _rinomina(modello, "chiavari_risultato", "Dopo la stampa")
    assert scelta.modello_del_piano(ente.piano, scelta.PIANO).sezioni[4].etichetta == (
        "Risultato atteso"
    )


def test_cambia_scelta_rifiuta_valori_manomessi(ente):
    altra = copie.copia(ente.altro_comune, "Altrove", da_predefinito="chiavari")
    for uso, valore, messaggio in [
        ("stampa", "predefinito:chiavari", "per quale stampa"),
        ("piano", "predefinito:nessuno", "uno dei modelli elencati"),
        ("piano", f"modello:{altra.pk}", "non è tra quelli del comune"),
        ("piano", "modello:abc", "uno dei modelli elencati"),
    ]:
        with pytest.raises(ModelloNonValido, match=messaggio):
            gestione.cambia_scelta(ente.piano, uso, valore)
    assert not SceltaModello.objects.exists()
    assert gestione.cambia_scelta(ente.piano, "piano", "predefinito:chiavari") == ""
    assert "ora con «Piano degli obiettivi di settore (Soresina)»" in gestione.cambia_scelta(
        ente.piano, "piano", "predefinito:soresina"
    )


# ---------------------------------------------------------------- the publishable variant

catalogo.registra(
    catalogo.TipoSezione(
        "prova_personale",
        "Note del personale",
        "reporting/pdf/sezioni/chiavari/note.html",
        personale=True,
    ),
    catalogo.TipoSezione(
        "prova_colonna_personale",
        "Risorse di prova",
        "reporting/pdf/sezioni/chiavari/risorse_finanziarie.html",
        colonne=catalogo.colonne(
            ("capitolo", "CAPITOLO"),
            ("articolo", "ART."),
            ("descrizione", "MATRICOLA DEL DIPENDENTE", True),
            ("importo", "IMPORTO"),
        ),
    ),
)


def _testo(pdf_path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_esporta_pdf_pubblicabile_lascia_fuori_sezioni_e_colonne_personali(ente, tmp_path):
    o = ente.scheda("approvato", codice="A - 1", note="Nota riservata")
    IndicatoreFactory(obiettivo=o, numero=1)
    RisorsaFinanziariaFactory(obiettivo=o, capitolo="443500", descrizione="Spesa di prova")
    modello = copie.copia(ente.comune, "Con personale", da_predefinito="chiavari")
    dati = gestione.dati_correnti(modello)
    dati["sezioni"] += [{"tipo": "prova_personale"}, {"tipo": "prova_colonna_personale"}]
    copie.salva(modello, dati)
    scelta.scegli(ente.piano, scelta.PIANO, modello=modello)
    uscite = {}
    for variante in ("completo", "pubblicabile"):
        uscite[variante] = tmp_path / f"{variante}.pdf"
        argomenti = ["--comune", ente.comune.slug, "--anno", "2019", "-o", str(uscite[variante])]
        if variante == "pubblicabile":
            argomenti.append("--pubblicabile")
        call_command("esporta_pdf", *argomenti)
    completo, pubblicabile = _testo(uscite["completo"]), _testo(uscite["pubblicabile"])
    assert "Note del personale" in completo and "MATRICOLA DEL DIPENDENTE" in completo
    assert "Note del personale" not in pubblicabile
    assert "MATRICOLA DEL DIPENDENTE" not in pubblicabile
    assert "Risorse di prova" in pubblicabile and "443500" in pubblicabile
    assert "Spesa di prova" not in pubblicabile  # the hidden column's cells too


def test_ogni_dato_personale_dei_modelli_predefiniti_manca_nella_variante_pubblicabile():
    for dati in PREDEFINITI.values():
        pubblicabile = leggi(dati).variante_pubblicabile()
        for sez in pubblicabile.sezioni:
            assert not sez.personale, (dati["base"], sez.tipo)
            assert not any(c.personale for c in sez.colonne), (dati["base"], sez.tipo)


def test_versioni_non_cambiano(ente):
    """A version is never rewritten: saving again adds one."""
    modello = copie.copia(ente.comune, "Fisso", da_predefinito="chiavari")
    prima = VersioneModello.objects.get(modello=modello, numero=1).dati
    _rinomina(modello, "chiavari_note", "Annotazioni")
    assert VersioneModello.objects.get(modello=modello, numero=1).dati == prima


@pytest.mark.parametrize("via", ["pdf_scheda", "pdf_settore", "stampa_piano"])
def test_ogni_stampa_di_un_piano_approvato_fissa_la_versione(ente, client, via, stampe_root):
    from django.urls import reverse

    from reporting import tasks

    from .factories import StampaFactory

    o = ente.scheda("approvato", codice="A - 1")
    modello = copie.copia(ente.comune, "Nostro", da_predefinito="chiavari")
    SceltaModello.objects.create(piano=ente.piano, uso=scelta.PIANO, modello=modello)
    client.force_login(ente.segreteria)
    if via == "pdf_scheda":
        assert client.get(reverse("pdf_scheda", args=[ente.comune.slug, o.pk])).status_code == 200
    elif via == "pdf_settore":
        url = reverse("pdf_settore", args=[ente.comune.slug, ente.piano.pk, ente.settore_a.pk])
        assert client.get(url).status_code == 200
    else:
        stampa = StampaFactory(piano=ente.piano, richiesta_da=ente.segreteria)
        assert tasks.stampa_piano.call(stampa.pk) == "pronta"
    fissata = SceltaModello.objects.get(piano=ente.piano, uso=scelta.PIANO).versione_fissata
    assert fissata is not None and fissata.numero == 1


def test_una_versione_con_una_sezione_che_non_esiste_piu_si_stampa_senza(ente):
    """A version saved by an earlier release may name a kind of section this one no
    longer has: the piano still prints, without it (it was a 500)."""
    piano = _piano_in_bozza(ente)
    o = ObiettivoFactory(piano=piano, settore=ente.settore_a, codice="A - 1")
    modello = copie.copia(ente.comune, "Vecchio", da_predefinito="chiavari")
    versione = modello.versioni.first()
    versione.dati["sezioni"].insert(0, {"tipo": "sezione_di_una_volta"})
    VersioneModello.objects.filter(pk=versione.pk).update(dati=versione.dati)
    scelta.scegli(piano, scelta.PIANO, modello=modello)
    stampato = scelta.modello_del_piano(piano, scelta.PIANO)
    assert "sezione_di_una_volta" not in [s.tipo for s in stampato.sezioni]
    pdf = libri.pdf_schede(o.__class__.objects.filter(pk=o.pk), rendicontazione=False)
    assert pdf.startswith(b"%PDF")
    with pytest.raises(ModelloNonValido, match="sezione_di_una_volta"):
        leggi(versione.dati)  # the editing page still says it


@pytest.mark.parametrize(
    "guasto",
    [
        {"sezioni": None},
        {"orientamento": ["orizzontale"]},
        {"sezioni": [{"tipo": "chiavari_indicatori", "righe": "sei"}]},
        {"sezioni": [{"tipo": "chiavari_indicatori", "colonne": {"peso": "nascosta"}}]},
        {"sezioni": [{"tipo": ["chiavari_note"]}]},
    ],
)
def test_dati_guasti_nel_database_non_fermano_la_stampa(ente, guasto):
    """A version edited in the database into something no page writes: reading it says
    why in Italian, and the piano prints with the copy's base instead of failing."""
    with pytest.raises(ModelloNonValido, match="non"):
        leggi({**PREDEFINITI["chiavari"], **guasto})
    piano = _piano_in_bozza(ente)
    modello = copie.copia(ente.comune, "Guasto", da_predefinito="soresina")
    VersioneModello.objects.filter(modello=modello).update(
        dati={**PREDEFINITI["soresina"], **guasto}
    )
    scelta.scegli(piano, scelta.PIANO, modello=modello)
    assert scelta.modello_del_piano(piano, scelta.PIANO).base == "soresina"


def test_una_chiave_predefinita_che_non_esiste_piu_stampa_col_modello_di_base(ente):
    piano = _piano_in_bozza(ente)
    scelta.scegli(piano, scelta.RENDICONTAZIONE, predefinito="chiavari")
    SceltaModello.objects.filter(piano=piano).update(predefinito="modello_di_una_volta")
    assert scelta.modello_del_piano(piano, scelta.RENDICONTAZIONE).base == "cinisello"
    assert [s.nome for s in gestione.scelte_del_piano(piano)]  # the page too


def test_copiare_una_copia_con_una_sezione_che_non_esiste_piu(ente):
    vecchio = copie.copia(ente.comune, "Vecchio", da_predefinito="chiavari")
    versione = vecchio.versioni.first()
    versione.dati["sezioni"].insert(0, {"tipo": "sezione_di_una_volta"})
    VersioneModello.objects.filter(pk=versione.pk).update(dati=versione.dati)
    nuovo = copie.copia(ente.comune, "Nuovo", da_modello=vecchio)
    tipi = [s["tipo"] for s in nuovo.versioni.first().dati["sezioni"]]
    assert "sezione_di_una_volta" not in tipi and "chiavari_indicatori" in tipi
