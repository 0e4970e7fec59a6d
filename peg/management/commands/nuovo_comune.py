"""python manage.py nuovo_comune --slug prova --nome Prova --provincia Genova
[--denominazione "Comune di Prova"] [--istat 010099] [--ipa c_x999] [--dipendenti 40]
[--segreteria-nome "Maria Rossi" --segreteria-email m.rossi@comune.prova.it]

Creates the comune as the «Nuovo comune» page does (peg.anagrafica.comuni), with the
same checks: exit 0 with what was created, exit 2 with the reasons it was not.
"""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from peg.anagrafica import comuni
from peg.anagrafica.forms import ComuneForm


class Command(BaseCommand):
    help = "Crea un nuovo comune (e, se indicata, ne invita la segreteria)."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="identificativo negli indirizzi")
        parser.add_argument("--nome", required=True, help="nome senza «Comune di»")
        parser.add_argument("--provincia", required=True, help="es. Genova")
        parser.add_argument("--denominazione", default="", help="es. Città di Seregno")
        parser.add_argument("--istat", default="", help="codice ISTAT (6 cifre)")
        parser.add_argument("--ipa", default="", help="codice IPA")
        parser.add_argument("--dipendenti", default="", help="numero di dipendenti")
        parser.add_argument("--email-accessibilita", default="")
        parser.add_argument("--segreteria-nome", default="")
        parser.add_argument("--segreteria-email", default="")

    def handle(self, *args, **opts):
        form = ComuneForm(
            {
                "slug": opts["slug"],
                "nome": opts["nome"],
                "provincia": opts["provincia"],
                "denominazione": opts["denominazione"],
                "codice_istat": opts["istat"],
                "codice_ipa": opts["ipa"],
                "dipendenti": opts["dipendenti"],
                "email_accessibilita": opts["email_accessibilita"],
                "segreteria_nome": opts["segreteria_nome"],
                "segreteria_email": opts["segreteria_email"],
            }
        )
        if not form.is_valid():
            return self._fallisci(form)
        try:
            persona = comuni.crea(
                form.instance,
                segreteria_nome=form.cleaned_data["segreteria_nome"],
                segreteria_email=form.cleaned_data["segreteria_email"],
            )
        except ValidationError as exc:
            self.stderr.write(f"Comune non creato: {' '.join(exc.messages)}")
            sys.exit(2)
        comune = form.instance
        self.stdout.write(f"Creato {comune} (identificativo «{comune.slug}»).")
        if persona:
            self.stdout.write(
                f"Invito per la segreteria in coda: {persona.nome} <{persona.email}>, "
                f"utente «{persona.utente.username}»."
            )

    def _fallisci(self, form):
        self.stderr.write("Comune non creato:")
        for campo, errori in form.errors.items():
            nome = form.fields[campo].label if campo in form.fields else ""
            for errore in errori:
                self.stderr.write(f"- {nome}: {errore}" if nome else f"- {errore}")
        sys.exit(2)
