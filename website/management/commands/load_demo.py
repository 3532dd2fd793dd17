"""Loads the demo content: the alliance's home page, themes, a Kennisbank with versioned articles, people.

Safe to run again: what exists (matched by slug or username) is kept as it is, nothing is duplicated.
"""

import io
import json
import uuid
from datetime import timedelta
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, Revision, Site

from knowledge.dilemmas import demo as dilemma_demo
from knowledge.dilemmas.models import Dilemma
from knowledge.models import KnowledgeArticle, KnowledgeIndexPage, PageTheme, RelatedArticle, Theme
from knowledge.questions import demo as questions_demo
from knowledge.questions.models import Question
from website.models import HomePage, SiteSettings

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_PASSWORD = "alliantie-demo"
PEOPLE = {
    "redactie": ("Redactie", "Alliantie", True),
    "anouk": ("Anouk", "de Vries", False),
    "bram": ("Bram", "Jansen", False),
    "fatima": ("Fatima", "El Amrani", False),
    "joost": ("Joost", "Bakker", False),
    "lieke": ("Lieke", "Visser", False),
}
SECRET_GROUP_TEXT = (
    "<p>We bewaren e-mail van functionarissen met een sleutelrol volledig en schonen de rest na zeven jaar "
    "op. Deze pagina is alleen zichtbaar voor de deelnemers van de werkgroep en de redactie.</p>"
)
IMAGE_COLOURS = ["#154273", "#01689b", "#39870c", "#ca005d", "#e17000"]


