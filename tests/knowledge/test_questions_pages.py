"""Q&A pages: listings, related questions, a werkgroep's question on every path, QAPage data, search, speed."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from community.models import GroupVisibility, ModerationStatus
from community.services.moderation import item_hide
from knowledge.questions import services
from knowledge.questions.models import Answer, AnswerVote, Comment, Question
from search.indexing import reindex_all
from search.models import SearchDocument
from search.query import SearchRequest, search
from tests import factories
from tests.community.factories import member, working_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa(tree):
    return factories.question_index(tree["home"])


def _titles(html):
    return re.findall(r'<h2 class="card__title" lang="nl"><a href="[^"]+">([^<]+)</a>', html)


# Listings --------------------------------------------------------------------------------------


def test_listings_newest_unanswered_most_active_and_by_theme(client, qa):
    woo = factories.ThemeFactory(name="Woo", slug="woo")
    data = factories.ThemeFactory(name="Open data", slug="open-data")
    quiet = factories.question(qa, title="Stille vraag", themes=[woo])
    busy = factories.question(qa, title="Drukke vraag", themes=[data])
    answered = factories.question(qa, title="Beantwoorde vraag", themes=[woo])
    for _ in range(3):
        factories.answer(busy)
    factories.comment(busy)
    factories.answer(answered, accepted_at=timezone.now())
    factories.answer(quiet, status=ModerationStatus.PENDING)  # a waiting answer does not count

    assert _titles(client.get("/vragen/").content.decode()) == ["Beantwoorde vraag", "Drukke vraag", "Stille vraag"]
    assert _titles(client.get("/vragen/?weergave=onbeantwoord").content.decode()) == ["Stille vraag"]
    active = client.get("/vragen/?weergave=actief").content.decode()
    assert _titles(active)[0] == "Drukke vraag"
    assert "3 antwoorden" in active and "1 reactie" in active
    by_theme = client.get("/vragen/?thema=woo").content.decode()
    assert _titles(by_theme) == ["Beantwoorde vraag", "Stille vraag"]
    assert "✓ Beantwoord" in by_theme and "Open" in by_theme


def test_the_listing_runs_a_constant_number_of_queries(client, qa):
    theme = factories.ThemeFactory(name="Woo", slug="woo")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/vragen/?weergave=actief").status_code == 200
        return len(queries)

    for number in range(3):
        question = factories.question(qa, title=f"Vraag {number}", themes=[theme], tags=["woo"])
        factories.answer(question)
    count()
    few = count()
    for number in range(3, 12):
        question = factories.question(qa, title=f"Vraag {number}", themes=[theme], tags=["woo"])
        factories.answer(question)
        factories.comment(question)
    count()  # creating pages clears Wagtail's cached site root paths; warm it again
    assert count() == few


def test_related_questions_share_themes_or_tags_and_respect_access(client, qa):
    woo = factories.ThemeFactory(name="Woo", slug="woo")
    subject = factories.question(qa, title="Hoofdvraag", themes=[woo], tags=["termijnen"])
    factories.question(qa, title="Zelfde thema", themes=[woo])
    factories.question(qa, title="Zelfde trefwoord", tags=["termijnen"])
    factories.question(qa, title="Niets gemeen")
    group = working_group("Besloten groep", visibility=GroupVisibility.SECRET)
    hidden = factories.question(qa, title="Groepsvraag met hetzelfde thema", themes=[woo])
    services.question_restrict_to_group(page=hidden, group=group)
    page = client.get(subject.url).content.decode()
    related = page.split('id="verwante-vragen"')[1]
    assert "Zelfde thema" in related and "Zelfde trefwoord" in related
    assert "Niets gemeen" not in related and "Groepsvraag" not in page


# A werkgroep's question ------------------------------------------------------------------------


@pytest.fixture
def group_question(qa, django_capture_on_commit_callbacks):
    insider = member("deelnemer", trusted_at=timezone.now())
    group = working_group("Werkgroep archief", members=[insider], visibility=GroupVisibility.PUBLIC)
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            actor=insider, index=qa, title="Hoe bewaren wij chatberichten?", body="Intern overleg.", group=group
        )
        answer = services.answer_submit(actor=insider, question=question, body="Met een exportfunctie.")
    return {"question": question, "answer": answer, "insider": insider, "group": group}


def test_a_werkgroep_question_is_read_only_by_its_members_and_editors_on_every_path(client, group_question):
    question, answer = group_question["question"], group_question["answer"]
    assert question.live
    outsider = member("buitenstaander")
    for reader in (None, outsider):
        if reader:
            client.force_login(reader)
        response = client.get(question.url)
        assert response.status_code in (302, 404) and "Hoe bewaren wij" not in response.content.decode()
        assert "Hoe bewaren wij" not in client.get("/vragen/").content.decode()
        assert "chatberichten" not in client.get("/vragen/?weergave=onbeantwoord").content.decode()
        assert "chatberichten" not in client.get("/sitemap.xml").content.decode()
        assert "Hoe bewaren wij" not in client.get("/zoeken/?q=chatberichten").content.decode()
    for action in ("antwoorden", "reacties", "volgen"):
        assert client.post(f"/vragen/{question.pk}/{action}/", {"body": "Binnendringen"}).status_code == 404
    assert client.post(f"/vragen/antwoorden/{answer.pk}/stem/").status_code == 404
    assert not Comment.objects.exists() and Answer.objects.count() == 1 and not AnswerVote.objects.exists()

    for reader in (group_question["insider"], factories.editor()):
        client.force_login(reader)
        assert "chatberichten" in client.get(question.url).content.decode()
        assert "chatberichten" in client.get("/vragen/").content.decode()
        assert "Hoe bewaren wij" in client.get("/zoeken/?q=chatberichten").content.decode()


def test_a_follower_who_left_the_werkgroep_is_no_longer_told(group_question, django_capture_on_commit_callbacks):
    from community.models import Notification
    from community.services.groups import membership_add, membership_remove

    question, group = group_question["question"], group_question["group"]
    leaver = member("vertrekker")
    membership_add(group=group, user=leaver)
    services.question_follow(actor=leaver, question=question)
    membership_remove(group=group, user=leaver)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_submit(actor=factories.editor(), question=question, body="Nog een antwoord.")
    assert not Notification.objects.filter(recipient=leaver).exists()
    assert Notification.objects.filter(recipient=group_question["insider"]).exists()


# QAPage structured data ------------------------------------------------------------------------


def _structured(html):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


def test_question_pages_carry_valid_qapage_data(client, qa):
    asker = member("vrager", display_name="Vera Vrager")
    question = factories.question(qa, title="Wat is actieve openbaarmaking?", asker=asker)
    accepted = factories.answer(question, author=member("a", display_name="Anouk"), body="Zelf publiceren.")
    other = factories.answer(question, author=member("b", display_name="Bram"), body="Zonder verzoek.")
    services.answer_accept(actor=asker, question=question, answer=accepted)
    services.answer_vote(actor=member("c"), answer=other)
    services.answer_vote(actor=member("d"), answer=other)
    factories.answer(question, status=ModerationStatus.PENDING, body="Nog niet zichtbaar.")

    (data,) = _structured(client.get(question.url).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "QAPage"
    entity = data["mainEntity"]
    assert entity["@type"] == "Question" and entity["name"] == "Wat is actieve openbaarmaking?"
    assert entity["text"].startswith("Wij krijgen") and entity["answerCount"] == 2
    assert entity["author"] == {"@type": "Person", "name": "Vera Vrager"}
    assert entity["dateCreated"] and entity["datePublished"]
    assert entity["acceptedAnswer"]["text"] == "Zelf publiceren." and entity["acceptedAnswer"]["upvoteCount"] == 0
    (suggested,) = entity["suggestedAnswer"]
    assert suggested["upvoteCount"] == 2 and suggested["author"]["name"] == "Bram"
    assert suggested["url"].startswith("http") and suggested["url"].endswith(f"{question.url}#antwoord-{other.pk}")
    for answer in (entity["acceptedAnswer"], suggested):
        assert {"@type", "text", "author", "dateCreated", "upvoteCount", "url"} <= set(answer)


def test_a_question_without_answers_has_no_qapage_data_rather_than_invalid_data(client, qa):
    question = factories.question(qa)
    assert _structured(client.get(question.url).content.decode()) == []


def test_user_text_cannot_close_the_script_element(client, qa):
    question = factories.question(qa, title="Wat doet </script><script>alert(1)</script>?")
    factories.answer(question, body="Ook hier: </script><!-- en & zo")
    html = client.get(question.url).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "</script" not in block and "<!--" not in block and "<script" not in block
    (data,) = _structured(html)
    assert data["mainEntity"]["name"] == "Wat doet </script><script>alert(1)</script>?"
    assert data["mainEntity"]["suggestedAnswer"][0]["text"] == "Ook hier: </script><!-- en & zo"


# Search ----------------------------------------------------------------------------------------


def _find(text, reader=None):
    from django.contrib.auth.models import AnonymousUser

    return search(SearchRequest(text=text, reader=reader or AnonymousUser()))


def test_questions_are_found_by_their_answers_and_comments_published_only(qa, django_capture_on_commit_callbacks):
    asker = member("vrager", trusted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        question = factories.question(qa, title="Vraag over registers", asker=asker)
    hit = _find("registers").hits[0]
    assert hit.kind == "question" and hit.accepted is False

    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_submit(actor=asker, question=question, body="Gebruik het verwerkingsregister.")
        services.comment_submit(actor=asker, question=question, body="Denk aan de archiefwet.")
        services.answer_submit(actor=member("nieuw"), question=question, body="Geheimzinnige spamtekst.")
    assert [h.title for h in _find("verwerkingsregister").hits] == ["Vraag over registers"]
    assert [h.title for h in _find("archiefwet").hits] == ["Vraag over registers"]
    assert _find("spamtekst").total == 0, "a waiting answer is not searchable"

    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(actor=asker, question=question, answer=answer)
    assert _find("registers").hits[0].accepted is True

    with django_capture_on_commit_callbacks(execute=True):
        item_hide(item=Answer.objects.get(pk=answer.pk), reason="gemeld")
    assert _find("verwerkingsregister").total == 0
    assert _find("registers").hits[0].accepted is False


def test_reindexing_everything_includes_questions(qa):
    question = factories.question(qa, title="Herindexeerbare vraag")
    factories.answer(question, body="Een antwoord met het woord herindexering.")
    summary = reindex_all()
    assert summary.indexed["question"] == 1
    assert SearchDocument.objects.filter(title="Herindexeerbare vraag").exists()


# Speed -----------------------------------------------------------------------------------------


def _thread(question, answers, comments_per_answer, voters):
    for number in range(answers):
        answer = factories.answer(question, author=voters[number % len(voters)], body=f"Antwoord {number}")
        for voter in voters[: number % 4]:
            if voter.pk != answer.author_id:
                AnswerVote.objects.create(answer=answer, voter=voter)
        for c in range(comments_per_answer):
            factories.comment(question, answer=answer, author=voters[c % len(voters)], body=f"Reactie {c}")
        if number == 0:
            services.answer_edit(actor=answer.author, answer=answer, body="Antwoord 0, bewerkt")


@pytest.mark.parametrize("as_member", [False, True])
def test_a_question_page_runs_a_constant_number_of_queries(client, qa, as_member):
    voters = [member(f"lid{n}", trusted_at=timezone.now()) for n in range(5)]
    theme = factories.ThemeFactory(name="Woo", slug="woo")
    small = factories.question(qa, title="Kleine draad", themes=[theme], tags=["woo"])
    large = factories.question(qa, title="Grote draad", themes=[theme], tags=["woo"])
    _thread(small, 10, 3, voters)
    _thread(large, 100, 3, voters)
    factories.comment(small, body="Over de vraag")
    factories.comment(large, body="Over de vraag")
    if as_member:
        client.force_login(voters[0])

    def count(question):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(question.url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    count(small)  # warm caches (site root paths, content types)
    count(large)
    few, _ = count(small)
    many, html = count(large)
    assert len(re.findall(r'<article class="answer[ "]', html)) == 100
    assert len(re.findall(r'id="reactie-\d+"', html)) == 301
    assert many == few, f"{few} queries for 10 answers, {many} for 100"
    assert Question.objects.count() == 2


# Rendering the thread (knowledge.questions.display) ------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
def test_thread_dates_read_as_the_templates_date_filter_would_write_them(language):
    from datetime import UTC, datetime

    from django.template.defaultfilters import date as date_filter
    from django.utils import translation

    from knowledge.questions.display import Dates

    moments = [
        datetime(2026, 3, 29, 0, 59, 59, 123456, tzinfo=UTC),  # the night summer time starts
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),  # and ends
        datetime(2026, 12, 31, 23, 5, tzinfo=UTC),  # a new year in Amsterdam, not yet in UTC
        datetime(999, 1, 2, 3, 4, tzinfo=UTC),
    ]
    with translation.override(language):
        dates = Dates()
        for moment in moments:
            local = timezone.localtime(moment)  # what the filter receives inside a template
            assert dates.iso(moment) == date_filter(local, "c")
            assert dates.day(moment) == date_filter(local, "j F Y")
            assert dates.moment(moment) == date_filter(local, "j F Y, H:i")
        assert dates.iso(None) == dates.day(None) == dates.moment(None) == ""


def test_thread_urls_are_the_reversed_urls():
    from django.urls import reverse

    from knowledge.questions.display import UrlPattern

    pattern = UrlPattern("knowledge:answer_vote", "answer_id")
    report = UrlPattern("community:report", "object_id", content_type_id=7)
    for pk in (1, 42, 987_654_321):
        assert pattern(pk) == reverse("knowledge:answer_vote", kwargs={"answer_id": pk})
        assert report(pk) == reverse("community:report", kwargs={"content_type_id": 7, "object_id": pk})
    with pytest.raises(ValueError):
        pattern("1/../x")


def test_names_and_texts_in_the_thread_are_escaped(client, qa):
    sneaky = member("sluw", display_name='<img src=x onerror="alert(1)">Sluw & co', trusted_at=timezone.now())
    question = factories.question(qa, title="Veilige vraag")
    answer = factories.answer(question, author=sneaky, body="Zie <b>dit</b> & https://x.nl/?a=1&b=2")
    factories.comment(question, answer=answer, author=sneaky, body='"<script>alert(1)</script>"')
    client.force_login(member("lezer"))
    html = client.get(question.url).content.decode()
    assert "<img src=x" not in html and "<script>alert(1)" not in html and "<b>dit</b>" not in html
    escaped_name = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Sluw &amp; co"
    assert f"Antwoord van {escaped_name}" in html  # the heading
    assert f'<span class="visually-hidden"> van {escaped_name}</span>' in html  # the vote button
    assert f"— {escaped_name}, <time" in html  # the comment
    assert "&lt;b&gt;dit&lt;/b&gt; &amp; " in html
    assert '<a href="https://x.nl/?a=1&amp;b=2" rel="nofollow ugc">' in html
    assert "&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in html


def test_a_refused_comment_on_an_answer_reopens_that_answers_form_with_the_text(client, question_with_answers):
    question, first, second = question_with_answers
    client.force_login(member("reageerder", trusted_at=timezone.now()))
    response = client.post(f"/vragen/{question.pk}/reacties/", {"body": "te lang " * 100, "answer": second.pk})
    html = response.content.decode()
    assert response.status_code == 400
    field = f"reactie-veld-{second.pk}"
    form = html[html.index(f'<input type="hidden" name="answer" value="{second.pk}">') :]
    form = form[: form.index("</form>")]
    assert f'aria-invalid="true" aria-describedby="{field}-fout {field}-hulp">te lang te lang' in form
    assert f'<p class="field-error" id="{field}-fout">' in form and "te lang: gebruik hoogstens 600 tekens" in form
    assert html.count('<details class="comments__form" open>') == 1
    assert html.index('<details class="comments__form" open>') > html.index(f'id="antwoord-{second.pk}"')
    assert 'aria-invalid="true"' not in html[: html.index(f'id="antwoord-{second.pk}"')]


@pytest.fixture
def question_with_answers(qa):
    question = factories.question(qa, title="Vraag met antwoorden")
    return question, factories.answer(question, body="Eerste."), factories.answer(question, body="Tweede.")


def test_visitors_read_the_thread_without_member_forms(client, question_with_answers):
    question, first, _second = question_with_answers
    factories.comment(question, answer=first, body="Een reactie.")
    response = client.get(question.url)
    html = response.content.decode()
    assert response.status_code == 200 and "Een reactie." in html
    assert 'name="answer"' not in html and "/stem/" not in html and "/melden/" not in html
    assert "Log in om een antwoord te geven." in html
