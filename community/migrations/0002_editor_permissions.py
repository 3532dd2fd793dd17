from django.db import migrations

from website.permissions import grant_editor_permissions

PERMISSIONS = [
    ("community", "profile", ["change", "view"]),
    ("community", "workinggroup", ["change", "view"]),
    ("community", "joinrequest", ["change", "view"]),
    ("community", "invitation", ["view"]),
]


def grant(apps, schema_editor):
    """Editors see members, werkgroepen, requests and invitations in the admin, edit profiles and decide.

    Nobody creates or deletes these there: members join, propose and leave through the site.
    """
    grant_editor_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
