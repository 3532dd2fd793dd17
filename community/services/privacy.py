"""The AVG: a member reads everything we hold about them, and deletes their account.

Deleting takes the person out and leaves their work in: the account row stays, anonymised, so that
page revisions and published versions keep an author, shown as "voormalig lid".
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from community.mail import absolute_url
from community.models import (
    ContactMessage,
    Invitation,
    JoinRequest,
    Membership,
    MembershipRole,
    Notification,
    Profile,
    WorkingGroup,
)
from community.services import CommunityError
from community.services.groups import membership_remove
from community.services.profiles import FORMER_MEMBER_PREFIX, is_anonymised, public_name
from knowledge.history import publish_log
from website.access import is_editor

# Each profile field under a Dutch key; a test keeps this in step with the model.
PROFILE_KEYS = {
    "display_name": "naam",
    "organisation": "organisatie",
    "organisation_type": "soort_organisatie",
    "role": "functie_of_rol",
    "region": "regio",
    "bio": "over_mij",
    "expertise": "expertise_themas",
    "tags": "expertise_trefwoorden",
    "photo": "foto",
    "open_to_contact": "open_voor_contact",
    "visibility": "zichtbaarheid_profiel",
    "newsletter_opt_in_at": "nieuwsbrief_aangevraagd_op",
    "privacy_consent_at": "privacyverklaring_geaccepteerd_op",
    "blocked_at": "geblokkeerd_op",
    "deleted_at": "verwijderd_op",
    "trusted_at": "vertrouwd_sinds",
    "approved_contributions": "goedgekeurde_bijdragen",
    "created_at": "aangemaakt_op",
    "updated_at": "bijgewerkt_op",
}


def _when(value):
    return value.isoformat() if value else None


def _profile_data(user):
    profile = Profile.objects.filter(user=user).prefetch_related("expertise", "tags").first()
    if profile is None:
        return None
    data = {}
    for field in Profile._meta.get_fields():
        if field.name not in PROFILE_KEYS:
            continue
        value = getattr(profile, field.name)
        if field.name == "expertise":
            value = [theme.name for theme in value.all()]
        elif field.name == "tags":
            value = sorted(tag.name for tag in value.all())
        elif field.name == "photo":
            value = absolute_url(value.url) if value else None
        elif field.choices:
            value = getattr(profile, f"get_{field.name}_display")()
        elif hasattr(value, "isoformat"):
            value = _when(value)
        data[PROFILE_KEYS[field.name]] = value
    return data


def _published_versions(user):
    entries = publish_log().filter(revision__user=user).select_related("page", "revision").order_by("timestamp", "pk")
    versions, seen = [], set()
    for entry in entries:
        if entry.revision_id in seen:
            continue
        seen.add(entry.revision_id)
        versions.append(
            {
                "pagina": entry.revision.content.get("title") or entry.label,
                "adres": entry.page.full_url if entry.page and entry.page.live else None,
                "gepubliceerd_op": _when(entry.timestamp),
                "samenvatting_van_de_wijziging": entry.revision.content.get("edit_summary", ""),
            }
        )
    return versions


def personal_data_export(*, actor, user) -> dict:
    """Everything the platform holds about `user`, for `user` alone; nothing of other members but their names."""
    if not actor.is_authenticated or actor.pk != user.pk:
        raise CommunityError(_("Je kunt alleen je eigen gegevens downloaden."))
    received_invitations = Q(accepted_by=user)
    if user.email:
        received_invitations |= Q(email__iexact=user.email)
    with translation.override("nl"):
        return {
            "toelichting": _(
                "Alle gegevens die het platform van de Alliantie Open Overheid over jou bewaart, op %(date)s."
            )
            % {"date": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
            "account": {
                "gebruikersnaam": user.get_username(),
                "e-mailadres": user.email,
                "voornaam": user.first_name,
                "achternaam": user.last_name,
                "lid_sinds": _when(user.date_joined),
                "laatst_ingelogd": _when(user.last_login),
                "redactie": is_editor(user),
                "e-mailadressen": [
                    {"adres": address.email, "geverifieerd": address.verified, "primair": address.primary}
                    for address in EmailAddress.objects.filter(user=user).order_by("pk")
                ],
            },
            "profiel": _profile_data(user),
            "werkgroepen": [
                {
                    "werkgroep": membership.group.name,
                    "adres": absolute_url(membership.group.get_absolute_url()),
                    "rol": membership.get_role_display(),
                    "deelnemer_sinds": _when(membership.joined_at),
                }
                for membership in Membership.objects.filter(user=user).select_related("group").order_by("joined_at")
            ],
            "verzoeken_om_deel_te_nemen": [
                {
                    "werkgroep": join_request.group.name,
                    "toelichting": join_request.message,
                    "status": join_request.get_status_display(),
                    "ingediend_op": _when(join_request.created_at),
                    "besloten_op": _when(join_request.decided_at),
                }
                for join_request in JoinRequest.objects.filter(user=user).select_related("group").order_by("created_at")
            ],
            "uitnodigingen_verstuurd": [
                {
                    "werkgroep": invitation.group.name,
                    "verstuurd_op": _when(invitation.created_at),
                    "geaccepteerd": invitation.accepted_at is not None,
                }
                for invitation in Invitation.objects.filter(invited_by=user).select_related("group").order_by("pk")
            ],
            "uitnodigingen_ontvangen": [
                {
                    "werkgroep": invitation.group.name,
                    "e-mailadres": invitation.email,
                    "ontvangen_op": _when(invitation.created_at),
                    "geaccepteerd_op": _when(invitation.accepted_at),
                }
                for invitation in Invitation.objects.filter(received_invitations).select_related("group").order_by("pk")
            ],
            "berichten_verstuurd": [
                {
                    "aan": public_name(message.receiver),
                    "onderwerp": message.subject,
                    "bericht": message.body,
                    "verstuurd_op": _when(message.created_at),
                    "beantwoord_op": _when(message.replied_at),
                }
                for message in ContactMessage.objects.filter(sender=user)
                .select_related("receiver__profile")
                .order_by("created_at")
            ],
            "berichten_ontvangen": [
                {
                    "van": public_name(message.sender),
                    "onderwerp": message.subject,
                    "bericht": message.body,
                    "ontvangen_op": _when(message.created_at),
                    "beantwoord_op": _when(message.replied_at),
                }
                for message in ContactMessage.objects.filter(receiver=user)
                .select_related("sender__profile")
                .order_by("created_at")
            ],
            "gepubliceerde_versies": _published_versions(user),
            "meldingen": [
                {
                    "bericht": n.message,
                    "link": n.url,
                    "ontvangen_op": _when(n.created_at),
                    "gelezen_op": _when(n.read_at),
                }
                for n in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
            ],
            **{key: section(user) for key, section in PERSONAL_DATA_SECTIONS.items()},
        }


# Other modules add what they hold about a member (contributions, reports, votes...): key -> function(user).
PERSONAL_DATA_SECTIONS = {}


def register_personal_data(key):
    def decorator(function):
        PERSONAL_DATA_SECTIONS[key] = function
        return function

    return decorator


def groups_left_without_coordinator(user):
    """The werkgroepen `user` coordinates alone: deleting the account hands their coordination to the editors."""
    coordinated = Membership.objects.filter(user=user, role=MembershipRole.COORDINATOR).values("group")
    return (
        WorkingGroup.objects.filter(pk__in=coordinated)
        .annotate(coordinators=Count("memberships", filter=Q(memberships__role=MembershipRole.COORDINATOR)))
        .filter(coordinators=1)
        .order_by("name")
    )


def _delete_file_after_commit(field_file):
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def account_delete(*, actor, user) -> list[WorkingGroup]:
    """The member leaves: personal data goes, contributions stay under "voormalig lid".

    Returns the werkgroepen that lost their last coordinator; their coordination falls to the editors.
    """
    if not actor.is_authenticated or actor.pk != user.pk:
        raise CommunityError(_("Je kunt alleen je eigen account verwijderen."))
    if is_anonymised(user):
        raise CommunityError(_("Dit account is al verwijderd."))
    orphaned = list(groups_left_without_coordinator(user))
    for membership in Membership.objects.filter(user=user).select_related("group__access_group"):
        membership_remove(group=membership.group, user=user)
    user.groups.clear()
    user.user_permissions.clear()
    JoinRequest.objects.filter(user=user).delete()
    received = Q(accepted_by=user)
    if user.email:
        received |= Q(email__iexact=user.email)
    Invitation.objects.filter(received).delete()
    ContactMessage.objects.filter(Q(sender=user) | Q(receiver=user)).delete()
    Notification.objects.filter(recipient=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    for wagtail_profile in UserProfile.objects.filter(user=user):
        _delete_file_after_commit(wagtail_profile.avatar)
        wagtail_profile.delete()
    for profile in Profile.objects.filter(user=user):
        _delete_file_after_commit(profile.photo)
        # The admin's history of the profile carries the member's name as its label.
        ModelLogEntry.objects.for_instance(profile).delete()
        profile.delete()
    user.username = f"{FORMER_MEMBER_PREFIX}{user.pk}"
    user.first_name = ""
    user.last_name = ""
    user.email = ""
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.save()
    return orphaned
