"""Q&A: asking, answering, commenting, voting, accepting, following, closing, and what each reader sees."""

import re

import pytest
from django.utils import timezone

from community.models import ModerationStatus, Notification
from community.services import CommunityError
from community.services.moderation import item_approve, item_hide
from knowledge.questions import services
from knowledge.questions.models import (
    Answer,
    AnswerAnnouncement,
    AnswerRevision,
    AnswerVote,
    Comment,
    Question,
    QuestionFollow,
)
from tests import factories
from tests.community.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def qa(tree):
    return factories.question_index(tree["home"])


@pytest.fixture
def asker(db):
    return member("vrager", display_name="Vera Vrager")


@pytest.fixture
def trusted(db):
    return member("vertrouwd", display_name="Tom Vertrouwd", trusted_at=timezone.now())


@pytest.fixture
def watched(db):
    return member("nieuweling", display_name="Nina Nieuw")


@pytest.fixture
def question(qa, asker):
    return factories.question(qa, title="Hoe anonimiseer je raadsstukken?", asker=asker)


def _answer_url(answer):
    return f"/vragen/antwoorden/{answer.pk}"


# Answers and the trust rules ------------------------------------------------------------------


def test_a_trusted_members_answer_appears_at_once(client, question, trusted):
    client.force_login(trusted)
    response = client.post(f"/vragen/{question.pk}/antwoorden/", {"body": "Gebruik een vaste lijst.\n\nEn test het."})
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert answer.status == ModerationStatus.PUBLISHED and answer.author == trusted
    page = client.get(question.url).content.decode()
    assert "Je antwoord is geplaatst." in page
    assert "<p>Gebruik een vaste lijst.</p>" in page and "<p>En test het.</p>" in page


def test_a_watched_members_answer_waits_and_only_they_and_editors_see_it(client, question, watched, trusted):
    client.force_login(watched)
    client.post(f"/vragen/{question.pk}/antwoorden/", {"body": "Mijn eerste antwoord."})
    answer = Answer.objects.get()
    assert answer.status == ModerationStatus.PENDING
    page = client.get(question.url).content.decode()
    assert "Mijn eerste antwoord." in page and "Wacht op goedkeuring" in page

    client.force_login(trusted)
    assert "Mijn eerste antwoord." not in client.get(question.url).content.decode()
    client.logout()
    assert "Mijn eerste antwoord." not in client.get(question.url).content.decode()
    client.force_login(factories.editor())
    assert "Mijn eerste antwoord." in client.get(question.url).content.decode()


def test_approval_publishes_counts_towards_trust_and_tells_followers(
    question, watched, asker, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_submit(actor=watched, question=question, body="Kijk naar de handreiking.")
    assert not Notification.objects.filter(recipient=asker).exists(), "a waiting answer is not news yet"
    with django_capture_on_commit_callbacks(execute=True):
        item_approve(actor=factories.editor(), item=answer)
    watched.profile.refresh_from_db()
    assert watched.profile.approved_contributions == 1
    told = Notification.objects.get(recipient=asker)
    assert "Nieuw antwoord" in told.message and told.url.endswith(f"#antwoord-{answer.pk}")
    assert any(asker.email in m.to and "Kijk naar de handreiking." in m.body for m in mailoutbox)
    assert not Notification.objects.filter(recipient=watched, message__contains="Nieuw antwoord").exists()


def test_followers_hear_of_a_published_answer_once_and_the_author_not_at_all(
    question, trusted, asker, django_capture_on_commit_callbacks
):
    other = member("meelezer")
    services.question_follow(actor=other, question=question)
    services.question_follow(actor=trusted, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer_submit(actor=trusted, question=question, body="Zo doen wij het.")
    with django_capture_on_commit_callbacks(execute=True):
        answer.save()  # a later save (an edit, a restore) is no new answer
    assert Notification.objects.filter(recipient=asker).count() == 1
    assert Notification.objects.filter(recipient=other).count() == 1
    assert not Notification.objects.filter(recipient=trusted).exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Schrijf eerst je antwoord."),
        ("   \n  ", "Schrijf eerst je antwoord."),
        ("x" * 10_001, "te lang"),
        ("Klik <a href='javascript:alert(1)'>hier</a>", "Gebruik geen HTML"),
        ("<script>alert('hoi')</script>", "Gebruik geen HTML"),
        ("Zie &lt;b&gt; of &#60;img&#62;", "Gebruik geen HTML"),
        ("<img src=x onerror=alert(1)>", "Gebruik geen HTML"),
    ],
)
def test_bad_answers_are_refused_with_a_dutch_message_and_nothing_is_saved(client, question, trusted, body, message):
    client.force_login(trusted)
    response = client.post(f"/vragen/{question.pk}/antwoorden/", {"body": body})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'role="alert"' in page and 'id="id_body_error"' in page and "id_body_error" in page.split("<textarea")[1]
    assert not Answer.objects.exists()
    if body.strip() and len(body) < 1000:
        assert body not in page or "<script>" not in body  # what they typed comes back, escaped
        assert "<script>alert" not in page


