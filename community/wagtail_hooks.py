"""The "Gemeenschap" menu in the Wagtail admin: members, werkgroepen, join requests and invitations.

Editors look, filter and edit here; every decision (block, approve, accept, ...) is a POST to a
confirmation view that calls a community service, so the admin follows the same rules as the site.
Nobody creates or deletes members or werkgroepen here: that happens on the site.
"""

from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.log_actions import log

from community.models import GroupStatus, Invitation, JoinRequest, JoinRequestStatus, Profile, WorkingGroup
from community.services import CommunityError
from community.services.groups import group_approve, group_reject, join_request_decide
from community.services.members import editor_grant, has_editor_role, member_block, member_unblock
from community.services.profiles import PROFILE_FIELDS, profile_update, public_name
from community.services.trust import member_trust


class ConfirmActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Asks before one decision on one object (GET), then takes it through a service (POST with CSRF)."""

    model = None
    permission_required = "change"
    template_name = "community/admin/confirm_action.html"
    index_url_name = None
    action_url_name = None
    page_title = ""
    question = ""
    explanation = ""
    button_label = ""
    success_message = ""
    destructive = False

    def get_queryset(self):
        return self.model._default_manager.all()

    @cached_property
    def object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def perform(self):
        raise NotImplementedError

    def describe(self, text):
        return text % {"name": self.name_of_object()}

    def name_of_object(self):
        return str(self.object)

    def get_page_subtitle(self):
        return self.name_of_object()

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            question=self.describe(self.question),
            explanation=self.describe(self.explanation) if self.explanation else "",
            button_label=self.button_label,
            destructive=self.destructive,
            action_url=reverse(self.action_url_name, args=(quote(self.object.pk),)),
            cancel_url=reverse(self.index_url_name),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.perform()
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, self.describe(self.success_message))
        return redirect(self.index_url_name)


class ProfileActionView(ConfirmActionView):
    model = Profile

    def get_queryset(self):
        return Profile.objects.select_related("user")


class BlockMemberView(ProfileActionView):
    page_title = gettext_lazy("Lid blokkeren")
    question = gettext_lazy("Wil je %(name)s blokkeren?")
    explanation = gettext_lazy(
        "%(name)s kan dan niet meer inloggen en niets meer bijdragen. Het profiel verdwijnt uit de ledenlijst. "
        "Je kunt de blokkade later opheffen."
    )
    button_label = gettext_lazy("Ja, blokkeer dit lid")
    success_message = gettext_lazy("%(name)s is geblokkeerd.")
    destructive = True

    def perform(self):
        member_block(actor=self.request.user, user=self.object.user)


class UnblockMemberView(ProfileActionView):
    page_title = gettext_lazy("Blokkade opheffen")
    question = gettext_lazy("Wil je de blokkade van %(name)s opheffen?")
    explanation = gettext_lazy("%(name)s kan dan weer inloggen en meedoen.")
    button_label = gettext_lazy("Ja, hef de blokkade op")
    success_message = gettext_lazy("De blokkade van %(name)s is opgeheven.")

    def perform(self):
        member_unblock(actor=self.request.user, user=self.object.user)


class GrantEditorView(ProfileActionView):
    page_title = gettext_lazy("Redacteur maken")
    question = gettext_lazy("Wil je %(name)s redacteur maken?")
    explanation = gettext_lazy(
        "Een redacteur werkt in dit beheer: schrijft, keurt goed en publiceert, beheert thema's en leden "
        "en kan zelf anderen blokkeren of redacteur maken."
    )
    button_label = gettext_lazy("Ja, maak redacteur")
    success_message = gettext_lazy("%(name)s is nu redacteur.")

    def perform(self):
        editor_grant(actor=self.request.user, user=self.object.user)


class TrustMemberView(ProfileActionView):
    page_title = gettext_lazy("Lid vertrouwen")
    question = gettext_lazy("Wil je %(name)s vertrouwen?")
    explanation = gettext_lazy(
        "Wijzigingen van %(name)s in bestaande artikelen staan dan meteen op de site, zonder goedkeuring "
        "vooraf. Je ziet ze in de recente wijzigingen en kunt ze daar nakijken. Nieuwe artikelen blijven langs "
        "de redactie gaan."
    )
    button_label = gettext_lazy("Ja, vertrouw dit lid")
    success_message = gettext_lazy("%(name)s is nu een vertrouwd lid.")

    def perform(self):
        member_trust(actor=self.request.user, member=self.object.user, trusted=True)


class DistrustMemberView(ProfileActionView):
    page_title = gettext_lazy("Niet meer vertrouwen")
    question = gettext_lazy("Wil je %(name)s niet meer vertrouwen?")
    explanation = gettext_lazy(
        "Voorstellen van %(name)s wachten dan weer op de redactie, ook na eerdere goedkeuringen."
    )
    button_label = gettext_lazy("Ja, niet meer vertrouwen")
    success_message = gettext_lazy("Voorstellen van %(name)s wachten weer op de redactie.")
    destructive = True

    def perform(self):
        member_trust(actor=self.request.user, member=self.object.user, trusted=False)


class ProposedGroupActionView(ConfirmActionView):
    """Only proposals: a werkgroep that was already decided on is not found here."""

    model = WorkingGroup

    def get_queryset(self):
        return WorkingGroup.objects.filter(status=GroupStatus.PROPOSED).select_related("proposed_by__profile")


class ApproveGroupView(ProposedGroupActionView):
    page_title = gettext_lazy("Werkgroep goedkeuren")
    question = gettext_lazy("Wil je de werkgroep “%(name)s” goedkeuren?")
    explanation = gettext_lazy(
        "De werkgroep gaat dan live en wie haar voorstelde, wordt coördinator (als dat account nog actief is)."
    )
    button_label = gettext_lazy("Ja, keur goed")
    success_message = gettext_lazy("De werkgroep “%(name)s” is goedgekeurd en staat live.")

    def perform(self):
        group_approve(actor=self.request.user, group=self.object)


class RejectGroupView(ProposedGroupActionView):
    page_title = gettext_lazy("Werkgroep afwijzen")
    question = gettext_lazy("Wil je de werkgroep “%(name)s” afwijzen?")
    explanation = gettext_lazy("De werkgroep gaat dan niet live.")
    button_label = gettext_lazy("Ja, wijs af")
    success_message = gettext_lazy("De werkgroep “%(name)s” is afgewezen.")
    destructive = True

    def perform(self):
        group_reject(actor=self.request.user, group=self.object)


class PendingRequestActionView(ConfirmActionView):
    model = JoinRequest

    def get_queryset(self):
        return JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).select_related("group", "user__profile")

    def name_of_object(self):
        return _("%(member)s voor “%(group)s”") % {"member": public_name(self.object.user), "group": self.object.group}


class AcceptRequestView(PendingRequestActionView):
    page_title = gettext_lazy("Verzoek accepteren")
    question = gettext_lazy("Wil je het verzoek van %(name)s accepteren?")
    button_label = gettext_lazy("Ja, accepteer")
    success_message = gettext_lazy("Het verzoek van %(name)s is geaccepteerd.")

    def perform(self):
        join_request_decide(actor=self.request.user, join_request=self.object, accept=True)


class DeclineRequestView(PendingRequestActionView):
    page_title = gettext_lazy("Verzoek afwijzen")
    question = gettext_lazy("Wil je het verzoek van %(name)s afwijzen?")
    button_label = gettext_lazy("Ja, wijs af")
    success_message = gettext_lazy("Het verzoek van %(name)s is afgewezen.")
    destructive = True

    def perform(self):
        join_request_decide(actor=self.request.user, join_request=self.object, accept=False)


@dataclass
class RowAction:
    """A decision offered in a listing row's menu when `applies(instance, user)` holds."""

    name: str
    view_class: type
    label: str
    icon: str
    applies: Callable


