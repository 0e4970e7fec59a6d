"""No jargon on the pages: no command names, no command-line options, no raw codes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_campaign_pages_do_not_name_the_command(client, ente):
    client.force_login(ente.segreteria)
    url = reverse("campagne", args=[ente.comune.slug, ente.piano.pk])
    assert "avvisi_campagne" not in client.get(url).content.decode()
    domani = timezone.localdate() + datetime.timedelta(days=1)
    dati = {
        "anno": "2019",
        "momento": "finale",
        "data_riferimento": "2019-12-31",
        "apertura": domani.isoformat(),
        "scadenza": (domani + datetime.timedelta(days=20)).isoformat(),
    }
    html = client.post(url, dati, follow=True).content.decode()
    assert "le e-mail partiranno quel giorno" in html
    assert "avvisi_campagne" not in html and "comando" not in html


def test_templates_write_dates_the_italian_way():
    """Dates on pages are «2 dicembre 2026» (data_lunga) or «2 dicembre 2026, 01:10»
    (data_ora), in the comune's time zone: never Django's numeric ``|date:"d/m/Y"``."""
    from pathlib import Path

    radice = Path(__file__).resolve().parent.parent / "templates"
    numeriche = [
        f"{p.relative_to(radice)}:{n}"
        for p in radice.rglob("*.html")
        for n, riga in enumerate(p.read_text().splitlines(), 1)
        if '|date:"d/m/Y' in riga
    ]
    assert not numeriche, numeriche