def test_ordinary_text_with_less_than_signs_and_links_is_fine_and_escaped(client, question, trusted):
    client.force_login(trusted)
    client.post(
        f"/vragen/{question.pk}/antwoorden/", {"body": "Als 3 < 4 en a>b, lees https://open-overheid.example/woo"}
    )
    page = client.get(question.url).content.decode()
    assert "3 &lt; 4 en a&gt;b" in page
    assert 'href="https://open-overheid.example/woo"' in page and 'rel="nofollow ugc"' in page


def test_answering_a_closed_question_is_refused(client, question, trusted):
    services.question_close(actor=factories.editor(), question=question, reason="off-topic", note="Buiten het thema.")
    client.force_login(trusted)
    response = client.post(f"/vragen/{question.pk}/antwoorden/", {"body": "Toch een antwoord."})
    assert response.status_code == 400
    assert "Deze vraag is gesloten" in response.content.decode()
    assert not Answer.objects.exists()
    with pytest.raises(CommunityError, match="gesloten"):
        services.comment_submit(actor=trusted, question=question, body="En een reactie.")
    assert not Comment.objects.exists()


def test_visitors_are_asked_to_log_in_and_cannot_post(client, question):
    page = client.get(question.url).content.decode()
    assert "Log in om een antwoord te geven." in page
    response = client.post(f"/vragen/{question.pk}/antwoorden/", {"body": "Anoniem"})
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert not Answer.objects.exists()


# Editing keeps history -------------------------------------------------------------------------


def test_editing_an_answer_keeps_the_earlier_version_visible(client, question, trusted):
    answer = services.answer_submit(actor=trusted, question=question, body="Eerste versie van mijn antwoord.")
    client.force_login(trusted)
    response = client.post(f"{_answer_url(answer)}/bewerken/", {"body": "Verbeterde versie van mijn antwoord."})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == "Verbeterde versie van mijn antwoord." and answer.edited_at is not None
    revision = AnswerRevision.objects.get(answer=answer)
    assert revision.body == "Eerste versie van mijn antwoord." and revision.written_by == trusted
    page = client.get(question.url).content.decode()
    assert "bewerkt op" in page and "1 eerdere versie" in page
    assert "Eerste versie van mijn antwoord." in page and "Verbeterde versie" in page


def test_a_watched_members_edit_waits_for_approval_again(question, watched):
    answer = factories.answer(question, author=watched, body="Goedgekeurde tekst.")
    services.answer_edit(actor=watched, answer=answer, body="Nieuwe tekst met een reclamelink.")
    answer.refresh_from_db()
    assert answer.status == ModerationStatus.PENDING
    assert answer.revisions.get().body == "Goedgekeurde tekst."


def test_only_the_author_or_an_editor_edits_and_bad_edits_change_nothing(client, question, trusted):
    answer = factories.answer(question, author=trusted, body="Origineel.")
    client.force_login(member("iemand-anders"))
    assert client.get(f"{_answer_url(answer)}/bewerken/").status_code == 404
    with pytest.raises(CommunityError, match="eigen antwoorden"):
        services.answer_edit(actor=member("nog-iemand"), answer=answer, body="Gekaapt.")
    client.force_login(trusted)
    response = client.post(f"{_answer_url(answer)}/bewerken/", {"body": "<b>vet</b>"})
    assert response.status_code == 400 and "Gebruik geen HTML" in response.content.decode()
    with pytest.raises(CommunityError, match="niets veranderd"):
        services.answer_edit(actor=trusted, answer=answer, body="Origineel.")
    answer.refresh_from_db()
    assert answer.body == "Origineel." and not answer.revisions.exists()
    services.answer_edit(actor=factories.editor(), answer=answer, body="Door de redactie ingekort.")
    assert answer.revisions.get().written_by == trusted


