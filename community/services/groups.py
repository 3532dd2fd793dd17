"""Werkgroepen: proposing, approving, joining, leaving, requests and invitations.

Membership and access move together: whoever is a member is in the werkgroep's access group, which
is what Wagtail's view restrictions (and so `website.access`) look at.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction

from community.mail import absolute_url, send_templated
from community.models import (
    GroupJoinPolicy,
    GroupStatus,
    GroupVisibility,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    Profile,
    WorkingGroup,
)
from community.services import CommunityError
from community.services.profiles import public_name
from website.access import is_editor, visible_pages
from website.permissions import EDITOR_GROUPS

JOIN_REQUEST_MESSAGE_MAX = 1000


def is_coordinator(user, group) -> bool:
    return user.is_authenticated and group.memberships.filter(user=user, role=MembershipRole.COORDINATOR).exists()


def can_manage(user, group) -> bool:
    return is_editor(user) or is_coordinator(user, group)


def is_last_coordinator(user, group) -> bool:
    """A coordinator nobody else coordinates with: they hand over before they can leave."""
    if not is_coordinator(user, group):
        return False
    return not group.memberships.filter(role=MembershipRole.COORDINATOR).exclude(user=user).exists()


def is_known_to(user, group) -> bool:
    """Whether `user` may know the werkgroep exists; everything else answers as if it did not."""
    return WorkingGroup.objects.visible_to(user).filter(pk=group.pk).exists()


@dataclass
class GroupPeople:
    """The people a viewer may see on a group page, and how many others there are."""

    coordinators: list = field(default_factory=list)
    members: list = field(default_factory=list)
    others: int = 0


def visible_member_ids(*, group, viewer) -> set[int]:
    """The users in the werkgroep whose profile `viewer` may see."""
    return set(
        Profile.objects.visible_to(viewer).filter(user__memberships__group=group).values_list("user_id", flat=True)
    )


def group_people(*, group, viewer) -> GroupPeople:
    """Coordinators and members whose profile the viewer may see; the rest are only counted."""
    memberships = group.memberships.select_related("user__profile").order_by(
        "user__profile__display_name", "user__username"
    )
    visible = visible_member_ids(group=group, viewer=viewer)
    people = GroupPeople()
    for membership in memberships:
        profile = getattr(membership.user, "profile", None)
        if profile is None or membership.user_id not in visible:
            people.others += 1
        elif membership.role == MembershipRole.COORDINATOR:
            people.coordinators.append(profile)
        else:
            people.members.append(profile)
    return people


def group_content(*, group, viewer):
    """The pages restricted to this werkgroep (and their subpages), as far as `viewer` may read them."""
    paths = PageViewRestriction.objects.filter(
        restriction_type=PageViewRestriction.GROUPS, groups=group.access_group
    ).values_list("page__path", flat=True)
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    if not within:
        return Page.objects.none()
    return visible_pages(Page.objects.filter(within), viewer)


# Addresses under /werkgroepen/ that are pages of their own, not a werkgroep.
RESERVED_SLUGS = {"voorstellen", "uitnodiging"}


def _unique_slug(name):
    base = slugify(name)[:100] or "werkgroep"
    slug, number = base, 2
    while slug in RESERVED_SLUGS or WorkingGroup.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _coordinator_addresses(group) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(
            memberships__group=group, memberships__role=MembershipRole.COORDINATOR, is_active=True, email__gt=""
        )
        .values_list("email", flat=True)
    )


def _mail(*, to, subject, template, context):
    addresses = [address for address in to if address]
    if addresses:
        send_templated(
            to=addresses,
            subject=subject,
            template=template,
            context={**context, "group_url": absolute_url(context["group"].get_absolute_url())},
        )


@transaction.atomic
def group_propose(
    *,
    actor,
    name,
    description,
    join_policy=GroupJoinPolicy.OPEN,
    visibility=GroupVisibility.PUBLIC,
    themes=(),
) -> WorkingGroup:
    """A member proposes a werkgroep; it goes live once an editor approves it."""
    if not (actor.is_authenticated and actor.is_active):
        raise CommunityError(_("Log in om een werkgroep voor te stellen."))
    name, description = (name or "").strip(), (description or "").strip()
    if not name or not description:
        raise CommunityError(_("Geef de werkgroep een naam en een beschrijving."))
    if join_policy not in GroupJoinPolicy.values or visibility not in GroupVisibility.values:
        raise CommunityError(_("Kies hoe mensen kunnen meedoen en wie de werkgroep mag zien."))
    if WorkingGroup.objects.filter(name__iexact=name).exists():
        raise CommunityError(_("Er is al een werkgroep met deze naam."))
    slug = _unique_slug(name)
    try:
        with transaction.atomic():
            access_group = Group.objects.create(name=f"Werkgroep: {slug}")
            group = WorkingGroup.objects.create(
                name=name,
                slug=slug,
                description=description,
                join_policy=join_policy,
                visibility=visibility,
                proposed_by=actor,
                access_group=access_group,
                status=GroupStatus.PROPOSED,
            )
    except IntegrityError:
        raise CommunityError(_("Er is al een werkgroep met deze naam.")) from None
    group.themes.set(themes)
    return group


def _locked_status(group):
    """The status as stored, with the row locked, so two editors cannot decide on one proposal at once."""
    return WorkingGroup.objects.select_for_update().values_list("status", flat=True).get(pk=group.pk)


@transaction.atomic
def group_approve(*, actor, group) -> WorkingGroup:
    """The werkgroep goes live and its proposer becomes its first coordinator."""
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan een werkgroep goedkeuren."))
    if _locked_status(group) == GroupStatus.ACTIVE:
        raise CommunityError(_("Deze werkgroep is al goedgekeurd."))
    group.status = GroupStatus.ACTIVE
    group.save(update_fields=["status"])
    proposer = group.proposed_by
    if proposer and proposer.is_active:
        membership_add(group=group, user=proposer, role=MembershipRole.COORDINATOR)
        _mail(
            to=[proposer.email],
            subject=_("Je werkgroep %(name)s is goedgekeurd") % {"name": group.name},
            template="community/email/group_approved.txt",
            context={"group": group},
        )
    return group


@transaction.atomic
def group_reject(*, actor, group, reason="") -> WorkingGroup:
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan een werkgroep afwijzen."))
    if _locked_status(group) != GroupStatus.PROPOSED:
        raise CommunityError(_("Over dit voorstel is al beslist."))
    group.status = GroupStatus.REJECTED
    group.save(update_fields=["status"])
    proposer = group.proposed_by
    if proposer and proposer.is_active:
        _mail(
            to=[proposer.email],
            subject=_("Je voorstel voor de werkgroep %(name)s") % {"name": group.name},
            template="community/email/group_rejected.txt",
            context={"group": group, "reason": (reason or "").strip()},
        )
    return group


def membership_add(*, group, user, role=MembershipRole.MEMBER) -> Membership:
    """Adds the member and their access to the group's restricted content, together."""
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(group=group, user=user, defaults={"role": role})
        if not created and role == MembershipRole.COORDINATOR and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        user.groups.add(group.access_group)
        JoinRequest.objects.filter(group=group, user=user, status=JoinRequestStatus.PENDING).update(
            status=JoinRequestStatus.ACCEPTED, decided_at=timezone.now()
        )
    return membership


