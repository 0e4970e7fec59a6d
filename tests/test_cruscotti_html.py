"""The cruscotti (of the ente and of each settore, with their charts, the Gantt of the
fasi and its data table) show exactly what they showed before they were made cheaper:
every demo piano and a ``genera_dati`` piano with dated fasi, as the segreteria, the OIV
and a responsabile see them, every year of each piano (tests/dati/cruscotti.json.gz).

Normalised as the scheda page's pin (tests/test_pagina_scheda_html.py).
PEG_AGGIORNA_CRUSCOTTI=1 writes the file again after a deliberate change."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from objectives.demo_accounts import crea_utenti_demo
from objectives.models import Obiettivo
from peg.models import Comune, Piano, Ruolo

from .fotografie import confronta
from .test_pagina_scheda_html import DEMO, normalizza
from .test_pianificazione_identica import RESPONSABILI
from .utenti import utente

pytestmark = pytest.mark.django_db

DATI = Path(__file__).parent / "dati" / "cruscotti.json.gz"


def _genera() -> dict:
    call_command(
        "genera_dati",
        *("--comune", "cruscogen", "--seme", "11", "--settori", "3", "--obiettivi", "8"),
        *("--indicatori", "3", "--fasi", "4", "--non-rilevati", "0.2"),
        *("--stato", "rendicontato"),
        stdout=io.StringIO(),
    )
    comune = Comune.objects.get(slug="cruscogen")
    settore = comune.settori.order_by("codice").first()
    return {
        "segreteria": utente(comune, Ruolo.Tipo.SEGRETERIA, username="segr-cruscogen"),
        "oiv": utente(comune, Ruolo.Tipo.OIV, username="oiv-cruscogen"),
        "responsabile": utente(
            comune, Ruolo.Tipo.RESPONSABILE, [settore], username="resp-cruscogen"
        ),
    }


def _pagine(client) -> dict[str, str]:
    crea_utenti_demo(list(DEMO))
    utenti = {u.username: u for u in get_user_model().objects.all()}
    chi = {slug: {n: utenti[n] for n in ("segreteria", "oiv", RESPONSABILI[slug])} for slug in DEMO}
    chi["cruscogen"] = _genera()
    pagine = {}
    for piano in Piano.objects.select_related("comune").order_by("comune__slug", "pk"):
        slug = piano.comune.slug
        anni = sorted(set(Obiettivo.objects.filter(piano=piano).values_list("anno", flat=True)))
        settori = list(piano.comune.settori.order_by("codice", "pk"))
        for nome, user in chi[slug].items():
            client.force_login(user)
            for anno in anni:
                indirizzi = [("ente", reverse("cruscotto", args=[slug, piano.pk]))]
                indirizzi += [
                    (
                        f"settore {s.codice or s.nome}",
                        reverse("cruscotto_settore", args=[slug, piano.pk, s.pk]),
                    )
                    for s in settori
                ]
                for cosa, url in indirizzi:
                    r = client.get(url, {"anno": anno})
                    chiave = f"{slug} {piano.titolo} {anno} {cosa} {nome}"
                    pagine[chiave] = f"{r.status_code}\n" + normalizza(r.content.decode())
    return pagine


def test_i_cruscotti_sono_identici(client, demo):
    demo(*DEMO)
    confronta(_pagine(client), DATI, "PEG_AGGIORNA_CRUSCOTTI")


def test_il_nome_dell_obiettivo_nella_tabella_del_gantt_va_a_capo(client, demo):
    # "codice – denominazione" can be 200 characters: on one line the table of the
    # settore's fasi was several screens wide, every other column squeezed.
    seregno = demo("seregno")
    crea_utenti_demo(["seregno"])
    client.force_login(get_user_model().objects.get(username="oiv"))
    piano = Piano.objects.get(comune=seregno)
    settore = seregno.settori.order_by("codice", "pk").first()
    html = client.get(reverse("cruscotto_settore", args=["seregno", piano.pk, settore.pk])).content
    tabella = html.decode().split('class="dati-grafico"')[-1].split("</table>")[0]
    assert "Ob_Obiet05" in tabella
    assert '<td class="text-nowrap">Ob_' not in tabella
