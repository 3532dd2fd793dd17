"""Three-way merge of a page's editable content: no edit is ever lost, and only real clashes ask a person.

The API (pure functions; nothing here touches the database):

    result = three_way(base, mine, theirs, resolutions=None, labels=None)

`base` is the content the member started from, `mine` what they submit, `theirs` what was published in
the meantime. Each is a dict of field name to value, as `page_content(page)` builds it:

    {"title": str, "summary": str, "tags": [str, ...], "themes": [theme id, ...],
     "body": [{"type": ..., "value": ..., "id": ...}, ...]}   # page.body.raw_data

How each kind of value merges:
- A list of blocks (StreamField raw data; nested ListBlock/StreamBlock data too) aligns blocks by id: blocks
  added, removed, moved or changed on either side are all kept. When both sides changed one block the
  merge goes inside it: a struct block per sub-field, text per sentence (rich text keeps its tags as
  their own units). Two blocks added at the same place are both kept: theirs first, then mine (the same
  block added on both sides is kept once). Blocks without an id make their list one unit.
- Text (title, summary, rich text) is a diff3 of sentences (and lines): changes to different sentences
  merge, neighbouring ones too; the same sentence changed differently on both sides is a conflict. A
  one-sentence field such as a title is therefore one unit. A conflict covers the whole part (the
  paragraph, the sub-field, the field), so the member settles it in one place.
- Lists of plain values (tags, theme ids) merge as sets: both sides' additions and removals apply.
- Anything else (numbers, image ids, tables) is one unit.
- The same change on both sides is never a conflict.

`MergeResult`:
- `merged`: the merged content, same shape as the input. Where a conflict is unresolved it holds the
  member's side ("mine"), so showing `merged` again never drops the member's text.
- `conflicts`: list of `Conflict`, one per clashing part (see its docstring); empty when clean.
- `auto_merged`: True when both sides changed something and everything merged without a conflict.
- `clean`: no conflicts.

Resolving: call `three_way` again with the same three inputs and `resolutions`, a dict of `Conflict.key`
to `MINE`, `THEIRS` or `Own(text)` (the member's own merged text for that part; only for conflicts whose
`editable` is True). Resolved conflicts disappear from the result; the others stay.

Form field naming (the form is the caller's): the include `knowledge/includes/merge_conflict.html` takes
`conflict` and `field_name`, and renders radio buttons named `field_name` with values "mine", "theirs" and
"own", plus (for editable conflicts) a textarea named `<field_name>-tekst` prefilled with the member's
text (or `text` when given, e.g. on redisplay; `choice` preselects a radio). Use
`conflict_field_name(conflict, prefix)` for the name and `read_resolutions(conflicts, data, prefix=...)` to
turn posted data into `resolutions` (it returns `(resolutions, errors)`, errors keyed by conflict key).
Rich text: `conflict.mine`/`theirs` are the stored HTML. A form that edits another markup passes `text`
(the member's text in that markup) to the include and `to_value` to `read_resolutions` to turn the typed text
back into HTML; either way, sanitise what a member typed like any other member input.

`page_content(page)` builds the input dict from a page or `revision.as_object()` (`complete=True`: every field
and child relation of the page type too); `apply_content(page, content)` sets a merged dict back on an
(unsaved) page object, ready for `save_revision()`.
"""

import difflib
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from knowledge.history import word_diff

MINE = "mine"
THEIRS = "theirs"
OWN = "own"
ORDER = "order"

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+|\n+")
HTML_TAG = re.compile(r"(<[^>]+>)")
VOID_TAGS = {"br", "hr", "img", "input", "embed", "wbr", "source", "col", "area", "meta", "link"}

FIELD_LABELS = {
    "title": _("Titel"),
    "summary": _("Samenvatting"),
    "tags": _("Trefwoorden"),
    "themes": _("Thema's"),
    "body": _("Inhoud"),
    "edit_summary": _("Samenvatting van de wijziging"),
}