def membership_remove(*, group, user):
    """Removes the member and their access to the group's restricted content, together."""
    with transaction.atomic():
        Membership.objects.filter(group=group, user=user).delete()
        user.groups.remove(group.access_group)


@transaction.atomic
def group_leave(*, actor, group):
    if not (actor.is_authenticated and actor.is_active):
        raise CommunityError(_("Log in om een werkgroep te verlaten."))
    # Locking every coordinator's row means two last coordinators cannot both leave at once.
    coordinators = set(
        group.memberships.select_for_update().filter(role=MembershipRole.COORDINATOR).values_list("user_id", flat=True)
    )
    if not group.memberships.filter(user=actor).exists():
        raise CommunityError(_("Je bent geen deelnemer van deze werkgroep."))
    if coordinators == {actor.pk}:
        raise CommunityError(
            _("Je bent de laatste coördinator. Draag de coördinatie eerst over aan een andere deelnemer.")
        )
    membership_remove(group=group, user=actor)


def group_join(*, actor, group, message=""):
    """Join an open group at once (a Membership), or ask to join one that decides on requests (a JoinRequest)."""
    if not (actor.is_authenticated and actor.is_active):
        raise CommunityError(_("Log in om mee te doen met een werkgroep."))
    if not is_known_to(actor, group):
        raise CommunityError(_("Deze werkgroep bestaat niet."))
    if group.memberships.filter(user=actor).exists():
        raise CommunityError(_("Je doet al mee met deze werkgroep."))
    if group.join_policy == GroupJoinPolicy.OPEN:
        return membership_add(group=group, user=actor)
    if group.join_policy == GroupJoinPolicy.REQUEST:
        return _join_request_create(actor=actor, group=group, message=(message or "").strip())
    raise CommunityError(_("Voor deze werkgroep heb je een uitnodiging nodig."))


