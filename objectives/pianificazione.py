"""Planning of a scheda: the obiettivo form, its inline formsets and the one atomic save.

Indicatori and fasi are ordered by their "N°" field (Django's formset ORDER): the save
renumbers them 1, 2, 3… in that order. After approval a change is a *variazione*: it
needs a motivazione and is recorded with what changed.
"""

from dataclasses import dataclass

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone

from indicators.engine.formatting import (
    compatto,
)
from indicators.models import Indicatore
from peg.access import nel_comune, proposta_nuova_scheda
from peg.formatting import in_parole
from peg.forms import SenzaCampiTecnici, campo_italiano, intero
from peg.models import Missione, NodoDUP, Persona, Programma
from peg.models.bilancio import scelte_del_catalogo

from .campi_html import RENDERER
from .eliminazioni import cosa_si_perderebbe
from .lettura import con_scelti
from .models import (
    AmbitoPerformance,
    Fase,
    Obiettivo,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from .modifiche import modifica, testi_superati, verifica_versione

DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TESTO_BREVE = forms.Textarea(attrs={"rows": 2})


def _compatta(form: forms.BaseForm) -> None:
    """Values shown without trailing zeros (4 decimals stored, 0,6 shown)."""
    for name, field in form.fields.items():
        quattro_decimali = isinstance(field, forms.DecimalField) and (field.decimal_places or 0) > 2
        if quattro_decimali and name in form.initial:
            form.initial[name] = compatto(form.initial[name])


def campo_motivazione() -> forms.CharField:
    """The motivazione of a variazione (planning page and admin); required after approval."""
    return forms.CharField(
        label="Motivazione della variazione",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obbligatoria: la scheda è già approvata e la modifica è una variazione.",
    )


class ObiettivoForm(SenzaCampiTecnici, forms.ModelForm):
    default_renderer = RENDERER  # widgets written in Python (objectives.campi_html)
    versione = forms.IntegerField(widget=forms.HiddenInput, required=False)
    caricato_il = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    motivazione = campo_motivazione()

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

    def __init__(self, *args, settori, variazione: bool, scelte: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.variazione = variazione
        piano = self.instance.piano
        self.fields["settore"].queryset = settori
        self.fields["nodi_dup"].queryset = NodoDUP.objects.filter(piano=piano)
        self.fields["responsabili"].queryset = nel_comune(Persona.objects.all(), piano.comune)
        self.fields["ambiti"].queryset = AmbitoPerformance.objects.all()
        # The lists read once (_scelte): not queried again to render them.
        for nome, oggetti in scelte.items():
            campo = self.fields[nome]
            campo.choices = [(o.pk, campo.label_from_instance(o)) for o in oggetti]
        self.fields["programma"].queryset = self.fields["programma"].queryset.select_related(
            "missione"
        )
        # The national catalogues (a hundred programmi) as values, not model instances.
        for nome, catalogo in (("missione", Missione), ("programma", Programma)):
            campo = self.fields[nome]
            vuota = [] if campo.empty_label is None else [("", campo.empty_label)]
            campo.choices = [*vuota, *scelte_del_catalogo(catalogo)]
        if not variazione:
            del self.fields["motivazione"]
        # Required only if something changed (Scheda.validi): an unchanged save of an
        # approved scheda is not a variazione.
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

    default_renderer = RENDERER

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _compatta(self)


class Righe(forms.BaseInlineFormSet):
    """Rows with an Italian "N°" to reorder them and an "Elimina" box. A posted row that
    is not one of this scheda's (another scheda's, deleted meanwhile, twice in the form)
    is an error on that row, never a crash."""

    @classmethod
    def get_ordering_widget(cls):
        return intero()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = "N°"
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Elimina la riga"

    def _construct_form(self, i, **kwargs):
        # A saved row posted without its id: a new instance (refused in clean), not
        # Django's "the i-th row of the queryset", which may not exist.
        if self.is_bound and i < self.initial_form_count():
            kwargs.setdefault("instance", self.model())
        return super()._construct_form(i, **kwargs)

    def clean(self):
        super().clean()
        viste = set()
        for numero, form in enumerate(self.forms[: self.initial_form_count()], start=1):
            nome = f"{self.model._meta.verbose_name} in posizione {numero}"
            if form.instance.pk is None:
                form.add_error(
                    None,
                    f"{nome.capitalize()}: non è una riga di questa scheda (forse è stata "
                    "eliminata nel frattempo). Ricarica la pagina.",
                )
            elif form.instance.pk in viste:
                form.add_error(
                    None,
                    f"{nome.capitalize()}: la stessa riga compare due volte nel modulo. "
                    "Ricarica la pagina.",
                )
            viste.add(form.instance.pk)
        # A deleted row's own errors are not shown (Django skips it): the formset's.
        perse = [
            f"{str(form.instance)[:80]}: non si può eliminare, ha valori già registrati che "
            f"andrebbero persi ({perdite})"
            for form in self.forms
            if self._should_delete_form(form)
            and form.instance.pk is not None
            and (perdite := "; ".join(cosa_si_perderebbe(form.instance)))
        ]
        if perse:
            raise forms.ValidationError(
                [
                    *perse,
                    "Per eliminare la riga cancella prima quei valori nella pagina della "
                    "rendicontazione.",
                ]
            )


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
        Obiettivo,
        model,
        form=form,
        formset=Righe,
        extra=1,
        can_delete=True,
        can_order=ordinato,
        renderer=RENDERER,
    )


IndicatoriFormSet = _formset(Indicatore, IndicatoreForm, ordinato=True)
FasiFormSet = _formset(Fase, FaseForm, ordinato=True)
RisorseFinanziarieFormSet = _formset(RisorsaFinanziaria, RisorsaFinanziariaForm)
RisorseUmaneFormSet = _formset(RisorsaUmana, RisorsaUmanaForm)
RisorseStrumentaliFormSet = _formset(RisorsaStrumentale, RisorsaStrumentaleForm)

# prefix → formset (the change list names rows by their model's verbose_name)
GRUPPI = {
    "indicatori": IndicatoriFormSet,
    "fasi": FasiFormSet,
    "finanziarie": RisorseFinanziarieFormSet,
    "umane": RisorseUmaneFormSet,
    "strumentali": RisorseStrumentaliFormSet,
}


@dataclass
class Scheda:
    obiettivo: ObiettivoForm
    gruppi: dict  # prefix → formset

    def validi(self) -> bool:
        validi = all([self.obiettivo.is_valid(), *(fs.is_valid() for fs in self.gruppi.values())])
        motivazione = self.obiettivo.cleaned_data.get("motivazione", "").strip()
        if validi and self.obiettivo.variazione and self.cambiata() and not motivazione:
            self.obiettivo.add_error(
                "motivazione",
                "Questo campo è obbligatorio: la scheda è già approvata e la modifica è "
                "una variazione.",
            )
            return False
        return validi

    def cambiata(self) -> bool:
        """Whether the user changed anything (a new scheda always is a change)."""
        return (
            self.obiettivo.instance.pk is None
            or self.obiettivo.has_changed()
            or any(fs.has_changed() for fs in self.gruppi.values())
        )

    def verifica_versione(self) -> None:
        """A form read before someone else's save is refused with what changed (409)
        before its rows are read: a row deleted or added meanwhile is that, not a row
        error."""
        form = self.obiettivo
        if form.instance.pk is None:
            return
        form.is_valid()
        if (versione := form.cleaned_data.get("versione")) is not None:
            verifica_versione(form.instance, versione, form.cleaned_data.get("caricato_il"))

    @property
    def indicatori(self):
        return self.gruppi["indicatori"]

    @property
    def fasi(self):
        return self.gruppi["fasi"]


def _scelte(obiettivo: Obiettivo) -> dict:
    """The choices of the scheda's many-to-many fields, one query each, marking those of
    the scheda: also its current values, which the form reads with no query more."""
    piano = obiettivo.piano
    return {
        nome: con_scelti(obiettivo, nome, queryset)
        for nome, queryset in (
            ("nodi_dup", NodoDUP.objects.filter(piano=piano)),
            ("responsabili", nel_comune(Persona.objects.all(), piano.comune)),
            ("ambiti", AmbitoPerformance.objects.all()),
        )
    }


def moduli(obiettivo: Obiettivo, settori, variazione: bool, data=None, utente=None) -> Scheda:
    initial = {"versione": obiettivo.versione, "caricato_il": timezone.now()}
    if obiettivo.pk is None and utente is not None:
        initial |= proposta_nuova_scheda(utente, obiettivo.piano.comune)
    scelte = _scelte(obiettivo)
    form = ObiettivoForm(
        data,
        instance=obiettivo,
        initial=initial,
        settori=settori,
        variazione=variazione,
        scelte=scelte,
    )
    return Scheda(form, _gruppi(obiettivo, data, GRUPPI, persone=scelte["responsabili"]))


def righe_pesate(obiettivo: Obiettivo, data) -> Scheda:
    """Only the indicatori and fasi as posted: all the live preview reads (weight sums,
    graduazione readings). The scheda's own form and its lists are not built."""
    pesate = {prefix: GRUPPI[prefix] for prefix in ("indicatori", "fasi")}
    return Scheda(None, _gruppi(obiettivo, data, pesate))


def _gruppi(obiettivo: Obiettivo, data, formsets: dict, persone=None) -> dict:
    gruppi = {}
    for prefix, formset in formsets.items():
        kwargs = {"form_kwargs": {"persone": persone}} if prefix == "umane" else {}
        if obiettivo.pk is None:
            kwargs["queryset"] = formset.model.objects.none()
        gruppi[prefix] = formset(data, instance=obiettivo, prefix=prefix, **kwargs)
    for prefix in ("indicatori", "fasi"):
        for riga in gruppi[prefix].initial_forms:
            riga.fields["ORDER"].initial = riga.instance.numero
    return gruppi


# Technical fields of the forms: not part of what changed.
NON_DESCRITTI = {
    "versione",
    "caricato_il",
    "motivazione",
    "ORDER",
    "versione_scheda",
    "aperta_il",
    "motivazione_variazione",
}


def _cambi(form) -> str:
    parti = []
    for nome in form.changed_data:
        if nome in NON_DESCRITTI:
            continue
        campo = form.fields[nome]
        etichetta = str(campo.label)
        if isinstance(campo, forms.ModelChoiceField):
            parti.append(etichetta)  # ids before, objects after: the name is enough
            continue
        prima, dopo = form.initial.get(nome, campo.initial), form.cleaned_data.get(nome)
        parti.append(
            f"{etichetta} {in_parole(prima, campo, breve=True)} → "
            f"{in_parole(dopo, campo, breve=True)}"
        )
    return "; ".join(parti)


def riepilogo(scheda: Scheda) -> list[str]:
    """What the save changes, in words (field: before → after), for the variazione."""
    return riepilogo_moduli(scheda.obiettivo, scheda.gruppi)


def riepilogo_moduli(form, formsets: dict) -> list[str]:
    """The same for any form of the scheda with its row formsets (pages and admin)."""
    righe = []
    if form.instance.pk and (cambi := _cambi(form)):
        istanza = form.instance
        nome = (
            "scheda"
            if isinstance(istanza, Obiettivo)
            else f"{istanza._meta.verbose_name} {istanza}"
        )
        righe.append(f"{nome}: {cambi}")
    for formset in formsets.values():
        nome = formset.model._meta.verbose_name
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


def salva(scheda: Scheda, utente) -> tuple[Obiettivo, bool]:
    """Save the scheda and its rows together, or nothing (``objectives.modifiche``): a
    stale form is refused with what changed, after approval the change is a variazione.
    Only changed forms and rows are written; returns the scheda and whether anything
    changed (an unchanged save leaves it, its numbers and its versione as they were)."""
    form = scheda.obiettivo
    obiettivo = form.instance
    dati = form.cleaned_data
    with modifica(
        obiettivo,
        utente,
        versione=dati.get("versione") if obiettivo.pk else None,
        caricato_il=dati.get("caricato_il"),
        motivazione=dati.get("motivazione", ""),
    ) as m:
        if m.variazione:
            m.annota(riepilogo(scheda))
        testi_superati(obiettivo, form.changed_data)
        if obiettivo.pk is None or form.has_changed():
            obiettivo = form.save()
        if "responsabili" in form.changed_data:
            obiettivo.responsabili_testo = " -- ".join(
                p.nome for p in obiettivo.responsabili.all()
            )[:200]
            obiettivo.save(update_fields=["responsabili_testo"])
        for prefix, formset in scheda.gruppi.items():
            formset.instance = obiettivo
            _salva_righe(m, formset, ordinate=prefix in ("indicatori", "fasi"))
    return obiettivo, m.cambiata


def _salva_righe(m, formset, ordinate: bool) -> None:
    # Whether the rows' order changed: a saved row deleted, one moved or added with a N°.
    riordinate = any(f.instance.pk for f in formset.deleted_forms) or any(
        "ORDER" in f.changed_data for f in formset.forms if f not in formset.deleted_forms
    )
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    tenute = [
        f
        for f in formset.forms
        if f not in formset.deleted_forms and (f.instance.pk or f.has_changed())
    ]
    spostate = set()
    if ordinate:
        # Sorted by the N° typed (blank last), ties in page order; then 1, 2, 3… — or,
        # when nothing moved, the numbers kept and new rows after the last one.
        tenute.sort(
            key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0)
        )
        righe = [f.instance for f in tenute]
        numeri = None
        if not riordinate:
            ultimo = max((r.numero for r in righe if r.pk), default=0)
            nuove = iter(range(ultimo + 1, ultimo + len(righe) + 1))
            numeri = [r.numero if r.pk else next(nuove) for r in righe]
        spostate = {id(r) for r in m.numera(righe, numeri)}
    for f in tenute:
        riga = f.save(commit=False)
        riga.obiettivo = formset.instance
        if not (f.has_changed() or id(riga) in spostate or riga.pk is None):
            continue
        testi_superati(riga, f.changed_data)
        riga.save()
