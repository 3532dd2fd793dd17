"""Building blocks for tests: people, themes, the site tree and articles with published versions."""

import uuid

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from wagtail.models import Locale, Page, Site

from knowledge.models import KnowledgeArticle, KnowledgeIndexPage, PageTheme, Theme
from website.models import HomePage


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"lid{n}")
    first_name = factory.Sequence(lambda n: f"Voornaam{n}")
    last_name = "Achternaam"
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("geheim-wachtwoord")


def editor(username="redacteur"):
    """A member of Wagtail's "Moderators" group; rebuilt when a browser test flushed the migrations' data."""
    from django.contrib.auth.models import Permission

    user = UserFactory(username=username)
    group, created = Group.objects.get_or_create(name="Moderators")
    if created:
        group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    user.groups.add(group)
    return user


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Thema {n}")
    slug = factory.Sequence(lambda n: f"thema-{n}")
    description = "Een thema om mee te testen."


def _root():
    """Wagtail's root page; rebuilt when a transactional (browser) test flushed the migrations' data."""
    root = Page.get_first_root_node()
    if root is None:
        locale, _ = Locale.objects.get_or_create(language_code="nl")
        root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
        Site.objects.create(hostname="localhost", root_page=root, is_default_site=True)
    return root


def site_tree():
    """The home page as the default site's root, with the Kennisbank under it."""
    root = _root()
    home = root.add_child(
        instance=HomePage(
            title="Alliantie Open Overheid",
            slug="alliantie",
            intro_title="Samen werken aan een open overheid",
            intro="<p>Een netwerk voor kennis en ervaring.</p>",
            join_title="Doe mee",
            join_text="<p>Aanmelden is gratis.</p>",
        )
    )
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = home.add_child(instance=KnowledgeIndexPage(title="Kennisbank", slug="kennisbank"))
    return home, index


def paragraph(text, block_id=None):
    return {"type": "paragraph", "value": f"<p>{text}</p>", "id": block_id or str(uuid.uuid4())}


def heading(text, block_id=None):
    return {"type": "heading", "value": {"text": text, "level": "h2"}, "id": block_id or str(uuid.uuid4())}


def article(
    index,
    *,
    title="Wat de Woo vraagt",
    author=None,
    body=None,
    themes=(),
    tags=(),
    summary=None,
    edit_summary="Eerste versie",
    publish=True,
):
    author = author or UserFactory()
    page = KnowledgeArticle(
        title=title,
        slug=None,
        summary=summary or f"Samenvatting van {title}.",
        body=body
        if body is not None
        else [heading("Inleiding"), paragraph("De Wet open overheid geldt voor iedereen.")],
        edit_summary=edit_summary,
        owner=author,
        live=publish,
    )
    page.slug = uuid.uuid4().hex[:12]
    index.add_child(instance=page)
    for order, theme in enumerate(themes):
        page.theme_links.add(PageTheme(theme=theme, sort_order=order))
    page.tags.add(*tags)
    revision = page.save_revision(user=author)
    if publish:
        revision.publish(user=author, skip_permission_checks=True)
    return KnowledgeArticle.objects.get(pk=page.pk)


def publish_edit(page, *, author, body=None, edit_summary="", title=None):
    page = KnowledgeArticle.objects.get(pk=page.pk)
    if body is not None:
        page.body = body
    if title is not None:
        page.title = title
    page.edit_summary = edit_summary
    revision = page.save_revision(user=author)
    revision.publish(user=author, skip_permission_checks=True)
    page.refresh_from_db()
    return revision


# Q&A (knowledge.questions) ------------------------------------------------------------------------


def question_index(home):
    from knowledge.questions.models import QuestionIndexPage

    existing = QuestionIndexPage.objects.first()
    if existing is not None:
        return existing
    return home.add_child(instance=QuestionIndexPage(title="Vragen", slug="vragen", intro="Vragen van leden."))


def question(index, *, title="Hoe pak je een Woo-verzoek aan?", asker=None, body=None, themes=(), tags=(), **fields):
    """A published question; the asker (the page's owner) follows it, as when asked on the site."""
    from knowledge.questions.models import Question, QuestionFollow

    asker = asker or UserFactory()
    page = Question(
        title=title,
        slug=uuid.uuid4().hex[:12],
        summary=f"Samenvatting van {title}",
        body=body or "Wij krijgen steeds meer verzoeken.\n\nHoe organiseren jullie dat?",
        owner=asker,
        **fields,
    )
    index.add_child(instance=page)
    for order, theme in enumerate(themes):
        page.theme_links.add(PageTheme(theme=theme, sort_order=order))
    page.tags.add(*tags)
    page.save_revision(user=asker).publish(user=asker, skip_permission_checks=True)
    QuestionFollow.objects.get_or_create(question=page, user=asker)
    return Question.objects.get(pk=page.pk)


def answer(
    question, *, author=None, body="Begin met een goed overzicht van je documenten.", status="published", **fields
):
    """An answer as stored (status chosen directly); services are tested through their own calls."""
    from knowledge.questions.models import Answer

    return Answer.objects.create(question=question, author=author or UserFactory(), body=body, status=status, **fields)


def comment(question, *, author=None, answer=None, body="Goede vraag!", status="published"):
    from knowledge.questions.models import Comment

    return Comment.objects.create(
        question=question, answer=answer, author=author or UserFactory(), body=body, status=status
    )


def dilemma_index(home):
    """The one dilemma index (/dilemmas/) under the home page."""
    from knowledge.dilemmas.demo import index_page

    return index_page(home)


def dilemma(
    index,
    *,
    title="Raadsstukken met persoonsgegevens",
    options=("Alles publiceren", "Eerst lakken", "Alleen een samenvatting"),
    themes=(),
    tags=(),
    author=None,
    publish=True,
    **fields,
):
    """A dilemma with its options (titles), published by its author unless `publish=False`."""
    from knowledge.dilemmas.models import Dilemma, DilemmaOption

    author = author or UserFactory()
    defaults = {
        "summary": f"Samenvatting van {title}.",
        "situation": "De griffie zette een bijlage met namen en adressen online.",
        "tension": "Openheid van raadsstukken tegenover de privacy van indieners.",
        "values": ["openheid", "privacy"],
        "edit_summary": "Eerste versie",
    }
    page = Dilemma(title=title, slug=uuid.uuid4().hex[:12], owner=author, live=publish, **{**defaults, **fields})
    page.options = [
        DilemmaOption(title=option, arguments_for="Voor", arguments_against="Tegen", sort_order=order)
        for order, option in enumerate(options)
    ]
    index.add_child(instance=page)
    for order, theme in enumerate(themes):
        page.theme_links.add(PageTheme(theme=theme, sort_order=order))
    page.tags.add(*tags)
    revision = page.save_revision(user=author)
    if publish:
        revision.publish(user=author, skip_permission_checks=True)
    return Dilemma.objects.get(pk=page.pk)
