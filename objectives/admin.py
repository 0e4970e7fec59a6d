from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html

from indicators.engine.formatting import numero
from indicators.engine.weights import verifica_pesi
from indicators.models import Indicatore
from peg.admin import PianoAdmin, only_mine
from peg.admin_scoping import ComuneScopedMixin, SameComuneForm, ScopedInline, anno_filter
from peg.models import Piano
from peg.storia import autore

from .access import puo_modificare_scheda
from .eliminazioni import eliminazione_negata
from .models import (
    AmbitoPerformance,
    Avviso,
    Campagna,
    Fase,
    Obiettivo,
    RiaperturaSettore,
    RisorsaFinanziaria,
    RisorsaStrumentale,
    RisorsaUmana,
)
from .modifiche import modifica
from .pianificazione import campo_motivazione, riepilogo_moduli
from .workflow import ambito_scheda, puo_modificare, sistema_bloccato

# What the rendicontazione page enters (inside the campagne's windows): read-only here.
RENDICONTAZIONE_OBIETTIVO = (
    "data_inizio_effettiva",
    "data_fine_effettiva",
    "stato_attuazione",
    "monitoraggio",
)
RENDICONTAZIONE_FASE = ("data_inizio_effettiva", "data_fine_effettiva", "avanzamento")


class _NonSalvata(Exception):
    """The admin answered without saving (a form error): nothing to record."""

    def __init__(self, risposta):
        self.risposta = risposta


class SchedaForm(SameComuneForm):
    """The admin form of a scheda or of one of its rows: it carries the scheda's versione
    (a form opened before another save is refused) and, after approval, the motivazione
    of the variazione."""

    versione_scheda = forms.IntegerField(widget=forms.HiddenInput, required=False)
    aperta_il = forms.DateTimeField(widget=forms.HiddenInput, required=False)
    motivazione_variazione = campo_motivazione()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scheda = scheda_di(self.instance)
        if scheda is not None and scheda.pk:
            self.fields["versione_scheda"].initial = scheda.versione
            self.fields["aperta_il"].initial = timezone.now()
            if ambito_scheda(scheda) == "variazione":
                self.fields["motivazione_variazione"].required = True


def scheda_di(obj) -> Obiettivo | None:
    return obj if isinstance(obj, Obiettivo) else getattr(obj, "obiettivo", None)


def _senza_cr(dati):
    """The post with the browser's CRLF line ends as LF, as the database has them."""
    copia = dati.copy()
    for nome, valori in copia.lists():
        copia.setlist(nome, [v.replace("\r\n", "\n") for v in valori])
    return copia


def _intero(testo) -> int | None:
    try:
        return int(testo)
    except (TypeError, ValueError):
        return None


# Hidden or technical fields of the admin forms: they differ on every post (when the
# form was opened) or say why, not what: not a change of the scheda.
NON_CAMBI = frozenset({"versione_scheda", "aperta_il", "motivazione_variazione"})


def _testo_uguale(prima, dopo) -> bool:
    """Texts equal but for what a browser or the form adds: CRLF, outer spaces."""
    if not isinstance(dopo, str) or not isinstance(prima, str | type(None)):
        return False
    return (prima or "").replace("\r\n", "\n").strip() == dopo.replace("\r\n", "\n").strip()


def _cambiati(form) -> list[str]:
    """The fields the user really changed in ``form``."""
    cambiati = []
    for nome in form.changed_data:
        if nome in NON_CAMBI:
            continue
        campo = form[nome]
        if _testo_uguale(campo.initial, campo.data):
            continue
        cambiati.append(nome)
    return cambiati


def _da_eliminare(formset, riga) -> bool:
    """The row's «Elimina» box is ticked (read before the formset is validated)."""
    return formset.can_delete and bool(riga[DELETION_FIELD_NAME].data)


def nulla_cambiato(form, formsets, inlines, request, obj) -> bool:
    """Neither the form nor any of its inline rows changes anything (a «Salva»
    pressed as the page was): view-only rows, that the browser does not post, and
    rows that may not be added or deleted do not count."""
    if _cambiati(form):
        return False
    for formset, inline in zip(formsets, inlines, strict=True):
        modificabili = inline.has_change_permission(request, obj)
        aggiungibili = inline.has_add_permission(request, obj)
        eliminabili = inline.has_delete_permission(request, obj)
        for riga in formset.initial_forms:
            if eliminabili and _da_eliminare(formset, riga):
                return False
            if modificabili and _cambiati(riga):
                return False
        for riga in formset.extra_forms:
            if aggiungibili and riga.has_changed() and not _da_eliminare(formset, riga):
                return False
    return True


