from django.db import migrations


def carica(apps, schema_editor):
    from peg.classificazione import carica_classificazione

    carica_classificazione(apps.get_model("peg", "Missione"), apps.get_model("peg", "Programma"))


class Migration(migrations.Migration):
    dependencies = [("peg", "0001_initial")]
    operations = [migrations.RunPython(carica, migrations.RunPython.noop)]