@dataclass(frozen=True)
class Own:
    """The member's own merged text for one conflict."""

    text: str


@dataclass
class Conflict:
    """One part both sides changed differently.

    key: stable and unique within a result, safe in a form field name: "title", "body.<block id>",
      "body.<block id>.<sub-field>", "body:order" (nested streams continue the path).
    field: the top-level field ("title", "body", ...); block_id / block_type / part: where inside it.
    kind: "changed" (both changed it differently), "deleted_by_them" (you changed a block that was deleted
      in the meantime), "deleted_by_me" (you deleted a block that was changed in the meantime) or "order"
      (both reordered the same blocks differently).
    base, mine, theirs: the raw values of that part (None where a block is absent; lists of block ids for
      "order"). base_text / mine_text / theirs_text: the same as readable text; mine_segments /
      theirs_segments: word-level differences from base, as (kind, text) with kind "same", "ins", "del"
      (render with knowledge/includes/segments.html).
    editable: the member can type their own merged text (a text part changed on both sides).
    """

    key: str
    field: str
    kind: str
    base: Any
    mine: Any
    theirs: Any
    label: str = ""
    block_id: str | None = None
    block_type: str | None = None
    part: str | None = None

    @property
    def editable(self) -> bool:
        return self.kind == "changed" and all(isinstance(v, str) for v in (self.mine, self.theirs))

    @property
    def base_text(self) -> str:
        return display_text(self.base)

    @property
    def mine_text(self) -> str:
        return display_text(self.mine)

    @property
    def theirs_text(self) -> str:
        return display_text(self.theirs)

    @cached_property
    def mine_segments(self):
        return word_diff(self.base_text, self.mine_text)

    @cached_property
    def theirs_segments(self):
        return word_diff(self.base_text, self.theirs_text)


@dataclass
class MergeResult:
    merged: dict
    conflicts: list = field(default_factory=list)
    mine_changed: bool = False
    theirs_changed: bool = False

    @property
    def clean(self) -> bool:
        return not self.conflicts

    @property
    def auto_merged(self) -> bool:
        return self.clean and self.mine_changed and self.theirs_changed


def three_way(base: dict, mine: dict, theirs: dict, *, resolutions=None, labels=None) -> MergeResult:
    merger = _Merger(resolutions or {}, {**FIELD_LABELS, **_default_block_labels(), **(labels or {})})
    merged = {}
    for name in _ordered_keys(mine, theirs, base):
        if name not in mine and name not in theirs:
            continue
        old = base.get(name)
        merged[name] = merger.value(name, name, old, mine.get(name, old), theirs.get(name, old))
    return MergeResult(
        merged=merged,
        conflicts=merger.conflicts,
        mine_changed=_normalised(mine, base) != base,
        theirs_changed=_normalised(theirs, base) != base,
    )


def conflict_field_name(conflict: Conflict, prefix: str = "conflict-") -> str:
    return f"{prefix}{conflict.key}"


def read_resolutions(conflicts, data, *, prefix="conflict-", to_value=None):
    """Posted choices to `resolutions`; errors (translated) keyed by conflict key for what is missing.

    `to_value(conflict, text)`, when given, turns the typed text into the stored value (markup to HTML, and
    sanitising, for rich text).
    """
    resolutions, errors = {}, {}
    for conflict in conflicts:
        name = conflict_field_name(conflict, prefix)
        choice = data.get(name)
        if choice == OWN and conflict.editable:
            text = data.get(f"{name}-tekst", "")
            resolutions[conflict.key] = Own(to_value(conflict, text) if to_value else text)
        elif choice in (MINE, THEIRS):
            resolutions[conflict.key] = choice
        else:
            errors[conflict.key] = _("Kies welke versie blijft, of voeg ze zelf samen.")
    return resolutions, errors


