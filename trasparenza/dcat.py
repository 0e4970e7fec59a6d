"""The comune's open data catalogue in DCAT-AP_IT (JSON-LD): one dataset per published
piano della performance, each with its CSV and JSON distributions.

Properties after AgID's guidelines (linee guida cataloghi dati, DCAT-AP_IT): catalogue
title, description, publisher, modified, dataset (mandatory), homepage, language,
issued, themeTaxonomy (recommended); dataset identifier, title, description, modified,
theme, rightsHolder, accrualPeriodicity (mandatory), publisher, contactPoint, issued,
language, landingPage, temporal (recommended); distribution accessURL, format, license
(mandatory), downloadURL, title/description (recommended). Identifiers are
«codiceIPA:…»; a comune without IPA code uses its slug and the catalogue says so.
"""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from .models import Pubblicazione

EU = "http://publications.europa.eu/resource/authority/"
TEMA_GOVE = EU + "data-theme/GOVE"
ANNUALE = EU + "frequency/ANNUAL"
FORMATI = {"csv": EU + "file-type/CSV", "json": EU + "file-type/JSON"}
TIPI_MIME = {"csv": "text/csv", "json": "application/json"}
LINGUA = EU + "language/ITA"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"

CONTESTO = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcatapit": "http://dati.gov.it/onto/dcatapit#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def prefisso(comune) -> tuple[str, bool]:
    """The identifiers' prefix: the IPA code, else the slug (False: not the IPA code)."""
    return (comune.codice_ipa, True) if comune.codice_ipa else (comune.slug, False)


def _data(valore: date) -> dict:
    return {"@type": "xsd:date", "@value": valore.isoformat()}


def _it(testo: str) -> dict:
    return {"@language": "it", "@value": testo}


def _ente(comune, uri: str) -> dict:
    codice, _ = prefisso(comune)
    return {
        "@id": uri,
        "@type": ["dcatapit:Agent", "foaf:Agent"],
        "dct:identifier": codice,
        "foaf:name": _it(str(comune)),
    }


def _contatto(comune, pagina: str) -> dict:
    """The comune as an office: the feedback address when it has one, else its page."""
    contatto = {
        "@type": ["dcatapit:Organization", "vcard:Organization"],
        "vcard:fn": _it(f"{comune} - Amministrazione trasparente"),
    }
    if comune.email_accessibilita:
        contatto["vcard:hasEmail"] = {"@id": f"mailto:{comune.email_accessibilita}"}
    else:
        contatto["vcard:hasURL"] = {"@id": pagina}
    return contatto


def _distribuzione(comune, p: Pubblicazione, formato: str, assoluto) -> dict:
    # Identifiers prefixed like the datasets' (the IPA code, else the slug): unique across
    # comuni and years.
    nome = f"{prefisso(comune)[0]}:piano-performance-{p.anno}-{formato}"
    url = assoluto(reverse(f"trasparenza_dati_{formato}", args=[comune.slug, p.anno]))
    return {
        "@id": url + "#distribuzione",
        "@type": ["dcatapit:Distribution", "dcat:Distribution"],
        "dct:title": _it(f"Obiettivi e indicatori {p.anno} ({formato.upper()})"),
        "dct:description": _it(
            "Una riga per indicatore: obiettivo, settore, peso, valore atteso e, per le "
            f"schede validate, valore raggiunto; file {formato.upper()}."
        ),
        "dct:format": {"@id": FORMATI[formato]},
        # An IANA media type as a resource (DCAT-AP 2: dct:MediaType), not a string.
        "dcat:mediaType": {
            "@id": f"http://www.iana.org/assignments/media-types/{TIPI_MIME[formato]}",
            "@type": "dct:MediaType",
        },
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dct:license": {
            "@id": CC_BY,
            "@type": "dct:LicenseDocument",
            "dct:type": {"@id": "http://purl.org/adms/licencetype/Attribution"},
            "foaf:name": "Creative Commons Attribuzione 4.0 Internazionale (CC BY 4.0)",
        },
        "dct:identifier": nome,
    }


