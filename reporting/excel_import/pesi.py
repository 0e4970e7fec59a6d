"""The weights in the file: without riproporzionamento a group must make 100,00%.

Indicatori and fasi of a scheda, obiettivi of a settore in a year. A group without any
weight is accepted (the piano's rules apply), and weights left as they are in the
database are not refused.
"""

from indicators.engine.weights import verifica_pesi

from ..excel import intestazione


def verifica(controllo, foglio: str, righe_file: list, pesi: list, di: str) -> None:
    if not pesi or all(p is None for p in pesi):
        return
    somma = verifica_pesi(pesi)
    if not somma.ok:
        cosa = {"Indicatori": "indicatori", "Fasi": "fasi", "Obiettivi": "obiettivi"}[foglio]
        controllo.errore(
            f"i pesi degli {cosa} {di} fanno {somma.etichetta}: il piano non "
            "riproporziona i pesi, devono sommare 100,00%.".replace("degli fasi", "delle fasi"),
            foglio,
            righe_file[0].numero if righe_file else None,
            intestazione(foglio, "PESO"),
        )


def verifica_settori(controllo, schede: dict, esistenti: dict) -> None:
    """The obiettivi of each settore and year the file touches."""
    toccati = {
        (s.obiettivo.settore_id, s.obiettivo.anno)
        for s in schede.values()
        if s.obiettivo is not None
    }
    for settore_id, anno in sorted(toccati):
        pesi, righe_file = {}, []
        for chiave, scheda in schede.items():
            o = scheda.obiettivo or scheda.esistente
            if o is not None and o.settore_id == settore_id and o.anno == anno:
                pesi[chiave] = o.peso
                righe_file.append(scheda.riga)
        for chiave, o in esistenti.items():
            if chiave not in schede and o.settore_id == settore_id and o.anno == anno:
                pesi[chiave] = o.peso
        prima = {
            chiave: o.peso
            for chiave, o in esistenti.items()
            if o.settore_id == settore_id and o.anno == anno
        }
        if pesi == prima:
            continue
        settore = controllo.settori[settore_id]  # loaded once: no query per settore
        verifica(
            controllo,
            "Obiettivi",
            righe_file,
            list(pesi.values()),
            f"del settore {settore} per il {anno}",
        )
