from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page

from website.access import visible_pages

HOME_FEATURES = ["bold", "italic", "link", "ol", "ul"]
LATEST_ARTICLES = 6
LATEST_OTHERS = 3


class HomePage(Page):
    intro_title = models.CharField(_("titel van de inleiding"), max_length=200)
    intro = RichTextField(_("inleiding"), features=HOME_FEATURES)
    audience_title = models.CharField(_("titel 'voor wie'"), max_length=200, default="Voor wie?")
    audience = RichTextField(_("voor wie"), features=HOME_FEATURES, blank=True)
    join_title = models.CharField(_("titel van de uitnodiging"), max_length=200)
    join_text = RichTextField(_("uitnodiging om lid te worden"), features=HOME_FEATURES)
    history = RichTextField(_("ontstaan en plannen"), features=HOME_FEATURES, blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel([FieldPanel("intro_title"), FieldPanel("intro")], heading=_("Inleiding")),
        MultiFieldPanel([FieldPanel("audience_title"), FieldPanel("audience")], heading=_("Voor wie")),
        MultiFieldPanel([FieldPanel("join_title"), FieldPanel("join_text")], heading=_("Lid worden")),
        FieldPanel("history"),
    ]
    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("startpagina")

    def get_context(self, request, *args, **kwargs):
        from knowledge.models import Dilemma, KnowledgeArticle, Question, Theme, with_themes

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = with_themes(
            visible_pages(KnowledgeArticle.objects.all(), request.user).order_by("-first_published_at")
        )[:LATEST_ARTICLES]
        context["latest_dilemmas"] = with_themes(
            visible_pages(Dilemma.objects.all(), request.user).order_by("-first_published_at")
        )[:LATEST_OTHERS]
        context["latest_questions"] = with_themes(
            visible_pages(Question.objects.all(), request.user).order_by("-first_published_at")
        )[:LATEST_OTHERS]
        context["themes"] = Theme.objects.all()
        return context


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    contact_name = models.CharField(
        _("aanspreekpunt"),
        max_length=200,
        default="Leer- en Expertisepunt Open Overheid",
        help_text=_("Naam van het aanspreekpunt voor vragen over open overheid."),
    )
    contact_email = models.EmailField(_("e-mailadres van het aanspreekpunt"), blank=True)
    footer_text = RichTextField(_("tekst in de voettekst"), features=HOME_FEATURES, blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_email")], heading=_("Aanspreekpunt")),
        FieldPanel("footer_text"),
    ]

    class Meta:
        verbose_name = _("site-instellingen")