def catalogo(comune, pubblicazioni: list[Pubblicazione], assoluto) -> dict:
    """``pubblicazioni``: the piani in force; ``assoluto(path)``: the absolute URL."""
    codice, ipa = prefisso(comune)
    indice = assoluto(reverse("trasparenza_indice", args=[comune.slug]))
    ente = _ente(comune, indice + "#ente")
    piani = sorted(
        (p for p in pubblicazioni if p.tipo == Pubblicazione.Tipo.PIANO), key=lambda p: p.anno
    )
    modificato = max((p.data_pubblicazione for p in piani), default=date.today())
    emesso = min((p.data_pubblicazione for p in piani), default=modificato)
    descrizione = (
        f"{comune}: i dati aperti della sezione Performance di Amministrazione trasparente "
        "(obiettivi, indicatori e valori attesi dei piani pubblicati)."
    )
    if not ipa:
        descrizione += (
            f" Il comune non ha indicato il codice IPA: gli identificativi usano «{codice}», "
            "l'identificativo del comune in questo sito."
        )
    # A relazione published later adds the validated results: the dataset changed then.
    relazioni = {p.anno: p.data_pubblicazione for p in pubblicazioni if p.tipo == "relazione"}
    dataset = [
        _dataset(comune, p, codice, ente, indice, assoluto, relazioni.get(p.anno)) for p in piani
    ]
    modificato = max([modificato, *relazioni.values()])
    return {
        "@context": CONTESTO,
        "@id": assoluto(reverse("trasparenza_catalogo", args=[comune.slug])),
        "@type": ["dcatapit:Catalog", "dcat:Catalog"],
        "dct:identifier": f"{codice}:catalogo-performance",
        "dct:title": _it(f"Dati aperti della performance - {comune}"),
        "dct:description": _it(descrizione),
        "dct:publisher": ente,
        "dct:issued": _data(emesso),
        "dct:modified": _data(modificato),
        "dct:language": {"@id": LINGUA},
        "foaf:homepage": {"@id": indice},
        "dcat:themeTaxonomy": {"@id": EU + "data-theme"},
        "dcat:dataset": dataset,
    }


def _dataset(comune, p, codice, ente, indice, assoluto, relazione: date | None) -> dict:
    pagina = assoluto(reverse("trasparenza_piano", args=[comune.slug, p.anno]))
    return {
        "@id": pagina + "#dataset",
        "@type": ["dcatapit:Dataset", "dcat:Dataset"],
        "dct:identifier": f"{codice}:piano-performance-{p.anno}",
        "dct:title": _it(f"Piano della performance {p.anno} - obiettivi e indicatori"),
        "dct:description": _it(
            f"Gli obiettivi del piano «{p.piano.titolo}» per il {p.anno} approvati, con i "
            "loro indicatori, pesi e valori attesi; i valori raggiunti solo per le schede "
            "validate dall'Organismo indipendente di valutazione."
        ),
        "dct:issued": _data(p.data_pubblicazione),
        "dct:modified": _data(max(p.data_pubblicazione, relazione or p.data_pubblicazione)),
        "dcat:theme": {
            "@id": TEMA_GOVE,
            "@type": "skos:Concept",
            "skos:prefLabel": _it("Governo e settore pubblico"),
        },
        "dct:rightsHolder": {"@id": ente["@id"]},
        "dct:publisher": {"@id": ente["@id"]},
        "dct:accrualPeriodicity": {"@id": ANNUALE},
        "dct:language": {"@id": LINGUA},
        "dcat:landingPage": {"@id": pagina},
        "dcat:contactPoint": _contatto(comune, indice),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": _data(date(p.anno, 1, 1)),
            "dcat:endDate": _data(date(p.anno, 12, 31)),
        },
        "dcat:distribution": [_distribuzione(comune, p, f, assoluto) for f in ("csv", "json")],
    }
