"""Missioni and programmi of the national budget classification
(D.Lgs 118/2011, allegato 14), shipped as data by migration peg.0002."""

MISSIONI = {
    "01": "Servizi istituzionali, generali e di gestione",
    "02": "Giustizia",
    "03": "Ordine pubblico e sicurezza",
    "04": "Istruzione e diritto allo studio",
    "05": "Tutela e valorizzazione dei beni e delle attività culturali",
    "06": "Politiche giovanili, sport e tempo libero",
    "07": "Turismo",
    "08": "Assetto del territorio ed edilizia abitativa",
    "09": "Sviluppo sostenibile e tutela del territorio e dell'ambiente",
    "10": "Trasporti e diritto alla mobilità",
    "11": "Soccorso civile",
    "12": "Diritti sociali, politiche sociali e famiglia",
    "13": "Tutela della salute",
    "14": "Sviluppo economico e competitività",
    "15": "Politiche per il lavoro e la formazione professionale",
    "16": "Agricoltura, politiche agroalimentari e pesca",
    "17": "Energia e diversificazione delle fonti energetiche",
    "18": "Relazioni con le altre autonomie territoriali e locali",
    "19": "Relazioni internazionali",
    "20": "Fondi e accantonamenti",
    "50": "Debito pubblico",
    "60": "Anticipazioni finanziarie",
    "99": "Servizi per conto terzi",
}

_REGIONI = " (solo per le Regioni)"

