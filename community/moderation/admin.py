"""The "Moderatie" menu in the Wagtail admin: reported content ("Gemelde inhoud") and contributions of
watched members that wait for an editor ("Te beoordelen").

Reported content is a ModelViewSet over ModerationCase with Wagtail's own bulk actions (hide,
restore, dismiss, block the author); each action asks first and then calls a moderation service, so
the admin follows the same rules as the site. The waiting contributions come from every model in
community.moderation.registry.
"""

import django_filters
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import ContentTypeFilter, DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.sidebar import LinkMenuItem
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, DateColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.permission_policies import ModelPermissionPolicy

from community.models import ModerationStatus
from community.moderation import registry
from community.moderation.forms import RejectForm
from community.moderation.models import CaseState, ModerationCase, Report
from community.moderation.services import case_block_author, case_dismiss, case_hide, case_restore, cases_to_decide
from community.services import CommunityError
from community.services.moderation import item_approve, item_reject
from community.services.profiles import public_name
from website.access import is_editor

case_permissions = ModelPermissionPolicy(ModerationCase)


class CountedMenuItem(MenuItem):
    """A menu item whose label says how many things wait, counted on each request."""

    def __init__(self, *args, count, shown, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = count
        self.shown = shown

    def is_shown(self, request):
        return self.shown(request.user)

    def render_component(self, request):
        count = self.count()
        label = f"{self.label} ({count})" if count else self.label
        return LinkMenuItem(
            self.name, label, self.url, icon_name=self.icon_name, classname=self.classname, attrs=self.attrs
        )


# --- Gemelde inhoud --------------------------------------------------------------------------------


def reported_content_types():
    ids = ModerationCase.objects.values("content_type")
    return ContentType.objects.filter(pk__in=ids).order_by("model")


class CaseFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("Status"), choices=CaseState.choices)
    to_decide = django_filters.BooleanFilter(
        label=gettext_lazy("Wacht op de redactie"), method="filter_to_decide", widget=BooleanRadioSelect
    )
    content_type = ContentTypeFilter(
        label=gettext_lazy("Soort inhoud"), queryset=lambda request: reported_content_types()
    )
    last_reported_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Laatst gemeld"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ModerationCase
        fields = ["state", "content_type", "last_reported_at"]

    def filter_to_decide(self, queryset, name, value):
        waiting = cases_to_decide().values("pk")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)


def admin_target_url(case):
    """Editors open a reported page in the page editor, other content where it stands on the site."""
    if case.is_page:
        return reverse("wagtailadmin_pages:edit", args=(case.object_id,))
    return case.target_url or None


class TargetColumn(Column):
    """Where the editor looks at the reported content itself."""

    cell_template_name = "community/moderation/admin/target_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(url=admin_target_url(instance), is_page=instance.is_page)
        return context


def state_label(case):
    if case.hidden_automatically:
        return _("Verborgen na meldingen; wacht op de redactie")
    return case.get_state_display()


def reasons_summary(case):
    counts = {}
    for report in case.reports.all():
        label = report.get_reason_display()
        counts[label] = counts.get(label, 0) + 1
    return ", ".join(f"{label} ({count})" for label, count in counts.items())


class CaseIndexView(generic.IndexView):
    template_name = "community/moderation/admin/case_index.html"
    default_ordering = ["-reporter_count", F("last_reported_at").desc(nulls_last=True), "-pk"]

    @cached_property
    def columns(self):
        return [BulkActionsCheckboxColumn("bulk_actions", obj_type="moderationcase"), *super().columns]

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        return super()._get_title_column(
            field_name, column_class, get_title_id=lambda case: f"moderationcase_{quote(case.pk)}_title", **kwargs
        )


class CaseInspectView(generic.InspectView):
    template_name = "community/moderation/admin/case_inspect.html"
    fields = ["content_type", "state", "reporter_count", "first_reported_at", "last_reported_at", "decided_at"]

    def get_content_type_display_value(self):
        return self.object.content_type.name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reports = self.object.reports.select_related("reporter__profile").order_by("created_at")
        context.update(
            case=self.object,
            reports=[(report, public_name(report.reporter)) for report in reports],
            author_name=public_name(self.object.author) if self.object.author_id else "",
            target_url=admin_target_url(self.object),
            actions=[
                (action.display_name, bulk_action_url(action.action_type, self.object), action.classes)
                for action in CASE_ACTIONS
                if action.applies(self.object)
            ],
        )
        return context


def bulk_action_url(action_type, case):
    url = reverse("wagtail_bulk_action", args=("community", "moderationcase", action_type))
    return f"{url}?id={case.pk}&next={reverse('moderation_cases:index')}"


