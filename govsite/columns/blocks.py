"""Body blocks: what a plain government notice needs and nothing more (R-FMT-1, 第十七条)."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

# R-FMT-1: paragraphs, headings, lists and links; no colours, fonts or embeds.
TEXT_FEATURES = ["h2", "h3", "h4", "bold", "ol", "ul", "link", "document-link"]


class CaptionedImageBlock(blocks.StructBlock):
    """第十七条: every image carries a caption (文字说明)."""

    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(label="文字说明", max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "columns/blocks/captioned_image.html"


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="正文段落", features=TEXT_FEATURES)
    image = CaptionedImageBlock()
    table = TableBlock(label="表格")
