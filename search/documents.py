"""What each searchable type contributes: one Source per type, registered here and nowhere else.

A source says which objects belong in the index, what text, facets and date each one gives, and
who may read it (as audience tokens, see `search.audiences`). Indexing, permissions and facets work
on SearchDocument rows only, so a new type (dilemmas, questions) joins by registering a Source.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from community.models import GroupStatus, GroupVisibility, Profile, ProfileVisibility, WorkingGroup
from knowledge import history
from knowledge.models import KnowledgeArticle
from search import audiences, dutch


@dataclass
class DocumentData:
    title: str
    url: str
    summary: str = ""
    body: str = ""
    extra: str = ""
    themes: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    organisation_type: str = ""
    date: datetime | None = None
    accepted: bool | None = None
    audiences: list[str] = field(default_factory=lambda: [audiences.PUBLIC])
    # The "year" facet: the date's year unless the item is about another year (a dilemma's case year).
    about_year: int | None = None

    @property
    def year(self) -> int | None:
        return self.about_year or (self.date.year if self.date else None)

    @property
    def compounds(self) -> str:
        """Neighbouring words of title, summary and body written as one (see search.dutch)."""
        return dutch.compounds(" ".join([self.title, self.summary, self.body]))


class Source:
    kind: str
    label: str
    model: type

    def indexable(self):
        """Every object that belongs in the index, prefetched for `document()`."""
        raise NotImplementedError

    def document(self, obj) -> DocumentData | None:
        """What `obj` contributes, or None when it must not be found (draft, hidden, secret...)."""
        raise NotImplementedError

    def load(self, pk):
        return self.indexable().filter(pk=pk).first()

    def with_theme(self, theme):
        """The objects whose document shows `theme` (its name in the text, its slug as a facet);
        pages carry themes through `knowledge.PageTheme` on the base Page."""
        if issubclass(self.model, Page):
            return self.model.objects.live().filter(theme_links__theme=theme)
        return self.model.objects.none()


class ArticleSource(Source):
    kind = "article"
    label = _("Kennisartikel")
    model = KnowledgeArticle

    def indexable(self):
        return KnowledgeArticle.objects.live().prefetch_related("theme_links__theme", "tagged_items__tag")

    def document(self, page):
        if not page.live:
            return None
        themes = [link.theme for link in page.theme_links.all()]
        return DocumentData(
            title=page.title,
            url=page.url or "",
            summary=page.summary,
            body="\n".join(history.block_text(block) for block in page.body),
            extra=" ".join(theme.name for theme in themes),
            themes=[theme.slug for theme in themes],
            tags=[item.tag.name for item in page.tagged_items.all()],
            date=page.last_published_at or page.first_published_at,
            audiences=audiences.for_page(page),
        )


class WorkingGroupSource(Source):
    kind = "group"
    label = _("Werkgroep")
    model = WorkingGroup

    def indexable(self):
        return WorkingGroup.objects.active().prefetch_related("themes")

    def document(self, group):
        if group.status != GroupStatus.ACTIVE:
            return None
        themes = list(group.themes.all())
        return DocumentData(
            title=group.name,
            url=group.get_absolute_url(),
            summary=group.description,
            extra=" ".join(theme.name for theme in themes),
            themes=[theme.slug for theme in themes],
            date=group.created_at,
            audiences=audiences.for_working_group(group, secret=group.visibility == GroupVisibility.SECRET),
        )

    def load(self, pk):
        return self.model.objects.prefetch_related("themes").filter(pk=pk).first()

    def with_theme(self, theme):
        return self.model.objects.filter(themes=theme)


class ProfileSource(Source):
    kind = "profile"
    label = _("Lid")
    model = Profile

    def indexable(self):
        return (
            Profile.objects.filter(
                user__is_active=True,
                deleted_at__isnull=True,
                visibility__in=[ProfileVisibility.PUBLIC, ProfileVisibility.MEMBERS],
            )
            .select_related("user")
            .prefetch_related("expertise", "tagged_items__tag")
        )

    def document(self, profile):
        if profile.visibility == ProfileVisibility.HIDDEN or profile.deleted_at or not profile.user.is_active:
            return None
        themes = list(profile.expertise.all())
        tags = [item.tag.name for item in profile.tagged_items.all()]
        return DocumentData(
            title=profile.display_name,
            url=profile.get_absolute_url(),
            summary=" — ".join(filter(None, [profile.role, profile.organisation])),
            body=profile.bio,
            extra=" ".join([*(theme.name for theme in themes), *tags]),
            themes=[theme.slug for theme in themes],
            tags=tags,
            organisation_type=profile.organisation_type,
            date=profile.created_at,
            audiences=audiences.for_profile(public=profile.visibility == ProfileVisibility.PUBLIC),
        )

    def load(self, pk):
        return (
            self.model.objects.select_related("user")
            .prefetch_related("expertise", "tagged_items__tag")
            .filter(pk=pk)
            .first()
        )

    def with_theme(self, theme):
        return self.model.objects.filter(expertise=theme)


from knowledge.dilemmas.search import DilemmaSource  # noqa: E402  (it builds on Source, above)
from knowledge.questions.search import QuestionSource  # noqa: E402  (it builds on Source, above)

SOURCES: list[Source] = [ArticleSource(), WorkingGroupSource(), ProfileSource(), QuestionSource(), DilemmaSource()]


def source_for_model(model) -> Source | None:
    return next((source for source in SOURCES if source.model is model), None)


def source_for(obj) -> Source | None:
    model = obj.specific_class if isinstance(obj, Page) else type(obj)
    return source_for_model(model)


def objects_with_theme(theme):
    """Every indexed kind of object that carries `theme`, for re-indexing when the theme changes."""
    for source in SOURCES:
        yield from source.with_theme(theme).distinct()


def kind_labels() -> dict[str, str]:
    return {source.kind: source.label for source in SOURCES}
