"""Scores stay exactly what they were: a snapshot taken before the scoring was optimised.

For every demo piano and for two ``genera_dati`` piani (fixed seeds, values not
entered, intermediate values, unreadable and default rules, decreasing polarity, fasi
with their own rule, the OIV's validated scores in force and superseded), under the
piano's own measurement system and two others, for every year, final and intermediate,
with and without explanations: every indicatore, fase, obiettivo, settore and ente score
(figure, state, steps, what is missing, the OIV's figure) and each scheda's completezza.
The same through ``carica_figli`` + ``calcola`` (the scheda pages) and
``esiti_obiettivi`` (the OIV's queue). Compared with tests/documenti/punteggi/*.json.

The snapshot was written by the code before the optimisation; to write it again on
purpose (a deliberate change of the rules): ``PEG_RIGENERA_PUNTEGGI=1 pytest
tests/test_punteggi_identici.py``, and say why in the commit.
"""

import io
import json
import os
import random
from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.caricamento import carica_figli, carica_punteggi
from indicators.engine.scoring import (
    FINALE,
    INTERMEDIO,
    Sistema,
    calcola,
    completezza,
    esiti_obiettivi,
)
from indicators.models import Indicatore, Rilevazione
from objectives.models import Fase, Obiettivo
from peg.models import Piano
from valutazione.models import PunteggioValidato, Validazione

pytestmark = pytest.mark.django_db

CARTELLA = Path(__file__).parent / "documenti" / "punteggi"
DEMO = ("chiavari", "cinisello-balsamo", "seregno", "soresina")
# (slug, seed, settori, obiettivi, indicatori, fasi, share of indicatori not measured)
GENERATI = (("sintetico-a", 7, 3, 4, 6, 4, "0.2"), ("sintetico-b", 11, 2, 5, 5, 3, "0.35"))
# The piano's own system, then two that take the other branches of the engine.
SISTEMI = {
    "proprio": {},
    "fasi-zero": {"base_obiettivo": "fasi", "valori_mancanti": "zero"},
    "entrambi-escludi-punteggio": {
        "base_obiettivo": "entrambi",
        "quota_indicatori": D("60"),
        "valori_mancanti": "escludi",
        "base_settore": "punteggio",
        "riproporziona_pesi": True,
    },
}


def _d(valore):
    return None if valore is None else str(valore)


def _esito(esito) -> dict:
    return {
        "etichetta": esito.etichetta,
        "punteggio": _d(esito.punteggio),
        "stato": esito.stato,
        "testo_pieno": esito.testo_pieno,
        "passi": list(esito.passi),
        "mancanti": list(esito.mancanti),
        "avvisi": list(esito.avvisi),
        "non_misurabili": list(esito.non_misurabili),
        "validato": esito.validato,
        "punteggio_calcolato": _d(esito.punteggio_calcolato),
        "stato_calcolato": esito.stato_calcolato,
        "motivazione": esito.motivazione,
    }


def _punteggi(punteggi) -> dict:
    settori = []
    for settore, voci in punteggi.per_settore.items():
        obiettivi = []
        for obiettivo, esito in voci:
            dettagli = punteggi.dettagli[obiettivo.pk]
            c = completezza(esito, dettagli)
            obiettivi.append(
                {
                    "codice": obiettivo.codice,
                    "esito": _esito(esito),
                    "indicatori": [_esito(e) for e in dettagli["indicatori"].values()],
                    "fasi": [_esito(e) for e in dettagli["fasi"].values()],
                    "completezza": {
                        "completa": c.completa,
                        "mancanti": c.mancanti,
                        "non_misurabili": c.non_misurabili,
                    },
                }
            )
        settori.append(
            {
                "settore": str(settore),
                "esito": _esito(punteggi.settori[settore]),
                "obiettivi": obiettivi,
            }
        )
    return {"ente": _esito(punteggi.ente), "settori": settori}


