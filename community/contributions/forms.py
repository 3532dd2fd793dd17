"""The site's forms for proposing a page or an edit: plain fields, themes, tags, and a list of blocks.

It works without JavaScript: each block is a small form of its own, and buttons in the form add,
move and remove blocks (the page comes back with the change). Blocks a member cannot edit here
(kaders, documents, embeds, tables) stay where they are with their content taken from the version
the member started from, so a hidden field cannot smuggle anything in.
"""

import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField

from community.contributions import registry
from community.contributions.richtext import html_to_markup, markup_to_html, plain
from community.models import GroupStatus, WorkingGroup
from knowledge.blocks import ArticleBodyBlock
from knowledge.models import KnowledgeArticle, KnowledgeIndexPage, PageTheme, Theme

MAX_BLOCKS = 150  # with their fields, still under Django's 1000 posted fields
MAX_TEXT = 20_000
MAX_TOTAL = 200_000
MAX_TAGS = 20

EDITABLE_KINDS = [
    ("paragraph", _("Alinea")),
    ("heading", _("Tussenkop")),
    ("quote", _("Citaat")),
    ("image", _("Afbeelding")),
]
LOCKED = "locked"

TOO_LONG = _(
    "Deze tekst is te lang: hoogstens %(limit_value)d tekens (nu %(show_value)d). Verdeel hem over meer blokken."
)
MARKUP_HELP = _(
    "Schrijf **vet** of *cursief*, een link als [linktekst](https://voorbeeld.nl), en begin regels met "
    "“- ” voor een opsomming of “1. ” voor een genummerde lijst. Een lege regel begint een nieuwe alinea."
)


BLOCK_KEY = re.compile(r'\s+data-block-key="[^"]*"')


def _without_block_keys(value):
    if isinstance(value, str):
        return BLOCK_KEY.sub("", value)
    if isinstance(value, dict):
        return {key: _without_block_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_block_keys(item) for item in value]
    return value


def new_block_id() -> str:
    return str(uuid.uuid4())


def block_fields(raw) -> dict:
    """A stored block (raw stream data) as the values of a block form."""
    kind, value, uid = raw["type"], raw["value"], raw.get("id") or new_block_id()
    if kind == "heading":
        return {"uid": uid, "kind": kind, "text": value.get("text", ""), "level": value.get("level", "h2")}
    if kind == "paragraph":
        return {"uid": uid, "kind": kind, "text": html_to_markup(value)}
    if kind == "quote":
        return {"uid": uid, "kind": kind, "text": value.get("text", ""), "attribution": value.get("attribution", "")}
    if kind == "image":
        return {
            "uid": uid,
            "kind": kind,
            "image_id": value.get("image"),
            "alt_text": value.get("alt_text", ""),
            "caption": value.get("caption", ""),
        }
    return {"uid": uid, "kind": LOCKED}


