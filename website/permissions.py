"""Granting the editor groups what they need in the admin, for data migrations to share."""

from django.contrib.auth.management import create_permissions

EDITOR_GROUPS = ["Editors", "Moderators"]


def grant_editor_permissions(apps, permissions):
    """`permissions` is a list of (app_label, model_name, [actions]); the editor groups get each of them."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, actions in permissions:
        found = Permission.objects.filter(
            content_type__app_label=app_label, codename__in=[f"{action}_{model}" for action in actions]
        )
        for group in Group.objects.filter(name__in=EDITOR_GROUPS):
            group.permissions.add(*found)
