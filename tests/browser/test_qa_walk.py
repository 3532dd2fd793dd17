"""The Q&A walk in a real browser: ask, answer, vote, comment and accept, with axe-core on each page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from knowledge.questions.models import Answer, AnswerVote, Question
from tests import factories
from tests.community.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord"


def _person(username, name):
    user = member(username=username, display_name=name, trusted_at=timezone.now(), visibility="public")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def qa(tree):
    factories.ThemeFactory(name="Actieve openbaarmaking", slug="actieve-openbaarmaking")
    index = factories.question_index(tree["home"])
    older = factories.question(index, title="Hoe lang bewaren we chatberichten?", asker=_person("lieke", "Lieke"))
    factories.answer(older, author=_person("joost", "Joost"), body="Zo lang als de selectielijst zegt.")
    return index


def _log_in(page, live_server, user):
    page.context.clear_cookies()
    page.goto(live_server.url + "/inloggen/")
    page.locator("input[name=login]").fill(user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form[action='/inloggen/'] button[type=submit]").click()
    page.wait_for_url(live_server.url + "/")


def test_ask_answer_vote_and_accept(live_server, page, axe_check, qa):
    anouk = _person("anouk", "Anouk de Vries")
    bram = _person("bram", "Bram Jansen")
    fatima = _person("fatima", "Fatima El Amrani")

    page.goto(live_server.url + "/vragen/")
    axe_check(page)
    page.get_by_role("link", name="Hoe lang bewaren we chatberichten?").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hoe lang bewaren we chatberichten?"
    axe_check(page)

    # Anouk asks.
    _log_in(page, live_server, anouk)
    page.goto(live_server.url + "/vragen/")
    page.get_by_role("link", name="Stel een vraag").click()
    page.wait_for_url("**/vragen/stel-een-vraag/")
    axe_check(page)
    page.get_by_role("button", name="Plaats je vraag").click()
    assert page.get_by_role("alert").is_visible()
    axe_check(page)  # the page with errors, too
    page.get_by_label("Je vraag in één zin").fill("Moeten conceptnotities mee bij een Woo-verzoek?")
    page.get_by_label("Toelichting").fill("Een inwoner vraagt alle stukken op.\n\nHoren de concepten daarbij?")
    page.get_by_label("Actieve openbaarmaking").check()
    page.get_by_label("Trefwoorden").fill("woo, concepten")
    page.get_by_role("button", name="Plaats je vraag").click()
    page.wait_for_url(re.compile(r".*/vragen/moeten-conceptnotities-mee-bij-een-woo-verzoek/$"))
    assert page.get_by_text("Je vraag staat online.").is_visible()
    assert page.get_by_role("button", name="Niet meer volgen").is_visible()
    axe_check(page)
    question_url = page.url

    # Bram answers.
    _log_in(page, live_server, bram)
    page.goto(question_url)
    page.get_by_label("Je antwoord").fill("Ja, concepten vallen onder de Woo.\n\nLak alleen persoonlijke opvattingen.")
    page.get_by_role("button", name="Plaats je antwoord").click()
    assert page.get_by_text("Je antwoord is geplaatst.").is_visible()
    assert page.get_by_text("Lak alleen persoonlijke opvattingen.").is_visible()
    axe_check(page)

    # Fatima votes, and comments on the answer.
    _log_in(page, live_server, fatima)
    page.goto(question_url)
    page.get_by_role("button", name=re.compile("Stem voor dit antwoord")).click()
    assert page.get_by_text("Je stem is geteld.").is_visible()
    assert page.get_by_text("1 stem", exact=True).is_visible()
    page.get_by_text("Reageer op dit antwoord").click()
    page.get_by_role("textbox", name="Je reactie").last.fill("Dank, dit hielp ons.")
    page.get_by_role("button", name="Plaats je reactie").last.click()
    assert page.get_by_text("Dank, dit hielp ons.").is_visible()
    axe_check(page)

    # Anouk accepts.
    _log_in(page, live_server, anouk)
    page.goto(question_url)
    page.get_by_role("button", name=re.compile("Accepteer dit antwoord")).click()
    assert page.get_by_text("Je hebt dit antwoord geaccepteerd.").is_visible()
    assert page.get_by_text("Geaccepteerd antwoord").first.is_visible()
    axe_check(page)

    question = Question.objects.get(title="Moeten conceptnotities mee bij een Woo-verzoek?")
    answer = Answer.objects.get(question=question)
    assert answer.author == bram and answer.accepted_by == anouk
    assert AnswerVote.objects.filter(answer=answer, voter=fatima).count() == 1
    page.goto(live_server.url + "/vragen/?weergave=actief")
    assert page.get_by_text("✓ Beantwoord").first.is_visible()
    axe_check(page)
