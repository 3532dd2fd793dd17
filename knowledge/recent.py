"""Recent changes: every published change of every content page the reader may see, newest first, and its Atom feed.

A change is a version (a `wagtail.publish` log entry with a revision, see `history.publish_log`). Any
page type built on `ContentPage` (so with an edit summary) takes part without further code. Editors also
get, per change, "Ongedaan maken" and, for edits trusted members published without review,
"Niet gecontroleerd" with a "Gecontroleerd" button.
"""

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.models import Page, Revision

from community.services import CommunityError
from community.services.profiles import public_name
from knowledge import history
from knowledge.models import ContentPage, Theme
from website.access import can_view, is_editor, visible_pages

PAGE_SIZE = 50
FEED_SIZE = 50


def content_page_models():
    """Every concrete page type with an edit summary: articles now, dilemmas and questions once they exist."""
    return [m for m in apps.get_models() if issubclass(m, ContentPage) and not m._meta.abstract]


def _content_types():
    types = ContentType.objects.get_for_models(*content_page_models())
    return sorted(types.items(), key=lambda item: str(item[0]._meta.verbose_name_plural))


class ChangeFilterForm(forms.Form):
    thema = forms.ModelChoiceField(
        label=gettext_lazy("Thema"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=gettext_lazy("Alle thema's"),
    )
    soort = forms.ChoiceField(label=gettext_lazy("Soort inhoud"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {f"{ct.app_label}.{ct.model}": ct for _model, ct in _content_types()}
        self.fields["soort"].choices = [
            ("", _("Alle soorten")),
            *((key, str(ct.model_class()._meta.verbose_name_plural).capitalize()) for key, ct in self.kinds.items()),
        ]

    def clean_soort(self):
        key = self.cleaned_data["soort"]
        return self.kinds.get(key)


def published_changes(user, *, theme=None, content_type=None):
    """Each page's published versions that `user` may see, newest first; one query, however many."""
    types = [ct for _model, ct in _content_types()] if content_type is None else [content_type]
    pages = visible_pages(Page.objects.filter(content_type__in=types), user)
    if theme is not None:
        pages = pages.filter(theme_links__theme=theme)
    log = history.publish_log()
    republished = log.filter(revision_id=OuterRef("revision_id"), pk__lt=OuterRef("pk"))
    previous = (
        log.filter(page_id=OuterRef("page_id"), pk__lt=OuterRef("pk"))
        .exclude(revision_id=OuterRef("revision_id"))
        .order_by("-pk")
        .values("revision_id")[:1]
    )
    return (
        log.filter(page__in=pages.values("pk"))
        .exclude(Exists(republished))
        .annotate(
            previous_revision_id=Subquery(previous),
            edit_summary=KeyTextTransform("edit_summary", "revision__content"),
        )
        .select_related("page", "revision__user__profile", "user__profile")
        .defer("revision__content", "data")
        .order_by("-timestamp", "-pk")
    )


@dataclass
class Change:
    entry: object
    page: object
    kind: str
    author: object
    url: str
    diff_url: str
    first: bool
    unchecked: bool = False

    @property
    def revision_id(self):
        return self.entry.revision_id

    @property
    def author_name(self):
        return public_name(self.author)

    @property
    def edit_summary(self):
        return self.entry.edit_summary or ""

    @property
    def published_at(self):
        return self.entry.timestamp


def _diff_path(page_class):
    """The page type's "verschil/" route, if it has one (routable pages with a route named "diff")."""
    if not hasattr(page_class, "get_resolver"):
        return None
    try:
        return page_class.get_resolver().reverse("diff")
    except NoReverseMatch:
        return None


def _changes(entries, request, unchecked=frozenset()):
    changes = []
    for entry in entries:
        page, page_class = entry.page, entry.page.specific_class
        url = page.get_url(request) or ""
        first = entry.previous_revision_id is None
        diff_url = url
        diff_path = _diff_path(page_class)
        if not first and diff_path and url:
            query = urlencode({"van": entry.previous_revision_id, "naar": entry.revision_id})
            diff_url = f"{url}{diff_path}?{query}"
        changes.append(
            Change(
                entry=entry,
                page=page,
                kind=str(page_class._meta.verbose_name) if page_class else "",
                author=entry.revision.user or entry.user,
                url=url,
                diff_url=diff_url,
                first=first,
                unchecked=entry.revision_id in unchecked,
            )
        )
    return changes


def unchecked_revision_ids(revision_ids):
    """Revisions trusted members published without review that no editor has checked yet (contrib's selector)."""
    try:
        from community.contributions.selectors import unchecked_revision_ids as selector
    except ImportError:
        return set()
    return set(selector(revision_ids))


def _filtered(request):
    form = ChangeFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    data = form.cleaned_data if form.is_bound else {}
    return form, published_changes(request.user, theme=data.get("thema"), content_type=data.get("soort"))


def recent_changes(request):
    form, entries = _filtered(request)
    editor = is_editor(request.user)
    changes, page_obj = [], None
    if entries is not None:
        page_obj = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("pagina"))
        unchecked = unchecked_revision_ids([e.revision_id for e in page_obj]) if editor else frozenset()
        changes = _changes(page_obj, request, unchecked)
    return render(
        request,
        "knowledge/recent_changes.html",
        {
            "form": form,
            "changes": changes,
            "items": page_obj,
            "is_editor": editor,
            "feed_url": _feed_url(request),
        },
        status=200 if entries is not None else 400,
    )


def _feed_url(request):
    query = {k: v for k, v in request.GET.items() if k in ("thema", "soort") and v}
    url = reverse("knowledge:recent_changes_feed")
    return f"{url}?{urlencode(query)}" if query else url


def _feed_description(change, summary):
    values = {"kind": capfirst(change.kind), "title": change.page.title, "name": change.author_name, "summary": summary}
    if change.first:
        return _("%(kind)s “%(title)s” aangemaakt door %(name)s: %(summary)s") % values
    return _("%(kind)s “%(title)s” gewijzigd door %(name)s: %(summary)s") % values


def recent_changes_feed(request):
    form, entries = _filtered(request)
    if entries is None:
        raise Http404(_("Dit filter bestaat niet."))
    changes = _changes(entries[:FEED_SIZE], request)
    changes_url = request.build_absolute_uri(reverse("knowledge:recent_changes"))
    feed = Atom1Feed(
        title=_("Recente wijzigingen · Alliantie Open Overheid"),
        link=changes_url,
        description=_("Elke gepubliceerde wijziging in de kennisbank, de nieuwste eerst."),
        feed_url=request.build_absolute_uri(),
        language="nl",
    )
    for change in changes:
        summary = change.edit_summary or _("(geen samenvatting)")
        feed.add_item(
            title=f"{change.page.title}: {summary}",
            link=request.build_absolute_uri(change.diff_url),
            description=escape(_feed_description(change, summary)),
            author_name=change.author_name,
            pubdate=change.published_at,
            updateddate=change.published_at,
            unique_id=f"{changes_url}#wijziging-{change.revision_id}",
        )
    response = HttpResponse(content_type=f"{feed.content_type}")
    feed.write(response, "utf-8")
    return response


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("knowledge:recent_changes")


def _published_revision_or_404(request, revision_id):
    revision = get_object_or_404(Revision.page_revisions.select_related("user"), pk=revision_id)
    page = get_object_or_404(Page, pk=revision.object_id)
    if not can_view(page, request.user):
        raise Http404
    return revision, page


@require_POST
def change_revert(request, revision_id):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("knowledge:recent_changes"))
    revision, page = _published_revision_or_404(request, revision_id)
    try:
        history.version_revert(actor=request.user, page=page, log_entry_or_revision=revision)
    except CommunityError as error:
        if not history.may_revert(request.user, page):
            return render(request, "knowledge/forbidden.html", {"message": error.message}, status=403)
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("De wijziging is ongedaan gemaakt; dat staat nu als nieuwe versie in de geschiedenis.")
        )
    return redirect(_back(request))


@require_POST
def change_checked(request, revision_id):
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("knowledge:recent_changes"))
    try:
        from community.contributions.selectors import contribution_for_revision
        from community.contributions.services import contribution_mark_checked
    except ImportError:
        raise Http404 from None
    contribution = contribution_for_revision(revision_id)
    if contribution is None:
        raise Http404
    try:
        contribution_mark_checked(actor=request.user, contribution=contribution)
    except CommunityError as error:
        if not is_editor(request.user):
            return render(request, "knowledge/forbidden.html", {"message": error.message}, status=403)
        messages.error(request, error.message)
    else:
        messages.success(request, _("Gemarkeerd als gecontroleerd."))
    return redirect(_back(request))
