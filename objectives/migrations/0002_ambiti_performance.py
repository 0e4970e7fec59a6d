from django.db import migrations


def carica(apps, schema_editor):
    from objectives.ambiti import carica_ambiti

    carica_ambiti(apps.get_model("objectives", "AmbitoPerformance"))


class Migration(migrations.Migration):
    dependencies = [("objectives", "0001_initial")]
    operations = [migrations.RunPython(carica, migrations.RunPython.noop)]
