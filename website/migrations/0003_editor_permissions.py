from django.db import migrations

from website.permissions import grant_editor_permissions

PERMISSIONS = [
    ("knowledge", "theme", ["add", "change", "delete", "view"]),
    ("website", "sitesettings", ["change"]),
]


def grant(apps, schema_editor):
    """Editors manage themes and the site settings (contact point, footer) in the admin."""
    grant_editor_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0002_postgres_extensions"),
        ("knowledge", "0001_initial"),
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
