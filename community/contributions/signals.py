"""Wagtail's workflow signals hand each decision to the contribution services, inside the same transaction.

A publish while a review runs is noted first (see `provenance`), so the cancel that Wagtail sends right
after it is told apart from an editor stopping the review.
"""

from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Revision, WorkflowState
from wagtail.signals import page_published, workflow_approved, workflow_cancelled, workflow_rejected

from community.contributions import provenance


@receiver(workflow_approved, dispatch_uid="contributions.workflow_approved")
def _approved(sender, instance, user=None, **kwargs):
    from community.contributions import services

    services.workflow_approved(workflow_state=instance, actor=user)


@receiver(workflow_rejected, dispatch_uid="contributions.workflow_rejected")
def _rejected(sender, instance, user=None, **kwargs):
    from community.contributions import services

    services.workflow_rejected(workflow_state=instance, actor=user)


@receiver(workflow_cancelled, dispatch_uid="contributions.workflow_cancelled")
def _cancelled(sender, instance, user=None, **kwargs):
    from community.contributions import services

    services.workflow_cancelled(workflow_state=instance, actor=user)


@receiver(page_published, dispatch_uid="contributions.page_published")
def _published(sender, instance, revision=None, **kwargs):
    running = (
        instance.workflow_states.filter(
            status__in=(WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)
        )
        .values_list("pk", flat=True)
        .first()
    )
    if running is None or revision is None:
        provenance.forget_source(instance.pk)
        return
    provenance.published(page_id=instance.pk, revision_id=revision.pk, workflow_state_id=running)


@hooks.register("before_publish_page")
def _admin_publish(request, page):
    """The admin's editor publishes what it opened: the latest version, or the one being reverted to."""
    if not page.pk or not page.latest_revision_id:
        return None
    source = (getattr(request, "resolver_match", None) and request.resolver_match.kwargs.get("revision_id")) or (
        request.POST.get("loaded_revision_id", "")
    )
    if not str(source).isdigit():
        source = (
            Revision.page_revisions.filter(object_id=str(page.pk), pk__lt=page.latest_revision_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
    provenance.note_source(page_id=page.pk, revision_id=page.latest_revision_id, source_revision_id=source)
    return None
