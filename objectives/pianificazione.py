"""Planning of a scheda: the obiettivo form, its inline formsets and the one atomic save.

Indicatori and fasi are ordered by their "N°" field (Django's formset ORDER): the save
renumbers them 1, 2, 3… in that order. After approval a change is a *variazione*: it
needs a motivazione and is recorded with what changed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.db import transaction
from django.db.models import F
from django.forms import inlineformset_factory
from django.utils import timezone

from indicators.models import Indicatore
from peg.formatting import compatto, data_breve, numero_compatto
from peg.forms import campo_italiano
from peg.models import NodoDUP, Persona, Ruolo, Settore

from .concorrenza import blocca_versione
from .models import (
    AmbitoPerformance,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
    Variazione,
)
from .workflow import e_segreteria

DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TESTO_BREVE = forms.Textarea(attrs={"rows": 2})

# Printed texts ("entro il 30/11", "80%") describe the value they sit beside: a changed
# value makes them stale, so they are cleared rather than left contradicting it.
TESTI_STAMPATI = {
    "valore_intermedio": "valore_intermedio_testo",
    "valore_atteso": "valore_atteso_testo",
    "data_attesa": "scadenza_testo",
    "data_inizio_prevista": "tempi_testo",
    "data_fine_prevista": "tempi_testo",
}


def _compatta(form: forms.BaseForm) -> None:
    """Values shown without trailing zeros (4 decimals stored, 0,6 shown)."""
    for name, field in form.fields.items():
        quattro_decimali = isinstance(field, forms.DecimalField) and (field.decimal_places or 0) > 2
        if quattro_decimali and name in form.initial:
            form.initial[name] = compatto(form.initial[name])


class ObiettivoForm(forms.ModelForm):
    versione = forms.IntegerField(widget=forms.HiddenInput, required=False)
    caricato_il = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    motivazione = forms.CharField(
        label="Motivazione della variazione",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obbligatoria: la scheda è già approvata e la modifica è una variazione.",
    )

    class Meta:
        formfield_callback = campo_italiano
        model = Obiettivo
        fields = (
            "settore",
            "codice",
            "anno",
            "anno_inizio",
            "anno_fine",
            "durata",
            "tipo",
            "denominazione",
            "descrizione",
            "risultato_atteso",
            "riferimento_origine",
            "missione",
            "programma",
            "nodi_dup",
            "area_tematica",
            "assessorato",
            "unita_organizzativa_responsabile",
            "unita_coinvolte",
            "servizi_coinvolti",
            "responsabili",
            "modalita_realizzazione",
            "centro_di_costo",
            "ambiti",
            "strategicita",
            "complessita",
            "tipologia",
            "peso",
            "data_inizio_prevista",
            "data_fine_prevista",
            "condizione",
            "note",
        )
        widgets = {
            "data_inizio_prevista": DATA,
            "data_fine_prevista": DATA,
            "descrizione": forms.Textarea(attrs={"rows": 3}),
            "risultato_atteso": forms.Textarea(attrs={"rows": 3}),
            "denominazione": TESTO_BREVE,
            "unita_coinvolte": TESTO_BREVE,
            "servizi_coinvolti": TESTO_BREVE,
            "modalita_realizzazione": TESTO_BREVE,
            "note": TESTO_BREVE,
            "ambiti": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, settori, variazione: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.variazione = variazione
        piano = self.instance.piano
        self.fields["settore"].queryset = settori
        self.fields["nodi_dup"].queryset = NodoDUP.objects.filter(piano=piano)
        self.fields["responsabili"].queryset = Persona.objects.filter(comune_id=piano.comune_id)
        self.fields["ambiti"].queryset = AmbitoPerformance.objects.all()
        self.fields["programma"].queryset = self.fields["programma"].queryset.select_related(
            "missione"
        )
        if not variazione:
            del self.fields["motivazione"]
        else:
            self.fields["motivazione"].required = True
        _compatta(self)

    def clean(self):
        dati = super().clean()
        # piano is not a form field, so Django skips the unique (piano, codice, anno) check.
        doppione = Obiettivo.objects.filter(
            piano_id=self.instance.piano_id, codice=dati.get("codice"), anno=dati.get("anno")
        ).exclude(pk=self.instance.pk)
        if dati.get("codice") and doppione.exists():
            self.add_error(
                "codice",
                "Codice obiettivo: nel piano esiste già una scheda con questo codice per lo stesso anno.",
            )
        if self.instance.pk is None:
            return dati
        if dati.get("versione") is None:
            raise forms.ValidationError("Modulo incompleto: ricarica la pagina.")
        return dati


class FiglioForm(forms.ModelForm):
    """Row of an inline formset: values without trailing zeros."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _compatta(self)