class ModerationCaseViewSet(ModelViewSet):
    model = ModerationCase
    name = "moderation_cases"
    url_prefix = "moderatie/gemeld"
    icon = "warning"
    menu_label = gettext_lazy("Gemelde inhoud")
    index_view_class = CaseIndexView
    inspect_view_class = CaseInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    filterset_class = CaseFilterSet
    form_fields = []  # nothing is edited here: every change is a decision through a service
    search_fields = ["target_label"]

    @property
    def list_display(self):
        return [
            "target_label",
            Column("content_type", label=gettext_lazy("Soort"), accessor=lambda case: case.content_type.name),
            TargetColumn("target_link", accessor="target_label", label=gettext_lazy("Inhoud")),
            Column("reasons", label=gettext_lazy("Redenen"), accessor=reasons_summary),
            Column("reporter_count", label=gettext_lazy("Melders"), sort_key="reporter_count"),
            Column("state", label=gettext_lazy("Status"), accessor=state_label, sort_key="state"),
            DateColumn("last_reported_at", label=gettext_lazy("Laatst gemeld"), sort_key="last_reported_at"),
        ]

    def get_index_view_kwargs(self, **kwargs):
        queryset = ModerationCase.objects.select_related("content_type").prefetch_related(
            Prefetch("reports", queryset=Report.objects.order_by("created_at"))
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{**kwargs, "add_url_name": None, "edit_url_name": None, "delete_url_name": None}
        )

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns() if p.name not in {"add", "edit", "delete", "copy"}]

    def get_menu_item(self, order=None):
        return CountedMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="moderation-cases",
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            count=lambda: cases_to_decide().count(),
            shown=lambda user: case_permissions.user_has_any_permission(user, ["view", "change"]),
        )


class CaseBulkAction(BulkAction):
    """One decision on the selected cases; each case goes through its service on its own."""

    models = [ModerationCase]
    template_name = "community/moderation/admin/confirm_bulk.html"
    question = ""
    done_message = ""
    states = ()

    @classmethod
    def applies(cls, case):
        return case.state in cls.states

    @staticmethod
    def perform(*, actor, case):
        raise NotImplementedError

    def check_perm(self, obj):
        return case_permissions.user_has_permission(self.request.user, "change")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(question=self.question, button_label=self.display_name, header_icon="warning")
        return context

    def get_execution_context(self):
        return {"request": self.request}

    @classmethod
    def execute_action(cls, objects, request=None, **kwargs):
        done = 0
        for case in objects:
            try:
                cls.perform(actor=request.user, case=case)
            except CommunityError as error:
                messages.error(request, error.message)
            else:
                done += 1
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if num_parent_objects:
            return self.done_message(num_parent_objects) % {"count": num_parent_objects}
        return None


class HideBulkAction(CaseBulkAction):
    display_name = gettext_lazy("Verbergen")
    action_type = "hide"
    aria_label = gettext_lazy("Verberg de geselecteerde inhoud")
    action_priority = 10
    question = gettext_lazy("Wil je deze inhoud verbergen? Alleen de redactie ziet haar dan nog; de auteur hoort het.")
    states = (CaseState.OPEN, CaseState.RESTORED, CaseState.DISMISSED, CaseState.HIDDEN)
    perform = staticmethod(case_hide)

    @classmethod
    def applies(cls, case):
        return case.state != CaseState.HIDDEN or case.hidden_automatically

    @staticmethod
    def done_message(count):
        return ngettext("%(count)d item is verborgen.", "%(count)d items zijn verborgen.", count)


class RestoreBulkAction(CaseBulkAction):
    display_name = gettext_lazy("Herstellen")
    action_type = "restore"
    aria_label = gettext_lazy("Maak de geselecteerde inhoud weer zichtbaar")
    action_priority = 20
    question = gettext_lazy("Wil je deze inhoud weer zichtbaar maken? De auteur hoort het.")
    states = (CaseState.HIDDEN,)
    perform = staticmethod(case_restore)

    @staticmethod
    def done_message(count):
        return ngettext("%(count)d item is weer zichtbaar.", "%(count)d items zijn weer zichtbaar.", count)


class DismissBulkAction(CaseBulkAction):
    display_name = gettext_lazy("Meldingen afwijzen")
    action_type = "dismiss"
    aria_label = gettext_lazy("Wijs de meldingen over de geselecteerde inhoud af")
    action_priority = 30
    question = gettext_lazy(
        "Wil je deze meldingen afwijzen? De inhoud blijft (of wordt weer) zichtbaar. Nieuwe meldingen openen de zaak "
        "opnieuw."
    )
    states = (CaseState.OPEN, CaseState.HIDDEN)
    perform = staticmethod(case_dismiss)

    @staticmethod
    def done_message(count):
        return ngettext(
            "De meldingen over %(count)d item zijn afgewezen.",
            "De meldingen over %(count)d items zijn afgewezen.",
            count,
        )