# Votes -----------------------------------------------------------------------------------------


def test_one_vote_per_member_which_can_be_withdrawn(client, question, trusted):
    answer = factories.answer(question, author=trusted)
    voter = member("stemmer")
    client.force_login(voter)
    client.post(f"{_answer_url(answer)}/stem/")
    client.post(f"{_answer_url(answer)}/stem/")  # a double click
    assert AnswerVote.objects.filter(answer=answer).count() == 1
    page = client.get(question.url).content.decode()
    assert "1 stem" in page and "Trek je stem in" in page
    client.post(f"{_answer_url(answer)}/stem/", {"actie": "intrekken"})
    assert not AnswerVote.objects.exists()
    assert "0 stemmen" in client.get(question.url).content.decode()


def test_no_vote_on_your_own_answer(client, question, trusted):
    answer = factories.answer(question, author=trusted)
    client.force_login(trusted)
    assert "Stem voor dit antwoord" not in client.get(question.url).content.decode()
    response = client.post(f"{_answer_url(answer)}/stem/", follow=True)
    assert "Je kunt niet op je eigen antwoord stemmen." in response.content.decode()
    assert not AnswerVote.objects.exists()


@pytest.mark.parametrize("status", [ModerationStatus.HIDDEN, ModerationStatus.PENDING, ModerationStatus.REJECTED])
def test_no_vote_on_an_answer_that_is_not_published(client, question, status):
    answer = factories.answer(question, status=status)
    voter = member("stemmer")
    with pytest.raises(CommunityError, match="Op dit antwoord kun je niet stemmen"):
        services.answer_vote(actor=voter, answer=answer)
    client.force_login(voter)
    response = client.post(f"{_answer_url(answer)}/stem/", follow=True)
    assert "Op dit antwoord kun je niet stemmen" in response.content.decode()
    assert not AnswerVote.objects.exists()


def test_hiding_an_answer_takes_it_and_its_votes_off_the_page(client, question, trusted):
    answer = factories.answer(question, author=trusted, body="Wordt gemeld en verborgen.")
    services.answer_vote(actor=member("stemmer"), answer=answer)
    item_hide(item=answer, reason="Drie meldingen")
    assert "Wordt gemeld en verborgen." not in client.get(question.url).content.decode()


# Accepting -------------------------------------------------------------------------------------


def test_the_asker_accepts_an_answer_which_then_comes_first(client, question, asker, trusted):
    early = factories.answer(question, author=member("vroeg"), body="Het eerste antwoord.")
    late = factories.answer(question, author=trusted, body="Het beste antwoord.")
    services.answer_vote(actor=member("fan"), answer=early)
    client.force_login(asker)
    response = client.post(f"{_answer_url(late)}/accepteren/", {"vraag": question.pk})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.accepted_at is not None and late.accepted_by == asker
    page = client.get(question.url).content.decode()
    assert page.index("Het beste antwoord.") < page.index("Het eerste antwoord.")
    assert "Geaccepteerd antwoord" in page and "Beantwoord" in page


def test_accepting_another_answer_replaces_the_first_and_an_editor_may_too(question, asker, trusted):
    first, second = factories.answer(question, author=trusted), factories.answer(question, author=member("ander"))
    services.answer_accept(actor=asker, question=question, answer=first)
    services.answer_accept(actor=factories.editor(), question=question, answer=second)
    assert list(Answer.objects.filter(accepted_at__isnull=False)) == [second]
    services.answer_unaccept(actor=asker, question=question, answer=second)
    assert not Answer.objects.filter(accepted_at__isnull=False).exists()


