from django.db import migrations

from community.contributions.workflow import install


def create_workflow(apps, schema_editor):
    """The "Redactie" workflow on Wagtail's root page, so every page below it, now or later, goes through it."""
    Page = apps.get_model("wagtailcore", "Page")
    install(
        Workflow=apps.get_model("wagtailcore", "Workflow"),
        GroupApprovalTask=apps.get_model("wagtailcore", "GroupApprovalTask"),
        WorkflowTask=apps.get_model("wagtailcore", "WorkflowTask"),
        WorkflowPage=apps.get_model("wagtailcore", "WorkflowPage"),
        Group=apps.get_model("auth", "Group"),
        ContentType=apps.get_model("contenttypes", "ContentType"),
        root=Page.objects.filter(depth=1).order_by("path").first(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_contrib_contributions"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_workflow, migrations.RunPython.noop)]