def _join_request_create(*, actor, group, message) -> JoinRequest:
    already_sent = _("Je verzoek is al verstuurd; een coördinator beslist erover.")
    if len(message) > JOIN_REQUEST_MESSAGE_MAX:
        raise CommunityError(
            _("Je toelichting is te lang: gebruik hoogstens %(max)s tekens.") % {"max": JOIN_REQUEST_MESSAGE_MAX}
        )
    if group.join_requests.filter(user=actor, status=JoinRequestStatus.PENDING).exists():
        raise CommunityError(already_sent)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(group=group, user=actor, message=message)
            _mail(
                to=_coordinator_addresses(group),
                subject=_("Verzoek om deel te nemen aan %(name)s") % {"name": group.name},
                template="community/email/join_request_received.txt",
                context={
                    "group": group,
                    "join_request": join_request,
                    "requester_name": public_name(actor),
                    "manage_url": _manage_url(group),
                },
            )
    except IntegrityError:
        raise CommunityError(already_sent) from None
    return join_request


def _manage_url(group):
    return absolute_url(reverse("community:group_manage", kwargs={"slug": group.slug}))


@transaction.atomic
def join_request_decide(*, actor, join_request, accept: bool) -> JoinRequest:
    """A coordinator or editor accepts or declines; the requester hears either way."""
    join_request = JoinRequest.objects.select_for_update().select_related("group", "user").get(pk=join_request.pk)
    group = join_request.group
    if not can_manage(actor, group):
        raise CommunityError(_("Alleen een coördinator of de redactie kan hierover beslissen."))
    if join_request.status != JoinRequestStatus.PENDING:
        raise CommunityError(_("Over dit verzoek is al beslist."))
    if accept:
        membership_add(group=group, user=join_request.user)
    join_request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    _mail(
        to=[join_request.user.email],
        subject=(_("Je doet nu mee met %(name)s") if accept else _("Je verzoek voor %(name)s is afgewezen"))
        % {"name": group.name},
        template="community/email/join_request_accepted.txt" if accept else "community/email/join_request_declined.txt",
        context={"group": group},
    )
    return join_request


@transaction.atomic
def coordinator_grant(*, actor, group, user):
    if not can_manage(actor, group):
        raise CommunityError(_("Alleen een coördinator of de redactie kan coördinatoren aanwijzen."))
    membership = group.memberships.select_for_update().filter(user=user).first()
    if membership is None:
        raise CommunityError(_("Alleen deelnemers van de werkgroep kunnen coördinator worden."))
    if membership.role == MembershipRole.COORDINATOR:
        raise CommunityError(_("Deze deelnemer is al coördinator."))
    membership_add(group=group, user=user, role=MembershipRole.COORDINATOR)


