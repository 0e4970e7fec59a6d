"""The ten ambiti della performance organizzativa printed on the Chiavari scheda
(D.Lgs 150/2009 art. 8, a-h, plus two of the comune's own), shipped as data."""

AMBITI = {
    1: "Attuazione delle politiche attivate sulla soddisfazione finale dei bisogni della collettività",
    2: "Attuazione di piani e programmi, ovvero misurazione dell'effettivo grado di attuazione "
    "dei medesimi, nel rispetto delle fasi e dei tempi previsti, degli standard qualitativi e "
    "quantitativi definiti, del livello previsto di assorbimento delle risorse",
    3: "Rilevazione del grado di soddisfazione dei destinatari delle attività e dei servizi anche "
    "attraverso modalità interattive",
    4: "Modernizzazione e miglioramento qualitativo dell'organizzazione e delle competenze "
    "professionali e la capacità di attuazione di piani e programmi",
    5: "Sviluppo qualitativo e quantitativo delle relazioni con i cittadini, i soggetti "
    "interessati, gli utenti e i destinatari dei servizi, anche attraverso lo sviluppo di forme "
    "di partecipazione e collaborazione",
    6: "Efficienza nell'impiego delle risorse, con particolare riferimento al contenimento ed alla "
    "riduzione dei costi, nonché all'ottimizzazione dei tempi dei procedimenti amministrativi",
    7: "Qualità e quantità delle prestazioni e dei servizi erogati",
    8: "Raggiungimento degli obiettivi di promozione delle pari opportunità",
    9: "Implementazione o miglioramento delle politiche e delle pratiche anticorruzione e "
    "trasparenza",
    10: "Implementazione o miglioramento di sistemi di monitoraggio delle dinamiche finanziarie "
    "interne",
}


def carica_ambiti(ambito_model) -> None:
    for numero, descrizione in AMBITI.items():
        ambito_model.objects.update_or_create(numero=numero, defaults={"descrizione": descrizione})