def _load(name):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        people = self._people()
        themes = self._themes()
        home = self._home()
        index = self._knowledge_index(home)
        data = _load("articles.json")
        images = self._images(data["images"])
        documents = self._documents(data["documents"])
        created = self._articles(index, data["articles"], people, themes, images, documents)
        groups = self._community(people, themes, index)
        dilemma_demo.load(home)
        questions_demo.load(home)
        self._contributions(people)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content ready: {len(themes)} themes, {KnowledgeArticle.objects.count()} articles "
                f"({created} new), {Dilemma.objects.count()} dilemmas, {Question.objects.count()} questions, "
                f"{len(people)} people, {len(groups)} werkgroepen."
            )
        )

    def _contributions(self, people):
        """Work for the editors to try the workflow on: one member is trusted, another's edit waits."""
        from community.contributions.models import Contribution
        from community.contributions.services import contribution_submit, edit_start
        from community.models import Profile

        Profile.objects.filter(user=people["anouk"], trusted_at__isnull=True).update(trusted_at=timezone.now())
        form_id = "demo-voorstel-bram"  # the proposal form's own id: loading the demo again adds nothing
        if Contribution.objects.filter(token=form_id).exists():
            return
        page = KnowledgeArticle.objects.live().order_by("pk").first()
        start = edit_start(actor=people["bram"], page=page)
        content = {**start.content, "body": [*start.content["body"]]}
        content["body"].insert(
            2,
            {
                "type": "paragraph",
                "value": "<p>In onze gemeente hielp een vaste contactpersoon per afdeling enorm: verzoekers weten "
                "bij wie ze terechtkunnen en de termijnen worden vaker gehaald.</p>",
                "id": str(uuid.uuid4()),
            },
        )
        contribution_submit(
            actor=people["bram"],
            data=content,
            token=form_id,
            page=page,
            base_revision_id=start.base_revision.pk,
            edit_summary="Ervaring met een vaste contactpersoon toegevoegd",
        )

    def _people(self):
        User = get_user_model()
        editors = Group.objects.get(name="Moderators")
        people = {}
        for username, (first, last, is_editor) in PEOPLE.items():
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "email": f"{username}@alliantie.example"},
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                if is_editor:
                    user.groups.add(editors)
            # Demo addresses count as confirmed, so the demo people can log in on the site at once.
            EmailAddress.objects.update_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
            people[username] = user
        return people

    def _themes(self):
        themes = {}
        for item in _load("themes.json"):
            theme, _ = Theme.objects.get_or_create(
                slug=item["slug"], defaults={"name": item["name"], "description": item["description"]}
            )
            themes[theme.slug] = theme
        return themes

    def _home(self):
        home = HomePage.objects.first()
        if home:
            return home
        content = _load("home.json")
        root = Page.get_first_root_node()
        site = Site.objects.get(is_default_site=True)
        placeholder = site.root_page
        home = root.add_child(instance=HomePage(title="Alliantie Open Overheid", slug="alliantie", **content))
        site.root_page = home
        site.site_name = "Alliantie Open Overheid"
        site.save()
        if placeholder.specific_class is Page:
            placeholder.delete()
        home.slug = "home"
        home.save()
        settings = SiteSettings.for_site(site)
        settings.contact_name = "Leer- en Expertisepunt Open Overheid"
        settings.contact_email = "aanspreekpunt@alliantie.example"
        settings.footer_text = (
            "<p>De Alliantie Open Overheid is een netwerk van overheden, maatschappelijke organisaties, "
            "inwoners en journalisten. Meedoen is gratis en vrijblijvend.</p>"
        )
        settings.save()
        return home

    def _knowledge_index(self, home):
        index = KnowledgeIndexPage.objects.first()
        if index:
            return index
        return home.add_child(
            instance=KnowledgeIndexPage(
                title="Kennisbank",
                slug="kennisbank",
                intro=(
                    "Praktische kennis over open overheid, geschreven en bijgehouden door de leden van de "
                    "alliantie. Elk artikel heeft een openbare geschiedenis."
                ),
            )
        )

    def _images(self, items):
        Image = get_image_model()
        images = {}
        for number, item in enumerate(items):
            image = Image.objects.filter(title=item["title"]).first()
            if image is None:
                image = Image.objects.create(
                    title=item["title"], file=ImageFile(io.BytesIO(_draw(number)), name=f"demo-{item['key']}.png")
                )
            images[item["key"]] = (image, item)
        return images

    def _documents(self, items):
        Document = get_document_model()
        documents = {}
        for item in items:
            document = Document.objects.filter(title=item["title"]).first()
            if document is None:
                document = Document(title=item["title"])
                document.file.save(f"{item['key']}.txt", ContentFile(item["text"].encode("utf-8")), save=False)
                document.save()
            documents[item["key"]] = document
        return documents

    def _articles(self, index, articles, people, themes, images, documents):
        existing = set(KnowledgeArticle.objects.values_list("slug", flat=True))
        created = 0
        start = timezone.now() - timedelta(days=420)
        for number, item in enumerate(articles):
            if item["slug"] in existing:
                continue
            published_at = start + timedelta(days=number * 14)
            self._article(index, item, people, themes, images, documents, published_at)
            created += 1
        by_slug = {page.slug: page for page in KnowledgeArticle.objects.all()}
        for item in articles:
            page = by_slug[item["slug"]]
            if not page.related_links.exists():
                for order, slug in enumerate(item.get("related", [])):
                    if slug in by_slug:
                        RelatedArticle.objects.create(page=page, article=by_slug[slug], sort_order=order)
        return created

    def _article(self, index, item, people, themes, images, documents, published_at):
        first, *later = item["versions"]
        blocks = [_raw_block(block, images, documents) for block in first["body"]]
        page = KnowledgeArticle(
            title=item["title"],
            slug=item["slug"],
            summary=item["summary"],
            body=blocks,
            edit_summary=first["summary"],
            owner=people[first["author"]],
        )
        index.add_child(instance=page)
        for order, slug in enumerate(item["themes"]):
            page.theme_links.add(PageTheme(theme=themes[slug], sort_order=order))
        page.tags.add(*item["tags"])
        moment = published_at
        page = self._publish(page, people[first["author"]], people["redactie"], moment)
        for version in later:
            blocks = _apply(blocks, version["changes"], images, documents)
            page.body = blocks
            page.edit_summary = version["summary"]
            moment = moment + timedelta(days=9, hours=3)
            page = self._publish(page, people[version["author"]], people["redactie"], moment)

    def _publish(self, page, author, editor, moment):
        """The author's revision, approved and published by the editorial team."""
        revision = page.save_revision(user=author)
        revision.publish(user=editor)
        Revision.objects.filter(pk=revision.pk).update(created_at=moment)
        PageLogEntry.objects.filter(revision=revision).update(timestamp=moment)
        KnowledgeArticle.objects.filter(pk=page.pk, first_published_at__gt=moment).update(first_published_at=moment)
        KnowledgeArticle.objects.filter(pk=page.pk).update(last_published_at=moment, latest_revision_created_at=moment)
        # A fresh instance, so the next revision carries the saved theme rows (with their ids) and
        # publishing it updates them instead of replacing them.
        return KnowledgeArticle.objects.get(pk=page.pk)

    def _community(self, people, themes, index):
        """Profiles for the demo people, three werkgroepen (open, on request, secret) and a group's own page."""
        from community.models import Profile, WorkingGroup
        from community.services import groups as group_services

        data = _load("community.json")
        for username, fields in data["profiles"].items():
            user = people[username]
            if Profile.objects.filter(user=user).exists():
                continue
            fields = dict(fields)
            expertise, tags = fields.pop("expertise"), fields.pop("tags")
            profile = Profile.objects.create(user=user, privacy_consent_at=timezone.now(), **fields)
            profile.expertise.set([themes[slug] for slug in expertise])
            profile.tags.add(*tags)
        groups = []
        for item in data["groups"]:
            group = WorkingGroup.objects.filter(name=item["name"]).first()
            if group is None:
                group = group_services.group_propose(
                    actor=people[item["coordinator"]],
                    name=item["name"],
                    description=item["description"],
                    join_policy=item["join_policy"],
                    visibility=item["visibility"],
                    themes=[themes[slug] for slug in item["themes"]],
                )
                group_services.group_approve(actor=people["redactie"], group=group)
                for username in item["members"]:
                    group_services.membership_add(group=group, user=people[username])
            groups.append(group)
        secret_group = groups[-1]
        if not KnowledgeArticle.objects.filter(slug="werkafspraken-e-mailarchivering").exists():
            page = KnowledgeArticle(
                title="Werkafspraken e-mailarchivering (werkgroep)",
                slug="werkafspraken-e-mailarchivering",
                summary="Concept-werkafspraken van de werkgroep Archiefwet en e-mail; alleen voor deelnemers.",
                body=[
                    _raw_block({"type": "heading", "value": {"text": "Waar we staan", "level": 2}}, {}, {}),
                    _raw_block({"type": "paragraph", "value": SECRET_GROUP_TEXT}, {}, {}),
                ],
                edit_summary="Eerste versie",
                owner=people["lieke"],
            )
            index.add_child(instance=page)
            page = self._publish(page, people["lieke"], people["redactie"], timezone.now() - timedelta(days=3))
            group_services.page_restrict_to_group(actor=people["redactie"], page=page, group=secret_group)
        return groups