def page_content(page, stream_fields=None, *, complete=False) -> dict:
    """A page's editable content in the shape `three_way` takes (a page or `revision.as_object()`).

    By default: title, summary, tags, themes and the stream fields. `complete=True` adds every other field
    the page type declares itself and its child relations (each relation one unit: a list of the children's
    field values), so that nothing an edit can change is left out (used to undo a change).
    """
    from wagtail.fields import StreamField

    content = {"title": page.title}
    if hasattr(page, "summary"):
        content["summary"] = page.summary
    if hasattr(page, "tags"):
        content["tags"] = sorted(tag.name for tag in page.tags.all())
    if hasattr(page, "theme_links"):
        content["themes"] = [link.theme_id for link in page.theme_links.all()]
    names = stream_fields or [f.name for f in page._meta.get_fields() if isinstance(f, StreamField)]
    for name in names:
        content[name] = list(getattr(page, name).raw_data)
    if complete:
        for field_ in _own_fields(type(page)):
            if field_.name not in content:
                content[field_.attname] = getattr(page, field_.attname)
        for relation in _own_child_relations(type(page)):
            content[relation.get_accessor_name()] = [
                _child_values(child, relation) for child in getattr(page, relation.get_accessor_name()).all()
            ]
    return content


def _own_fields(page_class):
    from wagtail.models import Page

    skipped = {"edit_summary", "summary"}
    return [
        f
        for f in page_class._meta.concrete_fields
        if f.model is not Page
        and f.editable
        and not f.primary_key
        and not (f.remote_field and f.remote_field.parent_link)
        and f.name not in skipped
    ]


def _own_child_relations(page_class):
    """Child relations of the page type itself; themes and tags (on the base Page) are handled as such."""
    from modelcluster.models import get_all_child_relations
    from wagtail.models import Page

    return [r for r in get_all_child_relations(page_class) if r.field.remote_field.model is not Page]


def _child_values(child, relation):
    skipped = {relation.field.name, "sort_order"}
    return {
        f.attname: getattr(child, f.attname)
        for f in child._meta.concrete_fields
        if not f.primary_key and f.name not in skipped
    }


def apply_content(page, content: dict):
    """Set `content` (as `page_content` builds it) on `page` without saving; returns the page."""
    from knowledge.models import PageTheme

    relations = {r.get_accessor_name(): r for r in _own_child_relations(type(page))}
    for name, value in content.items():
        if name == "tags":
            page.tags.set(value)
        elif name == "themes":
            page.theme_links = [PageTheme(theme_id=theme_id, sort_order=n) for n, theme_id in enumerate(value)]
        elif name in relations:
            child_class = relations[name].related_model
            setattr(
                page,
                name,
                [
                    child_class(**values, sort_order=n) if _orderable(child_class) else child_class(**values)
                    for n, values in enumerate(value)
                ],
            )
        else:
            setattr(page, name, value)
    return page


def _orderable(model) -> bool:
    return any(f.name == "sort_order" for f in model._meta.concrete_fields)


