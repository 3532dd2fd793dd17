"""Demo dilemmas (website/demo/dilemmas.json): the index under the home page, the cases, members'
choices and a few reactions. Safe to run again: what exists (matched by slug) is kept as it is."""

import json
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from community.models import ModerationStatus
from knowledge.dilemmas.models import Dilemma, DilemmaIndexPage, DilemmaOption, DilemmaReaction, DilemmaRelatedPage
from knowledge.dilemmas.services import choice_make
from knowledge.models import PageTheme, Theme

DEMO_FILE = Path(__file__).resolve().parents[2] / "website" / "demo" / "dilemmas.json"
EDITOR = "redactie"


def load(home, *, data=None):
    """Create the dilemma index and the demo dilemmas under `home`; returns the index."""
    data = data or json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    index = index_page(home, **data["index"])
    people = {user.username: user for user in get_user_model().objects.filter(is_active=True)}
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    existing = set(Dilemma.objects.child_of(index).values_list("slug", flat=True))
    start = timezone.now() - timedelta(days=300)
    for number, item in enumerate(data["dilemmas"]):
        if item["slug"] not in existing:
            _dilemma(index, item, people, themes, start + timedelta(days=number * 29))
    by_slug = {page.slug: page for page in Page.objects.filter(slug__in=_all_related(data)).specific()}
    for item in data["dilemmas"]:
        page = Dilemma.objects.get(slug=item["slug"])
        if not page.related_links.exists():
            targets = [by_slug[slug] for slug in item.get("related", []) if slug in by_slug]
            for order, target in enumerate(targets):
                DilemmaRelatedPage.objects.create(page=page, target=target, sort_order=order)
        _participation(page, item, people)
    return index


def index_page(home, *, title="Dilemma's", slug="dilemmas", intro=""):
    index = DilemmaIndexPage.objects.first()
    if index is None:
        index = home.add_child(instance=DilemmaIndexPage(title=title, slug=slug, intro=intro))
    return index


def _all_related(data):
    return {slug for item in data["dilemmas"] for slug in item.get("related", [])}


def _dilemma(index, item, people, themes, published_at):
    author = people.get(item.get("author"))
    editor = people.get(EDITOR) or author
    page = Dilemma(
        title=item["title"],
        slug=item["slug"],
        summary=item["summary"],
        situation=item["situation"],
        involved=item.get("involved", ""),
        values=item["values"],
        tension=item["tension"],
        decision=item.get("decision", ""),
        decision_reason=item.get("decision_reason", ""),
        aftermath=item.get("aftermath", ""),
        lessons="\n".join(item.get("lessons", [])),
        organisation_type=item.get("organisation_type", ""),
        government_level=item.get("government_level", ""),
        year=item.get("year"),
        edit_summary="Eerste versie",
        owner=author,
    )
    page.options = [
        DilemmaOption(
            title=option["title"],
            description=option.get("description", ""),
            arguments_for="\n".join(option.get("arguments_for", [])),
            arguments_against="\n".join(option.get("arguments_against", [])),
            sort_order=order,
        )
        for order, option in enumerate(item["options"])
    ]
    index.add_child(instance=page)
    for order, slug in enumerate(item.get("themes", [])):
        if slug in themes:
            page.theme_links.add(PageTheme(theme=themes[slug], sort_order=order))
    page.tags.add(*item.get("tags", []))
    revision = page.save_revision(user=author)
    revision.publish(user=editor, skip_permission_checks=True)
    Dilemma.objects.filter(pk=page.pk).update(first_published_at=published_at, last_published_at=published_at)


def _participation(page, item, people):
    options = list(page.options.all())
    for username, position in item.get("choices", {}).items():
        user = people.get(username)
        if user is not None and position < len(options) and not page.choices.filter(user=user).exists():
            choice_make(actor=user, dilemma=page, option_id=options[position].pk)
    editor = people.get(EDITOR)
    for reaction in item.get("reactions", []):
        author = people.get(reaction["author"])
        if author is None or DilemmaReaction.objects.filter(dilemma=page, author=author).exists():
            continue
        DilemmaReaction.objects.create(
            dilemma=page,
            author=author,
            body=reaction["body"],
            status=ModerationStatus.PUBLISHED,
            decided_by=editor,
            decided_at=timezone.now(),
        )
