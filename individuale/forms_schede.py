"""The forms of the schede individuali's pages: votes, obiettivi individuali, each move's
data, the creation of the schede. Numbers the Italian way (``peg.forms``); every form
that decides on what the page showed carries the scheda's ``versione``."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone

from indicators.engine.formatting import numero_compatto
from objectives.models import Obiettivo
from objectives.workflow import APPROVATI
from peg.access import utenti_del_comune
from peg.forms import DecimaleItaliano, TestoItaliano
from peg.models import Persona, Settore
from valutazione.models import Seduta

from . import workflow
from .creazione_schede import valutatore_dalla_catena
from .models import Categoria, Contestazione, SchedaIndividuale

DATA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TESTO = forms.Textarea(attrs={"rows": 3})
CENTO = Decimal("100")


class ConVersione(forms.Form):
    versione = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def _voto(categoria, **kwargs) -> DecimaleItaliano:
    return DecimaleItaliano(
        min_value=categoria.scala_minima,
        max_value=categoria.scala_massima,
        max_digits=5,
        decimal_places=2,
        required=False,
        **kwargs,
    )


class VotiForm(ConVersione):
    """A vote and a comment per comportamento of the categoria, and the giudizio."""

    giudizio = TestoItaliano(label="Giudizio del valutatore", widget=TESTO, required=False)

    def __init__(self, *args, scheda: SchedaIndividuale, comportamenti, voti, **kwargs):
        super().__init__(*args, **kwargs)
        self.comportamenti = list(comportamenti)
        per_comportamento = {v.comportamento_id: v for v in voti}
        self.initial.setdefault("versione", scheda.versione)
        self.initial.setdefault("giudizio", scheda.note_valutatore)
        for c in self.comportamenti:
            voto = per_comportamento.get(c.pk)
            self.fields[f"voto_{c.pk}"] = _voto(
                scheda.categoria,
                label=f"Voto: {c.nome}",
                initial=voto.voto if voto else None,
            )
            self.fields[f"commento_{c.pk}"] = TestoItaliano(
                label=f"Commento: {c.nome}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=voto.commento if voto else "",
            )

    def righe(self):
        """(comportamento, voto field, commento field) for the template."""
        return [(c, self[f"voto_{c.pk}"], self[f"commento_{c.pk}"]) for c in self.comportamenti]

    def voti(self) -> dict[int, tuple[Decimal | None, str]]:
        d = self.cleaned_data
        return {
            c.pk: (d[f"voto_{c.pk}"], d[f"commento_{c.pk}"].strip()) for c in self.comportamenti
        }


def obiettivi_assegnabili(scheda: SchedaIndividuale):
    """The approved obiettivi of the scheda's year, in the scheda's comune."""
    return (
        Obiettivo.objects.filter(
            piano__comune_id=scheda.smvp.comune_id, anno=scheda.smvp.anno, stato__in=APPROVATI
        )
        .select_related("settore")
        .order_by("settore__codice", "codice_ordinabile")
    )


class ObiettiviForm(ConVersione):
    """A weight per approved obiettivo of the year: those with a weight are assigned;
    the weights sum to 100,00 (or none is assigned)."""

    def __init__(self, *args, scheda: SchedaIndividuale, assegnati, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("versione", scheda.versione)
        pesi = {a.obiettivo_id: a.peso for a in assegnati}
        self.obiettivi = list(obiettivi_assegnabili(scheda))
        for o in self.obiettivi:
            self.fields[f"peso_{o.pk}"] = DecimaleItaliano(
                label=f"Peso di {o.codice}",
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                required=False,
                initial=pesi.get(o.pk),
            )

    def righe(self):
        return [(o, self[f"peso_{o.pk}"]) for o in self.obiettivi]

    def pesi(self) -> dict[int, Decimal]:
        return {
            o.pk: self.cleaned_data[f"peso_{o.pk}"]
            for o in self.obiettivi
            if self.cleaned_data.get(f"peso_{o.pk}")
        }

    def clean(self):
        dati = super().clean()
        if not self.errors:
            totale = sum(self.pesi().values(), Decimal(0))
            if totale and totale != CENTO:
                raise forms.ValidationError(
                    f"I pesi degli obiettivi individuali sommano a {totale:.2f}%".replace(".", ",")
                    + ": devono fare 100,00%."
                )
        return dati


class ProponiForm(ConVersione):
    seduta = forms.ModelChoiceField(
        label="Seduta del Nucleo",
        queryset=Seduta.objects.none(),
        empty_label="— scegli la seduta —",
        error_messages={"required": "La proposta va riferita a una seduta del Nucleo."},
    )

    def __init__(self, *args, scheda: SchedaIndividuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("versione", scheda.versione)
        self.fields["seduta"].queryset = Seduta.objects.filter(
            comune_id=scheda.smvp.comune_id, chiusa=False
        ).order_by("-data", "-numero")
        self.fields["seduta"].label_from_instance = str


class ColloquioForm(ConVersione):
    colloquio_data = forms.DateField(label="Data del colloquio", widget=DATA)
    colloquio_note = TestoItaliano(label="Note del colloquio", widget=TESTO, required=False)

    def __init__(self, *args, scheda: SchedaIndividuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("versione", scheda.versione)
        self.initial.setdefault("colloquio_data", timezone.localdate())


class DecidiForm(ColloquioForm):
    """The sindaco's decision: the colloquio, and the votes he changes with a motivazione."""

    motivazione = TestoItaliano(
        label="Motivazione (se cambi dei voti)", widget=TESTO, required=False
    )

    def __init__(self, *args, scheda: SchedaIndividuale, voti, **kwargs):
        super().__init__(*args, scheda=scheda, **kwargs)
        self.voti_proposti = list(voti)
        for v in self.voti_proposti:
            self.fields[f"voto_{v.comportamento_id}"] = _voto(
                scheda.categoria, label=f"Voto: {v.comportamento.nome}", initial=v.voto
            )

    def righe(self):
        return [(v, self[f"voto_{v.comportamento_id}"]) for v in self.voti_proposti]

    def voti(self) -> dict[int, tuple[Decimal | None, str]]:
        return {
            v.comportamento_id: (self.cleaned_data[f"voto_{v.comportamento_id}"], "")
            for v in self.voti_proposti
        }


