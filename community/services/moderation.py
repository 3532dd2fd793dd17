"""Status changes of member-written items that are not pages (answers, comments, reactions).

`item_submit` applies the trust rules; editors approve, reject, hide and restore. Pages use Wagtail's
workflow instead (community.contributions); reports on both go through community.moderation.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import ModerationStatus
from community.services import CommunityError
from community.services.notifications import notify
from community.services.trust import contribution_approved, is_trusted
from website.access import is_editor


def _require_editor(actor):
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan bijdragen beoordelen."))


def item_submit(*, actor, item):
    """Save a new item: published at once for trusted members, otherwise waiting for an editor."""
    item.author = actor
    item.status = ModerationStatus.PUBLISHED if is_trusted(actor) else ModerationStatus.PENDING
    item.save()
    return item


@transaction.atomic
def item_approve(*, actor, item):
    _require_editor(actor)
    if item.status != ModerationStatus.PENDING:
        raise CommunityError(_("Deze bijdrage wacht niet op goedkeuring."))
    item.status, item.decided_by, item.decided_at = ModerationStatus.PUBLISHED, actor, timezone.now()
    item.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    contribution_approved(author=item.author)
    notify(
        recipient=item.author,
        message=_("Je bijdrage is goedgekeurd: %(item)s") % {"item": item.moderation_label()},
        url=item.get_absolute_url(),
        mail_template="community/email/item_decision.txt",
    )
    return item


@transaction.atomic
def item_reject(*, actor, item, reason: str):
    _require_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise CommunityError(_("Schrijf de auteur waarom de bijdrage is afgewezen."))
    if item.status != ModerationStatus.PENDING:
        raise CommunityError(_("Deze bijdrage wacht niet op goedkeuring."))
    item.status, item.decided_by, item.decided_at = ModerationStatus.REJECTED, actor, timezone.now()
    item.decision_reason = reason
    item.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    notify(
        recipient=item.author,
        message=_("Je bijdrage is afgewezen: %(item)s") % {"item": item.moderation_label()},
        url=item.get_absolute_url(),
        mail_template="community/email/item_decision.txt",
        context={"reason": reason},
    )
    return item


def item_hide(*, item, actor=None, reason: str = ""):
    """Hide a published item (by an editor, or automatically after enough reports)."""
    if actor is not None:
        _require_editor(actor)
    item.status, item.decided_by, item.decided_at = ModerationStatus.HIDDEN, actor, timezone.now()
    item.decision_reason = reason or item.decision_reason
    item.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"])
    return item


def item_restore(*, actor, item):
    _require_editor(actor)
    item.status, item.decided_by, item.decided_at = ModerationStatus.PUBLISHED, actor, timezone.now()
    item.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return item


def item_withdraw(*, actor, item):
    if item.author_id != getattr(actor, "pk", None):
        raise CommunityError(_("Je kunt alleen je eigen bijdragen intrekken."))
    if item.status != ModerationStatus.PENDING:
        raise CommunityError(_("Alleen een bijdrage die nog wacht, kun je intrekken."))
    item.status = ModerationStatus.WITHDRAWN
    item.save(update_fields=["status", "updated_at"])
    return item
