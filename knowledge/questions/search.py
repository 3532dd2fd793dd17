"""What a question contributes to search: its text with the published answers and comments."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from community.models import ModerationStatus
from knowledge.questions.models import Answer, Comment, Question
from search import audiences
from search.documents import DocumentData, Source


class QuestionSource(Source):
    kind = "question"
    label = _("Vraag")
    model = Question

    def indexable(self):
        published = ModerationStatus.PUBLISHED
        return Question.objects.live().prefetch_related(
            "theme_links__theme",
            "tagged_items__tag",
            Prefetch("answers", queryset=Answer.objects.filter(status=published), to_attr="published_answers"),
            Prefetch("comments", queryset=Comment.objects.filter(status=published), to_attr="published_comments"),
        )

    def document(self, question):
        if not question.live:
            return None
        themes = [link.theme for link in question.theme_links.all()]
        tags = [item.tag.name for item in question.tagged_items.all()]
        answers = question.published_answers
        return DocumentData(
            title=question.title,
            url=question.url or "",
            summary=question.summary,
            body="\n\n".join([question.body, *(answer.body for answer in answers)]),
            extra=" ".join(
                [*(comment.body for comment in question.published_comments), *(t.name for t in themes), *tags]
            ),
            themes=[theme.slug for theme in themes],
            tags=tags,
            date=question.first_published_at or question.last_published_at,
            accepted=any(answer.accepted_at is not None for answer in answers),
            audiences=audiences.for_page(question),
        )
