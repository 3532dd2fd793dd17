from django.db import transaction
from django.utils import timezone

from community.models import Profile


def profile_for(user) -> Profile:
    """The member's profile, created from their account on first use."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        pass
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"display_name": user.get_full_name() or user.get_username()}
    )
    return profile


@transaction.atomic
def profile_create_at_signup(
    *, user, display_name, organisation="", organisation_type="anders", newsletter=False, consent=True
) -> Profile:
    now = timezone.now()
    profile = profile_for(user)
    profile.display_name = display_name
    profile.organisation = organisation
    profile.organisation_type = organisation_type
    profile.privacy_consent_at = now if consent else None
    profile.newsletter_opt_in_at = now if newsletter else None
    profile.save()
    return profile