class CommunityIndexView(generic.IndexView):
    row_actions = ()  # (url name, RowAction) pairs, filled in by the viewset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.user_has_permission("change"):
            return buttons
        for priority, (url_name, action) in enumerate(self.row_actions, start=40):
            if action.applies(instance, self.request.user):
                url = reverse(url_name, args=(quote(instance.pk),))
                buttons.append(MenuItem(action.label, url=url, icon_name=action.icon, priority=priority))
        return buttons


class CommunityViewSet(ModelViewSet):
    """No add, copy or delete views; the index offers the row actions, each with its own URL."""

    index_view_class = CommunityIndexView
    copy_view_enabled = False
    add_to_reference_index = False
    editable = True
    row_actions = ()
    index_queryset = None

    def get_common_view_kwargs(self, **kwargs):
        kwargs = super().get_common_view_kwargs(**kwargs)
        kwargs.update(add_url_name=None, delete_url_name=None)
        if not self.editable:
            kwargs["edit_url_name"] = None
        return kwargs

    def get_form_fields(self):
        return super().get_form_fields() if self.editable else []

    def get_index_view_kwargs(self, **kwargs):
        row_actions = [(self.get_url_name(action.name), action) for action in self.row_actions]
        return super().get_index_view_kwargs(
            queryset=self.index_queryset, row_actions=row_actions, page_title=self.menu_label, **kwargs
        )

    def get_urlpatterns(self):
        removed = {"add", "delete"} if self.editable else {"add", "delete", "edit"}
        urlpatterns = [pattern for pattern in super().get_urlpatterns() if pattern.name not in removed]
        for action in self.row_actions:
            view = self.construct_view(
                action.view_class,
                index_url_name=self.get_url_name("index"),
                action_url_name=self.get_url_name(action.name),
                header_icon=action.icon,
            )
            urlpatterns.append(path(f"{action.name}/<int:pk>/", view, name=action.name))
        return urlpatterns