class BlockAuthorBulkAction(CaseBulkAction):
    display_name = gettext_lazy("Auteur blokkeren")
    action_type = "block-author"
    aria_label = gettext_lazy("Blokkeer de auteurs van de geselecteerde inhoud")
    action_priority = 40
    classes = {"serious"}
    question = gettext_lazy(
        "Wil je de auteurs van deze inhoud blokkeren? Ze kunnen dan niet meer inloggen en niets meer bijdragen. "
        "Je kunt een blokkade later opheffen onder Gemeenschap → Leden."
    )

    @classmethod
    def applies(cls, case):
        return case.author_id is not None and case.author.is_active

    @classmethod
    def execute_action(cls, objects, request=None, **kwargs):
        # Several cases may share one author: block each person once.
        seen, unique = set(), []
        for case in objects:
            if case.author_id not in seen:
                seen.add(case.author_id)
                unique.append(case)
        return super().execute_action(unique, request=request, **kwargs)

    perform = staticmethod(case_block_author)

    @staticmethod
    def done_message(count):
        return ngettext("%(count)d auteur is geblokkeerd.", "%(count)d auteurs zijn geblokkeerd.", count)


CASE_ACTIONS = (HideBulkAction, RestoreBulkAction, DismissBulkAction, BlockAuthorBulkAction)

for _action in CASE_ACTIONS:
    hooks.register("register_bulk_action", _action)


# --- Te beoordelen ---------------------------------------------------------------------------------


def pending_items():
    """Waiting items of every registered model, oldest first, with their authors in one query per model."""
    items = []
    for model in registry.moderated_models():
        queryset = model._default_manager.filter(status=ModerationStatus.PENDING).select_related(
            "author__profile", *registry.related_for(model)
        )
        items.extend(queryset)
    return sorted(items, key=lambda item: item.created_at)


def pending_count() -> int:
    return sum(
        model._default_manager.filter(status=ModerationStatus.PENDING).count() for model in registry.moderated_models()
    )


def excerpt(item):
    """The start of what the member wrote, when the model keeps it in a `body` (answers, comments, reactions)."""
    return Truncator(strip_tags(str(getattr(item, "body", "") or ""))).chars(200)


class EditorOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not is_editor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PendingIndexView(EditorOnlyMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "community/moderation/admin/pending_index.html"
    page_title = gettext_lazy("Te beoordelen")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {
                "item": item,
                "kind": item._meta.verbose_name,
                "label": item.moderation_label(),
                "excerpt": excerpt(item),
                "author": public_name(item.author) if item.author_id else _("onbekend"),
                "url": item.get_absolute_url(),
                "approve_url": reverse("moderation_pending:approve", args=(item._meta.label_lower, item.pk)),
                "reject_url": reverse("moderation_pending:reject", args=(item._meta.label_lower, item.pk)),
            }
            for item in pending_items()
        ]
        return context


def _pending_item(label, pk):
    model = registry.model_for(label)
    if model is None:
        raise Http404
    item = model._default_manager.filter(pk=pk, status=ModerationStatus.PENDING).first()
    if item is None:
        raise Http404
    return item


class ApproveView(EditorOnlyMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, label, pk):
        item = _pending_item(label, pk)
        try:
            item_approve(actor=request.user, item=item)
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("“%(name)s” is goedgekeurd.") % {"name": item.moderation_label()})
        return redirect("moderation_pending:index")


class RejectView(EditorOnlyMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "community/moderation/admin/reject.html"
    form_class = RejectForm
    page_title = gettext_lazy("Bijdrage afwijzen")
    header_icon = "cross"

    def get_breadcrumbs_items(self):
        return []

    @cached_property
    def item(self):
        return _pending_item(self.kwargs["label"], self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.item.moderation_label()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            item=self.item, label=self.item.moderation_label(), cancel_url=reverse("moderation_pending:index")
        )
        return context

    def form_valid(self, form):
        try:
            item_reject(actor=self.request.user, item=self.item, reason=form.cleaned_data["reason"])
        except CommunityError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” is afgewezen.") % {"name": self.item.moderation_label()})
        return redirect("moderation_pending:index")


class PendingViewSet(ViewSet):
    name = "moderation_pending"
    url_prefix = "moderatie/te-beoordelen"
    icon = "tasks"
    menu_label = gettext_lazy("Te beoordelen")

    def get_urlpatterns(self):
        return [
            path("", PendingIndexView.as_view(), name="index"),
            path("<str:label>/<int:pk>/goedkeuren/", ApproveView.as_view(), name="approve"),
            path("<str:label>/<int:pk>/afwijzen/", RejectView.as_view(), name="reject"),
        ]

    def get_menu_item(self, order=None):
        return CountedMenuItem(
            label=self.menu_label,
            url=self.menu_url,
            name="moderation-pending",
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
            count=pending_count,
            shown=is_editor,
        )


class ModerationViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Moderatie")
    menu_icon = "warning"
    menu_order = 205
    items = (ModerationCaseViewSet, PendingViewSet)


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return ModerationViewSetGroup()


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    for action, label, message in [
        ("auto_hidden", gettext_lazy("Automatisch verborgen"), gettext_lazy("Verborgen na meldingen van leden")),
        ("hidden", gettext_lazy("Verborgen"), gettext_lazy("Verborgen door de redactie")),
        ("restored", gettext_lazy("Hersteld"), gettext_lazy("Weer zichtbaar gemaakt")),
        ("dismissed", gettext_lazy("Meldingen afgewezen"), gettext_lazy("Meldingen afgewezen")),
    ]:
        actions.register_action(f"community.case_{action}", label, message)