def _momento(testo) -> datetime | None:
    """When the form was opened (to list only what changed since), if readable."""
    try:
        return forms.DateTimeField().clean(testo) if testo else None
    except forms.ValidationError:
        return None


class ModificaConServizio:
    """Admin pages of a scheda and of its rows follow the pages' rule and change it
    through ``objectives.modifiche``: editable while the user may change the scheda in
    its state (planning; after approval a variazione, with motivazione; never once
    rendicontato or validato — reopen it first), the row locked, the versione checked
    and raised, the variazione recorded with what changed."""

    form = SchedaForm

    def has_change_permission(self, request, obj=None):
        permesso = super().has_change_permission(request, obj)
        scheda = scheda_di(obj)
        if not permesso or scheda is None or not scheda.pk:
            return permesso
        return puo_modificare_scheda(request.user, scheda)

    def has_delete_permission(self, request, obj=None):
        permesso = super().has_delete_permission(request, obj)
        scheda = scheda_di(obj)
        if not permesso or scheda is None or not scheda.pk:
            return permesso
        # Deleting from its own page has no motivazione to record: only while planning.
        # After approval a row is removed as a variazione, from the scheda's rows (with
        # the motivazione), as on the planning page.
        return puo_modificare(request.user, scheda, "pianificazione")

    def get_actions(self, request):
        azioni = super().get_actions(request)
        azioni.pop("delete_selected", None)  # would skip the per-scheda rule
        return azioni

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        scheda = scheda_di(obj)
        if scheda is not None and scheda.pk and self.has_change_permission(request, obj):
            nascosti = {"fields": ("versione_scheda", "aperta_il"), "classes": ("hidden",)}
            fieldsets.append(("Versione", nascosti))
            if ambito_scheda(scheda) == "variazione":
                fieldsets.insert(0, ("Variazione", {"fields": ("motivazione_variazione",)}))
        return fieldsets

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        scheda = scheda_di(obj)
        if (
            request.method != "POST"
            or scheda is None
            or not self.has_change_permission(request, obj)
        ):
            with autore(request.user, "Pianificazione (amministrazione)"):
                return super().changeform_view(request, object_id, form_url, extra_context)
        request.POST = _senza_cr(request.POST)
        if self._invariata(request, obj):
            # Nothing to save: no versione raised, no history rows, no empty variazione.
            request._scheda_invariata = True
            return self.response_change(request, obj)
        versione = _intero(request.POST.get("versione_scheda"))
        if versione is None:
            # A form without the scheda's versione could overwrite a later save unseen.
            messages.error(request, "Modulo incompleto: la pagina è stata ricaricata, riprova.")
            return redirect(request.path)
        try:
            with modifica(
                scheda,
                request.user,
                versione=versione,
                caricato_il=_momento(request.POST.get("aperta_il")),
                motivazione=request.POST.get("motivazione_variazione", ""),
            ) as m:
                risposta = super().changeform_view(request, object_id, form_url, extra_context)
                # Saved (a redirect, or the popup's page): else a form error, nothing to keep.
                if not getattr(request, "_scheda_salvata", False):
                    raise _NonSalvata(risposta)
                if m.variazione:
                    m.annota(request._riepilogo_scheda)
        except _NonSalvata as non_salvata:
            return non_salvata.risposta
        return risposta

    def _invariata(self, request, obj) -> bool:
        form = self.get_form(request, obj, change=True)(request.POST, request.FILES, instance=obj)
        formsets, inlines = self._create_formsets(request, obj, change=True)
        return nulla_cambiato(form, formsets, inlines, request, obj)

    def message_user(self, request, message, *args, **kwargs):
        if getattr(request, "_scheda_invariata", False):
            message = "Nessuna modifica da salvare: non hai cambiato nulla, la scheda è com'era."
        super().message_user(request, message, *args, **kwargs)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        scheda = scheda_di(obj)
        negata = (
            eliminazione_negata(obj)
            if obj is not None and self.has_delete_permission(request, obj)
            else None
        )
        if negata:
            messages.error(request, negata)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", obj.pk)
        if request.method != "POST" or scheda is None:
            return super().delete_view(request, object_id, extra_context)
        with modifica(scheda, request.user, "pianificazione"):
            return super().delete_view(request, object_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Read back by changeform_view, still inside modifica(): the form and its rows
        # are only here.
        request._scheda_salvata = True
        request._riepilogo_scheda = riepilogo_moduli(form, {f.prefix: f for f in formsets})


class RigheFormSet(BaseInlineFormSet):
    """A row is not removed with what the rendicontazione or the OIV recorded on it."""

    def clean(self):
        super().clean()
        negate = [
            negata
            for form in self.initial_forms
            if self._should_delete_form(form) and (negata := eliminazione_negata(form.instance))
        ]
        if negate:
            raise forms.ValidationError(negate)


class RigheDellaScheda:
    """Inline rows of a scheda: added, changed, removed while the scheda may change."""

    formset = RigheFormSet

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._modificabile(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._modificabile(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._modificabile(request, obj)

    def _modificabile(self, request, obj) -> bool:
        scheda = scheda_di(obj)
        return scheda is None or not scheda.pk or puo_modificare_scheda(request.user, scheda)


@admin.register(AmbitoPerformance)
class AmbitoPerformanceAdmin(admin.ModelAdmin):
    list_display = ("numero", "descrizione")


class IndicatoreInline(RigheDellaScheda, ScopedInline):
    model = Indicatore
    show_change_link = True
    fields = (
        "numero",
        "peso",
        "denominazione",
        "formula",
        "tipo",
        "polarita",
        "valore_intermedio",
        "data_intermedia",
        "valore_atteso",
        "data_attesa",
        "graduazione",
    )


class FaseInline(RigheDellaScheda, ScopedInline):
    model = Fase
    readonly_fields = RENDICONTAZIONE_FASE
    fields = (
        "numero",
        "peso",
        "descrizione",
        "data_inizio_prevista",
        "data_fine_prevista",
        "data_inizio_effettiva",
        "data_fine_effettiva",
        "avanzamento",
        "responsabile",
    )


class RisorsaFinanziariaInline(RigheDellaScheda, ScopedInline):
    model = RisorsaFinanziaria
    fields = ("capitolo", "articolo", "descrizione", "importo", "tipo", "natura", "quota_parte")


class RisorsaUmanaInline(RigheDellaScheda, ScopedInline):
    model = RisorsaUmana
    fields = ("persona", "percentuale_impiego")
    autocomplete_fields = ("persona",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("persona")


class RisorsaStrumentaleInline(RigheDellaScheda, ScopedInline):
    model = RisorsaStrumentale
    fields = ("tipo", "descrizione")


def _pesi(obj, relation: str):
    # .all() so the changelist's prefetch is used: one query for the whole page.
    verifica = verifica_pesi(item.peso for item in getattr(obj, relation).all())
    colore = "green" if verifica.ok else "#b00"
    return format_html('<span style="color:{}">{}</span>', colore, verifica.etichetta)


@admin.register(Obiettivo)
class ObiettivoAdmin(ModificaConServizio, ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("codice", "anno", "denominazione_breve", "settore", "piano", "pesi_indicatori")
    list_filter = (
        ("piano__comune", only_mine),
        anno_filter("anno"),
        ("settore", only_mine),
        "tipo",
        "durata",
    )
    search_fields = ("codice", "denominazione")
    list_select_related = ("settore", "piano__comune")
    filter_horizontal = ("responsabili", "ambiti", "nodi_dup")
    readonly_fields = (
        "punteggio_pesatura",
        "somma_pesi_indicatori",
        "somma_pesi_fasi",
        *RENDICONTAZIONE_OBIETTIVO,
    )
    inlines = [
        IndicatoreInline,
        FaseInline,
        RisorsaFinanziariaInline,
        RisorsaUmanaInline,
        RisorsaStrumentaleInline,
    ]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "piano",
                    "settore",
                    "codice",
                    "anno",
                    "anno_inizio",
                    "anno_fine",
                    "durata",
                )
            },
        ),
        (
            "Contenuto",
            {"fields": ("denominazione", "descrizione", "risultato_atteso", "tipo", "tipo_testo")},
        ),
        (
            "Collegamenti al DUP",
            {
                "fields": (
                    "riferimento_dup",
                    "nodi_dup",
                    "missione",
                    "programma",
                    "indirizzi_dup",
                    "area_tematica",
                    "assessorato",
                    "direzione",
                    "direttore",
                )
            },
        ),
        (
            "Organizzazione",
            {
                "fields": (
                    "riferimento_origine",
                    "modalita_realizzazione",
                    "servizi_coinvolti",
                    "unita_organizzativa_responsabile",
                    "unita_coinvolte",
                    "responsabili",
                    "responsabili_testo",
                    "centro_di_costo",
                    "ambiti",
                )
            },
        ),
        (
            "Pesatura",
            {
                "fields": (
                    "strategicita",
                    "complessita",
                    "tipologia",
                    "punteggio_pesatura",
                    "peso",
                )
            },
        ),
        (
            "Tempi e attuazione",
            {
                "fields": (
                    "data_inizio_prevista",
                    "data_fine_prevista",
                    "data_inizio_effettiva",
                    "data_fine_effettiva",
                    "condizione",
                    "stato_attuazione",
                    "monitoraggio",
                )
            },
        ),
        (
            "Note",
            {
                "fields": (
                    "somma_pesi_indicatori",
                    "somma_pesi_fasi",
                    "risorse_finanziarie_testo",
                    "note",
                    "note_trascrizione",
                )
            },
        ),
    )

    @admin.display(description="punteggio (strategicità + complessità) × tipologia")
    def punteggio_pesatura(self, obj):
        return (
            numero(obj.punteggio)
            or "non calcolabile: mancano strategicità, complessità o tipologia"
        )

    @admin.display(description="denominazione")
    def denominazione_breve(self, obj):
        return obj.denominazione[:80]

    @admin.display(description="pesi indicatori")
    def pesi_indicatori(self, obj):
        return _pesi(obj, "indicatori")

    @admin.display(description="somma pesi indicatori")
    def somma_pesi_indicatori(self, obj):
        return _pesi(obj, "indicatori") if obj.pk else "-"

    @admin.display(description="somma pesi fasi")
    def somma_pesi_fasi(self, obj):
        return _pesi(obj, "fasi") if obj.pk else "-"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("indicatori", "fasi")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)  # inside modifica(): see above
            return
        with modifica(obj, request.user, "pianificazione"):  # a new draft of its settore
            super().save_model(request, obj, form, change)