def _raw_block(block, images, documents):
    kind, value = block["type"], block["value"]
    if kind == "heading":
        value = {"text": value["text"], "level": f"h{value.get('level', 2)}"}
    elif kind == "table":
        value = {
            "caption": value["caption"],
            "table": {
                "data": value["rows"],
                "first_row_is_table_header": value.get("header", True),
                "first_col_is_header": False,
                "table_caption": "",
            },
        }
    elif kind == "image":
        image, meta = images[value["image"]]
        value = {"image": image.pk, "alt_text": meta["alt"], "caption": meta.get("caption", "")}
    elif kind == "document":
        value = {"document": documents[value["document"]].pk, "title": value.get("title", "")}
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def _apply(blocks, changes, images, documents):
    """Apply a version's edits; a replaced block keeps its id, so the diff shows it as changed."""
    blocks = list(blocks)
    for change in changes:
        position = change["index"]
        if change["op"] == "remove":
            del blocks[position]
        elif change["op"] == "insert":
            blocks.insert(position, _raw_block(change["block"], images, documents))
        else:
            replacement = _raw_block(change["block"], images, documents)
            replacement["id"] = blocks[position]["id"]
            blocks[position] = replacement
    return blocks


def _draw(number):
    """A simple, calm illustration: a few bars in the house colours."""
    image = PILImage.new("RGB", (960, 480), "#f3f6f9")
    draw = ImageDraw.Draw(image)
    for bar in range(5):
        colour = IMAGE_COLOURS[(bar + number) % len(IMAGE_COLOURS)]
        height = 80 + ((bar * 53 + number * 71) % 300)
        draw.rectangle([80 + bar * 170, 440 - height, 200 + bar * 170, 440], fill=colour)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
