from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    """Rate limits and login lockouts live in a database cache shared by every process."""

    dependencies = [("website", "0003_editor_permissions")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
