"""Members propose dilemmas on the site; editors approve them in the admin ("Redactie" workflow)."""

import pytest
from wagtail.models import Page

from community.contributions.models import Contribution, ContributionState
from knowledge.dilemmas.forms import DilemmaContributionForm
from knowledge.dilemmas.models import Dilemma
from tests.community.contribution_helpers import decide
from tests.community.factories import member
from tests.factories import ThemeFactory, dilemma, dilemma_index, editor

pytestmark = pytest.mark.django_db

NEW_URL = "/bijdragen/nieuw/dilemma/"


@pytest.fixture
def index(tree):
    return dilemma_index(tree["home"])


def proposal(form_id="t-1", options=2, **changes):
    data = {
        "token": form_id,
        "title": "Camerabeelden van een rel openbaar maken?",
        "summary": "Een journalist vroeg om beelden van een rel in het centrum.",
        "situation": "Na een rel vroeg een journalist om alle beelden van de gemeentelijke camera's.",
        "involved": "De burgemeester, de politie en de journalist.",
        "values": ["openheid", "privacy"],
        "tension": "Verantwoording over het optreden tegenover de privacy van omstanders.",
        "decision": "",
        "lessons": "Maak een protocol.",
        "organisation_type": "gemeente",
        "government_level": "gemeente",
        "year": "2024",
        "tags": "camerabeelden, rel",
        "edit_summary": "",
        "actie": "versturen",
        "optie-TOTAL_FORMS": str(options),
        "optie-INITIAL_FORMS": "0",
        "optie-MIN_NUM_FORMS": "2",
        "optie-MAX_NUM_FORMS": "6",
    }
    for number in range(options):
        data |= {
            f"optie-{number}-title": f"Optie {number + 1}",
            f"optie-{number}-arguments_for": "Eerste argument\nTweede argument",
            f"optie-{number}-arguments_against": "Een bezwaar",
        }
    return data | changes


def test_a_member_proposes_a_dilemma_that_waits_for_the_editors(client, index):
    theme = ThemeFactory(slug="privacy-en-openheid")
    author = member()
    client.force_login(author)
    assert client.get(NEW_URL).status_code == 200
    response = client.post(NEW_URL, proposal(themes=[str(theme.pk)]))
    assert response.status_code == 302
    contribution = Contribution.objects.get(author=author)
    assert contribution.state == ContributionState.WAITING
    assert response["Location"] == contribution.get_absolute_url()
    page = Dilemma.objects.get(pk=contribution.page_id)
    assert not page.live
    draft = page.latest_revision.as_object()
    assert [option.title for option in draft.options.all()] == ["Optie 1", "Optie 2"]
    assert draft.values == ["openheid", "privacy"] and draft.year == 2024
    assert [link.theme_id for link in draft.theme_links.all()] == [theme.pk]

    detail = client.get(contribution.get_absolute_url()).content.decode()
    assert "Eerste argument" in detail and "Verantwoording over het optreden" in detail
    assert "Camerabeelden van een rel" in client.get("/mijn-bijdragen/").content.decode()
    assert "Camerabeelden van een rel" not in client.get(index.url).content.decode()

    client.logout()
    assert "Camerabeelden van een rel" not in client.get(index.url).content.decode()

    editor_client = client.__class__()
    editor_client.force_login(editor())
    decide(editor_client, contribution, "approve")
    page.refresh_from_db()
    assert page.live
    assert [option.title for option in page.options.all()] == ["Optie 1", "Optie 2"]
    html = client.get(page.url).content.decode()
    assert "Eerste argument" in html and "Maak een protocol." in html
    assert "Camerabeelden van een rel" in client.get(index.url).content.decode()


def test_visitors_are_asked_to_log_in_before_proposing(client, index):
    response = client.get(NEW_URL)
    assert response.status_code == 302 and "/inloggen/" in response["Location"]
    assert client.post(NEW_URL, proposal()).status_code == 302
    assert not Dilemma.objects.exists()


def test_one_option_is_not_a_dilemma(client, index):
    client.force_login(member())
    response = client.post(NEW_URL, proposal(options=1))
    assert response.status_code == 400
    assert "Je voorstel is nog niet verstuurd" in response.content.decode()
    assert not Dilemma.objects.exists() and not Contribution.objects.exists()


