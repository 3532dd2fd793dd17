"""Undo a published change from the Wagtail admin: a page action listing the page's versions, each with a button.

Registered from `knowledge/wagtail_hooks.py` (`from knowledge import admin_undo  # noqa: F401`). The work is
`history.version_revert`, the same as the site's button on the history and recent-changes pages.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.models import Page, Revision

from community.services import CommunityError
from knowledge import history
from knowledge.models import ContentPage

URL_NAME = "knowledge_version_revert"


def _undoable(page) -> bool:
    return page.live and issubclass(page.specific_class or Page, ContentPage)


class UndoChangeMenuItem(PageMenuItem):
    label = gettext_lazy("Wijziging ongedaan maken")
    icon_name = "rotate"
    url_name = URL_NAME

    def is_shown(self, user):
        return _undoable(self.page) and history.may_revert(user, self.page)


@hooks.register("register_page_header_buttons")
def undo_header_button(page, user, view_name, next_url=None):
    yield UndoChangeMenuItem(page=page, priority=66)


@hooks.register("register_page_listing_more_buttons")
def undo_listing_button(page, user, next_url=None):
    yield UndoChangeMenuItem(page=page, priority=55)


@require_http_methods(["GET", "POST"])
def version_revert_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    if not _undoable(page):
        return redirect("wagtailadmin_pages:edit", page.pk)
    if request.method == "POST":
        wanted = request.POST.get("versie", "")
        revisions = Revision.page_revisions.filter(object_id=str(page.pk))
        revision = revisions.filter(pk=int(wanted)).first() if wanted.isascii() and wanted.isdigit() else None
        try:
            history.version_revert(actor=request.user, page=page, log_entry_or_revision=revision)
        except CommunityError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("De wijziging is ongedaan gemaakt en gepubliceerd als nieuwe versie."))
        return redirect(URL_NAME, page.pk)
    page = page.specific
    return TemplateResponse(
        request,
        "knowledge/admin/version_revert.html",
        {
            "page": page,
            "versions": list(reversed(history.published_versions(page))),
            "may_revert": history.may_revert(request.user, page),
            "page_title": _("Wijziging ongedaan maken"),
            "page_subtitle": page.get_admin_display_title(),
            "header_title": _("Wijziging ongedaan maken"),
            "header_icon": "rotate",
            "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        },
    )


@hooks.register("register_admin_urls")
def undo_urls():
    return [path("kennisbank/ongedaan-maken/<int:page_id>/", version_revert_view, name=URL_NAME)]
