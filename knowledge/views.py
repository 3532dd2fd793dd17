from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Page

from knowledge.models import PAGE_SIZE, Theme, with_themes
from website.access import visible_pages


def _paginated_pages(request, pages):
    pages = with_themes(visible_pages(pages, request.user).order_by("-first_published_at", "-pk")).specific()
    return Paginator(pages, PAGE_SIZE).get_page(request.GET.get("pagina"))


def theme_index(request):
    counts = dict(
        visible_pages(Page.objects.filter(theme_links__isnull=False), request.user)
        .values_list("theme_links__theme")
        .annotate(count=Count("pk", distinct=True))
        .order_by()
    )
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.page_count = counts.get(theme.pk, 0)
    return render(request, "knowledge/theme_index.html", {"themes": themes})


def theme_detail(request, slug):
    theme = get_object_or_404(Theme, slug=slug)
    pages = _paginated_pages(request, Page.objects.filter(theme_links__theme=theme))
    return render(request, "knowledge/theme_detail.html", {"theme": theme, "pages": pages})


def tag_index(request):
    """Every tag on a page the reader may see, with how often it is used there."""
    visible = visible_pages(Page.objects.all(), request.user).values("pk")
    tags = (
        Tag.objects.filter(knowledge_taggedpage_items__content_object__in=visible)
        .annotate(page_count=Count("knowledge_taggedpage_items", distinct=True))
        .order_by("name")
    )
    return render(request, "knowledge/tag_index.html", {"tags": tags})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    pages = _paginated_pages(request, Page.objects.filter(tagged_items__tag=tag))
    return render(
        request, "knowledge/tag_detail.html", {"tag": tag, "pages": pages, "title": _("Trefwoord: %s") % tag.name}
    )
