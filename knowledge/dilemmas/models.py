"""Dilemma case studies (issue 5): pages, options, choices ("Wat zou jij doen?") and reactions.

A dilemma is a Wagtail page with structured fields rather than one body, so the index can filter on
them and every case reads the same way: the situation, the values that pull against each other, the
options weighed, the decision, and what was learned. Choices and reactions are rows beside the page;
writes to them go through knowledge.dilemmas.services.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from community.models import ModeratedContent, ModeratedQuerySet, OrganisationType
from community.moderation.registry import register_moderated
from knowledge.models import ContentPage, SectionIndexPage
from website.access import visible_pages

__all__ = [
    "PublicValue",
    "GovernmentLevel",
    "DilemmaIndexPage",
    "Dilemma",
    "DilemmaOption",
    "DilemmaRelatedPage",
    "DilemmaChoice",
    "DilemmaReaction",
]

FIRST_YEAR = 1990
TEXT_MAX = 4000
REACTION_MAX = 2000


def not_in_the_future(year):
    if year is not None and year > datetime.date.today().year:
        raise ValidationError(_("Het jaar kan niet in de toekomst liggen."))


def _lines(text):
    """One item per line, without the bullets people type."""
    return [line.strip(" -•*\t") for line in (text or "").splitlines() if line.strip(" -•*\t")]


class PublicValue(models.TextChoices):
    """Values that openness can collide with: the ones a dilemma weighs against each other."""

    OPENHEID = "openheid", _("Openheid en transparantie")
    PRIVACY = "privacy", _("Privacy")
    VEILIGHEID = "veiligheid", _("Veiligheid")
    SNELHEID = "snelheid", _("Snelheid")
    KOSTEN = "kosten", _("Kosten en capaciteit")
    ZORGVULDIGHEID = "zorgvuldigheid", _("Zorgvuldigheid")
    PARTICIPATIE = "participatie", _("Participatie")
    VERTROUWEN = "vertrouwen", _("Vertrouwen")
    RECHTSZEKERHEID = "rechtszekerheid", _("Rechtszekerheid")
    GELIJKHEID = "gelijkheid", _("Gelijke behandeling")
    INTERN_BERAAD = "intern-beraad", _("Ruimte voor intern beraad")
    ECONOMISCH_BELANG = "economisch-belang", _("Economische belangen")


class GovernmentLevel(models.TextChoices):
    RIJK = "rijk", _("Rijk")
    PROVINCIE = "provincie", _("Provincie")
    GEMEENTE = "gemeente", _("Gemeente")
    WATERSCHAP = "waterschap", _("Waterschap")
    GEMEENSCHAPPELIJKE_REGELING = "gemeenschappelijke-regeling", _("Gemeenschappelijke regeling")
    CARIBISCH = "caribisch-nederland", _("Openbaar lichaam in Caribisch Nederland")
    MEERDERE = "meerdere", _("Meerdere bestuurslagen")
    GEEN = "geen", _("Geen overheid")


class ChoiceArrayField(ArrayField):
    """A list of choices, edited as checkboxes; ArrayField's own form field is a comma-separated text box."""

    def formfield(self, **kwargs):
        defaults = {
            "form_class": forms.TypedMultipleChoiceField,
            "choices": self.base_field.choices,
            "coerce": self.base_field.to_python,
            "widget": forms.CheckboxSelectMultiple,
        }
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)


class DilemmaIndexPage(SectionIndexPage):
    subpage_types = ["knowledge.Dilemma"]
    template = "knowledge/dilemmas/dilemma_index_page.html"

    class Meta:
        verbose_name = _("overzicht van dilemma's")

    def get_context(self, request, *args, **kwargs):
        from knowledge.dilemmas import views

        context = super().get_context(request, *args, **kwargs)
        context.update(views.index_context(request, self))
        return context


