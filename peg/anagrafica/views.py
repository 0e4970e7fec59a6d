"""The anagrafica's pages: a new comune (the system's administrator), the comune's
organigramma with its settori, persone and ruoli, the invitations and the import (its
segreteria), and the page where an invited user chooses the password."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from .. import views as peg_views
from ..access import (
    comune_for_user,
    per_chiave_nel_comune,
    verifica_amministratore,
    verifica_segreteria,
)
from ..models import Persona, Settore
from . import comuni, inviti, organigramma, ruoli, salvataggio
from .forms import ComuneForm, DatiComuneForm, OrganigrammaForm, PersonaForm, SettoreForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _della_segreteria(user, slug):
    comune = comune_for_user(user, slug)
    verifica_segreteria(
        user, comune, f"L'organigramma di {comune.nome} lo gestisce solo la segreteria del comune."
    )
    return comune


@login_required
def nuovo_comune(request):
    verifica_amministratore(
        request.user, "Un nuovo comune lo crea solo l'amministratore del sistema."
    )
    form = ComuneForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        dati = form.cleaned_data
        try:
            persona = comuni.crea(
                form.instance,
                segreteria_nome=dati["segreteria_nome"],
                segreteria_email=dati["segreteria_email"],
                da=request.user,
            )
        except ValidationError as exc:  # a check of the model the form could not make
            form.add_error(None, exc)
            return render(request, "peg/anagrafica/nuovo_comune.html", {"form": form})
        testo = f"{form.instance} creato."
        if persona:
            testo += f" L'invito ad accedere è partito per {persona.nome} ({persona.email})."
        messages.success(request, testo)
        return redirect("organizzazione", form.instance.slug)
    return render(request, "peg/anagrafica/nuovo_comune.html", {"form": form})


@login_required
def dati_comune(request, comune):
    comune = _della_segreteria(request.user, comune)
    form = DatiComuneForm(request.POST or None, request.FILES or None, instance=comune)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
        messages.success(request, f"Dati di {comune} salvati.")
        return redirect("comune", comune.slug)
    return render(request, "peg/anagrafica/dati_comune.html", {"comune": comune, "form": form})


@login_required
@require_safe
def organizzazione(request, comune):
    comune = _della_segreteria(request.user, comune)
    tipi = ruoli.etichette_per_utente(comune)
    persone = [
        (p, tipi.get(p.utente_id, []), _accesso(p)) for p in comune.persone.select_related("utente")
    ]
    settori = comune.settori.prefetch_related("servizi", "responsabili", "addetti")
    contesto = {"comune": comune, "settori": settori, "persone": persone}
    return render(request, "peg/anagrafica/organizzazione.html", contesto)


def _accesso(persona) -> str:
    if not persona.utente_id:
        return ""
    return "in attesa della password" if inviti.in_attesa(persona.utente) else "attivo"


@login_required
def settore(request, comune, settore_id=None):
    comune = _della_segreteria(request.user, comune)
    istanza = per_chiave_nel_comune(Settore, comune, settore_id) if settore_id else None
    form = SettoreForm(request.POST or None, instance=istanza, comune=comune)
    if request.method == "POST" and form.is_valid():
        salvataggio.salva_settore(form)
        messages.success(request, f"Settore «{form.instance}» salvato.")
        return redirect("organizzazione", comune.slug)
    contesto = {"comune": comune, "form": form, "settore": istanza}
    return render(request, "peg/anagrafica/settore.html", contesto)


@login_required
def persona(request, comune, persona_id=None):
    comune = _della_segreteria(request.user, comune)
    istanza = per_chiave_nel_comune(Persona, comune, persona_id) if persona_id else None
    attuali = ruoli.tipi_di(istanza) if istanza else set()
    form = PersonaForm(request.POST or None, instance=istanza, comune=comune, ruoli_attuali=attuali)
    if request.method == "POST" and form.is_valid():
        accesso = salvataggio.salva_persona(form, da=request.user)
        testo = f"{form.instance.nome} salvata."
        if accesso == "invitata":
            testo += f" L'invito ad accedere è partito per {form.instance.email}."
        elif accesso == "email_non_cambiata":
            testo += (
                f" Il suo utente resta con l'indirizzo {form.instance.utente.email}: "
                "accede già, o serve anche altri comuni."
            )
        messages.success(request, testo)
        return redirect("organizzazione", comune.slug)
    contesto = {"comune": comune, "form": form, "persona": istanza}
    contesto["accesso"] = _accesso(istanza) if istanza else ""
    return render(request, "peg/anagrafica/persona.html", contesto)


@login_required
@require_POST
def invita(request, comune, persona_id):
    """Send the invitation (again: a lost e-mail, an expired link; or the first time,
    after an import without invitations): only to a user who has not chosen a password
    yet."""
    comune = _della_segreteria(request.user, comune)
    persona = per_chiave_nel_comune(Persona, comune, persona_id)
    if not persona.utente_id:
        messages.error(request, f"{persona.nome} non ha ruoli: dagliene uno per invitarla.")
    elif not inviti.in_attesa(persona.utente):
        messages.info(request, f"{persona.nome} accede già: non serve un invito.")
    else:
        try:
            inviti.invita(persona, comune, da=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Invito inviato a {persona.utente.email}.")
    return redirect("modifica_persona", comune.slug, persona.pk)


@login_required
def importa(request, comune):
    comune = _della_segreteria(request.user, comune)
    form = OrganigrammaForm(request.POST or None, request.FILES or None)
    esito, solo_verifica = None, request.POST.get("azione") != "importa"
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        esito = organigramma.importa(
            comune,
            file.read(),
            file.name,
            solo_verifica=solo_verifica,
            da=request.user,
            invita=form.cleaned_data["inviti"],
        )
    contesto = {"comune": comune, "form": form, "esito": esito, "solo_verifica": solo_verifica}
    errato = request.method == "POST" and (not form.is_valid() or not esito.ok)
    return render(request, "peg/anagrafica/importa.html", contesto, status=400 if errato else 200)


@login_required
@require_safe
def modello(request, comune):
    comune = _della_segreteria(request.user, comune)
    risposta = HttpResponse(organigramma.modello(), content_type=XLSX)
    risposta["Content-Disposition"] = f'attachment; filename="organigramma-{comune.slug}.xlsx"'
    return risposta


class Invito(peg_views.NuovaPassword):
    """The invitation's link: the invited user chooses the password (a token of its own,
    valid for days: peg.anagrafica.inviti)."""

    token_generator = inviti.generatore
    template_name = "peg/anagrafica/invito.html"
