"""What editors may do to a member: block and unblock them, and make them an editor."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from community.models import Profile
from community.services import CommunityError
from community.services.groups import EDITOR_GROUPS
from community.services.profiles import is_anonymised, public_name
from website.access import is_editor

EDITOR_ROLE_GROUP = "Moderators"


def has_editor_role(user) -> bool:
    """Reads the user's groups, so a listing that prefetches them asks nothing per row."""
    return user.is_superuser or any(group.name in EDITOR_GROUPS for group in user.groups.all())


def _require_editor(actor, message):
    if not is_editor(actor):
        raise CommunityError(message)


def _log(user, action, actor):
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        log(instance=profile, action=action, user=actor)


@transaction.atomic
def member_block(*, actor, user):
    """A blocked member can no longer log in; the sessions they have stop counting as logged in."""
    _require_editor(actor, _("Alleen de redactie kan leden blokkeren."))
    if user.pk == actor.pk:
        raise CommunityError(_("Je kunt jezelf niet blokkeren."))
    if user.is_superuser:
        raise CommunityError(_("Een beheerder met alle rechten kun je niet blokkeren."))
    if is_anonymised(user):
        raise CommunityError(_("Dit account is verwijderd."))
    if not user.is_active:
        raise CommunityError(_("%(name)s is al geblokkeerd.") % {"name": public_name(user)})
    user.is_active = False
    user.save(update_fields=["is_active"])
    Profile.objects.filter(user=user).update(blocked_at=timezone.now())
    _log(user, "community.member_block", actor)


@transaction.atomic
def member_unblock(*, actor, user):
    _require_editor(actor, _("Alleen de redactie kan een blokkade opheffen."))
    if is_anonymised(user):
        raise CommunityError(_("Dit account is verwijderd en kan niet terugkomen."))
    if user.is_active:
        raise CommunityError(_("%(name)s is niet geblokkeerd.") % {"name": public_name(user)})
    user.is_active = True
    user.save(update_fields=["is_active"])
    Profile.objects.filter(user=user).update(blocked_at=None)
    _log(user, "community.member_unblock", actor)


@transaction.atomic
def editor_grant(*, actor, user):
    """Editors work in the admin through Wagtail's "Moderators" group: writing, approving, publishing."""
    _require_editor(actor, _("Alleen de redactie kan iemand redacteur maken."))
    if not user.is_active:
        raise CommunityError(_("Een geblokkeerd of verwijderd account kan geen redacteur worden."))
    if is_editor(user):
        raise CommunityError(_("%(name)s is al redacteur.") % {"name": public_name(user)})
    user.groups.add(Group.objects.get(name=EDITOR_ROLE_GROUP))
    _log(user, "community.editor_grant", actor)
