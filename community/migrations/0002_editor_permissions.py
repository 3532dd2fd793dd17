from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_GROUPS = ["Editors", "Moderators"]
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
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in PERMISSIONS:
        permissions = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
        )
        for group in Group.objects.filter(name__in=EDITOR_GROUPS):
            group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("wagtailcore", "0005_add_page_lock_permission_to_moderators"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