class ProfileEditView(generic.EditView):
    """Saves through profile_update, so a photo is checked and re-encoded here just as on the site."""

    def form_valid(self, form):
        data = form.cleaned_data
        photo = data.get("photo")
        try:
            profile_update(
                actor=self.request.user,
                profile=self.object,
                expertise=data["expertise"],
                tags=data["tags"],
                photo=photo if isinstance(photo, UploadedFile) else None,
                remove_photo=photo is False,
                **{name: data[name] for name in PROFILE_FIELDS if name in data},
            )
        except CommunityError as error:
            form.add_error(None, error.message)
            self.produced_error_code = "validation_error"
            self.produced_error_message = error.message
            return self.form_invalid(form)
        self.form = form
        self.object = Profile.objects.get(pk=self.object.pk)
        log(instance=self.object, action="wagtail.edit", user=self.request.user)
        return self.save_action()


def _date(value):
    return date_format(localtime(value), "j F Y") if value else ""


class ProfileFilterSet(WagtailFilterSet):
    blocked = django_filters.BooleanFilter(
        label=gettext_lazy("Geblokkeerd"), method="filter_blocked", widget=BooleanRadioSelect
    )

    class Meta:
        model = Profile
        fields = ["organisation_type", "visibility"]

    def filter_blocked(self, queryset, name, value):
        return queryset.filter(blocked_at__isnull=not value)


