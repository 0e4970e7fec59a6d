"""Pages of the richieste di variazione: ask (the settore's responsabile), the list of a
piano, one request with the segreteria's decision. Rules in ``objectives.richieste``,
who sees what in ``objectives.access``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from peg.access import piano_for_user

from . import richieste
from .access import obiettivo_for_user, richiesta_for_user, richieste_del_piano


class RichiestaForm(forms.Form):
    cosa = forms.CharField(
        label="Che cosa cambiare",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Scrivi che cosa cambiare."},
        help_text="Es. «valore atteso dell'indicatore 2 da 10 a 8», «fine della fase 3 al 30 novembre».",
    )
    indicatore = forms.ModelChoiceField(
        label="Indicatore (facoltativo)", queryset=None, required=False
    )
    fase = forms.ModelChoiceField(label="Fase (facoltativa)", queryset=None, required=False)
    motivazione = forms.CharField(
        label="Perché",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Scrivi perché."},
    )

    def __init__(self, *args, obiettivo, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicatore"].queryset = obiettivo.indicatori.order_by("numero")
        self.fields["indicatore"].label_from_instance = lambda i: f"Indicatore {i}"
        self.fields["fase"].queryset = obiettivo.fasi.order_by("numero")


class AccoglimentoForm(forms.Form):
    delibera_numero = forms.CharField(label="Delibera n. (facoltativa)", required=False)
    delibera_data = forms.DateField(
        label="del",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Scrivi la data della delibera come 28/03/2019."},
    )

    def clean(self):
        dati = super().clean()
        if bool(dati.get("delibera_numero")) != bool(dati.get("delibera_data")):
            raise forms.ValidationError("Della delibera servono numero e data, o nessuno dei due.")
        return dati


class RifiutoForm(forms.Form):
    risposta = forms.CharField(
        label="Perché la respingi",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Scrivi perché la richiesta è respinta."},
    )


@login_required
def richiedi_variazione(request, comune, obiettivo_id):
    """The settore's responsabile asks for a variazione of an approved scheda."""
    obiettivo = obiettivo_for_user(request.user, comune, obiettivo_id)
    richieste.verifica_richiesta(request.user, obiettivo)
    form = RichiestaForm(request.POST or None, obiettivo=obiettivo)
    if request.method == "POST" and form.is_valid():
        # The e-mails are queued (peg.posta): a mail server down never fails the request.
        richiesta = richieste.chiedi(obiettivo, request.user, **form.cleaned_data)
        messages.success(
            request,
            "Richiesta di variazione inviata alla segreteria: riceverai un'e-mail "
            "quando sarà accolta o respinta.",
        )
        return redirect("richiesta_variazione", obiettivo.piano.comune.slug, richiesta.pk)
    elif request.method == "POST":
        messages.error(request, "La richiesta non è stata inviata: correggi i campi segnalati.")
    contesto = {"comune": obiettivo.piano.comune, "piano": obiettivo.piano}
    contesto |= {"obiettivo": obiettivo, "form": form}
    return render(request, "objectives/richiedi_variazione.html", contesto)


@login_required
def richieste_variazione(request, comune, piano_id):
    """The requests of a piano: those waiting first, then the history."""
    piano = piano_for_user(request.user, comune, piano_id)
    elenco = list(richieste_del_piano(request.user, piano).order_by("-richiesta_il", "-id"))
    contesto = {"comune": piano.comune, "piano": piano}
    contesto["in_attesa"] = [r for r in elenco if r.stato == r.Stato.IN_ATTESA]
    contesto["decise"] = [r for r in elenco if r.stato != r.Stato.IN_ATTESA]
    return render(request, "objectives/richieste.html", contesto)


@login_required
def richiesta_variazione(request, comune, richiesta_id):
    richiesta = richiesta_for_user(request.user, comune, richiesta_id)
    o = richiesta.obiettivo
    contesto = {"comune": o.piano.comune, "piano": o.piano, "obiettivo": o}
    contesto |= {"richiesta": richiesta, "delibera": richieste.delibera(richiesta)}
    if richieste.puo_decidere(request.user, richiesta):
        contesto |= {"accogli": AccoglimentoForm(), "respingi": RifiutoForm()}
    return render(request, "objectives/richiesta.html", contesto)


@login_required
@require_POST
def accogli_richiesta(request, comune, richiesta_id):
    """Accepted: on to the variazione, its motivazione already written."""
    richiesta = richiesta_for_user(request.user, comune, richiesta_id)
    richieste.verifica_decisione(request.user, richiesta)
    form = AccoglimentoForm(request.POST)
    slug = richiesta.obiettivo.piano.comune.slug
    if not form.is_valid():
        messages.error(request, "La richiesta non è stata accolta: " + _errori(form))
        return redirect("richiesta_variazione", slug, richiesta.pk)
    richieste.accogli(richiesta, request.user, **form.cleaned_data)
    messages.success(
        request,
        "Richiesta accolta e responsabile avvisato: registra ora la variazione "
        "(la motivazione è già scritta).",
    )
    return redirect("modifica_obiettivo", slug, richiesta.obiettivo_id)


@login_required
@require_POST
def respingi_richiesta(request, comune, richiesta_id):
    richiesta = richiesta_for_user(request.user, comune, richiesta_id)
    richieste.verifica_decisione(request.user, richiesta)
    form = RifiutoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "La richiesta non è stata respinta: " + _errori(form))
    else:
        richieste.respingi(richiesta, request.user, form.cleaned_data["risposta"])
        messages.success(request, "Richiesta respinta: il responsabile ne riceve il motivo.")
    return redirect("richiesta_variazione", richiesta.obiettivo.piano.comune.slug, richiesta.pk)


def _errori(form) -> str:
    return " ".join(e for errori in form.errors.values() for e in errori)
