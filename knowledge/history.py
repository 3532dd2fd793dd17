"""The public history of a page: its published versions, who wrote them, and what changed between two.

Only revisions that were published (by an editor, or through an approved workflow) count as versions;
drafts and revisions waiting for approval never appear here. Editors can undo a published change
(`version_revert`): it becomes a new version, so the history stays complete.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min, Subquery
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageLogEntry, Revision

from website.access import is_editor

TOKEN = re.compile(r"\S+\s*|\s+")


class UnknownVersion(LookupError):
    pass


@dataclass
class Version:
    number: int
    revision: object
    author: object
    published_at: object
    edit_summary: str

    @property
    def revision_id(self):
        return self.revision.pk


def publish_log():
    """Every published version of every page: the one definition of "a version" the platform uses."""
    return PageLogEntry.objects.filter(action="wagtail.publish", revision__isnull=False)


def _publish_entries(page):
    return publish_log().filter(page=page)


def published_versions(page) -> list[Version]:
    entries = (
        _publish_entries(page).select_related("revision__user__profile", "user__profile").order_by("timestamp", "pk")
    )
    versions, seen = [], set()
    for entry in entries:
        if entry.revision_id in seen:
            continue
        seen.add(entry.revision_id)
        versions.append(
            Version(
                number=len(versions) + 1,
                revision=entry.revision,
                author=entry.revision.user or entry.user,
                published_at=entry.timestamp,
                edit_summary=entry.revision.content.get("edit_summary", ""),
            )
        )
    return versions


def contributors(page):
    """The people whose published versions make up the page, in the order they first wrote."""
    return list(
        get_user_model()
        .objects.filter(wagtail_revisions__pk__in=Subquery(_publish_entries(page).values("revision_id")))
        .select_related("profile")
        .annotate(first_contribution=Min("wagtail_revisions__created_at"))
        .order_by("first_contribution")
    )


def _version_by_id(versions, raw):
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        raise UnknownVersion(_("Deze versie bestaat niet.")) from None
    for version in versions:
        if version.revision_id == wanted:
            return version
    raise UnknownVersion(_("Deze versie bestaat niet of is niet gepubliceerd."))


def pick_versions(versions, older_id, newer_id):
    """The two versions to compare; by default the latest and the one before it."""
    if not versions:
        raise UnknownVersion(_("Deze pagina heeft nog geen gepubliceerde versie."))
    newer = _version_by_id(versions, newer_id) if newer_id else versions[-1]
    if older_id:
        older = _version_by_id(versions, older_id)
    else:
        older = versions[newer.number - 2] if newer.number > 1 else None
    if older is not None and older.number > newer.number:
        older, newer = newer, older
    return older, newer


@dataclass
class Change:
    label: str
    status: str  # "same", "changed", "added" or "removed"
    segments: list = field(default_factory=list)  # (kind, text) with kind "same", "ins" or "del"

    @property
    def changed(self):
        return self.status != "same"


def word_diff(old: str, new: str):
    """Words with their trailing space; compared without it, so re-wrapping a line is no change."""
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    segments = []
    matcher = difflib.SequenceMatcher(
        a=[t.strip() for t in old_tokens], b=[t.strip() for t in new_tokens], autojunk=False
    )
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(new_tokens[b1:b2])))
            continue
        if op in ("delete", "replace"):
            segments.append(("del", "".join(old_tokens[a1:a2])))
        if op in ("insert", "replace"):
            segments.append(("ins", "".join(new_tokens[b1:b2])))
    return segments


_TAG = re.compile(r"<[^>]*>")


def _rich_text(value) -> str:
    """The text between the tags, one piece per line, as BeautifulSoup's get_text("\n", strip=True) gives
    it; from the stored source, so internal links cost no lookups (their text is the same)."""
    source = getattr(value, "source", None)
    parts = (html.unescape(part).strip() for part in _TAG.split(source if source is not None else str(value)))
    return "\n".join(part for part in parts if part)


def block_text(block) -> str:
    kind, value = block.block_type, block.value
    if kind == "heading":
        return value["text"]
    if kind == "paragraph":
        return _rich_text(value)
    if kind == "quote":
        return f"{value['text']} — {value['attribution']}" if value["attribution"] else value["text"]
    if kind == "callout":
        return "\n".join(filter(None, [value["title"], _rich_text(value["text"])]))
    if kind == "image":
        image = value["image"]
        return " — ".join(filter(None, [image.title if image else "", value["alt_text"], value["caption"]]))
    if kind == "document":
        document = value["document"]
        return value["title"] or (document.title if document else "")
    if kind == "embed":
        return f"{value['title']} ({value['url'].url if value['url'] else ''})"
    if kind == "table":
        rows = (value["table"] or {}).get("data") or []
        lines = [" | ".join(cell or "" for cell in row) for row in rows]
        return "\n".join([value["caption"], *lines])
    return str(value)


def _block_label(block) -> str:
    return str(block.block.label)


def _field_change(label, old, new):
    if old == new:
        return Change(str(label), "same", [("same", new)])
    return Change(str(label), "changed", word_diff(old, new))


def _taxonomy(page):
    themes = ", ".join(sorted(link.theme.name for link in page.theme_links.all()))
    tags = ", ".join(sorted(tag.name for tag in page.tags.all()))
    return themes, tags


def compare(older, newer) -> dict:
    """Field and block changes from `older` (None: an empty page) to `newer`."""
    new_page = newer.revision.as_object()
    old_page = older.revision.as_object() if older else None
    old_themes, old_tags = _taxonomy(old_page) if old_page else ("", "")
    new_themes, new_tags = _taxonomy(new_page)
    fields = [
        _field_change(_("Titel"), old_page.title if old_page else "", new_page.title),
        _field_change(_("Samenvatting"), old_page.summary if old_page else "", new_page.summary),
        _field_change(_("Thema's"), old_themes, new_themes),
        _field_change(_("Trefwoorden"), old_tags, new_tags),
    ]
    return {"fields": fields, "blocks": _block_changes(list(old_page.body) if old_page else [], list(new_page.body))}


def _block_changes(old_blocks, new_blocks):
    """Blocks keep their id across versions, so we align by id and diff the words inside each pair."""
    matcher = difflib.SequenceMatcher(a=[b.id for b in old_blocks], b=[b.id for b in new_blocks], autojunk=False)
    changes = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            for old, new in zip(old_blocks[a1:a2], new_blocks[b1:b2], strict=True):
                old_text, new_text = block_text(old), block_text(new)
                if old_text == new_text:
                    changes.append(Change(_block_label(new), "same", [("same", new_text)]))
                else:
                    changes.append(Change(_block_label(new), "changed", word_diff(old_text, new_text)))
            continue
        for old in old_blocks[a1:a2]:
            changes.append(Change(_block_label(old), "removed", [("del", block_text(old))]))
        for new in new_blocks[b1:b2]:
            changes.append(Change(_block_label(new), "added", [("ins", block_text(new))]))
    return changes


def may_revert(user, page) -> bool:
    """Editors who may publish the page undo its changes; nobody else."""
    return is_editor(user) and page.permissions_for_user(user).can_publish()


def version_revert(*, actor, page, log_entry_or_revision):
    """Undo one published change as a new published version; returns its revision.

    The change is undone the way a wiki does it: what that change did is taken back, and whatever was
    published after it stays (a three-way merge of the change's version, the one before it and the
    current one). When a later change touched the same text, nothing is saved and the editor is told so.
    """
    from community.services import CommunityError
    from community.services.profiles import public_name
    from knowledge.merge import apply_content, page_content, three_way

    revision = log_entry_or_revision
    if isinstance(revision, PageLogEntry):
        revision = revision.revision
    if not may_revert(actor, page):
        raise CommunityError(_("Alleen de redactie kan een wijziging ongedaan maken."))
    if not isinstance(revision, Revision):
        raise CommunityError(_("Deze versie bestaat niet of is niet gepubliceerd."))
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk).specific
        if not page.live:
            raise CommunityError(_("Deze pagina is niet gepubliceerd; er is niets om ongedaan te maken."))
        versions = published_versions(page)
        position = next((n for n, v in enumerate(versions) if v.revision_id == revision.pk), None)
        if position is None:
            raise CommunityError(_("Deze versie bestaat niet of is niet gepubliceerd."))
        if position == 0:
            raise CommunityError(_("De eerste versie van een pagina kan niet ongedaan worden gemaakt."))
        change, before = versions[position], versions[position - 1]
        latest = (page.live_revision or versions[-1].revision).as_object()
        base, undone, current = (
            page_content(version, complete=True)
            for version in (change.revision.as_object(), before.revision.as_object(), latest)
        )
        result = three_way(base, undone, current)
        if not result.clean:
            raise CommunityError(
                _(
                    "Deze wijziging kan niet meer los ongedaan worden gemaakt: een latere wijziging raakt dezelfde "
                    "tekst. Zet in het beheer een eerdere versie terug of pas de pagina aan."
                )
            )
        if result.merged == current:
            raise CommunityError(_("Er is niets meer om ongedaan te maken: deze wijziging is al teruggedraaid."))
        apply_content(latest, result.merged)
        with translation.override(settings.LANGUAGE_CODE):
            latest.edit_summary = gettext("Wijziging van %(date)s door %(name)s ongedaan gemaakt") % {
                "date": formats.date_format(timezone.localtime(change.published_at), "j F Y, H:i"),
                "name": public_name(change.author),
            }
        new_revision = latest.save_revision(user=actor, log_action=True)
        new_revision.publish(user=actor)
    return new_revision
