"""Trust: new members are watched until enough of their contributions were approved, or an editor
trusts them. Every kind of contribution (page proposals, answers, comments, reactions) counts."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from community.models import Profile
from community.services import CommunityError
from website.access import is_editor


def trust_threshold() -> int:
    return getattr(settings, "CONTRIBUTION_TRUST_THRESHOLD", 3)


def is_trusted(user) -> bool:
    """Editors are trusted; members once an editor marked them or `trust_threshold()` approvals passed."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if is_editor(user):
        return True
    profile = Profile.objects.filter(user=user).only("trusted_at", "approved_contributions").first()
    if profile is None:
        return False
    return profile.trusted_at is not None or profile.approved_contributions >= trust_threshold()


def contribution_approved(*, author):
    """Count one approved contribution for `author` (atomic, safe when editors approve at once)."""
    if author is not None:
        Profile.objects.filter(user=author).update(approved_contributions=F("approved_contributions") + 1)


def member_trust(*, actor, member, trusted: bool = True):
    """An editor marks a member trusted (or watched again)."""
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan leden vertrouwen."))
    Profile.objects.filter(user=member).update(trusted_at=timezone.now() if trusted else None)