class BlockForm(forms.Form):
    """One block. Which fields it has depends on its kind; labels say what the field is for."""

    uid = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.ChoiceField(widget=forms.HiddenInput, choices=[*EDITABLE_KINDS, (LOCKED, "")])
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_TEXT,
        strip=False,
        error_messages={"max_length": TOO_LONG},
    )
    level = forms.ChoiceField(label=_("Niveau"), choices=[("h2", _("Kop 2")), ("h3", _("Kop 3"))], initial="h2")
    attribution = forms.CharField(label=_("Bron (niet verplicht)"), max_length=200, required=False)
    image_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    image_file = WagtailImageField(label=_("Afbeelding"), required=False)
    alt_text = forms.CharField(
        label=_("Alternatieve tekst"),
        max_length=255,
        help_text=_("Beschrijf wat de afbeelding laat zien, voor wie haar niet kan zien."),
    )
    caption = forms.CharField(label=_("Onderschrift (niet verplicht)"), max_length=255, required=False)

    FIELDS_BY_KIND = {
        "heading": ["uid", "kind", "text", "level"],
        "paragraph": ["uid", "kind", "text"],
        "quote": ["uid", "kind", "text", "attribution"],
        "image": ["uid", "kind", "image_id", "image_file", "alt_text", "caption"],
        LOCKED: ["uid", "kind"],
    }
    TEXT_LABELS = {"heading": _("Tekst van de tussenkop"), "paragraph": _("Tekst"), "quote": _("Citaat")}

    def __init__(self, *args, source_block=None, **kwargs):
        super().__init__(*args, **kwargs)
        kind = (self.data.get(self.add_prefix("kind")) if self.is_bound else self.initial.get("kind")) or LOCKED
        self.block_kind = kind if kind in self.FIELDS_BY_KIND else LOCKED
        self.source_block = source_block
        for name in list(self.fields):
            if name not in self.FIELDS_BY_KIND[self.block_kind]:
                del self.fields[name]
        if "text" in self.fields:
            self.fields["text"].label = self.TEXT_LABELS[self.block_kind]
            if self.block_kind == "heading":
                self.fields["text"] = forms.CharField(
                    label=self.TEXT_LABELS["heading"], max_length=200, error_messages={"max_length": TOO_LONG}
                )
            if self.block_kind == "paragraph":
                self.fields["text"].help_text = MARKUP_HELP

    @property
    def kind_label(self):
        if self.block_kind == LOCKED and self.source_block:
            child = ArticleBodyBlock().child_blocks.get(self.source_block["type"])
            return child.label if child else self.source_block["type"]
        return dict(EDITABLE_KINDS).get(self.block_kind, "")

    @property
    def locked_text(self):
        if not self.source_block:
            return ""
        from knowledge.merge import display_text

        return display_text(self.source_block["value"])[:300]

    def raw_values(self) -> dict:
        """What the member typed, valid or not, to show again after a block was added or moved."""
        return {name: self[name].value() for name in self.fields if name != "image_file"}

    def clean(self):
        cleaned = super().clean()
        if self.block_kind == "image" and not cleaned.get("image_id") and not cleaned.get("image_file"):
            self.add_error("image_file", _("Kies een afbeelding om te uploaden."))
        if self.block_kind == LOCKED and self.source_block is None:
            raise ValidationError(_("Dit blok bestaat niet meer in de versie waarmee je begon."))
        return cleaned

    def to_raw(self) -> dict:
        data, uid = self.cleaned_data, self.cleaned_data["uid"]
        if self.block_kind == "heading":
            return {"type": "heading", "value": {"text": plain(data["text"]), "level": data["level"]}, "id": uid}
        if self.block_kind == "paragraph":
            source = self.source_block
            if source and source["type"] == "paragraph" and _same_text(html_to_markup(source["value"]), data["text"]):
                return dict(source)  # untouched: keep it exactly as stored, so it never counts as a change
            return {"type": "paragraph", "value": markup_to_html(data["text"]), "id": uid}
        if self.block_kind == "quote":
            value = {"text": plain(data["text"]), "attribution": plain(data.get("attribution", ""))}
            return {"type": "quote", "value": value, "id": uid}
        if self.block_kind == "image":
            value = {"image": data["image_id"], "alt_text": plain(data["alt_text"]), "caption": plain(data["caption"])}
            return {"type": "image", "value": value, "id": uid}
        return dict(self.source_block)


