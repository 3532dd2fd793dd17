"""Demo Q&A for `make demo`: the /vragen/ page and the questions in website/demo/questions.json.

Safe to run again: the index and each question (by slug) are created once; what exists is kept.
The demo people and werkgroepen must exist first (load_demo makes them). Answers, votes and comments
are stored as published, the way they would be after the editors approved them, and followers are
not notified of this history.
"""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from community.models import ModerationStatus, WorkingGroup
from knowledge.models import PageTheme, Theme
from knowledge.questions.models import (
    Answer,
    AnswerAnnouncement,
    AnswerVote,
    Comment,
    Question,
    QuestionFollow,
    QuestionIndexPage,
)
from knowledge.questions.services import question_restrict_to_group, question_summary

DATA = Path(__file__).resolve().parents[2] / "website" / "demo" / "questions.json"
INTRO = (
    "Leden van de alliantie stellen elkaar vragen over open overheid en geven antwoord uit hun eigen praktijk. "
    "Het beste antwoord staat bovenaan."
)


@transaction.atomic
def load(home, *, data_path=DATA):
    """Create the index and the demo questions that are missing; returns how many questions were new
    (with `data_path=None` only the index, which it returns)."""
    index = QuestionIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=QuestionIndexPage(title="Vragen", slug="vragen", intro=INTRO))
        index.save_revision().publish()
    if data_path is None:
        return index
    items = json.loads(Path(data_path).read_text(encoding="utf-8"))["questions"]
    people = {user.username: user for user in get_user_model().objects.filter(username__in=_usernames(items))}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = set(Question.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for item in items:
        if item["slug"] in existing:
            continue
        _question(index, item, people, themes)
        created += 1
    by_slug = {q.slug: q for q in Question.objects.child_of(index)}
    for item in items:
        closed = item.get("closed")
        question = by_slug[item["slug"]]
        if closed and not question.close_reason:
            question.close_reason = closed["reason"]
            question.close_note = closed.get("note", "")
            question.duplicate_of = by_slug.get(closed.get("of"))
            question.save_revision(user=people.get("redactie")).publish(user=people.get("redactie"))
    return created


def _usernames(items):
    names = set()
    for item in items:
        names.add(item["asker"])
        for answer in item["answers"]:
            names.update([answer["author"], *answer["votes"], *(c["author"] for c in answer["comments"])])
        names.update(c["author"] for c in item["comments"])
    return names


def _question(index, item, people, themes):
    asker = people[item["asker"]]
    asked_at = timezone.now() - timedelta(days=item.get("days_ago", 0), hours=3)
    question = Question(
        title=item["title"],
        slug=item["slug"],
        summary=question_summary(item["body"]),
        body=item["body"],
        owner=asker,
        edit_summary="Vraag gesteld",
    )
    index.add_child(instance=question)
    if item.get("group"):
        question_restrict_to_group(page=question, group=WorkingGroup.objects.get(name=item["group"]))
    for order, slug in enumerate(item["themes"]):
        question.theme_links.add(PageTheme(theme=themes[slug], sort_order=order))
    question.tags.add(*item["tags"])
    revision = question.save_revision(user=asker)
    revision.publish(user=people.get("redactie") or asker)
    Revision.objects.filter(pk=revision.pk).update(created_at=asked_at)
    PageLogEntry.objects.filter(revision=revision).update(timestamp=asked_at)
    Question.objects.filter(pk=question.pk).update(
        first_published_at=asked_at, last_published_at=asked_at, latest_revision_created_at=asked_at
    )
    QuestionFollow.objects.get_or_create(question=question, user=asker)
    moment = asked_at
    for comment in item["comments"]:
        moment += timedelta(hours=2)
        _comment(question, None, people[comment["author"]], comment["body"], moment)
    for answer_item in item["answers"]:
        moment += timedelta(hours=5)
        _answer(question, answer_item, people, moment)


def _answer(question, item, people, moment):
    author = people[item["author"]]
    answer = Answer(question=question, author=author, body=item["body"], status=ModerationStatus.PUBLISHED)
    if item.get("accepted"):
        answer.accepted_at, answer.accepted_by = moment + timedelta(days=1), question.owner
    answer.save()
    AnswerAnnouncement.objects.get_or_create(answer=answer)
    Answer.objects.filter(pk=answer.pk).update(created_at=moment, decided_at=moment)
    AnswerVote.objects.bulk_create(
        [AnswerVote(answer=answer, voter=people[name]) for name in item["votes"] if name != item["author"]],
        ignore_conflicts=True,
    )
    for number, comment in enumerate(item["comments"], start=1):
        _comment(question, answer, people[comment["author"]], comment["body"], moment + timedelta(hours=number))


def _comment(question, answer, author, body, moment):
    comment = Comment.objects.create(
        question=question, answer=answer, author=author, body=body, status=ModerationStatus.PUBLISHED
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)


BENCH_SLUG = "benchmark-drukke-vraag"


@transaction.atomic
def bench_thread_create(*, answers=100, comments=300) -> str:
    """A public question with `answers` answers and `comments` comments for `make bench`; returns its path."""
    from website.models import HomePage

    index = QuestionIndexPage.objects.first() or load(HomePage.objects.first(), data_path=None)
    existing = Question.objects.filter(slug=BENCH_SLUG).first()
    if existing is not None:
        return existing.url
    people = list(get_user_model().objects.filter(is_active=True).order_by("pk")[:6])
    asker = people[0]
    question = Question(
        title="Benchmark: een drukke vraag",
        slug=BENCH_SLUG,
        summary="Een vraag met veel antwoorden en reacties, om de snelheid te meten.",
        body="Hoe snel is een vraag met honderd antwoorden?\n\nDeze pagina bestaat alleen tijdens de meting.",
        owner=asker,
    )
    index.add_child(instance=question)
    question.save_revision(user=asker).publish(user=asker)
    made = Answer.objects.bulk_create(
        [
            Answer(
                question=question,
                author=people[n % len(people)],
                body=f"Antwoord {n}: een paar zinnen uit de praktijk.\n\nMet een tweede alinea.",
                status=ModerationStatus.PUBLISHED,
            )
            for n in range(answers)
        ]
    )
    AnswerAnnouncement.objects.bulk_create([AnswerAnnouncement(answer=answer) for answer in made])
    AnswerVote.objects.bulk_create(
        [AnswerVote(answer=a, voter=v) for a in made for v in people[: a.pk % len(people)] if v.pk != a.author_id]
    )
    Comment.objects.bulk_create(
        [
            Comment(
                question=question,
                answer=made[n % len(made)],
                author=people[n % len(people)],
                body=f"Reactie {n}.",
                status=ModerationStatus.PUBLISHED,
            )
            for n in range(comments)
        ]
    )
    return question.url


def bench_thread_delete():
    for question in Question.objects.filter(slug=BENCH_SLUG):
        question.delete()
