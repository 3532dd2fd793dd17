from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from knowledge import history
from knowledge.blocks import ArticleBodyBlock
from website.access import visible_pages

PAGE_SIZE = 20


class Theme(index.Indexed, models.Model):
    """One word of the curated vocabulary that every content type, profile and group shares."""

    name = models.CharField(_("naam"), max_length=80, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    description = models.TextField(_("beschrijving"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("knowledge:theme", kwargs={"slug": self.slug})


class PageTheme(Orderable):
    """Themes hang on the base Page, so one query lists every content type of a theme."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="page_links", verbose_name=_("thema"))

    panels = [FieldPanel("theme")]

    # No unique constraint: modelcluster saves new rows before deleting removed ones, so removing and
    # re-adding a theme in one edit would fail. ContentPageForm refuses duplicates instead.
    class Meta(Orderable.Meta):
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")


def with_themes(pages):
    """Page cards show their themes: one query for all of a listing's themes, however many pages."""
    return pages.prefetch_related(Prefetch("theme_links", queryset=PageTheme.objects.select_related("theme")))


class TaggedPage(TaggedItemBase):
    content_object = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="tagged_items")


class ContentPageForm(WagtailAdminPageForm):
    """Every edit starts with an empty edit summary: it describes this change, not the last one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "edit_summary" in self.fields and not self.is_bound:
            self.initial["edit_summary"] = ""

    def is_valid(self):
        """Refuse the same theme twice; checked after the formsets, which clean() runs before."""
        valid = super().is_valid()
        seen = set()
        for form in self.formsets["theme_links"].forms if "theme_links" in self.formsets else []:
            cleaned = getattr(form, "cleaned_data", None) or {}
            theme = cleaned.get("theme")
            if theme is None or cleaned.get("DELETE"):
                continue
            if theme in seen:
                form.add_error("theme", _("Dit thema staat er al bij."))
                valid = False
            seen.add(theme)
        return valid


class ContentPage(Page):
    """What every content page shares: summary, themes, tags and the summary of each edit.

    Who may read a page is Wagtail's own view restriction (everyone, members, or a group's
    members), applied by `website.access`; see the README for why.
    """

    summary = models.TextField(_("samenvatting"), max_length=300, help_text=_("Eén of twee zinnen, zonder opmaak."))
    tags = ClusterTaggableManager(_("trefwoorden"), through=TaggedPage, blank=True)
    edit_summary = models.CharField(
        _("samenvatting van de wijziging"),
        max_length=255,
        blank=True,
        help_text=_("Wat heb je veranderd en waarom? Dit staat in de openbare geschiedenis."),
    )

    base_form_class = ContentPageForm
    search_fields = Page.search_fields + [index.SearchField("summary")]
    promote_panels = Page.promote_panels
    taxonomy_panels = [
        InlinePanel("theme_links", label=_("Thema's"), heading=_("Thema's")),
        FieldPanel("tags"),
    ]
    history_panels = [FieldPanel("edit_summary")]

    class Meta:
        abstract = True

    @property
    def themes(self):
        return [link.theme for link in self.theme_links.all()]


class SectionIndexPage(Page):
    """The one overview page of a section under the home page (dilemmas, questions): an intro, then its listing."""

    intro = models.TextField(_("inleiding"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    max_count = 1

    class Meta:
        abstract = True


class KnowledgeIndexPage(RoutablePageMixin, Page):
    intro = models.TextField(_("inleiding"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["knowledge.KnowledgeArticle"]
    max_count = 1

    class Meta:
        verbose_name = _("kennisbank")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        articles = with_themes(
            visible_pages(KnowledgeArticle.objects.child_of(self), request.user).order_by("-first_published_at")
        )
        context["articles"] = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("pagina"))
        return context


class KnowledgeArticle(RoutablePageMixin, ContentPage):
    body = StreamField(ArticleBodyBlock(), verbose_name=_("inhoud"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(ContentPage.taxonomy_panels, heading=_("Thema's en trefwoorden")),
        InlinePanel("related_links", label=_("Gerelateerde artikelen"), heading=_("Gerelateerde artikelen")),
        MultiFieldPanel(ContentPage.history_panels, heading=_("Geschiedenis")),
    ]
    search_fields = ContentPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["knowledge.KnowledgeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("kennisartikel")
        verbose_name_plural = _("kennisartikelen")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["themes"] = list(Theme.objects.filter(page_links__page=self).order_by("page_links__sort_order"))
        context["tags"] = list(self.tags.all())
        context["related"] = visible_pages(
            KnowledgeArticle.objects.filter(related_from__page=self), request.user
        ).order_by("related_from__sort_order")
        context["contributors"] = history.contributors(self)
        return context

    @path("geschiedenis/", name="history")
    def history_view(self, request):
        return render(
            request,
            "knowledge/article_history.html",
            {"page": self, "versions": history.published_versions(self)},
        )

    @path("verschil/", name="diff")
    def diff_view(self, request):
        versions = history.published_versions(self)
        try:
            older, newer = history.pick_versions(versions, request.GET.get("van"), request.GET.get("naar"))
        except history.UnknownVersion as exc:
            return render(request, "404.html", {"message": str(exc)}, status=404)
        return render(
            request,
            "knowledge/article_diff.html",
            {"page": self, "older": older, "newer": newer, "diff": history.compare(older, newer), "versions": versions},
        )


class RelatedArticle(Orderable):
    page = ParentalKey(KnowledgeArticle, on_delete=models.CASCADE, related_name="related_links")
    article = models.ForeignKey(
        KnowledgeArticle, on_delete=models.CASCADE, related_name="related_from", verbose_name=_("artikel")
    )

    panels = [PageChooserPanel("article", "knowledge.KnowledgeArticle")]


# Page types that live in their own modules register their models here (Django finds models through
# the app's models module).
from knowledge.dilemmas.models import *  # noqa: E402,F403
from knowledge.questions.models import *  # noqa: E402,F403