def test_missing_fields_are_named_and_linked_and_the_text_is_kept(client, index):
    client.force_login(member())
    response = client.post(NEW_URL, proposal(situation="", values=[], year="2999"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_situation"' in html and 'href="#id_year"' in html
    assert "toekomst" in html
    assert 'aria-describedby="id_situation_helptext id_situation_error"' in html
    assert "Verantwoording over het optreden" in html, "what the member typed stays in the form"


def test_adding_an_option_without_javascript_keeps_what_was_typed(client, index):
    client.force_login(member())
    response = client.post(NEW_URL, proposal(actie="optie-toevoegen"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="optie-2-title"' in html and 'value="Optie 2"' in html
    assert "Verantwoording over het optreden" in html
    assert "Je voorstel is nog niet verstuurd" not in html
    assert not Dilemma.objects.exists()


def test_a_preview_shows_the_dilemma_and_saves_nothing(client, index):
    client.force_login(member())
    response = client.post(NEW_URL, proposal(actie="voorbeeld"))
    html = response.content.decode()
    assert response.status_code == 200 and "Voorbeeld: zo komt het eruit te zien" in html
    assert "Eerste argument" in html
    assert not Dilemma.objects.exists()


def test_pressing_send_twice_makes_one_proposal(client, index):
    client.force_login(member())
    client.post(NEW_URL, proposal(form_id="dubbel"))
    client.post(NEW_URL, proposal(form_id="dubbel"))
    assert Dilemma.objects.count() == 1 and Contribution.objects.count() == 1


def test_script_in_a_proposal_never_reaches_a_reader_as_markup(client, index):
    author = member()
    client.force_login(author)
    client.post(
        NEW_URL,
        proposal(situation='Het begon zo <script>alert("x")</script> en <img src=x onerror=alert(1)>.'),
    )
    contribution = Contribution.objects.get()
    editor_client = client.__class__()
    editor_client.force_login(editor())
    decide(editor_client, contribution, "approve")
    html = client.get(Dilemma.objects.get().url).content.decode()
    assert "Het begon zo" in html
    assert "<script>alert" not in html and "<img src=x" not in html


def test_an_edit_cannot_take_over_an_option_of_another_dilemma(index):
    mine, other = dilemma(index, title="Mijn dilemma"), dilemma(index, title="Ander dilemma")
    foreign = other.options.first()
    content = DilemmaContributionForm.content_of(mine)
    content["options"][0]["id"] = str(foreign.pk)
    draft = mine.latest_revision.as_object()
    DilemmaContributionForm.apply(draft, content)
    assert draft.options.all()[0].pk is None
    own_ids = {option.pk for option in mine.options.all()}
    assert {option.pk for option in draft.options.all()[1:]} <= own_ids
    foreign.refresh_from_db()
    assert foreign.page_id == other.pk


def test_editing_keeps_the_options_and_the_choices_for_them(index):
    from knowledge.dilemmas.services import choice_make

    page = dilemma(index)
    kept = page.options.all()[1]
    chooser = member()
    choice_make(actor=chooser, dilemma=page, option_id=kept.pk)
    content = DilemmaContributionForm.content_of(page)
    content["options"][1]["value"]["title"] = "Eerst lakken, dan publiceren"
    draft = page.latest_revision.as_object()
    DilemmaContributionForm.apply(draft, content)
    draft.save_revision(user=chooser).publish(user=editor(), skip_permission_checks=True)
    page = Page.objects.get(pk=page.pk).specific
    assert page.options.all()[1].pk == kept.pk
    assert page.options.all()[1].title == "Eerst lakken, dan publiceren"
    assert page.choices.get(user=chooser).option_id == kept.pk


def _edit_form(client, page):
    """The site's edit form as the member opens it, posted back as the browser would (all fields as shown)."""
    from bs4 import BeautifulSoup

    html = client.get(f"/bijdragen/bewerken/{page.pk}/").content.decode()
    form = BeautifulSoup(html, "html.parser").select_one("form.dilemma-form")
    data = {}
    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data | {"actie": "versturen", "edit_summary": "Opties aangescherpt"}


def test_a_member_edits_a_dilemma_on_the_site_and_the_choices_stay(client, index):
    from knowledge.dilemmas.services import choice_make

    page = dilemma(index)
    kept = page.options.all()[1]
    chooser = member()
    choice_make(actor=chooser, dilemma=page, option_id=kept.pk)
    author = member()
    client.force_login(author)
    data = _edit_form(client, page)
    assert data["optie-1-title"] == kept.title and data["optie-1-uid"] == str(kept.pk)
    data["optie-1-title"] = "Eerst lakken, dan publiceren"
    response = client.post(f"/bijdragen/bewerken/{page.pk}/", data)
    assert response.status_code == 302
    contribution = Contribution.objects.get(author=author)
    assert contribution.state == ContributionState.WAITING
    assert Dilemma.objects.get(pk=page.pk).options.all()[1].title == kept.title, "live page unchanged until approval"

    editor_client = client.__class__()
    editor_client.force_login(editor())
    decide(editor_client, contribution, "approve")
    page = Dilemma.objects.get(pk=page.pk)
    assert page.options.all()[1].pk == kept.pk and page.options.all()[1].title == "Eerst lakken, dan publiceren"
    assert page.choices.get(user=chooser).option_id == kept.pk


def test_two_members_changing_different_options_are_merged(client, index):
    page = dilemma(index)
    anouk, bram = member(), member()
    for person in (anouk, bram):
        member_trust_all(person)
    client.force_login(anouk)
    anouk_form = _edit_form(client, page)
    client.force_login(bram)
    bram_form = _edit_form(client, page)
    anouk_form["optie-0-arguments_for"] = "Voor\nAnouks argument"
    bram_form["optie-2-arguments_against"] = "Tegen\nBrams bezwaar"
    client.force_login(anouk)
    assert client.post(f"/bijdragen/bewerken/{page.pk}/", anouk_form).status_code == 302
    client.force_login(bram)
    assert client.post(f"/bijdragen/bewerken/{page.pk}/", bram_form).status_code == 302
    page = Dilemma.objects.get(pk=page.pk)
    options = list(page.options.all())
    assert "Anouks argument" in options[0].arguments_for
    assert "Brams bezwaar" in options[2].arguments_against


def member_trust_all(person):
    from community.services.trust import member_trust

    member_trust(actor=editor(), member=person, trusted=True)
