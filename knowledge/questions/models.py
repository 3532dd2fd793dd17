"""Q&A threads (issue 5): questions as pages; answers, comments, votes and followers as rows beside them.

A question is a Wagtail page, so who may read it is the one rule in website.access (a question asked
within a werkgroep carries that group's view restriction). What changes often and per member lives
in rows, not on the page: page fields are overwritten when an editor publishes an older revision, so
"which answer is accepted" is a timestamp on the answer, and vote counts are counted from the votes
themselves (there is no counter that could drift). Writes go through knowledge.questions.services.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Page
from wagtail.search import index

from community.models import ModeratedContent
from community.moderation.registry import register_moderated
from knowledge.models import ContentPage, ContentPageForm, SectionIndexPage

__all__ = [
    "CloseReason",
    "QuestionState",
    "QuestionIndexPage",
    "Question",
    "Answer",
    "AnswerRevision",
    "AnswerAnnouncement",
    "AnswerVote",
    "Comment",
    "QuestionFollow",
]

TITLE_MAX = 200
BODY_MAX = 10_000
COMMENT_MAX = 600


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Dubbele vraag: deze vraag is al eerder gesteld")
    OFF_TOPIC = "off-topic", _("Past niet bij de alliantie")
    UNCLEAR = "unclear", _("Onduidelijk: niet te beantwoorden zoals hij er staat")
    OUTDATED = "outdated", _("Niet meer aan de orde")


class QuestionState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Beantwoord")
    CLOSED = "closed", _("Gesloten")


class QuestionIndexPage(SectionIndexPage):
    subpage_types = ["knowledge.Question"]
    template = "knowledge/questions/question_index_page.html"

    class Meta:
        verbose_name = _("vragenoverzicht")

    def get_context(self, request, *args, **kwargs):
        from knowledge.questions import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.question_listing(index=self, request=request))
        return context


class QuestionPageForm(ContentPageForm):
    def clean(self):
        cleaned = super().clean()
        reason, original = cleaned.get("close_reason"), cleaned.get("duplicate_of")
        if reason == CloseReason.DUPLICATE and original is None:
            self.add_error("duplicate_of", _("Kies de vraag waarvan deze een dubbele is."))
        if reason != CloseReason.DUPLICATE and original is not None:
            self.add_error("duplicate_of", _("Alleen een dubbele vraag verwijst naar een andere vraag."))
        if original is not None and self.instance.pk and original.pk == self.instance.pk:
            self.add_error("duplicate_of", _("Een vraag kan geen dubbele van zichzelf zijn."))
        return cleaned


class Question(ContentPage):
    """Title, body (plain text, paragraphs by blank lines), themes and tags; the asker is the page's owner."""

    body = models.TextField(_("vraag"), max_length=BODY_MAX)
    close_reason = models.CharField(
        _("gesloten omdat"),
        max_length=20,
        choices=CloseReason.choices,
        blank=True,
        help_text=_("Leeg laten zolang de vraag open is."),
    )
    close_note = models.TextField(_("toelichting bij het sluiten"), max_length=1000, blank=True)
    duplicate_of = models.ForeignKey(
        "knowledge.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dubbele van"),
    )

    base_form_class = QuestionPageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(ContentPage.taxonomy_panels, heading=_("Thema's en trefwoorden")),
        MultiFieldPanel(
            [
                FieldPanel("close_reason"),
                FieldPanel("close_note"),
                PageChooserPanel("duplicate_of", "knowledge.Question"),
            ],
            heading=_("Sluiten"),
        ),
        MultiFieldPanel(ContentPage.history_panels, heading=_("Geschiedenis")),
    ]
    search_fields = ContentPage.search_fields + [index.SearchField("body")]
    parent_page_types = ["knowledge.QuestionIndexPage"]
    subpage_types = []
    template = "knowledge/questions/question_page.html"

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")

    @property
    def is_closed(self) -> bool:
        return bool(self.close_reason)

    def get_context(self, request, *args, comment_form=None, comment_target="", **kwargs):
        from knowledge.questions import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(
            selectors.question_detail(
                question=self, request=request, comment_form=comment_form, comment_target=comment_target
            )
        )
        return context


class Answer(ModeratedContent):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("vraag"))
    body = models.TextField(_("antwoord"), max_length=BODY_MAX)
    edited_at = models.DateTimeField(_("bewerkt op"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(accepted_at__isnull=False), name="one_accepted_answer_per_question"
            ),
        ]
        indexes = [models.Index(fields=["question", "status"], name="answer_question_status")]
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")

    def __str__(self):
        return self.moderation_label()

    def get_absolute_url(self) -> str:
        return f"{self.question.url}#antwoord-{self.pk}"

    def moderation_label(self) -> str:
        return _("Antwoord op “%(title)s”") % {"title": self.question.title}


class AnswerRevision(models.Model):
    """An earlier version of an edited answer: its text as it stood, who wrote it and since when."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("tekst"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geschreven door"),
    )
    written_at = models.DateTimeField(_("geschreven op"))
    replaced_at = models.DateTimeField(_("vervangen op"), auto_now_add=True)

    class Meta:
        ordering = ["-written_at", "-pk"]
        verbose_name = _("eerdere versie van een antwoord")
        verbose_name_plural = _("eerdere versies van antwoorden")

    def __str__(self):
        return f"{self.answer_id} @ {self.written_at:%Y-%m-%d %H:%M}"


class AnswerAnnouncement(models.Model):
    """Followers were told of this answer. Followers hear of an answer once, whichever way it was published
    (at once, or after approval); a row of its own, so no later save of a stale answer can undo it."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, primary_key=True, related_name="announcement")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.answer_id)


class AnswerVote(models.Model):
    """One member's vote for one answer; the count shown is the number of these rows."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="votes")
    # A deleted account's vote stays counted (SET_NULL), so counts never change behind anyone's back.
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["answer", "voter"], name="one_vote_per_member_per_answer")]
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")

    def __str__(self):
        return f"{self.voter_id} → {self.answer_id}"


class Comment(ModeratedContent):
    """A short reaction on a question or on one of its answers; comments have no replies of their own."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="comments")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, null=True, blank=True, related_name="comments")
    body = models.TextField(_("reactie"), max_length=COMMENT_MAX)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["question", "status"], name="comment_question_status")]
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")

    def __str__(self):
        return self.moderation_label()

    def clean(self):
        if self.answer_id and self.answer.question_id != self.question_id:
            raise ValidationError(_("Deze reactie hoort bij een antwoord op een andere vraag."))

    def get_absolute_url(self) -> str:
        return f"{self.question.url}#reactie-{self.pk}"

    def moderation_label(self) -> str:
        return _("Reactie bij “%(title)s”") % {"title": self.question.title}


class QuestionFollow(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="question_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="one_follow_per_member")]
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")

    def __str__(self):
        return f"{self.user_id} → {self.question_id}"


# Waiting answers and comments appear in the moderation queue, and published ones can be reported.
register_moderated(Answer, related=["question"])
register_moderated(Comment, related=["question"])

from knowledge.questions import signals  # noqa: E402,F401  (connects the scheduling receivers)