def display_text(value) -> str:
    """Readable text of a raw value, for showing a conflict."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _html_text(value) if _is_html(value) else value
    if isinstance(value, dict):
        if "type" in value and "value" in value:
            return display_text(value["value"])
        return "\n".join(filter(None, (display_text(v) for v in value.values())))
    if isinstance(value, list):
        return "\n".join(filter(None, (display_text(v) for v in value)))
    return str(value)


@functools.cache
def _default_block_labels():
    from knowledge.blocks import ArticleBodyBlock

    labels = {}
    for name, block in ArticleBodyBlock().child_blocks.items():
        labels[name] = block.label
        for part, child in getattr(block, "child_blocks", {}).items():
            labels[f"{name}.{part}"] = child.label
    return labels


def _ordered_keys(*dicts):
    keys = []
    for d in dicts:
        keys.extend(k for k in d if k not in keys)
    return keys


def _normalised(side, base):
    return {**base, **side}


def _is_html(text: str) -> bool:
    return bool(re.match(r"\s*<[a-zA-Z]", text))


def _html_text(html: str) -> str:
    return BeautifulSoup(html, "html.parser").get_text("\n", strip=True)


def _is_stream(value) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "type" in item and "value" in item and item.get("id") for item in value)
    )


def _is_plain_list(value) -> bool:
    return isinstance(value, list) and all(isinstance(item, str | int) and not isinstance(item, bool) for item in value)


# --- diff3 over sequences ---------------------------------------------------------------------------------


def _hunks(base, other, side):
    matcher = difflib.SequenceMatcher(a=base, b=other, autojunk=False)
    return [(i1, i2, other[j1:j2], side) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def _apply(base, start, end, hunks):
    result, at = [], start
    for h_start, h_end, replacement, _side in hunks:
        result.extend(base[at:h_start])
        result.extend(replacement)
        at = h_end
    return result + list(base[at:end])


def diff3(base, mine, theirs):
    """Chunks of a three-way merge: ("same", items) or ("conflict", base_items, mine_items, theirs_items).

    Each side's changes are hunks of `base`; hunks of the two sides clash only when they overlap (or both
    insert at the same point), so changes to neighbouring units still merge.
    """
    hunks = sorted(_hunks(base, mine, MINE) + _hunks(base, theirs, THEIRS), key=lambda h: (h[0], h[1]))
    groups = []
    for hunk in hunks:
        start, end = hunk[0], hunk[1]
        if groups:
            g_start, g_end, members = groups[-1]
            both_insert_here = start == end == g_start == g_end
            if start < g_end or both_insert_here:
                groups[-1] = (g_start, max(g_end, end), [*members, hunk])
                continue
        groups.append((start, end, [hunk]))
    chunks, at = [], 0
    for start, end, members in groups:
        if at < start:
            chunks.append(("same", base[at:start]))
        mine_hunks = [h for h in members if h[3] == MINE]
        theirs_hunks = [h for h in members if h[3] == THEIRS]
        mine_part, theirs_part = _apply(base, start, end, mine_hunks), _apply(base, start, end, theirs_hunks)
        if not mine_hunks or not theirs_hunks or mine_part == theirs_part:
            chunks.append(("same", mine_part if mine_hunks else theirs_part))
        else:
            chunks.append(("conflict", base[start:end], mine_part, theirs_part))
        at = end
    if at < len(base):
        chunks.append(("same", base[at:]))
    return chunks


def _merge_sequences(base, mine, theirs):
    """The merged list, or None when a chunk clashes."""
    merged = []
    for chunk in diff3(base, mine, theirs):
        if chunk[0] == "conflict":
            return None
        merged.extend(chunk[1])
    return merged


# --- text ----------------------------------------------------------------------------------------------------


def _sentences(text):
    tokens, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.end() > start:
            tokens.append(text[start : match.end()])
            start = match.end()
    if start < len(text):
        tokens.append(text[start:])
    return tokens


def _html_units(html):
    units = []
    for piece in HTML_TAG.split(html):
        if not piece:
            continue
        units.extend([piece] if piece.startswith("<") else _sentences(piece))
    return units


def _tags_balanced(units) -> bool:
    stack = []
    for unit in units:
        match = re.match(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)", unit)
        if not match or unit.endswith("/>") or match.group(2).lower() in VOID_TAGS:
            continue
        name = match.group(2).lower()
        if not match.group(1):
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def merge_text(base: str, mine: str, theirs: str):
    """Sentence-level diff3 of text or rich text: the merged text, or None when the same sentence clashes."""
    html = any(_is_html(t) for t in (base, mine, theirs) if t)
    split = _html_units if html else _sentences
    merged = _merge_sequences(split(base), split(mine), split(theirs))
    if merged is None or (html and not _tags_balanced(merged)):
        return None
    return "".join(merged)


# --- the merger ------------------------------------------------------------------------------------------------


class _Merger:
    def __init__(self, resolutions, labels):
        self.resolutions = resolutions
        self.labels = labels
        self.conflicts = []

    def _resolve(self, conflict: Conflict, own_allowed=True):
        """The value a conflict resolves to; unresolved ones are recorded and keep the member's side."""
        choice = self.resolutions.get(conflict.key)
        if choice == THEIRS:
            return THEIRS, conflict.theirs
        if isinstance(choice, Own) and own_allowed and conflict.editable:
            return OWN, choice.text
        if choice != MINE:
            self.conflicts.append(conflict)
        return MINE, conflict.mine

    def _label(self, field_name, block_type=None, part=None):
        if block_type is None:
            return str(self.labels.get(field_name, field_name))
        label = str(self.labels.get(block_type, block_type))
        return f"{label} ({part})" if part else label

    def value(self, key, field_name, base, mine, theirs, block=None):
        """Merge one value; `block` is (block id, block type, part) when inside a block."""
        if mine == theirs:
            return mine
        if mine == base:
            return theirs
        if theirs == base:
            return mine
        block_id, block_type, part = block or (None, None, None)
        sides = (base or [], mine, theirs)
        if all(_is_stream(v) or v == [] for v in sides) and any(sides):
            return self.stream(key, field_name, base or [], mine, theirs)
        if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
            return {
                name: self.value(
                    f"{key}.{name}",
                    field_name,
                    base.get(name),
                    mine.get(name, base.get(name)),
                    theirs.get(name, base.get(name)),
                    (block_id, block_type, name if part is None else f"{part}.{name}"),
                )
                for name in _ordered_keys(mine, theirs, base)
                if name in mine or name in theirs
            }
        if _is_plain_list(base) and _is_plain_list(mine) and _is_plain_list(theirs):
            return self.plain_list(base, mine, theirs)
        if all(isinstance(v, str) for v in (base, mine, theirs)):
            merged = merge_text(base, mine, theirs)
            if merged is not None:
                return merged
        conflict = Conflict(
            key=key,
            field=field_name,
            kind="changed",
            base=base,
            mine=mine,
            theirs=theirs,
            label=self._label(field_name, block_type, self._part_label(block_type, part)),
            block_id=block_id,
            block_type=block_type,
            part=part,
        )
        return self._resolve(conflict)[1]

    def _part_label(self, block_type, part):
        if part is None:
            return None
        return str(self.labels.get(f"{block_type}.{part}", part))

    @staticmethod
    def plain_list(base, mine, theirs):
        removed = (set(base) - set(mine)) | (set(base) - set(theirs))
        merged = [item for item in mine if item not in removed]
        merged += [item for item in theirs if item not in removed and item not in merged]
        return merged

    def stream(self, key, field_name, base, mine, theirs):
        base_by_id, mine_by_id, theirs_by_id = ({b["id"]: b for b in side} for side in (base, mine, theirs))
        kept = {}
        theirs_new = [_block_content(b) for b in theirs if b["id"] not in base_by_id]
        for block in mine:
            added = block["id"] not in base_by_id and block["id"] not in theirs_by_id
            if added and _block_content(block) in theirs_new:
                del mine_by_id[block["id"]]  # the same block added on both sides is kept once
        mine = [b for b in mine if b["id"] in mine_by_id]
        for block_id in _ordered_keys(mine_by_id, theirs_by_id, base_by_id):
            sides = (base_by_id.get(block_id), mine_by_id.get(block_id), theirs_by_id.get(block_id))
            block = self.block(f"{key}.{block_id}", field_name, *sides)
            if block is not None:
                kept[block_id] = block
        order = self.order(
            key, field_name, [b["id"] for b in base], [b["id"] for b in mine], [b["id"] for b in theirs], base_by_id
        )
        return [kept[block_id] for block_id in _place(order, kept, mine, theirs)]

    def block(self, key, field_name, base, mine, theirs):
        if mine is None and theirs is None:
            return None
        if base is None:
            if mine is None or theirs is None or mine == theirs:
                return mine or theirs
            return self._changed_block(key, field_name, {"type": mine["type"], "value": None}, mine, theirs)
        if mine is not None and theirs is not None:
            return self._changed_block(key, field_name, base, mine, theirs)
        survivor = mine if mine is not None else theirs
        if _block_content(survivor) == _block_content(base):
            return None
        conflict = Conflict(
            key=key,
            field=field_name,
            kind="deleted_by_them" if mine is not None else "deleted_by_me",
            base=base,
            mine=mine,
            theirs=theirs,
            label=self._label(field_name, base["type"]),
            block_id=base["id"],
            block_type=base["type"],
        )
        return self._resolve(conflict, own_allowed=False)[1]

    def _changed_block(self, key, field_name, base, mine, theirs):
        if mine["type"] != theirs["type"]:
            conflict = Conflict(
                key=key,
                field=field_name,
                kind="changed",
                base=base,
                mine=mine,
                theirs=theirs,
                label=self._label(field_name, mine["type"]),
                block_id=mine["id"],
                block_type=mine["type"],
            )
            return self._resolve(conflict, own_allowed=False)[1]
        where = (mine["id"], mine["type"], None)
        value = self.value(key, field_name, base["value"], mine["value"], theirs["value"], where)
        return {**theirs, **mine, "value": value}

    def order(self, key, field_name, base, mine, theirs, base_by_id):
        """The order of blocks both sides still have; only moving the same blocks differently clashes."""
        shared = set(base) & set(mine) & set(theirs)
        base_order, mine_order, theirs_order = ([i for i in side if i in shared] for side in (base, mine, theirs))
        if mine_order == base_order:
            return theirs_order
        if theirs_order in (base_order, mine_order):
            return mine_order
        merged = _merge_order(base_order, mine_order, theirs_order)
        if merged is not None:
            return merged
        conflict = Conflict(
            key=f"{key}:{ORDER}",
            field=field_name,
            kind=ORDER,
            base=[base_by_id[i] for i in base_order],
            mine=[base_by_id[i] for i in mine_order],
            theirs=[base_by_id[i] for i in theirs_order],
            label=str(_("Volgorde van de blokken")),
        )
        choice, _value = self._resolve(conflict, own_allowed=False)
        return theirs_order if choice == THEIRS else mine_order