def _piano(piano) -> dict:
    """Every score of a piano, under each system, year, moment and explanation."""
    originale = {campo: getattr(piano, campo) for campo in SISTEMI["entrambi-escludi-punteggio"]}
    risultato = {}
    for nome, sistema in SISTEMI.items():
        Piano.objects.filter(pk=piano.pk).update(**{**originale, **sistema})
        piano.refresh_from_db()
        for anno in piano.anni:
            for momento in (FINALE, INTERMEDIO):
                for spiega in (True, False):
                    chiave = f"{nome} {anno} {momento} {'spiega' if spiega else 'breve'}"
                    risultato[chiave] = _punteggi(
                        carica_punteggi(piano, anno, momento, spiega=spiega)
                    )
            # As the scheda pages and the OIV's queue score: model instances via carica_figli,
            # the same scores as the snapshot's (compared, not stored twice).
            obiettivi = carica_figli(
                Obiettivo.objects.filter(piano=piano, anno=anno)
                .select_related("piano", "settore")
                .order_by("settore__codice", "settore__nome", "codice_ordinabile", "id")
            )
            punteggi = calcola(
                obiettivi, Sistema.del_piano(piano), etichetta_ente=str(piano.comune)
            )
            atteso = risultato[f"{nome} {anno} {FINALE} spiega"]
            assert _punteggi(punteggi) == atteso, f"{piano} {nome} {anno}: carica_figli"
            esiti = esiti_obiettivi(obiettivi)
            breve = risultato[f"{nome} {anno} {FINALE} breve"]
            attesi = [o["esito"] for s in breve["settori"] for o in s["obiettivi"]]
            assert [_esito(esiti[o.pk]) for o in obiettivi] == attesi, f"{piano} {nome} {anno}"
    Piano.objects.filter(pk=piano.pk).update(**originale)
    return risultato


def _arricchisci(piano, seme: int) -> None:
    """What genera_dati does not make, deterministically: intermediate values, default,
    unreadable and decreasing rules, missing weights, fasi with a rule and a result,
    fasi with nothing, validated schede with the OIV's scores in force and superseded."""
    rng = random.Random(seme)
    anno = piano.anno_inizio
    indicatori = list(
        Indicatore.objects.filter(obiettivo__piano=piano).order_by(
            "obiettivo__codice_ordinabile", "numero"
        )
    )
    nuove = []
    for n, indicatore in enumerate(indicatori):
        if n % 3 == 0:
            indicatore.valore_intermedio = (indicatore.valore_atteso or D(0)) / 2
            indicatore.data_intermedia = date(anno, 6, 30)
            if n % 2 == 0:
                nuove.append(
                    Rilevazione(
                        indicatore=indicatore,
                        tipo=rng.choice(["intermedia", "prima"]),
                        valore=D(rng.randint(0, 80)),
                        data=date(anno, 6, 30),
                    )
                )
        if n % 7 == 0:
            indicatore.polarita = "decrescente"
        if n % 11 == 0:
            indicatore.graduazione, indicatore.regola = "", None
        if n % 13 == 0:
            indicatore.graduazione, indicatore.regola = "xyz qwerty ??", None
        if n % 17 == 0:
            indicatore.peso = None
        if n % 19 == 0:
            indicatore.valore_atteso = None
    Indicatore.objects.bulk_update(
        indicatori,
        [
            "valore_intermedio",
            "data_intermedia",
            "polarita",
            "graduazione",
            "regola",
            "peso",
            "valore_atteso",
        ],
    )
    Rilevazione.objects.bulk_create(nuove)
    fasi = list(
        Fase.objects.filter(obiettivo__piano=piano).order_by(
            "obiettivo__codice_ordinabile", "numero"
        )
    )
    for n, fase in enumerate(fasi):
        if n % 3 == 0:
            fase.graduazione = "80% = 100%; 60% = 50%"
            fase.aggiorna_regola()
            fase.livello_atteso = "80%"
            fase.raggiunto = f"{rng.randint(40, 100)}%"
        if n % 5 == 0:
            fase.avanzamento, fase.data_fine_effettiva = None, None
        if n % 8 == 0:
            fase.peso = None
    Fase.objects.bulk_update(
        fasi,
        [
            "graduazione",
            "regola",
            "livello_atteso",
            "raggiunto",
            "avanzamento",
            "data_fine_effettiva",
            "peso",
        ],
    )
    oiv = get_user_model().objects.create(username=f"oiv-{piano.comune.slug}")
    obiettivi = list(Obiettivo.objects.filter(piano=piano).order_by("codice_ordinabile"))
    quando = datetime(anno + 1, 3, 1, tzinfo=UTC)
    for n, obiettivo in enumerate(obiettivi[:4]):
        Obiettivo.objects.filter(pk=obiettivo.pk).update(stato=Obiettivo.Stato.VALIDATO)
        validazione = Validazione.objects.create(
            obiettivo=obiettivo, utente=oiv, quando=quando, punteggio=D("90")
        )
        primo = obiettivo.indicatori.order_by("numero").first()
        if n in (0, 3):  # the obiettivo's own score
            PunteggioValidato.objects.create(
                validazione=validazione, obiettivo=obiettivo, punteggio=D("88.5"), motivazione="OIV"
            )
        if n in (1, 3):  # an indicatore's
            PunteggioValidato.objects.create(
                validazione=validazione,
                obiettivo=obiettivo,
                indicatore=primo,
                punteggio=D("100"),
                motivazione="Verbale allegato.",
            )
        if n == 2:  # superseded: does not count
            PunteggioValidato.objects.create(
                validazione=validazione,
                obiettivo=obiettivo,
                indicatore=primo,
                punteggio=D("10"),
                motivazione="Vecchia.",
                attivo=False,
            )
    # A validated figure on a scheda reopened since: not in force.
    riaperto = obiettivi[4]
    validazione = Validazione.objects.create(obiettivo=riaperto, utente=oiv, quando=quando)
    PunteggioValidato.objects.create(
        validazione=validazione, obiettivo=riaperto, punteggio=D("1"), motivazione="Riaperta."
    )


