"""Pages of the campagne di rilevazione: list and creation under the piano, the detail
with who is behind, reopenings, solleciti. Rules in ``objectives.campagne``.

Every role of the comune sees the list of rounds; the detail (who is behind, the
addresses written to) and every change belong to the segreteria: 403 for the other
roles, 404 for users with no role in the comune.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from indicators.engine.formatting import data_lunga
from peg.access import e_segreteria, piano_for_user, settore_del_comune

from . import campagne
from .access import SOLO_SEGRETERIA_CAMPAGNE, campagna_for_user
from .models import Campagna
from .workflow import TransizioneNonAmmessa

DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CampagnaForm(forms.ModelForm):
    class Meta:
        model = Campagna
        fields = ("anno", "momento", "data_riferimento", "apertura", "scadenza", "note")
        widgets = {
            "data_riferimento": DATA,
            "apertura": DATA,
            "scadenza": DATA,
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "apertura": "Dal giorno di apertura i responsabili ricevono l'e-mail con ciò che manca.",
            "note": "Riportate nelle e-mail ai responsabili.",
        }

    def __init__(self, *args, piano, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.piano = piano
        anni = range(piano.anno_inizio, piano.anno_fine + 1)
        self.fields["anno"] = forms.TypedChoiceField(
            label="Anno delle schede", choices=[(a, a) for a in anni], coerce=int
        )

    def salva(self, utente) -> Campagna:
        campagna = self.save(commit=False)
        campagna.creata_da = utente
        campagna.save()
        return campagna

    def clean(self):
        cleaned = super().clean()
        anno, momento = cleaned.get("anno"), cleaned.get("momento")
        # The unique constraint names the piano, which is not a field of this form.
        if Campagna.objects.filter(piano=self.instance.piano, anno=anno, momento=momento).exists():
            self.add_error(
                "momento",
                "Per questo piano e anno esiste già una campagna di questa rilevazione.",
            )
        return cleaned


class RiaperturaForm(forms.Form):
    fino_al = forms.DateField(
        label="Riaperta fino al",
        widget=DATA,
        error_messages={"required": "Indica fino a quando riaprire la campagna."},
    )
    motivazione = forms.CharField(
        label="Motivazione",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "La motivazione è obbligatoria."},
    )

    def clean_fino_al(self):
        fino_al = self.cleaned_data["fino_al"]
        if fino_al < timezone.localdate():
            raise forms.ValidationError("La data è già passata: indica un giorno da oggi in poi.")
        return fino_al

    def clean_motivazione(self):
        motivazione = self.cleaned_data["motivazione"].strip()
        if not motivazione:
            raise forms.ValidationError("La motivazione è obbligatoria.")
        return motivazione


class RiapriForm(forms.Form):
    scadenza = forms.DateField(
        label="Nuova scadenza",
        widget=DATA,
        error_messages={"required": "Indica la nuova scadenza."},
    )

    def __init__(self, *args, campagna, **kwargs):
        self.campagna = campagna
        super().__init__(*args, **kwargs)

    def clean_scadenza(self):
        scadenza = self.cleaned_data["scadenza"]
        if scadenza < max(timezone.localdate(), self.campagna.apertura):
            raise forms.ValidationError(
                "La nuova scadenza non può precedere oggi né l'apertura della campagna."
            )
        return scadenza


def _esito(request, prefisso: str, invio: campagne.Invio) -> None:
    livello = messages.success if invio.avvisi or invio.spostate else messages.info
    if invio.senza_indirizzo:
        livello = messages.warning
    livello(request, f"{prefisso}: {invio.riepilogo()}")


@login_required
def campagne_piano(request, comune, piano_id):
    """The rounds of a piano; the segreteria creates one here (opened at once if due)."""
    piano = piano_for_user(request.user, comune, piano_id)
    segreteria = e_segreteria(request.user, piano.comune)
    if request.method == "POST" and not segreteria:
        raise PermissionDenied(SOLO_SEGRETERIA_CAMPAGNE)
    oggi = timezone.localdate()
    form = None
    if segreteria:
        form = CampagnaForm(
            request.POST if request.method == "POST" else None,
            piano=piano,
            initial={"anno": campagne.anno_proposto(piano, oggi), "apertura": oggi},
        )
    if request.method == "POST":
        if form.is_valid():
            campagna = form.salva(request.user)
            messages.success(
                request, f"Campagna «{campagna.get_momento_display()} {campagna.anno}» creata."
            )
            _apri(request, campagna, oggi)
            return redirect("campagna", piano.comune.slug, campagna.pk)
        messages.error(request, "La campagna non è stata creata: correggi i campi segnalati.")
    contesto = {"comune": piano.comune, "piano": piano, "form": form, "segreteria": segreteria}
    contesto["campagne"] = campagne.del_piano(piano, oggi)
    return render(request, "objectives/campagne.html", contesto)


def _apri(request, campagna, oggi) -> None:
    if campagna.apertura > oggi:
        messages.info(
            request,
            f"Si aprirà il {data_lunga(campagna.apertura)}: le e-mail partiranno quel giorno.",
        )
        return
    # The e-mails are queued (peg.posta): a mail server down never stops the opening.
    invio = campagne.apri(campagna, oggi, request.user)
    if invio is not None:
        _esito(request, "Campagna aperta", invio)


def _dettaglio(request, campagna, *, riaperture=None, riapri=None, status=200):
    situazione = campagne.situazione(campagna, timezone.localdate())
    riaperture = riaperture or {}
    for riga in situazione.righe:
        pk = riga.settore.pk
        riga.riapertura = riaperture.get(pk) or RiaperturaForm(prefix=f"settore-{pk}")
    contesto = {
        "comune": campagna.piano.comune,
        "piano": campagna.piano,
        "campagna": campagna,
        "situazione": situazione,
        "riapri": riapri or RiapriForm(campagna=campagna),
    }
    return render(request, "objectives/campagna.html", contesto, status=status)


@login_required
@require_safe
def campagna_detail(request, comune, campagna_id):
    return _dettaglio(request, campagna_for_user(request.user, comune, campagna_id))


@login_required
@require_POST
def apri_campagna(request, comune, campagna_id):
    """Open now a round whose apertura has come (the cron would do it tonight)."""
    campagna = campagna_for_user(request.user, comune, campagna_id)
    _apri(request, campagna, timezone.localdate())
    return redirect("campagna", campagna.piano.comune.slug, campagna.pk)


@login_required
@require_POST
def chiudi_campagna(request, comune, campagna_id):
    campagna = campagna_for_user(request.user, comune, campagna_id)
    campagne.chiudi(campagna)
    messages.success(
        request,
        "Campagna chiusa: i valori di questa rilevazione non si possono più inserire "
        "(salvo riaperture per settore).",
    )
    return redirect("campagna", campagna.piano.comune.slug, campagna.pk)


@login_required
@require_POST
def riapri_campagna(request, comune, campagna_id):
    campagna = campagna_for_user(request.user, comune, campagna_id)
    form = RiapriForm(request.POST, campagna=campagna)
    if not form.is_valid():
        messages.error(request, "La campagna non è stata riaperta: correggi la data.")
        return _dettaglio(request, campagna, riapri=form)
    campagne.riapri(campagna, form.cleaned_data["scadenza"])
    messages.success(
        request, f"Campagna riaperta fino al {data_lunga(form.cleaned_data['scadenza'])}."
    )
    return redirect("campagna", campagna.piano.comune.slug, campagna.pk)


@login_required
@require_POST
def riapri_settore(request, comune, campagna_id, settore_id):
    campagna = campagna_for_user(request.user, comune, campagna_id)
    settore = settore_del_comune(campagna.piano.comune, settore_id)
    form = RiaperturaForm(request.POST, prefix=f"settore-{settore.pk}")
    if not form.is_valid():
        messages.error(request, f"«{settore}» non è stato riaperto: correggi i campi segnalati.")
        return _dettaglio(request, campagna, riaperture={settore.pk: form})
    dati = form.cleaned_data
    r = campagne.riapri_settore(
        campagna, settore, dati["fino_al"], dati["motivazione"], request.user
    )
    _esito(request, f"Campagna riaperta per «{settore}» fino al {data_lunga(r.fino_al)}", r.invio)
    return redirect("campagna", campagna.piano.comune.slug, campagna.pk)


@login_required
@require_POST
def sollecito(request, comune, campagna_id, settore_id=None):
    """A reminder to one settore, or to every settore still behind."""
    campagna = campagna_for_user(request.user, comune, campagna_id)
    settore = (
        settore_del_comune(campagna.piano.comune, settore_id) if settore_id is not None else None
    )
    try:
        invio = campagne.sollecita(campagna, request.user, timezone.localdate(), settore)
    except TransizioneNonAmmessa as exc:
        messages.error(request, str(exc))
    else:
        _esito(request, "Sollecito", invio)
    return redirect("campagna", campagna.piano.comune.slug, campagna.pk)