PROGRAMMI = {
    "01.01": "Organi istituzionali",
    "01.02": "Segreteria generale",
    "01.03": "Gestione economica, finanziaria, programmazione e provveditorato",
    "01.04": "Gestione delle entrate tributarie e servizi fiscali",
    "01.05": "Gestione dei beni demaniali e patrimoniali",
    "01.06": "Ufficio tecnico",
    "01.07": "Elezioni e consultazioni popolari - Anagrafe e stato civile",
    "01.08": "Statistica e sistemi informativi",
    "01.09": "Assistenza tecnico-amministrativa agli enti locali",
    "01.10": "Risorse umane",
    "01.11": "Altri servizi generali",
    "01.12": "Politica regionale unitaria per i servizi istituzionali, generali e di gestione"
    + _REGIONI,
    "02.01": "Uffici giudiziari",
    "02.02": "Casa circondariale e altri servizi",
    "02.03": "Politica regionale unitaria per la giustizia" + _REGIONI,
    "03.01": "Polizia locale e amministrativa",
    "03.02": "Sistema integrato di sicurezza urbana",
    "03.03": "Politica regionale unitaria per l'ordine pubblico e la sicurezza" + _REGIONI,
    "04.01": "Istruzione prescolastica",
    "04.02": "Altri ordini di istruzione non universitaria",
    "04.03": "Edilizia scolastica" + _REGIONI,
    "04.04": "Istruzione universitaria",
    "04.05": "Istruzione tecnica superiore",
    "04.06": "Servizi ausiliari all'istruzione",
    "04.07": "Diritto allo studio",
    "04.08": "Politica regionale unitaria per l'istruzione e il diritto allo studio" + _REGIONI,
    "05.01": "Valorizzazione dei beni di interesse storico",
    "05.02": "Attività culturali e interventi diversi nel settore culturale",
    "05.03": "Politica regionale unitaria per la tutela dei beni e delle attività culturali"
    + _REGIONI,
    "06.01": "Sport e tempo libero",
    "06.02": "Giovani",
    "06.03": "Politica regionale unitaria per i giovani, lo sport e il tempo libero" + _REGIONI,
    "07.01": "Sviluppo e valorizzazione del turismo",
    "07.02": "Politica regionale unitaria per il turismo" + _REGIONI,
    "08.01": "Urbanistica e assetto del territorio",
    "08.02": "Edilizia residenziale pubblica e locale e piani di edilizia economico-popolare",
    "08.03": "Politica regionale unitaria per l'assetto del territorio e l'edilizia abitativa"
    + _REGIONI,
    "09.01": "Difesa del suolo",
    "09.02": "Tutela, valorizzazione e recupero ambientale",
    "09.03": "Rifiuti",
    "09.04": "Servizio idrico integrato",
    "09.05": "Aree protette, parchi naturali, protezione naturalistica e forestazione",
    "09.06": "Tutela e valorizzazione delle risorse idriche",
    "09.07": "Sviluppo sostenibile territorio montano piccoli Comuni",
    "09.08": "Qualità dell'aria e riduzione dell'inquinamento",
    "09.09": "Politica regionale unitaria per lo sviluppo sostenibile e la tutela del territorio "
    "e l'ambiente" + _REGIONI,
    "10.01": "Trasporto ferroviario",
    "10.02": "Trasporto pubblico locale",
    "10.03": "Trasporto per vie d'acqua",
    "10.04": "Altre modalità di trasporto",
    "10.05": "Viabilità e infrastrutture stradali",
    "10.06": "Politica regionale unitaria per i trasporti e il diritto alla mobilità" + _REGIONI,
    "11.01": "Sistema di protezione civile",
    "11.02": "Interventi a seguito di calamità naturali",
    "11.03": "Politica regionale unitaria per il soccorso e la protezione civile" + _REGIONI,
    "12.01": "Interventi per l'infanzia e i minori e per asili nido",
    "12.02": "Interventi per la disabilità",
    "12.03": "Interventi per gli anziani",
    "12.04": "Interventi per soggetti a rischio di esclusione sociale",
    "12.05": "Interventi per le famiglie",
    "12.06": "Interventi per il diritto alla casa",
    "12.07": "Programmazione e governo della rete dei servizi sociosanitari e sociali",
    "12.08": "Cooperazione e associazionismo",
    "12.09": "Servizio necroscopico e cimiteriale",
    "12.10": "Politica regionale unitaria per i diritti sociali e la famiglia" + _REGIONI,
    "13.01": "Servizio sanitario regionale - finanziamento ordinario corrente per la garanzia dei LEA",
    "13.02": "Servizio sanitario regionale - finanziamento aggiuntivo corrente per livelli di "
    "assistenza superiori ai LEA",
    "13.03": "Servizio sanitario regionale - finanziamento aggiuntivo corrente per la copertura "
    "dello squilibrio di bilancio corrente",
    "13.04": "Servizio sanitario regionale - ripiano di disavanzi sanitari relativi ad esercizi "
    "pregressi",
    "13.05": "Servizio sanitario regionale - investimenti sanitari",
    "13.06": "Servizio sanitario regionale - restituzione maggiori gettiti SSN",
    "13.07": "Ulteriori spese in materia sanitaria",
    "13.08": "Politica regionale unitaria per la tutela della salute" + _REGIONI,
    "14.01": "Industria, PMI e Artigianato",
    "14.02": "Commercio - reti distributive - tutela dei consumatori",
    "14.03": "Ricerca e innovazione",
    "14.04": "Reti e altri servizi di pubblica utilità",
    "14.05": "Politica regionale unitaria per lo sviluppo economico e la competitività" + _REGIONI,
    "15.01": "Servizi per lo sviluppo del mercato del lavoro",
    "15.02": "Formazione professionale",
    "15.03": "Sostegno all'occupazione",
    "15.04": "Politica regionale unitaria per il lavoro e la formazione professionale" + _REGIONI,
    "16.01": "Sviluppo del settore agricolo e del sistema agroalimentare",
    "16.02": "Caccia e pesca",
    "16.03": "Politica regionale unitaria per l'agricoltura, i sistemi agroalimentari, la caccia "
    "e la pesca" + _REGIONI,
    "17.01": "Fonti energetiche",
    "17.02": "Politica regionale unitaria per l'energia e la diversificazione delle fonti "
    "energetiche" + _REGIONI,
    "18.01": "Relazioni finanziarie con le altre autonomie territoriali",
    "18.02": "Politica regionale unitaria per le relazioni con le altre autonomie locali"
    + _REGIONI,
    "19.01": "Relazioni internazionali e Cooperazione allo sviluppo",
    "19.02": "Cooperazione territoriale" + _REGIONI,
    "20.01": "Fondo di riserva",
    "20.02": "Fondo crediti di dubbia esigibilità",
    "20.03": "Altri fondi",
    "50.01": "Quota interessi ammortamento mutui e prestiti obbligazionari",
    "50.02": "Quota capitale ammortamento mutui e prestiti obbligazionari",
    "60.01": "Restituzione anticipazioni di tesoreria",
    "99.01": "Servizi per conto terzi e Partite di giro",
    "99.02": "Anticipazioni per il finanziamento del sistema sanitario nazionale",
}


def carica_classificazione(missione_model, programma_model) -> None:
    """Create or update missioni and programmi (idempotent; models passed for migrations)."""
    missioni = {}
    for codice, nome in MISSIONI.items():
        missioni[codice], _ = missione_model.objects.update_or_create(
            codice=codice, defaults={"denominazione": nome}
        )
    for codice, nome in PROGRAMMI.items():
        programma_model.objects.update_or_create(
            codice=codice, defaults={"denominazione": nome, "missione": missioni[codice[:2]]}
        )