def test_only_the_asker_or_an_editor_accepts(client, question, trusted):
    answer = factories.answer(question, author=trusted)
    client.force_login(trusted)
    assert "Accepteer dit antwoord" not in client.get(question.url).content.decode()
    response = client.post(f"{_answer_url(answer)}/accepteren/", {"vraag": question.pk}, follow=True)
    assert "Alleen wie de vraag stelde of de redactie" in response.content.decode()
    answer.refresh_from_db()
    assert answer.accepted_at is None


def test_accepting_an_answer_of_another_question_is_refused_and_changes_nothing(client, qa, question, asker):
    mine = factories.answer(question, author=member("a"))
    services.answer_accept(actor=asker, question=question, answer=mine)
    elsewhere = factories.question(qa, title="Een andere vraag", asker=member("b"))
    foreign = factories.answer(elsewhere, author=member("c"))
    with pytest.raises(CommunityError, match="Dit antwoord hoort niet bij deze vraag."):
        services.answer_accept(actor=asker, question=question, answer=foreign)
    client.force_login(asker)
    response = client.post(f"{_answer_url(foreign)}/accepteren/", {"vraag": question.pk}, follow=True)
    assert "Dit antwoord hoort niet bij deze vraag." in response.content.decode()
    assert list(Answer.objects.filter(accepted_at__isnull=False)) == [mine]


def test_a_hidden_or_waiting_answer_cannot_be_accepted(question, asker):
    for status in (ModerationStatus.HIDDEN, ModerationStatus.PENDING):
        answer = factories.answer(question, status=status)
        with pytest.raises(CommunityError, match="gepubliceerd"):
            services.answer_accept(actor=asker, question=question, answer=answer)
    assert not Answer.objects.filter(accepted_at__isnull=False).exists()


def test_acceptance_is_told_to_followers_and_the_answers_author(
    question, asker, trusted, django_capture_on_commit_callbacks, mailoutbox
):
    follower = member("volger")
    services.question_follow(actor=follower, question=question)
    answer = factories.answer(question, author=trusted)
    AnswerAnnouncement.objects.create(answer=answer)
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(actor=asker, question=question, answer=answer)
    assert Notification.objects.get(recipient=follower).message.startswith("Er is een antwoord geaccepteerd")
    assert "is geaccepteerd" in Notification.objects.get(recipient=trusted).message
    assert not Notification.objects.filter(recipient=asker).exists()
    assert {address for m in mailoutbox for address in m.to} == {follower.email, trusted.email}


# Comments --------------------------------------------------------------------------------------


def test_comments_on_the_question_and_on_an_answer(client, question, trusted):
    answer = factories.answer(question, author=member("antwoorder"))
    client.force_login(trusted)
    client.post(f"/vragen/{question.pk}/reacties/", {"body": "Welke gemeente?"})
    client.post(f"/vragen/{question.pk}/reacties/", {"body": "Mooi antwoord!", "answer": answer.pk})
    on_question, on_answer = Comment.objects.order_by("pk")
    assert on_question.answer is None and on_answer.answer == answer
    page = client.get(question.url).content.decode()
    assert f'id="reactie-{on_question.pk}"' in page and "Welke gemeente?" in page
    assert page.index(f'id="antwoord-{answer.pk}"') < page.index("Mooi antwoord!")


def test_bad_comments_are_refused_and_keep_the_text(client, qa, question, trusted):
    other = factories.question(qa, title="Andere vraag", asker=member("x"))
    foreign = factories.answer(other)
    hidden = factories.answer(question, status=ModerationStatus.HIDDEN)
    client.force_login(trusted)
    response = client.post(f"/vragen/{question.pk}/reacties/", {"body": "x" * 601})
    assert response.status_code == 400 and "te lang" in response.content.decode()
    response = client.post(f"/vragen/{question.pk}/reacties/", {"body": "Hallo", "answer": foreign.pk})
    assert response.status_code == 400 and "Dit antwoord hoort niet bij deze vraag." in response.content.decode()
    with pytest.raises(CommunityError, match="niet \\(meer\\) zichtbaar"):
        services.comment_submit(actor=trusted, question=question, answer=hidden, body="Hallo")
    response = client.post(f"/vragen/{question.pk}/reacties/", {"body": "<script>x</script>"})
    assert response.status_code == 400 and "&lt;script&gt;x&lt;/script&gt;" in response.content.decode()
    assert not Comment.objects.exists()


