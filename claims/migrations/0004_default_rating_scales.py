from django.db import migrations

from claims.defaults import ensure_rating_scales


def create_scales(apps, schema_editor):
    ensure_rating_scales(apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0003_verdicts_and_review")]

    operations = [migrations.RunPython(create_scales, migrations.RunPython.noop)]
