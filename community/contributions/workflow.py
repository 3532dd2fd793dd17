"""The "Redactie" workflow: one group-approval task for the editors, on the whole page tree.

It hangs on Wagtail's root page, so every page under it (the Kennisbank, dilemmas, questions, and
whatever page a test or the demo builds later) goes through it without a second assignment.
The data migration and `ensure_workflow()` share `install()`; pass it historical or real models.
"""

from website.permissions import EDITOR_GROUPS

WORKFLOW_NAME = "Redactie"
TASK_NAME = "Redactie: beoordelen"


def install(*, Workflow, GroupApprovalTask, WorkflowTask, WorkflowPage, Group, ContentType, root):
    """Create (or find) the workflow and its task, and make it the workflow of `root` and all below it."""
    content_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME, content_type=content_type, active=True)
    groups = []
    for name in EDITOR_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        groups.append(group)
    task.groups.add(*groups)
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})
    return workflow


def ensure_workflow():
    """The workflow on the current root page; rebuilds it after a test flushed the migrations' data."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

    return install(
        Workflow=Workflow,
        GroupApprovalTask=GroupApprovalTask,
        WorkflowTask=WorkflowTask,
        WorkflowPage=WorkflowPage,
        Group=Group,
        ContentType=ContentType,
        root=Page.get_first_root_node(),
    )
