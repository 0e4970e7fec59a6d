"""The structure, checked: layers import downwards only, one service changes a scheda,
views leave access to the access modules, the engine runs without Django.

Read from the source with ``ast`` (imports inside functions count too); see
docs/architettura.md for the layers and where a new rule goes.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

RADICE = Path(__file__).resolve().parent.parent
APP = (
    "peg",
    "objectives",
    "indicators",
    "valutazione",
    "reporting",
    "piao",
    "trasparenza",
    "individuale",
)
MOTORE = "indicators.engine"

# Lowest first: a module may import its own layer and the ones below, never above.
STRATI = {
    MOTORE: 0,  # the pure engine: graduation, scoring, numbers, weights, bands
    "peg": 1,  # the project shell and the ente (comune, piani, organisation, roles)
    "objectives": 2,  # the domain: schede and their indicatori, one layer
    "indicators": 2,
    "valutazione": 3,  # the OIV
    "reporting": 4,  # dashboards, prints, Excel
    "piao": 5,  # the PIAO's sezione 2 (valore pubblico, performance) and the PDO
    "trasparenza": 5,  # Amministrazione trasparente: publications, public pages, open data
    # The individual evaluation and the premi; trasparenza publishes its art. 20 tables.
    "individuale": 5,
}


def _strato(modulo: str) -> int | None:
    if modulo == MOTORE or modulo.startswith(MOTORE + "."):
        return STRATI[MOTORE]
    return STRATI.get(modulo.split(".")[0])


def _moduli():
    """(dotted name, path, tree) of every module of the apps, migrations included."""
    for app in APP:
        for percorso in sorted((RADICE / app).rglob("*.py")):
            relativo = percorso.relative_to(RADICE).with_suffix("")
            nome = ".".join(relativo.parts).removesuffix(".__init__")
            yield nome, percorso, ast.parse(percorso.read_text(), str(percorso))


MODULI = list(_moduli())


def _importati(nome: str, percorso: Path, albero) -> list[tuple[int, str]]:
    """(line, dotted name) of everything the module imports."""
    pacchetto = nome if percorso.name == "__init__.py" else nome.rsplit(".", 1)[0]
    risultato = []
    for nodo in ast.walk(albero):
        if isinstance(nodo, ast.Import):
            risultato += [(nodo.lineno, a.name) for a in nodo.names]
        elif isinstance(nodo, ast.ImportFrom):
            if nodo.level:
                base = pacchetto.split(".")[: len(pacchetto.split(".")) - nodo.level + 1]
                modulo = ".".join([*base, nodo.module] if nodo.module else base)
            else:
                modulo = nodo.module
            risultato.append((nodo.lineno, modulo))
            # "from . import x" names modules too
            risultato += [(nodo.lineno, f"{modulo}.{a.name}") for a in nodo.names]
    return risultato


def test_layers_import_only_downwards():
    violazioni = []
    for nome, percorso, albero in MODULI:
        mio = _strato(nome)
        for riga, importato in _importati(nome, percorso, albero):
            suo = _strato(importato)
            if suo is not None and suo > mio:
                violazioni.append(f"{percorso.relative_to(RADICE)}:{riga} imports {importato}")
    assert violazioni == []


def test_the_engine_imports_nothing_of_django():
    violazioni = []
    for nome, percorso, albero in MODULI:
        if _strato(nome) != 0:
            continue
        for riga, importato in _importati(nome, percorso, albero):
            if importato.split(".")[0] == "django" or (_strato(importato) not in (None, 0)):
                violazioni.append(f"{percorso.relative_to(RADICE)}:{riga} imports {importato}")
    assert violazioni == []


def test_the_engine_runs_without_django_settings():
    codice = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from indicators.engine import fasce, formatting, graduation, scoring, weights\n"
        "regola = graduation.parse('gg di ritardo +5 =90 % +10gg = 80% +15gg =60%')\n"
        "assert formatting.percentuale(Decimal('80')) == '80,00%'\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    ambiente = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    risultato = subprocess.run(
        [sys.executable, "-c", codice], cwd=RADICE, env=ambiente, capture_output=True, text=True
    )
    assert risultato.returncode == 0, risultato.stderr


# Pure like the engine, outside it: the arithmetic of the premi.
PURI = ("individuale.distribuzione",)


def test_pure_modules_import_only_the_standard_library():
    violazioni = []
    for nome, percorso, albero in MODULI:
        if nome not in PURI:
            continue
        for riga, importato in _importati(nome, percorso, albero):
            radice = importato.split(".")[0]
            if radice not in sys.stdlib_module_names and importato != "__future__":
                violazioni.append(f"{percorso.relative_to(RADICE)}:{riga} imports {importato}")
    assert violazioni == [] and {n for n, _, _ in MODULI} >= set(PURI)


def test_pure_modules_run_without_django_settings():
    codice = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from individuale import distribuzione\n"
        "assert distribuzione.fascia_di(Decimal('90'), [(Decimal('90'), Decimal('100'))]) == 100\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
    )
    ambiente = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    risultato = subprocess.run(
        [sys.executable, "-c", codice], cwd=RADICE, env=ambiente, capture_output=True, text=True
    )
    assert risultato.returncode == 0, risultato.stderr


SERVIZIO = "objectives.modifiche"
# The schede individuali have their own service (same rules: lock, versione, history).
SERVIZI = {SERVIZIO, "individuale.servizio"}


def _scritture_riservate(albero) -> list[tuple[int, str]]:
    """What only the service may do: raise versione, record a Variazione or a CambioStato."""
    trovate = []
    for nodo in ast.walk(albero):
        bersagli = []
        if isinstance(nodo, ast.Assign):
            bersagli = nodo.targets
        elif isinstance(nodo, ast.AugAssign | ast.AnnAssign):
            bersagli = [nodo.target]
        for bersaglio in bersagli:
            if isinstance(bersaglio, ast.Attribute) and bersaglio.attr == "versione":
                trovate.append((nodo.lineno, "assigns .versione"))
        if isinstance(nodo, ast.Call):
            trovate += [(nodo.lineno, cosa) for cosa in _chiamata_riservata(nodo)]
    return trovate


SCRITTURE = {"create", "get_or_create", "update_or_create", "bulk_create", "update", "delete"}


def _nomina_versione(nodo) -> bool:
    """A literal "versione" anywhere in the expression (a key, a list of fields)."""
    return any(isinstance(n, ast.Constant) and n.value == "versione" for n in ast.walk(nodo))


def _chiamata_riservata(nodo: ast.Call) -> list[str]:
    funzione = nodo.func
    nome = funzione.attr if isinstance(funzione, ast.Attribute) else getattr(funzione, "id", "")
    trovate = []
    if nome == "update" and (
        any(k.arg == "versione" for k in nodo.keywords)
        or any(k.arg is None and _nomina_versione(k.value) for k in nodo.keywords)
    ):
        trovate.append("updates versione")
    if nome in ("bulk_update", "bulk_update_with_history") and any(
        _nomina_versione(a) for a in [*nodo.args, *(k.value for k in nodo.keywords)]
    ):
        trovate.append("updates versione")
    if nome == "setattr" and len(nodo.args) > 1 and _nomina_versione(nodo.args[1]):
        trovate.append("assigns .versione")
    testo = ast.unparse(funzione)
    for modello in ("Variazione", "CambioStato"):
        # Reading them (filter, order_by, first…) is anyone's business; writing is not.
        if testo == modello or (testo.startswith(f"{modello}.objects.") and nome in SCRITTURE):
            trovate.append(f"creates {modello}")
    return trovate


def test_only_the_service_raises_versione_or_records_variazioni():
    violazioni = [
        f"{percorso.relative_to(RADICE)}:{riga} {cosa}"
        for nome, percorso, albero in MODULI
        if nome not in SERVIZI and ".migrations." not in nome
        for riga, cosa in _scritture_riservate(albero)
    ]
    assert violazioni == []


def test_the_check_finds_what_it_looks_for():
    """The scan above must see a raised versione and a Variazione (else it proves nothing)."""
    sorgente = (
        "o.versione += 1\n"
        "Obiettivo.objects.filter(pk=1).update(versione=F('versione') + 1)\n"
        "Obiettivo.objects.update(**{'versione': 2})\n"
        "Obiettivo.objects.bulk_update(schede, ['denominazione', 'versione'])\n"
        "setattr(o, 'versione', 3)\n"
        "Variazione.objects.create(obiettivo=o)\n"
        "CambioStato(obiettivo=o)\n"
        "CambioStato.objects.filter(azione='valida').update(motivazione='')\n"
        "CambioStato.objects.filter(pk=Subquery(ultimo)).select_related('utente')\n"
    )
    assert sorted(cosa for _, cosa in _scritture_riservate(ast.parse(sorgente))) == sorted(
        [
            "assigns .versione",
            "updates versione",
            "updates versione",
            "updates versione",
            "assigns .versione",
            "creates Variazione",
            "creates CambioStato",
            "creates CambioStato",
        ]
    )
    servizio = next(albero for nome, _, albero in MODULI if nome == SERVIZIO)
    assert {cosa for _, cosa in _scritture_riservate(servizio)} >= {
        "assigns .versione",
        "updates versione",
        "creates Variazione",
        "creates CambioStato",
    }


# Lookups that decide who sees what: views ask the access modules instead.
LOOKUP_DI_ACCESSO = ("comune", "settore", "ruoli", "utente")


def _filtri_di_accesso(albero) -> list[tuple[int, str]]:
    trovati = []
    for nodo in ast.walk(albero):
        if isinstance(nodo, ast.Call):
            funzione = ast.unparse(nodo.func)
            chiamata = funzione.rsplit(".", 1)[-1]
            if chiamata in ("filter", "exclude", "get", "get_object_or_404"):
                for k in nodo.keywords:
                    if k.arg and any(parte in k.arg for parte in LOOKUP_DI_ACCESSO):
                        trovati.append((nodo.lineno, f"{chiamata}({k.arg}=…)"))
        if isinstance(nodo, ast.Attribute) and nodo.attr == "is_superuser":
            trovati.append((nodo.lineno, "is_superuser"))
        if isinstance(nodo, ast.Name) and nodo.id == "Ruolo":
            trovati.append((nodo.lineno, "Ruolo"))
    return trovati


def test_views_leave_access_to_the_access_modules():
    viste = [(n, p, a) for n, p, a in MODULI if p.name.endswith("views.py")]
    assert len(viste) >= 10
    violazioni = [
        f"{percorso.relative_to(RADICE)}:{riga} {cosa}"
        for _, percorso, albero in viste
        for riga, cosa in _filtri_di_accesso(albero)
    ]
    assert violazioni == []


def test_role_queries_live_in_peg_access():
    """Ruolo is read in one module; the others ask it (creating roles is the demo's)."""
    ammessi = {"peg.access", "peg.models", "peg.models.ruoli", "peg.admin", "peg.admin_scoping"}
    ammessi |= {"objectives.demo_accounts", "objectives.demo_loader"}
    # The anagrafica gives and takes ruoli (pages, import): writing them is its job.
    ammessi |= {"peg.anagrafica.ruoli"}
    violazioni = []
    for nome, percorso, albero in MODULI:
        if nome in ammessi or ".migrations." in nome:
            continue
        for nodo in ast.walk(albero):
            testo = ast.unparse(nodo) if isinstance(nodo, ast.Attribute | ast.Constant) else ""
            if testo.startswith("Ruolo.objects") or testo.startswith("Ruolo.settori"):
                violazioni.append(f"{percorso.relative_to(RADICE)}:{nodo.lineno} {testo}")
            elif isinstance(nodo, ast.keyword) and nodo.arg and "ruoli__" in nodo.arg:
                violazioni.append(f"{percorso.relative_to(RADICE)}:{nodo.value.lineno} {nodo.arg}")
    assert violazioni == []


@pytest.mark.parametrize("modulo", [n for n, p, _ in MODULI if p.name.endswith("views.py")])
def test_view_functions_stay_short(modulo):
    """A view reads the request, asks access and services, renders: long ones hide rules."""
    albero = next(a for n, _, a in MODULI if n == modulo)
    lunghe = [
        f"{f.name}: {f.end_lineno - f.lineno + 1} lines"
        for f in ast.walk(albero)
        if isinstance(f, ast.FunctionDef) and f.end_lineno - f.lineno + 1 > 40
    ]
    assert lunghe == []
