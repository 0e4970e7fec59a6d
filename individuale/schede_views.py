"""The pages of the schede di valutazione individuale: the year's list (with the
segreteria's «Crea le schede»), the scheda (read, votes, obiettivi individuali, the
moves of ``individuale.workflow``), its PDF. Who sees what: ``individuale.access``;
what changes: ``individuale.servizio``; what the scheda page shows and posts:
``individuale.pagina_scheda``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import access, creazione_schede, forms_schede, pagina_scheda, servizio, workflow
from .forms_servizio import ServizioForm, moduli_dell_anno
from .pdf_scheda import nome_file, pdf_scheda

SCHEDA = "individuale/schede/scheda.html"


def _alla_scheda(scheda):
    return redirect("scheda_individuale", scheda.smvp.comune.slug, scheda.pk)


@login_required
@require_safe
def elenco(request, comune, anno):
    smvp = access.smvp_for_user(request.user, comune, anno)
    schede = list(access.schede_dell_anno(request.user, smvp))
    calcolati = servizio.punteggi_di([s for s in schede if s.stato != s.Stato.DEFINITIVA])
    righe = [(s, pagina_scheda.punteggio(s, calcolati)) for s in schede]
    contesto = {
        "comune": smvp.comune,
        "smvp": smvp,
        "righe": righe,
        "puo_creare": access.puo_creare_schede(request.user, smvp.comune),
        "puo_servizio": access.puo_gestire_servizio(request.user, smvp.comune),
    }
    return render(request, "individuale/schede/elenco.html", contesto)


@login_required
@require_http_methods(["GET", "POST"])
def crea(request, comune, anno):
    smvp = access.smvp_for_user(request.user, comune, anno)
    access.verifica_creazione_schede(request.user, smvp.comune)
    form = forms_schede.CreaSchedeForm(request.POST or None, smvp=smvp)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        esito = creazione_schede.crea_schede(
            d["categoria"], d["persone"], d["settore"], request.user, d["valutatore"]
        )
        messages.success(request, f"Schede create: {len(esito.schede)}.")
        if esito.gia_presenti:
            nomi = "; ".join(p.nome for p in esito.gia_presenti)
            messages.warning(request, f"Avevano già la scheda dell'anno: {nomi}.")
        return redirect("schede_individuali", smvp.comune.slug, smvp.anno)
    stato = 400 if request.method == "POST" else 200
    contesto = {"comune": smvp.comune, "smvp": smvp, "form": form}
    return render(request, "individuale/schede/crea.html", contesto, status=stato)


@login_required
@require_POST
def rendi_definitive(request, comune, anno):
    """The segreteria makes final, in one act, the schede whose term expired."""
    smvp = access.smvp_for_user(request.user, comune, anno)
    access.verifica_creazione_schede(request.user, smvp.comune)
    fatte, rifiutate = servizio.rendi_definitive_scadute(smvp, request.user)
    messages.success(request, f"Schede rese definitive: {len(fatte)}.")
    for scheda, motivo in rifiutate:
        messages.warning(request, f"{scheda.persona.nome}: {motivo}")
    return redirect("schede_individuali", smvp.comune.slug, smvp.anno)


@login_required
@require_safe
def scheda(request, comune, scheda_id):
    s = access.scheda_for_user(request.user, comune, scheda_id)
    return render(request, SCHEDA, pagina_scheda.contesto(request.user, s))


def _conflitto(request, scheda, errore, nome, form):
    """409: the page again with the message and the form as the user typed it."""
    messages.error(
        request,
        f"{errore} Le tue modifiche non sono state salvate: rileggi la scheda e riprova "
        "(quello che avevi scritto è ancora nel modulo).",
    )
    aggiornata = access.scheda_for_user(request.user, scheda.smvp.comune.slug, scheda.pk)
    contesto = pagina_scheda.contesto(request.user, aggiornata, **{nome: form})
    return render(request, SCHEDA, contesto, status=409)


def _esegui(request, scheda, nome, form, chiamata, fatto):
    """Run the service with a valid form (400 with the errors if not valid)."""
    if form is not None and not form.is_valid():
        contesto = pagina_scheda.contesto(request.user, scheda, **{nome: form})
        return render(request, SCHEDA, contesto, status=400)
    try:
        cambio = chiamata(form.cleaned_data if form is not None else {})
    except servizio.ModificaConcorrente as errore:
        return _conflitto(request, scheda, errore, nome, form)
    messages.success(request, fatto if cambio.cambiata else "Nessuna modifica da salvare.")
    return _alla_scheda(scheda)


@login_required
@require_POST
def voti(request, comune, scheda_id):
    s = access.scheda_for_user(request.user, comune, scheda_id)
    pagina_scheda.leggi(s)
    form = forms_schede.VotiForm(
        request.POST,
        scheda=s,
        comportamenti=s.categoria.comportamenti.all(),
        voti=s.voti.all(),
        prefix="voti",
    )

    def salva(d):
        return servizio.salva_voti(s, request.user, d["versione"], form.voti(), d["giudizio"])

    return _esegui(request, s, "voti", form, salva, "Voti e giudizio salvati.")


@login_required
@require_POST
def obiettivi(request, comune, scheda_id):
    s = access.scheda_for_user(request.user, comune, scheda_id)
    pagina_scheda.leggi(s)
    assegnati = s.obiettivi_assegnati.all()
    form = forms_schede.ObiettiviForm(
        request.POST, scheda=s, assegnati=assegnati, prefix="obiettivi"
    )

    def salva(d):
        return servizio.assegna_obiettivi(s, request.user, d["versione"], form.pesi())

    return _esegui(request, s, "obiettivi", form, salva, "Obiettivi individuali salvati.")


@login_required
@require_POST
def dati_di_servizio(request, comune, scheda_id):
    """The segreteria's «Dati di servizio» on the scheda's page."""
    s = access.scheda_for_user(request.user, comune, scheda_id)
    workflow.verifica_modifica(request.user, s, "servizio")  # who and when, before the form
    form = ServizioForm(request.POST, scheda=s, prefix="servizio")

    def salva(d):
        return servizio.salva_servizio(
            s, request.user, d["versione"], d["percentuale_servizio"], d["giorni_servizio"]
        )

    return _esegui(request, s, "servizio", form, salva, "Dati di servizio salvati.")


@login_required
@require_http_methods(["GET", "POST"])
def servizio_dell_anno(request, comune, anno):
    """The ufficio personale's (and the segreteria's) page: part-time and days of every
    scheda of the year, those not DEFINITIVA editable; only the changed rows are saved."""
    smvp = access.smvp_for_user(request.user, comune, anno)
    access.verifica_servizio(request.user, smvp.comune)
    schede = list(access.schede_per_servizio(smvp))
    modificabili = [s for s in schede if workflow.puo_modificare(request.user, s, "servizio")]
    moduli = moduli_dell_anno(modificabili, request.POST or None)
    if request.method == "POST" and all(m.is_valid() for m in moduli):
        cambiate = sum(_salva_riga(request, m) for m in moduli if m.has_changed())
        messages.success(request, f"Dati di servizio: schede cambiate {cambiate}.")
        return redirect("servizio_schede_individuali", smvp.comune.slug, smvp.anno)
    per_scheda = {m.prefix: m for m in moduli}
    contesto = {
        "comune": smvp.comune,
        "smvp": smvp,
        "righe": [(s, per_scheda.get(f"s{s.pk}")) for s in schede],
    }
    stato = 400 if request.method == "POST" else 200
    return render(request, "individuale/schede/servizio.html", contesto, status=stato)


def _salva_riga(request, modulo) -> bool:
    """One row of the year's page; a stale or refused row is said, the others saved."""
    s, d = modulo.scheda, modulo.cleaned_data
    try:
        cambio = servizio.salva_servizio(
            s, request.user, d["versione"], d["percentuale_servizio"], d["giorni_servizio"]
        )
    except (servizio.ModificaConcorrente, workflow.TransizioneNonAmmessa) as errore:
        messages.error(request, f"{s.persona.nome}: {errore} Riga non salvata.")
        return False
    return cambio.cambiata


@login_required
@require_POST
def azione(request, comune, scheda_id, nome):
    s = access.scheda_for_user(request.user, comune, scheda_id)
    esecuzione = pagina_scheda.ESECUZIONI.get(nome)
    if esecuzione is None:
        raise Http404("Azione sconosciuta.")
    # Refused before the form is read: the reason (a term expired, a wrong role) first.
    workflow.verifica_azione(request.user, s, nome)
    form = pagina_scheda.modulo_azione(nome, s, request.POST)

    def esegui(d):
        return esecuzione.esegui(s, request.user, d)

    return _esegui(request, s, nome, form, esegui, esecuzione.fatto)


@login_required
@require_safe
def pdf(request, comune, scheda_id):
    s = access.scheda_for_user(request.user, comune, scheda_id)
    risposta = HttpResponse(pdf_scheda(s), content_type="application/pdf")
    risposta["Content-Disposition"] = f'inline; filename="{nome_file(s)}"'
    return risposta
