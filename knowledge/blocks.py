"""The blocks an article body is built from; each renders accessible HTML without colour cues."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]
IMAGE_RENDITION = "width-800"


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Tekst"), max_length=200)
    level = blocks.ChoiceBlock(label=_("Niveau"), choices=[("h2", _("Kop 2")), ("h3", _("Kop 3"))], default="h2")

    class Meta:
        icon = "title"
        label = _("Kop")
        template = "knowledge/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Citaat"))
    attribution = blocks.CharBlock(label=_("Bron"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citaat")
        template = "knowledge/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Soort"),
        choices=[("info", _("Goed om te weten")), ("tip", _("Tip")), ("warning", _("Let op"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("Titel"), required=False)
    text = blocks.RichTextBlock(label=_("Tekst"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Kader")
        template = "knowledge/blocks/callout.html"


class PrefetchingImageChooserBlock(ImageChooserBlock):
    """Fetches all images of a body, with the rendition we show, in one query each."""

    def bulk_to_python(self, values):
        objects = self.model_class.objects.prefetch_renditions(IMAGE_RENDITION).in_bulk(values)
        return [objects.get(value) for value in values]


class FigureBlock(blocks.StructBlock):
    image = PrefetchingImageChooserBlock(label=_("Afbeelding"))
    alt_text = blocks.CharBlock(
        label=_("Alternatieve tekst"),
        required=False,
        help_text=_("Beschrijf wat de afbeelding laat zien; leeg laten betekent: de titel van de afbeelding."),
    )
    caption = blocks.CharBlock(label=_("Onderschrift"), required=False)

    class Meta:
        icon = "image"
        label = _("Afbeelding")
        template = "knowledge/blocks/figure.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Linktekst"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "knowledge/blocks/document.html"


class MediaEmbedBlock(blocks.StructBlock):
    url = EmbedBlock(label=_("Adres (URL)"))
    title = blocks.CharBlock(label=_("Beschrijving"), help_text=_("Wat er te zien of te horen is."))

    class Meta:
        icon = "media"
        label = _("Ingesloten media")
        template = "knowledge/blocks/embed.html"


class CaptionedTableBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Bijschrift"), help_text=_("Waar de tabel over gaat."))
    table = TableBlock(label=_("Tabel"))

    class Meta:
        icon = "table"
        label = _("Tabel")
        template = "knowledge/blocks/table.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Alinea"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    quote = QuoteBlock()
    callout = CalloutBlock()
    image = FigureBlock()
    document = DocumentLinkBlock()
    embed = MediaEmbedBlock()
    table = CaptionedTableBlock()