@transaction.atomic
def page_restrict_to_group(*, actor, page, group):
    """Content of a werkgroep: readable by its members and by editors, on every path."""
    if not can_manage(actor, group):
        raise CommunityError(_("Alleen deelnemers met beheerrechten kunnen inhoud tot deze werkgroep beperken."))
    from community.moderation.services import page_own_restrictions  # moderation.services imports this module

    page_own_restrictions(page).delete()
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group.access_group])
    restriction_admit_editors(restriction=restriction)
    return restriction


def restriction_admit_editors(*, restriction):
    """Wagtail's own check at serve time knows groups only, so a group restriction lists the editors'
    groups too; also when an editor sets the restriction in the admin's privacy dialog."""
    if restriction.restriction_type != PageViewRestriction.GROUPS:
        return
    missing = Group.objects.filter(name__in=EDITOR_GROUPS).exclude(pk__in=restriction.groups.values("pk"))
    if missing.exists():
        restriction.groups.add(*missing)


@transaction.atomic
def group_invite(*, actor, group, email) -> Invitation:
    """Invite someone by e-mail, member or not; a newcomer joins the group when they sign up."""
    if not can_manage(actor, group):
        raise CommunityError(_("Alleen een coördinator of de redactie kan mensen uitnodigen."))
    if group.status != GroupStatus.ACTIVE:
        raise CommunityError(_("Deze werkgroep is niet actief."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise CommunityError(_("Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.")) from None
    if group.memberships.filter(user__email__iexact=email).exists():
        raise CommunityError(_("Deze persoon doet al mee met de werkgroep."))
    pending = Invitation.objects.filter(group=group, email__iexact=email, accepted_at__isnull=True)
    if any(invitation.is_usable() for invitation in pending):
        raise CommunityError(_("Er staat al een uitnodiging voor dit e-mailadres open."))
    invitation = Invitation.objects.create(group=group, email=email, invited_by=actor)
    _mail(
        to=[email],
        subject=_("Uitnodiging voor de werkgroep %(name)s") % {"name": group.name},
        template="community/email/invitation.txt",
        context={
            "group": group,
            "inviter": actor,
            "inviter_name": public_name(actor),
            "invitation": invitation,
            "accept_url": absolute_url(reverse("community:group_invitation", kwargs={"token": invitation.token})),
        },
    )
    return invitation


def invitation_for_token(token) -> Invitation:
    """The invitation behind a link, if it can still be used; otherwise the one message for every case."""
    invitation = Invitation.objects.select_related("group").filter(token=token).first()
    if invitation is None or not invitation.is_usable() or invitation.group.status != GroupStatus.ACTIVE:
        raise CommunityError(_("Deze uitnodiging is verlopen of al gebruikt. Vraag de coördinator om een nieuwe."))
    return invitation


@transaction.atomic
def invitation_accept(*, actor, token) -> Membership:
    if not (actor.is_authenticated and actor.is_active):
        raise CommunityError(_("Log in om de uitnodiging aan te nemen."))
    invitation = Invitation.objects.select_for_update().select_related("group").filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        raise CommunityError(_("Deze uitnodiging is verlopen of al gebruikt. Vraag de coördinator om een nieuwe."))
    if invitation.group.status != GroupStatus.ACTIVE:
        raise CommunityError(_("Deze werkgroep is niet actief."))
    if invitation.group.memberships.filter(user=actor).exists():
        raise CommunityError(_("Je doet al mee met deze werkgroep."))
    membership = membership_add(group=invitation.group, user=actor)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitations_redeem_for_email(*, user, email) -> list[Membership]:
    """After a newcomer verified their address: join every group that invited that address."""
    memberships = []
    joined = set(Membership.objects.filter(user=user).values_list("group_id", flat=True))
    invitations = Invitation.objects.select_related("group").filter(email__iexact=email, accepted_at__isnull=True)
    for invitation in invitations:
        if invitation.group_id in joined:
            continue
        if invitation.is_usable() and invitation.group.status == GroupStatus.ACTIVE:
            memberships.append(invitation_accept(actor=user, token=invitation.token))
            joined.add(invitation.group_id)
    return memberships