def _same_text(one, other):
    def lines(text):
        return [line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n")]

    return lines(one) == lines(other)


class ThemeChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class ContributionForm(forms.Form):
    """The shared part of every proposal form; a page type adds its own fields and says how to read and write them.

    Subclasses set `page_class`, `text_fields` and `stream_fields` and implement `content_of` and `apply`.
    """

    page_class = None
    text_fields = ("title", "summary")
    stream_fields = ("body",)
    block_prefix = "blok"

    title = forms.CharField(label=_("Titel"), max_length=255)
    summary = forms.CharField(
        label=_("Samenvatting"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén of twee zinnen, zonder opmaak."),
    )
    themes = ThemeChoiceField(label=_("Thema's"), queryset=Theme.objects.all(), required=False)
    tags = forms.CharField(
        label=_("Trefwoorden"),
        max_length=500,
        required=False,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: woo, archief, gemeenten."),
    )
    edit_summary = forms.CharField(
        label=_("Wat heb je veranderd en waarom?"),
        max_length=255,
        help_text=_("Dit staat in de openbare geschiedenis van het artikel."),
    )
    group = forms.ModelChoiceField(
        label=_("Alleen voor een werkgroep (niet verplicht)"),
        queryset=WorkingGroup.objects.none(),
        required=False,
        empty_label=_("Nee, voor iedereen die de Kennisbank mag lezen"),
        help_text=_("Kies een werkgroep waar je aan meedoet: dan lezen alleen haar deelnemers en de redactie het."),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    page_path = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    block_count = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_BLOCKS)

    def __init__(self, *args, actor, creating, source=None, **kwargs):
        """`source`: the content the member started from (for locked blocks and images); None for a new page."""
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.creating = creating
        self.source = source or {}
        self.source_blocks = {
            block["id"]: block for name in self.stream_fields for block in self.source.get(name, []) if block.get("id")
        }
        if creating:
            self.fields["group"].queryset = WorkingGroup.objects.filter(
                status=GroupStatus.ACTIVE, memberships__user=actor
            ).distinct()
            self.fields["edit_summary"].required = False
            self.fields["edit_summary"].initial = _("Eerste versie")
        else:
            del self.fields["group"]
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4().hex
        self.blocks = self._block_forms()

    # -- reading and writing a page -------------------------------------------------------------

    @classmethod
    def content_of(cls, page) -> dict:
        """The page's content as knowledge.merge takes it; Draftail's block keys left out, as nobody edits them."""
        from knowledge.merge import page_content

        content = page_content(page, stream_fields=list(cls.stream_fields))
        for name in cls.stream_fields:
            content[name] = [_without_block_keys(block) for block in content[name]]
        return content

    @classmethod
    def apply(cls, page, content):
        """Write `content` onto `page` (an unsaved revision object or a new page)."""
        for name in cls.text_fields:
            setattr(page, name, content[name])
        for name in cls.stream_fields:
            setattr(page, name, content[name])
        page.theme_links.set(
            [PageTheme(theme_id=theme_id, sort_order=order) for order, theme_id in enumerate(content["themes"])]
        )
        page.tags.set(list(content["tags"]))

    @classmethod
    def initial_for(cls, content) -> dict:
        initial = {name: content.get(name, "") for name in cls.text_fields}
        initial["themes"] = content.get("themes", [])
        initial["tags"] = ", ".join(content.get("tags", []))
        blocks = content.get(cls.stream_fields[0], []) if cls.stream_fields else []
        initial["block_count"] = len(blocks)
        for number, raw in enumerate(blocks):
            for name, value in block_fields(raw).items():
                initial[f"{cls.block_prefix}-{number}-{name}"] = value
        return initial

    # -- the blocks -------------------------------------------------------------------------------

    def _count(self):
        raw = self.data.get(self.add_prefix("block_count")) if self.is_bound else self.initial.get("block_count", 0)
        try:
            return max(0, min(int(raw or 0), MAX_BLOCKS))
        except (TypeError, ValueError):
            return 0

    def _block_forms(self):
        forms_ = []
        for number in range(self._count()):
            prefix = f"{self.block_prefix}-{number}"
            if self.is_bound:
                uid = self.data.get(f"{prefix}-uid")
                form = BlockForm(self.data, self.files, prefix=prefix, source_block=self.source_blocks.get(uid))
            else:
                initial = {
                    key[len(prefix) + 1 :]: value
                    for key, value in self.initial.items()
                    if key.startswith(prefix + "-") and key[len(prefix) + 1 :].isidentifier()
                }
                form = BlockForm(
                    prefix=prefix, initial=initial, source_block=self.source_blocks.get(initial.get("uid"))
                )
            forms_.append(form)
        return forms_

    def raw_values(self) -> dict:
        """Everything typed so far, as `initial` for the same form shown again."""
        values = {name: self[name].value() for name in self.fields}
        blocks = [form.raw_values() for form in self.blocks]
        values["block_count"] = len(blocks)
        return values | self._flatten(blocks)

    def _flatten(self, blocks):
        flat = {}
        for number, values in enumerate(blocks):
            for name, value in values.items():
                flat[f"{self.block_prefix}-{number}-{name}"] = value
        return flat

    def rearranged(self, action, new_kind=None):
        """The same form, unbound, with a block added, moved or removed."""
        values = self.raw_values()
        blocks = [form.raw_values() for form in self.blocks]
        verb, _, position = (action or "").partition(":")
        index = int(position) if position.isdigit() else -1
        if verb == "add" and new_kind in dict(EDITABLE_KINDS) and len(blocks) < MAX_BLOCKS:
            blocks.append({"uid": new_block_id(), "kind": new_kind, "level": "h2"})
        elif verb == "remove" and 0 <= index < len(blocks):
            blocks.pop(index)
        elif verb == "up" and 0 < index < len(blocks):
            blocks[index - 1], blocks[index] = blocks[index], blocks[index - 1]
        elif verb == "down" and 0 <= index < len(blocks) - 1:
            blocks[index + 1], blocks[index] = blocks[index], blocks[index + 1]
        values = {key: value for key, value in values.items() if not key.startswith(self.block_prefix + "-")}
        values["block_count"] = len(blocks)
        values |= self._flatten(blocks)
        return type(self)(initial=values, actor=self.actor, creating=self.creating, source=self.source)

    def uploaded_images(self):
        """(block form, file) for each block with a valid new upload."""
        found = []
        for form in self.blocks:
            field = form.fields.get("image_file")
            upload = self.files.get(form.add_prefix("image_file")) if field else None
            if upload is None:
                continue
            try:
                found.append((form, field.clean(upload)))
            except ValidationError as error:
                form.add_error("image_file", error)
        return found

    def set_block_image(self, form, image_id):
        self.data = self.data.copy()
        self.data[form.add_prefix("image_id")] = str(image_id)
        form.data = self.data

    # -- validation -------------------------------------------------------------------------------

    def clean_tags(self):
        names = []
        for name in (self.cleaned_data.get("tags") or "").split(","):
            name = plain(name)[:100]
            if name and name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if len(names) > MAX_TAGS:
            raise ValidationError(_("Gebruik hoogstens %(max)s trefwoorden.") % {"max": MAX_TAGS})
        return sorted(names)

    def clean_title(self):
        return plain(self.cleaned_data["title"])

    def clean_summary(self):
        return " ".join(plain(self.cleaned_data["summary"]).split())

    def clean_edit_summary(self):
        return plain(self.cleaned_data.get("edit_summary", ""))

    def is_valid(self):
        valid = super().is_valid()
        block_results = [form.is_valid() for form in self.blocks]  # every block shows its errors
        blocks_valid = all(block_results)
        if valid and not self.blocks:
            self.add_error(None, _("Een artikel heeft minstens één blok tekst nodig."))
            return False
        if valid and blocks_valid:
            total = sum(len(str(form.cleaned_data.get("text", ""))) for form in self.blocks)
            if total > MAX_TOTAL:
                self.add_error(
                    None,
                    _("Je tekst is te lang: samen hoogstens %(max)s tekens. Verdeel hem over meer artikelen.")
                    % {"max": f"{MAX_TOTAL:,}".replace(",", ".")},
                )
                return False
            return self._images_allowed()
        return False

    def _images_allowed(self):
        source_images = {
            block["value"].get("image") for block in self.source_blocks.values() if block["type"] == "image"
        }
        wanted = {form.cleaned_data["image_id"] for form in self.blocks if form.cleaned_data.get("image_id")}
        own = set(
            get_image_model()
            .objects.filter(pk__in=wanted - source_images, uploaded_by_user=self.actor)
            .values_list("pk", flat=True)
        )
        allowed = True
        for form in self.blocks:
            image_id = form.cleaned_data.get("image_id")
            if image_id and image_id not in source_images and image_id not in own:
                form.add_error("image_file", _("Kies een afbeelding om te uploaden."))
                allowed = False
        return allowed

    def content(self) -> dict:
        """The validated form in the shape `knowledge.merge` works with."""
        data = self.cleaned_data
        content = {name: data[name] for name in self.text_fields}
        content["themes"] = [theme.pk for theme in data["themes"]]
        content["tags"] = data["tags"]
        content[self.stream_fields[0]] = [form.to_raw() for form in self.blocks]
        return content

    @property
    def all_errors(self):
        """Every message, with the id of its field, for the summary at the top of the form."""
        items = [(None, None, error) for error in self.non_field_errors()]
        for field in self:
            items += [(field.auto_id, field.label, error) for error in field.errors]
        for number, form in enumerate(self.blocks, start=1):
            for error in form.non_field_errors():
                items.append((f"blok-{number}", _("Blok %(number)s") % {"number": number}, error))
            for field in form:
                for error in field.errors:
                    label = _("Blok %(number)s, %(field)s") % {"number": number, "field": str(field.label).lower()}
                    items.append((field.auto_id, label, error))
        return items


class ArticleContributionForm(ContributionForm):
    page_class = KnowledgeArticle


def _kennisbank():
    return KnowledgeIndexPage.objects.first()


registry.register(
    registry.ContributionType(
        key="artikel",
        page_class=KnowledgeArticle,
        form_class=ArticleContributionForm,
        parent=_kennisbank,
        label=_("artikel"),
        new_label=_("Schrijf een nieuw artikel"),
    )
)
