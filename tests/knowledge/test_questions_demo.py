"""The demo Q&A: enough real-looking content, loaded once however often `make demo` runs."""

import io

import pytest
from django.core.management import call_command

from community.models import ModerationStatus
from knowledge.questions import demo
from knowledge.questions.models import Answer, AnswerVote, Comment, Question, QuestionIndexPage
from website.models import HomePage

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Question.objects.count(),
        Answer.objects.count(),
        AnswerVote.objects.count(),
        Comment.objects.count(),
        Answer.objects.filter(accepted_at__isnull=False).count(),
    )


def test_demo_questions_load_once_with_answers_votes_and_accepted_answers(client):
    call_command("load_demo", stdout=io.StringIO())
    home = HomePage.objects.get()
    demo.load(home)
    first = _counts()
    questions, answers, votes, comments, accepted = first
    assert questions >= 20 and answers >= 30 and votes >= 60 and comments >= 10 and accepted >= 15
    assert not Answer.objects.exclude(status=ModerationStatus.PUBLISHED).exists()
    for vote in AnswerVote.objects.select_related("answer"):
        assert vote.voter_id != vote.answer.author_id
    assert QuestionIndexPage.objects.get().url == "/vragen/"

    demo.load(home)
    assert _counts() == first

    listing = client.get("/vragen/").content.decode()
    assert "Publiceren jullie antwoorden op schriftelijke raadsvragen ook als open data?" in listing
    assert "Pagina 1 van 2" in listing
    assert "Welke tool gebruiken jullie" not in listing, "the secret werkgroep's question stays with the werkgroep"
    duplicate = Question.objects.get(slug="dubbel-concepten-woo")
    assert duplicate.is_closed and duplicate.duplicate_of.slug == "conceptnotities-bij-woo-verzoek"
    page = client.get(Question.objects.get(slug="conceptnotities-bij-woo-verzoek").url)
    assert page.status_code == 200 and "Geaccepteerd antwoord" in page.content.decode()