def _merge_order(base, mine, theirs):
    """Each pair of blocks keeps the order a side changed it to, else the base order; a cycle is a clash."""
    at_mine, at_theirs = ({block_id: n for n, block_id in enumerate(side)} for side in (mine, theirs))
    comes_after = {block_id: set() for block_id in base}
    for n, first in enumerate(base):
        for second in base[n + 1 :]:
            flipped = at_mine[first] > at_mine[second] or at_theirs[first] > at_theirs[second]
            before, after = (second, first) if flipped else (first, second)
            comes_after[before].add(after)
    merged = sorted(base, key=lambda block_id: -len(comes_after[block_id]))
    consistent = all(later in comes_after[earlier] for n, earlier in enumerate(merged) for later in merged[n + 1 :])
    return merged if consistent else None


def _block_content(block):
    return {k: v for k, v in block.items() if k != "id"}


def _place(order, kept, mine, theirs):
    """Blocks in the shared order, then each other kept block after its neighbour on the side that has it.

    Mine are placed first and theirs after, each straight after its neighbour, so two blocks added at the
    same place end up as theirs, then mine.
    """
    result = [block_id for block_id in order if block_id in kept]
    for side in (mine, theirs):
        previous = None
        for block in side:
            block_id = block["id"]
            if block_id in kept and block_id not in result:
                result.insert(result.index(previous) + 1 if previous in result else 0, block_id)
            if block_id in result:
                previous = block_id
    return result