class Dilemma(RoutablePageMixin, ContentPage):
    """One real case where openness collided with another value, told in a fixed structure."""

    situation = models.TextField(
        _("de situatie"),
        max_length=TEXT_MAX,
        help_text=_("Wat speelde er? Vertel het zo dat iemand van buiten het begrijpt. Witregels maken alinea's."),
    )
    involved = models.TextField(
        _("wie waren erbij betrokken"),
        max_length=1000,
        blank=True,
        help_text=_("Bijvoorbeeld: de griffie, de privacyfunctionaris, een journalist, bewoners van de wijk."),
    )
    values = ChoiceArrayField(
        models.CharField(max_length=30, choices=PublicValue.choices),
        verbose_name=_("waarden die botsen"),
        default=list,
        blank=True,
        help_text=_("Kies de waarden die tegen elkaar in werken, meestal openheid en nog één of twee."),
    )
    tension = models.TextField(
        _("het dilemma"),
        max_length=TEXT_MAX,
        help_text=_("Waarom was dit lastig? Welke belangen trokken aan elkaar?"),
    )
    decision = models.TextField(
        _("wat is er besloten"), max_length=TEXT_MAX, blank=True, help_text=_("Welke optie werd het, of welke mix?")
    )
    decision_reason = models.TextField(
        _("waarom"), max_length=TEXT_MAX, blank=True, help_text=_("De afweging die de doorslag gaf.")
    )
    aftermath = models.TextField(
        _("wat gebeurde er daarna"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Reacties, gevolgen, wat goed ging en wat niet."),
    )
    lessons = models.TextField(
        _("wat hebben we geleerd"),
        max_length=TEXT_MAX,
        blank=True,
        help_text=_("Lessen voor anderen in een vergelijkbare situatie. Eén les per regel wordt een lijst."),
    )
    organisation_type = models.CharField(
        _("soort organisatie"),
        max_length=40,
        choices=OrganisationType.choices,
        blank=True,
        help_text=_("Wat voor organisatie stond voor het dilemma?"),
    )
    government_level = models.CharField(_("bestuurslaag"), max_length=40, choices=GovernmentLevel.choices, blank=True)
    year = models.PositiveSmallIntegerField(
        _("jaar"),
        null=True,
        blank=True,
        validators=[MinValueValidator(FIRST_YEAR), not_in_the_future],
        help_text=_("Het jaar waarin het dilemma speelde."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("situation"), FieldPanel("involved")],
            heading=_("De situatie"),
        ),
        MultiFieldPanel([FieldPanel("values"), FieldPanel("tension")], heading=_("Het dilemma")),
        InlinePanel(
            "options",
            label=_("Optie"),
            heading=_("De afgewogen opties"),
            min_num=2,
            max_num=6,
            help_text=_("Twee tot zes opties. Leden kiezen hieruit bij ‘Wat zou jij doen?’."),
        ),
        MultiFieldPanel([FieldPanel("decision"), FieldPanel("decision_reason")], heading=_("Het besluit")),
        MultiFieldPanel([FieldPanel("aftermath"), FieldPanel("lessons")], heading=_("Daarna")),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("organisation_type"), FieldPanel("government_level"), FieldPanel("year")])],
            heading=_("Organisatie en jaar"),
        ),
        MultiFieldPanel(ContentPage.taxonomy_panels, heading=_("Thema's en trefwoorden")),
        InlinePanel(
            "related_links",
            label=_("Gerelateerde pagina"),
            heading=_("Gerelateerde artikelen en dilemma's"),
        ),
        MultiFieldPanel(ContentPage.history_panels, heading=_("Geschiedenis")),
    ]
    search_fields = ContentPage.search_fields + [
        index.SearchField("situation"),
        index.SearchField("tension"),
        index.SearchField("decision"),
        index.SearchField("lessons"),
        index.FilterField("organisation_type"),
        index.FilterField("government_level"),
        index.FilterField("year"),
    ]
    parent_page_types = ["knowledge.DilemmaIndexPage"]
    subpage_types = []
    template = "knowledge/dilemmas/dilemma.html"

    class Meta:
        verbose_name = _("dilemma")
        verbose_name_plural = _("dilemma's")

    def get_context(self, request, *args, **kwargs):
        from knowledge.dilemmas import views

        context = super().get_context(request, *args, **kwargs)
        forms_with_errors = {key: kwargs[key] for key in ("choice_error", "reaction_form") if key in kwargs}
        context.update(views.dilemma_context(request, self, **forms_with_errors))
        return context

    @path("kiezen/", name="choose")
    def choose_view(self, request):
        from knowledge.dilemmas import views

        return views.choose(request, self)

    @path("reageren/", name="react")
    def react_view(self, request):
        from knowledge.dilemmas import views

        return views.react(request, self)

    @property
    def lessons_list(self):
        return _lines(self.lessons)

    def value_labels(self):
        labels = dict(PublicValue.choices)
        return [labels.get(value, value) for value in self.values]

    def structured_text(self) -> str:
        """Every written field and option, in reading order: what search and diffs see of a dilemma."""
        parts = [self.situation, self.involved, " ".join(str(label) for label in self.value_labels()), self.tension]
        for option in self.options.all():
            parts += [option.title, option.description, option.arguments_for, option.arguments_against]
        parts += [self.decision, self.decision_reason, self.aftermath, self.lessons]
        return "\n".join(part for part in parts if part)