class RiaperturaSettoreInline(ScopedInline):
    model = RiaperturaSettore
    fields = ("settore", "fino_al", "motivazione", "utente", "quando")


@admin.register(Campagna)
class CampagnaAdmin(ComuneScopedMixin, admin.ModelAdmin):
    list_display = ("__str__", "piano", "anno", "momento", "apertura", "scadenza", "chiusa_il")
    list_filter = (("piano__comune", only_mine), anno_filter("anno"), "momento")
    list_select_related = ("piano__comune",)
    readonly_fields = ("avviso_apertura_il", "avviso_scadenza_il")
    inlines = [RiaperturaSettoreInline]


@admin.register(Avviso)
class AvvisoAdmin(ComuneScopedMixin, admin.ModelAdmin):
    """The record of e-mails sent: read-only."""

    list_display = ("quando", "tipo", "campagna", "settore", "destinatari", "mancanti")
    list_filter = (("campagna__piano__comune", only_mine), "tipo")
    list_select_related = ("campagna__piano__comune", "settore")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PianoConSistemaBloccato(PianoAdmin):
    """The piano's admin (peg) with the workflow's rule on its measurement system: peg
    cannot know the schede's states, so the rule is added here, where it can."""

    SISTEMA = "Sistema di misurazione"

    def _perche(self, obj) -> str:
        return sistema_bloccato(obj) if obj is not None and obj.pk else ""

    def get_readonly_fields(self, request, obj=None):
        campi = tuple(super().get_readonly_fields(request, obj))
        if self._perche(obj):
            campi += dict(self.fieldsets)[self.SISTEMA]["fields"]
        return campi

    def get_fieldsets(self, request, obj=None):
        perche = self._perche(obj)
        if not perche:
            return super().get_fieldsets(request, obj)
        return [
            (nome, {**opzioni, "description": perche} if nome == self.SISTEMA else opzioni)
            for nome, opzioni in super().get_fieldsets(request, obj)
        ]


admin.site.unregister(Piano)
admin.site.register(Piano, PianoConSistemaBloccato)
