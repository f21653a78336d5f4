from django.db import migrations

# The role groups as they were named then (claims.permissions names them now): a migration imports no app code.
ROLE_GROUPS = ("fact-checkers", "reviewers", "admins")


def create_roles_and_settings(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_GROUPS:
        Group.objects.get_or_create(name=name)
    apps.get_model("claims", "SiteSettings").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles_and_settings, migrations.RunPython.noop)]