def _tutti(demo) -> dict:
    risultato = {}
    for comune in demo(*DEMO):
        for piano in comune.piani.order_by("anno_inizio", "titolo"):
            risultato.setdefault(comune.slug, {})[piano.titolo] = _piano(piano)
    for slug, seme, settori, obiettivi, indicatori, fasi, non_rilevati in GENERATI:
        call_command(
            "genera_dati",
            *("--comune", slug, "--seme", seme, "--settori", settori, "--obiettivi", obiettivi),
            *("--indicatori", indicatori, "--fasi", fasi, "--non-rilevati", non_rilevati),
            stdout=io.StringIO(),
        )
        piano = Piano.objects.get(comune__slug=slug)
        _arricchisci(piano, seme)
        risultato[slug] = {piano.titolo: _piano(piano)}
    return risultato


def _differenza(attesi, trovati, dove="") -> str | None:
    """Where two snapshots first differ, for a readable failure."""
    if type(attesi) is not type(trovati):
        return f"{dove}: {attesi!r} ≠ {trovati!r}"
    if isinstance(attesi, dict):
        if list(attesi) != list(trovati):
            return f"{dove}: chiavi {list(attesi)} ≠ {list(trovati)}"
        for k in attesi:
            if d := _differenza(attesi[k], trovati[k], f"{dove}/{k}"):
                return d
        return None
    if isinstance(attesi, list):
        if len(attesi) != len(trovati):
            return f"{dove}: {len(attesi)} elementi ≠ {len(trovati)}"
        for i, (a, t) in enumerate(zip(attesi, trovati, strict=True)):
            if d := _differenza(a, t, f"{dove}[{i}]"):
                return d
        return None
    return None if attesi == trovati else f"{dove}: {attesi!r} ≠ {trovati!r}"


def test_punteggi_identici_alla_fotografia(demo):
    trovati = _tutti(demo)
    if os.environ.get("PEG_RIGENERA_PUNTEGGI") == "1":
        CARTELLA.mkdir(parents=True, exist_ok=True)
        for slug, piani in trovati.items():
            testo = json.dumps(piani, ensure_ascii=False, separators=(",", ":"))
            (CARTELLA / f"{slug}.json").write_text(testo + "\n")
    assert sorted(p.stem for p in CARTELLA.glob("*.json")) == sorted(trovati)
    for slug, piani in trovati.items():
        attesi = json.loads((CARTELLA / f"{slug}.json").read_text())
        assert (d := _differenza(attesi, piani, slug)) is None, d
    # The snapshot is not trivial: values, missing values, validated figures, non misurabili.
    testo = json.dumps(trovati, ensure_ascii=False)
    for atteso in ("calcolato", "non rilevato", "non misurabile", "non calcolabile", "incompleto"):
        assert f'"stato": "{atteso}"' in testo, atteso
    for atteso in ('"validato": true', "Pesi non indicati", "Graduazione non leggibile"):
        assert atteso in testo, atteso
