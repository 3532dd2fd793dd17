"""Werkgroepen: proposing, approving, joining, leaving, requests and invitations."""

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from community.models import (
    GroupJoinPolicy,
    GroupStatus,
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    MembershipRole,
    WorkingGroup,
)
from community.services import CommunityError
from website.access import is_editor


def is_coordinator(user, group) -> bool:
    return user.is_authenticated and group.memberships.filter(user=user, role=MembershipRole.COORDINATOR).exists()


def can_manage(user, group) -> bool:
    return is_editor(user) or is_coordinator(user, group)


def _unique_slug(name):
    base = slugify(name)[:100] or "werkgroep"
    slug, number = base, 2
    while WorkingGroup.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def group_propose(
    *, actor, name, description, join_policy=GroupJoinPolicy.OPEN, visibility="public", themes=()
) -> WorkingGroup:
    """A member proposes a werkgroep; it goes live once an editor approves it."""
    if not actor.is_authenticated:
        raise CommunityError(_("Log in om een werkgroep voor te stellen."))
    if WorkingGroup.objects.filter(name__iexact=name).exists():
        raise CommunityError(_("Er is al een werkgroep met deze naam."))
    slug = _unique_slug(name)
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
    group.themes.set(themes)
    return group


@transaction.atomic
def group_approve(*, actor, group) -> WorkingGroup:
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan een werkgroep goedkeuren."))
    group.status = GroupStatus.ACTIVE
    group.save(update_fields=["status"])
    if group.proposed_by and group.proposed_by.is_active:
        membership_add(group=group, user=group.proposed_by, role=MembershipRole.COORDINATOR)
    return group


@transaction.atomic
def group_reject(*, actor, group) -> WorkingGroup:
    if not is_editor(actor):
        raise CommunityError(_("Alleen de redactie kan een werkgroep afwijzen."))
    group.status = GroupStatus.REJECTED
    group.save(update_fields=["status"])
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
    with transaction.atomic():
        Membership.objects.filter(group=group, user=user).delete()
        user.groups.remove(group.access_group)


@transaction.atomic
def group_leave(*, actor, group):
    membership = group.memberships.select_for_update().filter(user=actor).first()
    if membership is None:
        raise CommunityError(_("Je bent geen deelnemer van deze werkgroep."))
    if membership.role == MembershipRole.COORDINATOR:
        others = group.memberships.filter(role=MembershipRole.COORDINATOR).exclude(user=actor)
        if not others.exists():
            raise CommunityError(
                _("Je bent de laatste coördinator. Draag de coördinatie eerst over aan een andere deelnemer.")
            )
    membership_remove(group=group, user=actor)


def group_join(*, actor, group, message=""):
    """Join an open group at once, or ask to join one that decides on requests."""
    if not actor.is_authenticated:
        raise CommunityError(_("Log in om mee te doen met een werkgroep."))
    if group.status != GroupStatus.ACTIVE:
        raise CommunityError(_("Deze werkgroep is nog niet actief."))
    if group.memberships.filter(user=actor).exists():
        raise CommunityError(_("Je doet al mee met deze werkgroep."))
    if group.join_policy == GroupJoinPolicy.OPEN:
        return membership_add(group=group, user=actor)
    if group.join_policy == GroupJoinPolicy.REQUEST:
        try:
            with transaction.atomic():
                return JoinRequest.objects.create(group=group, user=actor, message=message)
        except IntegrityError:
            raise CommunityError(_("Je verzoek is al verstuurd; een coördinator beslist erover.")) from None
    raise CommunityError(_("Voor deze werkgroep heb je een uitnodiging nodig."))


@transaction.atomic
def join_request_decide(*, actor, join_request, accept: bool) -> JoinRequest:
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if not can_manage(actor, join_request.group):
        raise CommunityError(_("Alleen een coördinator of de redactie kan hierover beslissen."))
    if join_request.status != JoinRequestStatus.PENDING:
        raise CommunityError(_("Over dit verzoek is al beslist."))
    if accept:
        membership_add(group=join_request.group, user=join_request.user)
    join_request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    join_request.decided_at = timezone.now()
    join_request.decided_by = actor
    join_request.save(update_fields=["status", "decided_at", "decided_by"])
    return join_request


@transaction.atomic
def coordinator_grant(*, actor, group, user):
    if not can_manage(actor, group):
        raise CommunityError(_("Alleen een coördinator of de redactie kan coördinatoren aanwijzen."))
    if not group.memberships.filter(user=user).exists():
        raise CommunityError(_("Alleen deelnemers van de werkgroep kunnen coördinator worden."))
    membership_add(group=group, user=user, role=MembershipRole.COORDINATOR)


EDITOR_GROUPS = ["Editors", "Moderators"]


@transaction.atomic
def page_restrict_to_group(*, actor, page, group):
    """Content of a werkgroep: readable by its members and by editors, on every path."""
    from wagtail.models import PageViewRestriction

    if not can_manage(actor, group):
        raise CommunityError(_("Alleen deelnemers met beheerrechten kunnen inhoud tot deze werkgroep beperken."))
    PageViewRestriction.objects.filter(page=page).delete()
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    # Wagtail's own check at serve time knows groups only, so the editors' groups are listed too.
    restriction.groups.set([group.access_group, *Group.objects.filter(name__in=EDITOR_GROUPS)])
    return restriction


def group_invite(*, actor, group, email) -> Invitation:
    """Invite someone by e-mail, member or not; a newcomer joins the group when they sign up."""
    from community.mail import absolute_url, send_templated

    if not can_manage(actor, group):
        raise CommunityError(_("Alleen een coördinator of de redactie kan mensen uitnodigen."))
    email = email.strip().lower()
    if group.memberships.filter(user__email__iexact=email).exists():
        raise CommunityError(_("Deze persoon doet al mee met de werkgroep."))
    invitation = Invitation.objects.create(group=group, email=email, invited_by=actor)
    send_templated(
        to=[email],
        subject=_("Uitnodiging voor de werkgroep %(name)s") % {"name": group.name},
        template="community/email/invitation.txt",
        context={
            "group": group,
            "inviter": actor,
            "invitation": invitation,
            "accept_url": absolute_url(f"/werkgroepen/uitnodiging/{invitation.token}/"),
        },
    )
    return invitation


@transaction.atomic
def invitation_accept(*, actor, token) -> Membership:
    invitation = Invitation.objects.select_for_update().select_related("group").filter(token=token).first()
    if invitation is None or not invitation.is_usable():
        raise CommunityError(_("Deze uitnodiging is verlopen of al gebruikt. Vraag de coördinator om een nieuwe."))
    if invitation.group.status != GroupStatus.ACTIVE:
        raise CommunityError(_("Deze werkgroep is niet actief."))
    membership = membership_add(group=invitation.group, user=actor)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = actor
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def invitations_redeem_for_email(*, user, email) -> list[Membership]:
    """After a newcomer verified their address: join every group that invited that address."""
    memberships = []
    for invitation in Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True):
        if invitation.is_usable() and invitation.group.status == GroupStatus.ACTIVE:
            memberships.append(invitation_accept(actor=user, token=invitation.token))
    return memberships
