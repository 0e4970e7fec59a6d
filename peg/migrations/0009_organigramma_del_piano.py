# The organigramma as each piano approved it (peg.organigramma_piano). Piani already past
# the bozza get it from the values of today: the earlier ones were not kept.

import django.db.models.deletion
from django.db import migrations, models

from peg.organigramma_piano import riempi_piani_approvati


def riempi(apps, schema_editor):
    riempi_piani_approvati(
        apps.get_model("peg", "Piano"),
        apps.get_model("peg", "Settore"),
        apps.get_model("peg", "SettoreDelPiano"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("peg", "0008_anagrafica_ente"),
    ]

    operations = [
        migrations.CreateModel(
            name="SettoreDelPiano",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("codice", models.CharField(blank=True, max_length=20, verbose_name="codice")),
                ("nome", models.CharField(max_length=250, verbose_name="denominazione")),
                (
                    "descrizione",
                    models.TextField(blank=True, verbose_name="materie del settore"),
                ),
                (
                    "responsabili_testo",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="responsabili (come stampato)"
                    ),
                ),
                (
                    "responsabili",
                    models.TextField(blank=True, verbose_name="responsabili collegati"),
                ),
                ("fissato_il", models.DateTimeField(auto_now_add=True, verbose_name="fissato il")),
                (
                    "piano",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="organigramma",
                        to="peg.piano",
                        verbose_name="piano",
                    ),
                ),
                (
                    "settore",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="nei_piani",
                        to="peg.settore",
                        verbose_name="settore",
                    ),
                ),
            ],
            options={
                "verbose_name": "settore del piano (organigramma all'approvazione)",
                "verbose_name_plural": "settori del piano (organigramma all'approvazione)",
                "ordering": ["piano_id", "codice", "nome"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("piano", "settore"),
                        name="settore_del_piano_unico",
                        violation_error_message="Il piano ha già fissato questo settore.",
                    )
                ],
            },
        ),
        migrations.RunPython(riempi, migrations.RunPython.noop, elidable=True),
    ]
