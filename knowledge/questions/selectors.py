"""Reads for the Q&A pages: a fixed number of queries per page, however many answers or comments."""

import json

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.backends.utils import csrf_input
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from community.models import ModerationStatus
from community.services.profiles import public_name
from knowledge.models import PAGE_SIZE, Theme, with_themes
from knowledge.questions import display, text
from knowledge.questions.forms import AnswerForm, CloseForm
from knowledge.questions.models import Answer, AnswerRevision, AnswerVote, Comment, Question, QuestionFollow
from website.access import can_view, is_editor, visible_pages

LISTINGS = {
    "nieuw": _("Nieuwste"),
    "onbeantwoord": _("Onbeantwoord"),
    "actief": _("Meest actief"),
}
SORTS = {"stemmen": _("Meeste stemmen"), "nieuwste": _("Nieuwste eerst")}
RELATED_LIMIT = 5


def _count(queryset):
    """A correlated COUNT(*) as an annotation, 0 when there are none."""
    counted = queryset.order_by().values("question").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_activity(questions):
    """Published answers and comments per question, and whether a published answer is accepted."""
    published_answers = Answer.objects.filter(question=OuterRef("pk"), status=ModerationStatus.PUBLISHED)
    published_comments = Comment.objects.filter(question=OuterRef("pk"), status=ModerationStatus.PUBLISHED)
    return questions.annotate(
        answer_count=_count(published_answers),
        comment_count=_count(published_comments),
        has_accepted=Exists(published_answers.filter(accepted_at__isnull=False)),
    ).annotate(activity=F("answer_count") + F("comment_count"))


def question_listing(*, index, request) -> dict:
    user = request.user
    listing = request.GET.get("weergave")
    listing = listing if listing in LISTINGS else "nieuw"
    questions = with_activity(visible_pages(Question.objects.child_of(index), user))
    if listing == "onbeantwoord":
        questions = questions.filter(answer_count=0, close_reason="")
    theme_slug = request.GET.get("thema") or ""
    themes = list(
        Theme.objects.filter(page_links__page__in=visible_pages(Question.objects.child_of(index), user).values("pk"))
        .distinct()
        .order_by("name")
    )
    theme = next((t for t in themes if t.slug == theme_slug), None)
    if theme is not None:
        questions = questions.filter(theme_links__theme=theme)
    if listing == "actief":
        questions = questions.order_by("-activity", "-first_published_at", "-pk")
    else:
        questions = questions.order_by("-first_published_at", "-pk")
    questions = with_themes(questions.select_related("owner__profile"))
    return {
        "questions": Paginator(questions, PAGE_SIZE).get_page(request.GET.get("pagina")),
        "listings": [(key, label, key == listing) for key, label in LISTINGS.items()],
        "listing": listing,
        "themes": themes,
        "theme": theme,
    }


def related_questions(question, user, *, limit=RELATED_LIMIT):
    """Other questions sharing the most themes and tags with this one."""
    theme_ids = [link.theme_id for link in question.theme_links.all()]
    tag_ids = list(question.tagged_items.values_list("tag_id", flat=True))
    if not theme_ids and not tag_ids:
        return []
    shared = Count("theme_links", filter=Q(theme_links__theme_id__in=theme_ids), distinct=True) + Count(
        "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
    )
    candidates = (
        visible_pages(Question.objects.exclude(pk=question.pk), user)
        .filter(Q(theme_links__theme_id__in=theme_ids) | Q(tagged_items__tag_id__in=tag_ids))
        .annotate(shared=shared)
        .order_by("-shared", "-first_published_at")
    )
    return list(candidates.only("id", "title", "url_path", "slug")[:limit])


def _votes(answer_ref="pk"):
    counted = AnswerVote.objects.filter(answer=OuterRef(answer_ref)).order_by().values("answer")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


def _name_fields(relation):
    """What public_name() reads of a user and their profile, for select_related(); loading whole rows
    (a profile has a dozen date fields) for hundreds of authors cost more than the page needed."""
    fields = ("username", "first_name", "last_name", "is_active", "password")
    return [f"{relation}__{field}" for field in fields] + [
        f"{relation}__profile__{field}" for field in ("user", "display_name", "deleted_at")
    ]


# What the question page reads of each answer and comment (knowledge.questions.display, qa_structured_data).
ANSWER_FIELDS = ["question", "author", "status", "body", "created_at", "accepted_at", "edited_at", "edited_by"]
COMMENT_FIELDS = ["question", "answer", "author", "status", "body", "created_at"]


def page_comments(user):
    """The comments `user` may see, with what the question page shows of them."""
    return (
        Comment.objects.visible_to(user)
        .select_related("author__profile")
        .only(*COMMENT_FIELDS, *_name_fields("author"))
    )


