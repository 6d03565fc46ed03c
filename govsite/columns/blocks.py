"""Body blocks: what a plain government notice needs and nothing more (R-FMT-1, 第十七条)."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.images.blocks import ImageChooserBlock

# R-FMT-1: paragraphs, headings, lists and links; no colours, fonts or embeds.
TEXT_FEATURES = ["h2", "h3", "h4", "bold", "ol", "ul", "link", "document-link"]


class CaptionedImageValue(blocks.StructValue):
    def caption_text(self):
        """The caption shown under the image: the block's own, else the image's 文字说明."""
        caption = (self.get("caption") or "").strip()
        return caption or (getattr(self.get("image"), "caption", "") or "").strip()


class CaptionedImageBlock(blocks.StructBlock):
    """第十七条: every image carries a caption (文字说明). Each image has its own (a required
    field of ``govsite.images.models.GovImage``); the block may give another for this page."""

    image = ImageChooserBlock(label="图片")
    caption = blocks.CharBlock(
        label="文字说明",
        max_length=200,
        required=False,
        help_text="留空则使用图片自身的文字说明。",
    )

    class Meta:
        icon = "image"
        label = "图片"
        template = "columns/blocks/captioned_image.html"
        value_class = CaptionedImageValue


class BodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(label="正文段落", features=TEXT_FEATURES)
    image = CaptionedImageBlock()
    table = TableBlock(label="表格")