def test_a_watched_members_comment_waits(question, watched):
    comment = services.comment_submit(actor=watched, question=question, body="Eerste reactie.")
    assert comment.status == ModerationStatus.PENDING


# Following -------------------------------------------------------------------------------------


def test_members_follow_and_unfollow_and_pressing_twice_changes_nothing(client, question):
    reader = member("lezer")
    client.force_login(reader)
    client.post(f"/vragen/{question.pk}/volgen/")
    client.post(f"/vragen/{question.pk}/volgen/")
    assert QuestionFollow.objects.filter(question=question, user=reader).count() == 1
    assert "Niet meer volgen" in client.get(question.url).content.decode()
    client.post(f"/vragen/{question.pk}/volgen/", {"actie": "ontvolgen"})
    assert not QuestionFollow.objects.filter(question=question, user=reader).exists()


# Asking ----------------------------------------------------------------------------------------


def test_a_trusted_member_asks_and_the_question_is_online_and_followed(client, qa, trusted):
    theme = factories.ThemeFactory(name="Woo", slug="woo")
    client.force_login(trusted)
    assert client.get("/vragen/stel-een-vraag/").status_code == 200
    response = client.post(
        "/vragen/stel-een-vraag/",
        {
            "title": "Mag een raadslid alles delen?",
            "body": "Wij twijfelen.\n\nWat zeggen jullie?",
            "themes": [theme.pk],
            "tags": "raad, delen",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response["Location"] == question.url
    assert question.live and question.owner == trusted and question.summary == "Wij twijfelen."
    assert [t.slug for t in question.themes] == ["woo"] and sorted(t.name for t in question.tags.all()) == [
        "delen",
        "raad",
    ]
    assert QuestionFollow.objects.filter(question=question, user=trusted).exists()


def test_a_watched_members_question_is_a_proposal_for_the_editors(client, qa, watched):
    from community.contributions.models import Contribution

    client.force_login(watched)
    form = client.get("/vragen/stel-een-vraag/").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', form).group(1)
    data = {"title": "Mijn eerste vraag?", "body": "Toelichting.", "token": token}
    response = client.post("/vragen/stel-een-vraag/", data)
    client.post("/vragen/stel-een-vraag/", data)  # pressed twice
    question = Question.objects.get()
    assert response.status_code == 302 and not question.live and question.owner == watched
    contribution = Contribution.objects.get()
    assert contribution.page_id == question.pk and contribution.author == watched
    assert question.workflow_states.filter(status="in_progress").exists()
    assert QuestionFollow.objects.filter(question=question, user=watched).exists()
    assert "Mijn eerste vraag?" not in client.get("/vragen/").content.decode()
    client.logout()
    assert client.get(f"/vragen/{question.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "body": "Toelichting"}, "Schrijf eerst je titel."),
        ({"title": "<script>alert(1)</script>", "body": "Toelichting"}, "Gebruik geen HTML"),
        ({"title": "Vraag", "body": "x" * 10_001}, "te lang"),
        ({"title": "Vraag", "body": "<iframe src=//evil>"}, "Gebruik geen HTML"),
    ],
)
def test_bad_questions_are_refused(client, qa, trusted, data, message):
    client.force_login(trusted)
    response = client.post("/vragen/stel-een-vraag/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_can_be_asked_only_in_your_own_werkgroep(qa, trusted):
    from tests.community.factories import working_group

    group = working_group("Andermans werkgroep")
    with pytest.raises(CommunityError, match="werkgroep waaraan je deelneemt"):
        services.question_ask(actor=trusted, index=qa, title="Geheim?", body="Tekst", group=group)
    assert not Question.objects.exists()


# Closing ---------------------------------------------------------------------------------------


def test_an_editor_closes_a_duplicate_which_links_to_the_original(client, qa, question):
    original = factories.question(qa, title="De oorspronkelijke vraag", asker=member("eerste"))
    redactie = factories.editor()
    client.force_login(redactie)
    client.post(
        f"/vragen/{question.pk}/sluiten/", {"reason": "duplicate", "duplicate_of": original.pk, "note": "Zie daar."}
    )
    question.refresh_from_db()
    assert question.is_closed and question.duplicate_of == original
    client.logout()
    page = client.get(question.url).content.decode()
    assert "Deze vraag is gesloten." in page and f'href="{original.url}"' in page and "Gesloten" in page
    with pytest.raises(CommunityError, match="dubbele"):
        services.question_close(actor=redactie, question=original, reason="duplicate")
    with pytest.raises(CommunityError, match="Alleen de redactie"):
        services.question_close(actor=member("lid"), question=original, reason="off-topic")
    services.question_reopen(actor=redactie, question=question)
    question.refresh_from_db()
    assert not question.is_closed and question.duplicate_of is None


# The admin -------------------------------------------------------------------------------------


def test_editors_edit_and_close_a_question_in_the_admin(client, qa, question):
    from tests.factories import editor

    redactie = editor()
    redactie.is_superuser = True
    redactie.save()
    client.force_login(redactie)
    edit = client.get(f"/beheer/pages/{question.pk}/edit/")
    assert edit.status_code == 200 and "close_reason" in edit.content.decode()
    assert client.get(f"/beheer/pages/add/knowledge/question/{qa.pk}/").status_code == 200


# Member text as HTML ---------------------------------------------------------------------------


def test_member_text_becomes_paragraphs_with_safe_links_only():
    from knowledge.questions.text import line, paragraphs

    html = paragraphs('Zie https://overheid.nl/woo.\nTweede regel\n\n"https://x.nl/?a=1&b=2" en javascript:alert(1)')
    assert html == (
        '<p>Zie <a href="https://overheid.nl/woo" rel="nofollow ugc">https://overheid.nl/woo</a>.<br>Tweede regel</p>'
        '<p>&quot;<a href="https://x.nl/?a=1&amp;b=2" rel="nofollow ugc">https://x.nl/?a=1&amp;b=2</a>&quot; '
        "en javascript:alert(1)</p>"
    )
    assert line("<b>vet</b>\nregel") == "&lt;b&gt;vet&lt;/b&gt;<br>regel"


def test_a_watched_member_asks_within_their_werkgroep(qa, watched):
    from tests.community.factories import working_group

    group = working_group("Mijn werkgroep", members=[watched])
    question = services.question_ask(actor=watched, index=qa, title="Alleen voor ons?", body="Tekst", group=group)
    restriction = question.view_restrictions.get()
    assert group.access_group in restriction.groups.all() and not question.live


def test_published_answers_can_be_reported_by_other_members(client, question, trusted):
    from django.contrib.contenttypes.models import ContentType

    answer = factories.answer(question, author=trusted, body="Meldbaar antwoord.")
    waiting = factories.answer(question, author=member("wachter"), status=ModerationStatus.PENDING)
    report_path = f"/{ContentType.objects.get_for_model(Answer).pk}/{answer.pk}/"
    client.force_login(member("melder"))
    page = client.get(question.url).content.decode()
    assert "Melden" in page and report_path in page
    assert f"/{ContentType.objects.get_for_model(Answer).pk}/{waiting.pk}/" not in page
    client.force_login(trusted)
    assert report_path not in client.get(question.url).content.decode(), "not your own answer"


def test_readers_order_answers_by_votes_or_newest_with_the_accepted_one_first(client, question, asker):
    first = factories.answer(question, author=member("eerste"), body="Eerste antwoord.")
    popular = factories.answer(question, author=member("populair"), body="Populair antwoord.")
    factories.answer(question, author=member("nieuwste"), body="Nieuwste antwoord.")
    for n in range(2):
        services.answer_vote(actor=member(f"fan{n}"), answer=popular)

    def order(query=""):
        html = client.get(question.url + query).content.decode()
        return sorted(["Eerste", "Populair", "Nieuwste"], key=lambda word: html.index(f"{word} antwoord."))

    assert order() == ["Populair", "Eerste", "Nieuwste"]
    assert order("?sorteer=nieuwste") == ["Nieuwste", "Populair", "Eerste"]
    services.answer_accept(actor=asker, question=question, answer=first)
    assert order() == ["Eerste", "Populair", "Nieuwste"]
    assert order("?sorteer=nieuwste") == ["Eerste", "Nieuwste", "Populair"]