def answers_for(question, user, *, sort="stemmen"):
    """The answers `user` may see, accepted first, then by votes or newest; with their comments
    (`comment_list`) and earlier versions (`revision_list`)."""
    order = ["-created_at", "-pk"] if sort == "nieuwste" else ["-vote_count", "created_at", "pk"]
    return list(
        Answer.objects.visible_to(user)
        .filter(question=question)
        .select_related("author__profile", "edited_by__profile")
        .only(*ANSWER_FIELDS, *_name_fields("author"), *_name_fields("edited_by"))
        .annotate(vote_count=_votes())
        .prefetch_related(
            # As plain lists (to_attr): no queryset per answer.
            Prefetch(
                "revisions",
                queryset=AnswerRevision.objects.select_related("written_by__profile"),
                to_attr="revision_list",
            ),
            Prefetch("comments", queryset=page_comments(user), to_attr="comment_list"),
        )
        .order_by(F("accepted_at").desc(nulls_last=True), *order)
    )


def question_detail(*, question, request, comment_form=None, comment_target="") -> dict:
    """The question page's context. comment_form/comment_target: a refused comment, shown again beside
    the form it came from (target "" for the question's own form, else the answer's id)."""
    user = request.user
    sort = request.GET.get("sorteer")
    sort = sort if sort in SORTS else "stemmen"
    answers = answers_for(question, user, sort=sort)
    published = [a for a in answers if a.status == ModerationStatus.PUBLISHED]
    comments = list(page_comments(user).filter(question=question, answer__isnull=True))
    member = user.is_authenticated
    voted = set()
    following = False
    if member:
        votes = AnswerVote.objects.filter(voter=user, answer__question=question)
        voted = set(votes.values_list("answer_id", flat=True))
        following = QuestionFollow.objects.filter(question=question, user=user).exists()
    duplicate_of = None
    if question.duplicate_of_id:
        original = Question.objects.live().filter(pk=question.duplicate_of_id).first()
        duplicate_of = original if original is not None and can_view(original, user) else None
    asker = question.owner
    editor = is_editor(user)
    may_accept = member and (user.pk == question.owner_id or editor)
    thread = display.Thread(
        question=question,
        user=user,
        voted=voted,
        may_accept=may_accept,
        editor=editor,
        # One hidden CSRF field for the many forms (vote, accept, comment) only members get.
        csrf_input=csrf_input(request) if member else "",
        comment_form=comment_form,
        comment_target=comment_target,
    )
    for answer in answers:
        answer.html = thread.answer(answer)
    themes = [link.theme for link in question.theme_links.select_related("theme")]
    return {
        "body_html": text.paragraphs(question.body),
        "asker": asker,
        "answers": answers,
        "answer_count": len(published),
        "question_comments": comments,
        "voted": voted,
        "following": following,
        "accepted_answer": next((a for a in published if a.accepted_at is not None), None),
        "may_accept": may_accept,
        "is_editor": editor,
        "answer_form": AnswerForm(),
        "close_form": CloseForm() if editor else None,
        "question_comments_html": thread.comments(comments),
        "themes": themes,
        "tags": list(question.tags.all()),
        "related": related_questions(question, user),
        "duplicate_of": duplicate_of,
        "sorts": [(key, label, key == sort) for key, label in SORTS.items()],
        "sort": sort,
        "structured_data": qa_structured_data(question, asker, published, request),
    }


def _person(user):
    return {"@type": "Person", "name": public_name(user)}


def _answer_data(answer, question_url):
    return {
        "@type": "Answer",
        "text": answer.body,
        "dateCreated": answer.created_at.isoformat(),
        "datePublished": answer.created_at.isoformat(),
        "upvoteCount": answer.vote_count,
        "url": f"{question_url}#antwoord-{answer.pk}",
        "author": _person(answer.author),
    }


# The characters that could end the <script> element or start a comment, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def qa_structured_data(question, asker, published_answers, request) -> str:
    """schema.org QAPage JSON-LD (Google's Q&A rich result), safe to place inside <script>.

    Google requires at least one answer (acceptedAnswer or suggestedAnswer); without one the page
    gets no QAPage data rather than invalid data."""
    if not published_answers:
        return ""
    question_url = question.get_full_url(request)
    accepted = [a for a in published_answers if a.accepted_at is not None]
    suggested = [a for a in published_answers if a.accepted_at is None]
    asked_at = (question.first_published_at or question.latest_revision_created_at).isoformat()
    entity = {
        "@type": "Question",
        "name": question.title,
        "text": question.body,
        "answerCount": len(published_answers),
        "dateCreated": asked_at,
        "datePublished": asked_at,
        "author": _person(asker),
        "url": question_url,
    }
    if accepted:
        entity["acceptedAnswer"] = _answer_data(accepted[0], question_url)
    if suggested:
        entity["suggestedAnswer"] = [_answer_data(a, question_url) for a in suggested]
    data = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308
