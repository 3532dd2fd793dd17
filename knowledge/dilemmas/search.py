"""What a dilemma contributes to search: every structured field and every option, with its facets."""

from django.utils.translation import gettext_lazy as _

from knowledge.dilemmas.models import Dilemma
from search import audiences
from search.documents import DocumentData, Source


class DilemmaSource(Source):
    kind = "dilemma"
    label = _("Dilemma")
    model = Dilemma

    def indexable(self):
        return Dilemma.objects.live().prefetch_related("theme_links__theme", "tagged_items__tag", "options")

    def document(self, page):
        if not page.live:
            return None
        themes = [link.theme for link in page.theme_links.all()]
        tags = [item.tag.name for item in page.tagged_items.all()]
        return DocumentData(
            title=page.title,
            url=page.url or "",
            summary=page.summary,
            body=page.structured_text(),
            extra=" ".join([*(theme.name for theme in themes), *tags]),
            themes=[theme.slug for theme in themes],
            tags=tags,
            organisation_type=page.organisation_type,
            date=page.last_published_at or page.first_published_at,
            about_year=page.year,
            audiences=audiences.for_page(page),
        )