class Righe(forms.BaseInlineFormSet):
    """Rows with an Italian "N°" to reorder them and an "Elimina" box."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "N°"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Elimina la riga"


class IndicatoreForm(FiglioForm):
    class Meta:
        formfield_callback = campo_italiano
        model = Indicatore
        fields = (
            "peso",
            "denominazione",
            "formula",
            "tipo",
            "unita_misura",
            "polarita",
            "valore_intermedio",
            "data_intermedia",
            "valore_atteso",
            "data_attesa",
            "graduazione",
            "note",
        )
        widgets = {
            "denominazione": TESTO_BREVE,
            "formula": TESTO_BREVE,
            "graduazione": TESTO_BREVE,
            "note": forms.Textarea(attrs={"rows": 1}),
            "data_intermedia": DATA,
            "data_attesa": DATA,
        }


class FaseForm(FiglioForm):
    class Meta:
        formfield_callback = campo_italiano
        model = Fase
        fields = (
            "peso",
            "descrizione",
            "data_inizio_prevista",
            "data_fine_prevista",
            "indicatore",
            "livello_atteso",
            "graduazione",
            "responsabile",
        )
        widgets = {
            "descrizione": TESTO_BREVE,
            "indicatore": forms.Textarea(attrs={"rows": 1}),
            "graduazione": TESTO_BREVE,
            "data_inizio_prevista": DATA,
            "data_fine_prevista": DATA,
        }


class RisorsaFinanziariaForm(FiglioForm):
    class Meta:
        formfield_callback = campo_italiano
        model = RisorsaFinanziaria
        fields = ("capitolo", "articolo", "descrizione", "importo", "tipo", "natura", "quota_parte")


class RisorsaUmanaForm(FiglioForm):
    class Meta:
        formfield_callback = campo_italiano
        model = RisorsaUmana
        fields = ("persona", "percentuale_impiego")

    def __init__(self, *args, persone, **kwargs):
        super().__init__(*args, **kwargs)
        # One list for every row: the choices are not queried again per form.
        self.fields["persona"].queryset = Persona.objects.filter(pk__in=[p.pk for p in persone])
        self.fields["persona"].choices = [("", "---------"), *((p.pk, str(p)) for p in persone)]


class RisorsaStrumentaleForm(FiglioForm):
    class Meta:
        formfield_callback = campo_italiano
        model = RisorsaStrumentale
        fields = ("tipo", "descrizione")
        widgets = {"descrizione": forms.Textarea(attrs={"rows": 1})}


def _formset(model, form, ordinato=False):
    return inlineformset_factory(
        Obiettivo, model, form=form, formset=Righe, extra=1, can_delete=True, can_order=ordinato
    )


IndicatoriFormSet = _formset(Indicatore, IndicatoreForm, ordinato=True)
FasiFormSet = _formset(Fase, FaseForm, ordinato=True)
RisorseFinanziarieFormSet = _formset(RisorsaFinanziaria, RisorsaFinanziariaForm)
RisorseUmaneFormSet = _formset(RisorsaUmana, RisorsaUmanaForm)
RisorseStrumentaliFormSet = _formset(RisorsaStrumentale, RisorsaStrumentaleForm)

# prefix → (formset, what the scheda calls its rows)
GRUPPI = {
    "indicatori": (IndicatoriFormSet, "indicatore"),
    "fasi": (FasiFormSet, "fase"),
    "finanziarie": (RisorseFinanziarieFormSet, "risorsa finanziaria"),
    "umane": (RisorseUmaneFormSet, "risorsa umana"),
    "strumentali": (RisorseStrumentaliFormSet, "risorsa strumentale"),
}


@dataclass
class Scheda:
    obiettivo: ObiettivoForm
    gruppi: dict  # prefix → formset

    def validi(self) -> bool:
        return all([self.obiettivo.is_valid(), *(fs.is_valid() for fs in self.gruppi.values())])

    @property
    def indicatori(self):
        return self.gruppi["indicatori"]

    @property
    def fasi(self):
        return self.gruppi["fasi"]


def moduli(obiettivo: Obiettivo, settori, variazione: bool, data=None) -> Scheda:
    initial = {"versione": obiettivo.versione, "caricato_il": timezone.now()}
    form = ObiettivoForm(
        data, instance=obiettivo, initial=initial, settori=settori, variazione=variazione
    )
    persone = list(Persona.objects.filter(comune_id=obiettivo.piano.comune_id))
    gruppi = {}
    for prefix, (formset, _) in GRUPPI.items():
        kwargs = {"form_kwargs": {"persone": persone}} if prefix == "umane" else {}
        if obiettivo.pk is None:
            kwargs["queryset"] = formset.model.objects.none()
        gruppi[prefix] = formset(data, instance=obiettivo, prefix=prefix, **kwargs)
    for prefix in ("indicatori", "fasi"):
        for riga in gruppi[prefix].initial_forms:
            riga.fields["ORDER"].initial = riga.instance.numero
    return Scheda(form, gruppi)


def settori_per(utente, comune, segreteria: bool | None = None):
    """Where the user may create or move schede: every settore for the segreteria,
    his own for a responsabile, none otherwise."""
    if segreteria is None:
        segreteria = e_segreteria(utente, comune)
    if segreteria:
        return Settore.objects.filter(comune=comune)
    return Settore.objects.filter(
        comune=comune, ruoli__utente=utente, ruoli__tipo=Ruolo.Tipo.RESPONSABILE
    ).distinct()


def _testo(valore) -> str:
    """A value of the change list, short and the Italian way."""
    if valore is None or valore == "":
        return "—"
    if isinstance(valore, bool):
        return "sì" if valore else "no"
    if isinstance(valore, date):
        return data_breve(valore)
    if isinstance(valore, Decimal):
        return numero_compatto(valore)
    testo = str(valore)
    return testo if len(testo) <= 60 else testo[:57] + "…"


def _cambi(form) -> str:
    parti = []
    for nome in form.changed_data:
        if nome in ("versione", "caricato_il", "motivazione", "ORDER"):
            continue
        campo = form.fields[nome]
        etichetta = str(campo.label)
        if isinstance(campo, forms.ModelChoiceField):
            parti.append(etichetta)  # ids before, objects after: the name is enough
            continue
        prima = form.initial.get(nome, campo.initial)
        parti.append(f"{etichetta} {_testo(prima)} → {_testo(form.cleaned_data.get(nome))}")
    return "; ".join(parti)


def riepilogo(scheda: Scheda) -> list[str]:
    """What the save changes, in words (field: before → after), for the variazione."""
    righe = []
    form = scheda.obiettivo
    if form.instance.pk and (cambi := _cambi(form)):
        righe.append(f"scheda: {cambi}")
    for prefix, formset in scheda.gruppi.items():
        nome = GRUPPI[prefix][1]
        for f in formset.forms:
            nuova = f.instance.pk is None
            if not f.has_changed() or (nuova and formset._should_delete_form(f)):
                continue
            if formset._should_delete_form(f):
                righe.append(f"{nome} eliminato/a: {f.instance}")
            elif nuova:
                righe.append(f"{nome} aggiunto/a")
            elif cambi := _cambi(f):
                righe.append(f"{nome} {f.instance}: {cambi}")
    return righe


@transaction.atomic
def salva(scheda: Scheda, utente) -> Obiettivo:
    """Save the scheda and its rows together, or nothing; refuse a stale form."""
    form = scheda.obiettivo
    obiettivo = form.instance
    motivo = "Pianificazione"
    if obiettivo.pk is not None:
        dati = form.cleaned_data
        attuale = blocca_versione(obiettivo.pk, dati["versione"], dati["caricato_il"])
        obiettivo.versione = attuale.versione + 1
        obiettivo.stato = attuale.stato
    if form.variazione:
        motivo = f"Variazione: {form.cleaned_data['motivazione'].strip()}"
    righe = riepilogo(scheda)
    for campo, testo in TESTI_STAMPATI.items():
        if campo in form.changed_data and hasattr(obiettivo, testo):
            setattr(obiettivo, testo, "")
    obiettivo._change_reason = motivo
    obiettivo = form.save()
    if "responsabili" in form.changed_data:
        obiettivo.responsabili_testo = " -- ".join(p.nome for p in obiettivo.responsabili.all())[
            :200
        ]
        obiettivo.save(update_fields=["responsabili_testo"])
    for prefix, formset in scheda.gruppi.items():
        formset.instance = obiettivo
        _salva_righe(formset, motivo, ordinate=prefix in ("indicatori", "fasi"))
    if form.variazione:
        Variazione.objects.create(
            obiettivo=obiettivo,
            utente=utente,
            quando=timezone.now(),
            stato=obiettivo.stato,
            motivazione=form.cleaned_data["motivazione"].strip(),
            riepilogo="\n".join(righe),
        )
    return obiettivo


def _salva_righe(formset, motivo: str, ordinate: bool) -> None:
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._change_reason = motivo
            form.instance.delete()
    tenute = [
        f
        for f in formset.forms
        if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
    ]
    posti = {}
    if ordinate:
        # Sorted by the N° typed (blank last), ties in page order; then 1, 2, 3…
        tenute.sort(
            key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0)
        )
        posti = {id(f): posto for posto, f in enumerate(tenute, start=1)}
        # Rows that move are parked out of the way first: N° is unique in the obiettivo.
        in_movimento = [
            f.instance.pk for f in tenute if f.instance.pk and f.instance.numero != posti[id(f)]
        ]
        formset.model.objects.filter(pk__in=in_movimento).update(numero=F("numero") + 10000)
    for f in tenute:
        riga = f.save(commit=False)
        riga.obiettivo = formset.instance
        spostata = ordinate and riga.numero != posti[id(f)]
        if not (f.has_changed() or spostata or riga.pk is None):
            continue
        for campo, testo in TESTI_STAMPATI.items():
            if campo in f.changed_data and hasattr(riga, testo):
                setattr(riga, testo, "")
        if ordinate:
            riga.numero = posti[id(f)]
        riga._change_reason = motivo
        riga.save()
