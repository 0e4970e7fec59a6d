from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from indicators.graduation import GraduationSyntaxError
from indicators.models import Indicatore
from indicators.scoring import INTERMEDIO, Sistema, punteggio_obiettivo
from peg.access import comune_for_user

from .models import AmbitoPerformance, Obiettivo, RisorsaStrumentale, RisorsaUmana
from .risorse import totali_risorse
from .weights import verifica_pesi


@login_required
def obiettivo_detail(request, comune, obiettivo_id):
    """The scheda obiettivo, laid out like the Chiavari scheda."""
    comune = comune_for_user(request.user, comune)
    obiettivo = get_object_or_404(
        Obiettivo.objects.filter(piano__comune=comune)
        .select_related("piano", "settore", "missione", "programma")
        .prefetch_related(
            "ambiti",
            Prefetch("nodi_dup__padre__padre"),
            Prefetch(
                "indicatori", queryset=Indicatore.objects.prefetch_related("rilevazioni", "storico")
            ),
            "fasi",
            "risorse_finanziarie",
            Prefetch("risorse_umane", queryset=RisorsaUmana.objects.select_related("persona")),
            "risorse_strumentali",
        ),
        pk=obiettivo_id,
    )
    indicatori = list(obiettivo.indicatori.all())
    fasi = list(obiettivo.fasi.all())
    risorse_finanziarie = list(obiettivo.risorse_finanziarie.all())
    strumentali = {tipo: [] for tipo in RisorsaStrumentale.Tipo}
    for risorsa in obiettivo.risorse_strumentali.all():
        strumentali[RisorsaStrumentale.Tipo(risorsa.tipo)].append(risorsa)
    anni_storico = sorted({s.anno for i in indicatori for s in i.storico.all()}, reverse=True)
    # N°, peso, denominazione, formula, 2 + 2 livelli, graduazione, raggiunto, storico, conseguimento
    colonne_indicatori = 11 + len(anni_storico)
    sistema = Sistema.del_piano(obiettivo.piano)
    esito, dettagli = punteggio_obiettivo(obiettivo, sistema)
    intermedio, dettagli_intermedi = punteggio_obiettivo(obiettivo, sistema, INTERMEDIO)
    for indicatore in indicatori:
        indicatore.esito = dettagli["indicatori"][indicatore.pk]
        indicatore.esito_intermedio = dettagli_intermedi["indicatori"][indicatore.pk]
        indicatore.lettura = _lettura(indicatore)
    for fase in fasi:
        fase.esito = dettagli["fasi"][fase.pk]
        fase.lettura = _lettura(fase)
    for indicatore in indicatori:
        indicatore.per_tipo = {r.tipo: r for r in indicatore.rilevazioni.all()}
        storico = {s.anno: s for s in indicatore.storico.all()}
        indicatore.storico_colonne = [storico.get(anno) for anno in anni_storico]
    context = {
        "esito": esito,
        "esito_intermedio": intermedio,
        "comune": comune,
        "piano": obiettivo.piano,
        "obiettivo": obiettivo,
        "indicatori": indicatori,
        "pesi_indicatori": verifica_pesi(i.peso for i in indicatori),
        "fasi": fasi,
        "pesi_fasi": verifica_pesi(f.peso for f in fasi),
        "risorse_finanziarie": risorse_finanziarie,
        "totali_risorse": totali_risorse(risorse_finanziarie),
        "risorse_umane": list(obiettivo.risorse_umane.all()),
        "strumentali": [(tipo.label, righe) for tipo, righe in strumentali.items()],
        "anni_storico": anni_storico,
        "colonne_indicatori": colonne_indicatori,
        "ambiti_scelti": {a.numero for a in obiettivo.ambiti.all()},
        "tutti_ambiti": AmbitoPerformance.objects.all(),
        "altre_schede": Obiettivo.objects.filter(piano=obiettivo.piano, codice=obiettivo.codice)
        .exclude(pk=obiettivo.pk)
        .only("id", "anno", "codice"),
    }
    return render(request, "objectives/obiettivo.html", context)


def _lettura(obj) -> str:
    """The rule read from the graduazione, in canonical Italian (or why it cannot be read)."""
    try:
        rule = obj.regola_letta()
    except (GraduationSyntaxError, ValueError) as exc:
        return f"Graduazione non leggibile: {exc}"
    return rule.describe() if rule else ""
