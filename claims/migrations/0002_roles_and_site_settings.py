from django.db import migrations

from claims.defaults import ensure_roles, ensure_site_settings


def create_roles_and_settings(apps, schema_editor):
    ensure_roles(apps)
    ensure_site_settings(apps)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles_and_settings, migrations.RunPython.noop)]
