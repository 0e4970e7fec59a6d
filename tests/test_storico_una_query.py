"""The scheda's «Tutte le modifiche» list reads every history table in one query and
shows exactly what it showed when it read them one by one (the old reader, below, is
the reference)."""

import datetime
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Indicatore, Rilevazione
from objectives import storico
from objectives.models import Fase, Obiettivo, RisorsaFinanziaria, RisorsaStrumentale, RisorsaUmana
from peg.formatting import in_parole
from tests.factories import (
    FaseFactory,
    IndicatoreFactory,
    ObiettivoFactory,
    RilevazioneFactory,
    RisorsaFinanziariaFactory,
    RisorsaStrumentaleFactory,
    RisorsaUmanaFactory,
    SettoreFactory,
    UserFactory,
)


def _fonti(obiettivo_id):
    yield Obiettivo, Obiettivo.history.filter(id=obiettivo_id), lambda r: "obiettivo"
    yield (
        Indicatore,
        Indicatore.history.filter(obiettivo_id=obiettivo_id),
        lambda r: f"indicatore {r.numero}",
    )
    yield Fase, Fase.history.filter(obiettivo_id=obiettivo_id), lambda r: f"fase {r.numero}"
    yield (
        Rilevazione,
        Rilevazione.history.filter(indicatore__obiettivo_id=obiettivo_id).select_related(
            "indicatore"
        ),
        lambda r: f"rilevazione {r.get_tipo_display().lower()} (indicatore {r.indicatore.numero})",
    )
    for model, nome in (
        (RisorsaFinanziaria, "risorsa finanziaria"),
        (RisorsaUmana, "risorsa umana"),
        (RisorsaStrumentale, "risorsa strumentale"),
    ):
        yield model, model.history.filter(obiettivo_id=obiettivo_id), lambda r, nome=nome: nome


def _valore(record, campo, nomi):
    return in_parole(getattr(record, campo.attname), campo, nomi)


def _storico_di_prima(obiettivo, limite=300):
    """objectives.storico.storico_obiettivo as it was (one query per history table)."""
    voci, nomi = [], {}
    for model, queryset, nome in _fonti(obiettivo.pk):
        campi = [f for f in model._meta.concrete_fields if f.name not in storico.IGNORATI]
        precedenti = {}
        for record in queryset.select_related("history_user").order_by(
            "history_date", "history_id"
        ):
            voce = storico.Voce(
                quando=record.history_date,
                utente=record.history_user.get_full_name() or record.history_user.username
                if record.history_user
                else "sistema",
                oggetto=nome(record),
                tipo=storico.TIPI[record.history_type],
                motivo=record.history_change_reason or "",
            )
            prima = precedenti.get(record.id)
            if prima is not None and record.history_type == "~":
                voce.cambi = [
                    (str(c.verbose_name), _valore(prima, c, nomi), _valore(record, c, nomi))
                    for c in campi
                    if getattr(prima, c.attname) != getattr(record, c.attname)
                ]
                if not voce.cambi and not voce.motivo:
                    precedenti[record.id] = record
                    continue
            precedenti[record.id] = record
            voci.append(voce)
    voci.sort(key=lambda v: v.quando, reverse=True)
    return voci[:limite]


def _salva(obj, utente=None, motivo=None, **valori):
    for k, v in valori.items():
        setattr(obj, k, v)
    obj._history_user = utente
    if motivo:
        obj._change_reason = motivo
    obj.save()


