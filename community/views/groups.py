"""Werkgroepen: the list, a group's page, joining and leaving, managing, invitations and proposals.

A werkgroep the viewer may not know about answers 404 on every address, its actions included.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from community.forms_groups import GroupProposalForm, InvitationForm, JoinRequestForm
from community.models import JoinRequest, JoinRequestStatus, Membership, MembershipRole, WorkingGroup
from community.ratelimits import minutes_to_wait
from community.services import CommunityError
from community.services import groups as services
from community.services.profiles import public_name
from knowledge.models import PAGE_SIZE, with_themes


def _login_url(request):
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"


def _group_or_404(request, slug):
    return get_object_or_404(WorkingGroup.objects.visible_to(request.user).prefetch_related("themes"), slug=slug)


def _managed_group_or_404(request, slug):
    group = _group_or_404(request, slug)
    if not services.can_manage(request.user, group):
        raise Http404
    return group


def group_list(request):
    visible = WorkingGroup.objects.visible_to(request.user).values("pk")
    groups = (
        WorkingGroup.objects.filter(pk__in=visible)
        .annotate(member_count=Count("memberships"))
        .prefetch_related("themes")
        .order_by("name")
    )
    joined = set()
    if request.user.is_authenticated:
        joined = set(Membership.objects.filter(user=request.user).values_list("group_id", flat=True))
    return render(
        request,
        "community/groups/group_list.html",
        {
            "groups": Paginator(groups, PAGE_SIZE).get_page(request.GET.get("pagina")),
            "joined": joined,
            "login_url": _login_url(request),
        },
    )


def _detail(request, group, *, join_form=None, status=200):
    user = request.user
    content = with_themes(
        services.group_content(group=group, viewer=user).order_by("-first_published_at", "-pk")
    ).specific()
    membership = pending = None
    if user.is_authenticated:
        membership = group.memberships.filter(user=user).first()
        pending = group.join_requests.filter(user=user, status=JoinRequestStatus.PENDING).first()
    can_manage = services.can_manage(user, group)
    context = {
        "group": group,
        "people": services.group_people(group=group, viewer=user),
        "pages": Paginator(content, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "membership": membership,
        "pending_request": pending,
        "last_coordinator": bool(membership) and services.is_last_coordinator(user, group),
        "can_manage": can_manage,
        "pending_count": group.join_requests.filter(status=JoinRequestStatus.PENDING).count() if can_manage else 0,
        "join_form": join_form or JoinRequestForm(),
        "login_url": _login_url(request),
    }
    return render(request, "community/groups/group_detail.html", context, status=status)


def group_detail(request, slug):
    return _detail(request, _group_or_404(request, slug))


@login_required
def group_join(request, slug):
    """Joins an open werkgroep, or sends a request to one whose coordinators decide."""
    group = _group_or_404(request, slug)
    if request.method != "POST":
        return redirect(group)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        return _detail(request, group, join_form=form, status=400)
    try:
        result = services.group_join(actor=request.user, group=group, message=form.cleaned_data["message"])
    except CommunityError as error:
        messages.error(request, error.message)
        return redirect(group)
    if isinstance(result, JoinRequest):
        messages.success(
            request,
            _("Je verzoek is verstuurd. Een coördinator beslist erover; je krijgt bericht per e-mail."),
        )
    else:
        messages.success(request, _("Welkom! Je doet nu mee met deze werkgroep."))
    return redirect(group)


@login_required
def group_leave(request, slug):
    group = _group_or_404(request, slug)
    if request.method != "POST":
        return redirect(group)
    try:
        services.group_leave(actor=request.user, group=group)
    except CommunityError as error:
        messages.error(request, error.message)
        return redirect(group)
    messages.success(request, _("Je hebt de werkgroep %(name)s verlaten.") % {"name": group.name})
    if services.is_known_to(request.user, group):
        return redirect(group)
    return redirect("community:groups")


@login_required
def group_manage(request, slug, *, invitation_form=None, status=200):
    group = _managed_group_or_404(request, slug)
    requests = group.join_requests.filter(status=JoinRequestStatus.PENDING).select_related("user__profile")
    memberships = group.memberships.select_related("user__profile").order_by(
        "role", "user__profile__display_name", "user__username"
    )
    return render(
        request,
        "community/groups/group_manage.html",
        {
            "group": group,
            "join_requests": requests,
            "memberships": memberships,
            "visible_ids": services.visible_member_ids(group=group, viewer=request.user),
            "invitation_form": invitation_form or InvitationForm(),
            "coordinator_role": MembershipRole.COORDINATOR,
        },
        status=status,
    )


@login_required
def join_request_decide(request, slug, pk):
    group = _managed_group_or_404(request, slug)
    if request.method != "POST":
        return redirect("community:group_manage", slug=group.slug)
    join_request = get_object_or_404(group.join_requests.select_related("user__profile"), pk=pk)
    decision = request.POST.get("besluit")
    if decision not in ("accepteren", "afwijzen"):
        messages.error(request, _("Kies of je het verzoek accepteert of afwijst."))
        return redirect("community:group_manage", slug=group.slug)
    try:
        services.join_request_decide(actor=request.user, join_request=join_request, accept=decision == "accepteren")
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        name = public_name(join_request.user)
        if decision == "accepteren":
            messages.success(request, _("%(name)s doet nu mee; we hebben het per e-mail laten weten.") % {"name": name})
        else:
            messages.success(
                request,
                _("Het verzoek van %(name)s is afgewezen; we hebben het per e-mail laten weten.") % {"name": name},
            )
    return redirect("community:group_manage", slug=group.slug)


@login_required
def group_invite(request, slug):
    group = _managed_group_or_404(request, slug)
    if request.method != "POST":
        return redirect("community:group_manage", slug=group.slug)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return group_manage(request, slug, invitation_form=form, status=400)
    minutes = minutes_to_wait(request, "group_invite")
    if minutes is not None:
        form.add_error(
            None,
            ngettext(
                "Je hebt in korte tijd veel uitnodigingen verstuurd. Probeer het over %(minutes)d minuut opnieuw.",
                "Je hebt in korte tijd veel uitnodigingen verstuurd. Probeer het over %(minutes)d minuten opnieuw.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return group_manage(request, slug, invitation_form=form, status=429)
    try:
        services.group_invite(actor=request.user, group=group, email=form.cleaned_data["email"])
    except CommunityError as error:
        form.add_error("email", error.message)
        return group_manage(request, slug, invitation_form=form, status=400)
    messages.success(request, _("De uitnodiging is verstuurd."))
    return redirect("community:group_manage", slug=group.slug)


@login_required
def coordinator_grant(request, slug):
    group = _managed_group_or_404(request, slug)
    if request.method != "POST":
        return redirect("community:group_manage", slug=group.slug)
    member_id = request.POST.get("lid", "")
    membership = None
    if member_id.isdigit():
        membership = group.memberships.select_related("user__profile").filter(user_id=member_id).first()
    if membership is None:
        messages.error(request, _("Kies een deelnemer van deze werkgroep."))
        return redirect("community:group_manage", slug=group.slug)
    try:
        services.coordinator_grant(actor=request.user, group=group, user=membership.user)
    except CommunityError as error:
        messages.error(request, error.message)
    else:
        if membership.user_id in services.visible_member_ids(group=group, viewer=request.user):
            message = _("%(name)s is nu coördinator.") % {"name": public_name(membership.user)}
        else:
            message = _("De deelnemer is nu coördinator.")
        messages.success(request, message)
    return redirect("community:group_manage", slug=group.slug)


@login_required
def invitation(request, token):
    """The link in an invitation: shows the werkgroep, and joins it on a POST."""
    try:
        invitation = services.invitation_for_token(token)
    except CommunityError as error:
        return render(request, "community/groups/invitation.html", {"error": error.message}, status=410)
    if request.method == "POST":
        try:
            services.invitation_accept(actor=request.user, token=token)
        except CommunityError as error:
            messages.error(request, error.message)
            return redirect("community:group_invitation", token=token)
        messages.success(request, _("Welkom! Je doet nu mee met deze werkgroep."))
        return redirect(invitation.group)
    already_member = invitation.group.memberships.filter(user=request.user).exists()
    return render(
        request,
        "community/groups/invitation.html",
        {"invitation": invitation, "group": invitation.group, "already_member": already_member},
    )


@login_required
def group_propose(request):
    form = GroupProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_propose(actor=request.user, **form.cleaned_data)
        except CommunityError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Bedankt voor je voorstel. De redactie bekijkt het; zodra het is goedgekeurd staat de werkgroep "
                    "online en ben jij de coördinator. Je krijgt bericht per e-mail."
                ),
            )
            return redirect("community:groups")
    status = 400 if form.is_bound else 200
    return render(request, "community/groups/group_propose.html", {"form": form}, status=status)


def _action(view_path, view, name):
    return path(f"werkgroepen/<slug:slug>/{view_path}", view, name=name)


urlpatterns = [
    path("werkgroepen/", group_list, name="groups"),
    path("werkgroepen/voorstellen/", group_propose, name="group_propose"),
    path("werkgroepen/uitnodiging/<str:token>/", invitation, name="group_invitation"),
    path("werkgroepen/<slug:slug>/", group_detail, name="group"),
    _action("meedoen/", group_join, "group_join"),
    _action("verlaten/", group_leave, "group_leave"),
    _action("beheren/", group_manage, "group_manage"),
    _action("beheren/uitnodigen/", group_invite, "group_invite"),
    _action("beheren/coordinatoren/", coordinator_grant, "group_coordinator_grant"),
    path("werkgroepen/<slug:slug>/beheren/verzoeken/<int:pk>/", join_request_decide, name="group_join_request"),
]