class DilemmaOption(Orderable):
    page = ParentalKey(Dilemma, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(_("optie"), max_length=160, help_text=_("Kort en als keuze geformuleerd."))
    description = models.TextField(_("toelichting"), max_length=1500, blank=True)
    arguments_for = models.TextField(
        _("argumenten voor"), max_length=1500, blank=True, help_text=_("Eén argument per regel.")
    )
    arguments_against = models.TextField(
        _("argumenten tegen"), max_length=1500, blank=True, help_text=_("Eén argument per regel.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("arguments_for"),
        FieldPanel("arguments_against"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("optie")
        verbose_name_plural = _("opties")

    def __str__(self):
        return self.title

    @property
    def arguments_for_list(self):
        return _lines(self.arguments_for)

    @property
    def arguments_against_list(self):
        return _lines(self.arguments_against)


class DilemmaRelatedPage(Orderable):
    page = ParentalKey(Dilemma, on_delete=models.CASCADE, related_name="related_links")
    target = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="dilemma_related_from",
        verbose_name=_("artikel of dilemma"),
    )

    panels = [PageChooserPanel("target", ["knowledge.KnowledgeArticle", "knowledge.Dilemma"])]

    class Meta(Orderable.Meta):
        verbose_name = _("gerelateerde pagina")
        verbose_name_plural = _("gerelateerde pagina's")


class DilemmaChoice(models.Model):
    """A member's answer to "Wat zou jij doen?": one per member per dilemma, changeable.

    The distribution is always counted from these rows, so it cannot drift from them.
    """

    dilemma = models.ForeignKey(Dilemma, on_delete=models.CASCADE, related_name="choices")
    option = models.ForeignKey(DilemmaOption, on_delete=models.CASCADE, related_name="choices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dilemma_choices")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dilemma", "user"], name="one_choice_per_member_per_dilemma")]
        verbose_name = _("keuze")
        verbose_name_plural = _("keuzes")

    def __str__(self):
        return f"{self.user} → {self.option}"


class DilemmaReactionQuerySet(ModeratedQuerySet):
    def visible_to(self, user):
        """The moderation rule, and only on dilemmas the reader may read (a werkgroep's, for instance)."""
        readable = visible_pages(Dilemma.objects.all(), user).values("pk")
        return super().visible_to(user).filter(dilemma__in=readable)


@register_moderated(related=["dilemma"])
class DilemmaReaction(ModeratedContent):
    """A member's reasoned reaction to a dilemma; moderated like every member-written item."""

    dilemma = models.ForeignKey(Dilemma, on_delete=models.CASCADE, related_name="reactions")
    body = models.TextField(_("reactie"), max_length=REACTION_MAX)

    objects = DilemmaReactionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reactie op een dilemma")
        verbose_name_plural = _("reacties op dilemma's")

    def __str__(self):
        return self.body[:60]

    def get_absolute_url(self) -> str:
        return f"{self.dilemma.url}#reactie-{self.pk}"

    def moderation_label(self) -> str:
        return _("reactie op het dilemma “%(title)s”") % {"title": self.dilemma.title}