def _scheda_con_storia():
    utente = UserFactory(username="mario", first_name="Mario", last_name="Rossi")
    anonimo = UserFactory(username="senza-nome")
    obiettivo = ObiettivoFactory(data_fine_prevista=datetime.date(2019, 12, 31))
    altro = ObiettivoFactory(piano=obiettivo.piano)
    _salva(obiettivo, utente, "Nuovo titolo", titolo="Titolo cambiato")
    _salva(
        obiettivo,
        anonimo,
        data_fine_prevista=datetime.date(2020, 3, 31),
        settore=SettoreFactory(comune=obiettivo.piano.comune),
    )
    _salva(obiettivo, utente)  # nothing changed, no reason: not listed
    indicatori = [IndicatoreFactory(obiettivo=obiettivo, numero=n, peso=D("50")) for n in (1, 2)]
    _salva(indicatori[0], utente, peso=D("40.5"), denominazione="Altro nome")
    IndicatoreFactory(obiettivo=altro, numero=1)
    rilevazione = RilevazioneFactory(indicatore=indicatori[1])
    _salva(rilevazione, utente, "Dato corretto", valore=D("12.345"))
    fase = FaseFactory(obiettivo=obiettivo, numero=1, peso=D("100"))
    _salva(fase, anonimo, peso=D("90"), data_fine_prevista=datetime.date(2019, 6, 30))
    fase.delete()
    risorsa = RisorsaFinanziariaFactory(obiettivo=obiettivo)
    _salva(risorsa, utente, importo=D("23000"))
    umana = RisorsaUmanaFactory(obiettivo=obiettivo)
    _salva(umana, utente, percentuale_impiego=D("25"))
    strumentale = RisorsaStrumentaleFactory(obiettivo=obiettivo)
    _salva(strumentale, utente, descrizione="Un furgone")
    strumentale.delete()
    indicatori[0].delete()  # its history stays; its rilevazioni none
    return obiettivo


def test_the_list_is_the_same_as_before(db):
    obiettivo = _scheda_con_storia()
    prima = _storico_di_prima(obiettivo)
    assert len(prima) > 12
    assert storico.storico_obiettivo(obiettivo) == prima
    assert storico.storico_obiettivo(obiettivo, limite=5) == prima[:5]


def test_the_list_is_the_same_on_a_demo_scheda(demo):
    chiavari = demo("chiavari")
    for obiettivo in Obiettivo.objects.filter(piano__comune=chiavari)[:5]:
        assert storico.storico_obiettivo(obiettivo) == _storico_di_prima(obiettivo)


def test_every_history_table_in_one_query(db):
    obiettivo = _scheda_con_storia()
    with CaptureQueriesContext(connection) as queries:
        storico.storico_obiettivo(obiettivo)
    storia = [q for q in queries.captured_queries if "historical" in q["sql"]]
    assert len(storia) == 1


def test_the_query_is_compiled_once_and_reused_for_every_scheda(db, monkeypatch):
    """Building the UNION (hundreds of typed NULL columns) cost more than running it:
    it is compiled once per database, each scheda only changes its parameters."""
    from django.db.models.sql.compiler import SQLCompiler

    storico.storico_obiettivo(ObiettivoFactory())  # compiled here (or earlier)
    obiettivo = _scheda_con_storia()
    prima = _storico_di_prima(obiettivo)
    compilate = []
    originale = SQLCompiler.as_sql

    def as_sql(self, *args, **kwargs):
        sql, params = originale(self, *args, **kwargs)
        if "historical" in sql:
            compilate.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", as_sql)
    assert storico.storico_obiettivo(obiettivo) == prima
    assert compilate == []


def test_named_parameters_read_what_the_positional_ones_read(db):
    """peg.compilate.con_nomi: the query with named parameters (run without the backend's
    rewriting of each "%s") reads the same rows, a literal "%" included; with a count of
    "%s" other than the parameters' the query stays as it was."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    from peg.compilate import con_nomi

    ObiettivoFactory(codice="A%1")
    ObiettivoFactory(codice="B1")
    queryset = (
        Obiettivo.objects.filter(codice__contains="%")
        .annotate(etichetta=Concat("codice", Value(" · %s")))
        .values_list("codice", "etichetta")
    )
    sql, params = queryset.query.sql_with_params()
    nominata, per_nome = con_nomi(sql, params)
    assert isinstance(per_nome, dict) and len(per_nome) == len(params) > 0
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        attese = cursor.fetchall()
        cursor.execute(nominata, per_nome)
        assert cursor.fetchall() == attese == [("A%1", "A%1 · %s")]
    assert con_nomi(sql, [*params, 1]) == (sql, (*params, 1))
