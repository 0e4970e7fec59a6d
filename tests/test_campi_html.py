"""Every field of the planning and rendicontazione forms renders as crispy-forms'
Bootstrap 5 field with Django's widget templates did (objectives.campi_html): the same
elements, attributes and texts, blank or bound with errors."""

from html.parser import HTMLParser

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.forms.renderers import DjangoTemplates

from objectives import campi_html, rendicontazione
from objectives import pianificazione as planning
from objectives.models import Obiettivo
from peg.models import Settore
from valutazione.allegati import AllegatoForm


class _Struttura(HTMLParser):
    """Tags with their attributes and the texts between them, whitespace aside."""

    def __init__(self):
        super().__init__()
        self.parti = []

    def handle_starttag(self, tag, attrs):
        self.parti.append(("<", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.parti.append((">", tag))

    def handle_data(self, data):
        if testo := " ".join(data.split()):
            self.parti.append(("testo", testo))


def struttura(html) -> list:
    parser = _Struttura()
    parser.feed(str(html))
    return parser.parti


def _campi_a_confronto(costruisci):
    """Each field of two identical sets of forms: crispy's, with Django's templates,
    against ours."""
    crispy, nostri = costruisci(), costruisci()
    for form in crispy:
        form.renderer = DjangoTemplates()
    for form_crispy, form_nostro in zip(crispy, nostri, strict=True):
        form_crispy.is_bound and form_crispy.is_valid()
        form_nostro.is_bound and form_nostro.is_valid()
        for nome in form_crispy.fields:
            if nome == "caricato_il":
                continue  # the time of loading: differs between the two
            yield nome, as_crispy_field(form_crispy[nome]), campi_html.campo(form_nostro[nome])


def _pianificazione(obiettivo, data=None):
    settori = Settore.objects.filter(comune=obiettivo.piano.comune)

    def costruisci():
        scheda = planning.moduli(obiettivo, settori, True, data)
        return [scheda.obiettivo, *(f for fs in scheda.gruppi.values() for f in fs.forms)]

    return costruisci


def _rendicontazione(obiettivo, data=None):
    def costruisci():
        return rendicontazione.moduli(rendicontazione.carica(obiettivo), data).tutti()

    return costruisci


def _allegato(obiettivo, data=None):
    """The upload form of the allegati panel (a file input among its fields)."""

    def costruisci():
        return [AllegatoForm(rendicontazione.carica(obiettivo), data)]

    return costruisci


def _dati_sbagliati(costruisci):
    """What the forms would post, with every field set to a value most refuse."""
    dati = {}
    for form in costruisci():
        for nome in form.fields:
            bf = form[nome]
            dati[bf.html_name] = "x" if not bf.is_hidden else (bf.value() or "")
    return dati


@pytest.fixture
def seregno(demo):
    demo("seregno")
    return Obiettivo.objects.select_related("piano__comune", "settore").get(
        piano__comune__slug="seregno", codice="Ob_Obiet051101"
    )


@pytest.mark.parametrize("pagina", [_pianificazione, _rendicontazione])
def test_every_field_renders_as_crispy_did(seregno, pagina):
    confrontati = 0
    for nome, atteso, ottenuto in _campi_a_confronto(pagina(seregno)):
        assert struttura(ottenuto) == struttura(atteso), nome
        confrontati += 1
    assert confrontati > 50


@pytest.mark.parametrize("pagina", [_pianificazione, _rendicontazione])
def test_every_field_with_errors_renders_as_crispy_did(seregno, pagina):
    dati = _dati_sbagliati(pagina(seregno))
    con_errori = 0
    for nome, atteso, ottenuto in _campi_a_confronto(pagina(seregno, dati)):
        assert struttura(ottenuto) == struttura(atteso), nome
        con_errori += "invalid-feedback" in atteso
    assert con_errori > 10


def test_the_allegato_form_renders_as_crispy_did(seregno):
    """The allegati panel's upload form, blank and with errors (its file input too)."""
    vuoti = list(_campi_a_confronto(_allegato(seregno)))
    sbagliati = list(_campi_a_confronto(_allegato(seregno, {"tipo": "x", "riferimento": "x"})))
    for nome, atteso, ottenuto in [*vuoti, *sbagliati]:
        assert struttura(ottenuto) == struttura(atteso), nome
    assert {nome for nome, _, _ in vuoti} == {"tipo", "descrizione", "riferimento", "file"}
    assert all("invalid-feedback" in atteso for _, atteso, _ in sbagliati)
