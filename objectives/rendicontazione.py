"""Rendicontazione of a scheda: the forms and the one atomic save.

Every indicatore gets its intermediate and final rilevazione, every fase its
progress and actual dates, the obiettivo its stato di attuazione. The save is
all-or-nothing and refuses a form loaded before someone else's save (no lost
updates), saying what changed meanwhile.
"""

import copy
from dataclasses import dataclass

from django import forms
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from indicators.engine.formatting import compatto
from indicators.models import Indicatore, Rilevazione
from peg.compilate import Compilata
from peg.forms import DecimaleItaliano, SenzaCampiTecnici, TestoItaliano, campo_italiano

from . import campagne
from .campi_html import RENDERER
from .models import Campagna, Fase, Obiettivo
from .modifiche import modifica
from .workflow import integrazione_richiesta, ultima_azione

MOMENTI = (("intermedia", "Rilevazione intermedia"), ("finale", "Rilevazione finale"))


def campi_rilevazioni(chiusi: dict) -> dict:
    """The six fields of a RilevazioniForm (intermedia and finale: value, date, note),
    read-only where the momento is closed. Built once per page and shared by its
    indicatori: fields hold no value (each form's ``initial`` does) and neither
    validating nor rendering changes them."""
    campi = {}
    for tipo, etichetta in MOMENTI:
        campi[f"{tipo}_valore"] = DecimaleItaliano(
            label=f"{etichetta}: valore raggiunto",
            required=False,
            max_digits=15,
            decimal_places=4,
        )
        campi[f"{tipo}_data"] = forms.DateField(
            label=f"{etichetta}: data effettiva",
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        campi[f"{tipo}_note"] = TestoItaliano(
            label=f"{etichetta}: note",
            required=False,
            widget=forms.Textarea(attrs={"rows": 1}),
        )
        if tipo in chiusi:
            # readonly, not disabled: a changed value must be seen, and refused.
            for campo in ("valore", "data", "note"):
                campi[f"{tipo}_{campo}"].widget.attrs["readonly"] = True
            campi[f"{tipo}_valore"].help_text = "Non modificabile: " + chiusi[tipo]
    return campi


class RilevazioniForm(forms.Form):
    """The two rilevazioni of one indicatore; ``chiusi`` maps the momenti whose campagna is
    closed to why: their fields are read-only and a changed value is refused. ``campi``:
    ``campi_rilevazioni(chiusi)``, shared by the forms of a page (built if not given)."""

    default_renderer = RENDERER  # widgets written in Python (objectives.campi_html)

    def __init__(self, *args, indicatore, chiusi=None, campi=None, **kwargs):
        self.indicatore = indicatore
        self.chiusi = chiusi or {}
        esistenti = {r.tipo: r for r in indicatore.rilevazioni.all()}
        iniziali = {}
        for tipo, _ in MOMENTI:
            r = esistenti.get(tipo)
            iniziali[f"{tipo}_valore"] = compatto(r.valore) if r else None
            iniziali[f"{tipo}_data"] = r.data if r else None
            iniziali[f"{tipo}_note"] = r.note if r else ""
        super().__init__(*args, prefix=f"ind-{indicatore.pk}", initial=iniziali, **kwargs)
        self.fields = dict(campi if campi is not None else campi_rilevazioni(self.chiusi))

    def clean(self):
        cleaned = super().clean()
        esistenti = {r.tipo: r for r in self.indicatore.rilevazioni.all()}
        for tipo, motivo in self.chiusi.items():
            r = esistenti.get(tipo)
            salvati = (r.valore, r.data, r.note) if r else (None, None, "")
            inviati = tuple(cleaned.get(f"{tipo}_{c}") for c in ("valore", "data", "note"))
            if inviati[:2] != salvati[:2] or (inviati[2] or "").strip() != salvati[2].strip():
                self.add_error(None, f"Indicatore {self.indicatore.numero} – {motivo}")
        return cleaned

    def salva(self, utente) -> None:
        """Write only the rilevazioni whose value, date or note changed."""
        esistenti = {r.tipo: r for r in self.indicatore.rilevazioni.all()}
        for tipo, _ in MOMENTI:
            if tipo in self.chiusi:
                continue  # refused in clean() if changed: nothing to write
            valore = self.cleaned_data[f"{tipo}_valore"]
            data = self.cleaned_data[f"{tipo}_data"]
            note = self.cleaned_data[f"{tipo}_note"].strip()
            rilevazione = esistenti.get(tipo)
            if valore is None and data is None and not note:
                if rilevazione is not None:
                    rilevazione.delete()
                continue
            rilevazione = rilevazione or Rilevazione(
                indicatore=self.indicatore, tipo=tipo, inserita_da=utente
            )
            if (rilevazione.valore, rilevazione.data, rilevazione.note) != (valore, data, note):
                rilevazione.valore, rilevazione.data, rilevazione.note = valore, data, note
                rilevazione.valore_testo = ""  # the printed text no longer describes it
                rilevazione.full_clean(exclude=_INVARIATI if rilevazione.pk else None)
                rilevazione.save()


# A stored rilevazione keeps its indicatore, tipo, percentuale and author: their checks
# (a query each: the indicatore exists, one rilevazione per tipo, the percentuale) hold.
_INVARIATI = {"indicatore", "tipo", "percentuale_raggiungimento", "inserita_da", "inserita_il"}


class VincoliSeCambiato:
    """ModelForm mixin: an unchanged form leaves its fields out of the model's validation.
    Its values are the stored ones, which the database's constraints already hold, and
    each check constraint Django validates is a query (eight for four fasi); a form with
    any change is validated whole, as before."""

    def _get_validation_exclusions(self):
        esclusi = super()._get_validation_exclusions()
        if not self.has_changed():
            esclusi.update(self.fields)
        return esclusi


class FaseForm(VincoliSeCambiato, forms.ModelForm):
    default_renderer = RENDERER

    class Meta:
        formfield_callback = campo_italiano
        model = Fase
        fields = (
            "avanzamento",
            "data_inizio_effettiva",
            "data_fine_effettiva",
            "raggiunto",
            "monitoraggio",
        )
        widgets = {
            "data_inizio_effettiva": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "data_fine_effettiva": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "monitoraggio": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, campi=None, **kwargs):
        """``campi``: ``campi_fasi()``, shared by the forms of a page (copied if not given)."""
        super().__init__(*args, prefix=f"fase-{kwargs['instance'].pk}", **kwargs)
        self.fields = dict(campi if campi is not None else campi_fasi())


def campi_fasi() -> dict:
    """The fields of a FaseForm, copied once per page and shared by its fasi (Django copies
    each field and widget for each form): as ``campi_rilevazioni``, they hold no value and
    neither validating nor rendering these forms changes them."""
    return copy.deepcopy(dict(FaseForm.base_fields))


class ObiettivoRendicontazioneForm(VincoliSeCambiato, SenzaCampiTecnici, forms.ModelForm):
    default_renderer = RENDERER
    versione = forms.IntegerField(widget=forms.HiddenInput)
    caricato_il = forms.DateTimeField(widget=forms.HiddenInput)

    class Meta:
        formfield_callback = campo_italiano
        model = Obiettivo
        fields = ("data_inizio_effettiva", "data_fine_effettiva", "stato_attuazione")
        widgets = {
            "data_inizio_effettiva": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "data_fine_effettiva": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "stato_attuazione": forms.Textarea(attrs={"rows": 4}),
        }


class _Condivisi(dict):
    """``FaseForm.base_fields``, which Django deep-copies for every form: a shallow copy
    here, each form then gets the fields of its page (``campi``), or its own deep copy."""

    def __deepcopy__(self, memo):
        return dict(self)


FaseForm.base_fields = _Condivisi(FaseForm.base_fields)


@dataclass
class Moduli:
    obiettivo: ObiettivoRendicontazioneForm
    indicatori: list
    fasi: list
    # campagne.stato_momenti, read once: the forms' closed momenti and the page's notice.
    campagne: dict | None = None

    def tutti(self):
        return [self.obiettivo, *self.indicatori, *self.fasi]

    def validi(self) -> bool:
        return all([form.is_valid() for form in self.tutti()])  # all: every form shows its errors


def carica(obiettivo: Obiettivo, presenze: bool = False) -> Obiettivo:
    """The scheda (loaded with piano, comune and settore) with what the forms and the
    live scores read: indicatori with their rilevazioni (one query, joined), fasi (one
    query), as ``prefetch_related_objects(..., "indicatori__rilevazioni", "fasi")`` would
    leave them (``.all()`` reads them, no query). The same object, with what it already
    knows (the user's roles on it). With ``presenze`` (the page) one more query says
    whether the scheda has allegati and its piano campagne for the year, and the action
    of its last move (``_presenze``): what is not there is not read."""
    if presenze:
        _presenze(obiettivo)
    indicatori = obiettivo.indicatori.get_queryset()
    indicatori._result_cache = _indicatori_con_rilevazioni(obiettivo, indicatori.db)
    indicatori._prefetch_done = True
    fasi = obiettivo.fasi.get_queryset()
    fasi._result_cache = [
        Fase.from_db(fasi.db, _CAMPI_FASE, riga)
        for riga in _FASI.righe({_SEGNAPOSTO: obiettivo.pk}, fasi.db)
    ]
    for fase in fasi._result_cache:
        fase._state.fields_cache["obiettivo"] = obiettivo
    fasi._prefetch_done = True
    obiettivo._prefetched_objects_cache = {"indicatori": indicatori, "fasi": fasi}
    return obiettivo


_CAMPI_INDICATORE = [f.attname for f in Indicatore._meta.concrete_fields]
_CAMPI_RILEVAZIONE = [f.attname for f in Rilevazione._meta.concrete_fields]
_CAMPI_FASE = [f.attname for f in Fase._meta.concrete_fields]
_RELAZIONE = Rilevazione._meta.get_field("indicatore")
_SEGNAPOSTO = -7_310_103  # the scheda's id in the compiled queries, put back at each call


# Indicatori LEFT JOIN rilevazioni (in numero, then id order); the fasi (in their order).
_CON_RILEVAZIONI = Compilata(
    lambda: (
        Indicatore.objects.filter(obiettivo_id=_SEGNAPOSTO)
        .order_by("numero", "rilevazioni__id")
        .values_list(*_CAMPI_INDICATORE, *(f"rilevazioni__{c}" for c in _CAMPI_RILEVAZIONE))
    )
)
_FASI = Compilata(lambda: Fase.objects.filter(obiettivo_id=_SEGNAPOSTO).values_list(*_CAMPI_FASE))


def _indicatori_con_rilevazioni(obiettivo: Obiettivo, db: str) -> list[Indicatore]:
    """The obiettivo's indicatori (in numero order) each with its rilevazioni cached (in
    id order, their ``indicatore`` set), from one query: indicatori LEFT JOIN rilevazioni."""
    righe = _CON_RILEVAZIONI.righe({_SEGNAPOSTO: obiettivo.pk}, db)
    n = len(_CAMPI_INDICATORE)
    indicatori: list[Indicatore] = []
    rilevazioni: dict[int, list] = {}
    for riga in righe:
        if not indicatori or indicatori[-1].pk != riga[0]:
            indicatore = Indicatore.from_db(db, _CAMPI_INDICATORE, riga[:n])
            indicatore._state.fields_cache["obiettivo"] = obiettivo
            indicatori.append(indicatore)
            rilevazioni[indicatore.pk] = []
        if riga[n] is not None:  # the rilevazione's id: none for an indicatore without any
            rilevazione = Rilevazione.from_db(db, _CAMPI_RILEVAZIONE, riga[n:])
            _RELAZIONE.set_cached_value(rilevazione, indicatori[-1])
            rilevazioni[indicatori[-1].pk].append(rilevazione)
    for indicatore in indicatori:
        qs = indicatore.rilevazioni.get_queryset()
        qs._result_cache = rilevazioni[indicatore.pk]
        qs._prefetch_done = True
        indicatore._prefetched_objects_cache = {"rilevazioni": qs}
    return indicatori


def _crea_presenze():
    allegati = Obiettivo._meta.get_field("allegati")
    return (
        Obiettivo.objects.filter(pk=_SEGNAPOSTO)
        .annotate(
            _ha_allegati=Exists(
                allegati.related_model._base_manager.filter(
                    **{allegati.field.attname: OuterRef("pk")}
                )
            ),
            _ha_campagne=Exists(
                Campagna.objects.filter(piano_id=OuterRef("piano_id"), anno=OuterRef("anno"))
            ),
            _ultima_azione=ultima_azione(),
        )
        .values_list("_ha_allegati", "_ha_campagne", "_ultima_azione")
    )


_PRESENZE = Compilata(_crea_presenze)


def _presenze(obiettivo: Obiettivo) -> None:
    """One query (compiled once per database: building its subqueries cost more than
    running it) sets ``obiettivo.presenti`` (``allegati``: whether it has any, as
    ``objectives.lettura`` sets it for ``valutazione.allegati``; ``campagne``: whether
    its piano has campagne for its anno) and ``obiettivo.ultima_azione``
    (``workflow.ultima_azione``)."""
    righe = _PRESENZE.grezze({_SEGNAPOSTO: obiettivo.pk}, obiettivo._state.db)
    if not righe:  # deleted since the access check read it
        raise Http404("Scheda non trovata.")
    allegati, campagne_, azione = righe[0]
    obiettivo.presenti = {"allegati": bool(allegati), "campagne": bool(campagne_)}
    obiettivo.ultima_azione = azione


def integrazione(obiettivo: Obiettivo):
    """``workflow.integrazione_richiesta``, read once for the request (kept on the scheda:
    the campagne and the page's notice both ask); not read when the scheda's last move
    (``_presenze``) is not the OIV's request, the only move it looks for."""
    if not hasattr(obiettivo, "_integrazione"):
        if getattr(obiettivo, "ultima_azione", "richiedi_integrazione") != "richiedi_integrazione":
            obiettivo._integrazione = None
        else:
            obiettivo._integrazione = integrazione_richiesta(obiettivo)
    return obiettivo._integrazione


def moduli(obiettivo: Obiettivo, data=None, oggi=None) -> Moduli:
    initial = {"versione": obiettivo.versione, "caricato_il": timezone.now()}
    # Momenti outside an open campagna di rilevazione are read-only (objectives.campagne).
    if getattr(obiettivo, "presenti", {}).get("campagne", True):
        stati = campagne.stato_momenti(obiettivo, oggi or timezone.localdate(), integrazione)
    else:  # as stato_momenti says when the piano has no campagne for the year
        stati = None
    # As campagne.momenti_chiusi, from the states read once for the page too.
    chiusi = {m: s.motivo for m, s in (stati or {}).items() if not s.aperto}
    campi = campi_rilevazioni(chiusi)
    campi_fasi_ = campi_fasi()
    return Moduli(
        ObiettivoRendicontazioneForm(data, instance=obiettivo, initial=initial, prefix="obiettivo"),
        [
            RilevazioniForm(data, indicatore=i, chiusi=chiusi, campi=campi)
            for i in obiettivo.indicatori.all()
        ],
        [FaseForm(data, instance=f, campi=campi_fasi_) for f in obiettivo.fasi.all()],
        stati,
    )


def salva(obiettivo: Obiettivo, forms_: Moduli, utente) -> bool:
    """Save everything or nothing (``objectives.modifiche``); a stale form is refused
    with what changed meanwhile. Only what changed is written; returns whether
    anything did (an unchanged save leaves the scheda and its versione as they were)."""
    dati = forms_.obiettivo.cleaned_data
    with modifica(
        obiettivo,
        utente,
        "rendicontazione",
        versione=dati["versione"],
        caricato_il=dati["caricato_il"],
    ) as m:
        for form in forms_.indicatori:
            form.salva(utente)
        for form in forms_.fasi:
            if form.has_changed():
                form.save()
        if forms_.obiettivo.has_changed():
            forms_.obiettivo.save()
    return m.cambiata
