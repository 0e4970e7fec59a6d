from django.db import migrations


def leggi(apps, schema_editor):
    from indicators.engine.graduation import GraduationSyntaxError, parse

    for app, model in (("indicators", "Indicatore"), ("objectives", "Fase")):
        for obj in apps.get_model(app, model).objects.exclude(graduazione=""):
            try:
                obj.regola = parse(obj.graduazione).to_dict()
            except GraduationSyntaxError:
                continue  # shown as unreadable on the scheda until corrected
            obj.save(update_fields=["regola"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_indicatore_regola"),
        ("objectives", "0003_fase_regola_alter_fase_graduazione"),
    ]
    operations = [migrations.RunPython(leggi, migrations.RunPython.noop)]