class ProfileViewSet(CommunityViewSet):
    model = Profile
    name = "community_members"
    url_prefix = "gemeenschap/leden"
    icon = "user"
    menu_label = gettext_lazy("Leden")
    edit_view_class = ProfileEditView
    index_queryset = Profile.objects.select_related("user").prefetch_related("user__groups")
    list_display = [
        "display_name",
        "organisation",
        "organisation_type",
        "visibility",
        Column(
            "role_in_platform",
            label=gettext_lazy("Rol"),
            accessor=lambda profile: _("Redactie") if has_editor_role(profile.user) else _("Lid"),
        ),
        Column(
            "blocked_at",
            label=gettext_lazy("Geblokkeerd"),
            sort_key="blocked_at",
            accessor=lambda profile: (
                _("ja, sinds %(date)s") % {"date": _date(profile.blocked_at)} if profile.blocked_at else _("nee")
            ),
        ),
    ]
    filterset_class = ProfileFilterSet
    search_fields = ["display_name", "organisation", "user__email"]
    panels = [
        FieldPanel("display_name"),
        FieldPanel("organisation"),
        FieldPanel("organisation_type"),
        FieldPanel("role"),
        FieldPanel("region"),
        FieldPanel("bio"),
        FieldPanel("expertise", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("photo"),
        FieldPanel("open_to_contact"),
        FieldPanel("visibility"),
    ]
    row_actions = [
        RowAction(
            "block",
            BlockMemberView,
            gettext_lazy("Blokkeren"),
            "lock",
            lambda profile, user: profile.user.is_active and profile.user_id != user.pk,
        ),
        RowAction(
            "unblock",
            UnblockMemberView,
            gettext_lazy("Blokkade opheffen"),
            "lock-open",
            lambda profile, user: not profile.user.is_active,
        ),
        RowAction(
            "trust",
            TrustMemberView,
            gettext_lazy("Vertrouwen"),
            "success",
            lambda profile, user: profile.user.is_active and profile.trusted_at is None,
        ),
        RowAction(
            "distrust",
            DistrustMemberView,
            gettext_lazy("Niet meer vertrouwen"),
            "warning",
            lambda profile, user: profile.trusted_at is not None,
        ),
        RowAction(
            "grant-editor",
            GrantEditorView,
            gettext_lazy("Redacteur maken"),
            "key",
            lambda profile, user: profile.user.is_active and not has_editor_role(profile.user),
        ),
    ]


class WorkingGroupViewSet(CommunityViewSet):
    model = WorkingGroup
    name = "community_groups"
    url_prefix = "gemeenschap/werkgroepen"
    icon = "group"
    menu_label = gettext_lazy("Werkgroepen")
    index_queryset = WorkingGroup.objects.select_related("proposed_by__profile")
    list_display = [
        "name",
        "status",
        "visibility",
        "join_policy",
        Column(
            "proposed_by",
            label=gettext_lazy("Voorgesteld door"),
            accessor=lambda group: public_name(group.proposed_by) if group.proposed_by_id else "",
        ),
        DateColumn("created_at", label=gettext_lazy("Voorgesteld op"), sort_key="created_at"),
    ]
    list_filter = ["status", "visibility", "join_policy"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("join_policy"),
        FieldPanel("visibility"),
    ]
    row_actions = [
        RowAction(
            "approve",
            ApproveGroupView,
            gettext_lazy("Goedkeuren"),
            "check",
            lambda group, user: group.status == GroupStatus.PROPOSED,
        ),
        RowAction(
            "reject",
            RejectGroupView,
            gettext_lazy("Afwijzen"),
            "cross",
            lambda group, user: group.status == GroupStatus.PROPOSED,
        ),
    ]


class JoinRequestViewSet(CommunityViewSet):
    model = JoinRequest
    name = "community_requests"
    url_prefix = "gemeenschap/verzoeken"
    icon = "mail"
    menu_label = gettext_lazy("Verzoeken")
    editable = False
    index_queryset = JoinRequest.objects.select_related("group", "user__profile")
    list_display = [
        "group",
        Column("user", label=gettext_lazy("Lid"), accessor=lambda join_request: public_name(join_request.user)),
        Column(
            "message",
            label=gettext_lazy("Toelichting"),
            accessor=lambda join_request: Truncator(join_request.message).chars(100),
        ),
        "status",
        DateColumn("created_at", label=gettext_lazy("Ingediend op"), sort_key="created_at"),
    ]
    list_filter = ["status", "group"]
    row_actions = [
        RowAction(
            "accept",
            AcceptRequestView,
            gettext_lazy("Accepteren"),
            "check",
            lambda join_request, user: join_request.status == JoinRequestStatus.PENDING,
        ),
        RowAction(
            "decline",
            DeclineRequestView,
            gettext_lazy("Afwijzen"),
            "cross",
            lambda join_request, user: join_request.status == JoinRequestStatus.PENDING,
        ),
    ]


def _invitation_state(invitation):
    if invitation.accepted_at:
        return _("geaccepteerd op %(date)s") % {"date": _date(invitation.accepted_at)}
    if not invitation.is_usable():
        return _("verlopen")
    return _("open tot %(date)s") % {"date": _date(invitation.expires_at)}


class InvitationViewSet(CommunityViewSet):
    model = Invitation
    name = "community_invitations"
    url_prefix = "gemeenschap/uitnodigingen"
    icon = "mail"
    menu_label = gettext_lazy("Uitnodigingen")
    editable = False
    index_queryset = Invitation.objects.select_related("group", "invited_by__profile")
    list_display = [
        "email",
        "group",
        Column(
            "invited_by",
            label=gettext_lazy("Uitgenodigd door"),
            accessor=lambda invitation: public_name(invitation.invited_by),
        ),
        DateColumn("created_at", label=gettext_lazy("Verstuurd op"), sort_key="created_at"),
        Column("state", label=gettext_lazy("Status"), accessor=_invitation_state),
    ]
    list_filter = ["group"]
    search_fields = ["email", "group__name"]


class CommunityViewSetGroup(ModelViewSetGroup):
    menu_label = gettext_lazy("Gemeenschap")
    menu_icon = "group"
    menu_order = 210
    submenu_hook = "register_community_menu_item"
    items = (ProfileViewSet, WorkingGroupViewSet, JoinRequestViewSet, InvitationViewSet)


@hooks.register("register_admin_viewset")
def register_community_viewsets():
    return CommunityViewSetGroup()


@hooks.register("register_log_actions")
def register_member_log_actions(actions):
    actions.register_action("community.member_block", gettext_lazy("Geblokkeerd"), gettext_lazy("Lid geblokkeerd"))
    actions.register_action(
        "community.member_unblock", gettext_lazy("Blokkade opgeheven"), gettext_lazy("Blokkade van lid opgeheven")
    )
    actions.register_action(
        "community.editor_grant", gettext_lazy("Redacteur gemaakt"), gettext_lazy("Lid is redacteur gemaakt")
    )


import community.moderation.admin  # noqa: E402,F401  (the "Moderatie" menu registers its own hooks)