class CartaceaForm(forms.Form):
    il = forms.DateField(label="Data della presa visione firmata", widget=DATA)

    def __init__(self, *args, scheda: SchedaIndividuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheda = scheda

    def clean_il(self):
        # The service checks again under the lock; here the error stays on the field.
        il = self.cleaned_data["il"]
        try:
            workflow.verifica_data_cartacea(self.scheda, il)
        except workflow.TransizioneNonAmmessa as exc:
            raise forms.ValidationError(str(exc)) from exc
        return il


class ConciliazioneForm(forms.Form):
    motivi = TestoItaliano(label="Motivi della richiesta", widget=TESTO)
    voto = forms.ModelChoiceField(
        label="Su un comportamento (facoltativo)",
        queryset=None,
        required=False,
        empty_label="— sull'intera scheda —",
    )

    def __init__(self, *args, scheda: SchedaIndividuale, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voto"].queryset = scheda.voti.select_related("comportamento")
        self.fields["voto"].label_from_instance = lambda v: (
            f"{v.comportamento.nome} (voto {numero_compatto(v.voto)})"
        )


class RispostaForm(ConVersione):
    """The answer: esito, text, and the new vote — of the contested comportamento, or,
    for a request on the whole scheda, of the comportamento chosen here."""

    esito = forms.ChoiceField(label="Esito", choices=Contestazione.Esito.choices)
    risposta = TestoItaliano(label="Risposta", widget=TESTO)

    def __init__(self, *args, scheda: SchedaIndividuale, richiesta=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("versione", scheda.versione)
        if richiesta is not None and richiesta.voto_id is None:
            self.fields["voto"] = forms.ModelChoiceField(
                label="Comportamento da rivedere (se un voto cambia)",
                queryset=scheda.voti.select_related("comportamento"),
                required=False,
                empty_label="— nessun voto cambia —",
            )
            self.fields["voto"].label_from_instance = lambda v: (
                f"{v.comportamento.nome} (voto {numero_compatto(v.voto)})"
            )
        self.fields["voto_dopo"] = _voto(scheda.categoria, label="Nuovo voto (se cambia)")

    def voto_id(self) -> int | None:
        voto = self.cleaned_data.get("voto")
        return voto.pk if voto else None


class CreaSchedeForm(forms.Form):
    """The segreteria's «Crea le schede»: persone of a categoria, the settore whose
    results count for them, the evaluator when the chain does not give one."""

    categoria = forms.ModelChoiceField(label="Categoria", queryset=None)
    settore = forms.ModelChoiceField(
        label="Settore (la sua performance organizzativa; il suo responsabile valuta)",
        queryset=None,
        required=False,
    )
    persone = forms.ModelMultipleChoiceField(
        label="Persone", queryset=None, widget=forms.CheckboxSelectMultiple
    )
    valutatore = forms.ModelChoiceField(
        label="Valutatore (se la catena non lo indica)", queryset=None, required=False
    )

    def __init__(self, *args, smvp, **kwargs):
        super().__init__(*args, **kwargs)
        comune = smvp.comune
        self.fields["categoria"].queryset = smvp.categorie.all()
        self.fields["settore"].queryset = Settore.objects.filter(comune=comune).order_by("codice")
        self.fields["persone"].queryset = (
            Persona.objects.filter(comune=comune)
            .exclude(schede_individuali__smvp=smvp)
            .order_by("nome")
        )
        self.fields["persone"].label_from_instance = lambda p: " · ".join(
            x for x in (p.nome, p.get_area_display(), p.categoria) if x
        )
        self.fields["valutatore"].queryset = utenti_del_comune(comune).order_by("username")
        self.fields["valutatore"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        dati = super().clean()
        categoria, persone = dati.get("categoria"), dati.get("persone")
        if categoria and persone and categoria.aree:
            fuori = [p.nome for p in persone if p.area not in categoria.aree]
            if fuori:
                raise forms.ValidationError(
                    f"Non sono delle aree della categoria «{categoria}»: " + "; ".join(fuori) + "."
                )
        if categoria and categoria.valutatore != Categoria.Valutatore.NUCLEO_SINDACO:
            chi = valutatore_dalla_catena(categoria, dati.get("settore"), dati.get("valutatore"))
            if chi is None:
                # A scheda nobody may evaluate would be stuck in compilazione.
                self.add_error(
                    "valutatore",
                    f"La catena della categoria («{categoria.get_valutatore_display()}») non "
                    "indica nessuno con un accesso: scegli il valutatore.",
                )
        return dati
